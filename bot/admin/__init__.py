"""The admin's tools over a whole workspace: export its data, forget a person, the audit trail on the command line.

Kernel-level: they read every table generically from `models.Base.metadata` (every table with a `team_id`), so a
table a program adds is exported and scanned without touching this package, and no program is imported.
"""
