"""Reading a plan file (TOML) and the shipped demo into domain objects."""
