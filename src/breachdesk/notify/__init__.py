"""Notice content: per-person messages on every channel, rendered from reviewed templates."""
