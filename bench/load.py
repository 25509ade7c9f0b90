"""Load: Cadence scaled out (2 web and 3 worker processes on one PostgreSQL) under open-loop slash commands while
ticks post nudges.

    .venv/bin/python bench/load.py            # 100k stored, 1,000 due, 50 commands/s for 60 s: ~1.5 min
    .venv/bin/python bench/load.py --quick    # 10k stored, 100 due, 20 commands/s for 10 s: ~30 s

A throwaway PostgreSQL server holds `--stored` cadences over many teams; `--due` of them, in `--channels` channels of
`--teams` teams, fall due at moments spread through the load window. The Slack stand-in answers chat.postMessage and
chat.update after `--latency` seconds. `--webs` `python app.py web` and `--workers` `python app.py worker` processes
(TICK_SECONDS=`--tick-seconds`) start at once, as the Procfile scales them. Then `--rate` signed slash commands a
second for `--seconds` go out, each at its scheduled moment (open loop), alternating between the webs: `/cadence
list`, `/cadence add`, `/cadence help`, `/wg help` and `/okr help` from many people in several teams.

Checked: every reply (200 and the expected text; an apology, a `:x:`, another status or no answer in 3 s is an
error), every due nudge posted once (one delivery `sent`, one chat.postMessage per delivery id), the adds saved.
Targets (issue 16): 0 errors, every nudge once, p99 under 100 ms, peak RSS of each web and worker under 150 MB.
A missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update
from sqlalchemy.pool import NullPool

from bench.common import (
    TIMEZONES,
    bulk_insert_cadences,
    cadence_rows,
    percentile,
    progress,
    quiet_logging,
    spread_over_next_year,
    table,
    verdict,
)
from bot import clock
from bot import db as bot_db
from devtools.postgres_server import PostgresServer
from devtools.signing import command_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, Delivery, DeliveryStatus

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "load-signing-secret"
BOT_TOKEN = "xoxb-load"
P99_TARGET_MS = 100.0
RSS_TARGET_MB = 150.0
REPLY_TIMEOUT = 3.0  # Slack's window: a reply later than this is shown to the person as a failure
LATE_SENDER_MS = 10.0  # a sender this late (p99) would be measuring itself, not Cadence
START_TIMEOUT = 90.0
TICK_LINE = re.compile(  # the line a worker logs after a tick with work, with its logging time
    r"^(\S+ \S+) INFO \S+: tick at (\S+): claimed (\d+), posted (\d+), found already posted (\d+), "
    r"deferred (\d+), failed (\d+)",
    re.MULTILINE,
)
# What people type, and how often: the list and the add are the commands that touch the database.
MIX = (("list", 40), ("add", 25), ("help", 20), ("wg help", 8), ("okr help", 7))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=100_000, help="cadences stored (default 100000)")
    parser.add_argument("--due", type=int, default=1_000, help="of them, due during the window (default 1000)")
    parser.add_argument("--channels", type=int, default=300, help="channels the due ones and commands are in")
    parser.add_argument("--teams", type=int, default=5, help="teams that send commands and own the due ones")
    parser.add_argument("--people", type=int, default=40, help="people per team who send commands (default 40)")
    parser.add_argument("--rate", type=float, default=50.0, help="slash commands a second (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load window (default 60)")
    parser.add_argument("--webs", type=int, default=2, help="web processes (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="worker processes (default 3)")
    parser.add_argument("--tick-seconds", type=int, default=5, help="TICK_SECONDS of each worker (default 5)")
    parser.add_argument("--delivery-workers", type=int, default=8, help="DELIVERY_WORKERS (default 8)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the stand-in takes per chat call")
    parser.add_argument(
        "--other-latency", type=float, default=0.0, help="seconds for every other Slack call (default 0)"
    )
    parser.add_argument(
        "--stand-in",
        choices=("process", "here"),
        default="process",
        help="run the Slack stand-in in its own process (default) or in this one, beside the load generator",
    )
    parser.add_argument("--senders", type=int, default=64, help="threads sending requests (default 64)")
    parser.add_argument(
        "--unloaded",
        type=int,
        default=10,
        help="before the window, this many of each command to each web, one at a time (after 2 unmeasured)",
    )
    parser.add_argument("--drain", type=float, default=60.0, help="seconds to wait for the last nudges after")
    parser.add_argument("--seed", type=int, default=16, help="seed of the command mix")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10k stored, 100 due, 10 s at 20/s")
    args = parser.parse_args(argv)
    if args.quick:
        args.stored, args.due, args.channels, args.rate, args.seconds = 10_000, 100, 40, 20.0, 10.0
        args.people = 10
    if args.due > args.stored:
        parser.error("--due can't be more than --stored")
    return args


# ----------------------------------------------------------------------------- who sends what, where


@dataclass(frozen=True, slots=True)
class Workspace:
    """The teams, people and channels of the load: channel j and its people belong to team j % teams."""

    teams: list[str]
    people: dict[str, list[tuple[str, str]]]  # team → [(user id, tz)]
    channels: list[tuple[str, str]]  # [(channel id, team)]

    @classmethod
    def make(cls, *, teams: int, people: int, channels: int) -> Workspace:
        team_ids = [f"TL{t:05d}" for t in range(teams)]  # the fill's first teams: each also holds ~20 stored rows
        folks = {
            team: [(f"U{t:02d}L{p:03d}", TIMEZONES[p % len(TIMEZONES)]) for p in range(people)]
            for t, team in enumerate(team_ids)
        }
        rooms = [(f"C_LOAD{j:04d}", team_ids[j % teams]) for j in range(channels)]
        return cls(team_ids, folks, rooms)


@dataclass(frozen=True, slots=True)
class Command:
    k: int
    kind: str  # a MIX name
    web: int
    team: str
    user: str
    channel: str
    body: str


def commands(
    space: Workspace, count: int, *, webs: int, seed: int, response_url: str, title: str = "Load", each: bool = False
) -> list[Command]:
    """`count` commands in the MIX (or, with `each`, each kind in turn), from random people in random channels of
    their team, alternating webs; an add saves `title k`."""
    rng = random.Random(seed)
    kinds = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]
    planned = []
    for k in range(count):
        kind = kinds[(k // webs) % len(kinds)] if each else rng.choices(kinds, weights)[0]
        channel, team = rng.choice(space.channels)
        user, _tz = rng.choice(space.people[team])
        command, text = {
            "list": ("/cadence", "list"),
            "add": ("/cadence", f'add "{title} {k}" every monday at 09:30'),
            "help": ("/cadence", "help"),
            "wg help": ("/wg", "help"),
            "okr help": ("/okr", "help"),
        }[kind]
        body = command_body(command, text, user_id=user, channel_id=channel, team_id=team, response_url=response_url)
        planned.append(Command(k, kind, k % webs, team, user, channel, body))
    return planned


def reply_problem(kind: str, status: int, reply: Any) -> str | None:
    """Why a reply is wrong (an error), or None when it is what the command should answer."""
    if status != 200:
        return f"HTTP {status}"
    text = reply.get("text", "") if isinstance(reply, dict) else ""
    dumped = json.dumps(reply)
    if ":x:" in dumped or "Something went wrong" in dumped:
        return f"an error reply: {text[:120]!r}"
    expected = {
        "list": re.match(r"^(\d+ reminders|No reminders yet)", text),
        "add": text.startswith(("Saved reminder #", "You already have this reminder")),
        "help": "/cadence add" in text,
        "wg help": text.startswith("How to use /wg"),
        "okr help": text.startswith("How to use /okr"),
    }[kind]
    return None if expected else f"not the expected reply: {text[:120]!r}"


# ----------------------------------------------------------------------------- the Slack stand-in


@dataclass(frozen=True, slots=True)
class SlackSetup:
    people: list[tuple[str, str]]
    channels: list[tuple[str, list[str]]]
    latency: float
    other_latency: float


def set_up(slack: SlackStandIn, setup: SlackSetup) -> None:
    slack.set_latency(setup.other_latency)
    for method in ("chat.postMessage", "chat.update"):
        slack.set_latency(setup.latency, method)
    for user, tz in setup.people:
        slack.add_user(user, tz=tz)
    for channel, members in setup.channels:
        slack.add_channel(channel, members=members)


def nudge_posts(slack: SlackStandIn) -> list[int]:
    """The delivery id of every chat.postMessage the stand-in received carrying a nudge's metadata."""
    return [
        call["metadata"]["event_payload"]["delivery_id"]
        for call in slack.calls("chat.postMessage")
        if isinstance(call.get("metadata"), dict) and call["metadata"].get("event_type") == "cadence_nudge"
    ]


