"""Who may do what. Services ask here, so a command, a button, a modal and the console agree."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import PermissionDenied


@dataclass(frozen=True, slots=True)
class Actor:
    """The Slack user acting, as far as permissions care."""

    user_id: str
    is_admin: bool = False


def check_may_manage_cadence(actor: Actor, *, created_by: str, recipient_ids: list[str], cadence_id: int) -> None:
    """Pause, resume or remove a reminder: its creator, its recipients or a workspace admin; raises PermissionDenied."""
    if actor.is_admin or actor.user_id == created_by or actor.user_id in recipient_ids:
        return
    raise PermissionDenied(
        f"Only <@{created_by}> (who created reminder #{cadence_id}), its recipients or a workspace admin can change it."
    )


def check_may_change_workspace_settings(actor: Actor) -> None:
    """Workspace-wide settings (such as the fiscal year start) are for workspace admins; raises PermissionDenied."""
    if not actor.is_admin:
        raise PermissionDenied("Only a workspace admin or owner can change this workspace's settings.")
