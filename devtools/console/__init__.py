"""The local playground, `python app.py console`: the same app, handlers and database, and no Slack at all.

Each line a person types becomes what Slack would send: a signed slash command or button click, POSTed over HTTP
to the real app behind waitress on a loopback port. The app's Web API calls go to the Slack stand-in from
devtools/slack_stand_in.py, and the console prints what the bot answered, posted, redrew and opened, as plain text
(`render`), and fills in and submits the forms it opened (`forms`).
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import make_url

from bot import clock, db
from bot.config import Settings, normalize_database_url
from devtools.app_client import AppClient, Reply, find_element
from devtools.console.forms import (
    FILL_LINE,
    FORM_HINT,
    TEXT_KINDS,
    FillRefused,
    FormInput,
    OpenForm,
    TooLong,
    attachment,
    checked_text,
    field_name,
    form_inputs,
    is_empty,
    match_input,
    render_form,
    shown_state,
    typed_state,
)
from devtools.console.render import Reader, indent, render_message, render_view, text_of
from devtools.signing import block_actions_body, new_trigger_id, post_signed, view_submission_body
from devtools.slack_stand_in import BOT_USER_ID, TEAM_ID, SlackStandIn

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone the console can type as."""

    user_id: str
    name: str
    real_name: str
    tz: str
    is_admin: bool = False


PEOPLE = (
    Person("U_ALICE", "alice", "Alice Archer", "Europe/Paris"),
    Person("U_BOB", "bob", "Bob Baker", "America/New_York"),
    Person("U_ADA", "ada", "Ada Admin", "UTC", is_admin=True),
)
CHANNELS = {"C_GENERAL": "general", "C_TEAM": "team", "C_RANDOM": "random"}

HELP = """\
  /cadence add "Sync" every monday at 09:30   a slash command, as you, in this channel (@bob and #team work)
  as bob                   type as someone else
  in #team                 move to another channel
  tick [2026-11-23T09:30]  one scheduler pass, now or at that instant (no zone means UTC); the console's clock
                           moves there and runs on, so what you press next happens then too
  press done [on 3]        click a button (label or action id) on message [3]; default: the latest that has it
  messages [#team|@bob]    the bot's messages in a channel, or in someone's DM with the bot
  form                     your open form again (the last modal the bot opened for you), its fields numbered
  fill 2 = some text       fill a field (its number, label or id): text (\\n for a new line), 2019-09-02, 09:30,
                           @bob, #team, an option's label; checkboxes: labels comma-separated, or none;
                           nothing after `=` empties it
  fill file from page.md   a text box gets the file's text; a file input gets the file attached
  submit · cancel          send the form as you (the app may answer under its fields), or drop it
  help · quit"""

# ----------------------------------------------------------------------------- what a person types, as Slack sends it

_TYPED = re.compile(r"(?<![\w<|&])([@#])([\w-]+(?:\.[\w-]+)*)")
_SPECIAL = ("here", "channel", "everyone")


