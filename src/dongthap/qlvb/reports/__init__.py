"""Reports and statistics (issue 18): the QĐ 595 e-document report, the processing reports
(tình hình giải quyết văn bản đến / đi) and the leaders' dashboard; see docs/reports.md."""
