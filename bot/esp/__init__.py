"""The Executive Sponsorship Program: sponsors mapped to accounts, the operating cadence, touchpoints and KPIs."""
