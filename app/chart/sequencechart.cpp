#include "sequencechart.h"

#include "eventbridge.h"
#include "export_mermaid.h"
#include "tracemodel.h"

#include <QBuffer>
#include <QFile>
#include <QFontMetricsF>
#include <QHoverEvent>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWheelEvent>
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace mailroom {

namespace {

/// A PNG taller or wider than this is drawn smaller.
constexpr double kMaxImageSide = 16000;
/// Rows a wheel notch scrolls.
constexpr double kWheelRows = 3;

QString pidString(Pid pid)
{
    return QStringLiteral("<0.%1.0>").arg(pid.number);
}

QString timeText(int64_t ns)
{
    return QString::number(double(ns) / 1e6, 'f', 3);
}

QColor withAlpha(QColor c, double alpha)
{
    c.setAlphaF(float(alpha));
    return c;
}

} // namespace

SequenceChart::SequenceChart(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAcceptedMouseButtons(Qt::LeftButton);
    setAcceptHoverEvents(true);
    setOpaquePainting(true);
    setAntialiasing(true);
    connect(this, &SequenceChart::colorsChanged, this, [this] { update(); });
}

SequenceChart::~SequenceChart() = default;

void SequenceChart::setBridge(EventBridge *bridge)
{
    if (m_bridge == bridge)
        return;
    disconnect(m_bridgeUpdated);
    disconnect(m_bridgePlayhead);
    disconnect(m_bridgeSelection);
    m_bridge = bridge;
    if (bridge != nullptr) {
        m_bridgeUpdated = connect(bridge, &EventBridge::updated, this, &SequenceChart::markDirty);
        m_bridgePlayhead = connect(bridge, &EventBridge::playheadChanged, this, &SequenceChart::markDirty);
        m_bridgeSelection = connect(bridge, &EventBridge::selectionChanged, this, [this] { update(); });
    }
    m_key.reset();
    markDirty();
    emit bridgeChanged();
}

void SequenceChart::setTrace(TraceModel *trace)
{
    if (m_trace == trace)
        return;
    disconnect(m_traceFilter);
    m_trace = trace;
    if (trace != nullptr)
        m_traceFilter = connect(trace, &TraceModel::filterChanged, this, &SequenceChart::markDirty);
    markDirty();
    emit traceChanged();
}

void SequenceChart::setFollow(bool follow)
{
    if (m_follow == follow)
        return;
    m_follow = follow;
    emit followChanged();
    if (follow)
        scrollTo(m_contentX, maxContentY());
}

void SequenceChart::setMaxEvents(int events)
{
    events = std::max(events, 1);
    if (m_maxEvents == events)
        return;
    m_maxEvents = events;
    markDirty();
    emit maxEventsChanged();
}

void SequenceChart::setContentX(double x)
{
    scrollTo(x, m_contentY);
}

void SequenceChart::setContentY(double y)
{
    scrollTo(m_contentX, y);
    setFollow(m_contentY >= maxContentY() - 1);
}

double SequenceChart::contentWidth() const
{
    return m_geometry.width(int(m_layout.lifelines().size()));
}

double SequenceChart::contentHeight() const
{
    return m_geometry.height(int(m_layout.rows().size()));
}

double SequenceChart::maxContentY() const
{
    return std::max(0.0, contentHeight() - height());
}

void SequenceChart::scrollTo(double x, double y)
{
    x = std::clamp(x, 0.0, std::max(0.0, contentWidth() - width()));
    y = std::clamp(y, 0.0, maxContentY());
    if (x == m_contentX && y == m_contentY)
        return;
    m_contentX = x;
    m_contentY = y;
    emit viewChanged();
    update();
}

void SequenceChart::clampScroll()
{
    scrollTo(m_contentX, m_follow ? maxContentY() : m_contentY);
}

SequenceFilter SequenceChart::filter() const
{
    SequenceFilter f;
    if (m_trace != nullptr) {
        f.pid = uint32_t(std::max(m_trace->pidFilter(), 0));
        f.categories = uint32_t(m_trace->categories());
    }
    return f;
}

void SequenceChart::markDirty()
{
    m_dirty = true;
    polish(); // lays out before the next frame, once however many changes came
}

void SequenceChart::updatePolish()
{
    ensureLayout();
}

void SequenceChart::refresh()
{
    m_dirty = true;
    ensureLayout();
}

const SequenceLayout &SequenceChart::layout()
{
    ensureLayout();
    return m_layout;
}

void SequenceChart::ensureLayout()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    if (m_bridge == nullptr) {
        if (m_key) {
            m_key.reset();
            m_layout.clear();
            emit layoutChanged();
            clampScroll();
            update();
        }
        return;
    }
    const History &history = m_bridge->history();
    const Key key { m_bridge->limitSeq(), history.firstSeq(), m_bridge->playheadEpoch(), filter(),
        size_t(m_maxEvents) };
    if (m_key && *m_key == key)
        return;
    m_key = key;
    m_layout.build(history, key.limit, key.filter, key.maxEvents);
    fitColumns();
    emit layoutChanged();
    clampScroll();
    update();
}

