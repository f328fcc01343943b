// SPDX-License-Identifier: MIT
// When the console waits for more lines: the cases and answers are real Elixir 1.14's
// (Code.string_to_quoted!/1 raising TokenMissingError, what iex continues on).
#include "script/completeness.h"

#include <QtTest>

using mailroom::script::inputIsIncomplete;

class TestScriptCompleteness : public QObject {
    Q_OBJECT

private slots:
    void inputIsIncompleteAsInIex_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<bool>("incomplete");
        QTest::addRow("an open defmodule") << "defmodule A do" << true;
        QTest::addRow("a whole module") << "defmodule A do\n  use GenServer\n  def init(s), do: {:ok, s}\nend"
                                        << false;
        QTest::addRow("an open list") << "[1," << true;
        QTest::addRow("a closed list") << "[1, 2]" << false;
        QTest::addRow("an open map") << "%{a: 1" << true;
        QTest::addRow("an open string") << "\"abc" << true;
        QTest::addRow("an open heredoc") << "\"\"\"\nheredoc" << true;
        QTest::addRow("a trailing operator") << "1 +" << true;
        QTest::addRow("an open fn") << "fn x ->" << true;
        QTest::addRow("an open case") << "case x do\n  1 -> :a" << true;
        QTest::addRow("an open call") << "GenServer.call(Counter, :get_count" << true;
        QTest::addRow("an open head in a module") << "defmodule A do\n  def foo(a," << true;
        QTest::addRow("an if waiting for its else branch") << "if true do :a else" << true;
        QTest::addRow("a stray closer is an error, not more input") << "1 + )" << false;
        QTest::addRow("a stray end is an error, not more input") << "end" << false;
        QTest::addRow("nothing") << "" << false;
        QTest::addRow("two lines") << "x = 1\ny = 2" << false;
        QTest::addRow("a comment") << "# just a comment" << false;
        QTest::addRow("a tuple over two lines") << "{:ok,\n 1}" << false;
    }
    void inputIsIncompleteAsInIex()
    {
        QFETCH(QString, source);
        QFETCH(bool, incomplete);
        QCOMPARE(inputIsIncomplete(source.toStdString()), incomplete);
    }
};

QTEST_APPLESS_MAIN(TestScriptCompleteness)
#include "tst_script_completeness.moc"
