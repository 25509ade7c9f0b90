"""Quarterly OKRs: objectives, key results and their scores, and the retrospective, as the handbook writes them."""