bool SequenceChart::fitColumns()
{
    // Columns share the width when there is room, and scroll sideways when there is not.
    const int columns = std::max(1, int(m_layout.lifelines().size()));
    const double w = std::clamp((width() - m_geometry.gutter - 8) / columns, 130.0, 220.0);
    if (w == m_geometry.columnWidth)
        return false;
    m_geometry.columnWidth = w;
    return true;
}

void SequenceChart::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.width() != oldGeometry.width() && fitColumns())
        emit layoutChanged();
    if (newGeometry.size() != oldGeometry.size())
        clampScroll();
}

std::string SequenceChart::nameOf(Pid pid) const
{
    if (!pid.isValid())
        return "(outside)";
    if (m_bridge == nullptr)
        return pidString(pid).toStdString();
    if (int(pid.number) == m_bridge->shellPid())
        return "iex";
    std::string name = m_bridge->view().displayName(pid);
    if (name.starts_with("<0.")) {
        if (const ProcessRecord *p = m_bridge->view().process(pid); p != nullptr && !p->module.empty())
            name = p->module;
    }
    return name;
}

QColor SequenceChart::colorOf(const SequenceArrow &arrow) const
{
    switch (arrow.style) {
    case ArrowStyle::Call:
        return m_callColor;
    case ArrowStyle::Reply:
        return m_replyColor;
    case ArrowStyle::Cast:
        return m_castColor;
    case ArrowStyle::Info:
        return m_infoColor;
    case ArrowStyle::SysRequest:
    case ArrowStyle::SysReply:
        return withAlpha(m_systemColor, 0.75);
    case ArrowStyle::Timer:
        return m_timerColor;
    case ArrowStyle::Spawn:
        return m_mutedColor;
    }
    return m_infoColor;
}

QString SequenceChart::labelOf(const SequenceArrow &arrow, size_t maxChars) const
{
    if (m_bridge == nullptr)
        return {};
    const Event *e = m_bridge->history().event(arrow.seq);
    return e == nullptr ? QString() : QString::fromStdString(arrowLabel(arrow, *e, maxChars));
}

// Painting ====================================================================

