"""Upgrade steps: one for every persistent change, registered in configure.zcml."""
