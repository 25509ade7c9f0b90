"""/wg: working groups in their channels. Commands, buttons and modals, each in its own module."""

from slack_bolt import App

from handlers.wg import buttons, commands, people, views


def register(app: App) -> None:
    """Wire /wg, its buttons and its modals."""
    commands.register(app)
    buttons.register(app)
    views.register(app)
    people.register(app)
