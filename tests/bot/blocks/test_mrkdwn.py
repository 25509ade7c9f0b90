"""The one converter from a handbook page's markdown to Slack mrkdwn: links, emphasis, code, tags, and hostile text."""

from __future__ import annotations

import pytest

from bot.blocks.mrkdwn import page_mrkdwn

HANDBOOK = "https://handbook.gitlab.com"


def convert(markdown: str, handbook_url: str = HANDBOOK) -> str:
    return page_mrkdwn(markdown, handbook_url=handbook_url)


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        # links: markdown, HTML, autolinks and bare URLs; relative handbook links made absolute
        (
            "our [dual flywheel](/handbook/company/strategy/#dual-flywheels) strategy",
            "our <https://handbook.gitlab.com/handbook/company/strategy/#dual-flywheels|dual flywheel> strategy",
        ),
        ("[Epic](https://gitlab.com/groups/x/-/epics/1880)", "<https://gitlab.com/groups/x/-/epics/1880|Epic>"),
        ('<a href="/handbook/values/">values</a>', "<https://handbook.gitlab.com/handbook/values/|values>"),
        ("<https://about.gitlab.com>", "<https://about.gitlab.com|https://about.gitlab.com>"),
        ("see https://docs.gitlab.com/ee/.", "see <https://docs.gitlab.com/ee/|https://docs.gitlab.com/ee/>."),
        ("[**bold** label](https://e.com)", "<https://e.com|bold label>"),
        ("[a|b](https://e.com/x|y)", "<https://e.com/x%7Cy|a|b>"),
        ("[q](https://e.com/?a=1&b=2)", "<https://e.com/?a=1&amp;b=2|q>"),
        # emphasis, strike, code
        ("We did **overall** well", "We did *overall* well"),
        ("__strong__ and *em* and _em_", "*strong* and _em_ and _em_"),
        ("~~gone~~", "~gone~"),
        ("run `git push --force` **now**", "run `git push --force` *now*"),
        ("`**not bold**`", "`**not bold**`"),
        ("snake_case_name and 5 * 3", "snake_case_name and 5 * 3"),
        # HTML dropped as the inline reader drops it; entities and mojibake read
        ("one<br>two", "one\ntwo"),
        ("a <b>bold</b> <!-- note --> tag", "a bold  tag"),
        ("R&amp;D &mdash; done", "R&amp;D — done"),
        ("Director, Product Marketing â€” Customer Advocacy", "Director, Product Marketing — Customer Advocacy"),
        ("", ""),
    ],
)
def test_markdown_reads_as_slack_formats_it(markdown: str, mrkdwn: str) -> None:
    assert convert(markdown) == mrkdwn


def test_the_handbook_base_is_configurable_and_a_trailing_slash_is_not_doubled() -> None:
    assert convert("[a](/handbook/x/)", "https://internal.example/") == "<https://internal.example/handbook/x/|a>"


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("<!channel> please look", "&lt;!channel&gt; please look"),
        ("ping <@U1> and <!here|here>", "ping &lt;@U1&gt; and &lt;!here|here&gt;"),
        # a Slack-style link typed in: an autolink whose text is its whole address, nothing hidden behind a label
        ("<https://evil.example|innocent>", "<https://evil.example%7Cinnocent|https://evil.example|innocent>"),
        ("[x](javascript:alert(1))", "x"),
        ("[click](JavaScript:alert(document.cookie))", "click"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "x"),
        ("[<!channel>](https://e.com)", "<https://e.com|&lt;!channel&gt;>"),
        ("[ok](https://e.com|<!channel>)", "<https://e.com%7C&lt;!channel&gt;|ok>"),
        ("[ok](https://e.com><!channel>)", "<https://e.com&gt;&lt;!channel&gt;|ok>"),
        ("`<@U1>`", "`&lt;@U1&gt;`"),
        ("&lt;!channel&gt;", "&lt;!channel&gt;"),
        ("\\<!channel\\>", "&lt;!channel&gt;"),
        ("[x](../relative/page) [y](#anchor) [z](//evil.example/p)", "x y z"),
        ("forged \ue010 0\ue011 placeholder \ue000 0\ue001", "forged  0 placeholder  0"),
    ],
)
def test_nobody_can_smuggle_a_mention_or_a_link_in(hostile: str, shown: str) -> None:
    converted = convert(hostile)
    assert converted == shown
    # Every `<` left is one of our own links to a web address.
    for piece in converted.split("<")[1:]:
        assert piece.startswith(("https://", "http://")), converted
