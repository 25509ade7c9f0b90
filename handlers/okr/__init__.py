"""/okr: quarterly OKRs. The command, buttons and forms, each in its own module."""

from slack_bolt import App

from handlers.okr import buttons, commands, views


def register(app: App) -> None:
    """Wire /okr, its buttons and its forms."""
    commands.register(app)
    buttons.register(app)
    views.register(app)
