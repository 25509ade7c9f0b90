"""After an import: the importer's reply with the import report, and linking the page's people to Slack users
(the Link people form, its reader, and what its submitter is told).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks.common import (
    USER_ID,
    Message,
    button,
    element_state,
    ephemeral,
    more_note,
    packed_sections,
    plain,
    section,
)
from bot.errors import UserError
from bot.handbook.report import ImportReport
from bot.slack.people import PersonMatch
from bot.text import escape
from bot.working_groups import ids
from bot.working_groups.blocks.pieces import channel
from bot.working_groups.rules import LinkOutcome, lead_ids, role_label
from models import WorkingGroup, WorkingGroupMember

LINK_FORM_LIMIT = 40  # people per link form (an input each); the rest come in the next `/wg people`
LABEL_LIMIT = 150  # an input's label: Slack allows 2000, a person and their role fit in far less
REPORT_SECTIONS = 4


def import_reply(group: WorkingGroup, report: ImportReport, *, created: bool, unlinked: int) -> Message:
    """The importer's answer to `/wg import`: what was saved, the import report, and a Link people button while some
    of the page's people are not Slack users yet (the button carries the group id)."""
    name = escape(group.name)
    saved = f"Saved the working group *{name}*." if created else f"Saved the new charter of *{name}*."
    blocks = [
        section(f":white_check_mark: {saved} Its charter is in {channel(group.channel_id)}."),
        *packed_sections(report.as_mrkdwn().split("\n"), max_sections=REPORT_SECTIONS),
    ]
    if unlinked:  # the report's To check says how many; this is where to do it
        blocks.append(
            section(
                "Link the page's people to their Slack users, so they get their nudges:",
                accessory=button("Link people", ids.WG_LINK_OPEN, str(group.id), style="primary"),
            )
        )
    return ephemeral(f"{saved} Read: {report.summary()}.", blocks)


def import_saved_modal(notice: str | None, reply: Message, *, title: str = "Imported") -> dict[str, Any]:
    """What the import form turns into when the importer's reply could not be posted (or the charter not): what was
    saved, the fix, and the reply itself, Link people button included."""
    blocks = ([section(notice)] if notice else []) + list(reply["blocks"])
    return {"type": "modal", "title": plain(title, 24), "close": plain("Close", 24), "blocks": blocks[:100]}


def _match_hint(member: WorkingGroupMember, match: PersonMatch) -> str:
    written = {"email": "the email on the page", "handle": f"{member.username or 'the handle'} on the page"}
    if match.user_id:
        return f"Found by {written.get(match.how, 'name')}. Change it if it is someone else."
    if match.several:
        return f"{match.several} Slack users match {written.get(match.how, 'that name')}: pick the right one."
    return "No Slack user by that name: pick them, or leave it empty for now."


def person_label(member: WorkingGroupMember) -> str:
    """A page's person as the link form names them: the name and the role as the page wrote it (plain text)."""
    return f"{member.person_name} · {member.role_title or role_label(member)}"


def link_people_modal(
    channel_id: str, group: WorkingGroup, people: Sequence[tuple[WorkingGroupMember, PersonMatch]]
) -> dict[str, Any]:
    """The Link people form: one user picker per person the page named who is not a Slack user yet, pre-filled with
    the one Slack user who matches them; the channel travels in private_metadata."""
    inputs = []
    for member, match in people[:LINK_FORM_LIMIT]:
        element: dict[str, Any] = {"type": "users_select", "action_id": f"{ids.WG_LINK_PERSON}{member.id}"}
        if match.user_id:
            element["initial_user"] = match.user_id
        inputs.append(
            {
                "type": "input",
                "block_id": f"{ids.WG_LINK_PERSON}{member.id}",
                "optional": True,
                "label": plain(person_label(member), LABEL_LIMIT),
                "hint": plain(_match_hint(member, match), LABEL_LIMIT),
                "element": element,
            }
        )
    matched = sum(1 for _member, match in people[:LINK_FORM_LIMIT] if match.user_id)
    who = "the one person" if matched == 1 else f"the {matched} people"
    filled = (
        f"I filled in {who} I could match by email, handle or name"
        if matched
        else "I couldn't match anyone by email, handle or name: pick each person"
    )
    intro = section(
        f"Who is who in Slack, for *{escape(group.name)}*. {filled}; leave someone empty to link them later with "
        "`/wg people`."
    )
    more = more_note(len(people), LINK_FORM_LIMIT, "Link these, then `/wg people` shows the rest.")
    return {
        "type": "modal",
        "callback_id": ids.WG_LINK_MODAL,
        "private_metadata": channel_id,
        "title": plain("Link people", 24),
        "submit": plain("Link", 24),
        "close": plain("Cancel", 24),
        "blocks": [intro, *inputs, *more],
    }


def read_link_modal(view: dict[str, Any]) -> dict[int, str]:
    """The people picked in the Link people form, as {role row id: Slack user id}; an empty picker is left out.

    Raises UserError (under the picker) for a value that is not a user id, or under the first picker when nobody
    was picked.
    """
    picked: dict[int, str] = {}
    blocks = [b for b in view.get("state", {}).get("values", {}) if str(b).startswith(ids.WG_LINK_PERSON)]
    for block_id in blocks:
        tail = block_id[len(ids.WG_LINK_PERSON) :]
        state = element_state(view["state"]["values"][block_id].get(block_id))
        user_id = state.get("selected_user")
        if not user_id:
            continue
        if not (tail.isascii() and tail.isdigit() and len(tail) <= 10) or not USER_ID.fullmatch(user_id):
            raise UserError("I couldn't read the person picked. Pick them again from the list.", field=block_id)
        picked[int(tail)] = user_id
    if not picked:
        first = next((b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"), None)
        raise UserError("Pick a Slack user for at least one person, or close the form.", field=first)
    return picked


def linked_reply(group: WorkingGroup, outcome: LinkOutcome, *, submitter_id: str, is_admin: bool = False) -> Message:
    """What the person who submitted the link form is told: who is linked now, who someone linked first (kept as
    they linked it), rows that are no longer on the charter, and, when they linked a DRI or facilitator who is not
    themselves, that the group is now theirs to manage (the importer's stand-in rights end there)."""
    count = len(outcome.linked)
    name = escape(group.name)
    text = f"Linked {count} {'person' if count == 1 else 'people'} of *{name}* to Slack."
    if not count:
        text = f"Nothing changed in *{name}*."
    lines = [text]
    for member in outcome.linked:
        lines.append(f":link: {escape(person_label(member))} is <@{member.user_id}>.")
    for member, by in outcome.already:
        who = f" by <@{by}>" if by else ""
        lines.append(
            f":information_source: {escape(person_label(member))} was already linked{who} to <@{member.user_id}>; "
            "I left it as it is."
        )
    if outcome.gone:
        lines.append(
            f":warning: {outcome.gone} of the people in the form are no longer on this group's charter "
            "(was the page imported again?). `/wg people` shows who is left."
        )
    leads = lead_ids(group)
    new_leads = [m for m in outcome.linked if m.user_id in leads]
    if new_leads and submitter_id not in leads and not is_admin:
        who = ", ".join(f"<@{m.user_id}>" for m in new_leads)
        lines.append(
            f":information_source: {who} now leads *{name}*: from here the DRI, the facilitator and workspace admins "
            "change its charter and roles, and link people."
        )
    return ephemeral(text, packed_sections(lines, max_sections=3))
