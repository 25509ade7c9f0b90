"""Block Kit ids of the action-item controls, on every list of items and the daily overdue DM. Their values
begin with `wg.` because working groups had items first; messages already in Slack carry them, so they stay."""

ITEM_DONE = "wg.action.done"
ITEM_REOPEN = "wg.action.reopen"
ITEM_SNOOZE = "wg.action.snooze"
ITEM_DUE = "wg.action.due"
ITEM_REASSIGN = "wg.action.reassign"
# block_id of an item's actions block: ITEM_ROW + item id (read back by the handlers' row_id).
ITEM_ROW = "wg.action.row."
