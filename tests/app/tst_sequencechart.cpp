// SPDX-License-Identifier: MIT
// The sequence chart: a real scenario (a call and its reply, a cast, a plain message, a
// timer, a crash) laid out as lifelines, arrows, bars and crosses; the trace pane's filters;
// the playhead; clicking an arrow; the SVG, PNG and Mermaid exports.
#include "export_mermaid.h"
#include "fixture.h"
#include "sequencechart.h"
#include "tracemodel.h"

#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <sstream>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

namespace {

struct Scenario {
    Pid counter;
    Pid journal;
    Pid receiver;
    Pid client;
    Pid crasher;
};

/// Starts the servers, then a client calls Counter, casts to Journal, sends Receiver a plain
/// message and sets a 50 ms timer for it; the timer fires; a process crashes.
Scenario play(Fixture &f)
{
    Scenario s;
    s.counter = f.startServer("Counter");
    s.journal = f.startServer("Journal");
    s.receiver = f.startServer("Receiver");
    f.settle();
    f.run([&] {
        s.client = proc::self();
        (void)gen::call(Term(s.counter), "get_count"_a);
        gen::cast(proc::runtime(), Term(s.journal), Term::tuple({ "add_entry"_a, "hello"_s }));
        proc::send(Term(s.receiver), "message"_a);
        proc::runtime().sendAfter(Term(s.receiver), "later"_a, 50);
    });
    f.advance(50);
    f.run([&] {
        s.crasher = proc::self();
        proc::exit("boom"_a);
    });
    f.settle();
    return s;
}

const SequenceArrow *findArrow(const SequenceLayout &layout, ArrowStyle style, Pid from, Pid to)
{
    for (const SequenceArrow &a : layout.arrows())
        if (a.style == style && a.from == from && a.to == to)
            return &a;
    return nullptr;
}

const SequenceBar *findBar(const std::vector<SequenceBar> &bars, Pid pid, MessageKind kind)
{
    for (const SequenceBar &b : bars)
        if (b.pid == pid && b.kind == kind)
            return &b;
    return nullptr;
}

double y(int row)
{
    return row + 0.5;
}

} // namespace

class TestSequenceChart : public QObject {
    Q_OBJECT

private slots:
    void laysOutAScenario()
    {
        Fixture f;
        SequenceChart chart;
        chart.setSize(QSizeF(900, 500));
        chart.setBridge(&f.bridge);
        const Scenario s = play(f);
        const SequenceLayout &layout = chart.layout();

        // A lifeline per process, in order of appearance, each named once.
        for (const Pid pid : { s.counter, s.journal, s.receiver, s.client, s.crasher })
            QVERIFY2(layout.columnOf(pid) >= 0, qPrintable(QString::number(pid.number)));
        QCOMPARE(chart.lifelineCount(), int(layout.lifelines().size()));

        // The call, paired with its reply coming back dashed.
        const SequenceArrow *call = findArrow(layout, ArrowStyle::Call, s.client, s.counter);
        QVERIFY(call != nullptr);
        QVERIFY(!call->dashed());
        QVERIFY(call->paired >= 0);
        const SequenceArrow &reply = layout.arrows()[size_t(call->paired)];
        QVERIFY(reply.style == ArrowStyle::Reply);
        QVERIFY(reply.from == s.counter);
        QVERIFY(reply.to == s.client);
        QVERIFY(reply.dashed());
        QVERIFY(reply.row > call->row);
        QCOMPARE(layout.arrows()[size_t(reply.paired)].seq, call->seq);

        // The cast and the plain message, each drawn its own way.
        const SequenceArrow *cast = findArrow(layout, ArrowStyle::Cast, s.client, s.journal);
        const SequenceArrow *info = findArrow(layout, ArrowStyle::Info, s.client, s.receiver);
        QVERIFY(cast != nullptr);
        QVERIFY(info != nullptr);
        QVERIFY(cast->kind == MessageKind::Cast);
        QVERIFY(info->kind == MessageKind::Info);
        QVERIFY(cast->row > reply.row);
        QVERIFY(info->row > cast->row);
        QCOMPARE(cast->paired, -1);

        // The server's handler as an activation bar around the reply.
        const SequenceBar *handler = findBar(layout.activations(), s.counter, MessageKind::Call);
        QVERIFY(handler != nullptr);
        QCOMPARE(handler->messageId, call->messageId);
        QVERIFY(handler->top >= y(call->row) && handler->top < y(reply.row));
        QVERIFY(handler->bottom >= y(reply.row));
        QVERIFY(!handler->open);
        QVERIFY(findBar(layout.activations(), s.journal, MessageKind::Cast) != nullptr);
        QVERIFY(findBar(layout.activations(), s.receiver, MessageKind::Info) != nullptr);

        // The caller blocked from its call to the reply.
        const SequenceBar *waited = nullptr;
        for (const SequenceBar &b : layout.blocks())
            if (b.pid == s.client && b.block == BlockKind::Call)
                waited = &b;
        QVERIFY(waited != nullptr);
        QCOMPARE(waited->top, y(call->row));
        QCOMPARE(waited->bottom, y(reply.row));

        // The timer: dashed from the send_after to the message it delivered.
        const SequenceArrow *timer = findArrow(layout, ArrowStyle::Timer, s.client, s.receiver);
        QVERIFY(timer != nullptr);
        QVERIFY(timer->dashed());
        QVERIFY(!timer->pending);
        QVERIFY(timer->startRow > info->row);
        QVERIFY(timer->row > timer->startRow);
        const Event *delivered = f.bridge.history().event(timer->messageId);
        QVERIFY(delivered != nullptr);
        QVERIFY(delivered->type == EventType::Send);
        QVERIFY(delivered->term == "later"_a);
        QVERIFY(f.bridge.history().event(timer->seq)->type == EventType::TimerSet);

        // Exits: a red cross for the crash, a plain one for the client that returned.
        bool crashed = false;
        bool normal = false;
        for (const SequenceCross &c : layout.crosses()) {
            if (c.pid == s.crasher) {
                crashed = c.crashed;
                QCOMPARE(layout.lifelines()[size_t(c.column)].exitRow, c.row);
            }
            if (c.pid == s.client)
                normal = !c.crashed;
        }
        QVERIFY(crashed);
        QVERIFY(normal);

        // Rows go down in time and in seq.
        for (size_t r = 1; r < layout.rows().size(); ++r) {
            QVERIFY(layout.rows()[r].seq > layout.rows()[r - 1].seq);
            QVERIFY(layout.rows()[r].timeNs >= layout.rows()[r - 1].timeNs);
        }
        QCOMPARE(chart.rowCount(), int(layout.rows().size()));
        QCOMPARE(uint64_t(chart.lastSeqValue()), f.bridge.limitSeq());
    }

