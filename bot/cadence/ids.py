"""The /cadence Block Kit ids (reminders, their nudges, the create form), named program.thing.verb. Each program's
ids are in its package (bot/P/ids.py), the action-item controls' in bot/action_items/ids.py."""

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
