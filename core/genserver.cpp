// SPDX-License-Identifier: MIT
#include "genserver.h"

#include <future>

namespace mailroom {

using namespace std::string_literals;

namespace {

Term atom(std::string_view name) { return Term::atom(name); }

const Term &genCallTag()
{
    static const Term tag = atom("$gen_call");
    return tag;
}
const Term &genCastTag()
{
    static const Term tag = atom("$gen_cast");
    return tag;
}
const Term &systemTag()
{
    static const Term tag = atom("system");
    return tag;
}

// Atoms that every message or call uses, interned once: Atom::intern takes a global mutex.
#define MAILROOM_CACHED_ATOM(function, text)   \
    const Term &function()                     \
    {                                          \
        static const Term cached = atom(text); \
        return cached;                         \
    }
MAILROOM_CACHED_ATOM(callAtom, "call")
MAILROOM_CACHED_ATOM(awaitAtom, "await")
MAILROOM_CACHED_ATOM(downAtom, "down")
MAILROOM_CACHED_ATOM(replyAtom, "reply")
MAILROOM_CACHED_ATOM(noreplyAtom, "noreply")
MAILROOM_CACHED_ATOM(stopAtom, "stop")
MAILROOM_CACHED_ATOM(crashAtom, "crash")
MAILROOM_CACHED_ATOM(unexpectedAtom, "unexpected")
MAILROOM_CACHED_ATOM(infinityAtom, "infinity")
#undef MAILROOM_CACHED_ATOM

bool isAtomTerm(const Term &t, const Term &atomTerm)
{
    return t.isAtom() && t.asAtom() == atomTerm.asAtom();
}

/// Builds a *DBG* line as io:format("~tp ...") does: each term is laid out knowing the
/// column it starts at, so long terms wrap exactly like OTP's.
class DbgLine {
public:
    DbgLine &text(std::string_view s)
    {
        m_line += s;
        return *this;
    }
    DbgLine &term(const Term &t)
    {
        m_line += t.toErlangWrapped(column());
        return *this;
    }
    [[nodiscard]] std::string str() const { return m_line + "\n"; }

private:
    [[nodiscard]] size_t column() const
    {
        const size_t start = m_line.rfind('\n');
        size_t chars = 0;
        for (size_t i = start == std::string::npos ? 0 : start + 1; i < m_line.size(); ++i)
            if ((static_cast<unsigned char>(m_line[i]) & 0xC0U) != 0x80U)
                ++chars; // count code points, not UTF-8 continuation bytes
        return chars;
    }
    std::string m_line;
};

Term timeoutTerm(std::optional<int64_t> ms)
{
    return ms ? Term::integer(*ms) : infinityAtom();
}

/// Records an event unless recording is off (then nothing is copied or built); the
/// server's own steps as local events (Runtime::recordLocal).
void recordEvent(Runtime &rt, EventType type, Pid pid, Pid other, const Term &term, const Term &extra = {},
    MessageKind kind = MessageKind::Info, uint64_t ref = 0, uint8_t flags = 0, Stamp stamp = Stamp::Now,
    uint32_t line = 0)
{
    if (!rt.recording())
        return;
    Event e;
    e.type = type;
    e.pid = pid;
    e.other = other;
    e.line = line;
    e.term = term;
    e.extra = extra;
    e.kind = kind;
    e.ref = ref;
    e.flags = flags;
    switch (type) {
    case EventType::HandlerBegin:
    case EventType::HandlerEnd:
    case EventType::BlockBegin:
    case EventType::BlockEnd:
        rt.recordLocal(std::move(e), stamp); // nothing another process sees follows before a Send
        break;
    default:
        (void)rt.record(std::move(e), stamp);
    }
}

/// The generic request/response of gen:call: monitors the server, sends the request
/// tagged with an alias, and waits for the reply or the server's DOWN.
/// `makeMfa()` builds what an exit names, e.g. {GenServer, :call, [server, request, 5000]};
/// only a call that exits needs it.
template<typename MakeRequest, typename MakeMfa>
Term genCall(const Term &server, const MakeRequest &makeRequest, MessageKind kind, const MakeMfa &makeMfa,
    std::optional<int64_t> timeoutMs)
{
    Runtime &rt = proc::runtime();
    const Pid self = proc::self();
    const Pid pid = server.isPid() ? server.asPid() : (server.isAtom() ? rt.whereis(server.asAtom()) : Pid{});
    if (!pid.isValid())
        proc::exit(Term::tuple({ Term(atoms::noproc()), makeMfa() }));
    if (pid == self)
        proc::exit(Term::tuple({ atom("calling_self"), makeMfa() }));
    const Ref ref = proc::monitor(Term(pid));
    proc::activateAlias(ref);
    {
        const Runtime::SameInstant instant(rt); // the block and the request: at the Monitor's moment
        if (rt.recording())
            recordEvent(
                rt, EventType::BlockBegin, self, pid, callAtom(), Term::integer(timeoutMs.value_or(-1)),
                kind);
        rt.send(Term(pid), makeRequest(Term::tuple({ Term(self), Term(ref) })), kind);
    }
    const Term refTerm(ref);
    auto reply = proc::receive(
        [&](const Term &m) {
            if (m.isTuple(2) && m[0] == refTerm)
                return true;
            return m.isTuple(5) && m[0].isAtom() && m[0].asAtom() == atoms::down() && m[1] == refTerm;
        },
        timeoutMs);
    // The Demonitor and the BlockEnd: at the moment the reply was taken (or the wait ended).
    const Runtime::SameInstant instant(rt);
    proc::deactivateAlias(ref);
    proc::demonitor(ref, true);
    if (!reply) {
        recordEvent(rt, EventType::BlockEnd, self, pid, Term(atoms::timeout()), {}, kind, 0, EventTimedOut);
        proc::exit(Term::tuple({ Term(atoms::timeout()), makeMfa() }));
    }
    if (reply->term.isTuple(5)) {
        recordEvent(rt, EventType::BlockEnd, self, pid, downAtom(), reply->term[4], kind);
        proc::exit(Term::tuple({ reply->term[4], makeMfa() }));
    }
    recordEvent(rt, EventType::BlockEnd, self, pid, Term(atoms::ok()), reply->term[1], kind);
    return reply->term[1];
}

Term sysCall(const Term &server, Term request, std::string_view function, std::optional<int64_t> timeoutMs,
    const std::vector<Term> &mfaArgs)
{
    return genCall(
        server,
        [&](const Term &from) {
            return Term::tuple({ systemTag(), from, request });
        },
        MessageKind::System,
        [&] {
            return Term::tuple({ atom("sys"), atom(function), Term::list(mfaArgs) });
        },
        timeoutMs);
}

std::vector<Term> sysArgs(const Term &server, std::optional<int64_t> timeoutMs, std::initializer_list<Term> extra = {})
{
    std::vector<Term> args{ server };
    args.insert(args.end(), extra.begin(), extra.end());
    if (timeoutMs != 5000)
        args.push_back(timeoutTerm(timeoutMs));
    return args;
}

/// The exit reason of an exception escaping a callback, shaped as Elixir's
/// {%Exception{}, stacktrace}.
Term crashReason(std::string_view exceptionModule, std::string_view message)
{
    return Term::tuple(
        { Term::structure(exceptionModule, { { atom("message"), Term::binary(std::string(message)) } }), Term() });
}

/// Runs one server process from init to exit. Lives on the heap: between messages the
/// process hibernates, and the loop goes on from the same object on a fresh stack.
class ServerLoop : public std::enable_shared_from_this<ServerLoop>, detail::HandlerObserver {
public:
    ServerLoop(std::shared_ptr<GenServer> server, Term arg, gen::StartOptions options, Pid parent,
        std::function<void(Term)> ack)
        : m_server(std::move(server)), m_arg(std::move(arg)), m_options(options), m_parent(parent), m_ack(std::move(ack))
    {
    }

