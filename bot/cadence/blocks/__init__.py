"""Block Kit of the kernel's own surfaces: /cadence reminders and their nudges, time away, the App Home frame and
/cadence help. Given plain values (bot/cadence/views.py, away_rules.py); never queries."""
