// SPDX-License-Identifier: MIT
#include "world.h"

#include "labels.h"

#include <algorithm>

namespace mailroom {

// RateMeter ===================================================================

void RateMeter::add(int64_t timeNs, uint32_t n)
{
    const int64_t bucket = timeNs / kBucketNs + 1;
    const auto slot = static_cast<size_t>(bucket % int64_t(m_bucket.size()));
    if (m_bucket[slot] != bucket) {
        m_bucket[slot] = bucket;
        m_count[slot] = 0;
    }
    m_count[slot] += n;
}

double RateMeter::perSecond(int64_t nowNs) const
{
    const int64_t current = nowNs / kBucketNs + 1;
    uint64_t total = 0;
    for (size_t i = 0; i < m_bucket.size(); ++i)
        if (m_bucket[i] != 0 && m_bucket[i] > current - int64_t(m_bucket.size()) && m_bucket[i] <= current)
            total += m_count[i];
    return double(total);
}

// Helpers =====================================================================

std::string nameText(Atom name)
{
    const std::string_view text = name.name();
    if (text.starts_with("Elixir."))
        return std::string(text.substr(7));
    return ":" + std::string(text);
}

TraceCategory categoryOf(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Call:
        return TraceCategory::Call;
    case MessageKind::Cast:
        return TraceCategory::Cast;
    case MessageKind::Reply:
        return TraceCategory::Reply;
    case MessageKind::System:
        return TraceCategory::System;
    case MessageKind::Info:
        return TraceCategory::Info;
    }
    return TraceCategory::Info;
}

std::string shortInspect(const Term &term, size_t maxChars)
{
    // A big term (a long list state) is pruned before it is printed, not printed and cut.
    return inspectShort(term, maxChars);
}

// WorldState ==================================================================

const ProcessRecord *WorldState::process(Pid pid) const
{
    const auto it = m_index.find(pid.number);
    return it == m_index.end() ? nullptr : &m_processes[it->second];
}

const ProcessRecord *WorldState::processNamed(std::string_view name) const
{
    if (name.empty())
        return nullptr;
    const ProcessRecord *found = nullptr;
    for (const auto &p : m_processes) {
        const auto matches = [&](const std::optional<Atom> &atom) {
            if (!atom)
                return false;
            const std::string_view n = atom->name();
            return n == name || (n.starts_with("Elixir.") && n.substr(7) == name);
        };
        if (matches(p.name))
            return &p; // the live holder of the name wins
        if (matches(p.formerName))
            found = &p; // else the latest process that had it
    }
    return found;
}

ProcessRecord *WorldState::mutableProcess(Pid pid)
{
    const auto it = m_index.find(pid.number);
    return it == m_index.end() ? nullptr : &m_processes[it->second];
}

ProcessRecord &WorldState::addProcess(Pid pid)
{
    if (ProcessRecord *existing = mutableProcess(pid))
        return *existing;
    m_index.emplace(pid.number, m_processes.size());
    m_processes.emplace_back();
    m_processes.back().pid = pid;
    ++m_structureVersion;
    return m_processes.back();
}

std::string WorldState::displayName(Pid pid) const
{
    if (!pid.isValid())
        return "(outside)";
    if (const ProcessRecord *p = process(pid)) {
        if (p->name)
            return nameText(*p->name);
        if (p->formerName)
            return nameText(*p->formerName);
    }
    return pidText(pid);
}

void WorldState::addTimer(TimerRecord timer)
{
    const auto at = std::upper_bound(m_timers.begin(), m_timers.end(), timer.deadlineNs,
        [](int64_t deadline, const TimerRecord &t) { return deadline < t.deadlineNs; });
    m_timers.insert(at, std::move(timer));
    ++m_timersVersion;
}

void WorldState::removeTimer(uint64_t ref)
{
    const auto it = std::find_if(
        m_timers.begin(), m_timers.end(), [ref](const TimerRecord &t) { return t.ref == ref; });
    if (it == m_timers.end())
        return;
    m_timers.erase(it);
    ++m_timersVersion;
}

void WorldState::processExited()
{
    ++m_exitedCount;
    // Forgotten in batches so that a flood of short-lived processes costs O(1) each.
    if (m_exitedCount <= 2 * kKeptExited)
        return;
    size_t toForget = m_exitedCount - kKeptExited;
    std::erase_if(m_processes, [&](const ProcessRecord &p) {
        if (toForget == 0 || !p.exited)
            return false;
        --toForget;
        --m_exitedCount;
        return true;
    });
    reindex();
    ++m_structureVersion;
}