    void run()
    {
        m_rt = &proc::runtime();
        m_self = proc::self();
        proc::setLabel(gen::moduleAtom(m_server->module()));
        if (m_options.name && !m_rt->registerName(*m_options.name, m_self)) {
            const Pid holder = m_rt->whereis(*m_options.name);
            m_ack(Term::tuple({ Term(atoms::error()), Term::tuple({ atom("already_started"), Term(holder) }) }));
            proc::exit(Term(atoms::normal()));
        }
        Term result;
        try {
            result = m_server->init(m_arg);
        } catch (const ProcessExit &e) {
            m_ack(Term::tuple({ Term(atoms::error()), e.reason() }));
            throw;
        } catch (const std::exception &e) {
            const Term reason = crashReason("RuntimeError", e.what());
            m_ack(Term::tuple({ Term(atoms::error()), reason }));
            proc::exit(reason);
        }
        if (result.isTuple() && result.tupleSize() >= 2 && result[0].isAtom("ok")) {
            m_state = result[1];
            if (result.tupleSize() == 3)
                setAction(result[2]);
        } else if (result.isTuple(2) && result[0].isAtom("stop")) {
            m_ack(Term::tuple({ Term(atoms::error()), result[1] }));
            proc::exit(result[1]);
        } else if (result.isAtom("ignore")) {
            m_ack(atom("ignore"));
            proc::exit(Term(atoms::normal()));
        } else {
            const Term reason = Term::tuple({ atom("bad_return_value"), result });
            m_ack(Term::tuple({ Term(atoms::error()), reason }));
            proc::exit(reason);
        }
        recordEvent(*m_rt, EventType::StateInit, m_self, {}, m_state, gen::moduleAtom(m_server->module()));
        m_ack(Term::tuple({ Term(atoms::ok()), Term(m_self) }));
        m_ack = nullptr;
        loop();
    }

private:
    /// Handles what is in the mailbox, then hibernates: an idle server holds no stack. A
    /// suspended one waits on its stack instead: its receive remembers how far it has looked
    /// through the messages it leaves for later, where each wake-up from hibernation would
    /// look through all of them again.
    void loop()
    {
        const auto wanted = [this](const Term &m) { return !m_suspended || (m.isTuple(3) && m[0] == systemTag()); };
        for (;;) {
            // What the last callback left counts towards max_heap_size: a state grown a little
            // with each message ends the server as on the BEAM, with no terminate/2.
            proc::checkHeap(std::span<const Term>(&m_state, 1));
            runContinuations();
            // A callback's timeout waits on the stack; otherwise only look.
            const std::optional<int64_t> wait
                = m_suspended ? std::nullopt : std::optional<int64_t>(m_timeout.value_or(0));
            auto msg = proc::receive(wanted, wait);
            if (!msg && m_timeout && !m_suspended) {
                // Nothing came within the timeout: handle_info(:timeout, state), as gen_server.
                m_timeout.reset();
                trace([&](DbgLine &l) { l.text("got timeout"); });
                const Message timeout{ Term(atoms::timeout()), m_self, 0, MessageKind::Info };
                handle(
                    timeout, MessageKind::Info,
                    [&] { return m_server->handleInfo(timeout.term, m_state); }, nullptr);
                continue;
            }
            if (!msg) {
                proc::hibernate([self = shared_from_this()] { self->loop(); });
                return;
            }
            dispatch(*msg);
        }
    }

