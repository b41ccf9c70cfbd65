"""Storage: the durable TinyDB store, its codec and the repository on top."""
