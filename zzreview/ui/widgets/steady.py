"""Lists and tables that keep what they drew while the chair moves between areas.

Every area's view is built once and switched by visibility. Showing a view again, Textual
sends each of its widgets a `Resize` even when the size is what it was, and moving focus to
the area's table restyles it; a `DataTable` answers both by throwing away every cell it had
rendered, an `OptionList` every option. At city scale that was ~270 cells drawn again on
each key, a fifth of the UI thread's time on a switch. These subclasses keep them whenever
nothing they were drawn from has changed: the size, and the styles of the table and its
parts in each focus state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, OptionList
from textual.widgets.data_table import ColumnKey, RowKey


class KeepsDrawingAtSameSize:
    """For a widget: its `Resize` handlers only run when its size differs from the one it has
    laid itself out for.

    Listed before the widget class it goes with, and no widget itself: Textual takes a
    widget's CSS and its parts' styles from its first base that is one.
    """

    _drawn_at: Size | None = None
    _laid_out_with: tuple[Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # A scrolling widget's own check (Textual's ScrollView) compares the container's size
        # with its own less its gutter, so it finds a change on every layout and repaints its
        # scrollbars: after each area switch, a repaint of its own. Laid out as last time,
        # nothing changed, so nothing is done.
        given = (size, virtual_size, container_size)
        if given == self._laid_out_with:
            return False
        self._laid_out_with = given
        return super()._size_updated(size, virtual_size, container_size, layout)  # type: ignore[misc]

    def _on_resize(self, event: events.Resize) -> None:
        size = self.size  # its content's size, as `SteadyTable` notes it when drawing
        if size == self._drawn_at:
            # Shown again at the size it was drawn at: the base class's handler would only
            # throw its rendering away.
            event.prevent_default()
        self._drawn_at = size


class SteadyTable(KeepsDrawingAtSameSize, DataTable):
    """A `DataTable` that keeps its rendered cells across a move of focus in or out of it.

    Its cells are cached by focus (pseudo-class) state already; what can make a cached cell
    wrong is the style sheet changing (a theme, a screen's class). So for each state the table
    remembers the styles of the table and its parts it drew with there, and throws its cells
    away only when it is about to draw in a state whose styles are no longer those. (Textual
    8.2.8, pinned: the cache keys and the caches named here are DataTable's.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawn_with: dict[object, tuple[Style, ...]] = {}
        """By focus state: the styles any cell cached in that state was drawn with."""
        self._changed_cells: set[tuple[RowKey, ColumnKey]] = set()
        """Cells updated since the table last drew (`update_cell`)."""

    def _styles_now(self) -> tuple[Style, ...]:
        parts = sorted(self.COMPONENT_CLASSES)
        return (self.rich_style, *(self.get_component_rich_style(name, partial=True) for name in parts))

    def _before_drawing(self) -> None:
        """Throw the cached cells away if the styles of the state about to be drawn in changed
        since cells were last drawn in it. (Checked here, not when the styles are updated: the
        parts' styles are updated after the table is told.)"""
        state = self.get_pseudo_class_state()
        styles = self._styles_now()
        drawn = self._drawn_with.get(state)
        if drawn is not None and drawn != styles:
            self._drawn_with.clear()
            self._clear_caches()
        self._drawn_with[state] = styles

    def render_lines(self, crop: Region) -> list[Strip]:
        self._forget_changed()
        self._before_drawing()
        # Drawn at a new size, its rows are drawn anew (a row's cached filler is as wide as the
        # table was): here, since the Resize saying so comes after the drawing (as on a view's
        # first showing, whose first paint comes before the event), and is then one the table
        # was drawn at already.
        if self._drawn_at is not None and self.size != self._drawn_at:
            self._update_count += 1
        self._drawn_at = self.size
        return super().render_lines(crop)

    def _update_dimensions(self, new_rows: Any) -> None:
        # Rows sized to their content are drawn here, and cached under the focus state of the
        # last paint: the state the table is in now is the one they are drawn in.
        self._pseudo_class_state = self.get_pseudo_class_state()
        self._forget_changed()
        self._before_drawing()
        super()._update_dimensions(self._to_measure(new_rows))

    def _to_measure(self, new_rows: Any) -> list[RowKey]:
        """The new rows DataTable's `_update_dimensions` needs to see. It measures every cell
        of each for its column's width, which only a column sized to its content uses: with
        every width set, and no row labelled or sized to its content, the table comes out
        the same from none of them (its height counts every row). 回头看 at city scale: its
        ~1,160 cells measured for nothing before the first screen (~20 ms)."""
        rows = list(new_rows)
        if any(column.auto_width for column in self.columns.values()):
            return rows
        for key in rows:
            row = self.rows.get(key)
            if row is not None and (row.auto_height or row.label is not None):
                return rows
        return []

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: Any, *, update_width: bool = False
    ) -> None:
        """Put `value` in a cell, drawing again only that cell and its row's lines: DataTable's
        own throws away every cell it drew (a value saved redrew the ~270 cells of an area's
        table for one row's figures).

        A new width can move every column, so a cell updated with `update_width` is DataTable's
        own."""
        if update_width:
            super().update_cell(row_key, column_key, value, update_width=True)
            return
        row_key = RowKey(row_key) if isinstance(row_key, str) else row_key
        column_key = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        if row_key not in self._row_locations or column_key not in self._column_locations:
            super().update_cell(row_key, column_key, value)  # raises CellDoesNotExist
            return
        self._data[row_key][column_key] = value
        row_index = self._row_locations.get(row_key)
        self._row_renderable_cache.discard((self._update_count, row_index))
        self._changed_cells.add((row_key, column_key))
        self.refresh_row(row_index)

    def _forget_changed(self) -> None:
        """Throw away what was drawn of the cells updated since the last drawing (one pass
        over the caches for all of them) and of their rows' lines."""
        changed = self._changed_cells
        if not changed:
            return
        rows = {row_key for row_key, _ in changed}
        self._changed_cells = set()
        _discard(self._cell_render_cache, lambda key: key[:2] in changed)
        _discard(self._row_render_cache, lambda key: key[0] in rows)
        # Lines are cached by their place in the table, below the header.
        top = self.header_height if self.show_header else 0
        lines = {top + y for y, (row_key, _) in enumerate(self._y_offsets) if row_key in rows}
        _discard(self._line_cache, lambda key: key[0] in lines)

    def notify_style_update(self) -> None:
        # What DataTable does, but the cells: they are cached by focus state, and checked
        # against the styles before the next drawing.
        Widget.notify_style_update(self)
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()  # not kept by focus state
        self.refresh()


def _discard(cache: LRUCache[Any, Any], drawn_from_changed: Callable[[Any], bool]) -> None:
    for key in [key for key in cache.keys() if drawn_from_changed(key)]:  # noqa: SIM118 (not iterable)
        cache.discard(key)


class SteadyOptionList(KeepsDrawingAtSameSize, OptionList):
    """An `OptionList` that keeps its rendered options when shown again at the same size."""
