"""Every program module that registers nudge kinds on the cadence engine: one import per program.

Working groups, the executive sponsorship program, co-create and OKRs add their line here as they land.
"""
