// SPDX-License-Identifier: MIT
#include "detail/epoch.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace mailroom::detail {

namespace {
// A thread's slot per manager; threads rarely meet more than one runtime.
struct ThreadSlots {
    std::vector<std::pair<uint64_t, int>> slots; // manager id -> slot
};
thread_local ThreadSlots tl_slots;
std::atomic<uint64_t> g_nextManagerId{ 1 };
} // namespace

EpochManager::EpochManager()
    : m_id(g_nextManagerId.fetch_add(1)) {}

EpochManager::~EpochManager()
{
    for (auto &r : m_retired)
        r.deleter(r.object);
}

int EpochManager::slotForThisThread()
{
    for (const auto &[manager, slot] : tl_slots.slots)
        if (manager == m_id)
            return slot;
    for (int i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (m_slots[size_t(i)].claimed.compare_exchange_strong(expected, true)) {
            tl_slots.slots.emplace_back(m_id, i);
            return i;
        }
    }
    throw std::runtime_error("too many threads use the runtime at once");
}

EpochManager::Guard::Guard(EpochManager &m)
    : m_manager(m), m_slot(m.slotForThisThread())
{
    Slot &slot = m_manager.m_slots[size_t(m_slot)];
    m_outer = slot.depth++ == 0;
    if (m_outer)
        slot.active.store(m_manager.m_epoch.load(std::memory_order_seq_cst), std::memory_order_seq_cst);
}

EpochManager::Guard::~Guard()
{
    Slot &slot = m_manager.m_slots[size_t(m_slot)];
    --slot.depth;
    if (m_outer)
        slot.active.store(0, std::memory_order_release);
}

void EpochManager::retire(void *object, void (*deleter)(void *))
{
    bool doCollect = false;
    {
        std::lock_guard lock(m_retiredMutex);
        m_retired.push_back({ object, deleter, m_epoch.fetch_add(1, std::memory_order_seq_cst) });
        doCollect = m_retired.size() >= 64;
    }
    if (doCollect)
        collect();
}

void EpochManager::collect()
{
    uint64_t oldestActive = UINT64_MAX;
    for (const auto &slot : m_slots)
        if (const uint64_t e = slot.active.load(std::memory_order_seq_cst); e != 0)
            oldestActive = std::min(oldestActive, e);
    std::vector<Retired> ready;
    {
        std::lock_guard lock(m_retiredMutex);
        auto keep = std::partition(m_retired.begin(), m_retired.end(),
            [&](const Retired &r) { return r.epoch >= oldestActive; });
        ready.assign(keep, m_retired.end());
        m_retired.erase(keep, m_retired.end());
    }
    for (auto &r : ready)
        r.deleter(r.object);
}

} // namespace mailroom::detail
