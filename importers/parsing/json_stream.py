"""Read the records of a JSON feed one at a time, without loading the whole file.

Neither ijson nor another streaming parser is installed, so this walks the top level
by hand and lets the standard library's C decoder (``raw_decode``) parse each record.
Memory stays at about one record plus one read buffer, whatever the file size.

Shapes understood (the first three are what ORUK publishers send):

* a bare JSON array of records: ``[{...}, {...}]``;
* an object whose ``contents`` (ORUK 3.0) or ``content`` (v1) is the array; the
  other keys (``total_items``, ``totalPages`` ...) are collected in ``meta``;
* a single record object (``/services/{id}``);
* newline-delimited JSON, one record per line (this directory's own export).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

RECORD_KEYS = ("contents", "content")
READ_SIZE = 256 * 1024
#: One record larger than this is treated as malformed rather than read into memory.
MAX_RECORD_CHARS = 8 * 1024 * 1024
#: Objects and arrays nested deeper than this are refused. An ORUK record is about six
#: levels deep; a much deeper one is an attack on the parser (Python's decoder recurses,
#: and would otherwise end the run with a RecursionError).
MAX_DEPTH = 64
_decoder = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


_TOO_DEEP = f"a record is nested more than {MAX_DEPTH} levels deep"


class FeedFormatError(ValueError):
    """Not JSON, or JSON we cannot find records in; the message says where and why."""


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when ``value`` nests objects or arrays more than ``limit`` levels deep."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JsonRecordStream:
    """Iterate to get records; ``meta`` holds the envelope's other keys as they are read."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.buffer = ""
        self.pos = 0
        self.offset = 0  # characters dropped from the front of the buffer so far
        self.eof = False
        self.meta: dict[str, Any] = {}
        self.shape = ""

    # --- low-level reading -------------------------------------------------------

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(READ_SIZE)
        if not chunk:
            self.eof = True
            return False
        if self.pos > READ_SIZE:
            # Drop what has been parsed so the buffer never grows with the file.
            self.offset += self.pos
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        self.buffer += chunk
        return True

    def _peek(self) -> str:
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                return ""

    def _expect(self, chars: str, what: str) -> str:
        char = self._peek()
        if not char or char not in chars:
            found = repr(char) if char else "the end of the file"
            raise self._error(f"expected {what} but found {found}")
        self.pos += 1
        return char

    def _value(self) -> Any:
        self._peek()
        while True:
            try:
                value, end = _decoder.raw_decode(self.buffer, self.pos)
            except RecursionError:
                raise self._error(_TOO_DEEP) from None
            except json.JSONDecodeError as error:
                # Perhaps just cut off by the end of the buffer: read more and retry.
                if len(self.buffer) - self.pos > MAX_RECORD_CHARS:
                    raise self._error(
                        f"a record is larger than {MAX_RECORD_CHARS} characters or malformed"
                    ) from error
                if self._fill():
                    continue
                raise self._error(error.msg, error.pos) from error
            # A number at the very end of the buffer may continue in the next chunk.
            if end == len(self.buffer) and not self.eof and self._fill():
                continue
            if too_deep(value):
                raise self._error(_TOO_DEEP)
            self.pos = end
            return value

    def _error(self, message: str, at: int | None = None) -> FeedFormatError:
        where = self.offset + (self.pos if at is None else at)
        return FeedFormatError(f"Not valid JSON at character {where}: {message}.")

    # --- structure ------------------------------------------------------------------

    def __iter__(self) -> Iterator[Any]:
        first = self._peek()
        if first == "[":
            self.shape = "array"
            yield from self._array()
        elif first == "{":
            yield from self._object()
        elif not first:
            raise FeedFormatError("The feed is empty.")
        else:
            raise self._error("a feed must start with '[' or '{'")
        if self._peek():
            raise self._error("unexpected data after the end of the feed")

    def _array(self) -> Iterator[Any]:
        self._expect("[", "'['")
        if self._peek() == "]":
            self.pos += 1
            return
        while True:
            yield self._value()
            if self._expect(",]", "',' or ']'") == "]":
                return

    def _object(self) -> Iterator[Any]:
        self._expect("{", "'{'")
        found_records = False
        if self._peek() == "}":
            self.pos += 1
        else:
            while True:
                if self._peek() != '"':
                    raise self._error("expected a quoted key")
                key = self._value()
                self._expect(":", "':'")
                if key in RECORD_KEYS and self._peek() == "[" and not found_records:
                    found_records = True
                    self.shape = f"envelope:{key}"
                    yield from self._array()
                else:
                    self.meta[key] = self._value()
                if self._expect(",}", "',' or '}'") == "}":
                    break
        if found_records:
            return
        # No record list: a single record, or the first line of ndjson.
        self.shape = "record"
        record, self.meta = self.meta, {}
        yield record
        while self._peek() == "{":
            self.shape = "ndjson"
            yield self._value()


def check_json(handle: IO[str]) -> int:
    """Read a whole feed once, returning its record count or raising FeedFormatError.

    Used before importing a file, so a file that turns out malformed halfway through
    is refused before anything is written.
    """
    return sum(1 for _ in JsonRecordStream(handle))
