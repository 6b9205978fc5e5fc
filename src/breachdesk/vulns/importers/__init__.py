"""Scanner report importers: one module per format, each yielding ``Finding | Skipped``."""
