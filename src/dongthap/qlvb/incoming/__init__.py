"""Incoming documents (văn bản đến): registration, assignment, follow-up, registers.

Public API in :mod:`dongthap.qlvb.incoming.api`; REST services in
:mod:`.services`; Classic UI views in :mod:`.views`.
"""
