"""Dossiers (hồ sơ), the records schedule (danh mục hồ sơ) and filing (lập hồ sơ).

See :mod:`.api` for the functions views, REST services and the archive use.
"""
