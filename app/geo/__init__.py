"""Geography, offline: the gazetteer of towns, postcode districts, and great-circle distance."""
