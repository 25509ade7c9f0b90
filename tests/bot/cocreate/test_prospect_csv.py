import pytest

from bot.cocreate.prospect_csv import HEADER, ProspectRow, read_prospects, write_prospects
from bot.cocreate.rules import Criterion, Subscription, Tier
from bot.errors import UserError

C = Criterion
# Headers as people write them: any case and spacing, criteria by key or by the seed's label.
GOOD_HEADER = ",".join(
    [
        "Organization",
        " CSM ",
        "AE",
        "SA",
        "Subscription",
        "Seats",
        "Industry",
        "Tech Stack Overlap",
        "Number of public issues and merge requests created",
        "feature_usage",
        "Tier and seats",
        "industry_focus",
        "Previous open source contribution experience",
        "usage_growth",
        "relationship_strength",
        "Tier override",
        "Tier reason",
    ]
)
GOOD = (
    GOOD_HEADER
    + """
Acme Corp,U0CSM1,@alex,<@U0SA01>,Ultimate,"1,200",Finance,yes,4,3,5,5,2,3,4,,
Globex,@casey,,,free,40,Telco,no,0,1,1,5,0,,,2,"Strong champion,
and a new CTO"
Initech,,,,,,,,,,,,,,,,

=Evil(),U0CSM2,,,PREMIUM,0,-,TRUE,,,,,,,,,
"""
)


def test_a_good_file_reads_every_field():
    rows = read_prospects(GOOD)
    assert [row.org for row in rows] == ["Acme Corp", "Globex", "Initech", "=Evil()"]
    acme, globex, initech, evil = rows
    assert acme == ProspectRow(
        org="Acme Corp",
        csm="U0CSM1",
        ae="@alex",
        sa="U0SA01",
        subscription=Subscription.ULTIMATE,
        seats=1200,
        industry="Finance",
        tech_stack_overlap=True,
        scores=dict(zip(Criterion, [4, 3, 5, 5, 2, 3, 4], strict=True)),
    )
    assert acme.tier is Tier.HIGH and globex.computed_tier is Tier.FUTURE
    assert (globex.tier_override, globex.tier_reason, globex.tier) == (
        Tier.MEDIUM,
        "Strong champion,\nand a new CTO",
        Tier.MEDIUM,
    )
    assert globex.scores[C.USAGE_GROWTH] is None and globex.scores[C.PUBLIC_ISSUES_MRS] == 0
    assert initech == ProspectRow("Initech") and initech.tier is Tier.FUTURE
    assert list(initech.scores) == list(Criterion) and set(initech.scores.values()) == {None}
    assert (evil.subscription, evil.seats, evil.industry, evil.tech_stack_overlap) == ("premium", 0, "-", True)


def test_a_good_file_round_trips():
    rows = read_prospects(GOOD)
    written = write_prospects(rows)
    assert written.splitlines()[0] == ",".join(HEADER)
    assert read_prospects(written) == rows
    assert write_prospects(read_prospects(written)) == written
    assert "'=Evil()" in written and ",'-," in written  # a spreadsheet shows these as text instead of running them


def test_the_written_file_has_the_documented_header_order():
    assert write_prospects([]) == (
        "org,csm,ae,sa,subscription,seats,industry,tech_stack_overlap,public_issues_mrs,feature_usage,"
        "tier_and_seats,industry_focus,prior_oss_contribution,usage_growth,relationship_strength,"
        "tier_override,tier_reason\n"
    )


def test_text_that_starts_with_a_quote_mark_round_trips():
    rows = [ProspectRow("'quoted' Ltd", industry="'=x", tier_override=Tier.FUTURE, tier_reason="+1 from Sam")]
    assert read_prospects(write_prospects(rows)) == rows


def test_columns_may_come_in_any_order_and_only_org_is_needed():
    rows = read_prospects("Seats,relationship strength,Name\n250,5,Hooli\r\n,,Pied Piper\r\n")
    assert rows == [
        ProspectRow("Hooli", seats=250, scores={C.RELATIONSHIP_STRENGTH: 5}),
        ProspectRow("Pied Piper"),
    ]


def test_a_byte_order_mark_and_an_unnamed_empty_column_are_ignored():
    assert read_prospects("\ufefforg,,seats\nAcme,,3\n") == [ProspectRow("Acme", seats=3)]


