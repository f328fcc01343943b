#include "term.h"

#include <QtTest>

Q_DECLARE_METATYPE(mailroom::Term)

using namespace mailroom;
using namespace mailroom::literals;

class TestTerm : public QObject {
    Q_OBJECT

private slots:
    void copiesShareStorage()
    {
        Term a = Term::tuple({"ok"_a, "payload"_s});
        Term b = a; // NOLINT(performance-unnecessary-copy-initialization)
        QCOMPARE(b, a);
        QCOMPARE(b[1].asBinary(), std::string_view("payload"));
        QCOMPARE(&a[1].asBinary()[0], &b[1].asBinary()[0]);
    }

    void termOrder_data()
    {
        QTest::addColumn<Term>("a");
        QTest::addColumn<Term>("b");
        QTest::addColumn<bool>("exact");
        QTest::addColumn<int>("expected");
        const auto i = [](int64_t v) { return Term::integer(v); };
        QTest::addRow("number < atom") << i(99999) << "a"_a << false << -1;
        QTest::addRow("1 == 1.0 by value") << i(1) << Term::floating(1.0) << false << 0;
        QTest::addRow("1 < 1.0 exactly") << i(1) << Term::floating(1.0) << true << -1;
        QTest::addRow("atom < reference") << "zzz"_a << Term(Ref{1}) << false << -1;
        QTest::addRow("pid < tuple") << Term(Pid{5}) << Term::tuple({}) << false << -1;
        QTest::addRow("tuples by size first") << Term::tuple({i(9)}) << Term::tuple({i(1), i(1)}) << false << -1;
        QTest::addRow("tuple < map") << Term::tuple({i(1), i(1), i(1)}) << Term::map({}) << false << -1;
        QTest::addRow("map < []") << Term::map({{"a"_a, i(1)}}) << Term::nil() << false << -1;
        QTest::addRow("[] < [1]") << Term::nil() << Term::list({i(1)}) << false << -1;
        QTest::addRow("list < binary") << Term::list({i(1)}) << ""_s << false << -1;
        QTest::addRow("atoms alphabetically") << "abc"_a << "abd"_a << false << -1;
        QTest::addRow("lists elementwise") << Term::list({i(1), i(3)}) << Term::list({i(1), i(2), i(9)}) << false << 1;
        QTest::addRow("binaries bytewise") << "ab"_s << "b"_s << false << -1;
    }
    void termOrder()
    {
        QFETCH(Term, a);
        QFETCH(Term, b);
        QFETCH(bool, exact);
        QFETCH(int, expected);
        QCOMPARE(exact ? Term::compareExact(a, b) : Term::compare(a, b), expected);
        QCOMPARE(exact ? Term::compareExact(b, a) : Term::compare(b, a), -expected);
    }

    void mapsKeepOneValuePerKey()
    {
        const Term m = Term::map({{"a"_a, Term::integer(1)}, {"b"_a, Term::integer(2)}, {"a"_a, Term::integer(3)}});
        QCOMPARE(m.mapSize(), size_t(2));
        QCOMPARE(*m.mapFind("a"_a), Term::integer(3));
        const Term m2 = m.mapPut("c"_a, Term::integer(4));
        QCOMPARE(m.mapSize(), size_t(2));
        QCOMPARE(m2.mapSize(), size_t(3));
        QVERIFY(m2.mapFind(Term::integer(1)) == nullptr);
    }

    void longListsFreeWithoutRecursion()
    {
        Term list;
        for (int i = 0; i < 2'000'000; ++i)
            list = Term::cons(Term::integer(i), std::move(list));
        QCOMPARE(list.listLength(), size_t(2'000'000));
        list = Term(); // would overflow the stack if freed recursively
        QVERIFY(list.isNil());
    }

    void improperLists()
    {
        const Term l = Term::list({Term::integer(1)}, Term::integer(2));
        QVERIFY(!l.isProperList());
        Term tail;
        const auto items = l.listElements(&tail);
        QCOMPARE(items.size(), size_t(1));
        QCOMPARE(tail, Term::integer(2));
    }

    void charlistDecodesUtf8()
    {
        const Term l = Term::charlist("hé");
        QCOMPARE(l, Term::list({Term::integer('h'), Term::integer(0xE9)}));
    }
};

QTEST_APPLESS_MAIN(TestTerm)
#include "tst_term.moc"
