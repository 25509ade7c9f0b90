import json
from datetime import date
from pathlib import Path

import pytest

from bot.handbook import HandbookError
from bot.handbook.report import ImportReport
from bot.okrs.page import (
    KeyResult,
    Objective,
    OkrPage,
    RetroTeam,
    page_as_json,
    read_okr_page,
    read_quarter_label,
    write_okr_page,
)

# The seeds live beside the repository, as tests/handlers/test_working_groups.py finds them.
SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "okrs-fy20-q2.md"


@pytest.fixture(scope="module")
def seed() -> OkrPage:
    return read_okr_page(SEED.read_text(encoding="utf-8"))


def owners(results: tuple[KeyResult, ...]) -> list[str | None]:
    return [result.owner for result in results]


def all_key_results(results: tuple[KeyResult, ...]) -> list[KeyResult]:
    found = []
    for result in results:
        found += [result, *all_key_results(result.key_results)]
    return found


def one_key_result(line: str) -> KeyResult:
    """The only key result of a one-objective page whose only item is `line`."""
    page = read_okr_page(f"# FY20-Q2 OKRs\n\n### 1. CEO: Grow\n\n1. {line}\n")
    (result,) = page.objectives[0].key_results
    return result


# The seed ----------------------------------------------------------------------------------------------------------


def test_seed_quarter_and_dates_come_from_the_title_and_the_run_sentence(seed):
    assert (seed.quarter, seed.start, seed.end) == ("FY20-Q2", date(2019, 5, 1), date(2019, 7, 31))


def test_seed_has_three_ceo_objectives_from_the_html_headings(seed):
    assert [(objective.number, objective.owner) for objective in seed.objectives] == [
        (1, "CEO"),
        (2, "CEO"),
        (3, "CEO"),
    ]
    assert seed.objectives[0].text == (
        "Grow Incremental ACV. Grow website visitors, Introduce a certification program, "
        "Create DevOps Transformation messaging."
    )
    assert seed.objectives[1].text.startswith("Popular next generation product.")
    assert seed.objectives[2].text.endswith("Become a world-class hiring and on-boarding company.")


def test_seed_objective_one_drops_the_bare_cpo_and_spreads_the_cmo_grouping(seed):
    results = seed.objectives[0].key_results
    assert owners(results) == ["CRO", "CRO", "CMO", "CMO", "CMO", "VP Eng", "VP Alliances", "VP Alliances"]
    assert results[0].text.startswith("Create DevOps Transformation Messaging KR: Complete customer pitch for “what")
    assert results[0].score is None and results[0].percents == ()
    communication, content, developers = results[2:5]
    assert communication.text.startswith("Open a communication channel with Gitlab.com users.")
    assert owners(communication.key_results) == ["Digital Marketing Programs", "Marketing Operations"]
    assert communication.key_results[1].text == (
        "Open up communication channel with CE users. "
        "Re-implement [health check](https://gitlab.com/gitlab-com/marketing/marketing-operations/issues/532)."
    )
    assert owners(content.key_results) == [
        "PMM",
        "Corporate Marketing",
        "Digital Marketing Programs",
        "Field Marketing",
    ]
    assert owners(content.key_results[1].key_results) == ["Content", "Technical evangelism"]
    assert len(developers.key_results) == 9
    assert owners(developers.key_results[2].key_results) == ["Technical Evangelism"] * 2 + ["Events", "Content"]


def test_seed_development_grouping_puts_the_fellow_krs_under_the_vp_eng_kr(seed):
    vp_eng = seed.objectives[0].key_results[5]
    assert vp_eng.text == (
        "[Ensure self-managed GitLab scales for large enterprise customers]"
        "(https://gitlab.com/gitlab-com/www-gitlab-com/issues/4334)."
    )
    assert vp_eng.score is None
    assert owners(vp_eng.key_results) == ["Growth", "Enablement", "Fellow", "Fellow"]
    assert vp_eng.key_results[2] == KeyResult(
        "Fellow",
        "Work across teams to ensure Gitaly I/O and other performance issues resolved with 10K reference test.",
        40.0,
        (40.0,),
    )
    assert (vp_eng.key_results[3].score, vp_eng.key_results[3].key_results) == (100.0, ())


def test_seed_targets_in_the_text_are_not_scores(seed):
    content = seed.objectives[0].key_results[3]
    docs = content.key_results[2]
    assert docs.text.endswith("to increase new user traffic to docs by 10% QoQ.") and docs.score is None
    events = seed.objectives[0].key_results[4].key_results[2]
    assert events.text.startswith("Prominent presence at strategic industry events") and events.score is None
    planning, infrastructure = seed.objectives[2].key_results[1:3]
    assert (
        planning.key_results[0].text.startswith("100% of KPIs on executive dashboard")
        and not planning.key_results[0].percents
    )
    assert infrastructure.key_results[0] == KeyResult(
        "VP of Legal, Contracts, IP and Compliance", "95% of team members covered by scalable employment solution", None
    )


