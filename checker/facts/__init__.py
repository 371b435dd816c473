"""Facts: the named figures of a disclosure with their provenance."""
