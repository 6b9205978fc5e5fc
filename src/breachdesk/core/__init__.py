"""Pure domain vocabulary shared by every feature: ids, statuses, audit chain, clock, errors."""
