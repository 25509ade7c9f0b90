"""Co-create in a newcomer's first week (issue 14), through signed requests: the pipeline says which days its quarter
covers and how much is left, an empty pipeline says how to add the first prospect, counts agree with their nouns,
"organization" is spelt one way (the seed's), and a partly scored prospect says it is partial."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import Prospect

ROOT = Path(__file__).resolve().parents[2]
MONDAY = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)  # the first week of FY26-Q1 (1 Feb – 30 Apr 2025)
ADD_FIRST = ('`/cocreate add "Acme Corp"`', "`python app.py cocreate import prospects.csv`")


def cocreate(app: AppClient, text: str, *, user: str = "U_ADMIN", at: datetime = MONDAY):
    with time_machine.travel(at, tick=False):
        return app.command("/cocreate", text, user=user, channel="C_GENERAL")


def set_up(app: AppClient) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")


def add(app: AppClient, slack: SlackStandIn, name: str, *, user: str = "U_BOB", scores: dict | None = None):
    """`/cocreate add "Org"`, then Save on the form (with the scores picked, if any); returns the form's answer."""
    cocreate(app, f'add "{name}"', user=user)
    form = slack.views_opened()[-1]
    state = {"cocreate.prospect.org": {"type": "plain_text_input", "value": name}}
    for key, value in (scores or {}).items():
        state[f"cocreate.prospect.score.{key}"] = {"type": "static_select", "selected_option": {"value": str(value)}}
    with time_machine.travel(MONDAY, tick=False):
        return app.submit(form, {block: {block: value} for block, value in state.items()}, user=user)


def header_of(reply) -> str:
    return next(b["text"]["text"] for b in reply["blocks"] if b["type"] == "header")


def shown(reply) -> str:
    """The text of every block, as the person reads it."""
    return "\n".join(b["text"]["text"] for b in reply["blocks"] if "text" in b)


# ---- 1. the pipeline's quarter: its days and how much is left ------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "label", "shown"),
    [
        (datetime(2025, 3, 17, 9, 0, tzinfo=UTC), "", "FY26-Q1 · 1 Feb – 30 Apr 2025 · 6 weeks left"),
        (datetime(2025, 4, 20, 9, 0, tzinfo=UTC), "", "FY26-Q1 · 1 Feb – 30 Apr 2025 · 1 week left"),
        (datetime(2025, 4, 24, 9, 0, tzinfo=UTC), "", "FY26-Q1 · 1 Feb – 30 Apr 2025 · last week"),
        (datetime(2025, 4, 28, 9, 0, tzinfo=UTC), "", "FY26-Q1 · 1 Feb – 30 Apr 2025 · 3 days left"),
        (datetime(2025, 4, 30, 9, 0, tzinfo=UTC), "", "FY26-Q1 · 1 Feb – 30 Apr 2025 · last day"),
        (datetime(2025, 5, 6, 9, 0, tzinfo=UTC), " FY26-Q1", "FY26-Q1 · 1 Feb – 30 Apr 2025 · ended"),
        (datetime(2025, 3, 17, 9, 0, tzinfo=UTC), " FY26-Q2", "FY26-Q2 · 1 May – 31 Jul 2025 · starts in 6 weeks"),
        (datetime(2025, 11, 3, 9, 0, tzinfo=UTC), "", "FY26-Q4 · 1 Nov 2025 – 31 Jan 2026 · 12 weeks left"),
    ],
)
def test_the_pipeline_names_its_quarters_days_and_how_much_is_left(
    app: AppClient, db: Session, slack: SlackStandIn, at: datetime, label: str, shown: str
) -> None:
    set_up(app)
    reply = cocreate(app, f"pipeline{label}", at=at)
    assert header_of(reply) == f"Co-create pipeline {shown}"
    assert reply.text.startswith(f"Co-create pipeline {shown}:")


