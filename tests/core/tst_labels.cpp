// SPDX-License-Identifier: MIT
// How every view and export names a message (labels.h): the stage's tokens, the trace, the
// sequence chart and the exports all ask these functions, so one message reads the same
// everywhere.
#include "labels.h"

#include <QtTest>

#include <vector>

using namespace mailroom;
using namespace mailroom::literals;

namespace {

struct Case {
    const char *name;
    MessageKind kind;
    Term message;
    const char *payload; // what a token, a trace line and an export show of it
    const char *prefix; // the exports' word before it
};

const std::vector<Case> &cases()
{
    static const std::vector<Case> all = [] {
        const Term from = Term::tuple({ Term(Pid{ 90 }), Term(Ref{ 7 }) });
        return std::vector<Case>{
            { "call", MessageKind::Call, Term::tuple({ "$gen_call"_a, from, "get_count"_a }), ":get_count", "call " },
            { "cast", MessageKind::Cast, Term::tuple({ "$gen_cast"_a, "increment"_a }), ":increment", "cast " },
            { "reply", MessageKind::Reply, Term::tuple({ Term(Ref{ 7 }), 3_i }), "3", "" },
            { "sys request", MessageKind::System, Term::tuple({ "system"_a, from, "get_state"_a }), ":get_state",
                "sys " },
            { "sys reply", MessageKind::System, Term::tuple({ Term(Ref{ 7 }), 3_i }), "3", "" },
            // A started server's acknowledgement to its starter reads as what it acknowledges.
            { "init ack", MessageKind::System,
                Term::tuple({ "$ack"_a, Term(Ref{ 7 }), Term::tuple({ "ok"_a, Term(Pid{ 91 }) }) }), "{:ok, #PID<0.91.0>}",
                "init ack " },
            { "failed init ack", MessageKind::System,
                Term::tuple({ "$ack"_a, Term(Ref{ 7 }), Term::tuple({ "error"_a, "boom"_a }) }), "{:error, :boom}",
                "init ack " },
            { "plain", MessageKind::Info, Term::tuple({ "ping"_a, 1_i, 2_i }), "{:ping, 1, 2}", "" },
        };
    }();
    return all;
}

} // namespace

class TestLabels : public QObject {
    Q_OBJECT

private slots:
    void aMessageShowsWhatItAsksFor_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < cases().size(); ++i)
            QTest::addRow("%s", cases()[i].name) << int(i);
    }

    void aMessageShowsWhatItAsksFor()
    {
        QFETCH(int, index);
        const Case &c = cases()[size_t(index)];
        QCOMPARE(QString::fromStdString(messagePayload(c.message, c.kind).inspect()), QString(c.payload));
        const MessageSummary summary = summarize(c.message, c.kind);
        QCOMPARE(QString::fromStdString(std::string(summary.prefix)), QString(c.prefix));
        QCOMPARE(QString::fromStdString(summary.payload.inspect()), QString(c.payload));
    }

    void namesOfProcesses()
    {
        QCOMPARE(QString::fromStdString(pidText(Pid{ 132 })), QStringLiteral("<0.132.0>"));
        QCOMPARE(QString::fromStdString(moduleName(Term::atom("Elixir.Counter"))), QStringLiteral("Counter"));
        QCOMPARE(QString::fromStdString(moduleName("iex"_a)), QStringLiteral("iex"));
        QCOMPARE(QString::fromStdString(moduleName(Term::list({}))), QString());
    }
};

QTEST_MAIN(TestLabels)
#include "tst_labels.moc"
