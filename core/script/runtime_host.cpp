// SPDX-License-Identifier: MIT
#include "script/runtime_host.h"

#include "genserver.h"
#include "script/catalog.h"
#include "script/eval.h"
#include "script/exceptions.h"
#include "script/interpreter.h"
#include "script/modules.h"
#include "script/script_genserver.h"

#include <cstdio>
#include <unordered_map>
#include <utility>

namespace mailroom::script {

namespace {

Term atom(std::string_view name) { return Term::atom(name); }

std::string_view moduleName(Atom module)
{
    std::string_view name = module.name();
    if (name.starts_with("Elixir."))
        name.remove_prefix(7);
    return name;
}

/// A keyword list's value for `key`, or nullptr.
const Term *keyword(const Term &options, std::string_view key)
{
    for (const Term *t = &options; t->isCons(); t = &t->tail()) {
        const Term &pair = t->head();
        if (pair.isTuple(2) && pair[0].isAtom(key))
            return &pair[1];
    }
    return nullptr;
}

/// A timeout argument: a non-negative integer or :infinity. Past kMaxTimeoutMs it raises
/// :timeout_value, as the receive inside Process.sleep and GenServer.call does on the BEAM.
std::optional<int64_t> timeoutOf(const Term &t, int argumentNumber)
{
    if (t.isAtom("infinity"))
        return std::nullopt;
    if (!t.isInteger() || t.asInteger() < 0)
        raiseBadArgument(argumentNumber, "invalid timeout");
    if (t.asInteger() > kMaxTimeoutMs)
        raise(atom("timeout_value"));
    return t.asInteger();
}

Pid pidOf(const Term &t, int argumentNumber)
{
    if (!t.isPid())
        raiseBadArgument(argumentNumber, "not a pid");
    return t.asPid();
}

/// A server reference as GenServer accepts it: a pid or a registered name.
const Term &serverOf(const Term &t)
{
    if (t.isPid() || t.isAtom())
        return t;
    if (t.isTuple() && t.tupleSize() >= 1 && (t[0].isAtom("global") || t[0].isAtom("via")))
        raiseArgumentError("{:global, ...} and {:via, ...} names are not supported by Mailroom's runtime");
    raiseArgumentError("expected a pid or a registered name, got: " + t.inspect());
}

gen::StartOptions startOptions(const std::vector<Term> &args, size_t optionsIndex, bool link)
{
    gen::StartOptions o;
    o.link = link;
    if (args.size() > optionsIndex) {
        const Term &options = args[optionsIndex];
        if (!options.isList())
            raiseArgumentError("expected a keyword list of options, got: " + options.inspect());
        if (const Term *name = keyword(options, "name")) {
            if (!name->isAtom())
                raiseArgumentError("expected :name option to be an atom, got: " + name->inspect());
            o.name = name->asAtom();
        }
    }
    return o;
}

/// Process.flag/info's max_heap_size: %{error_logger: true, kill: true, size: words}.
Term maxHeapSizeTerm(int64_t words)
{
    return Term::map({ { Term::atom("error_logger"), Term::boolean(true) }, { Term::atom("kill"), Term::boolean(true) },
        { Term::atom("size"), Term::integer(words) } });
}

/// Exits that scripts can catch (from calls, stops, awaits) become ScriptExceptions;
/// exit *signals* pass through untouched: they end the process, as on the BEAM.
template<typename F>
Term guarded(F &&f)
{
    try {
        return f();
    } catch (const ExitSignal &) {
        throw;
    } catch (const ProcessExit &e) {
        throw ScriptException(ErrorKind::Exit, e.reason());
    } catch (const RuntimeError &e) {
        // A BIF's bad argument (send/2 to a name nobody has): `catch` sees :badarg.
        const Term *message = e.term().structModule() != nullptr && e.term().structModule()->isAtom("Elixir.ArgumentError")
            ? e.term().mapFind(Term::atom("message"))
            : nullptr;
        if (message != nullptr && message->isBinary()
            && message->asBinary().starts_with("errors were found at the given arguments")) {
            ScriptException raw(ErrorKind::Error, Term::atom("badarg"));
            raw.setException(e.term());
            throw raw;
        }
        throw ScriptException(ErrorKind::Error, e.term());
    }
}

/// Whether `fun`, called with no arguments, begins by waiting in a `receive` without
/// `after`: until a message comes it does nothing else, so it needs no stack until then.
bool beginsWithReceive(const Term &fun)
{
    const auto *closure = dynamic_cast<const Closure *>(fun.asFunction());
    if (closure == nullptr || closure->node().kind != NodeKind::Fn)
        return false;
    const auto &fn = closure->node().as<FnNode>();
    if (fn.clauses.size() != 1 || !fn.clauses[0].patterns.empty() || fn.clauses[0].guard)
        return false;
    const Node *first = fn.clauses[0].body.get();
    if (first->kind == NodeKind::Block) {
        const auto &block = first->as<BlockNode>();
        if (block.exprs.empty())
            return false;
        first = block.exprs.front().get();
    }
    return first->kind == NodeKind::Receive && !first->as<ReceiveNode>().timeout;
}

/// Wraps a script function so C++ code in the runtime can call it: a raise or exit
/// inside becomes the exit of the process it runs in, with the BEAM's reason.
class ProcessFunction final : public FunctionValue {
public:
    explicit ProcessFunction(Term fun)
        : m_fun(std::move(fun)) {}
    [[nodiscard]] int arity() const override { return m_fun.asFunction()->arity(); }
    [[nodiscard]] std::string describe() const override { return m_fun.asFunction()->describe(); }
    [[nodiscard]] Term call(const std::vector<Term> &args) const override
    {
        try {
            return m_fun.asFunction()->call(args);
        } catch (const ScriptException &e) {
            throw ProcessExit(processExitReason(e));
        }
    }

private:
    Term m_fun;
};

} // namespace

Term RuntimeHost::self() { return Term(proc::self()); }

void RuntimeHost::send(const Term &dest, const Term &message)
{
    (void)guarded([&] {
        proc::send(dest, message);
        return Term();
    });
}

std::optional<Term> RuntimeHost::receive(const std::function<bool(const Term &)> &matches,
    std::optional<int64_t> timeoutMs)
{
    auto m = proc::receive(matches, timeoutMs);
    if (!m)
        return std::nullopt;
    return std::move(m->term);
}

Term RuntimeHost::spawn(const Term &fun, bool link)
{
    if (!fun.isFunction() || fun.asFunction()->arity() != 0)
        raise(Term::structure("BadFunctionError", { { atom("term"), fun } }));
    SpawnOptions options;
    options.link = link;
    options.stackSize = kScriptStackSize;
    options.startOnMessage = beginsWithReceive(fun);
    auto host = std::static_pointer_cast<RuntimeHost>(shared_from_this());
    // Past the runtime's limit (no stack to be had) the spawn raises SystemLimitError, as
    // Elixir's does past +P.
    return guarded([&] {
        return Term(proc::spawn(
            [host, fun] {
                runAsProcess(host->m_runtime, [&] { (void)callFunction(fun, {}, *host); });
            },
            options));
    });
}

void RuntimeHost::runAsProcess(Runtime &runtime, const std::function<void()> &body)
{
    try {
        body();
    } catch (const ScriptException &e) {
        if (e.kind() != ErrorKind::Exit)
            runtime.report("[error] Process " + Term(proc::self()).inspect() + " raised an exception\n" + e.banner()
                + "\n");
        throw ProcessExit(processExitReason(e));
    }
}

Term RuntimeHost::adapt(const Term &fun)
{
    if (!fun.isFunction())
        raise(Term::structure("BadFunctionError", { { atom("term"), fun } }));
    return Term::function(new ProcessFunction(fun));
}

RuntimeHost::RuntimeHost(Runtime &runtime)
    : m_runtime(runtime)
{
    // Versions are stamped with the record's time, so that a view finds the one an event ran.
    modules().setClock([&runtime] { return runtime.clock().now(); });
    // Every session starts with the catalog's modules, as if a script had defined them.
    for (const auto &module : catalogModules())
        (void)modules().define(module);
}

void RuntimeHost::yieldPoint() { proc::yieldPoint(); }

void RuntimeHost::output(std::string_view text)
{
    if (proc::inProcess())
        m_runtime.output(proc::self(), text);
    else
        ScriptHost::output(text);
}

void RuntimeHost::errorOutput(std::string_view text) { m_runtime.report(text); }

Term RuntimeHost::callModule(Atom module, Atom function, std::vector<Term> args)
{
    return guarded([&] { return callRuntime(module, function, args); });
}

namespace {

using Args = std::vector<Term>;

std::optional<int64_t> optionalTimeout(const Args &a, size_t index, std::optional<int64_t> otherwise)
{
    return a.size() > index ? timeoutOf(a[index], static_cast<int>(index) + 1) : otherwise;
}

} // namespace

/// One function the runtime provides: Module.name with minArity..maxArity arguments.
struct RuntimeHost::RuntimeFunction {
    std::string_view module; ///< Elixir name without the prefix ("GenServer"), or an Erlang one ("sys")
    std::string_view name;
    size_t minArity;
    size_t maxArity;
    Term (*call)(RuntimeHost &host, Args &args, std::string_view name);
};

const std::vector<RuntimeHost::RuntimeFunction> &RuntimeHost::runtimeFunctions()
{
    static const std::vector<RuntimeFunction> table = {
        // GenServer ---------------------------------------------------------------------
        { "GenServer", "start", 2, 3, &RuntimeHost::startServer },
        { "GenServer", "start_link", 2, 3, &RuntimeHost::startServer },
        { "GenServer", "call", 2, 3,
            [](RuntimeHost &, Args &a, std::string_view) {
                return gen::call(serverOf(a[0]), a[1], optionalTimeout(a, 2, 5000));
            } },
        { "GenServer", "cast", 2, 2,
            [](RuntimeHost &h, Args &a, std::string_view) {
                gen::cast(h.m_runtime, serverOf(a[0]), a[1]);
                return Term(atoms::ok());
            } },
        { "GenServer", "stop", 1, 3,
            [](RuntimeHost &, Args &a, std::string_view) {
                gen::stop(serverOf(a[0]), a.size() >= 2 ? a[1] : Term(atoms::normal()),
                    optionalTimeout(a, 2, std::nullopt));
                return Term(atoms::ok());
            } },
        { "GenServer", "reply", 2, 2,
            [](RuntimeHost &h, Args &a, std::string_view) {
                gen::replyTo(h.m_runtime, a[0], a[1]);
                return Term(atoms::ok());
            } },
        { "GenServer", "whereis", 1, 1,
            [](RuntimeHost &h, Args &a, std::string_view) {
                if (a[0].isPid())
                    return a[0];
                const Pid pid = a[0].isAtom() ? h.m_runtime.whereis(a[0].asAtom()) : Pid{};
                return pid.isValid() ? Term(pid) : atom("nil");
            } },
        // Agent ------------------------------------------------------------------------
        { "Agent", "start", 1, 2, &RuntimeHost::startAgent },
        { "Agent", "start_link", 1, 2, &RuntimeHost::startAgent },
        { "Agent", "get", 2, 3,
            [](RuntimeHost &h, Args &a, std::string_view) {
                return agent::get(serverOf(a[0]), h.adapt(a[1]), optionalTimeout(a, 2, 5000));
            } },
        { "Agent", "update", 2, 3,
            [](RuntimeHost &h, Args &a, std::string_view) {
                return agent::update(serverOf(a[0]), h.adapt(a[1]), optionalTimeout(a, 2, 5000));
            } },
        { "Agent", "get_and_update", 2, 3,
            [](RuntimeHost &h, Args &a, std::string_view) {
                return agent::getAndUpdate(serverOf(a[0]), h.adapt(a[1]), optionalTimeout(a, 2, 5000));
            } },
        { "Agent", "stop", 1, 1,
            [](RuntimeHost &, Args &a, std::string_view) {
                agent::stop(serverOf(a[0]));
                return Term(atoms::ok());
            } },
        // Task ---------------------------------------------------------------------------
        { "Task", "async", 1, 1, [](RuntimeHost &h, Args &a, std::string_view) { return task::async(h.adapt(a[0])); } },
        { "Task", "await", 1, 2,
            [](RuntimeHost &, Args &a, std::string_view) { return task::await(a[0], optionalTimeout(a, 1, 5000)); } },
        // Process ------------------------------------------------------------------------
        { "Process", "send", 3, 3,
            [](RuntimeHost &, Args &a, std::string_view) {
                proc::send(a[0], a[1]);
                return Term(atoms::ok());
            } },
        { "Process", "send_after", 3, 4,
            [](RuntimeHost &h, Args &a, std::string_view) {
                if (!a[2].isInteger() || a[2].asInteger() < 0)
                    raiseBadArgument(3, "not a non-negative integer");
                if (!a[0].isPid() && !a[0].isAtom())
                    raiseBadArgument(1, "not a pid or an atom");
                // :erlang.send_after, whose first argument is the time: a deadline past what
                // the clock counts (2^63 ns) is refused, as the BEAM refuses one past its own.
                if (a[2].asInteger() > (INT64_MAX - h.m_runtime.clock().now()) / 1'000'000)
                    raiseBadArgument(1, "exceeds the maximum supported time value");
                return Term(h.m_runtime.sendAfter(a[0], a[1], a[2].asInteger()));
            } },
        { "Process", "cancel_timer", 1, 2,
            [](RuntimeHost &h, Args &a, std::string_view) {
                if (!a[0].isReference())
                    raiseBadArgument(1, "not a reference");
                const auto left = h.m_runtime.cancelTimer(a[0].asRef());
                return left ? Term::integer(*left) : atom("false");
            } },
        { "Process", "sleep", 1, 1,
            [](RuntimeHost &, Args &a, std::string_view) {
                if (const auto ms = timeoutOf(a[0], 1))
                    proc::sleep(*ms);
                else
                    (void)proc::receive([](const Term &) { return false; });
                return Term(atoms::ok());
            } },
        { "Process", "alive?", 1, 1,
            [](RuntimeHost &h, Args &a, std::string_view) { return Term::boolean(h.m_runtime.alive(pidOf(a[0], 1))); } },
        { "Process", "exit", 2, 2,
            [](RuntimeHost &h, Args &a, std::string_view) {
                const Pid pid = pidOf(a[0], 1);
                h.m_runtime.exit(pid, a[1]);
                if (pid == proc::self())
                    (void)proc::receive([](const Term &) { return false; }, 0); // act on it now
                return atom("true");
            } },
        { "Process", "flag", 2, 2,
            [](RuntimeHost &, Args &a, std::string_view) {
                if (a[0].isAtom("max_heap_size")) {
                    // A size in words, or %{size: n} (kill: and error_logger: stay true).
                    const Term *size = a[1].isMap() ? a[1].mapFind(atom("size")) : &a[1];
                    if (size == nullptr || !size->isInteger() || size->asInteger() < 0)
                        raiseBadArgument(2, "invalid value for max_heap_size");
                    return maxHeapSizeTerm(proc::setMaxHeapWords(size->asInteger()));
                }
                if (!a[0].isAtom("trap_exit"))
                    raiseArgumentError("Mailroom supports Process.flag(:trap_exit, boolean) and "
                                       "Process.flag(:max_heap_size, size), got: "
                        + a[0].inspect());
                if (!a[1].isBoolean())
                    raiseBadArgument(2, "not a boolean");
                return Term::boolean(proc::setTrapExit(a[1].isAtom("true")));
            } },
        { "Process", "info", 2, 2, &RuntimeHost::processInfo },
        // Logger (Receiver logs an unexpected message as use GenServer would) -----------
        { "Logger", "error", 1, 1,
            [](RuntimeHost &h, Args &a, std::string_view) {
                h.m_runtime.report("[error] " + toStringChars(a[0]) + "\n");
                return Term(atoms::ok());
            } },
        { "Process", "register", 2, 2,
            [](RuntimeHost &h, Args &a, std::string_view) {
                // Elixir's Process.register: a guard on the name, then :erlang.register's
                // badarg turned into one ArgumentError for every cause.
                if (!a[1].isAtom() || a[1].isAtom("nil") || a[1].isAtom("undefined") || a[1].isBoolean())
                    raiseFunctionClause("Process", "register", 2);
                if (!a[0].isPid() || !h.m_runtime.registerName(a[1].asAtom(), a[0].asPid()))
                    raiseArgumentError("could not register " + a[0].inspect() + " with name " + a[1].inspect()
                        + " because it is not alive, the name is already taken, or it has already been given "
                          "another name");
                return atom("true");
            } },
        { "Process", "unregister", 1, 1,
            [](RuntimeHost &h, Args &a, std::string_view) {
                if (!a[0].isAtom() || !h.m_runtime.unregisterName(a[0].asAtom()))
                    raiseBadArgument(1, "not a pid"); // sic: OTP 25's error_info for unregister/1
                return atom("true");
            } },
        { "Process", "whereis", 1, 1,
            [](RuntimeHost &h, Args &a, std::string_view) {
                if (!a[0].isAtom())
                    raiseBadArgument(1, "not an atom");
                const Pid pid = h.m_runtime.whereis(a[0].asAtom());
                return pid.isValid() ? Term(pid) : atom("nil");
            } },
        { "Process", "monitor", 1, 1, [](RuntimeHost &, Args &a, std::string_view) { return Term(proc::monitor(a[0])); } },
        { "Process", "demonitor", 1, 2,
            [](RuntimeHost &, Args &a, std::string_view) {
                if (!a[0].isReference())
                    raiseBadArgument(1, "not a reference");
                bool flush = false;
                if (a.size() == 2)
                    for (const Term &o : a[1].listElements())
                        flush = flush || o.isAtom("flush");
                proc::demonitor(a[0].asRef(), flush);
                return atom("true");
            } },
        { "Process", "link", 1, 1,
            [](RuntimeHost &, Args &a, std::string_view) {
                proc::link(pidOf(a[0], 1));
                return atom("true");
            } },
        { "Process", "unlink", 1, 1,
            [](RuntimeHost &, Args &a, std::string_view) {
                proc::unlink(pidOf(a[0], 1));
                return atom("true");
            } },
        // Kernel functions that need the runtime ---------------------------------------------
        { "Kernel", "make_ref", 0, 0, [](RuntimeHost &, Args &, std::string_view) { return Term(Ref::make()); } },
        // :sys ------------------------------------------------------------------------------
        { "sys", "get_state", 1, 2,
            [](RuntimeHost &, Args &a, std::string_view) {
                return sys::getState(serverOf(a[0]), optionalTimeout(a, 1, 5000));
            } },
        { "sys", "replace_state", 2, 3,
            [](RuntimeHost &h, Args &a, std::string_view) {
                return sys::replaceState(serverOf(a[0]), h.adapt(a[1]), optionalTimeout(a, 2, 5000));
            } },
        { "sys", "get_status", 1, 2,
            [](RuntimeHost &, Args &a, std::string_view) {
                return sys::getStatus(serverOf(a[0]), optionalTimeout(a, 1, 5000));
            } },
        { "sys", "suspend", 1, 2,
            [](RuntimeHost &, Args &a, std::string_view) {
                sys::suspend(serverOf(a[0]), optionalTimeout(a, 1, 5000));
                return Term(atoms::ok());
            } },
        { "sys", "resume", 1, 2,
            [](RuntimeHost &, Args &a, std::string_view) {
                sys::resume(serverOf(a[0]), optionalTimeout(a, 1, 5000));
                return Term(atoms::ok());
            } },
        { "sys", "trace", 2, 3,
            [](RuntimeHost &, Args &a, std::string_view) {
                const Term &server = serverOf(a[0]);
                if (!a[1].isBoolean())
                    raiseArgumentError("Mailroom supports :sys.trace(server, true | false)");
                sys::trace(server, a[1].isAtom("true"), optionalTimeout(a, 2, 5000));
                return Term(atoms::ok());
            } },
    };
    return table;
}

Term RuntimeHost::startServer(RuntimeHost &h, Args &a, std::string_view name)
{
    if (!a[0].isAtom())
        raiseBadArgument(1, "not a module");
    // A catalog module or one the script defined (which replaces a catalog one of that name).
    // A module that does not exist fails in the server's init, as OTP's does: the caller gets
    // {:error, {:undef, stacktrace}} and, linked, the exit signal.
    gen::StartOptions options = startOptions(a, 2, name == "start_link");
    options.stackSize = kScriptStackSize;
    return gen::start(
        h.m_runtime, std::make_shared<ScriptGenServer>(h.shared_from_this(), a[0].asAtom()), a[1], options);
}

Term RuntimeHost::startAgent(RuntimeHost &h, Args &a, std::string_view name)
{
    return agent::start(h.m_runtime, h.adapt(a[0]), startOptions(a, 1, name == "start_link"));
}

int64_t RuntimeHost::maxHeapWords() { return proc::maxHeapWords(); }

void RuntimeHost::heapLimitReached(int64_t words) { proc::heapLimitReached(words); }

Term RuntimeHost::processInfo(RuntimeHost &h, Args &a, std::string_view)
{
    const Pid pid = pidOf(a[0], 1);
    if (!h.m_runtime.alive(pid))
        return atom("nil");
    if (a[1].isAtom("message_queue_len"))
        return Term::tuple({ a[1], Term::integer(int64_t(h.m_runtime.messageQueueLen(pid).value_or(0))) });
    if (a[1].isAtom("max_heap_size")) {
        const auto words = h.m_runtime.maxHeapWords(pid);
        return words ? Term::tuple({ a[1], maxHeapSizeTerm(*words) }) : atom("nil");
    }
    if (a[1].isAtom("registered_name")) {
        const auto name = h.m_runtime.registeredName(pid);
        return Term::tuple({ a[1], name ? Term(*name) : Term() });
    }
    raiseArgumentError("Mailroom supports Process.info/2 with :message_queue_len and :registered_name, got: "
        + a[1].inspect());
}

Term RuntimeHost::callRuntime(Atom module, Atom function, std::vector<Term> &args)
{
    // Looked up by (module, name) once per pair; arities are checked on the entries found.
    struct Index {
        std::unordered_map<uint64_t, std::vector<const RuntimeFunction *>> byName;
        Index()
        {
            for (const auto &f : runtimeFunctions()) {
                const std::string prefix = f.module == "sys" ? "" : "Elixir.";
                const Atom m = Atom::intern(prefix + std::string(f.module));
                byName[(uint64_t(m.id()) << 32U) | Atom::intern(f.name).id()].push_back(&f);
            }
        }
    };
    static const Index index;
    const std::string_view mod = moduleName(module);
    const size_t n = args.size();
    const auto it = index.byName.find((uint64_t(module.id()) << 32U) | function.id());
    if (it != index.byName.end())
        for (const RuntimeFunction *f : it->second)
            if (n >= f->minArity && n <= f->maxArity)
                return f->call(*this, args, f->name);

    const bool known = mod == "GenServer" || mod == "Agent" || mod == "Task" || mod == "Process" || mod == "Kernel"
        || mod == "sys";
    raiseUndefinedFunction(module, function, int(n), known, &args);
}

} // namespace mailroom::script
