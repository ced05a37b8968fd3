"""Find which of many registered strings occur in a text, at a cost that does not grow with
how many are registered.

Registered strings (each at least `GRAM` characters) form a trie, reached through a table of
their first `GRAM` characters. A lookup first finds which of those prefixes the text contains
(a C-speed `in` per prefix while there are few, else one pass over the text's windows), then
walks the trie only where such a prefix occurs. Strings sharing a prefix cost a walk as deep
as the text matches, not one comparison each, so no set of strings makes lookups slow.
"""

from __future__ import annotations

GRAM = 4
# Below this many distinct prefixes, `prefix in text` for each beats cutting the text up.
_FEW_PREFIXES = 24


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.value: str | None = None


class SubstringIndex:
    """A set of strings (each at least `GRAM` characters) searchable inside a text.

    Not thread-safe for writers; readers may run while one writer changes it.
    """

    __slots__ = ("_by_prefix", "_count")

    def __init__(self) -> None:
        self._by_prefix: dict[str, _Node] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, value: str) -> None:
        """Register `value`; shorter than `GRAM` characters is refused with ValueError."""
        if len(value) < GRAM:
            raise ValueError(f"indexed strings have at least {GRAM} characters")
        node = self._by_prefix.setdefault(value[:GRAM], _Node())
        for char in value[GRAM:]:
            node = node.children.setdefault(char, _Node())
        if node.value is None:
            node.value = value
            self._count += 1

    def discard(self, value: str) -> None:
        """Forget `value` (no error when it is not registered)."""
        path = [self._by_prefix.get(value[:GRAM])]
        for char in value[GRAM:]:
            node = path[-1]
            path.append(node.children.get(char) if node else None)
        if path[-1] is None or path[-1].value is None:
            return
        path[-1].value = None
        self._count -= 1
        for depth in range(len(path) - 1, 0, -1):  # prune empty branches
            node = path[depth]
            if node is None or node.value is not None or node.children:
                return
            parent = path[depth - 1]
            if parent is not None:
                del parent.children[value[GRAM + depth - 1]]
        root = path[0]
        if root is not None and root.value is None and not root.children:
            del self._by_prefix[value[:GRAM]]

    def found_in(self, text: str) -> list[str]:
        """The registered strings that occur in `text`, longest first."""
        if not self._count or len(text) < GRAM:
            return []
        prefixes = tuple(self._by_prefix)  # a copy: a writer may change it meanwhile
        if len(prefixes) <= _FEW_PREFIXES:
            present = [prefix for prefix in prefixes if prefix in text]
        else:
            present = list(self._by_prefix.keys()
                           & {text[i:i + GRAM] for i in range(len(text) - GRAM + 1)})
        found: set[str] = set()
        for prefix in present:
            root = self._by_prefix.get(prefix)
            start = text.find(prefix)
            while root is not None and start >= 0:
                self._walk(root, text, start + GRAM, found)
                start = text.find(prefix, start + 1)
        return sorted(found, key=len, reverse=True)

    @staticmethod
    def _walk(node: _Node, text: str, at: int, found: set[str]) -> None:
        while True:
            if node.value is not None:
                found.add(node.value)
            if at >= len(text):
                return
            child = node.children.get(text[at])
            if child is None:
                return
            node, at = child, at + 1
