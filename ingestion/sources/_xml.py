"""Reading a publisher's XML list (one element per record) into a frame of text columns, with standard-library expat.

A list is a root element holding records, directly (Canada's ``<data-set><record>``) or in
container elements (the UN's ``<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>``). An
:class:`XmlLayout` names the root and the paths of the record elements; :func:`read_records`
returns one row per record:

- ``__row``: **the physical 1-based line of the file on which the record's start tag begins**
  (expat's ``CurrentLineNumber`` when the start tag is reported), so that a skipped entry or a
  problem names a line a person can open the file at;
- ``element`` (where the layout asks for it): the record's element name (``INDIVIDUAL``, ``ENTITY``);
- one String column per child element of the records (a field), in the order first seen; the
  columns the layout declares are always present (null where no record has them):
  - a field without child elements is its text as written (whitespace kept; an empty or
    whitespace-only element is null); a field repeated in one record is its texts joined by ``"; "``;
  - a field with child elements anywhere in the file (the UN's ``INDIVIDUAL_DATE_OF_BIRTH``,
    ``NATIONALITY``) is JSON: a list with one object per occurrence, mapping each child's tag to
    the list of its texts (a child's text includes the text of elements inside it), e.g.
    ``[{"TYPE_OF_DATE": ["EXACT"], "DATE": ["1964-07-17"]}]``; occurrences with nothing in them
    are left out, and a field with none is null.
- ``renames`` read older element names as the current ones (Canada's ``Entity`` as ``EntityOrShip``);
  a record that holds both names of one field is unreadable.

Attributes of fields are not read; the root's attributes are returned (the UN's ``dateGenerated``).

Rejected whole with one reason (:class:`UnreadableFile`), naming the line: an empty file;
XML that is not well-formed (expat's message, line and column); a DOCTYPE or entity declaration
(never expanded: a publisher's list has none, and expansion is how XML bombs work); another root
element; an element where the layout has none (e.g. ``<foo>`` beside the ``<record>`` elements);
text directly inside a record or container; no record at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import polars as pl

from ingestion.readers import ROW, UnreadableFile

#: how much of a file :func:`sniff_layout` reads.
SNIFF_BYTES = 16384
#: a field's repeated texts are joined with this.
REPEAT_SEPARATOR = "; "


@dataclass(frozen=True)
class XmlLayout:
    """Where the records of one publisher's XML list are, and what their fields are called."""

    #: how messages call the file, e.g. "a Canada SEMA list (sema-lmes.xml)".
    what: str
    root: str
    #: element paths below the root that are records, e.g. ``(("record",),)``.
    records: tuple[tuple[str, ...], ...]
    #: fields always present as columns (null where absent).
    columns: tuple[str, ...] = ()
    #: older element name → current name.
    renames: Mapping[str, str] = field(default_factory=dict)
    #: name of the column holding the record's element name (None: no such column).
    element_column: str | None = None

    @property
    def record_depth(self) -> int:
        """Depth of the record elements (the root is 1)."""
        return 1 + len(self.records[0])


class _Stop(Exception):
    """Raised inside expat handlers to stop a sniff early with its verdict."""

    def __init__(self, verdict: bool) -> None:
        super().__init__(verdict)
        self.verdict = verdict


class _Reader:
    """expat handlers that collect records; one instance per file."""

    def __init__(self, layout: XmlLayout, parser: expat.XMLParserType) -> None:
        self.layout = layout
        self.parser = parser
        self.depth_of_record = layout.record_depth
        self.prefixes = {path[:n] for path in layout.records for n in range(1, len(path))}
        self.stack: list[str] = []
        self.root_attributes: dict[str, str] = {}
        self.lines: list[int] = []
        self.elements: list[str] = []
        self.records: list[dict[str, list]] = []
        self.compound: set[str] = set()
        self._record: dict[str, list] | None = None
        self._origin: dict[str, str] = {}
        self._field: str | None = None
        self._field_text: list[str] = []
        self._field_children: dict[str, list[str]] = {}
        self._child: str | None = None
        self._child_text: list[str] = []

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.stack.append(name)
        depth = len(self.stack)
        if depth == 1:
            if name != self.layout.root:
                raise UnreadableFile(f"not {self.layout.what}: the root element is <{name}>, "
                                     f"expected <{self.layout.root}>")
            self.root_attributes = dict(attributes)
        elif depth < self.depth_of_record:
            if tuple(self.stack[1:]) not in self.prefixes:
                self._unexpected(name)
        elif depth == self.depth_of_record:
            if tuple(self.stack[1:]) not in self.layout.records:
                self._unexpected(name)
            self.lines.append(self.line)
            self.elements.append(name)
            self._record = {}
            self._origin = {}
        elif depth == self.depth_of_record + 1:
            current = self.layout.renames.get(name, name)
            first = self._origin.setdefault(current, name)
            if first != name:
                raise UnreadableFile(
                    f"not {self.layout.what}: the record on line {self.lines[-1]} has both <{first}> and <{name}> "
                    f"(two names of the field {current})")
            self._field, self._field_text, self._field_children = current, [], {}
        elif depth == self.depth_of_record + 2:
            self._child, self._child_text = name, []

    def _unexpected(self, name: str) -> None:
        where = "/".join(self.stack[:-1])
        expected = " or ".join("<" + "/".join(path) + ">" for path in self.layout.records)
        raise UnreadableFile(f"not {self.layout.what}: unexpected element <{name}> on line {self.line} in <{where}> "
                             f"(the records are {expected} under <{self.layout.root}>)")

    def end(self, name: str) -> None:
        depth = len(self.stack)
        self.stack.pop()
        if depth == self.depth_of_record:
            self.records.append(self._record or {})
            self._record = None
        elif depth == self.depth_of_record + 1 and self._record is not None and self._field is not None:
            text = "".join(self._field_text)
            if self._field_children:
                self.compound.add(self._field)
                value: object = dict(self._field_children)
                if text.strip():
                    value["#text"] = [text]  # type: ignore[index]
            else:
                value = text if text.strip() else None
            self._record.setdefault(self._field, []).append(value)
            self._field = None
        elif depth == self.depth_of_record + 2 and self._child is not None:
            self._field_children.setdefault(self._child, []).append("".join(self._child_text))
            self._child = None

    def text(self, data: str) -> None:
        depth = len(self.stack)
        if depth > self.depth_of_record + 1:
            self._child_text.append(data)
        elif depth == self.depth_of_record + 1:
            self._field_text.append(data)
        elif data.strip():
            element = self.stack[-1] if self.stack else "(none)"
            raise UnreadableFile(f"not {self.layout.what}: text {data.strip()[:40]!r} directly inside <{element}> "
                                 f"on line {self.line}")


