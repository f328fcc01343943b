// SPDX-License-Identifier: MIT
#pragma once

// Shared by the reliability suites: a runtime on the manual clock that collects what
// processes print and what the runtime reports, and helpers to run and wait for processes.

#include "genserver.h"
#include "runtime.h"
#include "script/session.h"

#include <QtTest>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace reliability {

using namespace mailroom;

/// What processes printed (IO.puts, *DBG*) and what the runtime reported (crash reports).
struct Captured {
    std::mutex mutex; // protects lines and reports
    std::vector<std::string> lines;
    std::vector<std::string> reports;

    [[nodiscard]] std::vector<std::string> printed()
    {
        std::lock_guard lock(mutex);
        return lines;
    }
    [[nodiscard]] std::vector<std::string> reported()
    {
        std::lock_guard lock(mutex);
        return reports;
    }
    /// Whether any report holds `text`.
    [[nodiscard]] bool reportHas(std::string_view text)
    {
        std::lock_guard lock(mutex);
        for (const auto &r : reports)
            if (r.find(text) != std::string::npos)
                return true;
        return false;
    }
};

/// Options for a runtime whose output goes to `captured`; the manual clock unless `mode` says.
inline RuntimeOptions options(
    Captured &captured, Clock::Mode mode = Clock::Mode::Manual, unsigned schedulers = 2)
{
    RuntimeOptions o;
    o.schedulers = schedulers;
    o.clockMode = mode;
    o.output = [&captured](Pid, std::string_view text) {
        std::lock_guard lock(captured.mutex);
        captured.lines.emplace_back(text);
    };
    o.errorReport = [&captured](std::string_view text) {
        std::lock_guard lock(captured.mutex);
        captured.reports.emplace_back(text);
    };
    return o;
}

/// Spawns `body` joinable; its pid.
inline Pid spawnJoinable(Runtime &rt, std::function<void()> body)
{
    SpawnOptions o;
    o.joinable = true;
    return rt.spawn(std::move(body), o);
}

/// Waits for a joinable process to end; its exit reason. A hang fails the whole suite at once.
inline Term joinOrDie(Runtime &rt, Pid pid)
{
    auto reason = rt.join(pid, 60'000);
    if (!reason)
        qFatal("process %s did not finish", Term(pid).inspect().c_str());
    return *reason;
}

/// Runs `body` as a process and waits for it to end; its exit reason.
inline Term runProcess(Runtime &rt, std::function<void()> body)
{
    return joinOrDie(rt, spawnJoinable(rt, std::move(body)));
}

/// Runs `body` (inside a process) and returns the reason it exited with, or :did_not_exit.
/// Exit signals (a kill, the runtime shutting down) pass through: swallowing one would keep a
/// killed process running, and Runtime's destructor would wait for it forever.
inline Term exitReasonOf(const std::function<void()> &body)
{
    try {
        body();
    } catch (const ExitSignal &) {
        throw;
    } catch (const ProcessExit &e) {
        return e.reason();
    }
    return Term::atom("did_not_exit");
}

/// {GenServer, :call, [server, request, timeout]}: the second half of a call's exit reason.
inline Term callMfa(const Term &server, const Term &request, const Term &timeout)
{
    return Term::tuple(
        { Term::atom("Elixir.GenServer"), Term::atom("call"), Term::list({ server, request, timeout }) });
}

/// Starts `server` from a non-process thread (unlinked, optionally named); its pid.
inline Pid startServer(
    Runtime &rt, std::shared_ptr<GenServer> server, Term arg = {}, std::optional<Atom> name = {})
{
    gen::StartOptions o;
    o.name = name;
    const Term result = gen::start(rt, std::move(server), std::move(arg), o);
    if (!result.isTuple(2) || !result[0].isAtom("ok"))
        qFatal("start failed: %s", result.inspect().c_str());
    return result[1].asPid();
}

/// Every event the record still holds, oldest first.
inline std::vector<Event> keptEvents(Runtime &rt)
{
    std::vector<Event> events;
    // Read in slices: EventLog::read(from, SIZE_MAX) overflows `from + max` and reads nothing.
    uint64_t next = 0;
    for (;;) {
        const uint64_t after = rt.events().read(next, size_t(1) << 20U, events);
        if (after == next)
            return events;
        next = after;
    }
}

/// Waits (real time, bounded) until `pid` has `count` messages waiting.
inline bool waitForQueue(Runtime &rt, Pid pid, size_t count)
{
    QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        if (rt.messageQueueLen(pid).value_or(size_t(-1)) == count)
            return true;
        QTest::qWait(2);
    }
    return false;
}

/// Waits (real time, bounded) until `pid` records a BlockBegin it has not ended: it is parked
/// in a receive, a call or a sleep, so a manual clock step cannot race it.
inline bool waitBlocked(Runtime &rt, Pid pid)
{
    QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        const std::vector<Event> events = keptEvents(rt);
        bool blocked = false;
        for (const Event &e : events) {
            if (!(e.pid == pid))
                continue;
            if (e.type == EventType::BlockBegin)
                blocked = true;
            else if (e.type == EventType::BlockEnd || e.type == EventType::Exit)
                blocked = false;
        }
        if (blocked)
            return true;
        QTest::qWait(2);
    }
    return false;
}

/// Waits until every timer due at the clock's present time has fired: a 0 ms timer set now
/// fires after them (one thread fires at a time, earliest deadline first).
inline bool waitTimersFired(Runtime &rt)
{
    SpawnOptions o;
    o.joinable = true;
    const Pid probe = rt.spawn([] { (void)proc::receive([](const Term &) { return true; }); }, o);
    (void)rt.sendAfter(Term(probe), Term::atom("probe"), 0);
    return rt.join(probe, 30'000).has_value();
}

/// Waits (real time, bounded) until `pid` is parked in a receive or sleep with its timeout
/// armed (Runtime::waitingOnTimer): a manual clock step before then would count the
/// deadline from the later time. A BlockBegin alone says less: it is recorded before the
/// timer is armed.
inline bool waitTimed(Runtime &rt, Pid pid)
{
    QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        if (rt.waitingOnTimer(pid))
            return true;
        QTest::qWait(1);
    }
    return false;
}

/// Waits (real time, bounded) until the event record stops growing: every scheduler has
/// published its buffer and parked.
inline bool waitRecordSettled(Runtime &rt)
{
    QDeadlineTimer deadline(30'000);
    uint64_t last = rt.events().end();
    while (!deadline.hasExpired()) {
        QTest::qWait(50);
        const uint64_t now = rt.events().end();
        if (now == last)
            return true;
        last = now;
    }
    return false;
}

/// A script evaluation's result, or nullopt when it did not finish within `seconds`.
inline std::optional<EvalResult> evaluate(
    Session &session, const std::string &code, bool fresh = false, int seconds = 60)
{
    auto promise = std::make_shared<std::promise<EvalResult>>();
    auto future = promise->get_future();
    session.evaluate(code, fresh, [promise](const EvalResult &r) { promise->set_value(r); });
    if (future.wait_for(std::chrono::seconds(seconds)) != std::future_status::ready)
        return std::nullopt;
    return future.get();
}

} // namespace reliability
