// SPDX-License-Identifier: MIT
#pragma once

// How the sequence chart looks: one painting function for the screen, SVG and PNG. It draws
// a laid-out range (SequenceLayout) in the colours of a SequencePalette; what names the
// lifelines and labels the arrows comes from a SequenceScene, so the painter knows nothing
// of the bridge or of Qt Quick. GUI thread (or any thread that owns the paint device).

#include "sequencelayout.h"

#include <QColor>
#include <QRectF>
#include <QString>
#include <functional>
#include <string>
#include <utility>

class QPainter;

namespace mailroom {

/// The chart's colours (Theme's kinds, text, lines, surfaces) and its monospace font.
struct SequencePalette {
    QColor call;
    QColor cast;
    QColor info;
    QColor reply;
    QColor system;
    QColor timer;
    QColor text;
    QColor muted;
    QColor line;
    QColor background;
    QColor header;
    QColor selection;
    QColor danger;
    QColor blocked;
    QString monoFamily;
};

/// What is drawn: the layout, where it sits, and what names its processes and messages.
struct SequenceScene {
    SequenceScene(const SequenceLayout &laidOut, const SequenceGeometry &placed)
        : layout(laidOut)
        , geometry(placed)
    {
    }

    const SequenceLayout &layout;
    const SequenceGeometry &geometry;
    /// The record the layout was built from (none: arrows without labels).
    const History *history = nullptr;
    /// The name on a lifeline ("iex", Counter, <0.12.0>).
    std::function<std::string(Pid)> nameOf;
    /// The selected message (a Send's seq; 0: none), drawn highlighted.
    uint64_t selectedMessage = 0;

    /// The arrow's label, at most `maxChars` long; empty without the record.
    [[nodiscard]] QString labelOf(const SequenceArrow &arrow, size_t maxChars) const;
};

class SequencePainter {
public:
    explicit SequencePainter(SequencePalette colors)
        : m_palette(std::move(colors))
    {
    }

    /// Paints the chart's content rectangle `area` (chart coordinates) of `scene`; the names
    /// sit at `headerY` (the top of what is shown). Only the rows in `area` are drawn.
    void paint(QPainter &painter, const SequenceScene &scene, const QRectF &area, double headerY) const;

    [[nodiscard]] const SequencePalette &palette() const { return m_palette; }
    /// The colour of an arrow of `arrow`'s style.
    [[nodiscard]] QColor colorOf(const SequenceArrow &arrow) const;

private:
    SequencePalette m_palette;
};

/// How a pid reads where no name is known: <0.N.0>.
[[nodiscard]] QString pidString(Pid pid);

} // namespace mailroom
