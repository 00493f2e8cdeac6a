"""The two recommendation engines: ``semantic`` (engine 1) and ``llm`` (engine 2)."""
