// SPDX-License-Identifier: MIT
#include "editordocument.h"

#include "elixirhighlighter.h"
#include "localpath.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTextDocument>

namespace mailroom {

namespace {

/// What the file beside the kept buffer holds: the URL of the file the buffer shows.
QString fileNoteOf(const QString &keptPath)
{
    return keptPath + QStringLiteral(".file");
}

bool writeText(const QString &path, const QString &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    out.write(text.toUtf8());
    return out.commit();
}

} // namespace

EditorDocument::EditorDocument(QObject *parent)
    : QObject(parent)
    , m_keptPath(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/editor.exs"))
{
}

QTextDocument *EditorDocument::document() const
{
    return m_textDocument ? m_textDocument->textDocument() : nullptr;
}

void EditorDocument::setTextDocument(QQuickTextDocument *document)
{
    if (m_textDocument == document)
        return;
    delete m_highlighter.data();
    if (QTextDocument *old = this->document())
        disconnect(old, nullptr, this, nullptr);
    m_textDocument = document;
    if (QTextDocument *doc = this->document()) {
        connect(doc, &QTextDocument::modificationChanged, this, &EditorDocument::modifiedChanged);
        m_highlighter = new ElixirHighlighter(doc);
        m_highlighter->setDark(m_dark);
        m_highlighter->setError(m_errorLine, m_errorColumn);
    }
    emit textDocumentChanged();
    emit modifiedChanged();
}

bool EditorDocument::modified() const
{
    const QTextDocument *doc = document();
    return doc != nullptr && doc->isModified();
}

void EditorDocument::setDark(bool dark)
{
    if (m_dark == dark)
        return;
    m_dark = dark;
    if (m_highlighter)
        m_highlighter->setDark(dark);
    emit darkChanged();
}

QString EditorDocument::fileName() const
{
    return m_fileUrl.isEmpty() ? QStringLiteral("editor.exs") : QFileInfo(localPath(m_fileUrl)).fileName();
}

void EditorDocument::setFileUrl(const QUrl &file)
{
    if (m_fileUrl == file)
        return;
    m_fileUrl = file;
    emit fileUrlChanged();
}

void EditorDocument::setKeptPath(const QString &path)
{
    if (m_keptPath == path)
        return;
    m_keptPath = path;
    emit keptPathChanged();
}

bool EditorDocument::open(const QUrl &file)
{
    QFile in(localPath(file));
    if (!in.open(QIODevice::ReadOnly)) {
        emit fileError(tr("Cannot open %1: %2").arg(localPath(file), in.errorString()));
        return false;
    }
    const QString text = QString::fromUtf8(in.readAll());
    clearError();
    if (QTextDocument *doc = document()) {
        doc->setPlainText(text);
        doc->setModified(false);
    }
    setFileUrl(file);
    return true;
}

bool EditorDocument::save(const QUrl &file)
{
    const QUrl target = file.isEmpty() ? m_fileUrl : file;
    QTextDocument *doc = document();
    if (target.isEmpty() || doc == nullptr)
        return false;
    if (!writeText(localPath(target), doc->toPlainText())) {
        emit fileError(tr("Cannot save %1").arg(localPath(target)));
        return false;
    }
    doc->setModified(false);
    setFileUrl(target);
    return true;
}

void EditorDocument::setError(int line, int column, const QString &text)
{
    if (const QTextDocument *doc = document(); doc != nullptr && line > doc->blockCount()) {
        // Past the end (a missing `end`): the last line, as a whole.
        line = doc->blockCount();
        column = 0;
    }
    line = std::max(line, 0);
    column = line > 0 ? std::max(column, 0) : 0;
    if (line == m_errorLine && column == m_errorColumn && text == m_errorText)
        return;
    m_errorLine = line;
    m_errorColumn = column;
    m_errorText = text;
    if (m_highlighter)
        m_highlighter->setError(line, column);
    emit errorChanged();
}

int EditorDocument::lineAt(int position) const
{
    const QTextDocument *doc = document();
    return doc != nullptr ? doc->findBlock(position).blockNumber() + 1 : 1;
}

int EditorDocument::columnAt(int position) const
{
    const QTextDocument *doc = document();
    return doc != nullptr ? position - doc->findBlock(position).position() + 1 : 1;
}

bool EditorDocument::keep() const
{
    const QTextDocument *doc = document();
    if (doc == nullptr || m_keptPath.isEmpty())
        return false;
    return writeText(m_keptPath, doc->toPlainText()) && writeText(fileNoteOf(m_keptPath), m_fileUrl.toString());
}

bool EditorDocument::restore()
{
    QFile in(m_keptPath);
    QTextDocument *doc = document();
    if (doc == nullptr || !in.open(QIODevice::ReadOnly))
        return false;
    doc->setPlainText(QString::fromUtf8(in.readAll()));
    doc->setModified(false);
    QFile note(fileNoteOf(m_keptPath));
    setFileUrl(note.open(QIODevice::ReadOnly) ? QUrl(QString::fromUtf8(note.readAll())) : QUrl());
    return true;
}

} // namespace mailroom
