"""TOTP (RFC 6238) with a frozen clock, recovery codes; no Plone needed."""

import base64

from dongthap.qlvb.accounts import totp

#: RFC 6238 appendix B: the SHA-1 secret "12345678901234567890"
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


def test_rfc6238_vectors():
    # 8-digit values of appendix B; our codes are the last 6 digits
    for now, expected in ((59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
                          (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")):
        assert totp.hotp(RFC_SECRET, now // 30, digits=8) == expected
        assert totp.totp(RFC_SECRET, now=now) == expected[-6:]


def test_verify_accepts_one_step_of_drift_and_nothing_more():
    secret = totp.new_secret()
    frozen = 1_800_000_000
    code = totp.totp(secret, now=frozen)
    assert totp.verify(secret, code, now=frozen) == frozen // 30
    assert totp.verify(secret, code, now=frozen + 30) == frozen // 30
    assert totp.verify(secret, code, now=frozen + 90) is None
    assert totp.verify(secret, "12345", now=frozen) is None
    assert totp.verify(secret, "abcdef", now=frozen) is None


def test_a_code_works_once():
    secret = totp.new_secret()
    frozen = 1_800_000_000
    code = totp.totp(secret, now=frozen)
    used = totp.verify(secret, code, now=frozen)
    assert totp.verify(secret, code, now=frozen, last_counter=used) is None


def test_provisioning_uri_and_recovery_codes():
    secret = totp.new_secret()
    assert len(totp._key(secret)) == 20 and len(secret) == 32
    uri = totp.provisioning_uri(secret, "stttt.lanhdao")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10 and all(len(c) == 9 and c[4] == "-" for c in codes)
    assert totp.hash_code(codes[0].upper()) == totp.hash_code(codes[0])
