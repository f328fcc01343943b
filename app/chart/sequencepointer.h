// SPDX-License-Identifier: MIT
#pragma once

// What the pointer does on the sequence chart: which arrow is under it (item coordinates,
// scrolled), what a tooltip says about that arrow, and a click (pressed and released on the
// same arrow). The chart item forwards its mouse and hover events here. GUI thread.

#include "sequencepainter.h"

#include <QPointF>
#include <QString>

namespace mailroom {

class SequencePointer {
public:
    /// The arrow (its index in the layout) at `item` in item coordinates, the chart being
    /// scrolled to `scroll`; -1: none (the names along the top, or no arrow there).
    [[nodiscard]] static int arrowAt(const SequenceScene &scene, QPointF item, QPointF scroll);
    /// Arrow `index` in full, for a tooltip: who to whom, its label, the message and, for a
    /// call or its reply, the round trip. Empty without the record.
    [[nodiscard]] static QString describe(const SequenceScene &scene, int index);

    /// A press on arrow `index` (-1: none); true when the chart takes the press.
    bool press(int index)
    {
        m_pressed = index;
        return index >= 0;
    }
    /// The release on arrow `index`: the arrow clicked (pressed and released on), or -1.
    int release(int index)
    {
        const int clicked = index >= 0 && index == m_pressed ? index : -1;
        m_pressed = -1;
        return clicked;
    }

    /// The pointer at `position` over an arrow described by `text` (empty: none); true when
    /// what the tooltip shows changed.
    bool hover(const QString &text, QPointF position);
    /// The pointer left; true when a tooltip was showing.
    bool leave();
    [[nodiscard]] QString hoverText() const { return m_hoverText; }
    [[nodiscard]] QPointF hoverPosition() const { return m_hoverPosition; }

private:
    int m_pressed = -1;
    QString m_hoverText;
    QPointF m_hoverPosition;
};

} // namespace mailroom
