"""The `zzreview` command line: a face that parses, calls the meeting layer, and prints.

Headless commands import neither Textual nor the app: importing Textual alone costs about
0.4 s, which a script that records a value or lists overdue actions should not pay. Exit
codes: 0 ok, 1 a check failed, 2 bad usage or unusable input (one line on stderr).
"""

from zzreview.cli import actions, database, export, meetings, record, run, serve, status, values  # noqa: F401
from zzreview.cli.group import cli, main

__all__ = ["cli", "main"]