void WorldState::reindex()
{
    m_index.clear();
    for (size_t i = 0; i < m_processes.size(); ++i)
        m_index.emplace(m_processes[i].pid.number, i);
}

// History =====================================================================

History::History(size_t eventBudget)
    : m_budget(std::max<size_t>(eventBudget, 1024))
{
}

const Event *History::event(uint64_t seq) const
{
    if (seq < m_eventBase || seq >= m_eventBase + m_events.size())
        return nullptr;
    return &m_events[seq - m_eventBase];
}

const std::deque<StatePoint> *History::states(Pid pid) const
{
    const auto it = m_states.find(pid.number);
    return it == m_states.end() ? nullptr : &it->second;
}

// Reducer =====================================================================

uint32_t Reducer::nameId(Pid pid) const
{
    const ProcessRecord *p = m_state.process(pid);
    if (p == nullptr)
        return 0;
    if (p->name)
        return p->name->id() + 1;
    if (p->formerName && p->exited)
        return p->formerName->id() + 1;
    return 0;
}

void Reducer::apply(const Event &e)
{
    if (m_history == nullptr) { // replaying onto a snapshot: the state alone
        if ((e.flags & kEventPlumbing) == 0)
            applyToState(e, m_state.mutableProcess(e.pid));
        m_state.setSeq(e.seq, e.time);
        return;
    }
    // The event store: dense by seq; a gap (the runtime dropped events) restarts it.
    if (m_history->m_events.empty() || e.seq != m_history->endSeq()) {
        m_history->m_events.clear();
        m_history->m_eventBase = e.seq;
    }
    m_history->m_events.push_back(e);
    while (m_history->m_events.size() > m_history->m_budget) {
        m_history->m_events.pop_front();
        ++m_history->m_eventBase;
    }
    // The console waking its idle shell (Session::evaluate) is how the app runs a line, not
    // a message of the user's: kept, marked, and shown nowhere.
    bool plumbing = false;
    if (e.type == EventType::Send && !e.pid.isValid() && e.kind == MessageKind::System
        && e.term.isAtom("$mailroom_job")) {
        plumbing = true;
        m_plumbing.push_back(e.seq);
        if (m_plumbing.size() > 64)
            m_plumbing.erase(m_plumbing.begin());
    } else if (e.type == EventType::Dequeue && !m_plumbing.empty()) {
        if (const auto it = std::find(m_plumbing.begin(), m_plumbing.end(), e.ref); it != m_plumbing.end()) {
            plumbing = true;
            m_plumbing.erase(it);
        }
    }
    if (plumbing) {
        m_history->m_events.back().flags |= kEventPlumbing;
        m_state.setSeq(e.seq, e.time);
        return;
    }

    appendTrace(e); // first: a line names things as they were when the event happened
    trackCalls(e);
    applyToState(e, m_state.mutableProcess(e.pid));
    m_state.setSeq(e.seq, e.time);
}

void Reducer::appendTrace(const Event &e)
{
    TraceRow row;
    row.seq = e.seq;
    row.timeNs = e.time;
    row.pid = e.pid.number;
    row.other = e.other.number;
    row.name = nameId(e.pid);
    row.otherName = nameId(e.other);
    row.type = e.type;
    row.kind = e.kind;
    row.flags = e.flags;
    switch (e.type) {
    case EventType::Send:
        // A timer's delivery (it names the timer) belongs with the timer's other lines.
        row.category = deliveringTimer(e) != 0 ? TraceCategory::Timer : categoryOf(e.kind);
        break;
    case EventType::HandlerBegin:
    case EventType::HandlerEnd:
        row.category = categoryOf(e.kind);
        break;
    case EventType::Dequeue:
        row.category = TraceCategory::Mailbox;
        break;
    case EventType::BlockBegin:
        row.category = TraceCategory::Block;
        break;
    case EventType::BlockEnd:
        row.category = TraceCategory::Block;
        if (const ProcessRecord *p = m_state.process(e.pid); p != nullptr && p->block != BlockKind::None)
            row.aux = e.time - p->blockedSinceNs;
        break;
    case EventType::TimerSet:
    case EventType::TimerFire:
    case EventType::TimerCancel:
        row.category = TraceCategory::Timer;
        break;
    case EventType::Output:
        // *DBG* lines printed by :sys.trace are what the pane derives itself.
        if (e.term.isBinary() && e.term.asBinary().starts_with("*DBG* "))
            return;
        row.category = TraceCategory::Output;
        break;
    default:
        row.category = TraceCategory::Lifecycle;
        break;
    }
    m_history->m_trace.push_back(row);
    if (m_history->m_trace.size() > m_history->m_budget) {
        m_history->m_trace.pop_front();
        ++m_history->m_traceDropped;
    }
}