    /// The last element of {:ok, s, X}, {:reply, r, s, X} or {:noreply, s, X}: a timeout
    /// in ms, :infinity, :hibernate or {:continue, term}.
    void setAction(const Term &action)
    {
        if (action.isInteger() && action.asInteger() >= 0) {
            m_timeout = action.asInteger();
        } else if (action.isTuple(2) && action[0].isAtom("continue")) {
            m_continuation = action[1];
            m_hasContinuation = true;
        }
    }

    void runContinuations()
    {
        while (m_hasContinuation) {
            m_hasContinuation = false;
            trace([&](DbgLine &l) { l.text("dbg  ").term(Term::tuple({ atom("continue"), m_continuation })); });
            const Message next{ m_continuation, m_self, 0, MessageKind::Info };
            m_inContinuation = true;
            handle(
                next, MessageKind::Info, [&] { return m_server->handleContinue(next.term, m_state); }, nullptr);
            m_inContinuation = false;
        }
    }

    [[nodiscard]] Term name() const
    {
        if (auto registered = m_rt->registeredName(m_self))
            return Term(*registered);
        return Term(m_self);
    }

    /// Writes a *DBG* line when :sys.trace is on; `build` adds what follows the name.
    template<typename Build> void trace(const Build &build)
    {
        if (!m_traced)
            return;
        DbgLine line;
        line.text("*DBG* ").term(name()).text(" ");
        build(line);
        m_rt->output(m_self, line.str());
    }

    void dispatch(const Message &msg)
    {
        const Term &m = msg.term;
        if (m.isTuple(3) && m[0] == genCallTag() && m[1].isTuple(2)) {
            trace([&](DbgLine &l) { l.text("got call ").term(m[2]).text(" from ").term(m[1][0]); });
            handle(
                msg, MessageKind::Call, [&] { return m_server->handleCall(m[2], m[1], m_state); }, &m[1]);
        } else if (m.isTuple(2) && m[0] == genCastTag()) {
            trace([&](DbgLine &l) { l.text("got cast ").term(m[1]); });
            handle(
                msg, MessageKind::Cast, [&] { return m_server->handleCast(m[1], m_state); }, nullptr);
        } else if (m.isTuple(3) && m[0] == systemTag() && m[1].isTuple(2)) {
            handleSystem(msg, m[1], m[2]);
        } else if (m.isTuple(3) && m[0].isAtom() && m[0].asAtom() == atoms::exitAtom() && m[1].isPid()
            && m[1].asPid() == m_parent && proc::trapExit()) {
            // The parent of a trapping server went away: terminate with its reason.
            terminateAndExit(m[2], lastOf(msg));
        } else {
            trace([&](DbgLine &l) { l.text("got ").term(m); });
            handle(
                msg, MessageKind::Info, [&] { return m_server->handleInfo(m, m_state); }, nullptr);
        }
    }

    /// The HandlerBegin of the message being handled, when it is still to be recorded: a
    /// server that reportsClauses() has it recorded once its clause is chosen.
    void clauseChosen(uint32_t line) override
    {
        if (m_beginPending == nullptr)
            return;
        // At the moment of the message's Dequeue (or of the trace line's Output, when one
        // came between): choosing a clause is the runtime's bookkeeping.
        const Message &msg = *std::exchange(m_beginPending, nullptr);
        recordEvent(*m_rt, EventType::HandlerBegin, m_self, msg.from, msg.term, {}, m_beginKind, msg.id, 0,
            Stamp::Previous, line);
    }
    void failedAt(uint32_t line, const Term &reportReason) override
    {
        m_failedLine = line;
        m_failedReport = reportReason;
    }

    /// What a crash report says the server was handling: gen_server's Msg and From.
    struct LastMessage {
        Term message; ///< a call's request, {:"$gen_cast", m}, {:continue, c}, any other message; [] for none
        Pid client; ///< a call's caller; invalid for anything else
    };
    [[nodiscard]] LastMessage lastOf(const Message &msg) const
    {
        const Term &m = msg.term;
        if (msg.kind == MessageKind::Call && m.isTuple(3) && m[0] == genCallTag() && m[1].isTuple(2) && m[1][0].isPid())
            return { m[2], m[1][0].asPid() };
        if (m_inContinuation)
            return { Term::tuple({ atom("continue"), m }), {} };
        return { m, {} };
    }

