"""Geography, offline: the gazetteer of towns, postcode districts, great-circle distance and region outlines."""
