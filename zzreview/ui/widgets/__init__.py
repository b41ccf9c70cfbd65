"""Widgets of the meeting app."""
