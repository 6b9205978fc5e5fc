"""The built-in web test: a bounded crawl and one module per check, all through a scoped probe."""