    /// Runs one callback and acts on its result as gen_server does.
    template<typename Callback>
    void handle(const Message &msg, MessageKind kind, const Callback &callback, const Term *from)
    {
        m_beginPending = &msg;
        m_beginKind = kind;
        m_failedLine = 0;
        m_failedReport = Term();
        m_server->setObserver(this);
        if (!m_server->reportsClauses())
            clauseChosen(0);
        Term result;
        m_timeout.reset(); // any message ends a callback's timeout
        try {
            result = callback();
            clauseChosen(0); // a callback that ran no clause of its own (a default)
        } catch (const NoClause &) {
            clauseChosen(0);
            if (kind == MessageKind::Info) {
                // As `use GenServer`'s default handle_info: log it and go on with the same state.
                m_rt->report("[error] " + std::string(m_server->module()) + " " + name().inspect()
                    + " received unexpected message in handle_info/2: " + msg.term.inspect() + "\n");
                trace([&](DbgLine &l) { l.text("new state ").term(m_state); });
                recordEvent(
                    *m_rt, EventType::HandlerEnd, m_self, msg.from, m_state, unexpectedAtom(), kind, msg.id);
                return;
            }
            crash(crashReason("FunctionClauseError", "no function clause matching in " + std::string(m_server->module()) + "." + (kind == MessageKind::Call ? "handle_call/3" : "handle_cast/2")),
                msg);
        } catch (const ExitSignal &) {
            clauseChosen(0);
            // An exit signal (a kill, a link's death, max_heap_size) ends the process where it
            // is, as on the BEAM: no terminate/2 and no "terminating" report. The record still
            // closes the handler as crashed, as the BEAM tracer's does when a process exits
            // inside one (tst_beam compares the two).
            recordEvent(*m_rt, EventType::HandlerEnd, m_self, msg.from, m_state, crashAtom(), kind, msg.id,
                EventCrashed);
            throw;
        } catch (const ProcessExit &e) {
            clauseChosen(0);
            crash(e.reason(), msg);
        } catch (const RuntimeError &e) {
            clauseChosen(0);
            crash(Term::tuple({ e.term(), Term() }), msg);
        } catch (const std::exception &e) {
            clauseChosen(0);
            crash(crashReason("RuntimeError", e.what()), msg);
        }
        const auto shape = [&](const Term &tag, size_t size) {
            return result.isTuple(size) && isAtomTerm(result[0], tag);
        };
        if (from != nullptr && (shape(replyAtom(), 3) || shape(replyAtom(), 4))) {
            m_state = result[2];
            if (result.tupleSize() == 4)
                setAction(result[3]);
            sendReply(*from, result[1]);
            trace([&](DbgLine &l) {
                l.text("sent ").term(result[1]).text(" to ").term((*from)[0]).text(", new state ").term(m_state);
            });
            if (m_rt->recording()) // at the moment of the reply's Send (or the trace line's Output)
                recordEvent(*m_rt, EventType::HandlerEnd, m_self, msg.from, m_state,
                    Term::tuple({ replyAtom(), result[1] }), kind, msg.id, 0, Stamp::Previous);
        } else if (shape(noreplyAtom(), 2) || shape(noreplyAtom(), 3)) {
            m_state = result[1];
            if (result.tupleSize() == 3)
                setAction(result[2]);
            trace([&](DbgLine &l) { l.text("new state ").term(m_state); });
            recordEvent(*m_rt, EventType::HandlerEnd, m_self, msg.from, m_state, noreplyAtom(), kind, msg.id);
        } else if (from != nullptr && shape(stopAtom(), 4)) {
            m_state = result[3];
            recordEvent(*m_rt, EventType::HandlerEnd, m_self, msg.from, m_state, stopAtom(), kind, msg.id);
            terminateAndExit(result[1], lastOf(msg), {}, [&] { sendReply(*from, result[2]); });
        } else if (shape(stopAtom(), 3)) {
            m_state = result[2];
            recordEvent(*m_rt, EventType::HandlerEnd, m_self, msg.from, m_state, stopAtom(), kind, msg.id);
            terminateAndExit(result[1], lastOf(msg));
        } else {
            crash(Term::tuple({ atom("bad_return_value"), result }), msg);
        }
    }

    void handleSystem(const Message &msg, const Term &from, const Term &request)
    {
        // At the moment of the Dequeue.
        recordEvent(
            *m_rt, EventType::HandlerBegin, m_self, msg.from, msg.term, {}, MessageKind::System, msg.id, 0,
            Stamp::Previous);
        Term answer(atoms::ok());
        if (request.isAtom("get_state")) {
            answer = m_state;
        } else if (request.isTuple(2) && request[0].isAtom("replace_state") && request[1].isFunction()) {
            try {
                m_state = request[1].asFunction()->call({ m_state });
            } catch (const ProcessExit &) {
                throw;
            } catch (const std::exception &e) {
                // OTP keeps the old state and answers the caller with the error.
                answer = Term::tuple({ atom("callback_failed"), Term::binary(e.what()) });
            }
            if (answer.isAtom("ok"))
                answer = m_state;
        } else if (request.isAtom("get_status")) {
            answer = status();
        } else if (request.isAtom("suspend")) {
            m_suspended = true;
            recordEvent(*m_rt, EventType::Suspend, m_self, msg.from, {});
        } else if (request.isAtom("resume")) {
            m_suspended = false;
            recordEvent(*m_rt, EventType::Resume, m_self, msg.from, {});
        } else if (request.isTuple(2) && request[0].isAtom("trace") && request[1].isBoolean()) {
            m_traced = request[1].isAtom("true");
            recordEvent(*m_rt, EventType::TraceFlag, m_self, msg.from, request[1]);
        } else if (request.isTuple(2) && request[0].isAtom("terminate")) {
            recordEvent(*m_rt, EventType::HandlerEnd, m_self, msg.from, m_state, stopAtom(),
                MessageKind::System, msg.id);
            terminateAndExit(request[1], LastMessage{}); // OTP's system_terminate: no message, []
        } else {
            answer = Term::tuple({ Term(atoms::error()), atom("unknown_system_msg") });
        }
        sendReply(from, answer, MessageKind::System);
        if (m_rt->recording())
            recordEvent(*m_rt, EventType::HandlerEnd, m_self, msg.from, m_state,
                Term::tuple({ replyAtom(), answer }), MessageKind::System, msg.id);
    }

