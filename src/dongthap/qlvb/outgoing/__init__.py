"""Outgoing documents (văn bản đi): drafting, review, signing, issuing, delivery, recall, registers."""
