import pytest

from bot.working_groups.service import channel_note


@pytest.mark.parametrize("written", ["wg_docs", "#wg_docs", "#WG_Docs"])
def test_the_pages_own_channel_needs_no_note(written):
    assert channel_note(written, "wg_docs") is None


def test_another_channel_or_an_unknown_one_is_named_in_the_note():
    assert channel_note("#wg_docs", "team").startswith(
        "The page names #wg_docs as its channel; the group lives in #team"
    )
    assert "the group lives in this channel" in channel_note("wg_docs", None)
