// SPDX-License-Identifier: MIT
// Figure 8 of docs/performance.md: how long the views take to be rebuilt at a random point
// of a recording of about a million events (the playhead moved by the timeline slider).
//
// A real runtime records a mixed workload (casts queueing behind a slow server, calls with
// replies, timers, a growing list state) into an event bridge that keeps it all; then the
// playhead jumps to random points and every model the window shows syncs there. The time
// of one jump is EventBridge::seek (snapshot copy + replay of the events after it) plus
// every model's sync, as one frame would do it. Prints the harness's line protocol
// (bench/harness.h): scrub_rebuild (p50), scrub_rebuild_p99, scrub_rebuild_max in ns.

#include "callmodel.h"
#include "callstatsmodel.h"
#include "eventbridge.h"
#include "genserver.h"
#include "harness.h"
#include "inflightmodel.h"
#include "mailboxmodel.h"
#include "processmodel.h"
#include "runtime.h"
#include "statehistorymodel.h"
#include "timermodel.h"
#include "tracemodel.h"

#include <QGuiApplication>
#include <cstdio>
#include <cstdlib>
#include <random>

using namespace mailroom;

namespace {

/// Casts build up a list; calls read it; plain messages it ignores.
class Store final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Store"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term()); }
    Term handleCall(const Term & /*request*/, const Term & /*from*/, const Term &state) override
    {
        return gen::reply(Term::integer(int64_t(state.isList() ? 1 : 0)), state);
    }
    Term handleCast(const Term &request, const Term &state) override
    {
        return gen::noreply(Term::cons(request, state));
    }
    Term handleInfo(const Term & /*message*/, const Term &state) override { return gen::noreply(state); }
};

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    bool quick = false;
    for (int i = 1; i < argc; ++i)
        quick = quick || std::string_view(argv[i]) == "--quick" || std::string_view(argv[i]) == "--smoke";
    const uint64_t target = std::getenv("SCRUB_EVENTS") != nullptr ? std::strtoull(std::getenv("SCRUB_EVENTS"), nullptr, 10) : quick ? 50'000
                                                                                                                                     : 1'000'000;
    const int jumps = quick ? 50 : 300;

    RuntimeOptions options;
    options.eventBudget = size_t(target) * 2;
    options.output = [](Pid, std::string_view) {};
    options.errorReport = [](std::string_view) {};
    Runtime runtime(options);
    EventBridge bridge(nullptr, size_t(target) * 2);
    bridge.attach(&runtime);

    ProcessModel processes;
    MailboxModel mailbox;
    TimerModel timers;
    CallModel calls;
    CallStatsModel stats;
    TraceModel trace;
    InFlightModel flights;
    StateHistoryModel history;
    for (BridgedModel *m : std::initializer_list<BridgedModel *>{
             &processes, &mailbox, &timers, &calls, &stats, &trace, &flights, &history })
        m->setBridge(&bridge);
    history.setServer(QStringLiteral("Store"));

    // Clients in waves until the record holds `target` events.
    Pid store;
    {
        SpawnOptions o;
        o.joinable = true;
        const Pid starter = runtime.spawn(
            [&] {
                gen::StartOptions s;
                s.name = Atom::intern("Store");
                store = gen::start(proc::runtime(), std::make_shared<Store>(), Term(), s)[1].asPid();
            },
            o);
        runtime.join(starter, 10'000);
    }
    mailbox.setPid(int(store.number));
    int wave = 0;
    while (bridge.history().endSeq() < target) {
        SpawnOptions o;
        o.joinable = true;
        std::vector<Pid> clients;
        for (int c = 0; c < 4; ++c) {
            clients.push_back(runtime.spawn(
                [c, wave] {
                    const Term name = Term::atom("Store");
                    Runtime &rt = proc::runtime();
                    for (int i = 0; i < 500; ++i) {
                        gen::cast(rt, name, Term::integer(int64_t(wave) * 10'000 + c * 1000 + i));
                        if (i % 10 == 0)
                            (void)gen::call(name, Term::atom("size"));
                        if (i % 50 == 0)
                            rt.sendAfter(name, Term::atom("tick"), 1 + i % 7);
                    }
                },
                o));
        }
        for (Pid c : clients)
            runtime.join(c, 60'000);
        bridge.pump(true);
        ++wave;
    }
    runtime.setPaused(true);
    bridge.pump(true);
    const double events = double(bridge.history().endSeq() - bridge.history().firstSeq());

    std::mt19937_64 random(42);
    std::uniform_int_distribution<uint64_t> pick(bridge.firstSeq(), uint64_t(bridge.lastSeqValue()));
    std::vector<int64_t> times;
    times.reserve(size_t(jumps));
    for (int j = 0; j < jumps; ++j) {
        const uint64_t seq = pick(random);
        const int64_t start = bench::nowNs();
        bridge.seek(double(seq)); // every model syncs on the signal, as in a frame
        (void)trace.rowOfSeq(qint64(seq)); // the trace pane finds its line
        times.push_back(bench::nowNs() - start);
        if (std::getenv("SCRUB_DEBUG") != nullptr)
            std::fprintf(stderr, "%llu %lld\n", static_cast<unsigned long long>(seq),
                static_cast<long long>(times.back()));
    }
    const bench::Output out;
    char what[160];
    // In thousands: the exact count varies by a few events from round to round, and one note
    // per round would repeat itself under the table.
    std::snprintf(what, sizeof what, "a recording of %.0f k events, %zu snapshots, %d random jumps",
        events / 1000, bridge.snapshotCount(), jumps);
    out.version("scrub: the app's event bridge and models, offscreen");
    out.note("scrub_rebuild", what);
    out.figure("scrub_rebuild", bench::percentile(times, 0.50));
    out.figure("scrub_rebuild_p99", bench::percentile(times, 0.99));
    out.figure("scrub_rebuild_max", bench::percentile(times, 1.0));
    runtime.setPaused(false);
    bridge.attach(nullptr);
    return 0;
}
