"""Copies (bản sao): sao y, sao lục, trích sao — see :mod:`.api` and docs/copies.md."""