    void followsTheTraceFilters()
    {
        Fixture f;
        TraceModel trace;
        trace.setBridge(&f.bridge);
        SequenceChart chart;
        chart.setSize(QSizeF(900, 500));
        chart.setBridge(&f.bridge);
        chart.setTrace(&trace);
        const Scenario s = play(f);
        const int all = int(chart.layout().arrows().size());

        trace.setPidFilter(int(s.journal.number));
        const SequenceLayout &journalOnly = chart.layout();
        QVERIFY(!journalOnly.arrows().empty());
        QVERIFY(int(journalOnly.arrows().size()) < all);
        for (const SequenceArrow &a : journalOnly.arrows())
            QVERIFY(a.from == s.journal || a.to == s.journal);
        QVERIFY(findArrow(journalOnly, ArrowStyle::Cast, s.client, s.journal) != nullptr);
        QCOMPARE(journalOnly.columnOf(s.counter), -1);
        for (const SequenceBar &b : journalOnly.activations())
            QVERIFY(b.pid == s.journal);

        trace.setPidFilter(0);
        trace.setCategories(int(kAllCategories & ~categoryBit(TraceCategory::Cast)));
        const SequenceLayout &noCasts = chart.layout();
        QVERIFY(findArrow(noCasts, ArrowStyle::Cast, s.client, s.journal) == nullptr);
        QVERIFY(findArrow(noCasts, ArrowStyle::Call, s.client, s.counter) != nullptr);
        QVERIFY(findBar(noCasts.activations(), s.journal, MessageKind::Cast) == nullptr);

        // Without timers, the delivery is a plain message.
        trace.setCategories(int(kAllCategories & ~categoryBit(TraceCategory::Timer)));
        const SequenceLayout &noTimers = chart.layout();
        for (const SequenceArrow &a : noTimers.arrows())
            QVERIFY(a.style != ArrowStyle::Timer);
        int infos = 0;
        for (const SequenceArrow &a : noTimers.arrows())
            infos += a.style == ArrowStyle::Info && a.to == s.receiver ? 1 : 0;
        QCOMPARE(infos, 2);
    }