namespace {

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
        const std::array points { tip, left, right };
        p.drawPolygon(points.data(), int(points.size()));
        p.setBrush(Qt::NoBrush);
        break;
    }
    case ArrowStyle::Cast: { // half, filled: fire and forget
        p.setBrush(color);
        const std::array points { tip, left, tip - QPointF(size * std::cos(angle), size * std::sin(angle)) };
        p.drawPolygon(points.data(), int(points.size()));
        p.setBrush(Qt::NoBrush);
        break;
    }
    default: { // open
        const std::array points { left, tip, right };
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

void SequenceChart::paint(QPainter *painter)
{
    ensureLayout();
    painter->save();
    painter->translate(-m_contentX, -m_contentY);
    paintChart(*painter, QRectF(m_contentX, m_contentY, width(), height()), m_contentY);
    painter->restore();
}

void SequenceChart::paintChart(QPainter &p, const QRectF &area, double headerY)
{
    const SequenceGeometry &g = m_geometry;
    const auto &rows = m_layout.rows();
    const auto &lifelines = m_layout.lifelines();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(area, m_backgroundColor);

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
    QFont mono(m_monoFamily);
    mono.setPixelSize(10);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF metrics(font);

    const uint64_t selected
        = m_bridge != nullptr ? uint64_t(std::max<qint64>(m_bridge->selectedMessage(), 0)) : 0;
    const int selectedArrow = selected != 0 ? m_layout.arrowOfMessage(selected) : -1;

    // The selected message's row, across the chart.
    if (selectedArrow >= 0) {
        const SequenceArrow &a = m_layout.arrows()[size_t(selectedArrow)];
        const double y = g.rowY(a.row);
        if (spans(y, y + g.rowHeight))
            p.fillRect(QRectF(area.left(), y, area.width(), g.rowHeight), m_selectionColor);
    }

    // Time gutter.
    p.setFont(mono);
    QString previous;
    for (int r = std::max(0, firstRow - 1); r <= lastRow; ++r) {
        const QString text = timeText(rows[size_t(r)].timeNs);
        if (r >= firstRow) {
            p.setPen(text == previous ? withAlpha(m_mutedColor, 0.45) : m_mutedColor);
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
        p.setPen(QPen(m_lineColor, 1.2));
        p.drawLine(QPointF(x, std::max(y1, top)), QPointF(x, std::min(y2, bottom)));
    }

    // Blocked bands: hatched, under the activations.
    for (const SequenceBar &b : m_layout.blocks()) {
        const double y1 = g.rowY(b.top);
        const double y2 = g.rowY(b.bottom);
        if (!spans(y1, y2))
            continue;
        const QColor color = b.block == BlockKind::Sleep ? withAlpha(m_blockedColor, 0.6) : m_blockedColor;
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
    for (const SequenceBar &b : m_layout.activations()) {
        const double y1 = g.rowY(b.top);
        const double y2 = g.rowY(b.bottom);
        if (!spans(y1, y2))
            continue;
        QColor color = m_callColor;
        switch (b.kind) {
        case MessageKind::Call:
            color = m_callColor;
            break;
        case MessageKind::Cast:
            color = m_castColor;
            break;
        case MessageKind::Info:
            color = m_infoColor;
            break;
        case MessageKind::Reply:
            color = m_replyColor;
            break;
        case MessageKind::System:
            color = m_systemColor;
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
    const auto &arrows = m_layout.arrows();
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
            drawHead(p, tip, tail, a.style, a.dropped, isSelected ? m_textColor : color);
        }
        if (a.style == ArrowStyle::Timer && a.startRow >= 0) { // the send_after
            p.setPen(QPen(color, 1.2));
            p.drawEllipse(QPointF(g.columnX(a.fromColumn), yStart), 4, 4);
        }

        // The label, above the shaft (horizontal arrows) or beside the loop.
        const QString label = labelOf(a, 40);
        if (label.isEmpty())
            continue;
        p.setFont(isSelected ? bold : font);
        p.setPen(a.muted()
                ? m_mutedColor
                : (isSelected ? m_textColor : color.lighter(a.style == ArrowStyle::Reply ? 110 : 100)));
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
    for (const SequenceCross &c : m_layout.crosses()) {
        const double y = g.rowY(c.row + 0.5);
        if (!spans(y, y))
            continue;
        const double x = g.columnX(c.column);
        p.setPen(QPen(c.crashed ? m_dangerColor : m_mutedColor, 2.2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(x - 6, y - 6), QPointF(x + 6, y + 6));
        p.drawLine(QPointF(x - 6, y + 6), QPointF(x + 6, y - 6));
    }

    // The names on top, over what scrolled under them.
    const QRectF header(area.left(), headerY, area.width(), g.header);
    p.fillRect(header, m_headerColor);
    p.setPen(QPen(m_lineColor, 1));
    p.drawLine(header.bottomLeft(), header.bottomRight());
    p.setFont(mono);
    p.setPen(m_mutedColor);
    p.drawText(QRectF(area.left() + 4, headerY, g.gutter - 12, g.header), Qt::AlignRight | Qt::AlignVCenter,
        tr("ms"));
    const QFontMetricsF boldMetrics(bold);
    QFont small = font;
    small.setPixelSize(10);
    for (size_t c = 0; c < lifelines.size(); ++c) {
        const double x = g.columnX(int(c));
        if (x + g.columnWidth / 2 < area.left() || x - g.columnWidth / 2 > area.right())
            continue;
        const Pid pid = lifelines[c].pid;
        const QString name = QString::fromStdString(nameOf(pid));
        const QString pidText = pidString(pid);
        const double w = g.columnWidth - 12;
        const QRectF box(x - w / 2, headerY + 4, w, g.header - 8);
        p.setPen(QPen(m_lineColor, 1));
        p.setBrush(m_backgroundColor);
        p.drawRect(box);
        p.setBrush(Qt::NoBrush);
        p.setFont(bold);
        p.setPen(m_textColor);
        const bool twoLines = name != pidText && pid.isValid();
        p.drawText(QRectF(box.left() + 4, box.top() + 1, box.width() - 8,
                       twoLines ? box.height() / 2 + 2 : box.height()),
            static_cast<int>(twoLines ? Qt::AlignHCenter | Qt::AlignBottom : Qt::AlignCenter),
            boldMetrics.elidedText(name, Qt::ElideRight, box.width() - 8));
        if (twoLines) {
            p.setFont(small);
            p.setPen(m_mutedColor);
            p.drawText(QRectF(box.left() + 4, box.center().y() + 1, box.width() - 8, box.height() / 2 - 2),
                Qt::AlignHCenter | Qt::AlignTop, pidText);
        }
    }
}

// Interaction =================================================================

int SequenceChart::arrowAtItem(double x, double y)
{
    ensureLayout();
    if (y < m_geometry.header)
        return -1; // the names
    return m_layout.arrowAt(x + m_contentX, y + m_contentY, m_geometry);
}

double SequenceChart::messageAt(double x, double y)
{
    const int index = arrowAtItem(x, y);
    return index < 0 ? 0.0 : double(m_layout.arrows()[size_t(index)].messageId);
}

QString SequenceChart::textAt(double x, double y)
{
    const int index = arrowAtItem(x, y);
    if (index < 0 || m_bridge == nullptr)
        return {};
    const SequenceArrow &a = m_layout.arrows()[size_t(index)];
    const Event *e = m_bridge->history().event(a.seq);
    if (e == nullptr)
        return {};
    const QString from = QString::fromStdString(nameOf(a.from));
    const QString to = QString::fromStdString(nameOf(a.to));
    QString text
        = QStringLiteral("%1 → %2\n%3").arg(from, to, QString::fromStdString(arrowLabel(a, *e, 120)));
    const QString full = QString::fromStdString(arrowText(a, *e, 400));
    if (!text.endsWith(full))
        text += QStringLiteral("\n") + full;
    if (a.paired >= 0) {
        const SequenceArrow &other = m_layout.arrows()[size_t(a.paired)];
        const double us = double(m_layout.rows()[size_t(std::max(other.row, a.row))].timeNs
                              - m_layout.rows()[size_t(std::min(other.row, a.row))].timeNs)
            / 1e3;
        text += QStringLiteral("\n") + tr("call ↔ reply: %1 µs").arg(us, 0, 'f', 1);
    }
    return text;
}

QPointF SequenceChart::arrowPoint(double messageId)
{
    ensureLayout();
    const int index = m_layout.arrowOfMessage(uint64_t(std::max(messageId, 0.0)));
    if (index < 0)
        return { -1, -1 };
    auto [x, y] = m_layout.arrowPoint(index, m_geometry);
    if (y - m_contentY < m_geometry.header + 4 || y - m_contentY > height() - 4 || x - m_contentX < 0
        || x - m_contentX > width()) {
        const bool following = m_follow;
        scrollTo(x - width() / 2, y - height() / 2);
        if (following && m_contentY < maxContentY() - 1)
            setFollow(false);
    }
    return { x - m_contentX, y - m_contentY };
}

bool SequenceChart::selectAt(double x, double y)
{
    const int index = arrowAtItem(x, y);
    if (index < 0 || m_bridge == nullptr)
        return false;
    const SequenceArrow &a = m_layout.arrows()[size_t(index)];
    m_bridge->setSelectedPid(int(a.from.number));
    m_bridge->setSelectedMessage(qint64(a.messageId));
    emit messageClicked(double(a.messageId), int(a.from.number));
    update();
    return true;
}

void SequenceChart::mousePressEvent(QMouseEvent *event)
{
    m_pressedArrow = arrowAtItem(event->position().x(), event->position().y());
    event->setAccepted(m_pressedArrow >= 0);
}

void SequenceChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_pressedArrow >= 0 && arrowAtItem(event->position().x(), event->position().y()) == m_pressedArrow)
        selectAt(event->position().x(), event->position().y());
    m_pressedArrow = -1;
    event->accept();
}

void SequenceChart::hoverMoveEvent(QHoverEvent *event)
{
    const QString text = textAt(event->position().x(), event->position().y());
    if (text != m_hoverText || (!text.isEmpty() && event->position() != m_hoverPosition)) {
        m_hoverText = text;
        m_hoverPosition = event->position();
        emit hoverChanged();
    }
}

void SequenceChart::hoverLeaveEvent(QHoverEvent * /*event*/)
{
    if (m_hoverText.isEmpty())
        return;
    m_hoverText.clear();
    emit hoverChanged();
}

void SequenceChart::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (delta.y() != 0 && !(event->modifiers() & Qt::ShiftModifier))
        setContentY(m_contentY - delta.y() / 120.0 * kWheelRows * m_geometry.rowHeight);
    else if (delta.y() != 0)
        setContentX(m_contentX - delta.y() / 120.0 * m_geometry.columnWidth / 2);
    if (delta.x() != 0)
        setContentX(m_contentX - delta.x() / 120.0 * m_geometry.columnWidth / 2);
    event->accept();
}

// Exports =====================================================================

bool SequenceChart::writeFile(const QUrl &file, const QByteArray &bytes)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        m_error = tr("Could not write %1: %2").arg(path, out.errorString());
        return false;
    }
    m_error.clear();
    return true;
}

