// SPDX-License-Identifier: MIT
#pragma once

// The sequence chart: one lifeline per process, one arrow per message, time flowing down
// one row per drawn event (SequenceLayout). It shows the events up to the bridge's playhead,
// filtered as the trace pane is (its TraceModel's process and categories), recomputed at most
// once per frame and only when the playhead or a filter moved. This item holds that layout,
// the scroll position and the colours QML sets; SequencePainter draws it (only the rows in
// view), SequencePointer reads the mouse, SequenceExporter writes SVG, PNG and Mermaid.
// GUI thread.

#include "sequencelayout.h"
#include "sequencepainter.h"
#include "sequencepointer.h"

#include <QColor>
#include <QPointF>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <optional>

namespace mailroom {

class EventBridge;
class SequenceExporter;
class TraceModel;

class SequenceChart : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(mailroom::EventBridge *bridge READ bridge WRITE setBridge NOTIFY bridgeChanged)
    /// The trace pane's model, whose pidFilter and categories the chart follows (none: all).
    Q_PROPERTY(mailroom::TraceModel *trace READ trace WRITE setTrace NOTIFY traceChanged)
    /// Keep the newest row in view (scrolled to the bottom); scrolling up turns it off,
    /// scrolling to the bottom turns it on.
    Q_PROPERTY(bool follow READ follow WRITE setFollow NOTIFY followChanged)
    /// The events looked at, ending at the playhead.
    Q_PROPERTY(int maxEvents READ maxEvents WRITE setMaxEvents NOTIFY maxEventsChanged)
    /// The scroll position: the chart's point shown at the item's top-left corner.
    Q_PROPERTY(double contentX READ contentX WRITE setContentX NOTIFY viewChanged)
    Q_PROPERTY(double contentY READ contentY WRITE setContentY NOTIFY viewChanged)
    Q_PROPERTY(double contentWidth READ contentWidth NOTIFY layoutChanged)
    Q_PROPERTY(double contentHeight READ contentHeight NOTIFY layoutChanged)
    Q_PROPERTY(int rowCount READ rowCount NOTIFY layoutChanged)
    Q_PROPERTY(int arrowCount READ arrowCount NOTIFY layoutChanged)
    Q_PROPERTY(int lifelineCount READ lifelineCount NOTIFY layoutChanged)
    /// The range shown (and exported): seqs firstSeq..lastSeq; lastSeq 0 when empty.
    Q_PROPERTY(double firstSeq READ firstSeqValue NOTIFY layoutChanged)
    Q_PROPERTY(double lastSeq READ lastSeqValue NOTIFY layoutChanged)
    /// The message under the mouse, inspected (empty: none), for a tooltip.
    Q_PROPERTY(QString hoverText READ hoverText NOTIFY hoverChanged)
    Q_PROPERTY(QPointF hoverPosition READ hoverPosition NOTIFY hoverChanged)

    // Colours, from Theme (kinds, text, lines, surfaces).
    Q_PROPERTY(QColor callColor MEMBER m_callColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor castColor MEMBER m_castColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor infoColor MEMBER m_infoColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor replyColor MEMBER m_replyColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor systemColor MEMBER m_systemColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor timerColor MEMBER m_timerColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor textColor MEMBER m_textColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor mutedColor MEMBER m_mutedColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor lineColor MEMBER m_lineColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor backgroundColor MEMBER m_backgroundColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor headerColor MEMBER m_headerColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor selectionColor MEMBER m_selectionColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor dangerColor MEMBER m_dangerColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor blockedColor MEMBER m_blockedColor NOTIFY colorsChanged)
    Q_PROPERTY(QString monoFamily MEMBER m_monoFamily NOTIFY colorsChanged)

public:
    explicit SequenceChart(QQuickItem *parent = nullptr);
    ~SequenceChart() override;

    [[nodiscard]] EventBridge *bridge() const { return m_bridge; }
    void setBridge(EventBridge *bridge);
    [[nodiscard]] TraceModel *trace() const { return m_trace; }
    void setTrace(TraceModel *trace);
    [[nodiscard]] bool follow() const { return m_follow; }
    void setFollow(bool follow);
    [[nodiscard]] int maxEvents() const { return m_maxEvents; }
    void setMaxEvents(int events);
    [[nodiscard]] double contentX() const { return m_contentX; }
    void setContentX(double x);
    [[nodiscard]] double contentY() const { return m_contentY; }
    /// Scrolls (as the user does): following turns on at the bottom and off elsewhere.
    void setContentY(double y);
    [[nodiscard]] double contentWidth() const;
    [[nodiscard]] double contentHeight() const;
    [[nodiscard]] int rowCount() const { return int(m_layout.rows().size()); }
    [[nodiscard]] int arrowCount() const { return int(m_layout.arrows().size()); }
    [[nodiscard]] int lifelineCount() const { return int(m_layout.lifelines().size()); }
    [[nodiscard]] double firstSeqValue() const { return double(m_layout.firstSeq()); }
    [[nodiscard]] double lastSeqValue() const { return double(m_layout.lastSeq()); }
    [[nodiscard]] QString hoverText() const { return m_pointer.hoverText(); }
    [[nodiscard]] QPointF hoverPosition() const { return m_pointer.hoverPosition(); }

