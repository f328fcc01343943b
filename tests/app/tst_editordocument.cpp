// SPDX-License-Identifier: MIT
// The editor's document: the error of a run underlined at its line and column, the file
// opened and saved, and the buffer kept between runs of the app.
#include "editordocument.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickTextDocument>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QtTest>
#include <memory>

using namespace mailroom;

namespace {

/// A TextEdit as the editor pane's, with its text; the engine owns it.
QQuickItem *textEdit(QQmlEngine &engine, const QString &text)
{
    QQmlComponent component(&engine);
    component.setData("import QtQuick\nTextEdit {}", QUrl());
    auto *item = qobject_cast<QQuickItem *>(component.create());
    if (item == nullptr)
        qFatal("%s", qPrintable(component.errorString()));
    QQmlEngine::setObjectOwnership(item, QQmlEngine::JavaScriptOwnership);
    item->setParent(&engine);
    item->setProperty("text", text);
    return item;
}

QQuickTextDocument *documentOf(QQuickItem *edit)
{
    return edit->property("textDocument").value<QQuickTextDocument *>();
}

/// The columns (0-based) of block `line` (0-based) drawn underlined (what Qt Quick draws).
QList<int> underlined(QTextDocument *doc, int line)
{
    QList<int> columns;
    const QTextBlock block = doc->findBlockByNumber(line);
    for (const QTextLayout::FormatRange &range : block.layout()->formats())
        if (range.format.fontUnderline())
            for (int c = range.start; c < range.start + range.length; ++c)
                columns.append(c);
    return columns;
}

} // namespace

class TestEditorDocument : public QObject {
    Q_OBJECT

private slots:
    void anErrorIsUnderlinedAtItsLineAndColumn()
    {
        QQmlEngine engine;
        QQuickItem *edit = textEdit(engine, QStringLiteral("x = 1\ny = (x  )) \nz = 3"));
        EditorDocument document;
        document.setTextDocument(documentOf(edit));
        QTextDocument *doc = documentOf(edit)->textDocument();
        QVERIFY(underlined(doc, 1).isEmpty());

        QSignalSpy changed(&document, &EditorDocument::errorChanged);
        document.setError(2, 10, QStringLiteral("** (SyntaxError) editor.exs:2:10: unexpected token: )"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(document.errorLine(), 2);
        QCOMPARE(document.errorColumn(), 10);
        QCOMPARE(underlined(doc, 1), QList<int>{ 9 }); // the `)` at column 10
        QVERIFY(underlined(doc, 0).isEmpty());
        QVERIFY(underlined(doc, 2).isEmpty());

        // A word is underlined whole; column 0 underlines the line from its indentation.
        document.setError(3, 1, QStringLiteral("boom"));
        QVERIFY(underlined(doc, 1).isEmpty());
        QCOMPARE(underlined(doc, 2), QList<int>{ 0 });
        document.setError(1, 0, QStringLiteral("boom"));
        QCOMPARE(underlined(doc, 0), (QList<int>{ 0, 1, 2, 3, 4 }));
        // Past the end (a missing terminator): the last line.
        document.setError(7, 1, QStringLiteral("missing terminator"));
        QCOMPARE(document.errorLine(), 3);
        document.clearError();
        QCOMPARE(document.errorLine(), 0);
        QVERIFY(underlined(doc, 2).isEmpty());
        QCOMPARE(changed.count(), 5);
    }

    void linesAndColumnsOfAPosition()
    {
        QQmlEngine engine;
        QQuickItem *edit = textEdit(engine, QStringLiteral("ab\ncdef\ng"));
        EditorDocument document;
        document.setTextDocument(documentOf(edit));
        QCOMPARE(document.lineAt(0), 1);
        QCOMPARE(document.columnAt(0), 1);
        QCOMPARE(document.lineAt(5), 2);
        QCOMPARE(document.columnAt(5), 3);
        QCOMPARE(document.lineAt(8), 3);
    }

    void aFileIsOpenedAndSaved()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("greeter.exs"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("IO.puts(\"hi\")\n");
        }
        QQmlEngine engine;
        QQuickItem *edit = textEdit(engine, QString());
        EditorDocument document;
        document.setTextDocument(documentOf(edit));
        QCOMPARE(document.fileName(), QStringLiteral("editor.exs"));
        QVERIFY(document.open(QUrl::fromLocalFile(path)));
        QCOMPARE(edit->property("text").toString(), QStringLiteral("IO.puts(\"hi\")\n"));
        QCOMPARE(document.fileName(), QStringLiteral("greeter.exs"));
        edit->setProperty("text", QStringLiteral("IO.puts(\"bye\")\n"));
        QVERIFY(document.save());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("IO.puts(\"bye\")\n"));

        QSignalSpy failed(&document, &EditorDocument::fileError);
        QVERIFY(!document.open(QUrl::fromLocalFile(dir.filePath(QStringLiteral("missing.exs")))));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(document.fileName(), QStringLiteral("greeter.exs"));
    }

    // What one run of the app left in the editor, the next finds there, with its file.
    void theBufferIsKeptBetweenRuns()
    {
        QTemporaryDir dir;
        const QString kept = dir.filePath(QStringLiteral("data/editor.exs"));
        const QUrl file = QUrl::fromLocalFile(dir.filePath(QStringLiteral("tally.exs")));
        QQmlEngine engine;
        {
            QQuickItem *edit = textEdit(engine, QStringLiteral("defmodule Tally do\nend\n"));
            EditorDocument document;
            document.setKeptPath(kept);
            document.setTextDocument(documentOf(edit));
            QVERIFY(document.save(file));
            edit->setProperty("text", QStringLiteral("defmodule Tally do\n  use GenServer\nend\n"));
            QVERIFY(document.keep());
        }
        QQuickItem *edit = textEdit(engine, QString());
        EditorDocument document;
        document.setKeptPath(kept);
        document.setTextDocument(documentOf(edit));
        QVERIFY(document.restore());
        QCOMPARE(edit->property("text").toString(), QStringLiteral("defmodule Tally do\n  use GenServer\nend\n"));
        QCOMPARE(document.fileUrl(), file);
        QCOMPARE(document.fileName(), QStringLiteral("tally.exs"));

        EditorDocument fresh;
        fresh.setKeptPath(dir.filePath(QStringLiteral("nothing/editor.exs")));
        fresh.setTextDocument(documentOf(edit));
        QVERIFY(!fresh.restore());
    }
};

QTEST_MAIN(TestEditorDocument)
#include "tst_editordocument.moc"
