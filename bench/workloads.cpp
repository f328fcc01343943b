// SPDX-License-Identifier: MIT
#include "workloads.h"

#include "genserver.h"
#include "runtime.h"
#include "script/session.h"

#include <algorithm>
#include <atomic>
#include <boost/version.hpp>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#ifndef MAILROOM_VERSION
#define MAILROOM_VERSION "unknown"
#endif

namespace mailroom::bench {

namespace {

const Term &incAtom()
{
    static const Term atom = Term::atom("inc");
    return atom;
}
const Term &pingAtom()
{
    static const Term atom = Term::atom("ping");
    return atom;
}
const Term &pongAtom()
{
    static const Term atom = Term::atom("pong");
    return atom;
}
const Term &doneAtom()
{
    static const Term atom = Term::atom("done");
    return atom;
}
const Term &tickAtom()
{
    static const Term atom = Term::atom("tick");
    return atom;
}

bool any(const Term & /*message*/)
{
    return true;
}
bool isDone(const Term &message)
{
    return message.isAtom() && message.asAtom() == doneAtom().asAtom();
}

/// The counter of figures 1, 2 and 6: counts casts, tells `notify` when it reaches
/// `target`, answers :ping calls with :pong.
class Counter final : public GenServer {
public:
    Counter(int64_t target, Pid notify)
        : m_target(target)
        , m_notify(notify)
    {
    }
    [[nodiscard]] std::string module() const override { return "Counter"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::integer(0)); }
    Term handleCast(const Term & /*request*/, const Term &state) override
    {
        const int64_t count = state.asInteger() + 1;
        if (count == m_target)
            proc::send(Term(m_notify), doneAtom());
        return gen::noreply(Term::integer(count));
    }
    Term handleCall(const Term & /*request*/, const Term & /*from*/, const Term &state) override
    {
        return gen::reply(pongAtom(), state);
    }

private:
    const int64_t m_target;
    const Pid m_notify;
};

/// The idle server of figure 4: `use GenServer` with nothing overridden but init.
class Idle final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Idle"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term()); }
};

/// Turns the event record off when the runtime has a switch for it (the option proposed
/// in docs/performance.md); false when it has none. A template, so that the branch
/// naming the option is only compiled when the option exists.
template<typename Options> bool disableRecording(Options &options)
{
    if constexpr (requires { options.recordEvents = false; }) {
        options.recordEvents = false;
        return true;
    } else {
        return false;
    }
}

bool g_noRecord = false; // --no-record: set once by runMailroomWorkloads before any workload
unsigned g_schedulers = 0; // --schedulers=N: likewise

/// What every workload starts from: the runtime's defaults (one scheduler per core,
/// recording on, the default event budget), with output kept off the protocol's stdout.
RuntimeOptions defaultOptions()
{
    RuntimeOptions o;
    o.output = [](Pid, std::string_view text) { std::fwrite(text.data(), 1, text.size(), stderr); };
    if (g_noRecord)
        (void)disableRecording(o);
    o.schedulers = g_schedulers;
    return o;
}

/// The runtime of one workload. It starts once the allocator has finished with what the
/// previous workload's runtime freed (settleAllocator), so no workload pays for another.
class FreshRuntime : public Runtime {
public:
    explicit FreshRuntime(RuntimeOptions options = defaultOptions())
        : Runtime(settled(std::move(options))) {}

private:
    static RuntimeOptions settled(RuntimeOptions options)
    {
        settleAllocator();
        return options;
    }
};

/// Runs `body` as a process and waits for it; rethrows how it failed.
void runDriver(Runtime &rt, std::function<void()> body)
{
    SpawnOptions o;
    o.joinable = true;
    const Pid pid = rt.spawn(std::move(body), o);
    const std::optional<Term> reason = rt.join(pid);
    if (!reason || !reasons::isNormal(*reason))
        throw std::runtime_error("the driver process exited with " + (reason ? reason->inspect() : "?"));
}

