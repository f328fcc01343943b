// SPDX-License-Identifier: MIT
#pragma once

// The sequence chart's exports: its whole range (every row, not only those in view) as SVG
// or PNG, drawn by the same SequencePainter as the screen, or as Mermaid's sequenceDiagram,
// written by core's writeMermaidSequence over the same seqs. GUI thread.

#include "sequencepainter.h"

#include <QByteArray>
#include <QSizeF>
#include <QString>
#include <QUrl>
#include <utility>

namespace mailroom {

class SequenceExporter {
public:
    /// A PNG taller or wider than this is drawn smaller.
    static constexpr double kMaxImageSide = 16000;

    SequenceExporter(SequenceScene scene, const SequencePalette &palette)
        : m_scene(std::move(scene))
        , m_painter(palette)
    {
    }

    /// The range drawn as SVG, or as PNG; empty (and error()) when it cannot be drawn.
    [[nodiscard]] QByteArray svg();
    [[nodiscard]] QByteArray png();
    /// The range as Mermaid text; `pid` (0: all) keeps only that process's messages.
    [[nodiscard]] QString mermaid(uint32_t pid) const;

    /// Writes `bytes` to `file` whole or not at all; false (and error()) when it cannot.
    bool write(const QUrl &file, const QByteArray &bytes);
    [[nodiscard]] QString error() const { return m_error; }

private:
    [[nodiscard]] QSizeF size() const;

    SequenceScene m_scene;
    SequencePainter m_painter;
    QString m_error;
};

} // namespace mailroom
