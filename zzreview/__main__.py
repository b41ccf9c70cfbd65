"""`python -m zzreview` runs the command line."""

from zzreview.cli import main

main()
