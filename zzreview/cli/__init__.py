"""The `zzreview` command line: a face that parses, calls the meeting layer, and prints.

Headless commands import neither Textual nor the app: importing Textual alone costs about
0.4 s, which a script that records a value or lists overdue actions should not pay. Exit
codes: 0 ok, 1 a check failed, 2 bad usage or unusable input (one line on stderr).

Each command's module is imported when that command is asked for (see `group.COMMAND_MODULES`),
so a command pays only for what it uses.
"""

from zzreview.cli.group import cli, main

__all__ = ["cli", "main"]
