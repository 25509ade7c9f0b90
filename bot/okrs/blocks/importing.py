"""Block Kit for `/okr import`: the import form (its reader beside it, so block ids stay in one file) and the reply
that says what was saved, with the import report and, for a quarter that isn't three whole months, why its reminders
come on another quarter's days."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import CheckboxesElement, InputBlock, Option, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks.common import (
    Message,
    counted,
    ephemeral,
    packed_sections,
    page_inputs,
    read_page_inputs,
    section,
    view_input,
)
from bot.okrs import ids
from bot.okrs.blocks.pieces import OWNER_USAGE, quarter_span
from bot.okrs.rules import QuarterSpan

REPLACE_OPTION = "replace"


def import_modal(*, quarter: str | None, private_metadata: str) -> dict[str, Any]:
    """The form behind `/okr import`: the quarter, the page pasted in two parts or attached, and whether to replace
    a quarter already imported."""
    view = View(
        type="modal",
        callback_id=ids.OKR_IMPORT_MODAL,
        private_metadata=private_metadata,
        title="Import OKRs",
        submit="Import",
        close="Cancel",
        blocks=[
            section(
                "Paste the markdown of the quarter's OKR page, or attach it as a file. "
                "A page longer than 3000 characters goes in two parts: cut it at a line break."
            ),
            InputBlock(
                block_id=ids.OKR_IMPORT_QUARTER,
                label="Quarter",
                optional=True,
                hint="Empty: the quarter the page's title names.",
                element=PlainTextInputElement(
                    action_id=ids.OKR_IMPORT_QUARTER,
                    initial_value=quarter or None,
                    max_length=40,
                    placeholder="FY20-Q2",
                ),
            ),
            *page_inputs(
                page=ids.OKR_IMPORT_PAGE,
                more=ids.OKR_IMPORT_PAGE_MORE,
                file=ids.OKR_IMPORT_FILE,
                placeholder="### 1. CEO: Grow revenue",
            ),
            InputBlock(
                block_id=ids.OKR_IMPORT_REPLACE,
                label="If the quarter is already imported",
                optional=True,
                element=CheckboxesElement(
                    action_id=ids.OKR_IMPORT_REPLACE,
                    options=[Option(value=REPLACE_OPTION, label="Replace the quarter if it is already imported")],
                ),
            ),
        ],
    )
    return view.to_dict()


def read_import_modal(view: dict[str, Any]) -> tuple[str | None, str, list[str], bool]:
    """(the quarter typed or None, the pasted page, the attached file ids, whether to replace).

    Raises UserError, under the first paste box, when no page was given, or under the file when both were."""
    quarter = (view_input(view, ids.OKR_IMPORT_QUARTER).get("value") or "").strip() or None
    text, files = read_page_inputs(
        view, page=ids.OKR_IMPORT_PAGE, more=ids.OKR_IMPORT_PAGE_MORE, file=ids.OKR_IMPORT_FILE
    )
    picked = view_input(view, ids.OKR_IMPORT_REPLACE).get("selected_options") or []
    replace = any(option.get("value") == REPLACE_OPTION for option in picked)
    return quarter, text, files, replace


REPORT_SECTIONS = 4  # the import report's sections at most (the reply stays far below Slack's 50 blocks)


def import_reply(
    quarter: QuarterSpan,
    *,
    objectives: int,
    key_results: int,
    scored: int,
    retro_teams: int,
    replaced: bool,
    reminded_as: QuarterSpan | None = None,
    report: str | None = None,
) -> Message:
    """After an import: what was saved, the import report (`ImportReport.as_mrkdwn()`, already escaped: what was read,
    kept as written, skipped and to check), a warning when the quarter isn't three whole months (the reminders then
    follow `reminded_as`, the quarter it starts in), and what to do next; ephemeral."""
    label = quarter.label
    done = "Replaced" if replaced else "Imported"
    counts = f"{counted(objectives, 'objective')}, {counted(key_results, 'key result')} ({scored} scored)"
    retro = f", the retrospective of {counted(retro_teams, 'team')}" if retro_teams else ""
    text = f"{done} {label} ({quarter_span(quarter)}): {counts}{retro}."
    blocks = [section(f":white_check_mark: {text}")]
    if report:
        blocks += packed_sections(report.split("\n"), max_sections=REPORT_SECTIONS)
    if reminded_as is not None:
        blocks.append(section(f":warning: {whole_quarter_warning(quarter, reminded_as)}"))
    blocks += [
        section(
            f"*Next*\n`/okr tree {label}` shows the objectives and key results.\n"
            f"`/okr owners {label}` lists the roles that own key results and who is mapped to each; "
            f"map the rest with {OWNER_USAGE}, so their owners can score and get reminders."
        )
    ]
    return ephemeral(text, blocks)


def whole_quarter_warning(quarter: QuarterSpan, reminded_as: QuarterSpan) -> str:
    """Why a quarter that isn't three whole months gets its reminders on another quarter's days."""
    return (
        f"{quarter.label} runs {quarter_span(quarter)}, not three whole months from the 1st: its reminders follow the "
        f"quarter it starts in, {quarter_span(reminded_as)} (mid-quarter on the 15th of its second month, the "
        "retrospective the day after it ends), so they may come early or late for it."
    )
