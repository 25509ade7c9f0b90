"""Who may answer a nudge, as a rule without Slack (the handler asks Slack who is in the channel)."""

from __future__ import annotations

import pytest

from bot.errors import PermissionDenied
from bot.permissions import check_may_answer_nudge


@pytest.mark.parametrize(
    ("target", "user_id", "in_channel", "refused_with"),
    [
        ("U_ALICE", "U_ALICE", None, None),  # a DM nudge, by its recipient
        ("U_ALICE", "U_BOB", None, "Only <@U_ALICE>, to whom this reminder was sent"),
        ("W_ALICE", "U_BOB", None, "Only <@W_ALICE>"),  # an Enterprise Grid user id
        ("C_TEAM", "U_BOB", True, None),  # a channel nudge, by a member
        ("C_TEAM", "U_BOB", False, "Only members of <#C_TEAM>"),
        ("G_SECRET", "U_BOB", None, "Only members of <#G_SECRET>"),  # membership unknown: refused
    ],
)
def test_a_nudge_is_answered_by_its_recipient_or_its_channels_members(
    target: str, user_id: str, in_channel: bool | None, refused_with: str | None
) -> None:
    if refused_with is None:
        check_may_answer_nudge(target=target, user_id=user_id, in_channel=in_channel)
        return
    with pytest.raises(PermissionDenied) as refused:
        check_may_answer_nudge(target=target, user_id=user_id, in_channel=in_channel)
    assert refused_with in refused.value.message