    /// What :sys.get_status returns for a gen_server (OTP 25's shape).
    [[nodiscard]] Term status() const
    {
        // An unlinked server (GenServer.start) is its own parent, as proc_lib reports it.
        const Term parent = m_parent.isValid() && m_options.link ? Term(m_parent) : Term(m_self);
        const Term running = atom(m_suspended ? "suspended" : "running");
        const auto registered = m_rt->registeredName(m_self);
        const Term header = Term::charlist("Status for generic server "
            + (registered ? Term(*registered).toErlang() : Term(m_self).toErlang()));
        const Term pdict = Term::list({
            Term::tuple({ atom("$initial_call"),
                Term::tuple({ gen::moduleAtom(m_server->module()), atom("init"), Term::integer(1) }) }),
            Term::tuple({ atom("$ancestors"), m_parent.isValid() ? Term::list({ Term(m_parent) }) : Term() }),
        });
        const Term misc = Term::list({
            Term::tuple({ atom("header"), header }),
            Term::tuple({ atom("data"), Term::list({ Term::tuple({ Term::charlist("Status"), running }), Term::tuple({ Term::charlist("Parent"), parent }), Term::tuple({ Term::charlist("Logged events"), Term() }) }) }),
            Term::tuple({ atom("data"), Term::list({ Term::tuple({ Term::charlist("State"), m_state }) }) }),
        });
        // The sys debug options in force: OTP lists {trace, true} while :sys.trace is on.
        const Term debug = m_traced ? Term::list({ Term::tuple({ atom("trace"), Term(atoms::trueAtom()) }) }) : Term();
        return Term::tuple({ atom("status"), Term(m_self), Term::tuple({ atom("module"), atom("gen_server") }),
            Term::list({ pdict, running, parent, debug, misc }) });
    }

    void sendReply(const Term &from, const Term &value, MessageKind kind = MessageKind::Reply)
    {
        if (!from.isTuple(2) || !from[0].isPid())
            return;
        m_rt->sendReply(from[0].asPid(), from[1].isReference() ? from[1].asRef() : Ref{},
            Term::tuple({ from[1], value }), kind);
    }

    void runTerminate(const Term &reason)
    {
        try {
            m_server->terminate(reason, m_state);
        } catch (const ProcessExit &) {
            throw;
        } catch (const std::exception &e) {
            proc::exit(crashReason("RuntimeError", e.what()));
        }
    }

    /// gen_server's terminate: terminate/2, then the crash report unless the reason is
    /// :normal or a shutdown, then the exit. `reportReason` is what the report shows when
    /// it says more than `reason` (nil: `reason`). `reply` (the reply of a
    /// {:stop, reason, reply, state}) goes out after terminate/2, even when that fails. A
    /// terminate/2 that fails ends the server with its own reason, and the report shows it.
    [[noreturn]] void terminateAndExit(const Term &reason, const LastMessage &last, const Term &reportReason = {},
        const std::function<void()> &reply = {})
    {
        try {
            m_failedReport = Term();
            runTerminate(reason);
        } catch (const ExitSignal &) {
            throw; // killed in terminate/2: no report, as on the BEAM
        } catch (const ProcessExit &e) {
            reportCrash(m_failedReport.isNil() ? e.reason() : m_failedReport, last);
            if (reply)
                reply();
            throw;
        }
        if (!reasons::isNormal(reason) && !reason.isAtom("shutdown")
            && !(reason.isTuple(2) && reason[0].isAtom("shutdown")))
            reportCrash(reportReason.isNil() ? reason : reportReason, last);
        if (reply)
            reply();
        proc::exit(reason);
    }

    [[noreturn]] void crash(const Term &reason, const Message &last)
    {
        recordEvent(*m_rt, EventType::HandlerEnd, m_self, last.from, m_state, crashAtom(), last.kind, last.id,
            EventCrashed, Stamp::Now, std::exchange(m_failedLine, 0));
        terminateAndExit(reason, lastOf(last), std::exchange(m_failedReport, Term()));
    }

