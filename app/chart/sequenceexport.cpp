// SPDX-License-Identifier: MIT
#include "sequenceexport.h"

#include "export_mermaid.h"
#include "localpath.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <algorithm>
#include <sstream>

namespace mailroom {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SequenceChart", text);
}

} // namespace

QSizeF SequenceExporter::size() const
{
    const SequenceGeometry &g = m_scene.geometry;
    return { g.width(int(m_scene.layout.lifelines().size())), g.height(int(m_scene.layout.rows().size())) };
}

bool SequenceExporter::write(const QUrl &file, const QByteArray &bytes)
{
    const QString path = localPath(file);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        m_error = tr("Could not write %1: %2").arg(path, out.errorString());
        return false;
    }
    m_error.clear();
    return true;
}

QByteArray SequenceExporter::svg()
{
    const QSizeF extent = size();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(extent.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), extent));
    generator.setTitle(tr("Mailroom sequence chart"));
    generator.setDescription(
        tr("Events %1 to %2").arg(m_scene.layout.firstSeq()).arg(m_scene.layout.lastSeq()));
    {
        QPainter painter;
        if (!painter.begin(&generator)) {
            m_error = tr("Could not draw the SVG");
            return {};
        }
        m_painter.paint(painter, m_scene, QRectF(QPointF(0, 0), extent), 0);
    }
    return bytes;
}

QByteArray SequenceExporter::png()
{
    const QSizeF extent = size();
    const double scale = std::min(1.0, kMaxImageSide / std::max(extent.width(), extent.height()));
    QImage image((extent * scale).toSize().expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        m_error = tr("The chart is too big for an image (%1 × %2)").arg(extent.width()).arg(extent.height());
        return {};
    }
    image.fill(m_painter.palette().background);
    {
        QPainter painter(&image);
        painter.scale(scale, scale);
        m_painter.paint(painter, m_scene, QRectF(QPointF(0, 0), extent), 0);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    if (!buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG")) {
        m_error = tr("Could not encode the PNG");
        return {};
    }
    return bytes;
}

QString SequenceExporter::mermaid(uint32_t pid) const
{
    const SequenceLayout &layout = m_scene.layout;
    if (m_scene.history == nullptr || layout.lastSeq() == 0)
        return QStringLiteral("sequenceDiagram\n");
    const History &history = *m_scene.history;
    MermaidOptions options;
    options.firstSeq = layout.firstSeq();
    options.lastSeq = layout.lastSeq();
    if (pid != 0)
        options.pids.push_back(Pid{ pid });
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

} // namespace mailroom