def test_seed_objective_two_reads_several_percentages_and_negative_ones(seed):
    results = seed.objectives[1].key_results
    assert owners(results) == ["CMO", "CMO", "VP Product", "VP Product", "VP Product", "VP Eng", "VP Alliances"]
    data = results[2]
    assert data.text.endswith(
        "[customer discovery conversations](/handbook/product/product-processes/#customer-meetings) per quarter."
    )
    assert (data.percents, data.score) == ((27.0, 0.0, 227.0), 84.67)
    assert data.key_results[0].owner == "Director of Product, Dev"
    assert (data.key_results[0].percents, data.key_results[0].score) == ((-1.2,), 0.0)
    assert data.key_results[1].key_results == (
        KeyResult(
            "PM, Create",
            "Ensure self-managed GitLab scales for large enterprise customers. Prioritize Gitaly N+1 query issues.",
            55.0,
            (55.0,),
        ),
    )
    enablement = data.key_results[6]
    assert enablement.owner == "Director of Product, Enablement"
    assert (enablement.percents, enablement.score) == ((100.0, 33.0, 0.0), 44.33)
    assert enablement.text.endswith("track usage more robustly.")
    assert data.key_results[3].score is None  # "Director of Product, Ops" wrote no score


def test_seed_nested_groupings_under_build_our_product_vision(seed):
    vision = seed.objectives[1].key_results[5]
    assert owners(vision.key_results)[:4] == ["Development", "Philippe Lafoucrière", "Gitter", "Infrastructure"]
    philippe = vision.key_results[1]  # Development: > Secure: > [Philippe Lafoucrière](…): …
    assert philippe.text == (
        "[Enable Secure Stage Third Party Integrations](https://gitlab.com/groups/gitlab-org/-/epics/1252) with 3 "
        "official integrations. (Detectify and SonarQube still ongoing, 3rd integration not started)"
    )
    assert philippe.score == 25.0
    services = vision.key_results[3]
    assert services.text == "Make all user-visible services ready for mission critical workloads."
    assert (
        owners(services.key_results) == ["Dev and Ops", "CI/CD and Enablement", "Secure and Defend"] + ["Delivery"] * 5
    )
    assert [(result.text, result.score) for result in services.key_results[3:]] == [
        ("Streamline GitLab deployments on GitLab.com and self-managed releases", 100.0),
        ("Migrate GitLab.com registry to Kubernetes and have it autodeployed as part of release process", 50.0),
        ("Complete GitLab codebase merge", 80.0),
        ("Implement storage limits", 40.0),
        ("Implement single object storage", 5.0),
    ]


def test_seed_support_krs_read_odd_owner_prefixes(seed):
    vision = seed.objectives[1].key_results[5]
    escalation = next(result for result in vision.key_results if result.text.startswith("[Establish consistent"))
    assert owners(escalation.key_results) == [
        "AMER-E", "AMER-W", "Support Operations Specialist", "APAC", "APAC", "APAC", "AMER-C", "AMER-C",
    ]  # fmt: skip
    assert escalation.key_results[2].text.startswith("[Complete Federal support instance process")  # "Specialist:[…"
    assert escalation.key_results[5].text.startswith(
        "[Improve quality of non-English ticket support.]"
    )  # "APAC: APAC:"
    compliance = next(result for result in vision.key_results if result.text == "Continue rollout of Zero Trust model.")
    assert compliance.key_results[2] == KeyResult(
        "Compliance",
        "Develop and publish Information Security Compliance Roadmap. "
        "[Security - Trust Center](https://about.gitlab.com/security/)",
        100.0,
        (100.0,),
    )
    assert compliance.key_results[0] == KeyResult("Application Security", "HackerOne program spend on plan.", None)


def test_seed_objective_three_groupings_and_krs_without_owner(seed):
    results = seed.objectives[2].key_results
    assert owners(results) == (
        ["CFO"] * 3
        + ["CPO"] * 5
        + ["Compensation", "Benefits", "People Operations", "Recruiting", "Employment Brand", "Talent Operations"]
        + ["Recruiting", "Recruiting", "CMO", "CMO", "CMO", "VP Eng", "VP Alliances", "CRO"]
    )
    assert results[3].text == "Defined key business metrics that should be improved by the training."
    assert results[0].key_results[0] == KeyResult("Controller", "Audit completed by July 31, 2019", None)
    planning = results[1]
    assert owners(planning.key_results)[-3:] == ["Finance Business Partner"] * 3
    assert planning.key_results[-1].text == "Product Line P&L completed and issued on a monthly basis."
    infrastructure = results[2]
    legal = [result.text for result in infrastructure.key_results if result.owner.startswith("VP of Legal")]
    assert legal[1] == "Streamlined legal review process for contracts fully implemented."
    laptops = infrastructure.key_results[6]
    assert laptops.text.startswith("macOS & Linux standards for purchasing")
    assert owners(laptops.key_results) == [None, None, None]  # the service inherits the parent's owner
    remote = results[16]
    assert remote.text.startswith("Launch All-Remote web destination.")
    assert owners(remote.key_results[0].key_results) == ["Events", None, "Content"]


