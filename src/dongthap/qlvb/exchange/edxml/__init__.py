"""edXML (QCVN 102:2016) packages: model, strict builder, tolerant safe parser.

Pure Python (lxml only), no Plone imports::

    from dongthap.qlvb.exchange import edxml
    data = edxml.build_document(pkg)        # strict, raises InvalidPackageError
    pkg = edxml.parse(data)                 # tolerant, safe on untrusted input
    problems = edxml.validate(pkg)          # every problem, with field paths
"""

from .writer import build, build_document, build_status
from .constants import (
    BUSINESS_DOC_TYPE_LABELS,
    DOCTYPE_NEW,
    DOCTYPE_REPLACE,
    DOCTYPE_REVOKE,
    DOCTYPE_UPDATE,
    NS,
    PRIORITY_LABELS,
    PRIORITY_LABELS_EN,
    STATUS_CODES,
    STATUS_LABELS,
    STATUS_LABELS_EN,
)
from .errors import (
    EdXMLError,
    InvalidPackageError,
    PackageTooLargeError,
    ParseError,
    UnsafeXMLError,
)
from .ids import is_standard_organ_id, make_document_id, split_document_id
from .model import (
    Attachment,
    Bussiness,
    BussinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organization,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusHeader,
    StatusPackage,
    TraceHeader,
    TraceHeaderList,
)
from .reader import parse
from .problems import Problem
from .rules import validate

__all__ = [
    "BUSINESS_DOC_TYPE_LABELS", "DOCTYPE_NEW", "DOCTYPE_REPLACE", "DOCTYPE_REVOKE",
    "DOCTYPE_UPDATE", "NS", "PRIORITY_LABELS", "PRIORITY_LABELS_EN", "STATUS_CODES",
    "STATUS_LABELS", "STATUS_LABELS_EN",
    "Attachment", "Bussiness", "BussinessDocumentInfo", "Code", "DocumentPackage",
    "DocumentType", "EdXMLError", "InvalidPackageError", "MessageHeader", "Organization",
    "OtherInfo", "PackageTooLargeError", "ParseError", "Problem", "PromulgationInfo",
    "Receiver", "ReplacementInfo", "ResponseFor", "SignerInfo", "StaffInfo",
    "StatusHeader", "StatusPackage", "TraceHeader", "TraceHeaderList", "UnsafeXMLError",
    "build", "build_document", "build_status", "is_standard_organ_id",
    "make_document_id", "parse", "split_document_id", "validate",
]
