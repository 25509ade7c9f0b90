"""The /okr Block Kit ids: action_id, callback_id and block_id strings, named program.thing.verb.

The string values are in messages and forms already posted in Slack: they never change.
"""

# The tree opens one objective at a time; its buttons carry `QUARTER|objective number`, which names a view of an
# imported page (it holds across a re-import) rather than a row, and their action says what to show.
OKR_TREE_OPEN = "okr.tree.open"  # "Open" beside a closed objective, and "Show less" under one shown in full
OKR_TREE_CLOSE = "okr.tree.close"  # "Close" beside an open objective: every objective one line again
OKR_TREE_MORE = "okr.tree.more"  # "Show N more": the objective in full
OKR_TREE_LESS = "okr.tree.less"  # on messages sent before objectives opened one by one

# Score buttons carry the key result's id.
OKR_SCORE_OPEN = "okr.score.open"
OKR_SCORE_MODAL = "okr.score.submit"
OKR_SCORE_VALUE = "okr.score.value"
OKR_SCORE_COMMENT = "okr.score.comment"

OKR_IMPORT_MODAL = "okr.import.submit"
OKR_IMPORT_QUARTER = "okr.import.quarter"
OKR_IMPORT_PAGE = "okr.import.page"
OKR_IMPORT_PAGE_MORE = "okr.import.page_more"
OKR_IMPORT_FILE = "okr.import.file"
OKR_IMPORT_REPLACE = "okr.import.replace"

# The retrospective: Write (in the DM) and Edit (under a posted retro) carry the quarter's and the team's row ids
# (`bot/okrs/blocks/retro.py` `retro_value`); messages posted before that carry `QUARTER|team`, still read.
OKR_RETRO_OPEN = "okr.retro.open"
OKR_RETRO_EDIT = "okr.retro.edit"
OKR_RETRO_MODAL = "okr.retro.submit"
OKR_RETRO_TEAM = "okr.retro.team"  # retro modal blocks (block_id) and their inputs (action_id, the same string)
OKR_RETRO_GOOD = "okr.retro.good"
OKR_RETRO_BAD = "okr.retro.bad"
OKR_RETRO_TRY = "okr.retro.try"

# A TRY line made an action item: "Make it an action item" carries the retro item's id.
OKR_TRY_OPEN = "okr.try.open"
OKR_TRY_MODAL = "okr.try.submit"
OKR_TRY_TEXT = "okr.try.text"  # TRY modal blocks and inputs
OKR_TRY_OWNER = "okr.try.owner"
OKR_TRY_DUE = "okr.try.due"
