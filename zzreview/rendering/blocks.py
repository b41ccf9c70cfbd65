"""The Markdown minutes read back as blocks — headings, paragraphs, list items, quotes, tables
— each with its text as it reads (escapes and entities undone), for a writer of another format
(the Word document, `rendering.gongwen`). markdown-it, which Rich already brings, does the
reading, so the other format says exactly what the Markdown says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Block", "Inline", "read_blocks"]


@dataclass
class Inline:
    """A run of text and whether it is bold."""

    text: str
    bold: bool = False


@dataclass
class Block:
    """One block of the minutes: a heading, a paragraph, a list item, a quote or a table."""

    kind: str
    """"title", "heading1", "heading2", "paragraph", "item", "quote", "table" or "code"."""
    runs: list[Inline] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    """A table's cells, the header row first."""
    right: set[int] = field(default_factory=set)
    """A table's right-aligned columns."""
    marker: str = ""
    """An ordered list item's number ("1.")."""
    in_facts: bool = False
    """An item of the header's list of facts (时间、地点 … 出席、请假、列席)."""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _runs(token: Any) -> list[Inline]:
    runs: list[Inline] = []
    bold = 0
    for child in token.children or ():
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind in ("text", "code_inline"):
            runs.append(Inline(child.content, bold > 0))
        elif kind == "softbreak":
            runs.append(Inline(" ", bold > 0))
        elif kind == "hardbreak" or (kind == "html_inline" and child.content.lower().startswith("<br")):
            runs.append(Inline("\n", bold > 0))
        elif child.content:
            runs.append(Inline(child.content, bold > 0))
    return runs


def read_blocks(markdown: str) -> list[Block]:
    """The minutes' Markdown as blocks, their text as it reads (escapes and entities undone)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    blocks: list[Block] = []
    quote = 0
    lists: list[str] = []
    marker = ""
    seen_heading = False
    table: Block | None = None
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            level = {"h1": "title", "h2": "heading1"}.get(token.tag, "heading2")
            blocks.append(Block(level, _runs(tokens[index + 1])))
            seen_heading = seen_heading or level != "title"
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(kind)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            marker = f"{token.info}{token.markup}" if lists and lists[-1] == "ordered_list_open" else ""
        elif kind == "paragraph_open":
            inline = tokens[index + 1]
            if quote:
                blocks.append(Block("quote", _runs(inline)))
            elif lists:
                facts = not seen_heading and lists[-1] == "bullet_list_open"
                blocks.append(Block("item", _runs(inline), marker=marker, in_facts=facts))
                marker = ""
            else:
                blocks.append(Block("paragraph", _runs(inline)))
        elif kind == "fence" or kind == "code_block":
            blocks.append(Block("code", [Inline(token.content.rstrip("\n"))]))
        elif kind == "table_open":
            table = Block("table")
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open") and table is not None and row is not None:
            if "text-align:right" in str(token.attrGet("style") or ""):
                table.right.add(len(row))
            row.append("".join(run.text for run in _runs(tokens[index + 1])))
        elif kind == "tr_close" and table is not None and row is not None:
            table.rows.append(row)
            row = None
        elif kind == "table_close" and table is not None:
            blocks.append(table)
            table = None
    return blocks