def test_seed_scores_every_marked_kr_and_only_those(seed):
    results = [result for objective in seed.objectives for result in all_key_results(objective.key_results)]
    scored = [result for result in results if result.score is not None]
    assert len(scored) == 57 + 2  # 57 "=>" lines and the two "100% [link]" compliance lines
    assert all(0 <= result.score <= 100 and result.percents for result in scored)
    assert all(result.percents == () for result in results if result.score is None)
    assert not any(result.owner == "CPO" and not result.text for result in results)


def test_seed_retro_teams_and_their_lists(seed):
    assert [(team.team, len(team.good), len(team.bad), len(team.try_)) for team in seed.retro] == [
        ("Infrastructure", 3, 4, 3),
        ("Delivery", 4, 4, 3),
        ("Development", 4, 4, 4),
    ]
    infrastructure, delivery, development = seed.retro
    assert infrastructure.good[0] == "We made it to 72%, so we *guesstimated* well on **overall** ambition"
    assert delivery.try_[-1] == "Better project planning when tackling architectural changes in GitLab codebase"
    assert development.bad[2] == (
        "Some areas (Defend in particular) were not as effective in hiring. "
        "This was in part due to some miscommunication on Christopher's part."
    )


def test_seed_round_trips_through_the_writer(seed):
    written = write_okr_page(seed)
    assert read_okr_page(written) == seed
    assert written.startswith(
        '---\ntitle: "FY20-Q2 OKRs"\n---\n\nThis fiscal quarter will run from May 1, 2019 to July 31, 2019.'
    )
    assert '\n<p class="h3">1. CEO: Grow Incremental ACV.' in written  # as the seed writes its objectives
    assert "\n    1. Fellow: Work across teams" in written and "resolved with 10K reference test. => 40%\n" in written
    assert "per quarter. => 27%, 0%, 227%\n" in written and "=> -1.2%\n" in written
    assert "\n## Retrospective\n\n### Infrastructure\n\n- GOOD\n  1. We made it to 72%" in written


def test_seed_as_json(seed):
    shape = json.loads(json.dumps(page_as_json(seed)))
    assert set(shape) == {"quarter", "start", "end", "objectives", "retro"}
    assert (shape["quarter"], shape["start"], shape["end"]) == ("FY20-Q2", "2019-05-01", "2019-07-31")
    objective = shape["objectives"][0]
    assert set(objective) == {"number", "owner", "text", "key_results"} and objective["number"] == 1
    fellow = objective["key_results"][5]["key_results"][2]
    assert fellow == {
        "owner": "Fellow",
        "text": "Work across teams to ensure Gitaly I/O and other performance issues resolved with 10K reference test.",
        "score": 40.0,
        "status": None,
        "status_text": None,
        "key_results": [],
    }
    assert objective["key_results"][0]["score"] is None
    assert shape["retro"][0]["team"] == "Infrastructure"
    assert set(shape["retro"][0]) == {"team", "good", "bad", "try"} and len(shape["retro"][0]["try"]) == 3


# Other ways to write the page --------------------------------------------------------------------------------------

MARKDOWN_HEADINGS = """\
# 2018-Q2 OKRs

This quarter runs from 2018-04-01 to 2018-06-30.

## 1. CEO: Grow revenue

- CRO: Close [10 deals](https://example.com/deals) => 88
  - Sales, EMEA: Close 4 deals in EMEA - 83%
  - Sales, AMER: Close 6 deals in AMER: 45% done
- CMO:
  - Launch the new website (45%)
  - Field Marketing: Run 3 events to grow attendance by 10% QoQ
- Development
  - Ship the billing page => 50%
- CPO

## 2. CEO: Great team

- CPO: Hire 20 people
"""

OBJECTIVE_HEADINGS = """\
---
title: "OKRs for Q3 FY21"
---

## Objective 1: Make customers successful

1. VP Customer Success: Raise NPS to 50 => 40%
   1. CSM team: Run 30 EBRs => 100%, 0%, 100%
   1. Support: Answer tickets in 4 hours => 30%.
1. Increase the renewal rate to 95%: measured monthly

## Objective 2 - CFO: Close the books in 5 days

### Key Results

1. Controller: Automate the accruals => -5%
1. Controller: Ship the close checklist => 120%

## Notes

1. This numbered list is not a key result.
"""

