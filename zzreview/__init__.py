"""zzreview: run progress review meetings (调度会) on a plan, in the terminal."""

__version__ = "0.1.0"
