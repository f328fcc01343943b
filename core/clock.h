// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace mailroom {

/// The runtime's clock: virtual time in nanoseconds since the runtime started.
/// In Real mode it follows the monotonic clock scaled by a speed factor (1.0 = real
/// time; 0.1 = slow motion; 0 = time stands still). In Manual mode it moves only
/// when advance() is called, so tests step time instead of sleeping.
/// All functions are thread-safe; now() takes no lock (it is on every event's path).
class Clock {
public:
    enum class Mode { Real,
        Manual };
    using RealTime = std::chrono::steady_clock::time_point;

    explicit Clock(Mode mode = Mode::Real, double speed = 1.0);

    [[nodiscard]] Mode mode() const { return m_mode; }
    /// Virtual nanoseconds since start.
    [[nodiscard]] int64_t now() const;
    [[nodiscard]] double speed() const;
    /// Changes the speed from now on; time already passed is kept.
    void setSpeed(double speed);
    /// Manual mode: moves virtual time forward by `ns`.
    void advance(int64_t ns);
    /// The real instant at which virtual time reaches `virtualNs` at the current speed;
    /// RealTime::max() when it never will (speed 0 or Manual mode).
    [[nodiscard]] RealTime realDeadline(int64_t virtualNs) const;
    /// The real time virtual time follows: RealTime's nanoseconds since its epoch.
    [[nodiscard]] static int64_t realNs();
    /// The CPU's time-stamp counter: cheaper to read than realNs(), in units of its own.
    /// Only meaningful when ticksAreSteady(); then it counts at a constant rate, also while
    /// the core sleeps (what EventLog::Buffer relies on to map ticks onto the clock).
    [[nodiscard]] static uint64_t ticks()
    {
#if defined(__x86_64__) || defined(__i386__)
        return __rdtsc();
#else
        return 0;
#endif
    }
    /// Whether the CPU says its time-stamp counter is invariant (CPUID 0x80000007, EDX bit 8).
    [[nodiscard]] static bool ticksAreSteady();

private:
    struct Params {
        int64_t baseReal; // steady_clock ns at the last rebase
        int64_t baseVirtual; // virtual ns at the last rebase
        double speed;
    };
    [[nodiscard]] Params load() const;
    void store(const Params &p);
    [[nodiscard]] int64_t virtualAt(const Params &p, int64_t real) const;

    const Mode m_mode;
    std::mutex m_writeMutex; // serialises writers of the parameters below
    // A seqlock: odd while a writer is changing the parameters.
    std::atomic<uint64_t> m_version{ 0 };
    std::atomic<int64_t> m_baseReal{ 0 };
    std::atomic<int64_t> m_baseVirtual{ 0 };
    std::atomic<double> m_speed{ 1.0 };
};

} // namespace mailroom
