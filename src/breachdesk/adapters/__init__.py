"""The only code that talks to the outside world: database, files, keys, network services."""
