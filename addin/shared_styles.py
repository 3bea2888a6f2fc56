"""Set fonts, fills, borders and alignments on many openpyxl cells without re-hashing the style.

`cell.font = f` looks `f` up in the workbook's font table on every assignment, and the lookup
hashes the whole style object field by field (colours included): for the few hundred cells the
annotated copy styles, that costs more than everything else we add to openpyxl's load and save.
`SharedStyles` looks each style object up once per workbook and then stores only its index in the
cell's style array, which is all the setter stores too (openpyxl.styles.styleable.StyleDescriptor);
the saved file is the same.

Style objects are keyed by identity: pass the same (never mutated) object for cells that share it.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.workbook import Workbook

# style class -> (the workbook's table of such styles, the field of a cell's style array)
_TABLES: dict[type, tuple[str, str]] = {
    Font: ("_fonts", "fontId"),
    PatternFill: ("_fills", "fillId"),
    Border: ("_borders", "borderId"),
    Alignment: ("_alignments", "alignmentId"),
}


class SharedStyles:
    """Index of each style object in one workbook's style tables, looked up once."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._index: dict[int, tuple[object, str, int]] = {}  # id(style) -> (style kept alive, field, index)

    def _slot(self, style: Font | PatternFill | Border | Alignment) -> tuple[str, int]:
        hit = self._index.get(id(style))
        if hit is None:
            table, field = _TABLES[type(style)]
            hit = self._index[id(style)] = (style, field, getattr(self._wb, table).add(style))
        return hit[1], hit[2]

    def apply(self, cell: Cell, *styles: Font | PatternFill | Border | Alignment) -> None:
        """Give `cell` these styles (at most one of each kind); its other formatting stays."""
        array = cell._style
        if array is None:  # a new cell has no style array until something is set
            array = cell._style = StyleArray()
        for style in styles:
            field, index = self._slot(style)
            setattr(array, field, index)
