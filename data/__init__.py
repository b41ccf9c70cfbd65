"""The shipped plan (plan.toml), its source text and the illustrative demo data, read with importlib.resources."""