def slack_escape(text: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """Command text as Slack sends it: & < > as entities, known `@bob`/`#team` as `<@U_BOB|bob>`/`<#C_TEAM|team>`.

    The manifest asks Slack to escape names (should_escape); Slack also sends &, < and > as HTML entities.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def swap(match: re.Match[str]) -> str:
        sigil, name = match.groups()
        if sigil == "@" and name.lower() in _SPECIAL:
            return f"<!{name.lower()}>"
        target = (users if sigil == "@" else channels).get(name.lower())
        return f"<{sigil}{target}|{name}>" if target else match.group(0)

    return _TYPED.sub(swap, text)


MANIFEST = Path(__file__).resolve().parents[2] / "manifest.json"


def app_commands() -> list[str]:
    """The slash commands the Slack app declares (manifest.json): the only ones Slack sends to it."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return [c["command"] for c in manifest.get("features", {}).get("slash_commands", [])]


def unknown_command(command: str, known: list[str]) -> str:
    """What Slack does with a command no installed app declares (it never reaches the app), and the likely one."""
    close = difflib.get_close_matches(command.lower(), known, n=1, cutoff=0.6)
    guess = f" Did you mean `{close[0]}`?" if close else ""
    return (
        f"I don't know `{command}`: Slack would answer “{command} is not a valid command” and send it nowhere."
        f"{guess} This app's commands: {' '.join(known)}."
    )


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant; naive means UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ----------------------------------------------------------------------------- the console


@dataclass(slots=True)
class Shown:
    """A bot message the console printed, under the number a person types to press its buttons."""

    number: int  # 0: not numbered (nothing to press)
    where: str  # "#general", "@alice (DM)", "(only you)"
    channel_id: str  # the conversation a click names
    message: dict[str, Any]
    conversation: str | None = None  # where the stand-in keeps it; None for a reply only the typist saw
    edited: str | None = None
    seen: int = 0  # when it was last printed: `press` picks the most recently seen message with the button


class Console:
    """The playground's core: start() the stand-in and the app, handle(line) -> text to print, stop()."""

    def __init__(self, database_url: str, *, migrate: bool = True) -> None:
        self.database_url = normalize_database_url(database_url)
        self.migrate = migrate
        self.user = PEOPLE[0]
        self.channel_id = "C_GENERAL"
        self.finished = False
        self._shown: list[Shown] = []
        self._forms: dict[str, OpenForm] = {}  # by user id: each person's most recently opened modal
        self._by_ts: dict[str, Shown] = {}
        self._responses_seen = self._ephemerals_seen = self._views_seen = self._problems_seen = self._prints = 0
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Console:
        """Migrate and point at the database, then start the Slack stand-in and the app behind waitress."""
        from waitress.server import create_server

        from bot.slack.client import make_client
        from handlers.web import build_app, wsgi_app

        clock.travel_to(None)  # each session starts at the real time
        if self.migrate:
            db.upgrade_to_head(self.database_url)
        db.configure(self.database_url)
        self.slack = populated(SlackStandIn().start())
        settings = self._settings(secrets.token_hex(16))
        app = build_app(settings)
        self._server = create_server(wsgi_app(app), host="127.0.0.1", port=0, threads=4, ident="cadence-console")
        self._thread = threading.Thread(target=self._server.run, name="cadence-console-app", daemon=True)
        self._thread.start()
        url = f"http://127.0.0.1:{self._server.effective_port}/slack/events"
        self.client = AppClient(url, settings.signing_secret, self.slack, team_id=TEAM_ID)
        self.web_client = make_client(settings)
        return self

    def _settings(self, secret: str) -> Settings:
        return Settings.from_env(
            {
                "SLACK_BOT_TOKEN": "xoxb-console",
                "SLACK_SIGNING_SECRET": secret,
                "SLACK_API_URL": self.slack.url,
                "DATABASE_URL": self.database_url,
                "SLACK_TIMEOUT_SECONDS": "5",
            }
        )

    def stop(self) -> None:
        """Stop the app's server and the stand-in, and let go of the database. Safe to call twice."""
        if self._server is not None:
            self._server.task_dispatcher.shutdown()  # its threads finish their requests first
            # Closed from inside its own loop: closing it from here races the loop's select() (EBADF).
            try:
                self._server.trigger.pull_trigger(self._server.close)
            except OSError:  # the loop has already stopped and closed its trigger: nothing is left to wake
                self._server.close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self.slack.stop()
            db.engine().dispose()
            clock.travel_to(None)

    def __enter__(self) -> Console:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ what the person sees

    @property
    def prompt(self) -> str:
        """`alice in #general> `."""
        return f"{self.user.name} in #{CHANNELS[self.channel_id]}> "

    def banner(self) -> str:
        """What the console is, where its data lives, and how to use it."""
        people = ", ".join(f"{p.name} ({p.tz}{', admin' if p.is_admin else ''})" for p in PEOPLE)
        return "\n".join(
            [
                "Cadence console: the real app and database, with a stand-in for Slack.",
                "Each line goes to the app as a signed Slack request; what the bot answers and posts is printed.",
                f"Database: {shown_url(self.database_url)} (as workspace {TEAM_ID})",
                "Nothing is scheduled on its own here: `tick` runs the scheduler once.",
                f"People: {people}. Channels: {' '.join('#' + n for n in CHANNELS.values())}.",
                HELP,
            ]
        )

    def handle(self, line: str) -> str:
        """Do what one typed line asks and return the text to print ("" for nothing)."""
        line = line.strip()
        if not line:
            return ""
        word, _, rest = line.partition(" ")
        try:
            if word.startswith("/"):
                return self.slash(word, rest.strip())
            action = self._commands().get(word.lower())
            return action(rest.strip()) if action else f"I don't know `{word}`. Type `help` for what works here."
        except Exception as error:  # a console bug must not end the session; the traceback goes to stderr
            log.exception("the console failed on %r", line)
            return f"(console error: {error!r})"

    def _commands(self) -> dict[str, Callable[[str], str]]:
        return {
            "as": self.switch_user,
            "in": self.switch_channel,
            "tick": self.tick,
            "press": self.press,
            "messages": self.show_messages,
            "form": self.show_form,
            "fill": self.fill,
            "submit": self.submit,
            "cancel": self.cancel,
            "help": lambda _rest: HELP,
            "quit": self.quit,
            "exit": self.quit,
        }

    # ------------------------------------------------------------------ the lines

    def slash(self, command: str, text: str) -> str:
        """Send a signed slash command as the current user, here; show the reply and what the bot did meanwhile.

        A command the app doesn't declare is answered as Slack would, without sending it."""
        known = app_commands()
        if command.lower() not in known:
            return unknown_command(command, known)
        escaped = slack_escape(text, self._user_ids(), {name: cid for cid, name in CHANNELS.items()})
        reply = self.client.command(command, escaped, user=self.user.user_id, channel=self.channel_id)
        return join([*self._ack(reply, command), *self.news()])

    def switch_user(self, name: str) -> str:
        """`as bob`: type as someone else."""
        person = next((p for p in PEOPLE if p.name == name.lstrip("@").lower()), None)
        if person is None:
            return f"There's no {name or 'one by that name'} here. People: {', '.join(p.name for p in PEOPLE)}."
        self.user = person
        return f"You are {person.name} ({person.real_name}, {person.tz}{', admin' if person.is_admin else ''})."

    def switch_channel(self, name: str) -> str:
        """`in #team`: type in another channel."""
        channel_id = self._channel_ids().get(name.lstrip("#").lower())
        if channel_id is None:
            return f"There's no channel {name or '(none given)'}. Channels: {self._channel_list()}."
        self.channel_id = channel_id
        return f"You are in #{CHANNELS[channel_id]}."

    def tick(self, when: str) -> str:
        """`tick [ISO]`: one dispatcher pass at that instant (or now); show what it posted and its report."""
        from bot.cadence import dispatcher

        try:
            at = parse_instant(when) if when else clock.now()
        except ValueError:
            return f"`tick` wants an ISO-8601 time such as 2026-11-23T09:30 (UTC) or 2026-11-23T09:30+01:00, not {when}"
        others = other_workspaces_due(at)
        if others:
            return refusal(others)
        clock.travel_to(at)  # the presses after this tick happen on its day, as the tick's nudges do
        report = dispatcher.tick(at, client=self.web_client)
        summary = f"tick at {at.isoformat()}: claimed {report.claimed} occurrence(s); {report.outcome}"
        return join([*self.news(), summary, *(f"  error: {e}" for e in report.outcome.errors)])

    def press(self, args: str) -> str:
        """`press done [on 3]`: click a button on a bot message, as Slack would post the click."""
        match = re.fullmatch(r"(?P<label>.+?)(?:\s+on\s+\[?#?(?P<number>\d+)\]?)?", args)
        if match is None:
            return "Say which button, e.g. `press done` or `press snooze 1 day on 3`."
        label, number = match.group("label"), match.group("number")
        found = self._find_button(label, int(number) if number else None)
        if isinstance(found, str):
            return found
        entry, button = found
        reply = self._click(entry, button)
        lines = [*self._ack(reply, f"the {button_label(button)} button"), *self.news()]
        return join(lines) or f"(pressed [{button_label(button)}] on [{entry.number}]; nothing changed)"

    def show_messages(self, where: str) -> str:
        """`messages [#channel|@user]`: every bot message there, as it looks now."""
        conversation = self._conversation_named(where) if where else self.channel_id
        if conversation is None:
            return f"There's no {where} here. Channels: {self._channel_list()}; people: @alice, @bob, @ada."
        entries = [self._track(conversation, m)[0] for m in self.slack.messages(conversation) if is_bot(m)]
        if not entries:
            return f"No bot messages in {self._where(conversation)} yet."
        return join([self._show(entry) for entry in entries])

    def quit(self, _rest: str = "") -> str:
        """`quit`: end the session."""
        self.finished = True
        return "Bye."

    # ------------------------------------------------------------------ forms

    def show_form(self, _rest: str = "") -> str:
        """`form`: the open form, its inputs numbered with what each takes and holds."""
        form = self._forms.get(self.user.user_id)
        return render_form(form, self._names()) if form else self._no_form()

    def fill(self, args: str) -> str:
        """`fill <field> = <value>` or `fill <field> from <path>`: set one input of the open form, or say why not."""
        form = self._forms.get(self.user.user_id)
        if form is None:
            return self._no_form()
        parsed = FILL_LINE.fullmatch(args)
        if parsed is None:
            return "Write `fill <field> = <value>` or `fill <field> from <path>`; `form` lists the fields."
        try:
            field = match_input(form.inputs(), parsed["field"])
        except FillRefused as refusal:
            return str(refusal)
        try:
            if parsed["path"] is None:
                people, channels = self._user_ids(), self._channel_ids()
                state = typed_state(field.element, parsed["value"], people=people, channels=channels)
            else:
                state = self._from_file(field, parsed["path"].strip().strip("'\""))
        except FillRefused as refusal:
            instead = self._attach_instead(form, field, refusal, parsed["path"])
            return f"{field_name(field)} is unchanged: {refusal}{instead}"
        form.filled[field.block_id] = state
        return f"{field_name(field)}: {shown_state(state, self._names())}"

    def _from_file(self, field: FormInput, path_text: str) -> dict[str, Any]:
        """A text box gets the file's text; a file input gets the file, uploaded to the stand-in as Slack would.

        Raises FillRefused when there is no such file, or the input can't take it."""
        path = Path(path_text).expanduser()
        if not path.is_file():
            raise FillRefused(f"There's no file {path_text} (relative paths start at {Path.cwd()}).")
        content = path.read_bytes()
        if field.kind == "file_input":
            file_id = f"F{secrets.token_hex(5).upper()}"
            state = attachment(field.element, path, content, file_id)
            self.slack.add_file(file_id, path.name, content)
            return state
        if field.kind not in TEXT_KINDS:
            raise FillRefused(f"`from` reads a file into a text box or a file input; write `fill {field.number} = …`.")
        try:
            text = content.decode("utf-8-sig").rstrip("\r\n")
        except UnicodeDecodeError:
            raise FillRefused(f"{path.name} isn't UTF-8 text.") from None
        return {"type": field.kind, "value": checked_text(field.element, text)}

    def _attach_instead(self, form: OpenForm, field: FormInput, refusal: FillRefused, path: str | None) -> str:
        """For a page too long for its box: the form's file input, when it has one, takes the whole page."""
        files = [f for f in form.inputs() if f.kind == "file_input"]
        if not isinstance(refusal, TooLong) or not field.element.get("multiline") or not files:
            return ""
        return f" Attach it instead: `fill {files[0].number} from {path.strip() if path else '<path>'}`."

    def submit(self, _rest: str = "") -> str:
        """`submit`: send the open form as the typist; errors show under their fields, anything else closes it."""
        form = self._forms.get(self.user.user_id)
        if form is None:
            return self._no_form()
        if not form.view.get("submit"):
            return f'"{form.title}" has no submit button, so Slack offers only to close it: `cancel`.'
        missing = [f for f in form.inputs() if not f.optional and is_empty(form.state_of(f))]
        if missing:  # Slack's own form refuses to send, so the app never hears of it
            return f"Slack won't send the form yet: fill in {', '.join(field_name(f) for f in missing)}."
        body = view_submission_body(
            str(form.view.get("callback_id", "")),
            form.values(),
            user_id=self.user.user_id,
            private_metadata=str(form.view.get("private_metadata") or ""),
            team_id=TEAM_ID,
            view_id=form.view.get("id"),
            blocks=form.view.get("blocks"),
        )
        status, answer = post_signed(self.client.url, body, self.client.secret)
        return join(self._after_submit(form, Reply(status, answer)))

    def _after_submit(self, form: OpenForm, reply: Reply) -> list[str]:
        answer = reply.body if isinstance(reply.body, dict) else {}
        action = answer.get("response_action")
        if action == "errors":
            return [*self._form_errors(form, answer.get("errors") or {}), *self.news()]
        if reply.status != 200:  # Slack shows the form a connection error and keeps it open
            return [*self._ack(reply, "the form"), "(the form stays open)", *self.news()]
        if action in ("update", "push") and isinstance(answer.get("view"), dict):
            # update keeps the view's id; a pushed view is a new one (Slack would give it an id of its own)
            view = {**answer["view"], "id": form.view.get("id") if action == "update" else None}
            self._forms[self.user.user_id] = OpenForm(view, form.channel_id, {})
            return [*self.news(), self._opened(view)]
        self._forms.pop(self.user.user_id, None)
        return self.news() or [f'(sent "{form.title}"; the form closed and the bot posted nothing)']

    def _form_errors(self, form: OpenForm, errors: Mapping[str, str]) -> list[str]:
        """`response_action: errors` as Slack shows it: each message under its field; the form stays as filled."""
        fields = {f.block_id: f for f in form.inputs()}
        lines = [f'The app refused "{form.title}"; it stays open as you filled it:']
        for block_id, error in errors.items():
            field = fields.get(block_id)
            if field is None:  # Slack refuses such an answer whole, and the person sees a generic failure
                lines.append(f"  (Slack would show only a generic error: `{block_id}` is no input here) {error}")
            else:
                lines.append(f"  {field_name(field)}: {error}")
        return lines

    def cancel(self, _rest: str = "") -> str:
        """`cancel`: drop the open form without sending it."""
        form = self._forms.pop(self.user.user_id, None)
        return f'Dropped the form "{form.title}"; nothing was sent.' if form else self._no_form()

    def _no_form(self) -> str:
        return f"{self.user.name} has no open form; a command that opens one, such as `/okr import`, does."

    # ------------------------------------------------------------------ what the bot did

    def news(self) -> list[str]:
        """What the bot did since the last look: responses, messages, ephemerals, modals, calls Slack would refuse."""
        lines = self._responses()
        lines += [self._show(entry, note) for entry, note in self._changed_messages()]
        return lines + self._ephemerals() + self._modals() + self._problems()

    def _ack(self, reply: Reply, what: str) -> list[str]:
        """The app's HTTP answer: a reply only the typist sees, nothing, or an HTTP error."""
        if reply.status == 404:
            return [f"(the app has no handler for {what}: HTTP 404)"]
        if reply.status != 200:
            return [f"(the app answered {what} with HTTP {reply.status}: {reply.body})"]
        if isinstance(reply.body, dict) and ("text" in reply.body or "blocks" in reply.body):
            return [self._show(self._reply(reply.body))]
        return []

    def _responses(self) -> list[str]:
        bodies = self.slack.responses()[self._responses_seen :]
        self._responses_seen += len(bodies)
        return [self._show(self._reply(body)) for body in bodies if isinstance(body, dict)]

    def _reply(self, body: dict[str, Any]) -> Shown:
        """A reply through the ack or response_url: only the typist sees it, unless it says in_channel."""
        if body.get("delete_original"):
            body = {"text": "(deletes the message the button was on)"}
        in_channel = body.get("response_type") == "in_channel"
        return self._remember(self._where(self.channel_id) if in_channel else "(only you)", self.channel_id, body)

    def _changed_messages(self) -> list[tuple[Shown, str]]:
        """Bot messages posted, or redrawn, since they were last printed, oldest first (so numbers go up)."""
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for conversation in self._conversations():
            for message in self.slack.messages(conversation):
                if is_bot(message):
                    found.setdefault(message["ts"], (conversation, message))
        tracked = [self._track(*found[ts]) for ts in sorted(found, key=ts_order)]
        return [(entry, note) for entry, note in tracked if note is not None]

    def _track(self, conversation: str, message: dict[str, Any]) -> tuple[Shown, str | None]:
        """The entry for a stand-in message, and "" when new, "(redrawn)" when edited since, None when unchanged."""
        edited = (message.get("edited") or {}).get("ts")
        entry = self._by_ts.get(message["ts"])
        if entry is None:
            entry = self._remember(self._where(conversation), self._channel_of(conversation), message, conversation)
            entry.edited = edited
            self._by_ts[message["ts"]] = entry
            return entry, ""
        entry.message = message
        if entry.edited == edited:
            return entry, None
        entry.edited = edited
        return entry, "(redrawn) "

    def _ephemerals(self) -> list[str]:
        posted = self.slack.ephemerals()[self._ephemerals_seen :]
        self._ephemerals_seen += len(posted)
        return [
            self._show(self._remember(f"(only @{self._name(e['user'])}, {self._where(e['channel'])})", e["channel"], e))
            for e in posted
        ]

    def _modals(self) -> list[str]:
        """Modals the app opened since the last look; the last one becomes the typist's open form."""
        opened = self.slack.views_opened()[self._views_seen :]
        self._views_seen += len(opened)
        for view in opened:
            self._forms[self.user.user_id] = OpenForm(view, self.channel_id, {})
        return [self._opened(view) for view in opened]

    def _opened(self, view: dict[str, Any]) -> str:
        fillable = form_inputs(view) or view.get("submit")
        note = FORM_HINT if fillable else "  (nothing to fill in; `cancel` closes it)"
        return indent(f"(for @{self.user.name}) ", render_view(view, self._names())) + "\n" + note

    def _problems(self) -> list[str]:
        found = self.slack.problems[self._problems_seen :]
        self._problems_seen += len(found)
        return [f"(the Slack stand-in flagged: {problem})" for problem in found]

    def _remember(self, where: str, channel_id: str, message: dict[str, Any], conversation: str | None = None) -> Shown:
        """A message about to be printed; channel messages and anything with buttons get the next number."""
        entry = Shown(0, where, channel_id, message, conversation)
        if conversation is not None or buttons_of(message):
            entry.number = len(self._shown) + 1
            self._shown.append(entry)
        return entry

    def _show(self, entry: Shown, note: str = "") -> str:
        """A message as printed: where, its number if it has one, then its text."""
        self._prints += 1
        entry.seen = self._prints
        head = f"{entry.where}  [{entry.number}] " if entry.number else f"{entry.where}  "
        return indent(head, note + render_message(entry.message, self._names()))

    # ------------------------------------------------------------------ pressing

    def _find_button(self, label: str, number: int | None) -> tuple[Shown, dict[str, Any]] | str:
        """The message and button meant; or why there is none, as text to print."""
        if number is not None and not 0 < number <= len(self._shown):
            return f"There's no message [{number}]; the last one is [{len(self._shown)}]."
        entries = [self._shown[number - 1]] if number else sorted(self._shown, key=lambda e: -e.seen)
        for entry in entries:
            button = matching_button(buttons_of(self._current(entry)), label)
            if button is not None:
                return entry, button
        if number:
            offered = " ".join(f"[{button_label(b)}]" for b in buttons_of(self._current(entries[0])))
            return f"Message [{number}] has no [{label}] button" + (f"; it has {offered}." if offered else ".")
        return f"No message here has a [{label}] button."

    def _current(self, entry: Shown) -> dict[str, Any]:
        """The message as it is now (the app may have redrawn it)."""
        if entry.conversation is None:
            return entry.message
        now = next((m for m in self.slack.messages(entry.conversation) if m["ts"] == entry.message["ts"]), None)
        return now or entry.message

    def _click(self, entry: Shown, button: dict[str, Any]) -> Reply:
        """POST the click as Slack does: on a channel message, or on a reply only the typist saw (ephemeral)."""
        if entry.conversation is not None:
            message = self._current(entry)
            return self.client.click(message, button["action_id"], user=self.user.user_id, channel=entry.channel_id)
        body = block_actions_body(
            button["action_id"],
            button.get("value", ""),
            user_id=self.user.user_id,
            channel_id=entry.channel_id,
            block_id=button["_block_id"],
            container=ephemeral_container(entry.channel_id),
            trigger_id=new_trigger_id(),
            response_url=self.slack.response_url("action"),
        )
        status, answer = post_signed(self.client.url, body, self.client.secret)
        return Reply(status, answer)

    # ------------------------------------------------------------------ names and places

    def _conversations(self) -> list[str]:
        """Every place the bot may have posted: the channels, each person's DM, and any id it posted to."""
        posted = [c["channel"] for c in self.slack.calls("chat.postMessage") if isinstance(c.get("channel"), str)]
        return list(dict.fromkeys([*CHANNELS, *(p.user_id for p in PEOPLE), *posted]))

    def _conversation_named(self, where: str) -> str | None:
        if where.startswith("@"):
            return self._user_ids().get(where[1:].lower())
        return self._channel_ids().get(where.lstrip("#").lower())

    def _channel_of(self, conversation: str) -> str:
        """The conversation id a click names; a DM kept under a user id has a D… id of its own."""
        return self.slack.dm_channel(conversation) if conversation in self._names_of_people() else conversation

    def _where(self, conversation: str) -> str:
        user_id = conversation[1:] if conversation.startswith("D") else conversation
        if user_id in self._names_of_people():
            return f"@{self._name(user_id)} (DM)"
        return f"#{CHANNELS.get(conversation, conversation)}"

    def _name(self, user_id: str) -> str:
        return self._names_of_people().get(user_id, user_id)

    def _names_of_people(self) -> dict[str, str]:
        return {p.user_id: p.name for p in PEOPLE}

    def _names(self) -> Reader:
        """Ids to names, for rendering mentions, and the typist's zone: dates show as Slack shows them to them."""
        return Reader({**self._names_of_people(), BOT_USER_ID: "cadence", **CHANNELS}, timezone=self.user.tz)

    def _user_ids(self) -> dict[str, str]:
        return {p.name: p.user_id for p in PEOPLE}

    def _channel_ids(self) -> dict[str, str]:
        return {name: channel_id for channel_id, name in CHANNELS.items()}

    def _channel_list(self) -> str:
        return " ".join("#" + name for name in CHANNELS.values())


# ----------------------------------------------------------------------------- small helpers


def populated(slack: SlackStandIn) -> SlackStandIn:
    """The stand-in with the console's people and channels; the bot is in every channel."""
    for person in PEOPLE:
        slack.add_user(person.user_id, person.name, person.tz, person.real_name, is_admin=person.is_admin)
    members = [p.user_id for p in PEOPLE] + [BOT_USER_ID]
    for channel_id, name in CHANNELS.items():
        slack.add_channel(channel_id, name, members=members)
    return slack


def is_bot(message: Mapping[str, Any]) -> bool:
    """Whether the bot posted this message."""
    return message.get("user") == BOT_USER_ID or bool(message.get("bot_id"))


def buttons_of(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every button in a message, each with its `_block_id`."""
    found = []
    for block in message.get("blocks") or []:
        elements = [*block.get("elements", []), *([block["accessory"]] if block.get("accessory") else [])]
        for element in elements:
            if isinstance(element, dict) and element.get("type") == "button":
                found.append(find_element([block], element["action_id"]))
    return found


def button_label(button: Mapping[str, Any]) -> str:
    """A button's label as shown."""
    return text_of(button.get("text"), None)


def matching_button(buttons: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    """The button whose label, action id, or action id's last part is `wanted` (any case)."""
    wanted = wanted.strip().strip("[]").lower()
    for button in buttons:
        action_id = str(button.get("action_id", "")).lower()
        if wanted in (button_label(button).lower(), action_id, action_id.rsplit(".", 1)[-1]):
            return button
    return None


def ephemeral_container(channel_id: str) -> dict[str, Any]:
    """The `container` of a click on an ephemeral message, which Slack keeps in no channel history."""
    return {"type": "message", "message_ts": f"{time.time():.6f}", "channel_id": channel_id, "is_ephemeral": True}


def ts_order(ts: str) -> tuple[int, ...]:
    """A Slack ts as a sortable key (floats would round the microseconds)."""
    return tuple(int(part) for part in ts.split("."))


def join(lines: list[str]) -> str:
    """Lines as one block of text."""
    return "\n".join(lines)


def shown_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def other_workspaces_due(at: datetime) -> int:
    """Due reminders and unsent nudges of other workspaces: a console tick would post them to the stand-in."""
    from bot.cadence.delivery import WORK_STATUSES
    from models import Cadence, CadenceStatus, Delivery

    with db.unit_of_work() as session:
        cadences = session.scalar(
            select(func.count()).where(
                Cadence.team_id != TEAM_ID, Cadence.status == CadenceStatus.ACTIVE, Cadence.next_run_at <= at
            )
        )
        deliveries = session.scalar(
            select(func.count()).where(
                Delivery.team_id != TEAM_ID,
                Delivery.status.in_(WORK_STATUSES),
                or_(Delivery.not_before.is_(None), Delivery.not_before <= at),
            )
        )
    return (cadences or 0) + (deliveries or 0)


def refusal(count: int) -> str:
    """Why `tick` won't run on a database that real workspaces use."""
    return (
        f"Not ticking: {count} reminder(s) or nudge(s) of other workspaces are due in this database, and a tick here "
        "would post them to the stand-in instead of Slack. Use a database of your own, e.g. "
        "DATABASE_URL=sqlite:///playground.db python app.py console"
    )


# ----------------------------------------------------------------------------- the command line


def main(argv: list[str] | None = None, *, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> None:
    """Run the playground on DATABASE_URL (default sqlite:///cadence.db) until `quit` or end of input."""
    parser = argparse.ArgumentParser(prog="python app.py console", description=__doc__)
    parser.add_argument("--database-url", help="defaults to DATABASE_URL, then sqlite:///cadence.db")
    args = parser.parse_args(argv or [])
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    logging.getLogger().setLevel(logging.WARNING)  # request log lines would interleave with the transcript
    logging.getLogger("slack_bolt").setLevel(logging.ERROR)  # "Unhandled request": the console says so itself
    with Console(args.database_url or Settings.from_env(required=()).database_url) as console:
        stdout.write(console.banner() + "\n\n")
        run(console, stdin=stdin, stdout=stdout)


def run(console: Console, *, stdin: IO[str], stdout: IO[str]) -> None:
    """Read, handle and print lines until `quit` or end of input."""
    interactive = stdin.isatty()
    while not console.finished:
        line = read_line(console.prompt, stdin=stdin, stdout=stdout, interactive=interactive)
        if line is None:
            break
        output = console.handle(line)
        if output:
            stdout.write(output + "\n")
        stdout.flush()


def read_line(prompt: str, *, stdin: IO[str], stdout: IO[str], interactive: bool) -> str | None:
    """One line, or None at end of input; piped lines are echoed after the prompt so the transcript reads well."""
    if interactive and stdin is sys.stdin and stdout is sys.stdout:
        return read_from_terminal(prompt)
    stdout.write(prompt)
    stdout.flush()
    line = stdin.readline()
    if not line:
        stdout.write("\n")
        return None
    if not interactive:
        stdout.write(line if line.endswith("\n") else line + "\n")
    return line.rstrip("\n")


def read_from_terminal(prompt: str) -> str | None:
    """input() with line editing and history; Ctrl-C drops the line, Ctrl-D ends."""
    try:
        import readline  # noqa: F401 - importing it gives input() editing and history
    except ImportError:
        pass
    try:
        return input(prompt)
    except EOFError:
        print()
        return None
    except KeyboardInterrupt:
        print()
        return ""