def summary(slack: SlackStandIn) -> dict[str, Any]:
    """What the report needs from the stand-in: the nudges posted, calls per method, problems, peak in flight."""
    return {
        "posts": nudge_posts(slack),
        "calls": dict(Counter(slack.methods_called())),
        "problems": list(slack.problems),
        "peak": slack.in_flight_peak("chat.postMessage"),
    }


class StandIn(Protocol):
    url: str

    def summary(self) -> dict[str, Any]: ...

    def stop(self) -> None: ...


class LocalStandIn:
    """The stand-in in this process: its threads share the GIL with the load generator."""

    def __init__(self, setup: SlackSetup) -> None:
        self.slack = SlackStandIn().start()
        set_up(self.slack, setup)
        self.url = self.slack.url

    def summary(self) -> dict[str, Any]:
        return summary(self.slack)

    def stop(self) -> None:
        self.slack.stop()


def _serve_stand_in(connection: Any, setup: SlackSetup) -> None:
    """The child process of RemoteStandIn: serve, then answer "summary" until "stop"."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it sends "stop"
    with SlackStandIn() as slack:
        set_up(slack, setup)
        connection.send(slack.url)
        while True:
            request = connection.recv()
            if request == "stop":
                return
            connection.send(summary(slack))


class RemoteStandIn:
    """The stand-in in its own process, so the load generator's threads don't slow its answers (or it theirs)."""

    def __init__(self, setup: SlackSetup) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve_stand_in, args=(child, setup), daemon=True)
        self.process.start()
        if not self.connection.poll(30):
            self.stop()
            raise SystemExit("the Slack stand-in process did not start")
        self.url = self.connection.recv()

    def summary(self) -> dict[str, Any]:
        self.connection.send("summary")
        return self.connection.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            try:
                self.connection.send("stop")
            except OSError:
                pass
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


# ----------------------------------------------------------------------------- the store


def fill(url: str, args: argparse.Namespace, space: Workspace) -> tuple[list[int], float]:
    """Migrate and fill: `--stored` cadences over stored/20 teams, far off; the first `--due` of them in the load's
    channels and teams, also far off until the window opens. Returns (the due ids, fill seconds)."""
    bot_db.upgrade_to_head(url)
    now = clock.now()
    teams = max(len(space.teams), args.stored // 20)
    later = spread_over_next_year(now)
    rows = cadence_rows(args.stored, team_of=lambda i: f"TL{i % teams:05d}", next_run_of=later, created_at=now)

    def placed(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            if row["id"] <= args.due:
                channel, team = space.channels[row["id"] % len(space.channels)]
                row = {**row, "team_id": team, "channel_id": channel, "created_by": space.people[team][0][0]}
            yield row

    seconds = bulk_insert_cadences(url, placed(rows))
    return list(range(1, args.due + 1)), seconds


def make_due(engine: Any, due: list[int], *, start: Any, seconds: float) -> None:
    """The due cadences fall due one after another from `start` through the window."""
    step = seconds / max(1, len(due))
    with engine.begin() as connection:
        for n, cadence_id in enumerate(due):
            connection.execute(
                update(Cadence).where(Cadence.id == cadence_id).values(next_run_at=start + timedelta(seconds=n * step))
            )


# ----------------------------------------------------------------------------- the processes


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: str | None = None  # a web's
    ready_rss_kb: int = 0

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def memory_kb(self) -> dict[str, int]:
        """VmHWM (peak RSS) and VmRSS of the process, in kB; {} once it has gone."""
        try:
            text = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return {}
        found = {}
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                found[name] = int(value.split()[0])
        return found


def start_children(args: argparse.Namespace, *, url: str, slack_url: str, folder: Path) -> list[Child]:
    """All webs and workers at once, each migrating as it starts, logging to a file in `folder`."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "LC_ALL", "TZ") if key in os.environ}
    base |= {
        "DATABASE_URL": url,
        "SLACK_API_URL": slack_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "TICK_SECONDS": str(args.tick_seconds),
        "DELIVERY_WORKERS": str(args.delivery_workers),
        "PYTHONUNBUFFERED": "1",
    }
    plan = [(f"web{n + 1}", "web", {"HOST": "127.0.0.1", "PORT": str(free_port())}) for n in range(args.webs)]
    plan += [(f"worker{n + 1}", "worker", {}) for n in range(args.workers)]
    children = []
    for name, mode, extra in plan:
        log = folder / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py"), mode],
                cwd=ROOT,
                env={**base, **extra},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script, which then stops them in order
            )
        children.append(Child(name, process, log, port=extra.get("PORT")))
    return children


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_alive(children: list[Child]) -> None:
    """Raise SystemExit with the log tails of any child that has exited."""
    dead = [c for c in children if c.process.poll() is not None]
    if dead:
        for child in dead:
            progress(f"--- {child.name} exited with {child.process.returncode}; the end of its log:\n{child.tail()}")
        raise SystemExit(f"{', '.join(c.name for c in dead)} exited early: not a valid measurement")


