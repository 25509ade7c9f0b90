"""The Executive Sponsorship Program's Block Kit ids, named program.thing.verb (the strings are in messages Slack
already holds: they never change)."""

ESP_CHECKLIST_DONE = "esp.checklist.done"  # value: the checklist item's row id
