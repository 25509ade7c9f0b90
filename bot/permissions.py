"""Who may do what. Services ask here, so a command, a button, a modal and the console agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import PermissionDenied

if TYPE_CHECKING:
    from slack_sdk import WebClient


@dataclass(frozen=True, slots=True)
class Actor:
    """The Slack user acting, as far as permissions care."""

    user_id: str
    is_admin: bool = False


def operator_of(client: WebClient) -> tuple[str, Actor]:
    """For the command-line tools: the workspace the token belongs to, and the bot acting as an admin on the
    operator's behalf (whoever holds the bot token already controls the workspace's install)."""
    identity = client.auth_test()
    # An org-wide Grid install's client names its workspace in every call (bot/slack/installs.py): auth.test of an
    # org-wide token speaks for the org, so the workspace the client was made for is the one acted in.
    team_id = client.default_params.get("team_id") or identity["team_id"]
    return team_id, Actor(user_id=identity["user_id"], is_admin=True)


def check_may_manage_cadence(actor: Actor, *, created_by: str, recipient_ids: list[str], cadence_id: int) -> None:
    """Pause, resume or remove a reminder: its creator, its recipients or a workspace admin; raises PermissionDenied."""
    if actor.is_admin or actor.user_id == created_by or actor.user_id in recipient_ids:
        return
    raise PermissionDenied(
        f"Only <@{created_by}> (who created reminder #{cadence_id}), its recipients or a workspace admin can change it."
    )


def check_may_answer_nudge(*, target: str, user_id: str, in_channel: bool | None) -> None:
    """A DM nudge is its recipient's to answer, a channel nudge its members' (`in_channel`, as Slack says); raises
    PermissionDenied saying who may."""
    if target.startswith(("U", "W")):
        if target != user_id:
            raise PermissionDenied(f"Only <@{target}>, to whom this reminder was sent, can answer it.")
        return
    if not in_channel:
        raise PermissionDenied(f"Only members of <#{target}> can answer its reminders. Join it to answer this one.")


def check_may_change_workspace_settings(actor: Actor) -> None:
    """Workspace-wide settings (such as the fiscal year start) are for workspace admins; raises PermissionDenied."""
    if not actor.is_admin:
        raise PermissionDenied("Only a workspace admin or owner can change this workspace's settings.")


def role_holders(roles: list[tuple[str, str | None]], *wanted: str) -> list[str]:
    """Slack ids of the people holding any of `wanted` roles, from (role, user_id) pairs."""
    return [user_id for role, user_id in roles if role in wanted and user_id]


def _who(user_ids: list[str], fallback: str) -> str:
    return ", ".join(f"<@{u}>" for u in dict.fromkeys(user_ids)) or fallback


def check_may_edit_charter(
    actor: Actor, *, roles: list[tuple[str, str | None]], group_name: str, created_by: str | None = None
) -> None:
    """Charter, roles and linking people: the group's DRI or facilitator, or a workspace admin; raises
    PermissionDenied.

    `created_by` (who imported or created the group) may too while no DRI or facilitator is a Slack user yet: a page's
    names are not Slack users until someone links them, and the importer is who can.
    """
    leads = role_holders(roles, "DRI", "Facilitator")
    if (
        actor.is_admin
        or actor.user_id in leads
        or (created_by is not None and actor.user_id == created_by and not leads)
    ):
        return
    if created_by is not None and not leads:
        raise PermissionDenied(
            f"Only <@{created_by}>, who set up {group_name}, or a workspace admin can change its charter and roles "
            "until its DRI or facilitator is linked to a Slack user; then the DRI and facilitator can."
        )
    raise PermissionDenied(
        f"Only the DRI or facilitator of {group_name} ({_who(leads, 'none named yet')}) or a workspace admin "
        "can change its charter and roles."
    )


def check_may_change_action_item(
    actor: Actor, *, owner_id: str | None, roles: list[tuple[str, str | None]], item_id: int
) -> None:
    """Close, reopen, reassign or re-date an item: its owner, the DRI or the facilitator; raises PermissionDenied."""
    leads = role_holders(roles, "DRI", "Facilitator")
    if actor.user_id == owner_id or actor.user_id in leads:
        return
    owner = f"its owner <@{owner_id}>" if owner_id else "its owner"
    raise PermissionDenied(
        f"Only {owner}, the DRI or the facilitator ({_who(leads, 'none named yet')}) can change action item #{item_id}."
    )


def check_has_a_role(actor: Actor, *, roles: list[tuple[str, str | None]], group_name: str) -> None:
    """Ticking exit criteria: anyone with a role in the group; raises PermissionDenied."""
    if actor.is_admin or actor.user_id in [user_id for _role, user_id in roles]:
        return
    raise PermissionDenied(
        f"Only people with a role in {group_name} can tick its exit criteria. `/wg roles` lists them."
    )


def check_program_manager(actor: Actor, *, manager_id: str, what: str) -> None:
    """A program's settings: its program manager or a workspace admin; raises PermissionDenied saying who may."""
    if actor.is_admin or actor.user_id == manager_id:
        return
    raise PermissionDenied(f"Only the program manager <@{manager_id}> or a workspace admin can {what}.")
