"""What incoming and outgoing documents share (storage; more to come)."""
