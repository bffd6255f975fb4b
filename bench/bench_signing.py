"""Benchmark: our signing API vs bare pyHanko doing the same work.

Run: ``.venv/bin/python bench/bench_signing.py [iterations]``

For each iteration both sides sign a 2-page Vietnamese PDF as the person
(visible stamp, Noto font, signature PNG), then as the agency (seal PNG),
then verify both signatures against the test root with an offline CRL.
Prints p50 and mean per step and the ratio ours/bare.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "signing"))

from PIL import Image, ImageDraw
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from signing_helpers import make_pdf

from dongthap.qlvb.signing.certs import to_asn1
from dongthap.qlvb.signing.pdfsign import sign_agency, sign_person
from dongthap.qlvb.signing.signers import Pkcs12Signer
from dongthap.qlvb.signing.stamps import SERIF
from dongthap.qlvb_testing.testpki import ensure_test_pki
from dongthap.qlvb.signing.verify import verify_pdf


def _png(size, draw) -> bytes:
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw(ImageDraw.Draw(img))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


SIG = _png((300, 120), lambda d: d.line((10, 100, 290, 20), fill=(0, 0, 200, 255), width=6))
SEAL = _png((300, 300), lambda d: d.ellipse((5, 5, 295, 295), outline=(220, 0, 0, 255), width=12))


def bare_sign(pdf, pyh_signer, name, box, style, text=None):
    """pyHanko alone: PAdES, visible stamp."""
    meta = signers.PdfSignatureMetadata(field_name=name, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(meta, signer=pyh_signer, stamp_style=style,
                                   new_field_spec=fields.SigFieldSpec(name, on_page=-1, box=box))
    out = io.BytesIO()
    pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out,
                        appearance_text_params=text)
    return out.getvalue()


def bare_verify(pdf, roots, crls):
    """pyHanko alone: validate every signature."""
    async def run():
        reader = PdfFileReader(io.BytesIO(pdf))
        out = []
        for sig in reader.embedded_signatures:
            vc = ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False,
                                   moment=sig.self_reported_timestamp, retroactive_revinfo=True)
            out.append(await async_validate_pdf_signature(sig, vc))
        return out
    return asyncio.run(run())


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, (time.perf_counter() - start) * 1000


def main(iterations: int = 20) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="qlvb-bench-"))
    pki = ensure_test_pki(tmp / "pki", crl_base_url="http://127.0.0.1:9/pki")
    pdf = make_pdf(2)
    leader = Pkcs12Signer(pki.leader.p12, pki.leader.password)
    agency = Pkcs12Signer(pki.agency.p12, pki.agency.password)
    roots, crls = pki.trust_roots(), [pki.crl_path.read_bytes()]
    asn_roots = [to_asn1(c) for c in roots]
    person_style = TextStampStyle(
        stamp_text="TM. %(pos)s\n\n\n\n%(name)s", border_width=0,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(SERIF)), font_size=11),
        background=PdfImage(Image.open(io.BytesIO(SIG))), background_opacity=1)
    seal_style = StaticStampStyle(background=PdfImage(Image.open(io.BytesIO(SEAL))),
                                  border_width=0)
    times = {k: [] for k in ("ours person", "ours agency", "ours verify",
                             "bare person", "bare agency", "bare verify")}
    issued = dt.datetime.now(dt.UTC)
    for i in range(iterations + 1):
        s1, t1 = timed(lambda: sign_person(pdf, leader, "Nguyễn Văn An", "CHỦ TỊCH", "TM.", SIG))
        s2, t2 = timed(lambda s1=s1, i=i: sign_agency(
            s1, agency, "UBND TỈNH ĐỒNG THÁP", SEAL, code_number=i + 1,
            code_notation="QĐ-UBND", issued_at=issued))
        rep, t3 = timed(lambda s2=s2: verify_pdf(s2, roots, crls=crls, allow_fetching=False))
        assert rep.legal_validity == "legal", rep.to_dict()
        with leader.session() as lp, agency.session() as ap:
            b1, u1 = timed(lambda lp=lp: bare_sign(
                pdf, lp, "P", (330, 70, 540, 200), person_style,
                {"pos": "CHỦ TỊCH", "name": "Nguyễn Văn An"}))
            b2, u2 = timed(lambda ap=ap, b1=b1: bare_sign(b1, ap, "A", (299, 84, 400, 186),
                                                          seal_style))
        st, u3 = timed(lambda b2=b2: bare_verify(b2, asn_roots, crls))
        assert all(s.bottom_line for s in st)
        if i == 0:
            continue  # warm-up
        for key, value in zip(times, (t1, t2, t3, u1, u2, u3), strict=True):
            times[key].append(value)
    print(f"{iterations} documents, times in ms per document")
    print(f"{'step':<14}{'p50':>9}{'mean':>9}")
    for key, values in times.items():
        print(f"{key:<14}{statistics.median(values):9.1f}{statistics.mean(values):9.1f}")
    for step in ("person", "agency", "verify"):
        ours, bare = times[f"ours {step}"], times[f"bare {step}"]
        print(f"ratio {step:<8} p50 {statistics.median(ours) / statistics.median(bare):.2f}"
              f"  mean {statistics.mean(ours) / statistics.mean(bare):.2f}")
    timestamp_overhead(iterations, pdf)


def timestamp_overhead(iterations, pdf):
    """Person signature with an RFC 3161 time-stamp from the local test TSA vs without one."""
    from dongthap.qlvb.signing.pdfsign import timestamper
    from dongthap.qlvb_testing.testpeers import start_test_peers

    peers = start_test_peers(Path(tempfile.mkdtemp(prefix="qlvb-bench-tsa-")))
    try:
        leader = Pkcs12Signer(peers.pki.leader.p12, peers.pki.leader.password)
        tsa = timestamper(peers.tsa_url, timeout=10)
        plain, stamped = [], []
        for i in range(iterations + 1):
            _s, t_plain = timed(lambda: sign_person(pdf, leader, "Nguyễn Văn An", "CHỦ TỊCH", "TM.", SIG))
            _s, t_tsa = timed(lambda: sign_person(pdf, leader, "Nguyễn Văn An", "CHỦ TỊCH", "TM.", SIG,
                                                  timestamper=tsa))
            if i:
                plain.append(t_plain)
                stamped.append(t_tsa)
        with_tsa, without = statistics.median(stamped), statistics.median(plain)
        print(f"person + local TSA p50 {with_tsa:.1f} ms vs without {without:.1f} ms "
              f"(ratio {with_tsa / without:.2f}; {len(peers.tsa.issued)} tokens issued)")
    finally:
        peers.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