def _refuse_declaration(*_args: object) -> None:
    raise UnreadableFile("the XML declares a DOCTYPE or entities; a publisher's list has none, and they are not "
                         "expanded (they can make a file expand without bound)")


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    return parser


def _not_well_formed(exc: expat.ExpatError, what: str) -> UnreadableFile:
    return UnreadableFile(f"not {what}: the XML is not well-formed ({expat.ErrorString(exc.code)}) "
                          f"on line {exc.lineno}, column {exc.offset + 1}")


def read_records(path: Path, layout: XmlLayout) -> tuple[pl.DataFrame, dict[str, str]]:
    """The records of ``path`` as String columns plus ``__row`` (the line of each record), and the root's attributes."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("the file is empty")
    parser = _parser()
    reader = _Reader(layout, parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _not_well_formed(exc, layout.what) from None
    if not reader.records:
        expected = " or ".join("<" + "/".join(path) + ">" for path in layout.records)
        raise UnreadableFile(f"not {layout.what}: no records ({expected} elements) under <{layout.root}>")
    return _frame(reader), reader.root_attributes


def _frame(reader: _Reader) -> pl.DataFrame:
    names = list(dict.fromkeys([*reader.layout.columns, *(k for record in reader.records for k in record)]))
    columns: dict[str, list[str | None]] = {}
    for name in names:
        if name in reader.compound:
            columns[name] = [_as_json(record.get(name)) for record in reader.records]
        else:
            columns[name] = [_as_text(record.get(name)) for record in reader.records]
    frame = pl.DataFrame(columns, schema=dict.fromkeys(names, pl.String))
    if reader.layout.element_column:
        frame = frame.with_columns(pl.Series(reader.layout.element_column, reader.elements, pl.String))
    return frame.with_columns(pl.Series(ROW, reader.lines, pl.Int64)).select(ROW, pl.exclude(ROW))


def _as_text(values: list | None) -> str | None:
    texts = [v for v in values or [] if isinstance(v, str)]
    return REPEAT_SEPARATOR.join(texts) if texts else None


def _as_json(values: list | None) -> str | None:
    objects = [v if isinstance(v, dict) else {"#text": [v]} for v in values or [] if v is not None]
    return json.dumps(objects, ensure_ascii=False) if objects else None


def sniff_layout(path: Path, layout: XmlLayout, first_fields: tuple[str, ...] = ()) -> bool:
    """True when the start of ``path`` is XML with the layout's root, a record where it belongs and (if given)
    one of ``first_fields`` as the first record's first field."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    if not head.lstrip().startswith(b"<"):
        return False
    parser = _parser()
    stack: list[str] = []

    def start(name: str, _attributes: dict[str, str]) -> None:
        stack.append(name)
        depth = len(stack)
        if depth == 1 and name != layout.root:
            raise _Stop(False)
        if depth == layout.record_depth:
            if tuple(stack[1:]) not in layout.records:
                raise _Stop(False)
            if not first_fields:
                raise _Stop(True)
        if depth == layout.record_depth + 1:
            raise _Stop(layout.renames.get(name, name) in first_fields)

    def end(_name: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(head, False)
    except _Stop as stop:
        return stop.verdict
    except (expat.ExpatError, UnreadableFile):
        return False
    return False
