"""Exceptions of the signing core.

Every exception is a :class:`~dongthap.qlvb.errors.QlvbError` (400, 403 for
:class:`SigningPermissionError`; the ``type`` of the JSON answer is the class name) and
carries :attr:`SigningError.message`, a translatable
``zope.i18nmessageid`` message (English default, Vietnamese translation in
``locales/vi/LC_MESSAGES/dongthap.qlvb.po``).  ``str(exc)`` gives the English text with
the mapping applied.  Messages never contain PINs, passwords or keys.
"""

from __future__ import annotations

from dongthap.qlvb.errors import interpolate  # noqa: F401 - part of this module's API
from dongthap.qlvb.errors import QlvbError


class SigningError(QlvbError):
    """Base class: nothing was signed, the input is unchanged."""

    msgid = "signing_error"
    default = "The document could not be signed."

    def __init__(self, detail: str | None = None, **mapping):
        self.detail = detail
        super().__init__(**mapping)
        if detail:
            self.args = (f"{self.args[0]} ({detail})",)

    @property
    def error_type(self):
        return type(self).__name__


class InputError(SigningError):
    """The input is not a signable PDF."""


class NotPdfError(InputError):
    msgid = "signing_error_not_pdf"
    default = "The file is not a PDF document."


class MalformedPdfError(InputError):
    msgid = "signing_error_malformed_pdf"
    default = "The PDF document is damaged and cannot be read."


class EncryptedPdfError(InputError):
    msgid = "signing_error_encrypted_pdf"
    default = "The PDF document is encrypted or password-protected; remove the protection first."


class ImageError(InputError):
    msgid = "signing_error_image"
    default = "The signature or seal image is not a valid PNG image."


class TokenError(SigningError):
    """Problems with the key store (token, PKCS#12 file)."""


class TokenNotFoundError(TokenError):
    msgid = "signing_error_token_not_found"
    default = "The signing token '${token}' was not found. Plug in the USB token and try again."


class KeyNotFoundError(TokenError):
    msgid = "signing_error_key_not_found"
    default = "No signing key and certificate were found on the token or in the key file."


class WrongPinError(TokenError):
    msgid = "signing_error_wrong_pin"
    default = "Wrong PIN or password for the signing key."


class PinLockedError(TokenError):
    msgid = "signing_error_pin_locked"
    default = "The token PIN is locked. Contact the certificate provider."


class CertificateError(SigningError):
    """The signing certificate may not be used."""


class CertificateExpiredError(CertificateError):
    msgid = "signing_error_cert_expired"
    default = "The signing certificate of ${subject} expired on ${date}."


class CertificateNotYetValidError(CertificateError):
    msgid = "signing_error_cert_not_yet_valid"
    default = "The signing certificate of ${subject} is not valid before ${date}."


class CertificateRevokedError(CertificateError):
    msgid = "signing_error_cert_revoked"
    default = "The signing certificate of ${subject} has been revoked."


class RevocationUnknownError(CertificateError):
    msgid = "signing_error_revocation_unknown"
    default = "The revocation status of the certificate of ${subject} could not be checked."


class CertificateNotForSigningError(CertificateError):
    msgid = "signing_error_cert_not_for_signing"
    default = "The certificate of ${subject} is not allowed for digital signatures."


class CertificateUntrustedError(CertificateError):
    msgid = "signing_error_cert_untrusted"
    default = "The certificate of ${subject} is not issued by a trusted certification authority."


class ExternalSignatureError(SigningError):
    msgid = "signing_error_external_signature"
    default = "The signature returned by the signing client does not match the document."


class TimestampError(SigningError):
    msgid = "signing_error_timestamp"
    default = "The time-stamping service could not be reached."


class TimestampRejectedError(TimestampError):
    msgid = "signing_error_timestamp_rejected"
    default = ("The time-stamping service refused to issue a time-stamp. The document was not "
               "signed; try again later or contact the system administrator.")


class TimestampInvalidError(TimestampError):
    msgid = "signing_error_timestamp_invalid"
    default = ("The time-stamping service sent an invalid answer. The document was not signed; "
               "contact the system administrator.")


# --------------------------------------------------------------------------
# Errors of the Plone integration (:mod:`.api`)


class SignerNotConfiguredError(SigningError):
    msgid = "signing_error_signer_not_configured"
    default = ("No signing key is configured for ${who}. Ask the system administrator to "
               "install the key (PKCS#12 file or PKCS#11 token).")


class NoRegisteredCertificateError(CertificateError):
    msgid = "signing_error_no_registered_certificate"
    default = ("You have not registered your signing certificate yet. Register it in "
               "\"My signing certificate\" first.")


class CertificateMismatchError(CertificateError):
    msgid = "signing_error_certificate_mismatch"
    default = ("The signing certificate of ${subject} is not the certificate registered for "
               "your account: you can only sign with your own certificate.")


class NoPdfError(InputError):
    msgid = "signing_error_no_pdf"
    default = "The document has no PDF file to sign."


class PersonSignatureMissingError(SigningError):
    msgid = "signing_error_person_signature_missing"
    default = ("The document does not carry a valid signature of the competent person: the "
               "agency signs only documents already signed by the competent person.")


class ExternalStateError(SigningError):
    msgid = "signing_error_external_state"
    default = ("The signing request has expired or does not belong to you, or the document was "
               "changed in the meantime. Start the signing again.")


class SigningPermissionError(SigningError):
    status = 403
    msgid = "signing_error_permission"
    default = "You are not allowed to sign this document."
