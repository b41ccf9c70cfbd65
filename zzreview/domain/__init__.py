"""The domain: frozen dataclasses and enums, with no I/O."""

from zzreview.domain.actions import (  # noqa: F401
    action_number,
    action_order,
    carried_into,
    normalise_action_id,
    shown_at,
)
from zzreview.domain.model import *  # noqa: F403
