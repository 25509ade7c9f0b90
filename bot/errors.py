"""Errors a user can fix: each says what was wrong and how to write it."""

from __future__ import annotations


class UserError(Exception):
    """A problem with what the user asked for; shown to them ephemerally, nothing is saved.

    `problem` says what was wrong (user text in it must already be escaped and quoted),
    `usage` shows how to write it instead, and `field` names the modal block it belongs to.
    """

    def __init__(self, problem: str, usage: str | None = None, *, field: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.usage = usage
        self.field = field

    @property
    def message(self) -> str:
        """The whole text shown to the user."""
        return f"{self.problem} {self.usage}" if self.usage else self.problem


class PermissionDenied(UserError):
    """The user may not do this; the message says who may."""
