// SPDX-License-Identifier: MIT
// The record's single order under concurrency: a flood of casts, calls and plain messages
// runs on both schedulers, and the record read back must respect causality for every event
// (a send before its dequeue, a call's request before its reply, each sender→receiver pair
// in the order sent). Every view and export replays the record in this order, so a record
// that broke it would draw a message arriving before it left.
#include "genserver.h"
#include "runtime.h"

#include <QtTest>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

using namespace mailroom;
using namespace mailroom::literals;

namespace {

#ifdef MAILROOM_TSAN
constexpr int64_t kPerClient = 1500; // ThreadSanitizer runs ten times slower
#else
constexpr int64_t kPerClient = 15'000;
#endif
constexpr int kClients = 4;
constexpr int kServers = 2;
constexpr int64_t kCallEvery = 8; // one message in eight is a call, the others casts and sends

/// Counts casts and answers calls with the request: the receiving end of the flood.
class Echo final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Echo"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::integer(0)); }
    Term handleCast(const Term & /*request*/, const Term &state) override
    {
        return gen::noreply(Term::integer(state.asInteger() + 1));
    }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        return gen::reply(request, state);
    }
};

/// The integer a client put in a message, through the GenServer envelopes
/// ({:"$gen_cast", i}, {:"$gen_call", from, i}); -1 for anything else.
int64_t payloadIndex(const Term &t)
{
    if (t.isInteger())
        return t.asInteger();
    if (t.isTuple(2) && t[0].isAtom("$gen_cast") && t[1].isInteger())
        return t[1].asInteger();
    if (t.isTuple(3) && t[0].isAtom("$gen_call") && t[2].isInteger())
        return t[2].asInteger();
    return -1;
}

using PairKey = std::pair<uint64_t, uint64_t>; // sender's and receiver's pid numbers

} // namespace

