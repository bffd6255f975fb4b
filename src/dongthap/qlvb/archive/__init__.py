"""The agency archive: dossier export packages, retention, transfer (nộp lưu) and disposal (hủy).

Plone-free libraries (tested without a site):

* :mod:`.package` — the export package of a dossier (ZIP: reading PDF, originals,
  Thông tư 02/2019 metadata XML, SHA-256 manifest), written streaming and read
  back with validation;
* :mod:`.metadata` — the TT 02/2019 fields and their XML;
* :mod:`.pdfcat` — streaming PDF concatenation;
* :mod:`.retention` — expiry, transfer deadlines, warnings, disposal rules.
"""
