"""Investigation: log parsers, normalised events, Sigma evaluation, breach-window analytics."""
