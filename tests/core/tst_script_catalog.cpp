// SPDX-License-Identifier: MIT
// The catalog as Elixir: catalog/*.ex embedded at build time, defined in every session, and
// the palette's entries read from the modules themselves.
#include "catalog_sources.h"
#include "script/catalog.h"
#include "script/session.h"

#include <QtTest>
#include <future>

using namespace mailroom;

namespace {

RuntimeOptions quiet()
{
    RuntimeOptions o;
    o.schedulers = 2;
    o.output = [](Pid, std::string_view) {};
    o.errorReport = [](std::string_view) {};
    return o;
}

EvalResult eval(Session &session, const std::string &code)
{
    auto promise = std::make_shared<std::promise<EvalResult>>();
    auto future = promise->get_future();
    session.evaluate(code, false, [promise](const EvalResult &r) { promise->set_value(r); });
    if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
        qFatal("evaluation did not finish");
    return future.get();
}

const MessageSpec *messageWithCode(const CatalogEntry &entry, std::string_view code)
{
    for (const MessageSpec &m : entry.messages)
        if (m.code == code)
            return &m;
    return nullptr;
}

} // namespace

class TestScriptCatalog : public QObject {
    Q_OBJECT

private slots:
    void everyFileOfTheFolderIsEmbedded()
    {
        QStringList files;
        for (const CatalogSource &s : catalogSources())
            files << QString::fromUtf8(s.file.data(), qsizetype(s.file.size()));
        QStringList onDisk = QDir(QStringLiteral(CATALOG_DIR)).entryList({ "*.ex" }, QDir::Files, QDir::Name);
        for (QString &f : onDisk)
            f.prepend(QStringLiteral("catalog/"));
        QCOMPARE(files, onDisk);
        QCOMPARE(int(catalog().size()), int(onDisk.size()));
    }

    void aSessionKnowsTheCatalogWithoutDefiningIt()
    {
        Session session(quiet());
        const EvalResult r = eval(session,
            "{:ok, pid} = GenServer.start_link(Journal, [])\n"
            "GenServer.cast(pid, {:add_entry, :a})\n"
            "PledgeServer.start()\n"
            "PledgeServer.create_pledge(\"moe\", 20)\n"
            "{:sys.get_state(pid), PledgeServer.total_pledged(), %PledgeServer.State{}}");
        QVERIFY2(r.ok, r.text.c_str());
        QCOMPARE(QString::fromStdString(r.text),
            QStringLiteral("{[:a], 20, %PledgeServer.State{cache_size: 3, pledges: []}}"));
    }

    void aScriptsModuleReplacesTheCatalogsForThatSessionOnly()
    {
        Session mine(quiet());
        const EvalResult defined = eval(mine,
            "defmodule Counter do\n  def get_count, do: :mine\nend\n"
            "Counter.get_count()");
        QCOMPARE(QString::fromStdString(defined.text), QStringLiteral(":mine"));
        Session other(quiet());
        const EvalResult r = eval(other,
            "{:ok, pid} = GenServer.start(Counter, [])\nGenServer.call(pid, :get_count)");
        QCOMPARE(QString::fromStdString(r.text), QStringLiteral("0"));
    }

    void theSummaryIsTheModuledoc()
    {
        const CatalogEntry *counter = findCatalogEntry("Counter");
        QVERIFY(counter != nullptr);
        QCOMPARE(QString::fromStdString(counter->summary),
            QStringLiteral("Casts that take a second each queue up; get_count answers at once"));
        QVERIFY(findCatalogEntry("Elixir.Counter") == counter);
        QVERIFY(findCatalogEntry("PledgeServer.State") == nullptr); // a struct, not a server
    }

    void aLiteralClauseHeadSendsThatLiteral()
    {
        const CatalogEntry *slow = findCatalogEntry("SlowServer");
        const MessageSpec *sleep = messageWithCode(*slow, "GenServer.call({server}, :sleep)");
        QVERIFY(sleep != nullptr);
        QVERIFY(sleep->kind == MessageKind::Call);
        QCOMPARE(QString::fromStdString(sleep->label), QStringLiteral(":sleep"));
        const MessageSpec *clear = messageWithCode(*findCatalogEntry("PledgeServer"), "GenServer.cast({server}, :clear)");
        QVERIFY(clear != nullptr);
        QVERIFY(clear->kind == MessageKind::Cast);
        QVERIFY(messageWithCode(*findCatalogEntry("IncrementingCounter"), "send({server}, :increment)") != nullptr);
    }

    void aClauseWithVariablesOffersItsTryLines()
    {
        const MessageSpec *sleep = messageWithCode(*findCatalogEntry("SlowServer"), "GenServer.call({server}, {:sleep, 300})");
        QVERIFY(sleep != nullptr);
        QCOMPARE(QString::fromStdString(sleep->label), QStringLiteral("{:sleep, 300}"));
        const MessageSpec *log = messageWithCode(*findCatalogEntry("AsyncLogger"), "AsyncLogger.log(\"hello\")");
        QVERIFY(log != nullptr);
        QVERIFY(log->kind == MessageKind::Cast);
        QCOMPARE(QString::fromStdString(log->label), QStringLiteral("log(\"hello\")"));
        const MessageSpec *later
            = messageWithCode(*findCatalogEntry("Receiver"), "Process.send_after({server}, :message, 2000)");
        QVERIFY(later != nullptr);
        QVERIFY(later->kind == MessageKind::Info);
        // A pattern that binds a variable offers only its Try lines, never the pattern itself.
        const auto &journal = findCatalogEntry("Journal")->messages;
        QCOMPARE(int(journal.size()), 1);
        QCOMPARE(QString::fromStdString(journal[0].code), QStringLiteral("GenServer.cast({server}, {:add_entry, \"entry\"})"));
    }

    void theDefaultNameIsWhatStartLinkRegisters()
    {
        QCOMPARE(findCatalogEntry("AsyncLogger")->defaultName, std::optional<std::string>("Elixir.AsyncLogger"));
        QCOMPARE(findCatalogEntry("PledgeServer")->defaultName, std::optional<std::string>("pledge_server"));
        QCOMPARE(findCatalogEntry("Counter")->defaultName, std::optional<std::string>());
        QVERIFY(findCatalogEntry("PledgeServer")->hasStart);
        QVERIFY(!findCatalogEntry("Counter")->hasStart);
    }
};

QTEST_GUILESS_MAIN(TestScriptCatalog)
#include "tst_script_catalog.moc"
