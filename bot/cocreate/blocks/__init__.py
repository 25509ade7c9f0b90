"""Co-create's Block Kit, one module per surface: steps (the checklist, late DM, open steps), pipeline (funnel,
targets, contributions), prospects (ranking and scores), modals (forms and their readers), help.

Builders are given what they show; none of them reads the database."""
