// SPDX-License-Identifier: MIT
#include "clock.h"

#include <cmath>
#include <limits>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace mailroom {

Clock::Clock(Mode mode, double speed)
    : m_mode(mode)
{
    store({ realNs(), 0, speed < 0 ? 0 : speed });
}

int64_t Clock::realNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool Clock::ticksAreSteady()
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx) == 0)
        return false;
    return (edx & (1U << 8)) != 0;
#else
    return false;
#endif
}

Clock::Params Clock::load() const
{
    for (;;) {
        const uint64_t before = m_version.load(std::memory_order_acquire);
        if (before % 2 != 0)
            continue;
        // Acquire loads keep the re-read of the version after the field reads.
        Params p{ m_baseReal.load(std::memory_order_acquire), m_baseVirtual.load(std::memory_order_acquire),
            m_speed.load(std::memory_order_acquire) };
        if (m_version.load(std::memory_order_relaxed) == before)
            return p;
    }
}

void Clock::store(const Params &p)
{
    m_version.fetch_add(1, std::memory_order_acq_rel);
    m_baseReal.store(p.baseReal, std::memory_order_relaxed);
    m_baseVirtual.store(p.baseVirtual, std::memory_order_relaxed);
    m_speed.store(p.speed, std::memory_order_relaxed);
    m_version.fetch_add(1, std::memory_order_release);
}

int64_t Clock::virtualAt(const Params &p, int64_t real) const
{
    if (m_mode == Mode::Manual)
        return p.baseVirtual;
    const int64_t elapsed = real - p.baseReal;
    if (p.speed == 1.0)
        return p.baseVirtual + elapsed;
    return p.baseVirtual + static_cast<int64_t>(std::llround(static_cast<double>(elapsed) * p.speed));
}

int64_t Clock::now() const { return virtualAt(load(), realNs()); }

double Clock::speed() const { return load().speed; }

void Clock::setSpeed(double speed)
{
    std::lock_guard lock(m_writeMutex);
    const int64_t real = realNs();
    const Params p = load();
    store({ real, virtualAt(p, real), speed < 0 ? 0 : speed });
}

void Clock::advance(int64_t ns)
{
    std::lock_guard lock(m_writeMutex);
    if (m_mode != Mode::Manual || ns <= 0)
        return;
    Params p = load();
    p.baseVirtual += ns;
    store(p);
}

Clock::RealTime Clock::realDeadline(int64_t virtualNs) const
{
    const Params p = load();
    if (m_mode == Mode::Manual || p.speed <= 0)
        return RealTime::max();
    const int64_t real = realNs();
    const int64_t remaining = virtualNs - virtualAt(p, real);
    const double wait = remaining <= 0 ? 0.0 : static_cast<double>(remaining) / p.speed;
    // Further than the clock counts (a huge timer in slow motion: 10^11 ms at 0.01x): never.
    // The cast used to overflow into a deadline in the past, and the timer thread spun on it.
    if (wait >= static_cast<double>(std::numeric_limits<int64_t>::max() - real))
        return RealTime::max();
    return RealTime(std::chrono::nanoseconds(real + static_cast<int64_t>(wait)));
}

} // namespace mailroom
