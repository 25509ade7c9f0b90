"""App Home is made of sections: the kernel's (time away, reminders) and each program's, which the program
registers when it loads (as it registers its nudge kinds), so the Home handler never names a program."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.common import Block

# (session, team_id, user_id, now) → the section's blocks for that user, [] when it has nothing for them.
SectionBuilder = Callable[[Session, str, str, datetime], list[Block]]


@dataclass(frozen=True, slots=True)
class HomeSection:
    name: str
    order: int  # lower comes first: time away 0, working groups 10, co-create 20, OKRs 30
    build: SectionBuilder


_SECTIONS: dict[str, HomeSection] = {}


def register_home_section(name: str, *, order: int, build: SectionBuilder) -> None:
    """Add (or replace, on a reload) a program's App Home section."""
    _SECTIONS[name] = HomeSection(name, order, build)


def home_sections(session: Session, *, team_id: str, user_id: str, now: datetime) -> list[Block]:
    """Every registered section's blocks for the user, in order."""
    blocks: list[Block] = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name)):
        blocks.extend(section.build(session, team_id, user_id, now))
    return blocks
