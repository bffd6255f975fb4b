"""Exceptions of the archive libraries (export packages, retention).

All are :class:`ValueError` subclasses carrying :attr:`ArchiveError.message`, a
translatable ``zope.i18nmessageid`` message (English default, Vietnamese in
``locales/vi/LC_MESSAGES/dongthap.qlvb.po``) for the UI and the REST errors;
``str(exc)`` is the English text with the mapping applied.  Services turn
:class:`PackageTooLargeError` into HTTP 413 and every other one into 400.
"""

from __future__ import annotations

from dongthap.qlvb.i18n import _


def english(message) -> str:
    """The English text of *message* (a Message or a str) with its mapping applied."""
    text = str(getattr(message, "default", None) or message)
    for key, value in (getattr(message, "mapping", None) or {}).items():
        text = text.replace(f"${{{key}}}", english(value))
    return text


def reason(message, **mapping):
    """*message* (a ``_()`` message) with *mapping*, to put in an error's ``reason`` mapping."""
    return _(str(message), default=message.default, mapping={k: str(v) for k, v in mapping.items()})


class ArchiveError(ValueError):
    """Base class: nothing was produced or imported."""

    text = _("archive_error", default="The archive operation failed.")

    def __init__(self, **mapping):
        # a value may itself be a translatable message (zope.i18n translates it too)
        self.mapping = {k: v if hasattr(v, "domain") else str(v) for k, v in mapping.items()}
        self.message = _(str(self.text), default=self.text.default, mapping=self.mapping)
        super().__init__(english(self.message))


class PackageError(ArchiveError):
    """A dossier package cannot be read: not a ZIP, damaged, or not one of ours."""

    text = _("archive_error_package", default="The file is not a readable dossier package: ${reason}")


class PackageTooLargeError(PackageError):
    """A limit (size, number of files, compression ratio) was exceeded."""

    text = _("archive_error_package_too_large", default="The dossier package is too large: ${reason}")


class UnsafePackageError(PackageError):
    """Forbidden constructs: a path leaving the package, a DTD in the XML, encryption."""

    text = _("archive_error_package_unsafe", default="The dossier package was refused as unsafe: ${reason}")


class ChecksumError(PackageError):
    """A file does not match its SHA-256 in the manifest (or is missing from it)."""

    text = _("archive_error_checksum", default="The dossier package is damaged: ${reason}")


class MetadataError(PackageError):
    """The metadata XML is missing a required field or holds an invalid value."""

    text = _("archive_error_metadata", default="The metadata of the dossier package is invalid: ${reason}")


class RetentionError(ArchiveError):
    """A retention value or a date cannot be used."""

    text = _("archive_error_retention", default="Invalid retention: ${reason}")


class DisposalRefusedError(ArchiveError):
    """A dossier may not be disposed of (permanent, legal hold, not yet expired)."""

    text = _("archive_error_disposal_refused", default="Dossier ${code} cannot be destroyed: ${reason}")
