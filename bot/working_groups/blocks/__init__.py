"""Block Kit for /wg, one module per surface: `charter`, `criteria`, `roles`, `items`, `scheduled` (sync reminder,
digest, end notices), `modals`, `people` (the import reply and Link people), `home`, `help`, `export`; `pieces` holds
what several of them share.

Builders take model objects and plain values (`today` is passed in, nothing reads the clock) and return the plain
dicts of `bot/blocks/common.py`; they never query: the handlers and nudges give them what they show.

Dates here are calendar days without a time of day, so they are written out (`Mon 30 Nov`) rather than as Slack
`<!date^…>` tokens, which need a timestamp and would shift a due day across time zones.
"""
