"""Vocabularies of documents (Nghị định 30/2020/NĐ-CP): types, urgency, source.

``DOCUMENT_TYPES`` maps a stable ASCII id to (Vietnamese name, abbreviation);
the outgoing capability reuses it to build notations (``15/QĐ-UBND``). The
Vietnamese names are legal names and therefore data; the vocabulary titles
show them with their abbreviation.
"""

from dongthap.qlvb.i18n import _
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

#: id → (Vietnamese name, abbreviation or "" when NĐ 30 gives none), in the order of NĐ 30.
DOCUMENT_TYPES = {
    "nghi_quyet": ("Nghị quyết", "NQ"),
    "quyet_dinh": ("Quyết định", "QĐ"),
    "chi_thi": ("Chỉ thị", "CT"),
    "quy_che": ("Quy chế", "QC"),
    "quy_dinh": ("Quy định", "QyĐ"),
    "thong_cao": ("Thông cáo", "TC"),
    "thong_bao": ("Thông báo", "TB"),
    "huong_dan": ("Hướng dẫn", "HD"),
    "chuong_trinh": ("Chương trình", "CTr"),
    "ke_hoach": ("Kế hoạch", "KH"),
    "phuong_an": ("Phương án", "PA"),
    "de_an": ("Đề án", "ĐA"),
    "du_an": ("Dự án", "DA"),
    "bao_cao": ("Báo cáo", "BC"),
    "bien_ban": ("Biên bản", "BB"),
    "to_trinh": ("Tờ trình", "TTr"),
    "hop_dong": ("Hợp đồng", "HĐ"),
    "cong_van": ("Công văn", ""),
    "cong_dien": ("Công điện", "CĐ"),
    "ban_ghi_nho": ("Bản ghi nhớ", "BGN"),
    "ban_thoa_thuan": ("Bản thỏa thuận", "BTT"),
    "giay_uy_quyen": ("Giấy ủy quyền", "GUQ"),
    "giay_moi": ("Giấy mời", "GM"),
    "giay_gioi_thieu": ("Giấy giới thiệu", "GGT"),
    "giay_nghi_phep": ("Giấy nghỉ phép", "GNP"),
    "phieu_gui": ("Phiếu gửi", "PG"),
    "phieu_chuyen": ("Phiếu chuyển", "PC"),
    "phieu_bao": ("Phiếu báo", "PB"),
    "thu_cong": ("Thư công", ""),
}

#: Copies share one yearly series (NĐ 30): id → (name, abbreviation).
COPY_FORMS = {
    "sao_y": ("Sao y", "SY"),
    "trich_sao": ("Trích sao", "TrS"),
    "sao_luc": ("Sao lục", "SL"),
}


def type_name(type_id):
    """Vietnamese name of a document type id ("" when unknown)."""
    return DOCUMENT_TYPES.get(type_id, ("", ""))[0]


def type_abbreviation(type_id):
    """Abbreviation of a document type id for notations ("" for công văn, thư công)."""
    return DOCUMENT_TYPES.get(type_id, ("", ""))[1]


#: Urgency ids, most urgent first (the rank used by the dashboards).
URGENCY = (
    ("hoa_toc", _("urgency_hoa_toc", default="Flash (hỏa tốc)")),
    ("thuong_khan", _("urgency_thuong_khan", default="Most urgent (thượng khẩn)")),
    ("khan", _("urgency_khan", default="Urgent (khẩn)")),
    ("thuong", _("urgency_thuong", default="Normal (thường)")),
)
URGENCY_RANK = {value: rank for rank, (value, _title) in enumerate(URGENCY)}
#: Urgencies that go on top of every list and must be registered at once.
TOP_URGENCY = ("hoa_toc", "thuong_khan")

SOURCES = (
    ("paper", _("source_paper", default="Paper (bản giấy)")),
    ("internal", _("source_internal", default="Internal system (nội bộ)")),
    ("axis", _("source_axis", default="National exchange axis (trục liên thông)")),
    ("email", _("source_email", default="E-mail (thư điện tử)")),
)


def _vocabulary(items):
    return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in items])


@provider(IVocabularyFactory)
def document_types(context):
    """The 29 document types of NĐ 30, titled "Name (ABBR)"."""
    return SimpleVocabulary(
        [
            SimpleTerm(key, key, f"{name} ({abbr})" if abbr else name)
            for key, (name, abbr) in DOCUMENT_TYPES.items()
        ]
    )


@provider(IVocabularyFactory)
def urgencies(context):
    """Độ khẩn: thường, khẩn, thượng khẩn, hỏa tốc."""
    return _vocabulary(URGENCY)


@provider(IVocabularyFactory)
def sources(context):
    """Where an incoming document came from."""
    return _vocabulary(SOURCES)
