// SPDX-License-Identifier: MIT
#include "sequencepointer.h"

#include <QCoreApplication>
#include <algorithm>

namespace mailroom {

int SequencePointer::arrowAt(const SequenceScene &scene, QPointF item, QPointF scroll)
{
    if (item.y() < scene.geometry.header)
        return -1; // the names
    return scene.layout.arrowAt(item.x() + scroll.x(), item.y() + scroll.y(), scene.geometry);
}

QString SequencePointer::describe(const SequenceScene &scene, int index)
{
    if (index < 0 || scene.history == nullptr)
        return {};
    const SequenceLayout &layout = scene.layout;
    const SequenceArrow &a = layout.arrows()[size_t(index)];
    const Event *e = scene.history->event(a.seq);
    if (e == nullptr)
        return {};
    const QString from = QString::fromStdString(scene.nameOf(a.from));
    const QString to = QString::fromStdString(scene.nameOf(a.to));
    QString text
        = QStringLiteral("%1 → %2\n%3").arg(from, to, QString::fromStdString(arrowLabel(a, *e, 120)));
    const QString full = QString::fromStdString(arrowText(a, *e, 400));
    if (!text.endsWith(full))
        text += QStringLiteral("\n") + full;
    if (a.paired >= 0) {
        const SequenceArrow &other = layout.arrows()[size_t(a.paired)];
        const double us = double(layout.rows()[size_t(std::max(other.row, a.row))].timeNs
                              - layout.rows()[size_t(std::min(other.row, a.row))].timeNs)
            / 1e3;
        text += QStringLiteral("\n")
            + QCoreApplication::translate("SequenceChart", "call ↔ reply: %1 µs").arg(us, 0, 'f', 1);
    }
    return text;
}

bool SequencePointer::hover(const QString &text, QPointF position)
{
    if (text == m_hoverText && (text.isEmpty() || position == m_hoverPosition))
        return false;
    m_hoverText = text;
    m_hoverPosition = position;
    return true;
}

bool SequencePointer::leave()
{
    if (m_hoverText.isEmpty())
        return false;
    m_hoverText.clear();
    return true;
}

} // namespace mailroom
