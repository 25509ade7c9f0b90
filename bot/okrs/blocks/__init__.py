"""Block Kit for /okr, one module per surface: `tree`, `scoring` (mine, the Score form, history), `reminders` (DMs
and the digest), `owners` (owners and quarters), `importing`, `retro`, `tries` (TRY lines made action items), `home`
and `help`; `pieces` holds what they share. Builders are given what they show: none of them queries."""
