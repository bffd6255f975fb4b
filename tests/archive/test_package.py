"""The dossier export package: contents, round trip, streaming, and hostile or damaged packages."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import tracemalloc
import zipfile

import pytest
from archive_samples import (
    AGENCY,
    DOSSIER,
    PDF,
    bulk_documents,
    document,
    make_heavy_pdf,
    make_pdf,
    memory_file,
    sample_documents,
)

from dongthap.qlvb.archive import package as pkg
from dongthap.qlvb.archive.errors import (
    ChecksumError,
    MetadataError,
    PackageError,
    PackageTooLargeError,
    UnsafePackageError,
)
from dongthap.qlvb.archive.metadata import DOCUMENT_FIELDS
from dongthap.qlvb.archive.package import ExportFile, Limits, read_package, write_package

EXPORTED_AT = dt.datetime(2026, 1, 15, 2, 0, tzinfo=dt.UTC)  # 09:00 in Vietnam


def export(documents=None, dossier=None, **kw) -> tuple[bytes, pkg.PackageSummary]:
    out = io.BytesIO()
    summary = write_package(
        out,
        dict(dossier or DOSSIER),
        documents if documents is not None else sample_documents(),
        agency_name=AGENCY,
        exported_at=EXPORTED_AT,
        extension={"State": "closed", "RetentionCode": "10"},
        **kw,
    )
    return out.getvalue(), summary


@pytest.fixture(scope="module")
def exported():
    return export()


def test_layout_and_manifest(exported, tmp_path):
    data, summary = exported
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        manifest = zf.read("manifest-sha256.txt").decode()
        zf.extractall(tmp_path)
    assert names[-1] == "manifest-sha256.txt"
    assert sorted(names) == sorted(
        [
            "ho-so.pdf",
            "metadata.xml",
            "manifest-sha256.txt",
            "van-ban/0001/quyet-dinh.pdf",
            "van-ban/0002/ke-hoach.pdf",
            "van-ban/0002/phụ lục 1.pdf",
            "van-ban/0002/bảng tính.docx",
            "van-ban/0003/bien-ban.docx",
            "van-ban/0004/to-trinh.pdf",
        ]
    )
    # every other member is in the manifest, which sha256sum itself can check
    assert len(manifest.splitlines()) == len(names) - 1
    check = subprocess.run(["sha256sum", "-c", "manifest-sha256.txt"], cwd=tmp_path, capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert summary.documents == 4 and summary.files == 6


def test_originals_are_byte_identical(exported):
    data, summary = exported
    sources = {f.name: f.open().read() for d in sample_documents() for f in d.files}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name, content in sources.items():
            path = next(p for p in zf.namelist() if p.endswith("/" + name))
            assert zf.read(path) == content
            assert summary.checksums[path] == hashlib.sha256(content).hexdigest()


def test_reading_pdf_cover_table_and_chronological_order(exported, pdf_text, pdf_info):
    data, summary = exported
    pdf = zipfile.ZipFile(io.BytesIO(data)).read("ho-so.pdf")
    info = pdf_info(pdf)
    # cover + table, then 3 (doc 2, 05/01) + 1 appendix + 1 stand-in (doc 3, Word) + 1 (doc 4) + 2 (doc 1)
    assert int(info["Pages"]) == summary.pdf_pages == 2 + 8
    assert summary.document_pages == 8
    assert info["Title"] == DOSSIER["Title"]
    cover = pdf_text(pdf, 1)
    for text in (
        "HỒ SƠ",
        DOSSIER["Title"],
        "Mã hồ sơ: 000.00.00.H20.2025.01.TCCB",
        "Số và ký hiệu hồ sơ: 01.TCCB",
        "Từ ngày 05/01/2025 đến ngày 10/03/2025",
        "Gồm: 4 văn bản",
        "Thời hạn bảo quản: 10 năm",
        "Chế độ sử dụng: Công khai",
    ):
        assert text in cover, text
    table = pdf_text(pdf, 2)
    assert "MỤC LỤC VĂN BẢN TRONG HỒ SƠ" in table
    # rows in chronological order with their page ranges in the documents part (labels 1…8)
    assert (
        table.index("02/KH-UBND 05/01/2025")
        < table.index("03/BB-UBND 01/02/2025")
        < table.index("04/TTr-UBND 20/02/2025")
        < table.index("01/UBND-VP 10/03/2025")
    )
    author = "Ủy ban nhân dân tỉnh Đồng Tháp"
    assert f"Kế hoạch Về việc tuyển dụng, đợt 2 {author} 1-4" in table
    assert f"Biên bản Về việc tuyển dụng, đợt 3 {author} 5" in table
    assert f"01/UBND-VP 10/03/2025 Công văn Về việc tuyển dụng, đợt 1 {author} 7-8" in table
    pages = [pdf_text(pdf, n) for n in range(3, 11)]
    assert "Kế hoạch 02 — trang 1" in pages[0] and "Kế hoạch 02 — trang 3" in pages[2]
    assert "Phụ lục của 02" in pages[3]
    assert "Tệp gốc không ở định dạng PDF" in pages[4] and "van-ban/0003/bien-ban.docx" in pages[4]
    assert "Tờ trình 04" in pages[5]
    assert "Quyết định 01 — trang 2" in pages[7]


def test_reading_pdf_bookmarks_and_page_labels(exported):
    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = zipfile.ZipFile(io.BytesIO(data := exported[0])).read("ho-so.pdf")
    assert data
    reader = PdfFileReader(io.BytesIO(pdf), strict=True)
    root = reader.root
    nums = root["/PageLabels"]["/Nums"]
    assert [nums[0], nums[1]["/S"], nums[2], nums[3]["/S"], nums[3]["/St"]] == [0, "/r", 2, "/D", 1]
    titles, item = [], root["/Outlines"]["/First"]
    while item is not None:
        titles.append(str(item["/Title"]))
        item = item["/Next"] if "/Next" in item else None
    assert titles[0] == "1. 02/KH-UBND Kế hoạch Về việc tuyển dụng, đợt 2"
    assert len(titles) == 4


def test_round_trip_metadata_and_checksums(exported):
    data, summary = exported
    originals = sorted(sample_documents(), key=lambda d: d.fields["DocOrdinal"])
    with read_package(data) as package:
        meta = package.meta
        assert package.checksums == summary.checksums
        # dossier fields as given, system fields filled
        for key, value in DOSSIER.items():
            assert meta.dossier[key] == value, key
        assert meta.dossier["DocTotal"] == 4
        assert meta.dossier["StartDate"] == dt.date(2025, 1, 5)
        assert meta.dossier["EndDate"] == dt.date(2025, 3, 10)
        assert meta.dossier["PageTotal"] == 3 + 4 + 1 + 2  # main files; doc 3 (Word) declares 4 pages
        assert meta.extension == {"State": "closed", "RetentionCode": "10"}
        by_ordinal = {d.fields["DocOrdinal"]: d for d in meta.documents}
        assert [d.fields["DocOrdinal"] for d in meta.documents] == [2, 3, 4, 1]  # chronological
        for original in originals:
            got = by_ordinal[original.fields["DocOrdinal"]]
            expected = dict(original.fields)
            expected.setdefault("PageAmount", got.fields.get("PageAmount"))
            assert got.fields == expected
            assert got.extension == original.extension
            assert [c.name for c in got.components] == [f.name for f in original.files]
            assert [c.role for c in got.components] == [f.role for f in original.files]
            for comp, f in zip(got.components, original.files, strict=True):
                content = f.open().read()
                assert package.read(comp.path) == content
                assert comp.sha256 == hashlib.sha256(content).hexdigest() and comp.size == len(content)
        assert by_ordinal[2].fields["PageAmount"] == 3  # main PDF only, not its appendix
        assert meta.rendition.path == "ho-so.pdf"
        assert package.read("ho-so.pdf").startswith(b"%PDF-1.7")


def test_every_tt02_field_round_trips():
    values = {"DocOrdinal": 7}
    for f in DOCUMENT_FIELDS:
        if f.tag not in values:
            if f.type == "date":
                values[f.tag] = dt.date(2025, 12, 31)
            elif f.type == "number":
                values[f.tag] = 12
            else:
                values[f.tag] = f"{f.label} <&>\"'"[: f.length or None]
    files = [ExportFile("a.pdf", memory_file(make_pdf()), PDF)]
    doc = pkg.ExportDocument(values, files, {"Kind": "incoming", "ArrivalNumber": "15"})
    data, _ = export([doc])
    with read_package(data) as package:
        assert package.meta.documents[0].fields == values
        assert package.meta.documents[0].extension == {"ArrivalNumber": "15", "Kind": "incoming"}


def test_signed_pdf_stays_signed_in_originals_and_readable_in_copy(tmp_path, pdf_text):
    from dongthap.qlvb.signing import pdfsign
    from dongthap.qlvb.signing.certs import CertificatePolicy
    from dongthap.qlvb.signing.signers import Pkcs12Signer
    from dongthap.qlvb_testing.testpki import ensure_test_pki

    pki = ensure_test_pki(tmp_path / "pki", "http://127.0.0.1:9/pki")
    signer = Pkcs12Signer(
        pki.leader.p12,
        pki.leader.password,
        policy=CertificatePolicy(trust_roots=tuple(pki.trust_roots()), timeout=1),
    )
    signed = pdfsign.sign_person(make_pdf(2, "Quyết định có chữ ký"), signer, "Nguyễn Văn An", "CHỦ TỊCH")
    data, _ = export([document(1, dt.date(2025, 5, 5), [ExportFile("qd.pdf", memory_file(signed), PDF)])])
    with read_package(data) as package:
        original = package.read("van-ban/0001/qd.pdf")
        pdf = package.read("ho-so.pdf")
    assert original == signed
    last = pdf_text(pdf, 4)
    assert "Quyết định có chữ ký — trang 2" in last
    assert "CHỦ TỊCH" in last and "Nguyễn Văn An" in last  # the visible stamp is kept


def test_damaged_pdf_gets_a_stand_in_page(pdf_text):
    broken = memory_file(b"%PDF-1.4\nnot a pdf")
    docs = [
        document(1, dt.date(2025, 1, 1), [ExportFile("hong.pdf", broken, PDF)]),
        document(2, dt.date(2025, 1, 2), [ExportFile("tot.pdf", memory_file(make_pdf(1, "Tốt")), PDF)]),
    ]
    data, summary = export(docs)
    assert summary.unreadable == ["van-ban/0001/hong.pdf"]
    with read_package(data) as package:
        pdf = package.read("ho-so.pdf")
        assert package.read("van-ban/0001/hong.pdf") == b"%PDF-1.4\nnot a pdf"
    assert "Không đọc được tệp PDF" in pdf_text(pdf, 3)
    assert "Tốt — trang 1" in pdf_text(pdf, 4)


def test_empty_dossier():
    data, summary = export([])
    assert summary.documents == 0 and summary.document_pages == 0
    with read_package(data) as package:
        assert package.meta.documents == []
        assert (package.meta.dossier["DocTotal"], package.meta.dossier["PageTotal"]) == (0, 0)


class _NoSeek(io.RawIOBase):
    """A write-only stream that cannot seek (like an HTTP response body)."""

    def __init__(self):
        self.buf = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buf += data
        return len(data)


def test_writes_to_a_non_seekable_stream():
    out = _NoSeek()
    write_package(out, dict(DOSSIER), sample_documents(), agency_name=AGENCY, exported_at=EXPORTED_AT)
    with read_package(bytes(out.buf)) as package:
        assert len(package.meta.documents) == 4


class _Sink(io.RawIOBase):
    def __init__(self):
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.size += len(data)
        return len(data)


def test_streaming_memory_does_not_grow_with_the_dossier(tmp_path):
    """Peak memory is about one document, whether the dossier holds 4 or 16 scanned documents."""
    big = make_heavy_pdf(800_000)
    files = tmp_path / "f"
    files.mkdir()

    def docs(count):
        result = []
        for n in range(1, count + 1):
            path = files / f"{n}.pdf"
            path.write_bytes(big)
            result.append(
                document(
                    n,
                    dt.date(2025, 1, 1) + dt.timedelta(days=n),
                    [ExportFile(path.name, (lambda p=path: open(p, "rb")), PDF)],
                )
            )  # noqa: SIM115
        return result

    write_package(_Sink(), dict(DOSSIER), docs(1), agency_name=AGENCY)  # fonts, imports: not counted
    peaks = {}
    for count in (4, 16):
        batch = docs(count)
        tracemalloc.start()
        try:
            sink = _Sink()
            write_package(sink, dict(DOSSIER), batch, agency_name=AGENCY, exported_at=EXPORTED_AT)
            peaks[count] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert sink.size > 2 * count * len(big)  # originals + reading copy
    assert peaks[16] < 3 * len(big), peaks  # 16 documents = 13 MB of files
    assert peaks[16] - peaks[4] < len(big) / 2, peaks


def test_bulk_helper_and_1000_document_limits_are_sane(tmp_path):
    docs = bulk_documents(tmp_path, 3)
    data, summary = export(docs)
    assert summary.documents == 3 and summary.document_pages == 6


# -- hostile and damaged packages -----------------------------------------------------------


def rezip(data: bytes, *, drop=(), replace=None, add=None, manifest=True) -> bytes:
    """Rebuild *data* with members dropped/replaced/added and (by default) a matching manifest."""
    replace, add = dict(replace or {}), dict(add or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        members = {n: src.read(n) for n in src.namelist() if n != "manifest-sha256.txt" and n not in drop}
        members.update(replace)
        members.update(add)
        for name, content in members.items():
            dst.writestr(name, content, zipfile.ZIP_DEFLATED)
        if manifest:
            lines = "".join(f"{hashlib.sha256(c).hexdigest()}  {n}\n" for n, c in sorted(members.items()))
            dst.writestr("manifest-sha256.txt", lines)
    return out.getvalue()


def refused(data, error=PackageError, text="", limits=Limits()):
    with pytest.raises(error) as info:
        read_package(data, limits=limits).close()
    assert text in str(info.value), str(info.value)
    assert info.value.message.domain == "dongthap.qlvb"
    return info.value


def test_not_a_zip():
    refused(b"%PDF-1.4 hello", PackageError, "not a ZIP file")
    refused(b"", PackageError, "not a ZIP file")


def test_missing_manifest_or_metadata(exported):
    refused(rezip(exported[0], manifest=False), PackageError, "manifest-sha256.txt is missing")
    refused(rezip(exported[0], drop=["metadata.xml"]), PackageError, "metadata.xml is missing")


def test_tampered_file_is_detected(exported):
    data = exported[0]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = zf.read("manifest-sha256.txt")
    tampered = rezip(
        data,
        replace={"van-ban/0004/to-trinh.pdf": make_pdf(1, "Giả mạo")},
        manifest=False,
        add={"manifest-sha256.txt": manifest},
    )
    error = refused(tampered, ChecksumError, "van-ban/0004/to-trinh.pdf does not match its SHA-256")
    assert error.message.default.startswith("The dossier package is damaged")


def test_manifest_consistent_but_metadata_disagrees(exported):
    # an attacker rewrites the file *and* the manifest: metadata.xml still names the old checksum
    data = rezip(exported[0], replace={"van-ban/0004/to-trinh.pdf": make_pdf(1, "Giả mạo")})
    refused(data, ChecksumError, "metadata.xml and the manifest disagree")


def test_unlisted_and_stray_files(exported):
    data = rezip(
        exported[0],
        manifest=False,
        add={
            "manifest-sha256.txt": zipfile.ZipFile(io.BytesIO(exported[0])).read("manifest-sha256.txt"),
            "extra.exe": b"MZ",
        },
    )
    refused(data, ChecksumError, "extra.exe is not in the manifest")
    refused(rezip(exported[0], add={"extra.exe": b"MZ"}), ChecksumError, "extra.exe belongs to no document")


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/passwd", "van-ban/../../x", "C:/x", "a\\b.txt", "a//b"]
)
def test_path_traversal_refused(exported, name):
    refused(rezip(exported[0], add={name: b"x"}), UnsafePackageError, "is not allowed")


def test_duplicate_names_refused(exported):
    data = rezip(exported[0], add={"VAN-BAN/0004/TO-TRINH.PDF": b"x"})
    refused(data, UnsafePackageError, "appears twice")


def test_encrypted_member_refused(exported):
    data = bytearray(rezip(exported[0], add={"van-ban/0001/secret.bin": b"xxxx"}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("van-ban/0001/secret.bin")
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"van-ban/0001/secret.bin"))
    for at in (info.header_offset + 6, central + 8):  # general purpose flags: bit 0 = encrypted
        data[at] |= 0x1
    refused(bytes(data), UnsafePackageError, "is encrypted")


def test_zip_bomb_ratio_refused(exported):
    refused(
        rezip(exported[0], add={"bomb.bin": b"\0" * (8 * 1024 * 1024)}),
        PackageTooLargeError,
        "compressed more than 200 times",
    )


def test_size_and_count_limits(exported):
    data = exported[0]
    refused(data, PackageTooLargeError, "more than 3 files", limits=Limits(max_members=3))
    refused(data, PackageTooLargeError, "is larger than 1000 bytes", limits=Limits(max_member=1000))
    refused(data, PackageTooLargeError, "bytes in all", limits=Limits(max_total=10_000))


def test_lying_header_does_not_let_more_through(exported):
    """A member whose header declares fewer bytes than it inflates to is stopped, not trusted."""
    data = bytearray(rezip(exported[0], add={"van-ban/0001/x.bin": b"A" * 5000}))
    # shrink the declared uncompressed size (local + central headers) of x.bin
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("van-ban/0001/x.bin")
    old = (5000).to_bytes(4, "little")
    for at in (info.header_offset + 22, data.rfind(b"van-ban/0001/x.bin") - 46 + 24):
        assert data[at : at + 4] == old
        data[at : at + 4] = (100).to_bytes(4, "little")
    refused(bytes(data), PackageError)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ArchivePackage xmlns="urn:dongthap:qlvb:archive-package:1" version="1"><Dossier><Title>&lol2;</Title>
</Dossier><Documents/></ArchivePackage>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ArchivePackage xmlns="urn:dongthap:qlvb:archive-package:1" version="1"><Dossier><Title>&xxe;</Title>
</Dossier><Documents/></ArchivePackage>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE])
def test_hostile_xml_refused(xml):
    data = rezip(export([])[0], replace={"metadata.xml": xml})
    refused(data, UnsafePackageError, "DOCTYPE")


def _metadata(exported) -> str:
    return zipfile.ZipFile(io.BytesIO(exported[0])).read("metadata.xml").decode()


@pytest.mark.parametrize(
    "change, text",
    [
        (
            ("<IssuedDate>2025-01-05</IssuedDate>", "<IssuedDate>05/01/2025</IssuedDate>"),
            "IssuedDate is not a date",
        ),
        (("<DocOrdinal>3</DocOrdinal>", "<DocOrdinal>ba</DocOrdinal>"), "DocOrdinal is not a whole number"),
        (("<DocOrdinal>3</DocOrdinal>", "<DocOrdinal>2</DocOrdinal>"), "ordinal 2 is used twice"),
        (("<FileCode>000.00.00.H20.2025.01.TCCB</FileCode>", ""), "FileCode is required"),
        (('<Documents count="4">', '<Documents count="5">'), "announces 5 documents but holds 4"),
        (('version="1"', 'version="9"'), "unsupported package version 9"),
        (("<Title>", "<Title>" + "x" * 1001), "Title is longer than 1000 characters"),
        (("urn:dongthap:qlvb:archive-package:1", "urn:other"), "not the metadata of a dossier package"),
        (("</ArchivePackage>", ""), "not readable XML"),
    ],
)
def test_invalid_metadata_refused(exported, change, text):
    xml = _metadata(exported)
    assert change[0] in xml
    refused(
        rezip(exported[0], replace={"metadata.xml": xml.replace(change[0], change[1], 1).encode()}),
        MetadataError,
        text,
    )


def test_bad_manifest_line(exported):
    data = rezip(exported[0], manifest=False, add={"manifest-sha256.txt": b"not a checksum line\n"})
    refused(data, ChecksumError, "line 1 of the manifest")


def test_safe_names():
    assert pkg.safe_name("../../etc/passwd") == "passwd"
    assert pkg.safe_name("C:\\Users\\a\\Quyết định.pdf") == "Quyết định.pdf"
    assert pkg.safe_name("") == "tep"
    assert pkg.safe_name("a:b*?.pdf") == "a_b__.pdf"
    long = pkg.safe_name("x" * 300 + ".pdf")
    assert len(long) == pkg.MAX_NAME and long.endswith(".pdf")
