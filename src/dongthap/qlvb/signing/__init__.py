"""Digital signatures for official documents (PAdES), without Plone.

Modules:

* :mod:`.errors` – exception types with translatable messages;
* :mod:`.signers` – PKCS#12, PKCS#11 and two-step external signers;
* :mod:`.stamps` – visible signature appearances (NĐ 30/2020 Phụ lục I);
* :mod:`.pdfsign` – ``sign_person``, ``sign_agency``, ``sign_attachment``;
* :mod:`.verify` – ``verify_pdf`` and the legal-validity report.

Nothing in this package imports Plone or Zope (except the tiny
``zope.i18nmessageid`` used for translatable messages), so the Plone
integration simply calls these functions.  The test PKI, its local CRL/OCSP/TSA
services and the demo's keys live outside production, in :mod:`dongthap.qlvb_testing`.
"""

from .errors import SigningError
from .external import (
           ExternalSigningState,
           complete_external,
           prepare_external,
)
from .pdfsign import (
           sign_agency,
           sign_attachment,
           sign_person,
           timestamper,
)
from .signers import DocumentSigner, KeySigner, Pkcs11Signer, Pkcs12Signer
from .verify import default_classifier, verify_pdf

__all__ = [
           "DocumentSigner",
           "ExternalSigningState",
           "KeySigner",
           "Pkcs11Signer",
           "Pkcs12Signer",
           "SigningError",
           "complete_external",
           "default_classifier",
           "prepare_external",
           "sign_agency",
           "sign_attachment",
           "sign_person",
           "timestamper",
           "verify_pdf",
]
