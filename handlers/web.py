"""The Bolt app with every handler on it, and the WSGI callable that serves it: what `python app.py web`, the
console, the tests and the benchmarks all run."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack import installs
from bot.slack.client import make_client
from handlers import install, register_all
from handlers.boundary import CadenceApp, SlackBoundary, quiet_bolt_logger


def build_app(settings: Settings, client: WebClient | None = None) -> App:
    """The Bolt app with every handler registered: for SLACK_BOT_TOKEN's one workspace, or (SLACK_CLIENT_ID and
    SLACK_CLIENT_SECRET set) for every workspace installed through /slack/install."""
    client = client or make_client(settings)
    logger = quiet_bolt_logger()
    # Every request's client is a copy of this one (Bolt's App._init_context): same SLACK_API_URL, the request's
    # workspace's token; in OAuth mode the install flow's oauth.v2.access and auth.test go through it too.
    oauth = installs.oauth_options(settings, client=client, logger=logger) if settings.oauth else {}
    app = CadenceApp(
        signing_secret=settings.signing_secret,
        client=client,
        token_verification_enabled=False,  # no auth.test at import: start-up must not need Slack to be up
        # Answer Slack only when the listener has finished: a button's chat.update is done (or has failed
        # and told the user) before the HTTP response, so nothing is left running behind the reply.
        process_before_response=True,
        logger=logger,
        **oauth,
    )
    register_all(app)
    install.register(app, settings)
    return app


def wsgi_app(app: App):  # type: ignore[no-untyped-def]
    """A WSGI callable serving Slack's requests at /slack/events (and, in OAuth mode, GET /slack/install and
    /slack/oauth_redirect): Cadence's boundary in front of its app (checks and reads each request first), Bolt's own
    handler for any other Bolt app (the benchmark's bare baseline)."""
    if isinstance(app, CadenceApp):
        return SlackBoundary(app, signing_secret=app.signing_secret)
    return SlackRequestHandler(app)