    void followsThePlayhead()
    {
        Fixture f;
        SequenceChart chart;
        chart.setSize(QSizeF(900, 300));
        chart.setBridge(&f.bridge);
        const Scenario s = play(f);
        const SequenceArrow call = *findArrow(chart.layout(), ArrowStyle::Call, s.client, s.counter);
        QVERIFY(chart.follow());
        QCOMPARE(chart.contentY(), std::max(0.0, chart.contentHeight() - chart.height()));

        f.bridge.seek(double(call.seq));
        const SequenceLayout &then = chart.layout();
        QCOMPARE(then.lastSeq(), call.seq);
        for (const SequenceRow &row : then.rows())
            QVERIFY(row.seq <= call.seq);
        QCOMPARE(then.rows().back().seq, call.seq);
        QVERIFY(findArrow(then, ArrowStyle::Reply, s.counter, s.client) == nullptr);
        // Following shows the playhead's row at the bottom.
        QCOMPARE(chart.contentY(), std::max(0.0, chart.contentHeight() - chart.height()));

        // A step further: the client is blocked (an open band), the server not yet handling.
        f.bridge.seek(double(call.seq + 1));
        bool open = false;
        for (const SequenceBar &b : chart.layout().blocks())
            open = open || (b.pid == s.client && b.open && b.top == y(call.row));
        QVERIFY(open);

        f.bridge.goLive();
        QVERIFY(findArrow(chart.layout(), ArrowStyle::Reply, s.counter, s.client) != nullptr);
        QCOMPARE(chart.layout().lastSeq(), f.bridge.limitSeq());

        // At most maxEvents events, ending at the playhead.
        chart.setMaxEvents(10);
        QCOMPARE(chart.layout().lastSeq() - chart.layout().firstSeq() + 1, uint64_t(10));
    }

    void clickingAnArrowSelectsItsMessage()
    {
        Fixture f;
        SequenceChart chart;
        chart.setSize(QSizeF(900, 2000));
        chart.setBridge(&f.bridge);
        const Scenario s = play(f);
        const SequenceArrow cast = *findArrow(chart.layout(), ArrowStyle::Cast, s.client, s.journal);

        const QPointF at = chart.arrowPoint(double(cast.messageId));
        QVERIFY(at.x() >= 0 && at.y() >= 0);
        QCOMPARE(chart.messageAt(at.x(), at.y()), double(cast.messageId));
        QVERIFY(chart.textAt(at.x(), at.y()).contains(QStringLiteral("cast {:add_entry, \"hello\"}")));
        QCOMPARE(chart.messageAt(at.x(), at.y() + chart.geometry().rowHeight * 0.5 + 1), 0.0);
        QCOMPARE(chart.messageAt(5, at.y()), 0.0); // the time gutter

        QSignalSpy clicked(&chart, &SequenceChart::messageClicked);
        QVERIFY(chart.selectAt(at.x(), at.y()));
        QCOMPARE(f.bridge.selectedMessage(), qint64(cast.messageId));
        QCOMPARE(f.bridge.selectedPid(), int(s.client.number));
        QCOMPARE(clicked.count(), 1);
        QVERIFY(!chart.selectAt(5, 5));
    }

    void exportsSvgPngAndMermaid()
    {
        Fixture f;
        TraceModel trace;
        trace.setBridge(&f.bridge);
        SequenceChart chart;
        chart.setSize(QSizeF(900, 300)); // smaller than the chart: exports draw every row
        chart.setBridge(&f.bridge);
        chart.setTrace(&trace);
        const Scenario s = play(f);
        chart.refresh();
        QTemporaryDir dir;

        // SVG: well-formed, one open path per arrow.
        const QString svgPath = dir.filePath(QStringLiteral("chart.svg"));
        QVERIFY2(chart.saveSvg(QUrl::fromLocalFile(svgPath)), qPrintable(chart.errorString()));
        if (const QString keep = qEnvironmentVariable("MAILROOM_SEQUENCE_SVG"); !keep.isEmpty())
            QFile::copy(svgPath, keep);
        QFile svgFile(svgPath);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svgFile);
        int paths = 0;
        int texts = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                // An arrow's shaft is an open path; its filled head is a closed one.
                if (xml.name() == QLatin1String("path")) {
                    const QStringList points = xml.attributes()
                                                   .value(QLatin1String("d"))
                                                   .toString()
                                                   .split(QLatin1Char(' '), Qt::SkipEmptyParts);
                    paths += points.first().mid(1) != points.last().mid(1) ? 1 : 0;
                }
                texts += xml.name() == QLatin1String("text") ? 1 : 0;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(paths, chart.arrowCount());
        QVERIFY(texts > chart.rowCount()); // times, labels and names

