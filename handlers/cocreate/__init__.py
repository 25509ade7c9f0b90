"""/cocreate: prospects and their outreach checklist, one message per prospect updated in place. The command, the
checklist's buttons and the forms, each in its own module."""

from slack_bolt import App

from handlers.cocreate import buttons, commands, views


def register(app: App) -> None:
    """Wire /cocreate, the checklist's controls and the forms."""
    commands.register(app)
    buttons.register(app)
    views.register(app)
