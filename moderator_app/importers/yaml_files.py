"""YAML files people hand in (canned answers, partners): plain data only, of bounded shape.

``yaml.safe_load`` builds no objects but still expands aliases: a few hundred bytes of nested ``*a`` ("billion
laughs") took a minute and gigabytes before this, and 20,000 nested brackets ended in a RecursionError. Our
files never need an alias or deep nesting, so both are refused with the line where they occur.
"""

from __future__ import annotations

from typing import Any, Final

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import Node

#: Nesting a library or a partners' file never comes near (a list of mappings of lists: 4 levels).
MAX_DEPTH: Final = 32


class _PlainLoader(yaml.SafeLoader):
    """The safe loader (pure Python: the C one composes in C, out of reach) without aliases, depth-bounded."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise ComposerError(None, None, "an alias (*name) repeats another part of the file: write it out", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_plain_yaml(text: str) -> Any:
    """The data of a YAML document; raises ``yaml.YAMLError`` (with ``problem`` and ``problem_mark``)."""
    loader = _PlainLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
