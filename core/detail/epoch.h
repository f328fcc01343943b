// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace mailroom::detail {

/// Epoch-based reclamation: lets any thread look a process up by pid and touch it
/// without a lock while the process may be exiting on another thread. Memory retired
/// under epoch E is freed once no thread is still inside a guard entered at or before E.
class EpochManager {
public:
    EpochManager();
    ~EpochManager();
    EpochManager(const EpochManager &) = delete;
    EpochManager &operator=(const EpochManager &) = delete;

    /// While a Guard lives, retired objects stay valid. Nestable. Any thread.
    class Guard {
    public:
        explicit Guard(EpochManager &m);
        ~Guard();
        Guard(const Guard &) = delete;
        Guard &operator=(const Guard &) = delete;

    private:
        EpochManager &m_manager;
        int m_slot;
        bool m_outer;
    };

    /// Frees `object` with `deleter` once no guard can still see it. Any thread.
    void retire(void *object, void (*deleter)(void *));
    /// Frees what can be freed now. Any thread.
    void collect();

private:
    static constexpr int kSlots = 128;
    struct alignas(64) Slot {
        std::atomic<uint64_t> active{ 0 }; // epoch entered, 0 when outside
        std::atomic<bool> claimed{ false };
        int depth = 0; // only the claiming thread touches it
    };
    int slotForThisThread();
    struct Retired {
        void *object;
        void (*deleter)(void *);
        uint64_t epoch;
    };

    const uint64_t m_id; // tells managers apart in threads' slot caches, even at a reused address
    std::atomic<uint64_t> m_epoch{ 1 };
    std::array<Slot, kSlots> m_slots;
    std::mutex m_retiredMutex; // protects m_retired
    std::vector<Retired> m_retired;
};

} // namespace mailroom::detail
