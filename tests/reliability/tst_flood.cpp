// SPDX-License-Identifier: MIT
// A million messages to one mailbox: every one is handled, in order; the mailbox loses
// nothing while the bounded event record drops its oldest events and counts exactly how many.
#include "fixture.h"

using namespace reliability;
using namespace mailroom::literals;

namespace {

// ThreadSanitizer runs this about fifty times slower: there the flood is a tenth of the size
// (races show at any size); every other build sends the full million.
#ifdef MAILROOM_TSAN
constexpr int64_t kMessages = 100'000;
#else
constexpr int64_t kMessages = 1'000'000;
#endif
constexpr size_t kEventBudget = 10'000;

/// Counts {:n, i} casts and remembers any that arrive out of order.
class Tally final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Tally"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::tuple({ 0_i, 0_i })); }
    Term handleCast(const Term &request, const Term &state) override
    {
        const int64_t expected = state[0].asInteger();
        const int64_t outOfOrder = state[1].asInteger() + (request[1].asInteger() == expected ? 0 : 1);
        return gen::noreply(Term::tuple({ Term::integer(expected + 1), Term::integer(outOfOrder) }));
    }
    Term handleCall(const Term & /*request*/, const Term & /*from*/, const Term &state) override
    {
        return gen::reply(state, state);
    }
};

} // namespace

class TestFlood : public QObject {
    Q_OBJECT

private slots:
    void aMillionCastsToOneServer()
    {
        Captured captured;
        RuntimeOptions o = options(captured);
        o.eventBudget = kEventBudget;
        Runtime rt(o);
        const Pid tally = startServer(rt, std::make_shared<Tally>());

        // Suspended, the server leaves every message in its mailbox until we resume it.
        runProcess(rt, [&] { sys::suspend(Term(tally)); });
        runProcess(rt, [&] {
            for (int64_t i = 0; i < kMessages; ++i)
                gen::cast(proc::runtime(), Term(tally), Term::tuple({ "n"_a, Term::integer(i) }));
        });
        // Nothing lost.
        QTRY_COMPARE(rt.messageQueueLen(tally).value_or(0), size_t(kMessages));

        Term state;
        runProcess(rt, [&] {
            sys::resume(Term(tally));
            state = gen::call(Term(tally), "count"_a, std::nullopt); // answered after every cast before it
        });
        QCOMPARE(state, Term::tuple({ Term::integer(kMessages), 0_i })); // all handled, none out of order
        QTRY_COMPARE(rt.messageQueueLen(tally).value_or(1), size_t(0));
        QVERIFY(captured.reported().empty());

        // The record kept the newest events within its budget and counted every one it dropped.
        QVERIFY(waitRecordSettled(rt));
        QVERIFY(rt.events().end() > uint64_t(4 * kMessages)); // send, dequeue, begin, end per cast
        const uint64_t end = rt.events().end();
        const uint64_t begin = rt.events().begin();
        QVERIFY(end - begin <= kEventBudget);
        QCOMPARE(rt.events().dropped(), begin - 1); // seqs are dense from 1: exactly those before begin
        std::vector<Event> kept;
        QCOMPARE(
            rt.events().read(0, kEventBudget * 2, kept), end); // reading from a dropped seq starts at begin
        QCOMPARE(uint64_t(kept.size()), end - begin);
        for (size_t i = 0; i < kept.size(); ++i)
            QCOMPARE(kept[i].seq, begin + i); // no gap among the kept
        // Among the kept, the server took its messages out in the order they were sent.
        uint64_t lastSend = 0;
        for (const Event &e : kept) {
            if (e.type == EventType::Dequeue && e.pid == tally && e.kind == MessageKind::Cast) {
                QVERIFY(e.ref > lastSend);
                lastSend = e.ref;
            }
        }
        QVERIFY(lastSend != 0);
    }

    void aMillionMessagesWhileTheReceiverRuns()
    {
        // Sender and receiver on different scheduler threads at once, as when a flood hits a live
        // process: plain messages, received one by one in the order they were sent.
        Captured captured;
        RuntimeOptions o = options(captured);
        o.eventBudget = kEventBudget;
        Runtime rt(o);
        int64_t received = 0;
        int64_t outOfOrder = 0;
        const Pid receiver = spawnJoinable(rt, [&] {
            for (int64_t i = 0; i < kMessages; ++i) {
                const auto m = proc::receive([](const Term &) { return true; });
                outOfOrder += m->term.asInteger() == i ? 0 : 1;
                ++received;
            }
        });
        runProcess(rt, [&] {
            for (int64_t i = 0; i < kMessages; ++i)
                proc::send(Term(receiver), Term::integer(i));
        });
        QCOMPARE(joinOrDie(rt, receiver), "normal"_a);
        QCOMPARE(received, kMessages);
        QCOMPARE(outOfOrder, int64_t(0));
        QVERIFY(waitRecordSettled(rt));
        QVERIFY(rt.events().end() > uint64_t(2 * kMessages));
        QCOMPARE(rt.events().dropped(), rt.events().begin() - 1);
        QVERIFY(rt.events().end() - rt.events().begin() <= kEventBudget);
    }
};

QTEST_GUILESS_MAIN(TestFlood)
#include "tst_flood.moc"