Pid startServer(Runtime &rt, std::shared_ptr<GenServer> server)
{
    const Term started = gen::start(rt, std::move(server), Term());
    if (!started.isTuple(2) || !started[0].isAtom("ok"))
        throw std::runtime_error("GenServer.start failed: " + started.inspect());
    return started[1].asPid();
}

// Figure 1 ------------------------------------------------------------------------------

struct CastResult {
    double perSecond = 0;
    int64_t elapsedNs = 0;
};

/// `senders` processes cast `casts` messages in all to one counter; the time from the
/// first cast until the counter has handled the last.
CastResult castThroughput(Runtime &rt, int senders, int64_t casts)
{
    CastResult result;
    const int64_t share = casts / senders;
    runDriver(rt, [&] {
        const Term server(startServer(rt, std::make_shared<Counter>(share * senders, proc::self())));
        const int64_t start = nowNs();
        for (int s = 0; s < senders; ++s)
            proc::spawn([&rt, server, share] {
                for (int64_t i = 0; i < share; ++i)
                    gen::cast(rt, server, incAtom());
            });
        (void)proc::receive(isDone);
        result.elapsedNs = nowNs() - start;
        result.perSecond = double(share * senders) * 1e9 / double(result.elapsedNs);
    });
    return result;
}

// Figure 2 ------------------------------------------------------------------------------

/// Round trips of GenServer.call (default 5 s timeout, as in OTP) from one process to
/// another, one after the other.
std::vector<int64_t> callLatencies(Runtime &rt, int64_t calls)
{
    std::vector<int64_t> samples;
    samples.reserve(size_t(calls));
    runDriver(rt, [&] {
        const Term server(startServer(rt, std::make_shared<Counter>(0, proc::self())));
        for (int64_t i = 0; i < std::min<int64_t>(1000, calls); ++i) // warm the pools and caches
            (void)gen::call(server, pingAtom());
        for (int64_t i = 0; i < calls; ++i) {
            const int64_t start = nowNs();
            (void)gen::call(server, pingAtom());
            samples.push_back(nowNs() - start);
        }
    });
    return samples;
}

/// Round trips from a thread outside the runtime (as the GUI thread would make them).
/// A call needs a process to receive the reply, so the thread asks a proxy process,
/// which calls the server and hands the answer back through an atomic the thread waits
/// on. Both hand-offs cross threads.
std::vector<int64_t> externalCallLatencies(Runtime &rt, int64_t calls)
{
    const Term server(startServer(rt, std::make_shared<Counter>(0, Pid{})));
    std::atomic<int64_t> answered{ -1 };
    const Pid proxy = rt.spawn([&answered, server] {
        for (;;) {
            const int64_t request = proc::receive(any)->term.asInteger();
            if (request < 0)
                return;
            (void)gen::call(server, pingAtom());
            answered.store(request, std::memory_order_release);
            answered.notify_one();
        }
    });
    const int64_t warmUp = std::min<int64_t>(100, calls);
    std::vector<int64_t> samples;
    samples.reserve(size_t(calls));
    for (int64_t i = 0; i < warmUp + calls; ++i) {
        const int64_t start = nowNs();
        rt.send(Term(proxy), Term::integer(i));
        for (int64_t seen = answered.load(std::memory_order_acquire); seen != i;
             seen = answered.load(std::memory_order_acquire))
            answered.wait(seen, std::memory_order_acquire);
        if (i >= warmUp)
            samples.push_back(nowNs() - start);
    }
    rt.send(Term(proxy), Term::integer(-1));
    return samples;
}

// Figure 3 ------------------------------------------------------------------------------