def wait_ready(children: list[Child], *, response_url: str) -> float:
    """Until each web answers a signed /cadence help and each worker says it ticks; returns the seconds it took."""
    start = time.perf_counter()
    waiting = set(range(len(children)))
    while waiting:
        check_alive(children)
        if time.perf_counter() - start > START_TIMEOUT:
            names = ", ".join(children[i].name for i in sorted(waiting))
            for i in sorted(waiting):
                progress(f"--- {children[i].name} is not ready; the end of its log:\n{children[i].tail()}")
            raise SystemExit(f"{names} not ready after {START_TIMEOUT:.0f} s")
        for i in sorted(waiting):
            child = children[i]
            if child.name.startswith("web"):
                body = command_body(
                    "/cadence", "help", user_id="U00L000", channel_id="C_LOAD0000", response_url=response_url
                )
                try:
                    status, _ = post_signed(events_url(child), body, SIGNING_SECRET, timeout=2)
                except OSError:
                    continue
                ready = status == 200
            else:
                ready = "worker ticking every" in child.log.read_text(errors="replace")
            if ready:
                child.ready_rss_kb = child.memory_kb().get("VmRSS", 0)
                waiting.discard(i)
        time.sleep(0.2)
    return time.perf_counter() - start


def events_url(child: Child) -> str:
    return f"http://127.0.0.1:{child.port}/slack/events"