NUMBERED_OBJECTIVES = """\
---
title: "FY21-Q1 OKRs"
---

This fiscal quarter will run from February 1, 2020 to April 30, 2020.

1. CEO: Grow revenue
    1. CRO: Close 10 deals => 50%
    1. CMO: Generate 500 leads
1. CEO: Popular product
    1. VP Product: Ship 3 features => 2 of 3
1. Build a great team
    - People Ops: Hire 10 people (45% done)

## Retrospective

### Sales

#### GOOD

- Deals closed early
- A fuller pipeline

#### BAD

1. Slow legal review
   1. Contracts waited a week

#### TRY

Start legal review at the proposal stage.

### Marketing

**Good:**

- Leads beat the target

**Bad:**
- Events cost more than planned

**Try:**
- Fewer, bigger events
"""

HTML_HEADINGS = """\
# FY20-Q3 OKRs

<h2 id="objective-1">1. CEO: Grow &amp; scale</h2>

1. CRO: Grow ARR by 30% in EMEA &mdash; the <a href="https://example.com/plan">plan</a> <!-- draft --> => 70%
1. CMO: Publish the DevOps â€” report<br>in May

<p class="h3">2. CEO: Great team</p>

1. CPO: Hire <b>20</b> people

## Infrastructure

| Good | Bad | Try |
|------|-----|-----|
| Uptime 99.9% | Costs grew<br>Pager noise | Budget alerts |
| On-call rotation | | |
"""

VARIANTS = [MARKDOWN_HEADINGS, OBJECTIVE_HEADINGS, NUMBERED_OBJECTIVES, HTML_HEADINGS]


def test_markdown_headings_two_space_dashes_groupings_and_score_forms():
    page = read_okr_page(MARKDOWN_HEADINGS)
    assert (page.quarter, page.start, page.end) == ("2018-Q2", date(2018, 4, 1), date(2018, 6, 30))
    assert [(objective.number, objective.owner, objective.text) for objective in page.objectives] == [
        (1, "CEO", "Grow revenue"),
        (2, "CEO", "Great team"),
    ]
    cro, website, events, billing = page.objectives[0].key_results  # the bare "CPO" says nothing and is dropped
    assert (cro.owner, cro.text, cro.score) == ("CRO", "Close [10 deals](https://example.com/deals)", 88.0)
    assert cro.key_results == (
        KeyResult("Sales, EMEA", "Close 4 deals in EMEA", 83.0, (83.0,)),
        KeyResult("Sales, AMER", "Close 6 deals in AMER", 45.0, (45.0,)),
    )
    assert website == KeyResult("CMO", "Launch the new website", 45.0, (45.0,))
    assert events == KeyResult("Field Marketing", "Run 3 events to grow attendance by 10% QoQ", None)
    assert billing == KeyResult("Development", "Ship the billing page", 50.0, (50.0,))
    assert page.objectives[1].key_results == (KeyResult("CPO", "Hire 20 people", None),)
    assert page.retro == ()


def test_objective_n_headings_three_space_indents_and_a_key_results_subheading():
    page = read_okr_page(OBJECTIVE_HEADINGS)
    assert (page.quarter, page.start, page.end) == ("FY21-Q3", None, None)
    first, second = page.objectives
    assert (first.number, first.owner, first.text) == (1, None, "Make customers successful")
    nps, renewal = first.key_results
    assert (nps.owner, nps.text, nps.score) == ("VP Customer Success", "Raise NPS to 50", 40.0)
    assert nps.key_results == (
        KeyResult("CSM team", "Run 30 EBRs", 66.67, (100.0, 0.0, 100.0)),
        KeyResult("Support", "Answer tickets in 4 hours", 30.0, (30.0,)),
    )
    assert renewal == KeyResult(None, "Increase the renewal rate to 95%: measured monthly", None)
    assert (second.number, second.owner, second.text) == (2, "CFO", "Close the books in 5 days")
    assert second.key_results == (
        KeyResult("Controller", "Automate the accruals", 0.0, (-5.0,)),
        KeyResult("Controller", "Ship the close checklist", 120.0, (120.0,)),
    )  # the "Notes" list after them is not theirs; a score above 100% is kept


