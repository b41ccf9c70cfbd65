"""The shipped themes (TOML), read with importlib.resources."""