HEAD = "org,seats,subscription,feature_usage,tier_override,tier_reason,csm,tech_stack_overlap"


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        # line 3: seats "many"
        (["Acme,10,free,1,,,,", "Globex,many,free,1,,,,", "Initech,1,free,1,,,,"], "Line 3: the seats `many`"),
        # line 5: a score of 7
        (
            ["A,1,,,,,,", "B,2,,,,,,", "C,3,,,,,,", "D,4,,7,,,,"],
            "Line 5: the score for “Usage of specific GitLab features” can't be `7`.",
        ),
        # line 4: no organization name
        (["A,1,,,,,,", "B,2,,,,,,", " ,3,free,,,,,"], "Line 4: the organization name (`org`) is empty."),
        (
            ["A,1,gold,,,,,"],
            "Line 2: there is no subscription `gold`. The subscription is `free`, `premium` or `ultimate`",
        ),
        (["A,1,,,4,why,,"], "Line 2: there is no tier `4`."),
        (["A,1,,,1,,,"], "Line 2: setting the tier to 1 by hand needs a reason."),
        (["A,1,,,,because,,"], "Line 2: a tier reason only goes with a tier set by hand."),
        (["A,1,,,,,Jane Doe,"], "Line 2: the CSM `Jane Doe` isn't a Slack user"),
        (["A,1,,,,,,maybe"], "Line 2: `tech_stack_overlap` is `yes` or `no`, not `maybe`."),
        (["A,-3,,,,,,"], "Line 2: the seats `-3`"),
        (["A,1,,,,,,,surplus"], "Line 2: it has 9 values but the first line names 8 columns."),
        (["Acme,1,,,,,,", "Globex,2,,,,,,", "  acme ,3,,,,,,"], "Line 4: `acme` is already on line 2."),
        (["A" * 201 + ",1,,,,,,"], "Line 2: the organization name is 201 characters; the limit is 200."),
        (['"Multi', 'line",1,,,,,,', "B,x,,,,,,"], "Line 4: the seats `x`"),  # a quoted line break is two lines
        (["", "A,1,,,,,,", "", "B,x,,,,,,"], "Line 5: the seats `x`"),  # blank lines still count
        (["A,1,,,,,,", '"B,2,,,,,,'], "Line 3: I couldn't read the quoting"),
        (["A\x00,1,,,,,,"], "Line 2: it holds a NUL character"),
    ],
)
def test_a_bad_row_is_refused_naming_its_line(lines, problem):
    with pytest.raises(UserError) as caught:
        read_prospects("\n".join([HEAD, *lines]) + "\n")
    assert problem in caught.value.problem
    assert caught.value.problem.count("Line ") == 1


def test_every_bad_row_is_named_at_once():
    text = "\n".join([HEAD, "A,many,,,,,,", "B,1,,,,,,", "C,1,,9,,,,", "A,1,,,,,,"])
    with pytest.raises(UserError) as caught:
        read_prospects(text)
    assert caught.value.problem.splitlines() == [
        "Line 2: the seats `many` aren't a whole number of seats, e.g. `250`.",
        "Line 4: the score for “Usage of specific GitLab features” can't be `9`. Score each criterion with a whole "
        "number from 0 (none) to 5 (strongest).",
    ]
    assert "nothing from it is saved" in caught.value.usage


def test_a_long_list_of_bad_rows_is_cut_short():
    text = "org,seats\n" + "".join(f"Org {n},lots\n" for n in range(15))
    with pytest.raises(UserError) as caught:
        read_prospects(text)
    lines = caught.value.problem.splitlines()
    assert len(lines) == 11 and lines[0].startswith("Line 2:") and lines[-1] == "…and 5 more bad lines."


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("org,charisma,Budget owner\nAcme,5,x\n", "Line 1 names columns I don't know: `charisma`, `Budget owner`."),
        ("seats,csm\n1,U0X\n", "Line 1 has no `org` column"),
        ("org,Organization\nA,B\n", "Line 1 has `org` and `Organization`, which are the same column."),
        ("feature_usage,Usage of specific GitLab features,org\n", "which are the same column"),
        ("\n\n", "The file is empty."),
        ("", "The file is empty."),
        ("\n\norg,nope\n", "Line 3 names a column I don't know: `nope`."),
    ],
)
def test_a_bad_header_is_refused(text, problem):
    with pytest.raises(UserError) as caught:
        read_prospects(text)
    assert problem in caught.value.problem
    assert "`org` (required)" in caught.value.usage


def test_a_value_under_an_unnamed_column_is_refused():
    with pytest.raises(UserError) as caught:
        read_prospects("org,,seats\nAcme,oops,3\n")
    assert caught.value.problem == "Line 2: it has the value `oops` under a column with no name."


def test_user_text_in_errors_is_escaped():
    with pytest.raises(UserError) as caught:
        read_prospects("org,seats\n<!channel>,<@U1>\n")
    assert "`@U1`" in caught.value.problem and "<@U1>" not in caught.value.problem  # as typed, never live