def stop_children(children: list[Child]) -> None:
    """SIGTERM each, then SIGKILL what is still there after 10 s."""
    for child in children:
        if child.process.poll() is None:
            child.process.terminate()
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait(5)


# ----------------------------------------------------------------------------- the load


@dataclass
class Outcome:
    command: Command
    lateness_ms: float
    ms: float
    problem: str | None


@dataclass
class Load:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight_peak: int = 0
    _in_flight: int = 0

    def send(self, command: Command, url: str, scheduled: float) -> None:
        began = time.perf_counter()
        with self.lock:
            self._in_flight += 1
            self.in_flight_peak = max(self.in_flight_peak, self._in_flight)
        try:
            status, reply = post_signed(url, command.body, SIGNING_SECRET, timeout=REPLY_TIMEOUT)
            ms = (time.perf_counter() - began) * 1000
            problem = reply_problem(command.kind, status, reply)
        except TimeoutError:
            ms, problem = (time.perf_counter() - began) * 1000, f"no reply in {REPLY_TIMEOUT:.0f} s"
        except OSError as error:  # URLError, a reset connection
            ms, problem = (time.perf_counter() - began) * 1000, f"{type(error).__name__}: {error}"
        with self.lock:
            self._in_flight -= 1
            self.outcomes.append(Outcome(command, (began - scheduled) * 1000, ms, problem))


def one_at_a_time(planned: list[Command], urls: list[str]) -> Load:
    """Each command after the reply to the one before: what a command costs when nothing else runs."""
    load = Load()
    for command in planned:
        load.send(command, urls[command.web], time.perf_counter())
    return load


def run_load(planned: list[Command], urls: list[str], *, rate: float, senders: int) -> tuple[Load, float]:
    """Send each command at its moment (open loop: a slow reply delays no later send); returns (load, seconds)."""
    load = Load()
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="send") as pool:
        start = time.perf_counter() + 0.05
        for command in planned:
            scheduled = start + command.k / rate
            pause = scheduled - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(load.send, command, urls[command.web], scheduled)
        sent_by = time.perf_counter() - start
    return load, sent_by


# ----------------------------------------------------------------------------- after the window


