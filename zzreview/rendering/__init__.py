"""Pure text out: charts (plotext -> str), the dashboard (Rich) and the minutes (Markdown)."""
