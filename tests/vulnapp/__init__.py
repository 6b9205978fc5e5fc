"""A deliberately vulnerable web app (one planted flaw per web check) and its fixed twin."""