        // PNG: the whole range.
        const QString pngPath = dir.filePath(QStringLiteral("chart.png"));
        QVERIFY2(chart.savePng(QUrl::fromLocalFile(pngPath)), qPrintable(chart.errorString()));
        const QImage image(pngPath);
        QVERIFY(!image.isNull());
        QCOMPARE(image.height(), qRound(chart.contentHeight()));
        QVERIFY(image.height() > int(chart.height()));
        if (const QString keep = qEnvironmentVariable("MAILROOM_SEQUENCE_PNG"); !keep.isEmpty())
            QFile::copy(pngPath, keep);

        // Mermaid: what core's exporter writes for the same range and process.
        const auto coreText = [&](std::vector<Pid> pids) {
            MermaidOptions options;
            options.firstSeq = uint64_t(chart.firstSeqValue());
            options.lastSeq = uint64_t(chart.lastSeqValue());
            options.pids = std::move(pids);
            std::ostringstream out;
            writeMermaidSequence(f.runtime.events(), out, options);
            return QString::fromStdString(out.str());
        };
        const QString all = chart.mermaidText();
        QVERIFY(all.startsWith(QStringLiteral("sequenceDiagram\n")));
        QVERIFY(all.contains(QStringLiteral("->>")));
        QCOMPARE(all, coreText({}));
        trace.setPidFilter(int(s.journal.number));
        QCOMPARE(chart.mermaidText(), coreText({ s.journal }));
        // At the playhead: the range ends there.
        const SequenceArrow cast = *findArrow(chart.layout(), ArrowStyle::Cast, s.client, s.journal);
        f.bridge.seek(double(cast.seq));
        chart.refresh();
        QCOMPARE(uint64_t(chart.lastSeqValue()), cast.seq);
        const QString atCast = chart.mermaidText();
        QVERIFY(atCast.contains(QStringLiteral("cast {:add_entry, \"hello\"}")));
        QCOMPARE(atCast, coreText({ s.journal }));
        const QString mmdPath = dir.filePath(QStringLiteral("chart.mmd"));
        QVERIFY(chart.saveMermaid(QUrl::fromLocalFile(mmdPath)));
        QFile mmd(mmdPath);
        QVERIFY(mmd.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(mmd.readAll()), chart.mermaidText());

        QVERIFY(!chart.saveSvg(QUrl::fromLocalFile(dir.filePath(QStringLiteral("no/such/dir/chart.svg")))));
        QVERIFY(!chart.errorString().isEmpty());
    }

    void aFilteredChartLooksPastOtherProcessesTraffic()
    {
        // A message to a quiet process, then a flood between others: filtered on the quiet
        // one, the chart still shows its message (the window counts what passes the filter).
        Fixture f;
        TraceModel trace;
        trace.setBridge(&f.bridge);
        SequenceChart chart;
        chart.setSize(QSizeF(900, 500));
        chart.setBridge(&f.bridge);
        chart.setTrace(&trace);
        const auto waitForever = [] { (void)proc::receive([](const Term &) { return false; }); };
        const Pid quiet = f.runtime.spawn(waitForever);
        const Pid sink = f.runtime.spawn(waitForever);
        f.run([&] {
            proc::send(Term(quiet), Term::atom("hello"));
            for (int i = 0; i < 5000; ++i)
                proc::send(Term(sink), Term::integer(i));
        });
        f.settle();
        trace.setPidFilter(int(quiet.number));
        const SequenceLayout &layout = chart.layout();
        bool shown = false;
        for (const SequenceArrow &a : layout.arrows())
            shown = shown || a.to == quiet;
        QVERIFY2(shown, qPrintable(QStringLiteral("events %1 to %2").arg(layout.firstSeq()).arg(layout.lastSeq())));
    }

    void aFloodCostsAtMostMaxEvents()
    {
        Fixture f;
        SequenceChart chart;
        chart.setSize(QSizeF(900, 500));
        chart.setBridge(&f.bridge);
        const Pid sink = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.run([&] {
            for (int i = 0; i < 20000; ++i)
                proc::send(Term(sink), Term::integer(i));
        });
        f.settle();
        const SequenceLayout &layout = chart.layout();
        QCOMPARE(layout.lastSeq() - layout.firstSeq() + 1, uint64_t(SequenceLayout::kDefaultMaxEvents));
        QVERIFY(layout.rows().size() <= SequenceLayout::kDefaultMaxEvents);
        QVERIFY(layout.arrows().size() >= SequenceLayout::kDefaultMaxEvents - 10);
        QCOMPARE(chart.contentY(), chart.contentHeight() - chart.height());
    }
};

QTEST_MAIN(TestSequenceChart)
#include "tst_sequencechart.moc"
