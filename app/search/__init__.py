"""Placing people by hand: search the estate for one placement request, book from a result, and manage the
booking (change its dates, transfer it to another AP, cancel it)."""
