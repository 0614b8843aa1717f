"""AP staff at work: the arrivals board, preparing and recording arrivals and departures, the occupancy calendar."""