/// A ring of `size` plain processes; a token goes round `hops` times in all.
double ringHopsPerSecond(Runtime &rt, int64_t size, int64_t hops)
{
    double perSecond = 0;
    runDriver(rt, [&] {
        const Term driver(proc::self());
        std::vector<Pid> ring;
        ring.reserve(size_t(size));
        for (int64_t i = 0; i < size; ++i)
            ring.push_back(proc::spawn([driver] {
                const Term next = proc::receive(any)->term; // first the neighbour's pid
                for (;;) {
                    const int64_t left = proc::receive(any)->term.asInteger();
                    if (left == 0)
                        proc::send(driver, doneAtom());
                    else
                        proc::send(next, Term::integer(left - 1));
                }
            }));
        for (int64_t i = 0; i < size; ++i)
            proc::send(Term(ring[size_t(i)]), Term(ring[size_t((i + 1) % size)]));
        const int64_t start = nowNs();
        proc::send(Term(ring[0]), Term::integer(hops));
        (void)proc::receive(isDone);
        perSecond = double(hops) * 1e9 / double(nowNs() - start);
        for (const Pid pid : ring)
            proc::runtime().exit(pid, Term::atom("kill"));
    });
    return perSecond;
}

// Figure 4 ------------------------------------------------------------------------------

/// Processes that each send one message to their parent and exit, spawned in waves of
/// `wave` so the number alive at once stays bounded; per second.
double spawnRate(Runtime &rt, int64_t spawns, int64_t wave)
{
    double perSecond = 0;
    runDriver(rt, [&] {
        const Term parent(proc::self());
        const int64_t start = nowNs();
        for (int64_t done = 0; done < spawns;) {
            const int64_t n = std::min(wave, spawns - done);
            for (int64_t i = 0; i < n; ++i)
                proc::spawn([parent] { proc::send(parent, doneAtom()); });
            for (int64_t i = 0; i < n; ++i)
                (void)proc::receive(any);
            done += n;
        }
        perSecond = double(spawns) * 1e9 / double(nowNs() - start);
    });
    return perSecond;
}

/// Resident memory per idle GenServer: starts `count` of them and divides the growth of
/// the process's RSS. The event budget is the minimum so the record's growth is not
/// charged to the servers. An idle server holds no stack (it hibernates), so there is no
/// mapping per server either; should a start fail anyway, the figure covers those started.
void idleMemory(int64_t count, const Output &out)
{
    RuntimeOptions o = defaultOptions();
    o.eventBudget = 0; // the runtime's minimum
    FreshRuntime rt(o);
    double perServer = 0;
    double startsPerSecond = 0;
    int64_t started = 0;
    std::string failure;
    runDriver(rt, [&] {
        const int64_t before = residentBytes();
        const int64_t start = nowNs();
        try {
            for (; started < count; ++started)
                (void)startServer(rt, std::make_shared<Idle>());
        } catch (const std::exception &e) {
            failure = e.what();
        }
        startsPerSecond = double(started) * 1e9 / double(nowNs() - start);
        perServer = double(residentBytes() - before) / double(std::max<int64_t>(started, 1));
    });
    if (started < count)
        out.note("rss_per_genserver", "started " + std::to_string(started) + " of " + std::to_string(count) + ": " + failure + " (" + std::to_string(mapCount()) + " memory mappings, vm.max_map_count " + std::to_string(maxMapCount()) + ")");
    out.figure("rss_per_genserver", perServer);
    out.figure("genserver_start_rate", startsPerSecond);
}

// Figure 5 ------------------------------------------------------------------------------

/// Process.send_after(self(), :tick, ms) and the wait for it, `reps` times in a row: how
/// late each arrived (ns).
std::vector<int64_t> timerLatenessSequential(Runtime &rt, int64_t ms, int64_t reps)
{
    std::vector<int64_t> samples;
    runDriver(rt, [&] {
        const Term self(proc::self());
        for (int64_t r = 0; r < reps; ++r) {
            const int64_t start = nowNs();
            (void)rt.sendAfter(self, tickAtom(), ms);
            (void)proc::receive(any);
            samples.push_back(nowNs() - start - ms * 1'000'000);
        }
    });
    return samples;
}