def deliveries_of(engine: Any, due: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each due cadence's deliveries: [(delivery id, status)]."""
    found: dict[int, list[tuple[int, str]]] = {cadence_id: [] for cadence_id in due}
    with engine.connect() as connection:
        for cadence_id, delivery_id, status in connection.execute(
            select(Delivery.cadence_id, Delivery.id, Delivery.status).where(Delivery.cadence_id.in_(due))
        ):
            found[cadence_id].append((delivery_id, status))
    return found


def wait_for_nudges(engine: Any, due: list[int], *, bound: float) -> float:
    """Until every due cadence has a delivery sent, or `bound` seconds; returns the seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < bound:
        with engine.connect() as connection:
            sent = connection.scalar(
                select(func.count(func.distinct(Delivery.cadence_id))).where(
                    Delivery.cadence_id.in_(due), Delivery.status == DeliveryStatus.SENT
                )
            )
        if sent == len(due):
            break
        time.sleep(0.5)
    return time.perf_counter() - start


def worker_ticks(children: list[Child]) -> dict[str, dict[str, int]]:
    """From each worker's log: ticks that did something, and what they claimed, posted, deferred and failed."""
    found = {}
    for child in children:
        if not child.name.startswith("worker"):
            continue
        totals = {"ticks": 0, "claimed": 0, "posted": 0, "found": 0, "deferred": 0, "failed": 0}
        for match in TICK_LINE.finditer(child.log.read_text(errors="replace")):
            totals["ticks"] += 1
            for name, value in zip(
                ("claimed", "posted", "found", "deferred", "failed"), match.groups()[2:], strict=True
            ):
                totals[name] += int(value)
        found[child.name] = totals
    return found


def tick_ends(children: list[Child], *, window_start: float) -> list[tuple[float, str, int, int]]:
    """When each tick with work ended (its log line), in seconds from the window's start: (at, worker, claimed,
    posted), in time order."""
    ends = []
    for child in children:
        if child.name.startswith("worker"):
            for match in TICK_LINE.finditer(child.log.read_text(errors="replace")):
                stamp, millis = match.group(1).split(",")
                logged = time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) + int(millis) / 1000
                ends.append((logged - window_start, child.name, int(match.group(3)), int(match.group(4))))
    return sorted(ends)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - ticks[3] - ticks[4]) / hz, sum(ticks) / hz


def listen_overflows() -> int:
    """TCP connections the machine dropped because a listening socket's queue was full (each costs its client a
    1 s SYN retry), from /proc/net/netstat."""
    lines = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines() if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0], lines[1], strict=True)).get("ListenOverflows", 0))


def postgres_cpu() -> float:
    """CPU seconds so far of every PostgreSQL process on the machine (the server and its backends)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            total += cpu_seconds(int(stat.parent.name))
    return total


def cpu_snapshot(children: list[Child], slack: StandIn) -> dict[str, float]:
    """CPU seconds so far of each child, the stand-in's process, PostgreSQL, this script and the whole machine."""
    busy, total = machine_cpu()
    own = os.times()
    found = {child.name: cpu_seconds(child.process.pid) for child in children}
    if isinstance(slack, RemoteStandIn) and slack.process.pid is not None:
        found["stand-in"] = cpu_seconds(slack.process.pid)
    found["PostgreSQL"] = postgres_cpu()
    return found | {"load.py": own.user + own.system, "machine busy": busy, "machine total": total}


def log_trouble(children: list[Child]) -> dict[str, Counter[str]]:
    """Warnings, errors and tracebacks in each child's log, counted by their first line's gist."""
    found = {}
    for child in children:
        lines = Counter()
        for line in child.log.read_text(errors="replace").splitlines():
            if " WARNING " in line or " ERROR " in line or line.startswith("Traceback"):
                lines[re.sub(r"^\S+ \S+ ", "", line)[:140]] += 1
        found[child.name] = lines
    return found


# ----------------------------------------------------------------------------- the report


def ms_row(name: str, outcomes: list[Outcome]) -> list[str]:
    times = [o.ms for o in outcomes]
    errors = sum(1 for o in outcomes if o.problem)
    if not times:
        return [name, "0", "-", "-", "-", "-", str(errors)]
    cells = [percentile(times, 50), percentile(times, 99), max(times), sum(times) / len(times)]
    return [name, str(len(times)), *(f"{v:.1f}" for v in cells), str(errors)]


