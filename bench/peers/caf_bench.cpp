// SPDX-License-Identifier: MIT
// mailroom-bench-caf: the workloads of docs/performance.md written for CAF 0.17 (Debian's
// libcaf-dev), printing figures in the harness's line protocol. The same work as
// bench/workloads.cpp, in CAF's idiom: event-based actors, request/then for calls, a
// scoped_actor for the thread outside the actor system. CAF has no event record, so
// figure 6 has no CAF column.
//
//   mailroom-bench-caf [--quick|--smoke] [--only=cast,call,...]

#include "harness.h"

#include <algorithm>
#include <caf/all.hpp>
#include <thread>

namespace {

using namespace caf;
using mailroom::bench::nowNs;
using mailroom::bench::Output;
using mailroom::bench::percentile;

using inc_atom = atom_constant<atom("inc")>;
using ping_atom = atom_constant<atom("ping")>;
using pong_atom = atom_constant<atom("pong")>;
using done_atom = atom_constant<atom("done")>;
using tick_atom = atom_constant<atom("tick")>;

// Figure 1 -------------------------------------------------------------------------------

struct CounterState {
    int64_t count = 0;
};

/// Counts casts, tells `notify` when it reaches `target`, answers :ping with :pong.
behavior counter(stateful_actor<CounterState> *self, int64_t target, actor notify)
{
    return {
        [=](inc_atom) {
            if (++self->state.count == target)
                self->send(notify, done_atom::value);
        },
        [](ping_atom) { return pong_atom::value; },
    };
}

double castThroughput(actor_system &sys, int senders, int64_t casts)
{
    scoped_actor driver{ sys };
    const int64_t share = casts / senders;
    const actor server = sys.spawn(counter, share * senders, actor_cast<actor>(driver));
    const int64_t start = nowNs();
    for (int s = 0; s < senders; ++s)
        sys.spawn([server, share](event_based_actor *self) {
            for (int64_t i = 0; i < share; ++i)
                self->send(server, inc_atom::value);
        });
    driver->receive([](done_atom) {});
    const double perSecond = double(share * senders) * 1e9 / double(nowNs() - start);
    anon_send_exit(server, exit_reason::user_shutdown);
    return perSecond;
}

// Figure 2 -------------------------------------------------------------------------------

struct ClientState {
    actor server;
    actor notify;
    std::vector<int64_t> *samples = nullptr;
    int64_t warmUp = 0;
    int64_t left = 0;
    int64_t start = 0;
};

void nextCall(stateful_actor<ClientState> *self)
{
    self->state.start = nowNs();
    self->request(self->state.server, infinite, ping_atom::value).then([self](pong_atom) {
        ClientState &st = self->state;
        if (st.warmUp > 0)
            --st.warmUp;
        else {
            st.samples->push_back(nowNs() - st.start);
            --st.left;
        }
        if (st.left > 0) {
            nextCall(self);
        } else {
            self->send(st.notify, done_atom::value);
            self->quit();
        }
    });
}

/// Sequential request/response round trips from one actor to another.
behavior client(stateful_actor<ClientState> *self, actor server, int64_t calls, std::vector<int64_t> *samples,
    actor notify)
{
    self->state.server = std::move(server);
    self->state.notify = std::move(notify);
    self->state.samples = samples;
    self->state.warmUp = std::min<int64_t>(1000, calls);
    self->state.left = calls;
    nextCall(self);
    return { [](done_atom) {} };
}

std::vector<int64_t> callLatencies(actor_system &sys, int64_t calls)
{
    std::vector<int64_t> samples;
    samples.reserve(size_t(calls));
    scoped_actor driver{ sys };
    const actor server = sys.spawn(counter, int64_t(0), actor_cast<actor>(driver));
    sys.spawn(client, server, calls, &samples, actor_cast<actor>(driver));
    driver->receive([](done_atom) {});
    anon_send_exit(server, exit_reason::user_shutdown);
    return samples;
}

/// From a thread outside the actor system: CAF's scoped_actor, a blocking request.
std::vector<int64_t> externalCallLatencies(actor_system &sys, int64_t calls)
{
    std::vector<int64_t> samples;
    samples.reserve(size_t(calls));
    scoped_actor self{ sys };
    const actor server = sys.spawn(counter, int64_t(0), actor_cast<actor>(self));
    const int64_t warmUp = std::min<int64_t>(100, calls);
    for (int64_t i = 0; i < warmUp + calls; ++i) {
        const int64_t start = nowNs();
        self->request(server, infinite, ping_atom::value).receive([](pong_atom) {}, [](error &) {});
        if (i >= warmUp)
            samples.push_back(nowNs() - start);
    }
    anon_send_exit(server, exit_reason::user_shutdown);
    return samples;
}

// Figure 3 -------------------------------------------------------------------------------

behavior ringNode(event_based_actor *self, actor driver)
{
    return { [=](actor next) {
        self->become([=](int64_t left) {
            if (left == 0)
                self->send(driver, done_atom::value);
            else
                self->send(next, left - 1);
        });
    } };
}

double ringHopsPerSecond(actor_system &sys, int64_t size, int64_t hops)
{
    scoped_actor driver{ sys };
    std::vector<actor> ring;
    for (int64_t i = 0; i < size; ++i)
        ring.push_back(sys.spawn(ringNode, actor_cast<actor>(driver)));
    for (int64_t i = 0; i < size; ++i)
        driver->send(ring[size_t(i)], ring[size_t((i + 1) % size)]);
    const int64_t start = nowNs();
    driver->send(ring[0], hops);
    driver->receive([](done_atom) {});
    const double perSecond = double(hops) * 1e9 / double(nowNs() - start);
    for (const actor &node : ring)
        anon_send_exit(node, exit_reason::user_shutdown);
    return perSecond;
}

// Figure 4 -------------------------------------------------------------------------------

struct SpawnerState {
    int64_t spawned = 0;
    int64_t pending = 0;
    int64_t start = 0;
};

void spawnChild(event_based_actor *self, actor parent)
{
    self->send(parent, done_atom::value);
}

/// Spawns `spawns` actors in waves of `wave`; each sends :done and terminates.
behavior spawner(stateful_actor<SpawnerState> *self, int64_t spawns, int64_t wave, actor notify)
{
    auto launch = [self, spawns, wave] {
        const int64_t n = std::min(wave, spawns - self->state.spawned);
        for (int64_t i = 0; i < n; ++i)
            self->spawn(spawnChild, actor_cast<actor>(self));
        self->state.spawned += n;
        self->state.pending = n;
    };
    self->state.start = nowNs();
    launch();
    return { [self, spawns, notify, launch](done_atom) {
        if (--self->state.pending > 0)
            return;
        if (self->state.spawned < spawns) {
            launch();
            return;
        }
        self->send(notify, nowNs() - self->state.start);
        self->quit();
    } };
}

double spawnRate(actor_system &sys, int64_t spawns, int64_t wave)
{
    scoped_actor driver{ sys };
    sys.spawn(spawner, spawns, wave, actor_cast<actor>(driver));
    int64_t elapsed = 1;
    driver->receive([&](int64_t ns) { elapsed = ns; });
    return double(spawns) * 1e9 / double(elapsed);
}

/// An idle actor with one handler; tells `ready` once initialised (as GenServer.start
/// waits for init).
behavior idleActor(event_based_actor *self, actor ready)
{
    self->send(ready, done_atom::value);
    return { [](ping_atom) {} };
}

void idleMemory(actor_system &sys, int64_t count, const Output &out)
{
    scoped_actor driver{ sys };
    std::vector<actor> actors;
    actors.reserve(size_t(count));
    const int64_t before = mailroom::bench::residentBytes();
    const int64_t start = nowNs();
    for (int64_t i = 0; i < count; ++i) {
        actors.push_back(sys.spawn(idleActor, actor_cast<actor>(driver)));
        driver->receive([](done_atom) {});
    }
    const double startsPerSecond = double(count) * 1e9 / double(nowNs() - start);
    out.figure("rss_per_genserver", double(mailroom::bench::residentBytes() - before) / double(count));
    out.figure("genserver_start_rate", startsPerSecond);
    for (const actor &a : actors)
        anon_send_exit(a, exit_reason::kill);
}

// Figure 5 -------------------------------------------------------------------------------

struct TimerState {
    int64_t start = 0;
    int64_t left = 0;
};

/// Sets a delayed message to itself `reps` times in a row and reports each lateness (ns)
/// to `driver`, then :done.
behavior timerActor(stateful_actor<TimerState> *self, int64_t ms, int64_t reps, actor driver)
{
    auto arm = [self, ms] {
        self->state.start = nowNs();
        self->delayed_send(self, std::chrono::milliseconds(ms), tick_atom::value);
    };
    self->state.left = reps;
    arm();
    return { [self, ms, driver, arm](tick_atom) {
        self->send(driver, nowNs() - self->state.start - ms * 1'000'000);
        if (--self->state.left > 0) {
            arm();
            return;
        }
        self->quit();
    } };
}

std::vector<int64_t> timerLateness(actor_system &sys, int64_t ms, int64_t actors, int64_t reps)
{
    scoped_actor driver{ sys };
    for (int64_t i = 0; i < actors; ++i)
        sys.spawn(timerActor, ms, reps, actor_cast<actor>(driver));
    std::vector<int64_t> samples;
    for (int64_t i = 0; i < actors * reps; ++i)
        driver->receive([&](int64_t late) { samples.push_back(late); });
    return samples;
}

void runAll(const mailroom::bench::RunnerOptions &options, const Output &out)
{
    const mailroom::bench::Sizes sizes = mailroom::bench::sizesFor(options.mode);
    actor_system_config cfg;
    // One worker per core, as Mailroom's schedulers and the BEAM's (CAF's default is at
    // least four).
    cfg.set("scheduler.max-threads", size_t(std::max(1U, std::thread::hardware_concurrency())));
    actor_system sys{ cfg };
    // The memory figure first, before other workloads leave freed heap behind.
    if (options.wants("idle"))
        idleMemory(sys, sizes.idle, out);
    // As Mailroom's runner: each workload starts once the allocator has finished with what
    // the one before freed.
    using mailroom::bench::settleAllocator;
    if (options.wants("cast")) {
        settleAllocator();
        out.figure("cast_1to1", castThroughput(sys, 1, sizes.casts));
        settleAllocator();
        out.figure("cast_2to1", castThroughput(sys, 2, sizes.casts));
    }
    if (options.wants("call")) {
        settleAllocator();
        auto samples = callLatencies(sys, sizes.calls);
        out.latency("call", samples);
        settleAllocator();
        auto external = externalCallLatencies(sys, sizes.extCalls);
        out.latency("ext_call", external);
        for (const char *id : { "ext_call_rec_p50", "ext_call_rec_p99", "ext_call_rec_p999" })
            out.note(id, "CAF 0.17 has no event record (its logging is compiled out of Debian's build)");
    }
    if (options.wants("ring")) {
        settleAllocator();
        out.figure("ring_hops", ringHopsPerSecond(sys, sizes.ringSize, sizes.ringHops));
    }
    if (options.wants("spawn")) {
        settleAllocator();
        out.figure("spawn_rate", spawnRate(sys, sizes.spawns, sizes.spawnWave));
    }
    if (options.wants("timers")) {
        settleAllocator();
        auto one = timerLateness(sys, sizes.timerMs, 1, sizes.timerReps);
        out.figure("timer1_p50", percentile(one, 0.5));
        out.figure("timer1_p99", percentile(one, 0.99));
        out.figure("timer1_max", percentile(one, 1.0));
        settleAllocator();
        auto many = timerLateness(sys, sizes.timerMs, sizes.timerConcurrent, 1);
        out.figure("timerN_p50", percentile(many, 0.5));
        out.figure("timerN_p99", percentile(many, 0.99));
        out.figure("timerN_max", percentile(many, 1.0));
    }
    if (options.wants("record"))
        for (const char *id : { "rec_cast_on", "rec_cast_off", "rec_cast_slowdown", "rec_cast2_on", "rec_cast2_off",
                 "rec_cast2_slowdown", "rec_call_on_p50", "rec_call_on_p99", "rec_call_on_p999", "rec_call_off_p50",
                 "rec_call_off_p99", "rec_call_off_p999", "rec_call_slowdown", "rec_ring_on", "rec_ring_off",
                 "rec_ring_slowdown", "events_per_s" })
            out.note(id, "CAF 0.17 has no event record (its logging is compiled out of Debian's build)");
    if (options.wants("script"))
        for (const char *id : { "script_cast", "script_call_p50", "script_call_p99", "script_cast_native",
                 "script_call_native_p50", "script_call_native_p99" })
            out.note(id, "CAF actors are C++ only: there is no Elixir to run");
}

} // namespace

int main(int argc, char **argv)
{
    mailroom::bench::RunnerOptions options;
    for (int i = 1; i < argc; ++i)
        if (!mailroom::bench::parseRunnerOption(argv[i], options)) {
            std::fprintf(stderr, "usage: mailroom-bench-caf [--quick|--smoke] [--only=LIST]\n");
            return 2;
        }
    const Output out;
    out.version("CAF " + std::to_string(CAF_MAJOR_VERSION) + "." + std::to_string(CAF_MINOR_VERSION) + "."
        + std::to_string(CAF_PATCH_VERSION) + " (work-stealing scheduler, "
        + std::to_string(std::max(1U, std::thread::hardware_concurrency())) + " workers, "
#ifdef MAILROOM_ALLOCATOR
        MAILROOM_ALLOCATOR
#else
                                                                              "glibc malloc"
#endif
                                                                              ")");
    runAll(options, out);
    return 0;
}