def test_top_level_numbered_objectives_and_a_retro_by_subheadings_and_bold_labels():
    page = read_okr_page(NUMBERED_OBJECTIVES)
    assert (page.quarter, page.start, page.end) == ("FY21-Q1", date(2020, 2, 1), date(2020, 4, 30))
    assert [(objective.number, objective.owner, objective.text) for objective in page.objectives] == [
        (1, "CEO", "Grow revenue"),
        (2, "CEO", "Popular product"),
        (3, None, "Build a great team"),
    ]  # the retro's numbered lists are not objectives
    assert page.objectives[0].key_results == (
        KeyResult("CRO", "Close 10 deals", 50.0, (50.0,)),
        KeyResult("CMO", "Generate 500 leads", None),
    )
    assert page.objectives[1].key_results == (KeyResult("VP Product", "Ship 3 features => 2 of 3", None),)
    assert page.objectives[2].key_results == (KeyResult("People Ops", "Hire 10 people", 45.0, (45.0,)),)
    assert page.retro == (
        RetroTeam(
            "Sales",
            ("Deals closed early", "A fuller pipeline"),
            ("Slow legal review", "Contracts waited a week"),
            ("Start legal review at the proposal stage.",),
        ),
        RetroTeam(
            "Marketing", ("Leads beat the target",), ("Events cost more than planned",), ("Fewer, bigger events",)
        ),
    )


def test_html_headings_entities_mojibake_and_a_retro_table():
    page = read_okr_page(HTML_HEADINGS)
    assert page.quarter == "FY20-Q3"
    assert [(objective.number, objective.owner, objective.text) for objective in page.objectives] == [
        (1, "CEO", "Grow & scale"),
        (2, "CEO", "Great team"),
    ]
    grow, publish = page.objectives[0].key_results
    assert grow == KeyResult("CRO", "Grow ARR by 30% in EMEA — the [plan](https://example.com/plan)", 70.0, (70.0,))
    assert publish == KeyResult("CMO", "Publish the DevOps — report in May", None)
    assert page.objectives[1].key_results == (KeyResult("CPO", "Hire 20 people", None),)
    assert page.retro == (
        RetroTeam(
            "Infrastructure", ("Uptime 99.9%", "On-call rotation"), ("Costs grew", "Pager noise"), ("Budget alerts",)
        ),
    )


@pytest.mark.parametrize("markdown", VARIANTS, ids=["headings", "objective-n", "numbered", "html"])
def test_variants_round_trip_through_the_writer(markdown):
    page = read_okr_page(markdown)
    assert read_okr_page(write_okr_page(page)) == page
    json.dumps(page_as_json(page))


@pytest.mark.parametrize(
    ("line", "owner", "text", "percents"),
    [
        ("CRO: Close deals => 40%", "CRO", "Close deals", (40.0,)),
        ("CRO: Close deals => 100%, 0%, 100%", "CRO", "Close deals", (100.0, 0.0, 100.0)),
        ("CRO: Close deals => 88", "CRO", "Close deals", (88.0,)),
        ("CRO: Close deals - 83%", "CRO", "Close deals", (83.0,)),
        ("CRO: Close deals: 45% done", "CRO", "Close deals", (45.0,)),
        ("CRO: Close deals (45%)", "CRO", "Close deals", (45.0,)),
        ("CRO: Close deals => 30%.", "CRO", "Close deals", (30.0,)),
        ("CRO: Grow pipeline by 10% QoQ", "CRO", "Grow pipeline by 10% QoQ", ()),
        ("CRO: 100% of KPIs on dashboards", "CRO", "100% of KPIs on dashboards", ()),
        ("CRO: Grow revenue (30% YoY)", "CRO", "Grow revenue (30% YoY)", ()),
        ("CRO: Ship 3 features => 2 of 3", "CRO", "Ship 3 features => 2 of 3", ()),
        ("Director of Product, Dev: Raise SUS", "Director of Product, Dev", "Raise SUS", ()),
        (
            "[Jane Doe](https://example.com/jane): [Ship it](https://example.com/1)",
            "Jane Doe",
            "[Ship it](https://example.com/1)",
            (),
        ),
        (
            "AMER-W:[Develop a model.](https://example.com/2) => 60%",
            "AMER-W",
            "[Develop a model.](https://example.com/2)",
            (60.0,),
        ),
        ("APAC: APAC: Improve tickets", "APAC", "Improve tickets", ()),
        ("**CRO:** Close deals", "CRO", "Close deals", ()),
        ("Dir. of Bus Ops: Automate ingestion", "Dir. of Bus Ops", "Automate ingestion", ()),
        (
            "Increase the renewal rate to 95%: measured monthly",
            None,
            "Increase the renewal rate to 95%: measured monthly",
            (),
        ),
        ("Ship the new billing flow: phase 1", None, "Ship the new billing flow: phase 1", ()),
        ("Hire a team. Then train them: twice", None, "Hire a team. Then train them: twice", ()),
        ("Meet at 10:30 every day", None, "Meet at 10:30 every day", ()),
        ("See https://example.com: the plan", None, "See https://example.com: the plan", ()),
    ],
)
def test_owner_prefixes_and_scores_on_one_line(line, owner, text, percents):
    result = one_key_result(line)
    assert (result.owner, result.text, result.percents) == (owner, text, percents)


