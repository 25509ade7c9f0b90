"""Every program module that registers nudge kinds on the cadence engine: one import per program.

Working groups, the executive sponsorship program, co-create and OKRs add their line here as they land.
"""

from bot.cocreate import nudges as cocreate_nudges  # noqa: F401
from bot.esp import nudges as esp_nudges  # noqa: F401
from bot.okrs import nudges as okr_nudges  # noqa: F401
from bot.working_groups import nudges as working_group_nudges  # noqa: F401
