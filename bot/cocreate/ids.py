"""Co-create's Block Kit ids: action, callback and block ids, named cocreate.thing.verb.

The strings are in messages already posted in Slack: a changed value orphans every button showing the old one.
"""

STEP_DONE = "cocreate.step.done"
STEP_SKIP = "cocreate.step.skip"
STEP_REOPEN = "cocreate.step.reopen"
STEP_DUE = "cocreate.step.due"
STEP_REASSIGN = "cocreate.step.reassign"
STEP_ROW = "cocreate.step.row."  # + step id: datepicker and user menu rows carry no value

SKIP_MODAL = "cocreate.skip.submit"
SKIP_REASON = "cocreate.skip.reason"

# The prospect form's blocks (block_id) and their inputs (action_id, the same string).
PROSPECT_MODAL = "cocreate.prospect.submit"
FIELD_ORG = "cocreate.prospect.org"
FIELD_CSM = "cocreate.prospect.csm"
FIELD_AE = "cocreate.prospect.ae"
FIELD_SA = "cocreate.prospect.sa"
FIELD_SUBSCRIPTION = "cocreate.prospect.subscription"
FIELD_SEATS = "cocreate.prospect.seats"
FIELD_INDUSTRY = "cocreate.prospect.industry"
FIELD_OVERLAP = "cocreate.prospect.overlap"
FIELD_SCORE = "cocreate.prospect.score."  # + criterion key

SCORE_MODAL = "cocreate.score.submit"
