"""Screens of the meeting app."""
