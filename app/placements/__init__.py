"""Placing people: optimiser runs over a region or the whole country, their progress and their proposals."""