/// `count` processes each set one timer at about the same time.
std::vector<int64_t> timerLatenessConcurrent(Runtime &rt, int64_t ms, int64_t count)
{
    std::vector<int64_t> samples;
    runDriver(rt, [&] {
        const Term driver(proc::self());
        for (int64_t i = 0; i < count; ++i)
            proc::spawn([&rt, driver, ms] {
                const int64_t start = nowNs();
                (void)rt.sendAfter(Term(proc::self()), tickAtom(), ms);
                (void)proc::receive(any);
                proc::send(driver, Term::integer(nowNs() - start - ms * 1'000'000));
            });
        for (int64_t i = 0; i < count; ++i)
            samples.push_back(proc::receive(any)->term.asInteger());
    });
    return samples;
}

// Figure 6 ------------------------------------------------------------------------------

void recording(const Sizes &sizes, const Output &out)
{
    // The watching rows of figures 1-3 (recorded) and the record's price (recorded / not),
    // at figure 6's sizes, which the BEAM traced can run in seconds. Each measurement on a
    // fresh runtime, recorded and not alternating, so a noisy moment hits both.
    RuntimeOptions off = defaultOptions();
    if (!disableRecording(off))
        throw std::runtime_error("this runtime has no RuntimeOptions::recordEvents");
    RuntimeOptions on = defaultOptions();
    on.recordEvents = true; // also under --no-record: these rows are the record's
    const auto casts = [&](const RuntimeOptions &o, int senders) {
        FreshRuntime rt(o);
        return castThroughput(rt, senders, sizes.recCasts).perSecond;
    };
    const auto calls = [&](const RuntimeOptions &o) {
        FreshRuntime rt(o);
        return callLatencies(rt, sizes.recCalls);
    };
    const auto ring = [&](const RuntimeOptions &o) {
        FreshRuntime rt(o);
        return ringHopsPerSecond(rt, sizes.ringSize, sizes.recHops);
    };
    const double castOn = casts(on, 1);
    const double castOff = casts(off, 1);
    const double cast2On = casts(on, 2);
    const double cast2Off = casts(off, 2);
    auto callOn = calls(on);
    auto callOff = calls(off);
    const double ringOn = ring(on);
    const double ringOff = ring(off);
    out.figure("rec_cast_on", castOn);
    out.figure("rec_cast_off", castOff);
    out.figure("rec_cast_slowdown", castOff / castOn);
    out.figure("rec_cast2_on", cast2On);
    out.figure("rec_cast2_off", cast2Off);
    out.figure("rec_cast2_slowdown", cast2Off / cast2On);
    out.latency("rec_call_on", callOn);
    out.latency("rec_call_off", callOff);
    out.figure("rec_call_slowdown", percentile(callOn, 0.5) / percentile(callOff, 0.5));
    out.figure("rec_ring_on", ringOn);
    out.figure("rec_ring_off", ringOff);
    out.figure("rec_ring_slowdown", ringOff / ringOn);

    // Events per second with a budget large enough that the record keeps every one.
    RuntimeOptions keepAll = on;
    keepAll.eventBudget = size_t(sizes.evCasts) * 6 + 100'000;
    FreshRuntime rt(keepAll);
    const auto settledEnd = [&rt] {
        // Schedulers publish their buffers every millisecond and before parking.
        uint64_t last = rt.events().end();
        for (int i = 0; i < 200; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            const uint64_t now = rt.events().end();
            if (now == last && i > 2)
                break;
            last = now;
        }
        return last;
    };
    const uint64_t before = settledEnd();
    const CastResult cast = castThroughput(rt, 1, sizes.evCasts);
    const uint64_t events = settledEnd() - before;
    out.figure("events_per_s", double(events) * 1e9 / double(cast.elapsedNs));
    if (rt.events().dropped() != 0)
        out.note("events_per_s", "the record dropped " + std::to_string(rt.events().dropped()) + " events");
}