    /// The report gen_server logs when it terminates abnormally, as Elixir's Logger
    /// translates it (report_gen_server_terminate in Logger.Translator, at Logger's default
    /// level, :debug, which adds the state and the client): the caller of a call is named
    /// by its registered name while it lives, and said to be alive or dead.
    void reportCrash(const Term &reason, const LastMessage &last)
    {
        std::string text = "[error] GenServer " + name().inspect() + " terminating\n"
            + m_rt->options().translateReason(reason) + "\nLast message";
        std::string client;
        if (last.client.isValid()) {
            const bool alive = m_rt->alive(last.client);
            const auto registered = alive ? m_rt->registeredName(last.client) : std::nullopt;
            const std::string who = registered ? Term(*registered).inspect() : Term(last.client).inspect();
            text += " (from " + who + ")";
            // The client's stack would follow "is alive", one "\n    " line per frame, as
            // process_info(client, :current_stacktrace) gives it; Mailroom has none to show.
            client = alive ? "\nClient " + who + " is alive\n" : "\nClient " + who + " is dead";
        }
        text += ": " + last.message.inspect() + "\nState: " + m_state.inspect() + client + "\n";
        m_rt->report(text);
    }

    std::shared_ptr<GenServer> m_server;
    Term m_arg;
    gen::StartOptions m_options;
    Pid m_parent;
    std::function<void(Term)> m_ack;
    Runtime *m_rt = nullptr;
    Pid m_self;
    Term m_state;
    bool m_suspended = false;
    bool m_traced = false;
    std::optional<int64_t> m_timeout; // from the last callback's return
    Term m_continuation; // {:continue, term} pending
    bool m_hasContinuation = false;
    const Message *m_beginPending = nullptr; // the message whose HandlerBegin waits for its clause
    MessageKind m_beginKind = MessageKind::Info;
    uint32_t m_failedLine = 0; // where the running callback failed in its source (0: unknown)
    Term m_failedReport; // the reason the crash report shows for the running callback (nil: the exit's)
    bool m_inContinuation = false; // handle_continue runs: a report's last message is {:continue, c}
};

} // namespace

// GenServer defaults: what `use GenServer` gives a module.

Term GenServer::init(const Term &arg) { return gen::ok(arg); }

Term GenServer::handleCall(const Term & /*request*/, const Term & /*from*/, const Term & /*state*/)
{
    throw NoClause();
}

Term GenServer::handleCast(const Term & /*request*/, const Term & /*state*/) { throw NoClause(); }

Term GenServer::handleInfo(const Term & /*message*/, const Term & /*state*/) { throw NoClause(); }

Term GenServer::handleContinue(const Term & /*continuation*/, const Term & /*state*/)
{
    throw std::logic_error("this server defines no handle_continue/2");
}

void GenServer::terminate(const Term & /*reason*/, const Term & /*state*/) {}

namespace gen {

Term ok(Term state) { return Term::tuple({ Term(atoms::ok()), std::move(state) }); }
Term reply(Term value, Term state) { return Term::tuple({ Term(atoms::reply()), std::move(value), std::move(state) }); }
Term noreply(Term state) { return Term::tuple({ Term(atoms::noreply()), std::move(state) }); }
Term stop(Term reason, Term state) { return Term::tuple({ Term(atoms::stop()), std::move(reason), std::move(state) }); }
Term stopReply(Term reason, Term value, Term state)
{
    return Term::tuple({ Term(atoms::stop()), std::move(reason), std::move(value), std::move(state) });
}

Term moduleAtom(std::string_view module) { return Term::atom("Elixir." + std::string(module)); }

Term start(Runtime &runtime, std::shared_ptr<GenServer> server, Term arg, StartOptions options)
{
    // As OTP's gen:start: a name already taken is answered at once, and no process is spawned
    // for it (the new process registers its name again, for a name taken meanwhile).
    if (options.name) {
        if (const Pid holder = runtime.whereis(*options.name); holder.isValid())
            return Term::tuple({ Term(atoms::error()), Term::tuple({ atom("already_started"), Term(holder) }) });
    }
    SpawnOptions spawnOptions;
    spawnOptions.label = moduleAtom(server->module());
    spawnOptions.stackSize = options.stackSize;
    if (proc::inProcess()) {
        // As proc_lib: the child acknowledges its init with a message tagged by a ref.
        const Pid parent = proc::self();
        const Ref tag = Ref::make();
        spawnOptions.link = options.link;
        auto body = [server, arg, options, parent, tag]() mutable {
            Runtime &rt = proc::runtime();
            auto loop = std::make_shared<ServerLoop>(
                std::move(server), std::move(arg), options, parent, [&rt, parent, tag](Term result) {
                    rt.send(Term(parent), Term::tuple({ atom("$ack"), Term(tag), std::move(result) }),
                        MessageKind::System);
                });
            loop->run();
        };
        const Pid child = proc::spawn(std::move(body), spawnOptions);
        const Term tagTerm(tag);
        const Term childTerm(child);
        auto ack = proc::receive([&](const Term &m) {
            if (m.isTuple(3) && m[0].isAtom("$ack") && m[1] == tagTerm)
                return true;
            // A child that dies before acknowledging (killed, or crashed) unblocks us too.
            return m.isTuple(3) && m[0].isAtom() && m[0].asAtom() == atoms::exitAtom() && m[1] == childTerm;
        });
        if (ack->term[0].isAtom("$ack"))
            return ack->term[2];
        return Term::tuple({ Term(atoms::error()), ack->term[2] });
    }
    // From a thread outside the runtime: block this thread until init has run.
    auto promise = std::make_shared<std::promise<Term>>();
    auto future = promise->get_future();
    auto body = [server, arg, options, promise]() mutable {
        bool acked = false;
        try {
            auto loop = std::make_shared<ServerLoop>(
                std::move(server), std::move(arg), options, Pid{}, [&](Term result) {
                    if (!acked)
                        promise->set_value(std::move(result));
                    acked = true;
                });
            loop->run();
        } catch (...) {
            if (!acked)
                promise->set_value(Term::tuple({ Term(atoms::error()), Term(atoms::killed()) }));
            throw;
        }
    };
    runtime.spawn(std::move(body), spawnOptions);
    return future.get();
}

Term call(const Term &server, Term request, std::optional<int64_t> timeoutMs)
{
    return genCall(
        server,
        [&](const Term &from) {
            return Term::tuple({ genCallTag(), from, request });
        },
        MessageKind::Call,
        [&] {
            return Term::tuple({ moduleAtom("GenServer"), callAtom(),
                Term::list({ server, request, timeoutTerm(timeoutMs) }) });
        },
        timeoutMs);
}

void cast(Runtime &runtime, const Term &server, Term request)
{
    const Pid pid = server.isPid() ? server.asPid() : (server.isAtom() ? runtime.whereis(server.asAtom()) : Pid{});
    if (!pid.isValid())
        return; // a cast to nobody is silently dropped, as in OTP
    runtime.send(Term(pid), Term::tuple({ genCastTag(), std::move(request) }), MessageKind::Cast);
}

void replyTo(Runtime &runtime, const Term &from, Term value)
{
    if (!from.isTuple(2) || !from[0].isPid())
        throw RuntimeError("GenServer.reply/2 needs a {pid, tag} from", reasons::argumentError("invalid from"));
    runtime.sendReply(from[0].asPid(), from[1].isReference() ? from[1].asRef() : Ref{},
        Term::tuple({ from[1], std::move(value) }));
}

void stop(const Term &server, Term reason, std::optional<int64_t> timeoutMs)
{
    Runtime &rt = proc::runtime();
    const Term mfa = Term::tuple({ moduleAtom("GenServer"), atom("stop"),
        Term::list({ server, reason, timeoutTerm(timeoutMs) }) });
    const Pid pid = server.isPid() ? server.asPid() : (server.isAtom() ? rt.whereis(server.asAtom()) : Pid{});
    if (!pid.isValid() || !rt.alive(pid))
        proc::exit(Term::tuple({ Term(atoms::noproc()), mfa }));
    const Ref ref = proc::monitor(Term(pid));
    rt.send(Term(pid), Term::tuple({ systemTag(), Term::tuple({ Term(proc::self()), Term(Ref::make()) }), Term::tuple({ atom("terminate"), reason }) }),
        MessageKind::System);
    const Term refTerm(ref);
    auto down = proc::receive(
        [&](const Term &m) {
            return m.isTuple(5) && m[0].isAtom() && m[0].asAtom() == atoms::down() && m[1] == refTerm;
        },
        timeoutMs);
    if (!down) {
        proc::demonitor(ref, true);
        proc::exit(Term::tuple({ Term(atoms::timeout()), mfa }));
    }
    const Term &exitReason = down->term[4];
    if (exitReason.isAtom("noproc"))
        proc::exit(Term::tuple({ Term(atoms::noproc()), mfa }));
    if (!(exitReason == reason))
        proc::exit(Term::tuple({ exitReason, mfa }));
}

} // namespace gen

namespace sys {

Term getState(const Term &server, std::optional<int64_t> timeoutMs)
{
    return sysCall(server, atom("get_state"), "get_state", timeoutMs, sysArgs(server, timeoutMs));
}

Term replaceState(const Term &server, const Term &fun, std::optional<int64_t> timeoutMs)
{
    return sysCall(server, Term::tuple({ atom("replace_state"), fun }), "replace_state", timeoutMs,
        sysArgs(server, timeoutMs, { fun }));
}

Term getStatus(const Term &server, std::optional<int64_t> timeoutMs)
{
    return sysCall(server, atom("get_status"), "get_status", timeoutMs, sysArgs(server, timeoutMs));
}

void suspend(const Term &server, std::optional<int64_t> timeoutMs)
{
    (void)sysCall(server, atom("suspend"), "suspend", timeoutMs, sysArgs(server, timeoutMs));
}

void resume(const Term &server, std::optional<int64_t> timeoutMs)
{
    (void)sysCall(server, atom("resume"), "resume", timeoutMs, sysArgs(server, timeoutMs));
}

void trace(const Term &server, bool on, std::optional<int64_t> timeoutMs)
{
    (void)sysCall(server, Term::tuple({ atom("trace"), Term::boolean(on) }), "trace", timeoutMs,
        sysArgs(server, timeoutMs, { Term::boolean(on) }));
}

} // namespace sys

namespace agent {

namespace {

class AgentServer final : public GenServer {
public:
    explicit AgentServer(Term fun)
        : m_fun(std::move(fun)) {}
    [[nodiscard]] std::string module() const override { return "Agent"; }
    Term init(const Term & /*arg*/) override { return gen::ok(apply(m_fun, {})); }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        if (request.isTuple(2) && request[0].isAtom("get"))
            return gen::reply(apply(request[1], { state }), state);
        if (request.isTuple(2) && request[0].isAtom("update"))
            return gen::reply(Term(atoms::ok()), apply(request[1], { state }));
        if (request.isTuple(2) && request[0].isAtom("get_and_update")) {
            const Term result = apply(request[1], { state });
            if (!result.isTuple(2))
                throw RuntimeError("bad return value", Term::tuple({ atom("bad_return_value"), result }));
            return gen::reply(result[0], result[1]);
        }
        throw NoClause();
    }

private:
    static Term apply(const Term &fun, const std::vector<Term> &args)
    {
        if (!fun.isFunction() || fun.asFunction()->arity() != static_cast<int>(args.size()))
            throw RuntimeError("bad function", Term::structure("BadFunctionError", { { atom("term"), fun } }));
        return fun.asFunction()->call(args);
    }
    Term m_fun;
};

} // namespace

Term start(Runtime &runtime, Term fun, gen::StartOptions options)
{
    return gen::start(runtime, std::make_shared<AgentServer>(std::move(fun)), Term(), options);
}

Term get(const Term &agent, const Term &fun, std::optional<int64_t> timeoutMs)
{
    return gen::call(agent, Term::tuple({ atom("get"), fun }), timeoutMs);
}

Term update(const Term &agent, const Term &fun, std::optional<int64_t> timeoutMs)
{
    return gen::call(agent, Term::tuple({ atom("update"), fun }), timeoutMs);
}

Term getAndUpdate(const Term &agent, const Term &fun, std::optional<int64_t> timeoutMs)
{
    return gen::call(agent, Term::tuple({ atom("get_and_update"), fun }), timeoutMs);
}

void stop(const Term &agent) { gen::stop(agent); }

} // namespace agent

