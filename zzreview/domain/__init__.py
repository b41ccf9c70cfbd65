"""The domain: frozen dataclasses and enums, with no I/O."""

from zzreview.domain.actions import carried_into  # noqa: F401
from zzreview.domain.model import *  # noqa: F403