def report(args: argparse.Namespace, facts: dict[str, Any]) -> None:
    outcomes: list[Outcome] = facts["load"].outcomes
    errors = [o for o in outcomes if o.problem]
    times = [o.ms for o in outcomes]
    late = [o.lateness_ms for o in outcomes]
    print()
    print(
        f"Load: {args.webs} web + {args.workers} worker processes on one PostgreSQL, {args.stored:,} cadences "
        f"stored (filled in {facts['fill_seconds']:.1f} s), {args.due:,} due in {args.channels} channels of "
        f"{args.teams} teams during the window"
    )
    print(
        f"{args.rate:g} signed slash commands/s for {args.seconds:g} s, open loop, alternating webs; TICK_SECONDS="
        f"{args.tick_seconds}, DELIVERY_WORKERS={args.delivery_workers}; the stand-in ({args.stand_in}) takes "
        f"{args.latency * 1000:.0f} ms per chat call, {args.other_latency * 1000:.0f} ms per other call"
    )
    print(f"all {len(facts['children'])} processes started and answered in {facts['ready_seconds']:.1f} s")
    print()
    rows = [ms_row("all", outcomes)]
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    by_web: dict[int, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.command.kind].append(o)
        by_web[o.command.web].append(o)
    rows += [ms_row(f"/{'cadence ' if ' ' not in name else ''}{name}", by_kind[name]) for name, _ in MIX]
    rows += [ms_row(f"to web{web + 1}", by_web[web]) for web in sorted(by_web)]
    print(table(["requests", "n", "p50 ms", "p99 ms", "max ms", "mean ms", "errors"], rows))
    quiet: list[Outcome] = facts["unloaded"]
    if quiet:
        quiet_rows = [ms_row("all", quiet)]
        for name, _ in MIX:
            same = [o for o in quiet if o.command.kind == name]
            quiet_rows.append(ms_row(f"/{'cadence ' if ' ' not in name else ''}{name}", same))
        print()
        print(
            f"the same commands one at a time before the window (nothing due, after {2 * len(MIX)} per web unmeasured):"
        )
        print(table(["requests", "n", "p50 ms", "p99 ms", "max ms", "mean ms", "errors"], quiet_rows))
        for o in [o for o in quiet if o.problem][:5]:
            print(f"  error: {o.command.kind} #{o.command.k} to web{o.command.web + 1}: {o.problem}")
    print()
    sent = len(facts["planned"])
    pace = len(outcomes) / facts["sent_by"]
    print(
        f"sent {len(outcomes)} of {sent} planned in {facts['sent_by']:.1f} s ({pace:.1f}/s);"
        f" at most {facts['load'].in_flight_peak} in flight"
    )
    if late:
        print(
            f"sender lateness (began - scheduled): p50 {percentile(late, 50):.2f} ms, p99 {percentile(late, 99):.2f}"
            f" ms, max {max(late):.2f} ms (p99 under {LATE_SENDER_MS:.0f} ms: {verdict(percentile(late, 99) < 10)})"
        )
    for o in errors[:10]:
        print(f"  error: {o.command.kind} #{o.command.k} to web{o.command.web + 1}: {o.problem}")
    if len(errors) > 10:
        print(f"  … and {len(errors) - 10} more: {dict(Counter(o.problem.split(':')[0] for o in errors))}")
    adds_ok = sum(1 for o in by_kind["add"] if not o.problem)
    print(f"adds: {len(by_kind['add'])} sent, {adds_ok} answered saved, {facts['saved']} saved in the database")
    print()

    nudges = facts["nudges"]
    print(
        f"nudges: {args.due} due, {nudges['sent_once']} with one delivery sent, {nudges['posted']} posted, "
        f"{nudges['twice']} twice, {nudges['lost']} lost; {nudges['extra_deliveries']} extra deliveries, "
        f"{nudges['stray_posts']} posts of no due delivery; the last sent {facts['drained']:.1f} s after the window"
    )
    if nudges["not_sent"]:
        print(f"  not sent: {nudges['not_sent'][:10]}")
    ticks = facts["ticks"]
    if ticks:
        print(
            table(
                ["worker", "ticks with work", "claimed", "posted", "found posted", "deferred", "failed"],
                [[name, *t.values()] for name, t in ticks.items()],
            )
        )
    ends = facts["tick_ends"]
    if ends:
        print(
            "ticks with work ended at (s from the window's start): "
            + ", ".join(f"{at:.1f} {name} ({claimed} claimed, {posted} posted)" for at, name, claimed, posted in ends)
        )
    slow = [o for o in outcomes if o.ms >= P99_TARGET_MS]
    if slow:
        seconds: dict[int, list[float]] = defaultdict(list)
        for o in slow:
            seconds[int(o.command.k / args.rate)].append(o.ms)
        print(
            f"replies of {P99_TARGET_MS:.0f} ms or more, by the second of the window they were sent in: "
            + ", ".join(f"{second} s: {len(v)} (max {max(v):.0f} ms)" for second, v in sorted(seconds.items()))
        )
    if facts["autovacuum"]:
        print(
            "PostgreSQL's own work since the window opened: "
            + ", ".join(f"{what} of {name} at {at:.1f} s" for at, what, name in facts["autovacuum"])
        )
    cpu = facts["cpu"]
    window = cpu["machine total"] / (os.cpu_count() or 1)
    others = cpu["machine busy"] - sum(v for name, v in cpu.items() if not name.startswith("machine"))
    print(
        f"CPU in the window ({window:.1f} s, {os.cpu_count()} cores): machine {cpu['machine busy'] / window:.2f} cores"
        " busy; "
        + ", ".join(f"{name} {v / window:.2f}" for name, v in cpu.items() if not name.startswith("machine"))
        + f", the rest {others / window:.2f}"
    )
    print(f"connections dropped by a full listen queue in the window (a 1 s SYN retry each): {facts['overflows']}")
    stand_in = facts["stand_in"]
    calls = ", ".join(f"{name} {n}" for name, n in sorted(stand_in["calls"].items()))
    print(f"Slack calls: {calls}; chat.postMessage at most {stand_in['peak']} at once")
    if stand_in["problems"]:
        print(f"stand-in problems ({len(stand_in['problems'])}): {stand_in['problems'][:5]}")
    print()
    memory_rows = []
    peaks = []
    for child in facts["children"]:
        memory = facts["memory"][child.name]
        peak = memory.get("VmHWM", 0) / 1024
        peaks.append(peak)
        memory_rows.append(
            [
                child.name,
                child.process.pid,
                f"{child.ready_rss_kb / 1024:.1f}",
                f"{memory.get('VmRSS', 0) / 1024:.1f}",
                f"{peak:.1f}",
            ]
        )
    print(table(["process", "pid", "RSS ready MB", "RSS end MB", "peak RSS (VmHWM) MB"], memory_rows))
    trouble = {name: lines for name, lines in facts["trouble"].items() if lines}
    for name, lines in trouble.items():
        for line, n in lines.most_common(5):
            print(f"  {name} log: {n}x {line}")
    print()
    p99 = percentile(times, 99) if times else float("inf")
    once = nudges["twice"] == 0 and nudges["lost"] == 0 and nudges["sent_once"] == args.due
    print(f"errors: {len(errors)} of {len(outcomes)} (target 0): {verdict(not errors and len(outcomes) == sent)}")
    print(f"p99: {p99:.1f} ms (target < {P99_TARGET_MS:.0f} ms): {verdict(p99 < P99_TARGET_MS)}")
    print(
        f"nudges: {nudges['posted']} of {args.due} posted, {nudges['twice']} twice, {nudges['lost']} lost "
        f"(target every one once): {verdict(once)}"
    )
    worst = max(peaks) if peaks else 0.0
    print(
        f"peak RSS: web {max(peaks[: args.webs], default=0):.1f} MB, worker {max(peaks[args.webs :], default=0):.1f} MB"
        f" (target < {RSS_TARGET_MB:.0f} MB each): {verdict(worst < RSS_TARGET_MB)}"
    )


