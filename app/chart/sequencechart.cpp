// SPDX-License-Identifier: MIT
#include "sequencechart.h"

#include "eventbridge.h"
#include "sequenceexport.h"
#include "tracemodel.h"

#include <QHoverEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>

namespace mailroom {

namespace {

/// Rows a wheel notch scrolls.
constexpr double kWheelRows = 3;

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
    const Key key{ m_bridge->limitSeq(), history.firstSeq(), m_bridge->playheadEpoch(), filter(),
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

SequenceScene SequenceChart::scene() const
{
    SequenceScene drawn(m_layout, m_geometry);
    if (m_bridge != nullptr) {
        drawn.history = &m_bridge->history();
        drawn.selectedMessage = uint64_t(std::max<qint64>(m_bridge->selectedMessage(), 0));
    }
    drawn.nameOf = [this](Pid pid) { return nameOf(pid); };
    return drawn;
}

SequencePalette SequenceChart::chartPalette() const
{
    return { m_callColor, m_castColor, m_infoColor, m_replyColor, m_systemColor, m_timerColor, m_textColor,
        m_mutedColor, m_lineColor, m_backgroundColor, m_headerColor, m_selectionColor, m_dangerColor,
        m_blockedColor, m_monoFamily };
}

void SequenceChart::paint(QPainter *painter)
{
    ensureLayout();
    painter->save();
    painter->translate(-m_contentX, -m_contentY);
    const QRectF area(m_contentX, m_contentY, width(), height());
    SequencePainter(chartPalette()).paint(*painter, scene(), area, m_contentY);
    painter->restore();
}

// Interaction =================================================================

int SequenceChart::arrowAtItem(double x, double y)
{
    ensureLayout();
    return SequencePointer::arrowAt(scene(), QPointF(x, y), QPointF(m_contentX, m_contentY));
}

double SequenceChart::messageAt(double x, double y)
{
    const int index = arrowAtItem(x, y);
    return index < 0 ? 0.0 : double(m_layout.arrows()[size_t(index)].messageId);
}

QString SequenceChart::textAt(double x, double y)
{
    return SequencePointer::describe(scene(), arrowAtItem(x, y));
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
    event->setAccepted(m_pointer.press(arrowAtItem(event->position().x(), event->position().y())));
}

void SequenceChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_pointer.release(arrowAtItem(event->position().x(), event->position().y())) >= 0)
        selectAt(event->position().x(), event->position().y());
    event->accept();
}

void SequenceChart::hoverMoveEvent(QHoverEvent *event)
{
    if (m_pointer.hover(textAt(event->position().x(), event->position().y()), event->position()))
        emit hoverChanged();
}

void SequenceChart::hoverLeaveEvent(QHoverEvent * /*event*/)
{
    if (m_pointer.leave())
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

bool SequenceChart::save(SequenceExporter &exporter, const QUrl &file, const QByteArray &bytes)
{
    const bool ok = !bytes.isEmpty() && exporter.write(file, bytes);
    m_error = exporter.error();
    return ok;
}

bool SequenceChart::saveSvg(const QUrl &file)
{
    ensureLayout();
    SequenceExporter exporter(scene(), chartPalette());
    return save(exporter, file, exporter.svg());
}

bool SequenceChart::savePng(const QUrl &file)
{
    ensureLayout();
    SequenceExporter exporter(scene(), chartPalette());
    return save(exporter, file, exporter.png());
}

QString SequenceChart::mermaidText()
{
    ensureLayout();
    return SequenceExporter(scene(), chartPalette()).mermaid(filter().pid);
}

bool SequenceChart::saveMermaid(const QUrl &file)
{
    ensureLayout();
    SequenceExporter exporter(scene(), chartPalette());
    return save(exporter, file, exporter.mermaid(filter().pid).toUtf8());
}

} // namespace mailroom