def test_a_bare_label_without_children_is_dropped_and_a_grouping_passes_its_owner_down():
    page = read_okr_page(
        "# FY20-Q2\n\n### 1. CEO: Grow\n\n1. VP Eng: Scale\n   1. Infrastructure:\n      1. Cut cost => 20%\n"
        "      1. Quality: Fewer bugs\n   1. Security:\n1. CFO\n"
    )
    assert page.objectives[0].key_results == (
        KeyResult(
            "VP Eng",
            "Scale",
            None,
            (),
            (KeyResult("Infrastructure", "Cut cost", 20.0, (20.0,)), KeyResult("Quality", "Fewer bugs", None)),
        ),
    )


# Quarters, dates and errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("FY20-Q2 OKRs", ("FY20-Q2",)),
        ("fy2020 q2", ("FY20-Q2",)),
        ("OKRs for Q3 FY21", ("FY21-Q3",)),
        ("2018-Q2 OKRs", ("2018-Q2",)),
        ("CY2018-Q2", ("2018-Q2",)),
        ("Q4 2018", ("2018-Q4",)),
        ("FY20-Q2 and FY20-Q3", ("FY20-Q2", "FY20-Q3")),
        ("OKRs", ()),
        ("Runs until 2019-07-31", ()),
    ],
)
def test_quarter_labels_in_text(text, labels):
    assert read_quarter_label(text) == labels


def test_the_quarter_passed_in_wins_over_the_title():
    page = read_okr_page(MARKDOWN_HEADINGS, quarter="fy2019 q1")
    assert page.quarter == "FY19-Q1"


def test_a_page_without_a_quarter_needs_one_passed_in():
    markdown = "### 1. CEO: Grow\n\n1. CRO: Close deals => 40%\n"
    with pytest.raises(HandbookError) as error:
        read_okr_page(markdown)
    assert "which quarter" in error.value.problem and "FY20-Q2" in error.value.usage
    assert read_okr_page(markdown, quarter="FY20-Q2").quarter == "FY20-Q2"


def test_a_quarter_passed_in_that_is_not_one_is_refused():
    with pytest.raises(HandbookError) as error:
        read_okr_page(MARKDOWN_HEADINGS, quarter="next quarter")
    assert "`next quarter` is not a quarter" in error.value.problem


def test_a_title_naming_two_quarters_is_refused():
    with pytest.raises(HandbookError) as error:
        read_okr_page("# FY20-Q2 and FY20-Q3 OKRs\n\n### 1. CEO: Grow\n")
    assert "more than one quarter" in error.value.problem


def test_a_page_without_objectives_says_which_forms_it_looks_for():
    with pytest.raises(HandbookError) as error:
        read_okr_page("# FY20-Q2 OKRs\n\nWe will grow revenue this quarter.\n\n- a bullet\n- another\n")
    assert error.value.problem == "I couldn't find any objectives on this page."
    assert "`### 1. CEO: Grow revenue`" in error.value.usage and "`## Objective 1: Grow revenue`" in error.value.usage
    assert '<p class="h3">' in error.value.usage and "top-level numbered item" in error.value.usage


def test_a_quarter_that_ends_before_it_starts_keeps_its_objectives_and_names_the_skipped_dates():
    report = ImportReport()
    page = read_okr_page(
        "# FY20-Q2\n\nThis quarter will run from July 31, 2019 to May 1, 2019.\n\n### 1. CEO: Grow\n", report=report
    )
    assert (page.start, page.end, len(page.objectives)) == (None, None, 1)
    (note,) = report.skipped
    assert note.where == "The sentence that says when the quarter runs"
    assert note.what.startswith("it ends on 2019-05-01, before it starts on 2019-07-31")


def test_other_prose_with_from_and_to_is_not_the_run_sentence():
    page = read_okr_page("# FY20-Q2\n\nThis quarter we move writes from NFS to object storage.\n\n### 1. CEO: Grow\n")
    assert (page.start, page.end) == (None, None)


# Writer ------------------------------------------------------------------------------------------------------------


def test_writer_writes_the_seed_format():
    page = OkrPage(
        "FY20-Q2",
        date(2019, 5, 1),
        date(2019, 7, 31),
        (
            Objective(
                1,
                "CEO",
                "Grow",
                (
                    KeyResult(
                        "VP Product",
                        "Become [data-informed](https://example.com/166)",
                        84.67,
                        (27.0, 0.0, 227.0),
                        (KeyResult("PM, Create", "Prioritize Gitaly", 55.0, (55.0,)),),
                    ),
                    KeyResult(None, "Tag <none> images & R&amp;D notes", None),
                ),
            ),
        ),
        (RetroTeam("Delivery", ("Demos helped",), (), ("Plan better",)),),
    )
    written = write_okr_page(page)
    assert written == (
        '---\ntitle: "FY20-Q2 OKRs"\n---\n\n'
        "This fiscal quarter will run from May 1, 2019 to July 31, 2019.\n\n"
        "### 1. CEO: Grow\n\n"
        "1. VP Product: Become [data-informed](https://example.com/166) => 27%, 0%, 227%\n"
        "    1. PM, Create: Prioritize Gitaly => 55%\n"
        "1. Tag &lt;none&gt; images &amp; R&amp;amp;D notes\n\n"
        "## Retrospective\n\n"
        "### Delivery\n\n"
        "- GOOD\n  1. Demos helped\n- TRY\n  1. Plan better\n"
    )
    assert read_okr_page(written) == page


