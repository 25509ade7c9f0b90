"""Working groups: charters, roles, exit criteria, cadences and action items."""
