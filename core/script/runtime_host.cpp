#include "script/runtime_host.h"

#include "catalog.h"
#include "genserver.h"
#include "script/eval.h"
#include "script/exceptions.h"
#include "script/modules.h"
#include "script/script_genserver.h"

#include <cstdio>

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

/// A timeout argument: a non-negative integer or :infinity.
std::optional<int64_t> timeoutOf(const Term &t, int argumentNumber)
{
    if (t.isAtom("infinity"))
        return std::nullopt;
    if (!t.isInteger() || t.asInteger() < 0)
        raiseBadArgument(argumentNumber, "invalid timeout");
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
        throw ScriptException(ErrorKind::Error, e.term());
    }
}

/// Wraps a script function so C++ code in the runtime can call it: a raise or exit
/// inside becomes the exit of the process it runs in, with the BEAM's reason.
class ProcessFunction final : public FunctionValue {
public:
    explicit ProcessFunction(Term fun) : m_fun(std::move(fun)) {}
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
        raise(Term::structure("BadFunctionError", {{atom("term"), fun}}));
    SpawnOptions options;
    options.link = link;
    options.stackSize = kScriptStackSize;
    auto host = std::static_pointer_cast<RuntimeHost>(shared_from_this());
    return Term(proc::spawn(
        [host, fun] {
            runAsProcess(host->m_runtime, [&] { (void)callFunction(fun, {}, *host); });
        },
        options));
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
        raise(Term::structure("BadFunctionError", {{atom("term"), fun}}));
    return Term::function(new ProcessFunction(fun));
}

