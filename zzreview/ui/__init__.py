"""The meeting app (Textual). Only this package imports Textual."""
