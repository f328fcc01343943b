// SPDX-License-Identifier: MIT
#include "term.h"
#include "utf8.h"

#include <QtTest>

Q_DECLARE_METATYPE(mailroom::Term)

using namespace mailroom;
using namespace mailroom::literals;

class TestTerm : public QObject {
    Q_OBJECT

private slots:
    void copiesShareStorage()
    {
        Term a = Term::tuple({ "ok"_a, "payload"_s });
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
        QTest::addRow("atom < reference") << "zzz"_a << Term(Ref{ 1 }) << false << -1;
        QTest::addRow("pid < tuple") << Term(Pid{ 5 }) << Term::tuple({}) << false << -1;
        QTest::addRow("tuples by size first") << Term::tuple({ i(9) }) << Term::tuple({ i(1), i(1) }) << false << -1;
        QTest::addRow("tuple < map") << Term::tuple({ i(1), i(1), i(1) }) << Term::map({}) << false << -1;
        QTest::addRow("map < []") << Term::map({ { "a"_a, i(1) } }) << Term::nil() << false << -1;
        QTest::addRow("[] < [1]") << Term::nil() << Term::list({ i(1) }) << false << -1;
        QTest::addRow("list < binary") << Term::list({ i(1) }) << ""_s << false << -1;
        QTest::addRow("atoms alphabetically") << "abc"_a
                                              << "abd"_a << false << -1;
        QTest::addRow("lists elementwise") << Term::list({ i(1), i(3) }) << Term::list({ i(1), i(2), i(9) }) << false << 1;
        QTest::addRow("binaries bytewise") << "ab"_s
                                           << "b"_s << false << -1;
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
        const Term m = Term::map({ { "a"_a, Term::integer(1) }, { "b"_a, Term::integer(2) }, { "a"_a, Term::integer(3) } });
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
        const Term l = Term::list({ Term::integer(1) }, Term::integer(2));
        QVERIFY(!l.isProperList());
        Term tail;
        const auto items = l.listElements(&tail);
        QCOMPARE(items.size(), size_t(1));
        QCOMPARE(tail, Term::integer(2));
    }

    void charlistDecodesUtf8()
    {
        const Term l = Term::charlist("hé");
        QCOMPARE(l, Term::list({ Term::integer('h'), Term::integer(0xE9) }));
    }

    /// core/utf8.h: the strict decoder (the printers') refuses what the BEAM's <<C/utf8>>
    /// refuses; the lenient one (charlists, the script language) reads every byte as something.
    void utf8Decoders_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("strictLength"); // 0: invalid
        QTest::addColumn<uint>("lenientCp");
        QTest::addColumn<int>("lenientLength");
        QTest::addRow("ascii") << QByteArray("A") << 1 << 0x41U << 1;
        QTest::addRow("two bytes") << QByteArray("\xc3\xa9") << 2 << 0xE9U << 2;
        QTest::addRow("three bytes") << QByteArray("\xe2\x82\xac") << 3 << 0x20ACU << 3;
        QTest::addRow("four bytes") << QByteArray("\xf0\x9f\x98\x80") << 4 << 0x1F600U << 4;
        QTest::addRow("stray continuation") << QByteArray("\xa9") << 0 << 0xA9U << 1;
        QTest::addRow("overlong") << QByteArray("\xc0\xaf") << 0 << 0x2FU << 2;
        QTest::addRow("surrogate") << QByteArray("\xed\xa0\x80") << 0 << 0xD800U << 3;
        QTest::addRow("cut short") << QByteArray("\xe2\x82") << 0 << 0x82U << 3;
        QTest::addRow("bad continuation") << QByteArray("\xc3"
                                                        "A")
                                          << 0 << 0xC1U << 2;
    }
    void utf8Decoders()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, strictLength);
        QFETCH(uint, lenientCp);
        QFETCH(int, lenientLength);
        const std::string_view text(bytes.constData(), size_t(bytes.size()));
        uint32_t cp = 0;
        QCOMPARE(int(utf8::decode(text, 0, cp)), strictLength);
        const utf8::Lenient lenient = utf8::decodeLenient(text, 0);
        QCOMPARE(uint(lenient.cp), lenientCp);
        QCOMPARE(int(lenient.length), lenientLength);
        std::string encoded;
        utf8::append(encoded, cp);
        if (strictLength > 0)
            QCOMPARE(encoded, std::string(text));
    }

    void charlistKeepsBytesThatAreNotUtf8()
    {
        QCOMPARE(QString::fromStdString(Term::charlist("a\xa9\xc3\xa9").inspect()),
            QStringLiteral("[97, 169, 233]"));
        QCOMPARE(utf8::length("h\xc3\xa9llo"), size_t(5));
    }
};

QTEST_APPLESS_MAIN(TestTerm)
#include "tst_term.moc"
