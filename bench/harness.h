// SPDX-License-Identifier: MIT
#pragma once

// The benchmark harness shared by mailroom-bench and the CAF peer: workload sizes, the
// clock, percentiles, resident memory, and the line protocol every runner prints.
//
// A runner measures one round and prints, on stdout, one line per figure:
//     <figure id> TAB <value in base units: per second, nanoseconds or bytes>
// and lines starting with '#' for what is not a figure:
//     #version TAB <text>          what ran (one line per component)
//     #note TAB <figure id> TAB <text>   why a figure is missing or what limited it
// bench/run collects the rounds of every runner; `mailroom-bench --report` turns them
// into the table and build/bench/results.json. The harness prints figures and never
// judges them: no assertion depends on a timing.
//
// Header-only so the CAF peer (which does not link mailroom_core) shares it.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#ifdef MAILROOM_MIMALLOC
#include <mimalloc.h>
#else
#include <malloc.h>
#endif

namespace mailroom::bench {

/// Workload sizes. One set per mode; the BEAM peer gets the same numbers on its command
/// line (`mailroom-bench --sizes MODE`), so every system does the same work.
struct Sizes {
    int64_t casts = 0; ///< figure 1: casts to the counter (split between the senders)
    int64_t calls = 0; ///< figure 2: sequential calls between two processes
    int64_t extCalls = 0; ///< figure 2: sequential calls from a thread outside the runtime
    int64_t ringSize = 0; ///< figure 3: processes in the ring
    int64_t ringHops = 0; ///< figure 3: hops of the token
    int64_t spawns = 0; ///< figure 4: processes spawned (each exits at once)
    int64_t spawnWave = 0; ///< figure 4: at most this many alive at once
    int64_t idle = 0; ///< figure 4: idle GenServers held for the RSS figure
    int64_t timerMs = 0; ///< figure 5: the timers' delay
    int64_t timerReps = 0; ///< figure 5: one timer, this many times in a row
    int64_t timerConcurrent = 0; ///< figure 5: timers running at once
    int64_t recCasts = 0; ///< figure 6: casts measured with recording on and off
    int64_t recCalls = 0; ///< figure 6: calls measured with recording on and off
    int64_t recHops = 0; ///< figure 6: ring hops measured with recording on and off
    int64_t evCasts = 0; ///< figure 6: casts whose events must all be kept
    int64_t scriptCasts = 0; ///< figure 9: casts to a counter written in Elixir
    int64_t scriptCalls = 0; ///< figure 9: sequential calls to that counter
};

enum class Mode { Full,
    Quick,
    Smoke };

[[nodiscard]] inline Sizes sizesFor(Mode mode)
{
    switch (mode) {
    case Mode::Full:
        return { 10'000'000, 200'000, 20'000, 1000, 10'000'000, 100'000, 10'000, 100'000, 500, 8, 1000,
            2'000'000, 50'000, 2'000'000, 1'000'000, 1'000'000, 100'000 };
    case Mode::Quick:
        return { 50'000, 1000, 200, 1000, 50'000, 1000, 1000, 500, 10, 2, 100, 10'000, 500, 10'000, 5000, 20'000,
            1000 };
    case Mode::Smoke:
        break;
    }
    return { 2000, 100, 20, 10, 1000, 100, 50, 50, 1, 1, 10, 1000, 100, 1000, 500, 500, 50 };
}

/// The sizes as `key=value` words, for the BEAM peer's command line.
[[nodiscard]] inline std::string sizesArgs(const Sizes &s)
{
    const std::pair<const char *, int64_t> fields[] = {
        { "casts", s.casts },
        { "calls", s.calls },
        { "ext_calls", s.extCalls },
        { "ring_size", s.ringSize },
        { "ring_hops", s.ringHops },
        { "spawns", s.spawns },
        { "spawn_wave", s.spawnWave },
        { "idle", s.idle },
        { "timer_ms", s.timerMs },
        { "timer_reps", s.timerReps },
        { "timer_concurrent", s.timerConcurrent },
        { "rec_casts", s.recCasts },
        { "rec_calls", s.recCalls },
        { "rec_hops", s.recHops },
        { "ev_casts", s.evCasts },
        { "script_casts", s.scriptCasts },
        { "script_calls", s.scriptCalls },
    };
    std::string out;
    for (const auto &[key, value] : fields) {
        if (!out.empty())
            out += ' ';
        out += key;
        out += '=';
        out += std::to_string(value);
    }
    return out;
}

[[nodiscard]] inline int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// The value at quantile q (0..1) of `samples`, nearest rank. Sorts its argument.
[[nodiscard]] inline double percentile(std::vector<int64_t> &samples, double q)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    auto rank = static_cast<size_t>(q * double(samples.size()) + 0.999999);
    rank = std::clamp<size_t>(rank, 1, samples.size());
    return double(samples[rank - 1]);
}

