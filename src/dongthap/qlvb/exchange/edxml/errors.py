"""Exceptions of the edXML library.

All derive from :class:`EdXMLError`, so an inbox can catch a single class and
never crash on a bad package.
"""

from __future__ import annotations


class EdXMLError(Exception):
    """Base class of every error raised by this library."""


class ParseError(EdXMLError):
    """The bytes are not a readable edXML package (not XML, wrong root…)."""


class UnsafeXMLError(ParseError):
    """The XML uses forbidden constructs (DTD, entities) or exceeds a limit."""


class PackageTooLargeError(UnsafeXMLError):
    """The package is larger than the configured size limit."""


class InvalidPackageError(EdXMLError, ValueError):
    """Building was refused; ``problems`` lists every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = "; ".join(str(p) for p in self.problems)
        super().__init__(f"invalid edXML package ({len(self.problems)} problems): {lines}")
