"""Action items, shared by working groups and OKR retrospectives alike."""
