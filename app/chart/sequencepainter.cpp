// SPDX-License-Identifier: MIT
#include "sequencepainter.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>
#include <cmath>

namespace mailroom {

namespace {

QString timeText(int64_t ns)
{
    return QString::number(double(ns) / 1e6, 'f', 3);
}

QColor withAlpha(QColor c, double alpha)
{
    c.setAlphaF(float(alpha));
    return c;
}

void drawHead(QPainter &p, QPointF tip, QPointF from, ArrowStyle style, bool dropped, const QColor &color)
{
    const double angle = std::atan2(tip.y() - from.y(), tip.x() - from.x());
    const double size = 8;
    const QPointF left = tip - QPointF(size * std::cos(angle - 0.42), size * std::sin(angle - 0.42));
    const QPointF right = tip - QPointF(size * std::cos(angle + 0.42), size * std::sin(angle + 0.42));
    p.setPen(QPen(color, 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (dropped) {
        const double s = 4;
        p.drawLine(tip + QPointF(-s, -s), tip + QPointF(s, s));
        p.drawLine(tip + QPointF(-s, s), tip + QPointF(s, -s));
        return;
    }
    switch (style) {
    case ArrowStyle::Call:
    case ArrowStyle::SysRequest: { // filled
        p.setBrush(color);
        const std::array points{ tip, left, right };
        p.drawPolygon(points.data(), int(points.size()));
        p.setBrush(Qt::NoBrush);
        break;
    }
    case ArrowStyle::Cast: { // half, filled: fire and forget
        p.setBrush(color);
        const std::array points{ tip, left, tip - QPointF(size * std::cos(angle), size * std::sin(angle)) };
        p.drawPolygon(points.data(), int(points.size()));
        p.setBrush(Qt::NoBrush);
        break;
    }
    default: { // open
        const std::array points{ left, tip, right };
        p.drawPolyline(points.data(), int(points.size()));
        break;
    }
    }
}

Qt::PenStyle penStyleOf(const SequenceArrow &a)
{
    switch (a.style) {
    case ArrowStyle::Reply:
    case ArrowStyle::SysReply:
        return Qt::DashLine;
    case ArrowStyle::Timer:
        return Qt::DashDotLine;
    case ArrowStyle::Info:
    case ArrowStyle::Spawn:
        return Qt::DotLine;
    default:
        return Qt::SolidLine;
    }
}

} // namespace

QString pidString(Pid pid)
{
    return QStringLiteral("<0.%1.0>").arg(pid.number);
}

QString SequenceScene::labelOf(const SequenceArrow &arrow, size_t maxChars) const
{
    if (history == nullptr)
        return {};
    const Event *e = history->event(arrow.seq);
    return e == nullptr ? QString() : QString::fromStdString(arrowLabel(arrow, *e, maxChars));
}

QColor SequencePainter::colorOf(const SequenceArrow &arrow) const
{
    switch (arrow.style) {
    case ArrowStyle::Call:
        return m_palette.call;
    case ArrowStyle::Reply:
        return m_palette.reply;
    case ArrowStyle::Cast:
        return m_palette.cast;
    case ArrowStyle::Info:
        return m_palette.info;
    case ArrowStyle::SysRequest:
    case ArrowStyle::SysReply:
        return withAlpha(m_palette.system, 0.75);
    case ArrowStyle::Timer:
        return m_palette.timer;
    case ArrowStyle::Spawn:
        return m_palette.muted;
    }
    return m_palette.info;
}

void SequencePainter::paint(
    QPainter &p, const SequenceScene &scene, const QRectF &area, double headerY) const
{
    const SequenceGeometry &g = scene.geometry;
    const auto &rows = scene.layout.rows();
    const auto &lifelines = scene.layout.lifelines();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(area, m_palette.background);

    // Rows in view (plus one on each side, for labels and heads that stick out).
    const int firstRow = std::max(0, int(std::floor((area.top() - g.header) / g.rowHeight)) - 1);
    const int lastRow
        = std::min(int(rows.size()) - 1, int(std::ceil((area.bottom() - g.header) / g.rowHeight)) + 1);
    const double top = area.top() - g.rowHeight;
    const double bottom = area.bottom() + g.rowHeight;
    const auto spans
        = [&](double y1, double y2) { return std::max(y1, y2) >= top && std::min(y1, y2) <= bottom; };

    QFont font = p.font();
    font.setPixelSize(11);
    QFont mono(m_palette.monoFamily);
    mono.setPixelSize(10);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF metrics(font);

    const uint64_t selected = scene.selectedMessage;
    const int selectedArrow = selected != 0 ? scene.layout.arrowOfMessage(selected) : -1;

    // The selected message's row, across the chart.
    if (selectedArrow >= 0) {
        const SequenceArrow &a = scene.layout.arrows()[size_t(selectedArrow)];
        const double y = g.rowY(a.row);
        if (spans(y, y + g.rowHeight))
            p.fillRect(QRectF(area.left(), y, area.width(), g.rowHeight), m_palette.selection);
    }

    // Time gutter.
    p.setFont(mono);
    QString previous;
    for (int r = std::max(0, firstRow - 1); r <= lastRow; ++r) {
        const QString text = timeText(rows[size_t(r)].timeNs);
        if (r >= firstRow) {
            p.setPen(text == previous ? withAlpha(m_palette.muted, 0.45) : m_palette.muted);
            p.drawText(QRectF(area.left() + 4, g.rowY(r), g.gutter - 12, g.rowHeight),
                Qt::AlignRight | Qt::AlignVCenter, text);
        }
        previous = text;
    }

    // Lifelines, from where each appears to its exit.
    for (size_t c = 0; c < lifelines.size(); ++c) {
        const SequenceLifeline &l = lifelines[c];
        const double x = g.columnX(int(c));
        const double y1 = g.rowY(l.firstRow);
        const double y2 = l.exitRow >= 0 ? g.rowY(l.exitRow + 0.5) : g.height(int(rows.size()));
        if (!spans(y1, y2))
            continue;
        p.setPen(QPen(m_palette.line, 1.2));
        p.drawLine(QPointF(x, std::max(y1, top)), QPointF(x, std::min(y2, bottom)));
    }

    // Blocked bands: hatched, under the activations.
    for (const SequenceBar &b : scene.layout.blocks()) {
        const double y1 = g.rowY(b.top);
        const double y2 = g.rowY(b.bottom);
        if (!spans(y1, y2))
            continue;
        const QColor color
            = b.block == BlockKind::Sleep ? withAlpha(m_palette.blocked, 0.6) : m_palette.blocked;
        const QRectF band(
            g.columnX(b.column) - 8, std::max(y1, top), 16, std::min(y2, bottom) - std::max(y1, top));
        p.fillRect(band, withAlpha(color, 0.16));
        // Hatching, cut to the band by hand (an SVG keeps no clip).
        p.setPen(QPen(withAlpha(color, 0.8), 1));
        for (double k = band.left() + band.top() + 3; k < band.right() + band.bottom(); k += 5) {
            const double x1 = std::max(band.left(), k - band.bottom());
            const double x2 = std::min(band.right(), k - band.top());
            if (x1 < x2)
                p.drawLine(QPointF(x1, k - x1), QPointF(x2, k - x2));
        }
        p.setPen(QPen(color, 1));
        p.drawLine(band.topLeft(), band.bottomLeft());
        p.drawLine(band.topRight(), band.bottomRight());
    }

    // Activations: a handler running on the receiver.
    for (const SequenceBar &b : scene.layout.activations()) {
        const double y1 = g.rowY(b.top);
        const double y2 = g.rowY(b.bottom);
        if (!spans(y1, y2))
            continue;
        QColor color = m_palette.call;
        switch (b.kind) {
        case MessageKind::Call:
            color = m_palette.call;
            break;
        case MessageKind::Cast:
            color = m_palette.cast;
            break;
        case MessageKind::Info:
            color = m_palette.info;
            break;
        case MessageKind::Reply:
            color = m_palette.reply;
            break;
        case MessageKind::System:
            color = m_palette.system;
            break;
        }
        const QRectF bar(
            g.columnX(b.column) - 5, std::max(y1, top), 10, std::min(y2, bottom) - std::max(y1, top));
        p.setPen(QPen(color, 1));
        p.setBrush(b.messageId != 0 && b.messageId == selected ? color : withAlpha(color, 0.35));
        p.drawRect(bar);
        p.setBrush(Qt::NoBrush);
    }

    // Arrows, each one path (plus its head and its label).
    const auto &arrows = scene.layout.arrows();
    for (size_t i = 0; i < arrows.size(); ++i) {
        const SequenceArrow &a = arrows[i];
        const double yEnd = g.rowY(a.row + 0.5);
        const double yStart = a.startRow < 0 ? g.rowY(0) : g.rowY(a.startRow + 0.5);
        if (!spans(yStart, yEnd))
            continue;
        const bool isSelected = int(i) == selectedArrow;
        const QColor color = colorOf(a);
        double xFrom = g.columnX(a.fromColumn);
        double xTo = g.columnX(a.toColumn);
        // Start and end at the edge of an activation bar, not inside it.
        if (xTo != xFrom) {
            const double dir = xTo > xFrom ? 1 : -1;
            xFrom += dir * 5;
            xTo -= dir * 5;
        }
        QPainterPath path;
        QPointF tip;
        QPointF tail;
        QPointF labelAt;
        if (a.fromColumn == a.toColumn) { // to itself: a loop on the right
            const double x = g.columnX(a.fromColumn) + 5;
            const double y1 = a.style == ArrowStyle::Timer ? yStart : yEnd - g.rowHeight * 0.2;
            const double y2 = a.style == ArrowStyle::Timer ? yEnd : yEnd + g.rowHeight * 0.2;
            path.moveTo(x, y1);
            path.lineTo(x + g.selfLoop - 5, y1);
            path.lineTo(x + g.selfLoop - 5, y2);
            path.lineTo(x, y2);
            tip = QPointF(x, y2);
            tail = QPointF(x + g.selfLoop - 5, y2);
            labelAt = QPointF(x + g.selfLoop, a.style == ArrowStyle::Timer ? y1 : yEnd);
        } else {
            path.moveTo(xFrom, yStart);
            path.lineTo(xTo, yEnd);
            tip = QPointF(xTo, yEnd);
            tail = QPointF(xFrom, yStart);
            labelAt = QPointF(0, 0);
        }
        QPen pen(color, isSelected ? 2.6 : 1.4, penStyleOf(a), Qt::FlatCap, Qt::MiterJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        if (a.pending) {
            // Not fired yet: the timer's clock where it was set, no head.
        } else if (a.cancelled) {
            p.setPen(QPen(color, 1.5));
            const double s = 4;
            p.drawLine(tip + QPointF(-s, -s), tip + QPointF(s, s));
            p.drawLine(tip + QPointF(-s, s), tip + QPointF(s, -s));
        } else {
            drawHead(p, tip, tail, a.style, a.dropped, isSelected ? m_palette.text : color);
        }
        if (a.style == ArrowStyle::Timer && a.startRow >= 0) { // the send_after
            p.setPen(QPen(color, 1.2));
            p.drawEllipse(QPointF(g.columnX(a.fromColumn), yStart), 4, 4);
        }

        // The label, above the shaft (horizontal arrows) or beside the loop.
        const QString label = scene.labelOf(a, 40);
        if (label.isEmpty())
            continue;
        p.setFont(isSelected ? bold : font);
        p.setPen(a.muted()
                ? m_palette.muted
                : (isSelected ? m_palette.text : color.lighter(a.style == ArrowStyle::Reply ? 110 : 100)));
        if (a.fromColumn == a.toColumn) {
            const double w = std::max(40.0, g.columnWidth - g.selfLoop - 8);
            p.drawText(QRectF(labelAt.x() + 2, labelAt.y() - g.rowHeight / 2, w, g.rowHeight),
                Qt::AlignLeft | Qt::AlignVCenter, metrics.elidedText(label, Qt::ElideRight, w));
        } else if (a.style == ArrowStyle::Timer) {
            const double w = g.columnWidth - 16;
            p.drawText(QRectF(g.columnX(a.fromColumn) + 8, yStart - g.rowHeight / 2, w, g.rowHeight / 2),
                Qt::AlignLeft | Qt::AlignBottom, metrics.elidedText(label, Qt::ElideRight, w));
        } else {
            const double w = std::abs(xTo - xFrom) - 8;
            p.drawText(QRectF(std::min(xFrom, xTo) + 4, yEnd - g.rowHeight / 2, w, g.rowHeight / 2 - 1),
                Qt::AlignHCenter | Qt::AlignBottom, metrics.elidedText(label, Qt::ElideRight, w));
        }
    }

    // Exits: a cross where the lifeline ends, red when it crashed.
    for (const SequenceCross &c : scene.layout.crosses()) {
        const double y = g.rowY(c.row + 0.5);
        if (!spans(y, y))
            continue;
        const double x = g.columnX(c.column);
        p.setPen(QPen(c.crashed ? m_palette.danger : m_palette.muted, 2.2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(x - 6, y - 6), QPointF(x + 6, y + 6));
        p.drawLine(QPointF(x - 6, y + 6), QPointF(x + 6, y - 6));
    }

    // The names on top, over what scrolled under them.
    const QRectF header(area.left(), headerY, area.width(), g.header);
    p.fillRect(header, m_palette.header);
    p.setPen(QPen(m_palette.line, 1));
    p.drawLine(header.bottomLeft(), header.bottomRight());
    p.setFont(mono);
    p.setPen(m_palette.muted);
    p.drawText(QRectF(area.left() + 4, headerY, g.gutter - 12, g.header), Qt::AlignRight | Qt::AlignVCenter,
        QCoreApplication::translate("SequenceChart", "ms"));
    const QFontMetricsF boldMetrics(bold);
    QFont small = font;
    small.setPixelSize(10);
    for (size_t c = 0; c < lifelines.size(); ++c) {
        const double x = g.columnX(int(c));
        if (x + g.columnWidth / 2 < area.left() || x - g.columnWidth / 2 > area.right())
            continue;
        const Pid pid = lifelines[c].pid;
        const QString name = QString::fromStdString(scene.nameOf(pid));
        const QString pidText = pidString(pid);
        const double w = g.columnWidth - 12;
        const QRectF box(x - w / 2, headerY + 4, w, g.header - 8);
        p.setPen(QPen(m_palette.line, 1));
        p.setBrush(m_palette.background);
        p.drawRect(box);
        p.setBrush(Qt::NoBrush);
        p.setFont(bold);
        p.setPen(m_palette.text);
        const bool twoLines = name != pidText && pid.isValid();
        p.drawText(QRectF(box.left() + 4, box.top() + 1, box.width() - 8,
                       twoLines ? box.height() / 2 + 2 : box.height()),
            static_cast<int>(twoLines ? Qt::AlignHCenter | Qt::AlignBottom : Qt::AlignCenter),
            boldMetrics.elidedText(name, Qt::ElideRight, box.width() - 8));
        if (twoLines) {
            p.setFont(small);
            p.setPen(m_palette.muted);
            p.drawText(QRectF(box.left() + 4, box.center().y() + 1, box.width() - 8, box.height() / 2 - 2),
                Qt::AlignHCenter | Qt::AlignTop, pidText);
        }
    }
}

} // namespace mailroom
