"""The shipped plan (plan.toml), its source text and the illustrative demo data.

Read with importlib.resources; never written by tests.
"""
