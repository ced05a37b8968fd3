"""Sports names as people type them: "nrl", "premier league", "Storm v Broncos".

A query names one of a list of names, tried in stages, the first stage with any hit deciding:
the same name ignoring case, spacing and punctuation; the name's leading words; every word of
the query among the name's words (whole words, any order). A match name's sides may come in
either order. Two hits in the deciding stage are an ambiguity; no hit at all is a miss. A word
never matches inside another word ("ran" is not in "Cranbourne").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from mcp.server.mcpserver.exceptions import ToolError

_SIDES = re.compile(r"\s+(?:v|vs|versus|@)\.?\s+", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_LISTED = 15


def words(text: str) -> list[str]:
    """The lower-case words of `text`, punctuation dropped."""
    return [word for word in _NOT_WORD.split(text.lower()) if word]


def _sides(name: str) -> list[str]:
    return [side for side in _SIDES.split(name.strip()) if side]


def _spellings(name: str) -> list[list[str]]:
    """The name's word lists: as written and, for a two-sided match, sides swapped."""
    sides = _sides(name)
    spellings = [words(" ".join(sides))]
    if len(sides) == 2:
        spellings.append(words(f"{sides[1]} {sides[0]}"))
    return spellings


def _stages(query: str, names: Sequence[str]) -> list[list[str]]:
    wanted = _spellings(query)[0]
    spellings = {name: _spellings(name) for name in names}
    return [
        [n for n, found in spellings.items() if any("".join(s) == "".join(wanted)
                                                    for s in found)],
        [n for n, found in spellings.items() if any(s[:len(wanted)] == wanted for s in found)],
        [n for n, found in spellings.items() if set(wanted) <= set(found[0])],
    ]


def closest(query: str, names: Sequence[str]) -> list[str]:
    """`names`, the closest to `query` first."""
    wanted = "".join(words(query))
    return sorted(names, key=lambda name: -difflib.SequenceMatcher(
        None, wanted, "".join(words(name))).ratio())


def pick(query: str, names: Sequence[str], *, what: str, where: str,
         aliases: Mapping[str, str] | None = None, on_miss: str | None = None) -> str:
    """The one name of `names` that `query` means, or a `ToolError` that lists the candidates
    (ambiguous) or what exists in `where` (a miss), closest first. `aliases` maps other
    spellings (a display name, say) to names; `on_miss`, when given, answers a miss."""
    if not words(query):
        raise ToolError(f"{what} must contain letters or digits; {where} has: "
                        f"{listing(names)}.")
    aliases = aliases or {}
    for stage in _stages(query, [*names, *aliases]):
        found = list(dict.fromkeys(aliases.get(name, name) for name in stage))
        if len(found) == 1:
            return found[0]
        if found:
            raise ToolError(f"{what} {query[:60]!r} could mean {listing(found)}; send one of "
                            "them.")
    if on_miss is not None:
        return on_miss
    raise ToolError(f"no {what} {query[:60]!r} in {where}; it has (closest first): "
                    f"{listing(closest(query, names))}.")


def listing(names: Sequence[str]) -> str:
    """Up to 15 names, comma-separated, with a count of the rest."""
    shown = ", ".join(names[:_LISTED]) or "nothing open right now"
    rest = len(names) - _LISTED
    return shown + (f" and {rest} more" if rest > 0 else "")