/// Lets the allocator finish with what the previous workload freed before the next one
/// starts. mimalloc returns freed memory to the kernel some milliseconds after the free,
/// on whichever thread allocates next: measured here, a 32 MB madvise of 1.5 ms that a
/// scheduler made while firing the first timer after the ring's teardown. That time
/// belongs to no workload, so every runner calls this between workloads.
inline void settleAllocator()
{
#ifdef MAILROOM_MIMALLOC
    mi_collect(true);
#else
    (void)malloc_trim(0);
#endif
}

/// Resident memory of this process, from /proc/self/statm.
[[nodiscard]] inline int64_t residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    int64_t size = 0;
    int64_t resident = 0;
    statm >> size >> resident;
    return resident * int64_t(::sysconf(_SC_PAGESIZE));
}

/// Memory mappings this process has, and how many the kernel allows
/// (vm.max_map_count): every mmap'd stack with a guard page costs two.
[[nodiscard]] inline int64_t mapCount()
{
    std::ifstream maps("/proc/self/maps");
    int64_t lines = 0;
    for (std::string line; std::getline(maps, line);)
        ++lines;
    return lines;
}
[[nodiscard]] inline int64_t maxMapCount()
{
    std::ifstream f("/proc/sys/vm/max_map_count");
    int64_t n = 65530;
    f >> n;
    return n;
}

/// Prints the line protocol described at the top of this file. Flushes every line so a
/// runner that dies midway still leaves what it measured.
class Output {
public:
    void figure(std::string_view id, double value) const
    {
        std::printf("%.*s\t%.17g\n", int(id.size()), id.data(), value);
        std::fflush(stdout);
    }
    void note(std::string_view id, std::string_view text) const
    {
        std::printf("#note\t%.*s\t%.*s\n", int(id.size()), id.data(), int(text.size()), text.data());
        std::fflush(stdout);
    }
    void version(std::string_view text) const
    {
        std::printf("#version\t%.*s\n", int(text.size()), text.data());
        std::fflush(stdout);
    }
    /// The three latency quantiles of `samples` (ns) as id_p50, id_p99, id_p999.
    void latency(const std::string &id, std::vector<int64_t> &samples) const
    {
        figure(id + "_p50", percentile(samples, 0.50));
        figure(id + "_p99", percentile(samples, 0.99));
        figure(id + "_p999", percentile(samples, 0.999));
    }
};

/// The options every runner understands.
struct RunnerOptions {
    Mode mode = Mode::Full;
    std::vector<std::string> only; ///< workload names to run; empty = all
    bool noRecord = false; ///< Mailroom only: every workload with the event record off
    unsigned schedulers = 0; ///< Mailroom only: scheduler threads in every workload; 0 = one per core
    [[nodiscard]] bool wants(std::string_view workload) const
    {
        return only.empty() || std::find(only.begin(), only.end(), workload) != only.end();
    }
};

/// The workloads, in table order; `--only` takes a comma-separated list of these.
inline constexpr std::string_view kWorkloads[]
    = { "cast", "call", "ring", "spawn", "idle", "timers", "record", "script" };

/// Parses --quick, --smoke and --only=a,b; returns false on an unknown argument.
inline bool parseRunnerOption(std::string_view arg, RunnerOptions &options)
{
    if (arg == "--quick") {
        options.mode = Mode::Quick;
        return true;
    }
    if (arg == "--smoke") {
        options.mode = Mode::Smoke;
        return true;
    }
    if (arg.starts_with("--only=")) {
        std::string_view list = arg.substr(7);
        while (!list.empty()) {
            const size_t comma = list.find(',');
            options.only.emplace_back(list.substr(0, comma));
            list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        }
        return true;
    }
    return false;
}

} // namespace mailroom::bench