CallRecord *Reducer::findCall(uint64_t seq)
{
    auto &calls = m_history->m_calls;
    const auto it = std::lower_bound(
        calls.begin(), calls.end(), seq, [](const CallRecord &r, uint64_t s) { return r.seq < s; });
    return it != calls.end() && it->seq == seq ? &*it : nullptr;
}

void Reducer::callChanged(CallRecord &record)
{
    ++record.version;
    ++m_history->m_callsVersion;
}

uint32_t Reducer::groupOf(const std::string &name)
{
    const auto [it, inserted] = m_history->m_groupIndex.emplace(name, uint32_t(m_history->m_groups.size()));
    if (inserted)
        m_history->m_groups.push_back(name);
    return it->second;
}

void Reducer::finishCall(CallRecord &record, uint64_t endSeq)
{
    record.endSeq = endSeq;
    callChanged(record);
    m_history->m_samples.push_back({ endSeq, record.endNs - record.beginNs, record.group, record.isCast,
        record.kind == MessageKind::System, record.isCast && record.kind == MessageKind::Info });
    if (m_history->m_samples.size() > History::kSamples) {
        m_history->m_samples.pop_front();
        ++m_history->m_samplesDropped;
    }
}

bool Reducer::isFireAndForget(const Event &e) const
{
    // A plain message from a client (not a server) to a server: shown beside casts.
    if (e.kind != MessageKind::Info)
        return false;
    const ProcessRecord *from = m_state.process(e.pid);
    const ProcessRecord *to = m_state.process(e.other);
    return from != nullptr && !from->isServer && to != nullptr && to->isServer;
}

void Reducer::trackCalls(const Event &e)
{
    auto &calls = m_history->m_calls;
    const auto push = [&](CallRecord record) {
        record.clientName = m_state.displayName(record.client);
        record.serverName = m_state.displayName(record.server);
        record.group = groupOf(record.serverName);
        calls.push_back(std::move(record));
        ++m_history->m_callsVersion;
        if (calls.size() > History::kCallRecords) {
            calls.pop_front();
            ++m_history->m_callsDropped;
        }
    };

    // A timer's message is sent in its setter's name by the timer thread, right after the
    // TimerFire: the setter did nothing, and the message is no fire-and-forget of its own.
    if (e.type == EventType::TimerFire) {
        m_timerDeliveries.fired(e);
        return;
    }
    if (e.type == EventType::Send && m_timerDeliveries.deliveryOf(e))
        return;
    // A cast has returned once its sender does anything else.
    {
        if (const auto it = m_pendingCast.find(e.pid.number);
            it != m_pendingCast.end() && it->second != e.seq) {
            if (CallRecord *cast = findCall(it->second); cast != nullptr && cast->endNs < 0) {
                cast->endNs = e.time;
                cast->outcome = CallRecord::Outcome::Ok;
                finishCall(*cast, e.seq);
            }
            m_pendingCast.erase(it);
        }
    }

    switch (e.type) {
    case EventType::BlockBegin:
        if (e.term.isAtom("call")) {
            CallRecord record;
            record.seq = e.seq;
            record.kind = e.kind == MessageKind::System ? MessageKind::System : MessageKind::Call;
            record.client = e.pid;
            record.server = e.other;
            record.beginNs = e.time;
            record.timeoutMs = e.extra.isInteger() ? e.extra.asInteger() : -1;
            push(std::move(record));
            m_openCall[e.pid.number] = e.seq;
        }
        break;
    case EventType::Send:
        if (e.kind == MessageKind::Call || e.kind == MessageKind::System) {
            if (const auto it = m_openCall.find(e.pid.number); it != m_openCall.end()) {
                if (CallRecord *call = findCall(it->second); call != nullptr && !call->hasRequest) {
                    call->request = messagePayload(e.term, e.kind);
                    call->hasRequest = true;
                    callChanged(*call);
                }
            }
        } else if (e.kind == MessageKind::Cast || isFireAndForget(e)) {
            CallRecord record;
            record.seq = e.seq;
            record.isCast = true;
            record.kind = e.kind;
            record.client = e.pid;
            record.server = e.other;
            record.request = messagePayload(e.term, e.kind);
            record.hasRequest = true;
            record.beginNs = e.time;
            const auto eval = m_evaluations.find(e.pid.number);
            const bool returned = eval != m_evaluations.end() && e.time >= eval->second.first
                && e.time <= eval->second.second;
            if (returned) {
                record.endNs = eval->second.second;
                record.outcome = CallRecord::Outcome::Ok;
            }
            push(std::move(record));
            if (returned)
                finishCall(calls.back(), e.seq);
            else
                m_pendingCast[e.pid.number] = e.seq;
        }
        break;
    case EventType::BlockEnd:
        if (const auto it = m_openCall.find(e.pid.number); it != m_openCall.end()) {
            if (CallRecord *call = findCall(it->second)) {
                call->endNs = e.time;
                call->reply = e.extra;
                if ((e.flags & EventTimedOut) != 0 || e.term.isAtom("timeout"))
                    call->outcome = CallRecord::Outcome::Timeout;
                else if (e.term.isAtom("down"))
                    call->outcome = CallRecord::Outcome::Down;
                else
                    call->outcome = CallRecord::Outcome::Ok;
                finishCall(*call, e.seq);
            }
            m_openCall.erase(it);
        }
        break;
    case EventType::Exit:
        // A caller killed while blocked: its call never ends.
        if (const auto it = m_openCall.find(e.pid.number); it != m_openCall.end()) {
            if (CallRecord *call = findCall(it->second)) {
                call->endNs = e.time;
                call->outcome = CallRecord::Outcome::Down;
                finishCall(*call, e.seq);
            }
            m_openCall.erase(it);
        }
        break;
    default:
        break;
    }
}

