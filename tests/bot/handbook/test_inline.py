import pytest

from bot.handbook.inline import Inline, Link, escape_inline, link_markdown, plain_text, read_inline, repair_mojibake

SLACK_JOIN = "https://join.slack.com/share/enQtMzY4"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("TBD", Inline("TBD")),
        ("", Inline("")),
        (
            f"[#wg_ent-mkt-leadership]({SLACK_JOIN}) (only accessible by GitLab team members)",
            Inline(
                "#wg_ent-mkt-leadership (only accessible by GitLab team members)",
                (Link("#wg_ent-mkt-leadership", SLACK_JOIN),),
            ),
        ),
        (
            '<a href="https://docs.google.com/document/d/x/edit">Agenda</a>',
            Inline("Agenda", (Link("Agenda", "https://docs.google.com/document/d/x/edit"),)),
        ),
        ("<a href='https://x.test/a'>**Board**</a>", Inline("Board", (Link("Board", "https://x.test/a"),))),
        (
            "<https://gitlab.com/groups/x>",
            Inline("https://gitlab.com/groups/x", (Link(*["https://gitlab.com/groups/x"] * 2),)),
        ),
        (
            "see https://x.test/doc.",
            Inline("see https://x.test/doc.", (Link("https://x.test/doc", "https://x.test/doc"),)),
        ),
        ('[Epic](https://x.test/e "the epic")', Inline("Epic", (Link("Epic", "https://x.test/e"),))),
        ("[Spec](<https://x.test/a b>)", Inline("Spec", (Link("Spec", "https://x.test/a b"),))),
        (
            "[Wiki](https://en.wikipedia.org/wiki/Foo_(bar))",
            Inline("Wiki", (Link("Wiki", "https://en.wikipedia.org/wiki/Foo_(bar)"),)),
        ),
        ("![logo](logo.png) Team", Inline("logo Team", (Link("logo", "logo.png"),))),
    ],
)
def test_links_are_set_aside_and_their_text_kept(markdown, expected):
    assert read_inline(markdown) == expected


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("Director,<br>Security", "Director,\nSecurity"),
        ("Director,<br/>Security<BR />Office", "Director,\nSecurity\nOffice"),
        ("<strong>VP</strong>, <em>Product</em>", "VP, Product"),
        ("<span class='x'>Label</span>", "Label"),
        ("AT&amp;T &mdash; R&eacute;mi &#39;quoted&#39; &lt;tag&gt;", "AT&T — Rémi 'quoted' <tag>"),
        ("a < b and c > d", "a < b and c > d"),
        ("**bold** __strong__ *em* _em_ ~~gone~~", "bold strong em em gone"),
        ("#wg_leading-organizations", "#wg_leading-organizations"),
        ("snake_case_name and 2 * 3 * 4", "snake_case_name and 2 * 3 * 4"),
        ("`code | with *stars*`", "code | with *stars*"),
        (r"\*not emphasis\* and a \| pipe", "*not emphasis* and a | pipe"),
        ("  lots   of\tspace  ", "lots of space"),
        ("<!-- hidden --> shown", "shown"),
    ],
)
def test_html_emphasis_and_entities_become_plain_text(markdown, text):
    assert plain_text(markdown) == text


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("Director, Product Marketing â€” Customer Advocacy", "Director, Product Marketing — Customer Advocacy"),
        ("Itâ€™s done", "It’s done"),
        ("cafÃ©", "café"),
        ("naïve — fine already", "naïve — fine already"),
        ("Ã alone", "Ã alone"),
    ],
)
def test_utf8_read_as_windows_1252_is_repaired_and_real_text_left_alone(broken, repaired):
    assert repair_mojibake(broken) == repaired
    assert plain_text(broken) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "*stars*",
        "AT&amp;T",
        "a\\|b",
        "[x] not a link",
        "snake_case",
        "<b>not a tag</b>",
        "https://x.test/a_b_c",
        "~~kept~~",
        "`ticks`",
    ],
)
def test_escaped_text_reads_back_as_the_same_text(text):
    assert plain_text(escape_inline(text)) == text


def test_text_that_needs_no_escaping_is_written_as_is():
    assert escape_inline("VP, Product Marketing") == "VP, Product Marketing"
    assert escape_inline("wg_leading-organizations") == "wg_leading-organizations"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Agenda", "https://docs.google.com/document/d/x/edit?usp=sharing"),
        ("a [bracketed] title", "https://x.test/a"),
        ("odd url", "https://x.test/a b(c)"),
        ("&4567", "https://gitlab.com/groups/gitlab-org/-/epics/4567"),
    ],
)
def test_written_links_read_back_as_the_same_text_and_url(text, url):
    assert read_inline(link_markdown(text, url)) == Inline(text, (Link(text, url),))
