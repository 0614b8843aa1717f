"""Demo data for trying the service: `flask demo load`. Never loaded in production."""