// Figure 9 ------------------------------------------------------------------------------

/// Figure 9's counter in Elixir (bench/peers/bench_counter.ex, also compiled for the BEAM),
/// read from the source tree, and the line that starts it under its name.
std::string scriptCounterSource()
{
    std::ifstream in(MAILROOM_BENCH_COUNTER_PATH, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " MAILROOM_BENCH_COUNTER_PATH);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str() + "\n{:ok, _} = GenServer.start(BenchCounter, :ok, name: BenchCounter)\n";
}

/// The same driver for both servers: `ready` (run in the driver process) returns a counter
/// that will tell the driver when it has handled `casts` casts; those casts from one process
/// are timed until it says so; then `calls` round trips, one after the other.
struct ServerFigures {
    double castsPerSecond = 0;
    std::vector<int64_t> callNs;
};

ServerFigures driveCounter(Runtime &rt, const std::function<Term()> &ready, int64_t casts, int64_t calls)
{
    ServerFigures figures;
    runDriver(rt, [&] {
        const Term server = ready();
        const int64_t start = nowNs();
        for (int64_t i = 0; i < casts; ++i)
            gen::cast(rt, server, incAtom());
        (void)proc::receive(isDone);
        figures.castsPerSecond = double(casts) * 1e9 / double(nowNs() - start);
        for (int64_t i = 0; i < std::min<int64_t>(1000, calls); ++i) // warm the pools and caches
            (void)gen::call(server, pingAtom());
        figures.callNs.reserve(size_t(calls));
        for (int64_t i = 0; i < calls; ++i) {
            const int64_t t = nowNs();
            (void)gen::call(server, pingAtom());
            figures.callNs.push_back(nowNs() - t);
        }
    });
    return figures;
}

/// A counter written in Elixir and run by Mailroom's interpreter, beside the C++ counter of
/// figures 1 and 2 under the same driver (the BEAM runs its compiled gen_server).
void scriptServer(const Sizes &sizes, const Output &out)
{
    {
        settleAllocator();
        Session session(defaultOptions());
        const EvalResult loaded = session.runFile(scriptCounterSource(), "bench_counter.ex");
        if (!loaded.ok)
            throw std::runtime_error("the Elixir counter did not start: " + loaded.text);
        const Pid pid = session.runtime().whereis(Term::atom("Elixir.BenchCounter").asAtom());
        if (!pid.isValid())
            throw std::runtime_error("BenchCounter is not registered");
        const Term server(pid);
        const Term arm = Term::tuple({ Term::atom("arm"), Term::integer(sizes.scriptCasts) });
        ServerFigures f = driveCounter(
            session.runtime(),
            [&] {
                (void)gen::call(server, arm);
                return server;
            },
            sizes.scriptCasts, sizes.scriptCalls);
        out.figure("script_cast", f.castsPerSecond);
        out.figure("script_call_p50", percentile(f.callNs, 0.5));
        out.figure("script_call_p99", percentile(f.callNs, 0.99));
    }
    FreshRuntime rt;
    ServerFigures f = driveCounter(
        rt, [&] { return Term(startServer(rt, std::make_shared<Counter>(sizes.scriptCasts, proc::self()))); },
        sizes.scriptCasts, sizes.scriptCalls);
    out.figure("script_cast_native", f.castsPerSecond);
    out.figure("script_call_native_p50", percentile(f.callNs, 0.5));
    out.figure("script_call_native_p99", percentile(f.callNs, 0.99));
}

} // namespace

