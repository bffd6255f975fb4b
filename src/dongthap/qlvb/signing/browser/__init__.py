"""Classic UI of signing: badge, @@signatures, control panel, personal certificates."""