    /// The layout (brought up to date first), for tests.
    [[nodiscard]] const SequenceLayout &layout();
    [[nodiscard]] const SequenceGeometry &geometry() const { return m_geometry; }
    /// The filter the chart applies now (from the trace model).
    [[nodiscard]] SequenceFilter filter() const;

    /// Lays the chart out now if the playhead or a filter moved (else once per frame).
    Q_INVOKABLE void refresh();
    /// The message (a Send's seq) of the arrow at `x`, `y` in item coordinates; 0: none.
    Q_INVOKABLE double messageAt(double x, double y);
    /// The label and the message in full of the arrow at `x`, `y`; empty: none.
    Q_INVOKABLE QString textAt(double x, double y);
    /// Where to click the arrow of message `messageId`, in item coordinates (after scrolling
    /// it into view); (-1, -1) when it is not in the chart.
    Q_INVOKABLE QPointF arrowPoint(double messageId);
    /// Selects the message of the arrow at `x`, `y` everywhere (the bridge's selection).
    /// False when there is no arrow there.
    Q_INVOKABLE bool selectAt(double x, double y);

    /// Exports the whole range (every row): SVG, PNG, or Mermaid's sequenceDiagram.
    /// False (and errorString) when the file cannot be written.
    Q_INVOKABLE bool saveSvg(const QUrl &file);
    Q_INVOKABLE bool savePng(const QUrl &file);
    Q_INVOKABLE bool saveMermaid(const QUrl &file);
    /// The range as Mermaid text: core's writeMermaidSequence over the same seqs and process.
    Q_INVOKABLE QString mermaidText();
    Q_INVOKABLE QString errorString() const { return m_error; }

    void paint(QPainter *painter) override;

signals:
    void bridgeChanged();
    void traceChanged();
    void followChanged();
    void maxEventsChanged();
    void viewChanged();
    void layoutChanged();
    void hoverChanged();
    void colorsChanged();
    /// The user clicked the arrow of `messageId` sent by `pid`.
    void messageClicked(double messageId, int pid);

protected:
    void updatePolish() override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void hoverLeaveEvent(QHoverEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    struct Key {
        uint64_t limit = 0;
        uint64_t first = 0;
        uint64_t epoch = 0;
        SequenceFilter filter;
        size_t maxEvents = 0;
        bool operator==(const Key &) const = default;
    };
    void markDirty();
    void ensureLayout();
    void scrollTo(double x, double y);
    void clampScroll();
    /// Sets the column width for the width and the lifelines; true when it changed.
    bool fitColumns();
    [[nodiscard]] double maxContentY() const;
    [[nodiscard]] std::string nameOf(Pid pid) const;
    /// What the painter, the pointer and the exports read: the layout as it stands.
    [[nodiscard]] SequenceScene scene() const;
    [[nodiscard]] SequencePalette chartPalette() const;
    [[nodiscard]] int arrowAtItem(double x, double y);
    /// Writes the export `bytes` (empty: it failed, with `exporter`'s error) to `file`.
    bool save(SequenceExporter &exporter, const QUrl &file, const QByteArray &bytes);

    QPointer<EventBridge> m_bridge;
    QPointer<TraceModel> m_trace;
    QMetaObject::Connection m_bridgeUpdated;
    QMetaObject::Connection m_bridgePlayhead;
    QMetaObject::Connection m_bridgeSelection;
    QMetaObject::Connection m_traceFilter;
    SequenceLayout m_layout;
    SequenceGeometry m_geometry;
    std::optional<Key> m_key; // what m_layout was built from
    bool m_dirty = true;
    bool m_follow = true;
    int m_maxEvents = int(SequenceLayout::kDefaultMaxEvents);
    double m_contentX = 0;
    double m_contentY = 0;
    SequencePointer m_pointer;
    QString m_error;

    QColor m_callColor{ 0x5b, 0x9c, 0xff };
    QColor m_castColor{ 0x3c, 0xcf, 0x9a };
    QColor m_infoColor{ 0xf2, 0xb9, 0x50 };
    QColor m_replyColor{ 0xb8, 0x91, 0xff };
    QColor m_systemColor{ 0x8f, 0x9b, 0xb0 };
    QColor m_timerColor{ 0xf2, 0xb9, 0x50 };
    QColor m_textColor{ 0xe6, 0xe9, 0xef };
    QColor m_mutedColor{ 0x6b, 0x75, 0x87 };
    QColor m_lineColor{ 0x3b, 0x45, 0x58 };
    QColor m_backgroundColor{ 0x0d, 0x11, 0x17 };
    QColor m_headerColor{ 0x1e, 0x24, 0x30 };
    QColor m_selectionColor{ 0x2a, 0x3d, 0x63 };
    QColor m_dangerColor{ 0xff, 0x6b, 0x6b };
    QColor m_blockedColor{ 0xff, 0x9f, 0x43 };
    QString m_monoFamily = QStringLiteral("DejaVu Sans Mono");
};

} // namespace mailroom
