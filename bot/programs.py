"""Every program, imported once by each entry point (app.py, handlers/, the console): loading a program registers
its nudge kinds, its action items and its App Home section with the kernel, which never imports a program.
"""

from bot.action_items import overdue as overdue_items  # noqa: F401
from bot.cocreate import home as cocreate_home  # noqa: F401
from bot.cocreate import nudges as cocreate_nudges  # noqa: F401
from bot.esp import nudges as esp_nudges  # noqa: F401
from bot.okrs import home as okr_home  # noqa: F401
from bot.okrs import nudges as okr_nudges  # noqa: F401
from bot.working_groups import home as working_group_home  # noqa: F401
from bot.working_groups import nudges as working_group_nudges  # noqa: F401
