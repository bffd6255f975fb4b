"""Acceptance rules of received packages: read them as deployed systems send them.

* :func:`read_package` — strict parse first; a package with a formatting slip
  (stray bytes or a BOM before ``<?xml``, a namespace prefix such as
  ``xlink:`` used but not declared, …) is read again in the parser's tolerant
  mode and the repair is noted as a warning of the package (shown in the
  import report and kept with the document).  Unsafe XML (DTD, entities) and
  oversized packages are never retried.
* :func:`too_large_reason` — the one Vietnamese message for the one size
  limit (:func:`~.settings.max_package_mb`).
* :func:`report_warnings` — what the import report lists: the reader's
  warnings and the validation warnings (e.g. a trace hop without OrganId).
"""

from __future__ import annotations

from . import edxml
from .settings import max_package_mb, max_package_size


def too_large_reason(limit_mb: int | None = None) -> str:
    limit_mb = limit_mb or max_package_mb()
    return (f"Gói tin vượt quá giới hạn {limit_mb} MiB của hệ thống (kích thước gói tin edXML, "
            "gồm cả tệp đính kèm đã mã hóa base64).")


def read_package(data: bytes, *, max_size: int | None = None):
    """Parse ``data`` (see the module docstring); raises the parser's errors."""
    max_size = max_size or max_package_size()
    try:
        return edxml.parse(data, max_size=max_size)
    except (edxml.UnsafeXMLError, edxml.PackageTooLargeError):
        raise
    except edxml.ParseError as strict_error:
        try:
            return edxml.parse(data, max_size=max_size, recover=True)
        except edxml.EdXMLError:
            raise strict_error from None


def report_warnings(pkg, problems) -> list:
    """The reader's warnings followed by the non-blocking validation problems."""
    return list(pkg.warnings) + [p for p in problems if not p.is_error]