def test_how_much_of_the_quarter_is_left_is_counted_in_the_readers_own_day(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    set_up(app)
    # 1 May 2025 at 02:00 UTC: still 30 April in New York (Bob), already FY26-Q2 for Ada (UTC).
    at = datetime(2025, 5, 1, 2, 0, tzinfo=UTC)
    assert header_of(cocreate(app, "pipeline", user="U_BOB", at=at)).endswith(
        "FY26-Q1 · 1 Feb – 30 Apr 2025 · last day"
    )
    assert header_of(cocreate(app, "pipeline", at=at)).endswith("FY26-Q2 · 1 May – 31 Jul 2025 · 13 weeks left")


def test_the_weekly_digest_names_the_quarters_days_too(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    from bot.cadence import dispatcher

    set_up(app)
    add(app, slack, "Acme Corp")
    dispatcher.tick(datetime(2025, 2, 10, 9, 0, tzinfo=UTC), client=slack_client)  # the first Monday digest
    [digest] = [m for m in slack.messages("C_GENERAL") if m["text"].startswith("Co-create pipeline")]
    assert "FY26-Q1 · 1 Feb – 30 Apr 2025 · 11 weeks left" in header_of(digest)


# ---- 1. an empty pipeline says how to add the first prospect -------------------------------------------------------


def test_an_empty_pipeline_says_how_to_add_the_first_prospect(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    set_up(app)
    pipeline = shown(cocreate(app, "pipeline"))
    assert "no uncontacted prospects left" not in pipeline
    assert "There are no prospects yet" in pipeline and all(how in pipeline for how in ADD_FIRST)
    assert "(3x the 7 projects still needed)" in pipeline
    # The README gives the same two ways in.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '/cocreate add ["Acme Corp"]' in readme and "python app.py cocreate import prospects.csv" in readme


def test_a_pipeline_whose_prospects_are_all_contacted_says_how_to_add_more(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    set_up(app)
    every = {c: 3 for c in ("public_issues_mrs", "feature_usage", "tier_and_seats", "industry_focus")}
    every |= {c: 3 for c in ("prior_oss_contribution", "usage_growth", "relationship_strength")}
    add(app, slack, "Acme Corp", scores=every)
    cocreate(app, 'start "Acme Corp"', user="U_BOB")
    cocreate(app, 'step "Acme Corp" contact done', user="U_BOB")  # contacted, and fully scored
    pipeline = shown(cocreate(app, "pipeline"))
    assert "no uncontacted prospects left" not in pipeline and "There are no prospects yet" not in pipeline
    assert "Every open prospect is contacted and scored; to add more" in pipeline
    assert all(how in pipeline for how in ADD_FIRST)


# ---- 2. counts agree with their nouns -----------------------------------------------------------------------------


def test_one_late_step_is_one_step_in_the_owners_dm(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    from bot.cadence import dispatcher

    set_up(app)
    add(app, slack, "Acme Corp")
    add(app, slack, "Globex")
    cocreate(app, 'start "Acme Corp"', user="U_ALICE")  # contact due Mon 3 Feb: late from Tuesday
    dispatcher.tick(datetime(2025, 2, 4, 9, 0, tzinfo=UTC), client=slack_client)
    cocreate(app, 'start "Globex"', user="U_ALICE")
    dispatcher.tick(datetime(2025, 2, 5, 9, 0, tzinfo=UTC), client=slack_client)
    one, two = [m for m in slack.messages("U_ALICE") if "late co-create" in m["text"]]
    assert one["text"] == "You have 1 late co-create outreach step"
    assert "*You have 1 late co-create outreach step.*" in str(one["blocks"]) and "Tick it on" in str(one["blocks"])
    assert two["text"] == "You have 2 late co-create outreach steps"
    assert "1 of your" not in str(one["blocks"]) + str(two["blocks"])


def test_one_contribution_one_project_and_one_open_step_are_singular(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    from bot.cadence import dispatcher

    set_up(app)
    add(app, slack, "Acme Corp")
    db.execute(Prospect.__table__.update().values(csm_id="U_BOB"))
    db.commit()
    cocreate(app, 'start "Acme Corp"', user="U_BOB")
    assert cocreate(app, "steps", user="U_BOB").text == "6 open outreach steps"
    first = cocreate(app, 'contribution "Acme Corp" mr https://gitlab.example/acme/-/merge_requests/1', user="U_BOB")
    assert "*Acme Corp* has 1 contribution." in first.text and "1 contribution(s)" not in first.text
    second = cocreate(app, 'contribution "Acme Corp" issue https://gitlab.example/acme/-/issues/2', user="U_BOB")
    assert "*Acme Corp* has 2 contributions." in second.text
    assert "of organizations contributed more than once" in second.text

    for step in ("contact", "follow-up", "meeting", "outcomes"):
        cocreate(app, f'step "Acme Corp" {step} done', user="U_BOB")
    cocreate(app, 'step "Acme Corp" started reassign <@U_ALICE|alice>', user="U_BOB")
    mine = cocreate(app, "steps", user="U_BOB")
    assert mine.text == "1 open outreach step"  # only "contributions tracked" is Bob's and open

    cocreate(app, 'outcome "Acme Corp" started', user="U_BOB")
    dispatcher.tick(datetime(2025, 5, 5, 10, 0, tzinfo=UTC), client=slack_client)  # FY26-Q2's business review
    [review] = [m for m in slack.messages("U_BOB") if "business review" in m["text"]]
    assert "*Acme Corp*: 2 contributions since the project" in str(review["blocks"])
    assert "Program: 2 contributions" in str(review["blocks"])

    assert "1 project a quarter" in shown(cocreate(app, "targets projects 1"))
    assert "2 projects a quarter" in shown(cocreate(app, "targets projects 2"))
    # Two a quarter, one started: the pipeline is short of 3x the one still needed.
    assert "(3x the 1 project still needed)" in shown(cocreate(app, "pipeline"))


def test_a_top_list_of_one_is_the_top_prospect(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    set_up(app)
    add(app, slack, "Acme Corp")
    add(app, slack, "Globex")
    one = cocreate(app, "top 1")
    assert one.text == "Top prospect" and header_of(one) == "Top co-create prospect"
    assert header_of(cocreate(app, "top 2")) == "Top 2 co-create prospects"


def test_removing_a_resource_that_isnt_there_counts_the_ones_that_are(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    set_up(app)
    assert "There's no resource 1; there are none." in cocreate(app, "resources remove 1").text
    cocreate(app, 'resources add "NDA" https://docs.example/nda')
    assert "There's no resource 2; there is 1." in cocreate(app, "resources remove 2").text
    cocreate(app, 'resources add "Security review" https://docs.example/sec')
    assert "There's no resource 3; there are 2." in cocreate(app, "resources remove 3").text


def test_the_csv_import_counts_one_prospect_as_one(
    tmp_path, database_url: str, slack: SlackStandIn, db: Session
) -> None:
    import os
    import subprocess
    import sys

    from tests.handlers.test_cocreate import set_up_by_the_admin

    set_up_by_the_admin()
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.url, "DATABASE_URL": database_url}
    one = tmp_path / "one.csv"
    one.write_text("org,seats\nAcme Corp,500\n")
    many_bad = tmp_path / "bad.csv"
    many_bad.write_text("org,seats\n" + "".join(f"Org {n},many\n" for n in range(11)))

    def run(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "app.py", "cocreate", "import", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    imported = run(one)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "Imported 1 prospect (1 new, 0 updated)"
    refused = run(many_bad)  # eleven bad lines: ten shown, then the one more
    assert refused.returncode == 1 and "…and 1 more bad line." in refused.stderr


def test_counts_in_co_create_wording_agree_with_their_nouns() -> None:
    from bot.cocreate.rules import counted

    assert [counted(n, "step") for n in (0, 1, 2, 1200)] == ["0 steps", "1 step", "2 steps", "1,200 steps"]
    assert counted(1, "criterion", "criteria") == "1 criterion" and counted(3, "criterion", "criteria") == "3 criteria"


# ---- 2. one spelling: "organization", as the handbook seed writes it -----------------------------------------------


def test_the_form_and_its_errors_say_organization_as_the_seed_does(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    seed = (ROOT.parent / "shared" / "seeds" / "co-create-action-plan-fy26q1.md").read_text(encoding="utf-8")
    assert "organizations" in seed and "organisation" not in seed
    set_up(app)
    cocreate(app, 'add ""', user="U_BOB")
    cocreate(app, "add", user="U_BOB")
    form = slack.views_opened()[-1]
    labels = [b["label"]["text"] for b in form["blocks"] if b["type"] == "input"]
    assert labels[0] == "Organization"
    blank = app.submit(form, {"cocreate.prospect.org": {"cocreate.prospect.org": {"value": "  "}}}, user="U_BOB")
    assert blank["errors"] == {"cocreate.prospect.org": "Name the organization."}
    long = app.submit(form, {"cocreate.prospect.org": {"cocreate.prospect.org": {"value": "A" * 201}}}, user="U_BOB")
    assert "The organization's name is 201 characters long" in long["errors"]["cocreate.prospect.org"]
    missing = cocreate(app, "score Acme oss 3", user="U_BOB")
    assert "organization name" in missing.text
    assert db.scalars(select(Prospect)).all() == []


def test_co_create_writes_organization_one_way_everywhere() -> None:
    """Every co-create file and its README section: the British spelling only as a CSV header it also reads."""
    files = [*sorted((ROOT / "bot" / "cocreate").rglob("*.py")), *sorted((ROOT / "handlers" / "cocreate").glob("*.py"))]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Co-create outreach") :]
    section = section[: section.index("\n## ", 1)]
    found = [
        f"{path.name}: {line.strip()}"
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search("organis", line, re.IGNORECASE) and '"organisation": Column.ORG' not in line
    ]
    found += [line for line in section.splitlines() if re.search("organis", line, re.IGNORECASE)]
    assert found == []


# ---- 2. a partly scored prospect says it is partial ----------------------------------------------------------------


def test_a_partly_scored_prospect_says_how_many_criteria_are_scored(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    set_up(app)
    add(app, slack, "Acme Corp")
    add(app, slack, "Globex")
    partial = cocreate(app, 'score "Acme Corp" public-issues 4 relationship 3', user="U_BOB")
    assert re.fullmatch(
        r":white_check_mark: \*Acme Corp\* scores 70/100 \(partial: 2 of 7 criteria scored\), tier [123]\.",
        partial.text,
    )
    full = cocreate(
        app,
        'score "Globex" public-issues 5 feature-usage 5 tier-seats 5 industry 5 oss 5 growth 5 relationship 5',
        user="U_BOB",
    )
    assert "scores 100/100, tier" in full.text and "partial" not in full.text
    top = shown(cocreate(app, "top")).splitlines()
    [acme] = [line for line in top if "Acme Corp" in line]
    [globex] = [line for line in top if "Globex" in line]
    assert acme.endswith("· 70/100 (partial: 2 of 7 criteria scored)") and globex.endswith("· 100/100")


def test_a_prospect_saved_with_some_scores_from_the_form_says_it_is_partial(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    set_up(app)
    assert add(app, slack, "Initech", scores={"public_issues_mrs": 4, "prior_oss_contribution": 2}).body == ""
    confirmation = slack.messages("U_BOB")[-1]["text"]
    assert "*Initech* scores 60/100 (partial: 2 of 7 criteria scored)" in confirmation
    assert add(app, slack, "Umbrella").body == ""
    assert "*Umbrella* is not scored yet, tier" in slack.messages("U_BOB")[-1]["text"]


def test_one_stalled_prospect_is_one_prospect_past_its_share(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    from bot.cadence import dispatcher

    set_up(app)
    add(app, slack, "Acme Corp")
    cocreate(app, 'start "Acme Corp"', user="U_ALICE")  # contact began Mon 3 Feb; its share is 7 days
    for monday in (10, 17):
        dispatcher.tick(datetime(2025, 2, monday, 9, 0, tzinfo=UTC), client=slack_client)
    digests = [m for m in slack.messages("C_GENERAL") if m["text"].startswith("Co-create pipeline")]
    stalled = shown(digests[-1])
    assert "1 prospect stalled past its share of the 8–10 week window" in stalled
    assert "*Acme Corp*: Initial contact through dedicated Slack channel for 14 days" in stalled
    assert digests[-1]["text"].endswith(": 0/7 projects")