void Reducer::noteEvaluation(Pid client, int64_t startedNs, int64_t finishedNs)
{
    if (m_history == nullptr)
        return;
    m_evaluations[client.number] = { startedNs, finishedNs };
    const auto it = m_pendingCast.find(client.number);
    if (it == m_pendingCast.end())
        return;
    if (CallRecord *cast = findCall(it->second);
        cast != nullptr && cast->endNs < 0 && cast->beginNs >= startedNs && cast->beginNs <= finishedNs) {
        cast->endNs = finishedNs;
        cast->outcome = CallRecord::Outcome::Ok;
        finishCall(*cast, m_state.seq());
        m_pendingCast.erase(it);
    }
}

void Reducer::applyToState(const Event &e, ProcessRecord *p)
{
    const auto touch = [](ProcessRecord &r) { ++r.version; };
    const auto touchMailbox = [](ProcessRecord &r) {
        ++r.version;
        ++r.mailboxVersion;
    };
    // A state equal to the one before is no change (a handler that kept its state).
    const auto setState = [&](ProcessRecord &r, const Term &state, uint64_t seq, int64_t time) {
        const bool same = r.hasState && (r.state.isSameObject(state) || r.state == state);
        r.state = state;
        r.hasState = true;
        if (same)
            return;
        r.stateChangedNs = time;
        if (m_history == nullptr)
            return;
        auto &points = m_history->m_states[r.pid.number];
        points.push_back({ seq, time, state });
        if (points.size() > History::kStatePoints)
            points.pop_front();
    };

    switch (e.type) {
    case EventType::Spawn: {
        ProcessRecord &r = m_state.addProcess(e.pid);
        r.parent = e.other;
        r.module = moduleName(e.term);
        if (e.extra.isAtom())
            r.node = std::string(e.extra.asAtom().name());
        r.spawnedNs = e.time;
        r.spawnSeq = e.seq;
        touch(r);
        break;
    }
    case EventType::Exit:
        if (p != nullptr) {
            p->exited = true;
            p->crashed = (e.flags & EventCrashed) != 0;
            p->exitReason = e.term;
            p->exitedNs = e.time;
            p->handling = false;
            p->block = BlockKind::None;
            p->mailbox.clear();
            for (Pid linked : p->links) {
                const ProcessRecord *other = m_state.process(linked);
                if (other != nullptr && other->exited && other->crashed && other->exitReason == e.term) {
                    p->diedWith = linked;
                    break;
                }
            }
            touchMailbox(*p);
            m_state.processExited();
        }
        break;
    case EventType::Link:
    case EventType::Unlink: {
        const bool link = e.type == EventType::Link;
        for (auto [a, b] : { std::pair{ e.pid, e.other }, std::pair{ e.other, e.pid } }) {
            if (ProcessRecord *r = m_state.mutableProcess(a)) {
                std::erase(r->links, b);
                if (link)
                    r->links.push_back(b);
                touch(*r);
            }
        }
        break;
    }
    case EventType::Send:
        if (ProcessRecord *target = m_state.mutableProcess(e.other); target != nullptr && !target->exited) {
            target->mailbox.push_back({ e.seq, e.pid, e.kind, e.time, e.term });
            ++target->received;
            target->receiveRate.add(e.time);
            touchMailbox(*target);
        }
        break;
    case EventType::Dequeue:
        if (p != nullptr) {
            auto &box = p->mailbox;
            const auto it
                = std::find_if(box.begin(), box.end(), [&](const QueuedMessage &m) { return m.id == e.ref; });
            if (it != box.end()) {
                box.erase(it);
                touchMailbox(*p);
            }
        }
        break;
    case EventType::HandlerBegin:
        if (p != nullptr) {
            p->handling = true;
            p->handled = { e.ref, e.other, e.kind, e.time, e.term };
            p->handlingSinceNs = e.time;
            if (e.kind != MessageKind::System) { // gen_server's own code, not the module's
                p->clauseLine = e.line;
                p->clauseNs = e.time;
            }
            touchMailbox(*p);
        }
        break;
    case EventType::HandlerEnd:
        if (p != nullptr) {
            p->handling = false;
            p->handled = {};
            if ((e.flags & EventCrashed) != 0)
                p->crashLine = e.line;
            setState(*p, e.term, e.seq, e.time);
            touchMailbox(*p);
        }
        break;
    case EventType::StateInit:
        if (p != nullptr) {
            p->isServer = true;
            if (p->module.empty())
                p->module = moduleName(e.extra);
            setState(*p, e.term, e.seq, e.time);
            touch(*p);
        }
        break;
    case EventType::TimerSet: {
        TimerRecord timer;
        timer.ref = e.ref;
        timer.setter = e.pid;
        timer.target = e.other;
        timer.message = e.term;
        timer.setNs = e.time;
        timer.deadlineNs = e.extra.isInteger() ? e.extra.asInteger() : e.time;
        m_state.addTimer(std::move(timer));
        break;
    }
    case EventType::TimerFire:
    case EventType::TimerCancel:
        m_state.removeTimer(e.ref);
        break;
    case EventType::Suspend:
    case EventType::Resume:
        if (p != nullptr) {
            p->suspended = e.type == EventType::Suspend;
            touch(*p);
        }
        break;
    case EventType::Register:
        if (p != nullptr && e.term.isAtom()) {
            p->name = e.term.asAtom();
            p->formerName = p->name;
            touch(*p);
        }
        break;
    case EventType::Unregister:
        if (p != nullptr && p->name && e.term.isAtom() && *p->name == e.term.asAtom()) {
            p->name.reset();
            touch(*p);
        }
        break;
    case EventType::BlockBegin:
        if (p != nullptr) {
            if (e.term.isAtom("call"))
                p->block = BlockKind::Call;
            else if (e.term.isAtom("sleep"))
                p->block = BlockKind::Sleep;
            else
                p->block = BlockKind::Await;
            p->blockedOn = e.other;
            p->blockMessageKind = e.kind;
            p->blockedSinceNs = e.time;
            p->blockParam = e.extra.isInteger() ? e.extra.asInteger() : -1;
            touch(*p);
        }
        break;
    case EventType::BlockEnd:
        if (p != nullptr) {
            p->block = BlockKind::None;
            touch(*p);
        }
        break;
    case EventType::TraceFlag:
        if (p != nullptr) {
            p->traced = e.term.isAtom("true");
            touch(*p);
        }
        break;
    case EventType::Monitor:
    case EventType::Demonitor:
    case EventType::Output:
        break;
    }
}

} // namespace mailroom
