"""The forms a meeting is recorded through: each a modal screen over the meeting."""
