"""Who may answer a nudge, as a rule without Slack (the handler asks Slack who is in the channel)."""

from __future__ import annotations

import pytest

from bot.errors import PermissionDenied
from bot.permissions import Actor, check_may_answer_nudge, check_may_edit_charter


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


IMPORTED_BY_ALICE = {"group_name": "Docs", "created_by": "U_ALICE"}


@pytest.mark.parametrize(
    ("actor", "roles", "refused_with"),
    [
        # Nobody linked yet: the importer manages the group, a stranger is refused and told who can.
        (Actor("U_ALICE"), [("DRI", None), ("Member", "U_BOB")], None),
        (Actor("U_BOB"), [("DRI", None), ("Member", "U_BOB")], "Only <@U_ALICE>, who set up Docs, or a workspace"),
        # A DRI or a facilitator is linked: the usual rule, and the importer is no longer special.
        (Actor("U_ALICE"), [("DRI", "U_DAN")], "Only the DRI or facilitator of Docs (<@U_DAN>)"),
        (Actor("U_ALICE"), [("Facilitator", "U_DAN"), ("DRI", None)], "(<@U_DAN>)"),
        (Actor("U_DAN"), [("DRI", "U_DAN")], None),
        (Actor("U_ALICE"), [("DRI", "U_ALICE")], None),  # the importer who is also the DRI
        (Actor("U_EVE", is_admin=True), [("DRI", "U_DAN")], None),
        # A linked member or sponsor is not a lead: the importer still manages the group.
        (Actor("U_ALICE"), [("Executive Stakeholder", "U_DAN"), ("Member", "U_BOB")], None),
    ],
)
def test_the_importer_manages_the_group_until_a_dri_or_facilitator_is_linked(
    actor: Actor, roles: list[tuple[str, str | None]], refused_with: str | None
) -> None:
    if refused_with is None:
        check_may_edit_charter(actor, roles=roles, **IMPORTED_BY_ALICE)
        return
    with pytest.raises(PermissionDenied) as refused:
        check_may_edit_charter(actor, roles=roles, **IMPORTED_BY_ALICE)
    assert refused_with in refused.value.message


def test_without_a_creator_only_leads_and_admins_edit_the_charter() -> None:
    with pytest.raises(PermissionDenied) as refused:
        check_may_edit_charter(Actor("U_ALICE"), roles=[("DRI", None)], group_name="Docs")
    assert "(none named yet)" in refused.value.message
    check_may_edit_charter(Actor("U_ADA", is_admin=True), roles=[("DRI", None)], group_name="Docs")
