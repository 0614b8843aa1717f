"""Characteristics in the words people read, for explanations and the validator alike (wording only)."""

from __future__ import annotations

from collections.abc import Iterable


def plain(characteristic: str) -> str:
    """'has_step_free_access' -> 'step-free access', 'is_wheelchair_designated' -> 'wheelchair-designated'."""
    words = characteristic.removeprefix("is_").removeprefix("has_").replace("_", " ")
    for loose in ("step free", "en suite", "arson suitable"):
        words = words.replace(loose, loose.replace(" ", "-"))
    return words.replace(" designated", "-designated")


def listed(words: Iterable[str], joiner: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def bed_phrase(needs: frozenset[str]) -> str:
    """'bed', 'arson-suitable bed', 'bed suited for sex offenders', 'bed that is both wheelchair-designated
    and arson-suitable': a bed with every one of ``needs``."""
    if not needs:
        return "bed"
    words = [plain(c) for c in sorted(needs)]
    if len(words) == 1:
        return f"bed {words[0]}" if words[0].startswith("suited") else f"{words[0]} bed"
    return f"bed that is {'both ' if len(words) == 2 else ''}{listed(words)}"


def a_bed(needs: frozenset[str]) -> str:
    """``bed_phrase`` with its article: 'a bed', 'an arson-suitable bed'."""
    phrase = bed_phrase(needs)
    return f"{'an' if phrase[0] in 'aeiou' else 'a'} {phrase}"