namespace task {

Term async(Term fun)
{
    const Pid owner = proc::self();
    Runtime &rt = proc::runtime();
    // As Elixir's Task: one ref is both the monitor and the alias the result comes back on.
    const Ref ref = Ref::make();
    SpawnOptions options;
    options.link = true;
    options.label = gen::moduleAtom("Task");
    const Pid child = proc::spawn(
        [fun, owner, ref, &rt] {
            if (!fun.isFunction() || fun.asFunction()->arity() != 0)
                throw RuntimeError("bad function", Term::structure("BadFunctionError", { { atom("term"), fun } }));
            Term result = fun.asFunction()->call({});
            rt.sendReply(owner, ref, Term::tuple({ Term(ref), std::move(result) }));
        },
        options);
    (void)proc::monitor(Term(child), ref);
    proc::activateAlias(ref);
    return Term::structure("Task", { { atom("mfa"), Term::tuple({ atom("erlang"), atom("apply"), Term::integer(2) }) }, { atom("owner"), Term(owner) }, { atom("pid"), Term(child) }, { atom("ref"), Term(ref) } });
}

Term await(const Term &task, std::optional<int64_t> timeoutMs)
{
    const Term *refTerm = task.mapFind(atom("ref"));
    if (refTerm == nullptr || !refTerm->isReference())
        throw RuntimeError("not a task", reasons::argumentError("expected a %Task{}"));
    const Term mfa = Term::tuple({ gen::moduleAtom("Task"), atom("await"), Term::list({ task, timeoutTerm(timeoutMs) }) });
    const Pid self = proc::self();
    Runtime &rt = proc::runtime();
    const Term *pid = task.mapFind(atom("pid"));
    recordEvent(rt, EventType::BlockBegin, self, pid != nullptr && pid->isPid() ? pid->asPid() : Pid{},
        awaitAtom(), Term::integer(timeoutMs.value_or(-1)));
    auto reply = proc::receive(
        [&](const Term &m) {
            if (m.isTuple(2) && m[0] == *refTerm)
                return true;
            return m.isTuple(5) && m[0].isAtom() && m[0].asAtom() == atoms::down() && m[1] == *refTerm;
        },
        timeoutMs);
    if (!reply) {
        // Elixir's await leaves the task running but demonitors it with :flush and turns the
        // alias off, so neither a late reply nor the task's :DOWN reaches the mailbox; a reply
        // that came in just now is flushed too.
        recordEvent(rt, EventType::BlockEnd, self, {}, Term(atoms::timeout()), {}, MessageKind::Info, 0,
            EventTimedOut);
        proc::deactivateAlias(refTerm->asRef());
        proc::demonitor(refTerm->asRef(), true);
        (void)proc::receive([&](const Term &m) { return m.isTuple(2) && m[0] == *refTerm; }, 0);
        proc::exit(Term::tuple({ Term(atoms::timeout()), mfa }));
    }
    proc::deactivateAlias(refTerm->asRef());
    proc::demonitor(refTerm->asRef(), true);
    if (reply->term.isTuple(5)) {
        recordEvent(rt, EventType::BlockEnd, self, {}, downAtom(), reply->term[4]);
        proc::exit(Term::tuple({ reply->term[4], mfa }));
    }
    recordEvent(rt, EventType::BlockEnd, self, {}, Term(atoms::ok()), reply->term[1]);
    return reply->term[1];
}

} // namespace task

} // namespace mailroom
