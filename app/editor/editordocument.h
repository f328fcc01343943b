// SPDX-License-Identifier: MIT
#pragma once

// What backs the editor pane's TextArea: Elixir highlighting on its document, the .exs file
// it shows (open, save), the error underlined at its line and column, and the buffer kept
// between runs of the app (a file in the app's data directory). GUI thread only.

#include <QObject>
#include <QPointer>
#include <QQuickTextDocument>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace mailroom {

class ElixirHighlighter;

class EditorDocument : public QObject {
    Q_OBJECT
    QML_ELEMENT
    /// The TextArea's textDocument: highlighted from the moment it is set.
    Q_PROPERTY(QQuickTextDocument *textDocument READ textDocument WRITE setTextDocument NOTIFY textDocumentChanged)
    /// Colours of the dark theme (else the light one's).
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY darkChanged)
    /// The file shown, empty for a buffer never saved.
    Q_PROPERTY(QUrl fileUrl READ fileUrl NOTIFY fileUrlChanged)
    /// The name code runs under (errors and a module's source name it): the file's, or "editor.exs".
    Q_PROPERTY(QString fileName READ fileName NOTIFY fileUrlChanged)
    Q_PROPERTY(bool hasFile READ hasFile NOTIFY fileUrlChanged)
    /// Edited since it was opened, saved or restored.
    Q_PROPERTY(bool modified READ modified NOTIFY modifiedChanged)
    /// The underlined error, 1-based; line 0: none.
    Q_PROPERTY(int errorLine READ errorLine NOTIFY errorChanged)
    Q_PROPERTY(int errorColumn READ errorColumn NOTIFY errorChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged)
    /// Where the buffer is kept between runs; tests point it elsewhere.
    Q_PROPERTY(QString keptPath READ keptPath WRITE setKeptPath NOTIFY keptPathChanged)

public:
    explicit EditorDocument(QObject *parent = nullptr);

    [[nodiscard]] QQuickTextDocument *textDocument() const { return m_textDocument; }
    void setTextDocument(QQuickTextDocument *document);
    [[nodiscard]] bool dark() const { return m_dark; }
    void setDark(bool dark);
    [[nodiscard]] QUrl fileUrl() const { return m_fileUrl; }
    [[nodiscard]] QString fileName() const;
    [[nodiscard]] bool hasFile() const { return !m_fileUrl.isEmpty(); }
    [[nodiscard]] bool modified() const;
    [[nodiscard]] int errorLine() const { return m_errorLine; }
    [[nodiscard]] int errorColumn() const { return m_errorColumn; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString keptPath() const { return m_keptPath; }
    void setKeptPath(const QString &path);

    /// Loads `file` into the document; false (with fileError) when it cannot be read.
    Q_INVOKABLE bool open(const QUrl &file);
    /// Writes the document to `file` (the shown one when empty) and shows that file.
    Q_INVOKABLE bool save(const QUrl &file = {});
    /// Underlines the error of a run at `line`:`column` (1-based; column 0: the whole line,
    /// line 0: nothing), clamped to the document, with `text` to tell.
    Q_INVOKABLE void setError(int line, int column, const QString &text);
    Q_INVOKABLE void clearError() { setError(0, 0, {}); }
    /// The 1-based line and column of character `position` of the document.
    Q_INVOKABLE int lineAt(int position) const;
    Q_INVOKABLE int columnAt(int position) const;
    /// Writes the buffer (and the file it shows) to keptPath.
    Q_INVOKABLE bool keep() const;
    /// Loads what keep() wrote last; false when nothing was kept.
    Q_INVOKABLE bool restore();

signals:
    void textDocumentChanged();
    void darkChanged();
    void fileUrlChanged();
    void modifiedChanged();
    void errorChanged();
    void keptPathChanged();
    /// A file could not be read or written: what to tell the user.
    void fileError(const QString &message);

private:
    [[nodiscard]] QTextDocument *document() const;
    void setFileUrl(const QUrl &file);

    QPointer<QQuickTextDocument> m_textDocument;
    QPointer<ElixirHighlighter> m_highlighter; // owned by the document it highlights
    bool m_dark = true;
    QUrl m_fileUrl;
    int m_errorLine = 0;
    int m_errorColumn = 0;
    QString m_errorText;
    QString m_keptPath;
};

} // namespace mailroom
