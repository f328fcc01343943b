// SPDX-License-Identifier: MIT
#pragma once

// A real runtime on a manual clock and an event bridge following it: what every model
// suite starts from. Tests advance virtual time instead of sleeping.

#include "eventbridge.h"
#include "genserver.h"
#include "native_servers.h"
#include "runtime.h"

#include <QtTest>
#include <atomic>
#include <memory>

namespace mailroom::testing {

inline RuntimeOptions manualClock()
{
    RuntimeOptions o;
    o.schedulers = 2;
    o.clockMode = Clock::Mode::Manual;
    o.output = [](Pid, std::string_view) {};
    o.errorReport = [](std::string_view) {};
    return o;
}

struct Fixture {
    explicit Fixture(RuntimeOptions options = manualClock())
        : runtime(std::move(options))
    {
        bridge.attach(&runtime);
    }
    ~Fixture() { bridge.attach(nullptr); }
    Fixture(const Fixture &) = delete;
    Fixture &operator=(const Fixture &) = delete;

    /// Runs `body` in a new process and waits for it to end.
    void run(std::function<void()> body)
    {
        SpawnOptions o;
        o.joinable = true;
        const Pid pid = runtime.spawn(std::move(body), o);
        if (!runtime.join(pid, 20'000))
            QFAIL("the process did not finish");
    }

    /// Starts a catalog server registered under its module name; its pid.
    Pid startServer(std::string_view module)
    {
        Pid pid;
        run([&] {
            const NativeServer *entry = findNativeServer(module);
            gen::StartOptions o;
            o.name = Atom::intern("Elixir." + std::string(module));
            const Term result = gen::start(proc::runtime(), entry->make(), entry->defaultArg, o);
            pid = result[1].asPid();
        });
        return pid;
    }

    /// Pumps the bridge (as frames would) until `done` holds; false after `timeoutMs`.
    template<typename Predicate> bool pumpUntil(Predicate done, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            bridge.pump(true);
            if (done())
                return true;
            if (timer.elapsed() > timeoutMs)
                return false;
            QTest::qWait(2);
        }
    }

    /// Waits (without pumping) until the log stops growing for a few ms: the runtime is idle
    /// and everything it did is readable, so one pump() then shows it as one frame.
    void waitIdle()
    {
        uint64_t last = ~uint64_t(0);
        int quiet = 0;
        while (quiet < 5) {
            const uint64_t end = runtime.events().end();
            quiet = end == last ? quiet + 1 : 0;
            last = end;
            QTest::qWait(2);
        }
    }

    /// waitIdle() then one frame.
    void settle()
    {
        waitIdle();
        bridge.pump(true);
    }

    /// A flood as the views see it: `frames` frames, each applying `perFrame` messages one
    /// process sends to `to`. Returns the number of messages sent.
    int flood(Pid to, int frames, int perFrame)
    {
        const Pid sender = runtime.spawn([to, perFrame] {
            while (proc::receive([](const Term &) { return true; })->term.isAtom("go"))
                for (int n = 0; n < perFrame; ++n)
                    proc::send(Term(to), Term::integer(n));
        });
        for (int i = 0; i < frames; ++i) {
            runtime.send(Term(sender), Term::atom("go"));
            settle();
        }
        runtime.send(Term(sender), Term::atom("done"));
        return frames * perFrame;
    }

    /// Pumps until `pid` sleeps. Its wake-up timer is armed by then: a process's events become
    /// readable when it switches out, after it armed the timer it waits on.
    bool untilSleeping(Pid pid)
    {
        return pumpUntil([&] {
            const ProcessRecord *p = bridge.view().process(pid);
            return p != nullptr && p->block == BlockKind::Sleep;
        });
    }

    /// Advances virtual time by `ms` once the runtime is idle, and lets it act on that.
    void advance(int64_t ms)
    {
        waitIdle(); // sleeps and timers started so far are armed before time moves
        runtime.advance(ms);
        settle();
    }

    Runtime runtime;
    EventBridge bridge;
};

} // namespace mailroom::testing
