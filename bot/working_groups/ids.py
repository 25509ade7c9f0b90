"""Block Kit ids of /wg: action, callback and block ids, named `wg.thing.verb`. Their string values are in messages
already posted in Slack, so they never change."""

# Buttons carry a row id as value; datepickers, which have no value, carry it in the block_id of their actions
# block: WG_GROUP_ROW + group id (read with bot.working_groups.blocks.pieces.row_id). The action-item controls' ids
# are in bot/action_items/ids.py.
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