# ----------------------------------------------------------------------------- main


def verify(engine: Any, due: list[int], posts: list[int]) -> dict[str, Any]:
    """Every due cadence: exactly one delivery, sent, and exactly one chat.postMessage carrying its id."""
    deliveries = deliveries_of(engine, due)
    counted = Counter(posts)
    due_ids = {d for rows in deliveries.values() for d, _ in rows}
    sent_once = sum(1 for rows in deliveries.values() if len(rows) == 1 and rows[0][1] == DeliveryStatus.SENT)
    return {
        "sent_once": sent_once,
        "posted": sum(1 for d in due_ids if counted[d] >= 1),
        "twice": sum(1 for d in due_ids if counted[d] > 1),
        "lost": sum(1 for rows in deliveries.values() if not any(counted[d] for d, _ in rows)),
        "extra_deliveries": sum(max(0, len(rows) - 1) for rows in deliveries.values()),
        "stray_posts": sum(n for d, n in counted.items() if d not in due_ids),
        "not_sent": [c for c, rows in deliveries.items() if not any(s == DeliveryStatus.SENT for _, s in rows)],
    }


def autovacuum_runs(engine: Any, *, window_start: float) -> list[tuple[float, str, str]]:
    """PostgreSQL's autovacuum and autoanalyze runs since the window opened: (s from its start, what, table)."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT relname, extract(epoch FROM last_autovacuum), extract(epoch FROM last_autoanalyze)"
            " FROM pg_stat_user_tables"
        ).all()
    runs = []
    for table_name, vacuumed, analyzed in rows:
        for what, at in (("autovacuum", vacuumed), ("autoanalyze", analyzed)):
            if at is not None and float(at) >= window_start:
                runs.append((float(at) - window_start, what, table_name))
    return sorted(runs)


def saved_adds(engine: Any) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Cadence).where(Cadence.title.like("Load %"))) or 0


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    quiet_logging()
    space = Workspace.make(teams=args.teams, people=args.people, channels=args.channels)
    setup = SlackSetup(
        people=[person for team in space.teams for person in space.people[team]],
        channels=[(channel, [u for u, _ in space.people[team]]) for channel, team in space.channels],
        latency=args.latency,
        other_latency=args.other_latency,
    )
    children: list[Child] = []
    server: PostgresServer | None = None
    slack: StandIn | None = None
    engine = None
    facts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cadence-load-") as directory:
        folder = Path(directory)
        try:
            progress("starting a throwaway PostgreSQL server…")
            server = PostgresServer().start()
            url = server.create_database("cadence_load")
            progress(f"filling {args.stored:,} cadences ({args.due:,} to fall due)…")
            due, facts["fill_seconds"] = fill(url, args, space)
            engine = bot_db.make_engine(url, poolclass=NullPool)
            progress(f"starting the Slack stand-in ({args.stand_in})…")
            slack = RemoteStandIn(setup) if args.stand_in == "process" else LocalStandIn(setup)
            response_url = slack.url.removesuffix("api/") + "hooks/load"
            progress(f"starting {args.webs} web and {args.workers} worker processes at once…")
            children = start_children(args, url=url, slack_url=slack.url, folder=folder)
            facts["children"] = children
            facts["ready_seconds"] = wait_ready(children, response_url=response_url)
            planned = commands(
                space, int(args.rate * args.seconds), webs=args.webs, seed=args.seed, response_url=response_url
            )
            facts["planned"] = planned
            urls = [events_url(c) for c in children if c.name.startswith("web")]
            kinds = len(MIX) * args.webs
            progress(f"warming up, then {args.unloaded} of each command to each web, one at a time…")
            quiet = commands(
                space,
                kinds * (2 + args.unloaded),
                webs=args.webs,
                seed=1,
                response_url=response_url,
                title="Warm",
                each=True,
            )
            facts["unloaded"] = one_at_a_time(quiet, urls).outcomes[2 * kinds :]
            window_start = clock.now() + timedelta(seconds=1)
            make_due(engine, due, start=window_start, seconds=args.seconds)
            time.sleep(max(0.0, (window_start - clock.now()).total_seconds()))
            progress(f"sending {len(planned)} commands over {args.seconds:g} s…")
            facts["window_start"] = time.time()
            before = cpu_snapshot(children, slack)
            overflows = listen_overflows()
            facts["load"], facts["sent_by"] = run_load(planned, urls, rate=args.rate, senders=args.senders)
            after = cpu_snapshot(children, slack)
            facts["overflows"] = listen_overflows() - overflows
            facts["cpu"] = {name: after[name] - before[name] for name in before}
            check_alive(children)
            left = max(0.0, (window_start + timedelta(seconds=args.seconds) - clock.now()).total_seconds())
            progress(f"waiting for the last nudges (up to {left + args.drain:.0f} s)…")
            facts["drained"] = wait_for_nudges(engine, due, bound=left + args.drain) - left
            time.sleep(args.tick_seconds + 1)  # one more tick: a second copy would show up now
            check_alive(children)
            facts["stand_in"] = slack.summary()
            facts["nudges"] = verify(engine, due, facts["stand_in"]["posts"])
            facts["saved"] = saved_adds(engine)
            facts["memory"] = {child.name: child.memory_kb() for child in children}
            facts["ticks"] = worker_ticks(children)
            facts["tick_ends"] = tick_ends(children, window_start=facts["window_start"])
            facts["autovacuum"] = autovacuum_runs(engine, window_start=facts["window_start"])
            facts["trouble"] = log_trouble(children)
        finally:
            progress("stopping the processes, the stand-in and PostgreSQL…")
            stop_children(children)
            if slack is not None:
                slack.stop()
            if engine is not None:
                engine.dispose()
            if server is not None:
                server.stop()
    report(args, facts)


if __name__ == "__main__":
    main()