bool SequenceChart::saveSvg(const QUrl &file)
{
    ensureLayout();
    const QSizeF size(contentWidth(), contentHeight());
    QByteArray bytes;
    QBuffer buffer(&bytes);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size.toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), size));
    svg.setTitle(tr("Mailroom sequence chart"));
    svg.setDescription(tr("Events %1 to %2").arg(m_layout.firstSeq()).arg(m_layout.lastSeq()));
    {
        QPainter painter;
        if (!painter.begin(&svg)) {
            m_error = tr("Could not draw the SVG");
            return false;
        }
        paintChart(painter, QRectF(QPointF(0, 0), size), 0);
    }
    return writeFile(file, bytes);
}

bool SequenceChart::savePng(const QUrl &file)
{
    ensureLayout();
    const QSizeF size(contentWidth(), contentHeight());
    const double scale = std::min(1.0, kMaxImageSide / std::max(size.width(), size.height()));
    QImage image((size * scale).toSize().expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        m_error = tr("The chart is too big for an image (%1 × %2)").arg(size.width()).arg(size.height());
        return false;
    }
    image.fill(m_backgroundColor);
    {
        QPainter painter(&image);
        painter.scale(scale, scale);
        paintChart(painter, QRectF(QPointF(0, 0), size), 0);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    if (!buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG")) {
        m_error = tr("Could not encode the PNG");
        return false;
    }
    return writeFile(file, bytes);
}

QString SequenceChart::mermaidText()
{
    ensureLayout();
    if (m_bridge == nullptr || m_layout.lastSeq() == 0)
        return QStringLiteral("sequenceDiagram\n");
    const History &history = m_bridge->history();
    MermaidOptions options;
    options.firstSeq = m_layout.firstSeq();
    options.lastSeq = m_layout.lastSeq();
    if (const SequenceFilter f = filter(); f.pid != 0)
        options.pids.push_back(Pid { f.pid });
    // The range, plus what names its processes (from the whole record) and what matches a
    // timer's delivery from before it: the exporter reads these and writes nothing for them.
    constexpr uint64_t kTimerLookBack = 4096;
    std::vector<Event> events;
    for (uint64_t seq = history.firstSeq(); seq < options.firstSeq; ++seq) {
        const Event *e = history.event(seq);
        if (e == nullptr)
            continue;
        const bool names = e->type == EventType::Spawn || e->type == EventType::StateInit
            || e->type == EventType::Register;
        const bool timer = e->type == EventType::TimerFire && options.firstSeq - seq <= kTimerLookBack;
        if (names || timer)
            events.push_back(*e);
    }
    for (uint64_t seq = options.firstSeq; seq <= options.lastSeq; ++seq) {
        if (const Event *e = history.event(seq))
            events.push_back(*e);
    }
    for (uint64_t seq = options.lastSeq + 1; seq < history.endSeq(); ++seq) {
        const Event *e = history.event(seq);
        if (e != nullptr
            && (e->type == EventType::Spawn || e->type == EventType::StateInit
                || e->type == EventType::Register))
            events.push_back(*e);
    }
    std::ostringstream out;
    writeMermaidSequence(events, out, options);
    return QString::fromStdString(out.str());
}

bool SequenceChart::saveMermaid(const QUrl &file)
{
    return writeFile(file, mermaidText().toUtf8());
}

} // namespace mailroom
