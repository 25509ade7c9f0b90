"""Every action_id, callback_id and block_id the bot uses, named program.thing.verb."""

NUDGE_DONE = "cadence.nudge.done"
NUDGE_SNOOZE_DAY = "cadence.nudge.snooze_day"
NUDGE_SNOOZE_WEEK = "cadence.nudge.snooze_week"
NUDGE_SKIP = "cadence.nudge.skip"
NUDGE_UNDO = "cadence.nudge.undo"

CADENCE_MODAL = "cadence.modal.submit"
CADENCE_PAUSE = "cadence.list.pause"
CADENCE_RESUME = "cadence.list.resume"
CADENCE_REMOVE = "cadence.list.remove"
CADENCE_OPEN_MODAL = "cadence.home.new"
CADENCE_LIST_PAGE = "cadence.list.page"  # value: the page number to show
CADENCE_LIST_ALL_PAGE = "cadence.list_all.page"

# Modal blocks (block_id) and their inputs (action_id).
MODAL_TEXT = "cadence.modal.text"
MODAL_FREQUENCY = "cadence.modal.frequency"
MODAL_WEEKDAY = "cadence.modal.weekday"
MODAL_DAY = "cadence.modal.day"
MODAL_TIME = "cadence.modal.time"
MODAL_TIMEZONE = "cadence.modal.timezone"
MODAL_CHANNEL = "cadence.modal.channel"
MODAL_USERS = "cadence.modal.users"
MODAL_OPTIONS = "cadence.modal.options"

# Working groups (/wg). Buttons carry a row id as value; datepickers, which have no value, carry it in the
# block_id of their actions block: WG_GROUP_ROW + group id (read with bot.blocks.working_groups.row_id). The
# action-item controls' ids are in bot/action_items/ids.py.
WG_CRITERION_DONE = "wg.criterion.done"
WG_ACTION_UNDO = "wg.action.undo"
WG_GROUP_CLOSE = "wg.group.close"
WG_GROUP_EXTEND = "wg.group.extend"
WG_GROUP_ROW = "wg.group.row."
WG_ASSIGNED_ROW = "wg.assigned.row."  # + item id: the Done and date row of the DM telling an owner of a new item

WG_CREATE_MODAL = "wg.create.submit"
WG_IMPORT_MODAL = "wg.import.submit"

# Working-group modal blocks (block_id) and their inputs (action_id, the same string).
WG_CREATE_NAME = "wg.create.name"
WG_CREATE_GOAL = "wg.create.goal"
WG_CREATE_CREATED_ON = "wg.create.created_on"
WG_CREATE_END_ON = "wg.create.end_on"
WG_CREATE_AGENDA = "wg.create.agenda_url"
WG_CREATE_BOARD = "wg.create.board_url"
WG_IMPORT_PAGE = "wg.import.page"
WG_IMPORT_PAGE_MORE = "wg.import.page_more"
WG_IMPORT_FILE = "wg.import.file"
# Linking a page's people to Slack users: the button carries the group id; each person's users_select sits in
# block WG_LINK_PERSON + role row id (the action_id is the same string).
WG_LINK_OPEN = "wg.people.open"
WG_LINK_MODAL = "wg.people.submit"
WG_LINK_PERSON = "wg.people.person."
ESP_CHECKLIST_DONE = "esp.checklist.done"
COCREATE_STEP_DONE = "cocreate.step.done"
COCREATE_STEP_SKIP = "cocreate.step.skip"
COCREATE_STEP_REOPEN = "cocreate.step.reopen"
COCREATE_STEP_DUE = "cocreate.step.due"
COCREATE_STEP_REASSIGN = "cocreate.step.reassign"
COCREATE_STEP_ROW = "cocreate.step.row."  # + step id: datepicker and user menu rows carry no value
COCREATE_SKIP_MODAL = "cocreate.skip.submit"
COCREATE_SKIP_REASON = "cocreate.skip.reason"
COCREATE_PROSPECT_MODAL = "cocreate.prospect.submit"
COCREATE_FIELD_ORG = "cocreate.prospect.org"
COCREATE_FIELD_CSM = "cocreate.prospect.csm"
COCREATE_FIELD_AE = "cocreate.prospect.ae"
COCREATE_FIELD_SA = "cocreate.prospect.sa"
COCREATE_FIELD_SUBSCRIPTION = "cocreate.prospect.subscription"
COCREATE_FIELD_SEATS = "cocreate.prospect.seats"
COCREATE_FIELD_INDUSTRY = "cocreate.prospect.industry"
COCREATE_FIELD_OVERLAP = "cocreate.prospect.overlap"
COCREATE_FIELD_SCORE = "cocreate.prospect.score."  # + criterion key
COCREATE_SCORE_MODAL = "cocreate.score.submit"