# Issue 13: what real pages wrote that the reader refused or misread -------------------------------------------------

UNNUMBERED_HTML = """\
---
title: "Calendar Year 2018 Q3 OKRs"
---

<p class="h3">CEO: Grow Incremental ACV according to plan. IACV at 120% of plan</p>

- VPE
  - Support: Achieved 94.5% CSAT across all customer tickets for Q3.
- CMO: Achieve 3x IACV in Q4 pipeline

<p class="h3">CMO: Popular next generation product.</p>

- Product: Ship the [roadmap](https://example.com/roadmap) => 120%

## Retrospective

### VPE

- Good
  - We hired fast
- Bad
  - Onboarding lagged
- Try
  - A buddy for each hire
"""

# Page 14's shape (FY20-Q1): objectives as unnumbered `<p class="h3">CEO: …</p>` headings, their key results as
# top-level numbered items. The reader used to find no heading it knew and took every numbered item for an objective.
THREE_READ_AS_MANY = """\
---
title: "FY20-Q1 OKRs"
---

FY20-Q1 will run from February 1, 2019 to April 30, 2019.

<p class="h3">CEO: Grow Incremental ACV. More leads.</p>

1. Alliances: Measure the value partners can bring to the business.
1. CRO: Generate IACV from sales to higher tiers.
1. CMO: Recharge Inbound Marketing Engine.
    1. Content Marketing: Broaden audience reach. => 70%

<p class="h3">CEO: Popular next generation product.</p>

1. VPE: Ship secure and defend. => 17%, 36%
1. CPO: Grow use of stages.

<p class="h3">CEO: Great team.</p>

1. CFO: Hire a controller.
"""


def test_unnumbered_html_objectives_are_numbered_in_page_order_and_the_page_says_it_wrote_none():
    report = ImportReport()
    page = read_okr_page(UNNUMBERED_HTML, report=report)
    assert page.quarter == "2018-Q3"
    assert [(objective.number, objective.owner, objective.text) for objective in page.objectives] == [
        (1, "CEO", "Grow Incremental ACV according to plan. IACV at 120% of plan"),
        (2, "CMO", "Popular next generation product."),  # an objective owned by another executive
    ]
    assert page.shape.numbered is False and page.shape.bullet == "-" and page.shape.retro_labels == "title"
    assert ("Objectives", "the page numbers none; they are numbered 1 to 2 in page order") in [
        (note.where, note.what) for note in report.kept
    ]
    assert [team.team for team in page.retro] == ["VPE"]  # "### VPE" has no colon: a team, not an objective
    written = write_okr_page(page)
    assert '\n<p class="h3">CEO: Grow Incremental ACV' in written and "\n- Product: Ship the" in written
    assert "\n- Good\n  - We hired fast" in written and 'title: "Calendar Year 2018 Q3 OKRs"' in written
    assert read_okr_page(written) == page


def test_the_page_whose_three_objectives_were_read_as_many_has_three():
    report = ImportReport()
    page = read_okr_page(THREE_READ_AS_MANY, report=report)
    assert [(objective.number, objective.owner) for objective in page.objectives] == [
        (1, "CEO"),
        (2, "CEO"),
        (3, "CEO"),
    ]
    assert [len(objective.key_results) for objective in page.objectives] == [3, 2, 1]
    assert page.objectives[0].key_results[2].key_results[0].score == 70.0
    assert (page.start, page.end) == (date(2019, 2, 1), date(2019, 4, 30))
    assert report.counts == {
        "objectives": 3,
        "key results": 7,
        "scores": 2,
        "statuses": 0,
        "retro teams": 0,
        "dates": 2,
    }
    assert read_okr_page(write_okr_page(page)) == page


