"""Log parsers: one module per format, each a ``LogParser`` registered in ``timeline.registry``."""