std::optional<Term> RuntimeHost::structDefaults(Atom module)
{
    if (moduleName(module) == "PledgeServer.State")
        return findCatalogEntry("PledgeServer")->defaultArg;
    return std::nullopt;
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

Term RuntimeHost::callRuntime(Atom module, Atom function, std::vector<Term> &args)
{
    const std::string_view mod = moduleName(module);
    const std::string_view fn = function.name();
    const size_t n = args.size();
    const auto is = [&](std::string_view m, std::string_view f, size_t minArity, size_t maxArity) {
        return mod == m && fn == f && n >= minArity && n <= maxArity;
    };
    const Term ok(atoms::ok());

    // GenServer -----------------------------------------------------------------------
    if (is("GenServer", "start", 2, 3) || is("GenServer", "start_link", 2, 3)) {
        if (!args[0].isAtom())
            raiseBadArgument(1, "not a module");
        if (modules().find(args[0].asAtom())) {
            // A module the script defined: it replaces a catalog server of the same name.
            gen::StartOptions options = startOptions(args, 2, fn == "start_link");
            options.stackSize = kScriptStackSize;
            return gen::start(m_runtime,
                std::make_shared<ScriptGenServer>(shared_from_this(), args[0].asAtom()), args[1], options);
        }
        const CatalogEntry *entry = findCatalogEntry(args[0].asAtom().name());
        if (entry == nullptr)
            raiseUndefinedFunction(args[0].asAtom(), Atom::intern("init"), 1, false);
        return gen::start(m_runtime, entry->make(), args[1], startOptions(args, 2, fn == "start_link"));
    }
    if (is("GenServer", "call", 2, 3))
        return gen::call(serverOf(args[0]), args[1], n == 3 ? timeoutOf(args[2], 3) : std::optional<int64_t>(5000));
    if (is("GenServer", "cast", 2, 2)) {
        gen::cast(m_runtime, serverOf(args[0]), args[1]);
        return ok;
    }
    if (is("GenServer", "stop", 1, 3)) {
        gen::stop(serverOf(args[0]), n >= 2 ? args[1] : Term(atoms::normal()),
                  n == 3 ? timeoutOf(args[2], 3) : std::nullopt);
        return ok;
    }
    if (is("GenServer", "reply", 2, 2)) {
        gen::replyTo(m_runtime, args[0], args[1]);
        return ok;
    }
    if (is("GenServer", "whereis", 1, 1)) {
        if (args[0].isPid())
            return args[0];
        const Pid pid = args[0].isAtom() ? m_runtime.whereis(args[0].asAtom()) : Pid{};
        return pid.isValid() ? Term(pid) : atom("nil");
    }

    // Agent ----------------------------------------------------------------------------
    if (is("Agent", "start_link", 1, 2) || is("Agent", "start", 1, 2))
        return agent::start(m_runtime, adapt(args[0]), startOptions(args, 1, fn == "start_link"));
    if (is("Agent", "get", 2, 3))
        return agent::get(serverOf(args[0]), adapt(args[1]), n == 3 ? timeoutOf(args[2], 3) : 5000);
    if (is("Agent", "update", 2, 3))
        return agent::update(serverOf(args[0]), adapt(args[1]), n == 3 ? timeoutOf(args[2], 3) : 5000);
    if (is("Agent", "get_and_update", 2, 3))
        return agent::getAndUpdate(serverOf(args[0]), adapt(args[1]), n == 3 ? timeoutOf(args[2], 3) : 5000);
    if (is("Agent", "stop", 1, 1)) {
        agent::stop(serverOf(args[0]));
        return ok;
    }

    // Task -------------------------------------------------------------------------------
    if (is("Task", "async", 1, 1))
        return task::async(adapt(args[0]));
    if (is("Task", "await", 1, 2))
        return task::await(args[0], n == 2 ? timeoutOf(args[1], 2) : 5000);

    // Process ----------------------------------------------------------------------------
    if (is("Process", "send", 3, 3)) {
        proc::send(args[0], args[1]);
        return ok;
    }
    if (is("Process", "send_after", 3, 4)) {
        if (!args[2].isInteger() || args[2].asInteger() < 0)
            raiseBadArgument(3, "not a non-negative integer");
        if (!args[0].isPid() && !args[0].isAtom())
            raiseBadArgument(1, "not a pid or an atom");
        return Term(m_runtime.sendAfter(args[0], args[1], args[2].asInteger()));
    }
    if (is("Process", "cancel_timer", 1, 2)) {
        if (!args[0].isReference())
            raiseBadArgument(1, "not a reference");
        const auto left = m_runtime.cancelTimer(args[0].asRef());
        return left ? Term::integer(*left) : atom("false");
    }
    if (is("Process", "sleep", 1, 1)) {
        const auto ms = timeoutOf(args[0], 1);
        if (ms)
            proc::sleep(*ms);
        else
            (void)proc::receive([](const Term &) { return false; });
        return ok;
    }
    if (is("Process", "alive?", 1, 1))
        return Term::boolean(m_runtime.alive(pidOf(args[0], 1)));
    if (is("Process", "exit", 2, 2)) {
        const Pid pid = pidOf(args[0], 1);
        m_runtime.exit(pid, args[1]);
        if (pid == proc::self())
            (void)proc::receive([](const Term &) { return false; }, 0); // act on it now
        return atom("true");
    }
    if (is("Process", "flag", 2, 2)) {
        if (!args[0].isAtom("trap_exit"))
            raiseArgumentError("Mailroom supports only Process.flag(:trap_exit, boolean), got: " + args[0].inspect());
        if (!args[1].isBoolean())
            raiseBadArgument(2, "not a boolean");
        return Term::boolean(proc::setTrapExit(args[1].isAtom("true")));
    }
    if (is("Process", "info", 2, 2)) {
        const Pid pid = pidOf(args[0], 1);
        if (!m_runtime.alive(pid))
            return atom("nil");
        if (args[1].isAtom("message_queue_len"))
            return Term::tuple({args[1], Term::integer(int64_t(m_runtime.messageQueueLen(pid).value_or(0)))});
        if (args[1].isAtom("registered_name")) {
            const auto name = m_runtime.registeredName(pid);
            return Term::tuple({args[1], name ? Term(*name) : Term()});
        }
        raiseArgumentError("Mailroom supports Process.info/2 with :message_queue_len and :registered_name, got: "
                           + args[1].inspect());
    }
    if (is("Process", "register", 2, 2)) {
        const Pid pid = pidOf(args[0], 1);
        if (!args[1].isAtom() || args[1].isAtom("nil") || args[1].isAtom("undefined"))
            raiseBadArgument(2, "not an atom");
        if (!m_runtime.registerName(args[1].asAtom(), pid))
            raiseBadArgument(2, m_runtime.whereis(args[1].asAtom()).isValid()
                                    ? "this name is already in use"
                                    : "the process is dead or already has a name");
        return atom("true");
    }
    if (is("Process", "unregister", 1, 1)) {
        if (!args[0].isAtom() || !m_runtime.unregisterName(args[0].asAtom()))
            raiseBadArgument(1, "not a registered name");
        return atom("true");
    }
    if (is("Process", "whereis", 1, 1)) {
        if (!args[0].isAtom())
            raiseBadArgument(1, "not an atom");
        const Pid pid = m_runtime.whereis(args[0].asAtom());
        return pid.isValid() ? Term(pid) : atom("nil");
    }
    if (is("Process", "monitor", 1, 1))
        return Term(proc::monitor(args[0]));
    if (is("Process", "demonitor", 1, 2)) {
        if (!args[0].isReference())
            raiseBadArgument(1, "not a reference");
        const bool flush = n == 2 && [&] {
            for (const Term &o : args[1].listElements())
                if (o.isAtom("flush"))
                    return true;
            return false;
        }();
        proc::demonitor(args[0].asRef(), flush);
        return atom("true");
    }
    if (is("Process", "link", 1, 1)) {
        proc::link(pidOf(args[0], 1));
        return atom("true");
    }
    if (is("Process", "unlink", 1, 1)) {
        proc::unlink(pidOf(args[0], 1));
        return atom("true");
    }

    // Kernel functions that need the runtime ---------------------------------------------
    if (is("Kernel", "make_ref", 0, 0))
        return Term(Ref::make());

    // :sys ------------------------------------------------------------------------------
    if (mod == "sys") {
        if (n < 1)
            raiseUndefinedFunction(module, function, int(n), true);
        const Term &server = serverOf(args[0]);
        if (fn == "get_state" && n <= 2)
            return sys::getState(server, n == 2 ? timeoutOf(args[1], 2) : 5000);
        if (fn == "replace_state" && (n == 2 || n == 3))
            return sys::replaceState(server, adapt(args[1]), n == 3 ? timeoutOf(args[2], 3) : 5000);
        if (fn == "get_status" && n <= 2)
            return sys::getStatus(server, n == 2 ? timeoutOf(args[1], 2) : 5000);
        if (fn == "suspend" && n <= 2) {
            sys::suspend(server, n == 2 ? timeoutOf(args[1], 2) : 5000);
            return ok;
        }
        if (fn == "resume" && n <= 2) {
            sys::resume(server, n == 2 ? timeoutOf(args[1], 2) : 5000);
            return ok;
        }
        if (fn == "trace" && (n == 2 || n == 3)) {
            if (!args[1].isBoolean())
                raiseArgumentError("Mailroom supports :sys.trace(server, true | false)");
            sys::trace(server, args[1].isAtom("true"), n == 3 ? timeoutOf(args[2], 3) : 5000);
            return ok;
        }
        raiseUndefinedFunction(module, function, int(n), true);
    }

    // The catalog modules' client functions ----------------------------------------------
    if (const CatalogEntry *entry = findCatalogEntry(mod)) {
        for (const auto &client : entry->clientFunctions)
            if (client.name == fn && client.arity == int(n))
                return client.call(args);
        raiseUndefinedFunction(module, function, int(n), true);
    }
    const bool known = mod == "GenServer" || mod == "Agent" || mod == "Task" || mod == "Process" || mod == "Kernel";
    raiseUndefinedFunction(module, function, int(n), known);
}

} // namespace mailroom::script
