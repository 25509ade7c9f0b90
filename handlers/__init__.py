"""Slack adapters: parse the payload, call bot/, render blocks, reply."""

from slack_bolt import App

# The programs register their nudge kinds and action items with the kernel when they load: every process that
# answers Slack has them all.
import bot.programs  # noqa: F401
from handlers import cadence, cocreate, esp, home, middleware, nudges, okr, users, wg


def register_all(app: App) -> None:
    """Register every handler module on the app, one line each."""
    middleware.register(app)
    cadence.register(app)
    nudges.register(app)
    home.register(app)
    users.register(app)
    wg.register(app)
    esp.register(app)
    cocreate.register(app)
    okr.register(app)
