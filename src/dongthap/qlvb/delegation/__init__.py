"""Delegation (ủy quyền): a leader hands his signing and/or assignment rights to another official
of his agency for a period (see ``docs/delegation.md``)."""
