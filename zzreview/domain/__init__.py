"""The domain: frozen dataclasses and enums, with no I/O."""

from zzreview.domain.model import *  # noqa: F403
