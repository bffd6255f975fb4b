"""Recall that really removes: destruction of recalled copies with records on both sides."""