@pytest.mark.parametrize(
    ("line", "text", "percents", "status", "status_text"),
    [
        (
            "CFO: Deliver 10 SQLs through investor outreach 50% ACHIEVED",
            "Deliver 10 SQLs through investor outreach",
            (50.0,),
            "achieved",
            "50% ACHIEVED",
        ),
        (
            "Controller: Reconciliation complete and tested. DONE",
            "Reconciliation complete and tested.",
            (),
            "done",
            "DONE",
        ),
        ("CRO: 100% of reps at 3x pipeline MISSED", "100% of reps at 3x pipeline", (), "missed", "MISSED"),
        (
            "Architect: Vision signed off by the team NOT STARTED",
            "Vision signed off by the team",
            (),
            "not started",
            "NOT STARTED",
        ),
        (
            "CMO: Grow trial pipeline 43% QoQ => Achieved over 2x goal",
            "Grow trial pipeline 43% QoQ",
            (),
            "achieved",
            "=> Achieved over 2x goal",
        ),
        ("VP Prod: Ship the index => **DONE**", "Ship the index", (), "done", "=> **DONE**"),
        ("CRO: Run the pilot SKIPPED", "Run the pilot", (), "skipped", "SKIPPED"),
        (
            "CMO: Increase trials => [Miss](https://example.com/1458)",
            "Increase trials",
            (),
            "missed",
            "=> [Miss](https://example.com/1458)",
        ),
        (
            "Support: Reduce time to solve by 5%. -> Not Hit. SLAs came first.",
            "Reduce time to solve by 5%.",
            (),
            "missed",
            "-> Not Hit. SLAs came first.",
        ),
        ("CRO: Decrease age of deals by 10% ACHIEVED", "Decrease age of deals by 10%", (), "achieved", "ACHIEVED"),
        (
            "CFO: Analytics platform live 50% ACHIEVED - 20% OF METRICS",
            "Analytics platform live",
            (50.0,),
            "achieved",
            "50% ACHIEVED - 20% OF METRICS",
        ),
        ("Platform: Get Geo reliable => 10% done", "Get Geo reliable", (10.0,), None, None),  # progress, not done
        ("VP Eng: Get it done", "Get it done", (), None, None),  # a word in the sentence, not a status
    ],
)
def test_statuses_in_words_are_kept_as_written_without_inventing_a_score(line, text, percents, status, status_text):
    result = one_key_result(line)
    assert (result.text, result.percents, result.status, result.status_text) == (text, percents, status, status_text)
    assert result.score == (percents[0] if percents else None)
    page = read_okr_page(f"# FY20-Q2 OKRs\n\n### 1. CEO: Grow\n\n1. {line}\n")
    assert read_okr_page(write_okr_page(page)) == page
    if status is not None:
        assert f"1. {line}\n" in write_okr_page(page)  # the status is written back as the page wrote it


def test_a_score_above_100_is_kept_and_exported_beside_its_status():
    result = one_key_result("UX Director: [Create products users love](https://example.com/ux) => 120%")
    assert (result.score, result.percents, result.status) == (120.0, (120.0,), None)
    page = read_okr_page("# FY20-Q3 OKRs\n\n### 1. CEO: Grow\n\n1. UX: Delight => 120%\n1. CRO: Close DONE\n")
    exported = page_as_json(page)["objectives"][0]["key_results"]
    assert [(kr["score"], kr["status"], kr["status_text"]) for kr in exported] == [
        (120.0, None, None),
        (None, "done", "DONE"),
    ]
    assert "1. UX: Delight => 120%\n" in write_okr_page(page)


def test_a_page_with_only_its_dates_imports_as_a_quarter_with_no_objectives_to_check():
    report = ImportReport()
    page = read_okr_page(
        '---\ntitle: "FY25-Q14 OKRs"\ndescription: "Objective-Key Results for FY25 Q4."\n---\n\n'
        "This fiscal quarter will run from 2024-11-01 to 2025-01-31.\n\n## OKR Schedule\n\n| Week | Task |\n"
        "| --- | --- |\n| -7 | Themes |\n",
        report=report,
    )
    assert (page.quarter, page.start, page.end, page.objectives) == (
        "FY25-Q4",
        date(2024, 11, 1),
        date(2025, 1, 31),
        (),
    )
    assert [(note.where, note.what) for note in report.kept] == [
        ("Quarter", 'the title "FY25-Q14 OKRs" names no quarter; FY25-Q4 is from the description')
    ]
    assert [(note.where, note.what) for note in report.skipped] == [
        ('Section "OKR Schedule"', "a table of 1 rows, not objectives or key results")
    ]
    assert report.to_check == ["The page has no objectives: the quarter is saved with its dates only."]


def test_a_page_with_a_quarter_and_nothing_else_is_still_refused():
    with pytest.raises(HandbookError) as error:
        read_okr_page("# FY20-Q2 OKRs\n\nWe will grow.\n")
    assert error.value.problem == "I couldn't find any objectives on this page."


def test_a_page_without_a_quarter_is_refused_even_with_objectives_the_reader_found():
    with pytest.raises(HandbookError) as error:
        read_okr_page('<p class="h3">CEO: Grow</p>\n\n- CRO: Close deals DONE\n')
    assert "which quarter" in error.value.problem
