// Simulated venue.
