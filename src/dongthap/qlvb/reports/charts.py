"""The dashboard's charts, drawn once with ReportLab graphics: inline SVG on the page and
vector drawings in the PDF (the same picture in both; no JavaScript, nothing to fetch)."""

from dongthap.qlvb.registers.fonts import register_fonts
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.shapes import String
from reportlab.lib import colors

RED = colors.HexColor("#c0392b")
BLUE = colors.HexColor("#1f6fb2")
GREEN = colors.HexColor("#2e8b57")
AMBER = colors.HexColor("#d68910")


def _font():
    try:
        return register_fonts().regular
    except FileNotFoundError:  # pragma: no cover - fonts-noto-core is a dependency
        return "Helvetica"


def _title(drawing, text, width, height, font):
    drawing.add(String(width / 2, height - 14, text, fontName=font, fontSize=11, textAnchor="middle"))


def _legend(drawing, items, x, y, font):
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.deltax = 110
    legend.colorNamePairs = items
    drawing.add(legend)


def bar_chart(title, labels, series, names, width=480, height=None):
    """Horizontal bars, one group per label (departments, people); ``series`` per name."""
    font = _font()
    height = height or max(120, 40 + 26 * max(1, len(labels)))
    drawing = Drawing(width, height)
    _title(drawing, title, width, height, font)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 42
    chart.width, chart.height = width - 170, height - 72
    chart.data = [list(s) or [0] for s in series] if labels else [[0]]
    chart.categoryAxis.categoryNames = [label[:28] for label in labels] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.reverseDirection = True
    chart.valueAxis.valueMin = 0
    top = max([max(s) if s else 0 for s in series] + [1])
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = max(1, -(-top // 5))
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    for i, colour in enumerate((BLUE, RED, AMBER)[:len(series)]):
        chart.bars[i].fillColor = colour
    drawing.add(chart)
    _legend(drawing, list(zip((BLUE, RED, AMBER)[:len(names)], names, strict=True)), 150, 14, font)
    return drawing


def line_chart(title, labels, series, names, width=480, height=220):
    """One line per series over the months."""
    font = _font()
    drawing = Drawing(width, height)
    _title(drawing, title, width, height, font)
    chart = HorizontalLineChart()
    chart.x, chart.y = 40, 48
    chart.width, chart.height = width - 60, height - 88
    chart.data = [list(s) for s in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([max(s) if s else 0 for s in series] + [1])
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = max(1, -(-top // 5))
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    for i, colour in enumerate((BLUE, GREEN, RED)[:len(series)]):
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 1.5
    drawing.add(chart)
    _legend(drawing, list(zip((BLUE, GREEN, RED)[:len(names)], names, strict=True)), 40, 14, font)
    return drawing


def svg(drawing, name="chart"):
    """The drawing as an inline ``<svg>`` element (no XML declaration, no script); ``name``
    makes its clip path's id unique on the page (ReportLab calls every one ``clip``)."""
    from reportlab.graphics import renderSVG

    text = renderSVG.drawToString(drawing)
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    return text.replace('id="clip"', f'id="clip-{name}"').replace("url(#clip)", f"url(#clip-{name})")


def dashboard_charts(data, month_label):
    """The two charts of a dashboard (:func:`.api.dashboard`): overdue per department, trend."""
    depts = data["departments"]
    bars = bar_chart("Việc đang giải quyết và quá hạn theo phòng, ban",
                     [d["title"] for d in depts],
                     [[d["open"] for d in depts], [d["overdue"] for d in depts]],
                     ["Đang giải quyết", "Quá hạn"])
    trend = data["trend"]
    lines = line_chart("Văn bản đến theo tháng", [month_label(t["month"]) for t in trend],
                       [[t["received"] for t in trend], [t["completed"] for t in trend],
                        [t["late"] for t in trend]],
                       ["Nhận", "Hoàn thành", "Hoàn thành trễ hạn"])
    return bars, lines