void runMailroomWorkloads(const RunnerOptions &options, const Output &out)
{
    const Sizes sizes = sizesFor(options.mode);
    if (options.noRecord) {
        RuntimeOptions probe;
        if (!disableRecording(probe))
            throw std::runtime_error("--no-record: this runtime has no RuntimeOptions::recordEvents");
        g_noRecord = true;
        out.version("event record OFF in every workload (--no-record)");
    }
    if (options.schedulers != 0) {
        g_schedulers = options.schedulers;
        out.version(std::to_string(options.schedulers) + " scheduler thread(s) in every workload (--schedulers)");
    }
    // The memory figure first, before other workloads leave freed heap that malloc would
    // hand the servers without the RSS growing.
    if (options.wants("idle"))
        idleMemory(sizes.idle, out);
    // Figures 1-3 compare the runtimes: Mailroom with its record off against the BEAM with
    // nothing traced. Their watching rows (recorded against traced) come from figure 6.
    RuntimeOptions unrecorded = defaultOptions();
    (void)disableRecording(unrecorded);
    if (options.wants("cast")) {
        {
            FreshRuntime rt(unrecorded);
            out.figure("cast_1to1", castThroughput(rt, 1, sizes.casts).perSecond);
        }
        {
            FreshRuntime rt(unrecorded);
            out.figure("cast_2to1", castThroughput(rt, 2, sizes.casts).perSecond);
        }
    }
    if (options.wants("call")) {
        {
            FreshRuntime rt(unrecorded);
            auto samples = callLatencies(rt, sizes.calls);
            out.latency("call", samples);
        }
        // From outside the runtime, unrecorded and recorded (the GUI thread's calls are
        // always recorded).
        {
            FreshRuntime rt(unrecorded);
            auto samples = externalCallLatencies(rt, sizes.extCalls);
            out.latency("ext_call", samples);
        }
        if (!g_noRecord) {
            FreshRuntime rt;
            auto samples = externalCallLatencies(rt, sizes.extCalls);
            out.latency("ext_call_rec", samples);
        }
    }
    if (options.wants("ring")) {
        FreshRuntime rt(unrecorded);
        out.figure("ring_hops", ringHopsPerSecond(rt, sizes.ringSize, sizes.ringHops));
    }
    if (options.wants("spawn")) {
        FreshRuntime rt;
        out.figure("spawn_rate", spawnRate(rt, sizes.spawns, sizes.spawnWave));
    }
    if (options.wants("timers")) {
        {
            FreshRuntime rt;
            auto samples = timerLatenessSequential(rt, sizes.timerMs, sizes.timerReps);
            out.figure("timer1_p50", percentile(samples, 0.5));
            out.figure("timer1_p99", percentile(samples, 0.99));
            out.figure("timer1_max", percentile(samples, 1.0));
        }
        {
            FreshRuntime rt;
            auto samples = timerLatenessConcurrent(rt, sizes.timerMs, sizes.timerConcurrent);
            out.figure("timerN_p50", percentile(samples, 0.5));
            out.figure("timerN_p99", percentile(samples, 0.99));
            out.figure("timerN_max", percentile(samples, 1.0));
        }
    }
    if (options.wants("record"))
        recording(sizes, out);
    if (options.wants("script"))
        scriptServer(sizes, out);
}

std::string mailroomVersion(std::string_view gitRevision)
{
    std::string v = "Mailroom " MAILROOM_VERSION;
    if (!gitRevision.empty())
        v += " (" + std::string(gitRevision) + ")";
#if defined(__clang__)
    v += ", clang " __clang_version__;
#elif defined(__GNUC__)
    v += ", GCC " __VERSION__;
#endif
    v += ", Boost " + std::to_string(BOOST_VERSION / 100000) + "."
        + std::to_string(BOOST_VERSION / 100 % 1000);
#ifdef MAILROOM_ALLOCATOR
    v += ", " MAILROOM_ALLOCATOR;
#else
    v += ", glibc malloc";
#endif
#ifdef NDEBUG
    v += ", optimised";
#else
    v += ", NOT optimised (assertions on)";
#endif
    return v;
}

} // namespace mailroom::bench
