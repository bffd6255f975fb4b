"""Classic UI of signing: badge, @@chu-ky-so, control panel, personal certificates."""