class TestRecordOrder : public QObject {
    Q_OBJECT
private slots:
    void aFloodAcrossBothSchedulersIsRecordedInCausalOrder()
    {
        RuntimeOptions o;
        o.schedulers = 2;
        o.eventBudget = 4'000'000; // keeps the whole flood: a dropped event would leave a Dequeue without its Send
        o.output = [](Pid, std::string_view) {};
        o.errorReport = [](std::string_view) {};
        Runtime rt(o);

        std::vector<Term> servers;
        for (int s = 0; s < kServers; ++s) {
            const Term started = gen::start(rt, std::make_shared<Echo>(), Term());
            QVERIFY(started.isTuple(2) && started[0].isAtom("ok"));
            servers.push_back(started[1]);
        }
        // A relay takes plain messages and passes each on to a sink: causal chains that cross
        // from one process (and scheduler) to another and on again.
        const Pid sink = rt.spawn([] {
            for (;;)
                (void)proc::receive([](const Term &) { return true; });
        });
        const Pid relay = rt.spawn([sink] {
            for (;;) {
                const auto m = proc::receive([](const Term &) { return true; });
                proc::send(Term(sink), m->term);
            }
        });
        SpawnOptions joinable;
        joinable.joinable = true;
        std::vector<Pid> clients;
        for (int c = 0; c < kClients; ++c)
            clients.push_back(rt.spawn(
                [&rt, servers, relay, c] {
                    for (int64_t i = 0; i < kPerClient; ++i) {
                        const Term &server = servers[size_t(i + c) % servers.size()];
                        if (i % kCallEvery == 0) {
                            if (gen::call(server, Term::integer(i)) != Term::integer(i))
                                throw std::runtime_error("a call's reply is not its request");
                        } else if (i % 2 == 0)
                            gen::cast(rt, server, Term::integer(i));
                        else
                            proc::send(Term(relay), Term::integer(i));
                        if (i % 7 == 0)
                            proc::yieldPoint(); // into a queue the other scheduler steals from
                    }
                },
                joinable));
        for (const Pid c : clients) {
            const std::optional<Term> reason = rt.join(c, 600'000); // a hang guard, not a speed bound
            QVERIFY(reason.has_value());
            QVERIFY2(reasons::isNormal(*reason), qPrintable(QString::fromStdString(reason->inspect())));
        }

        // Every message sent is taken out of its mailbox in the end; wait until the record
        // shows all of them (schedulers publish their batches as they go idle).
        std::vector<Event> events;
        const auto readAll = [&] {
            events.clear();
            const EventLog &log = rt.events();
            (void)log.read(log.begin(), size_t(log.end() - log.begin()), events);
            size_t sends = 0;
            size_t dequeues = 0;
            for (const Event &e : events) {
                sends += e.type == EventType::Send && (e.flags & EventDropped) == 0 ? 1 : 0;
                dequeues += e.type == EventType::Dequeue ? 1 : 0;
            }
            return sends > 0 && sends == dequeues;
        };
        QTRY_VERIFY_WITH_TIMEOUT(readAll(), 120'000);
        QCOMPARE(rt.events().dropped(), uint64_t(0));
        QCOMPARE(events.front().seq, uint64_t(1));

        std::unordered_map<uint64_t, const Event *> bySeq;
        for (size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].seq, uint64_t(i + 1)); // one total order, no gap
            bySeq.emplace(events[i].seq, &events[i]);
        }

        // A send before its dequeue, by the process it was sent to.
        size_t checked = 0;
        for (const Event &d : events) {
            if (d.type != EventType::Dequeue)
                continue;
            const auto it = bySeq.find(d.ref);
            QVERIFY2(it != bySeq.end(), qPrintable(QStringLiteral("dequeue #%1 names no event").arg(d.seq)));
            const Event &s = *it->second;
            QVERIFY2(s.type == EventType::Send && s.other == d.pid && s.pid == d.other,
                qPrintable(QStringLiteral("dequeue #%1 names #%2, not a send to it").arg(d.seq).arg(s.seq)));
            QVERIFY2(s.seq < d.seq,
                qPrintable(QStringLiteral("message #%1 dequeued at #%2, before it was sent").arg(s.seq).arg(d.seq)));
            ++checked;
        }
        QVERIFY(checked >= size_t(kClients * kPerClient));

        // Per sender→receiver pair: sent in the order the sender made them (its counter
        // grows), dequeued in the order sent.
        std::map<PairKey, int64_t> lastIndexSent;
        std::map<PairKey, uint64_t> lastSendDequeued;
        std::map<PairKey, std::vector<uint64_t>> requests; // client→server calls, in order
        std::map<PairKey, std::vector<uint64_t>> replies; // server→client replies, in order
        std::unordered_map<uint64_t, uint64_t> dequeuedAt; // a send's seq -> its dequeue's seq
        for (const Event &e : events) {
            const PairKey pair{ e.pid.number, e.other.number };
            if (e.type == EventType::Send) {
                const int64_t index = payloadIndex(e.term);
                const bool fromClient = std::find(clients.begin(), clients.end(), e.pid) != clients.end();
                if (fromClient && index >= 0) {
                    auto [it, fresh] = lastIndexSent.emplace(pair, index);
                    QVERIFY2(fresh || it->second < index,
                        qPrintable(QStringLiteral("send #%1 carries %2 after %3").arg(e.seq).arg(index).arg(it->second)));
                    it->second = index;
                }
                if (e.kind == MessageKind::Call)
                    requests[pair].push_back(e.seq);
                if (e.kind == MessageKind::Reply)
                    replies[PairKey{ e.other.number, e.pid.number }].push_back(e.seq);
            } else if (e.type == EventType::Dequeue) {
                const PairKey sentPair{ e.other.number, e.pid.number };
                auto [it, fresh] = lastSendDequeued.emplace(sentPair, e.ref);
                QVERIFY2(fresh || it->second < e.ref,
                    qPrintable(QStringLiteral("#%1 dequeues message #%2 after the later #%3 of the same sender")
                                   .arg(e.seq)
                                   .arg(e.ref)
                                   .arg(it->second)));
                it->second = e.ref;
                dequeuedAt.emplace(e.ref, e.seq);
            }
        }

        // A call's request before its reply: the k-th request of a client to a server is
        // dequeued by the server before the server sends the k-th reply, which the client
        // dequeues after that.
        size_t calls = 0;
        for (const auto &[pair, sent] : requests) {
            const std::vector<uint64_t> &answered = replies[pair];
            QCOMPARE(answered.size(), sent.size());
            for (size_t k = 0; k < sent.size(); ++k) {
                const uint64_t request = sent[k];
                const uint64_t reply = answered[k];
                QVERIFY(dequeuedAt.count(request) == 1 && dequeuedAt.count(reply) == 1);
                QVERIFY2(request < dequeuedAt[request] && dequeuedAt[request] < reply && reply < dequeuedAt[reply],
                    qPrintable(QStringLiteral("call #%1 (taken at #%2) and its reply #%3 (taken at #%4) out of order")
                                   .arg(request)
                                   .arg(dequeuedAt[request])
                                   .arg(reply)
                                   .arg(dequeuedAt[reply])));
                ++calls;
            }
        }
        QCOMPARE(calls, size_t(kClients * ((kPerClient + kCallEvery - 1) / kCallEvery)));
    }
};

QTEST_MAIN(TestRecordOrder)
#include "tst_recordorder.moc"
