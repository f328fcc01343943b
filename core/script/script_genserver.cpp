// SPDX-License-Identifier: MIT
#include "script/script_genserver.h"

#include "script/exceptions.h"
#include "script/interpreter.h"

namespace mailroom::script {

namespace {

Atom callbackAtom(const char *name)
{
    return Atom::intern(name);
}

// Interned once: Atom::intern takes a global lock.
const Atom &initAtom()
{
    static const Atom a = callbackAtom("init");
    return a;
}
const Atom &handleCallAtom()
{
    static const Atom a = callbackAtom("handle_call");
    return a;
}
const Atom &handleCastAtom()
{
    static const Atom a = callbackAtom("handle_cast");
    return a;
}
const Atom &handleInfoAtom()
{
    static const Atom a = callbackAtom("handle_info");
    return a;
}
const Atom &handleContinueAtom()
{
    static const Atom a = callbackAtom("handle_continue");
    return a;
}
const Atom &terminateAtom()
{
    static const Atom a = callbackAtom("terminate");
    return a;
}

// The frames below a callback that gen_server's init runs, as OTP 25 reports them.
const Term &initFrames()
{
    static const Term frames = [] {
        const auto frame = [](const char *module, const char *function, int arity, const char *file, int line) {
            return Term::tuple({ Term::atom(module), Term::atom(function), Term::integer(arity),
                Term::list({ Term::tuple({ Term::atom("file"), Term::charlist(file) }),
                    Term::tuple({ Term::atom("line"), Term::integer(line) }) }) });
        };
        return Term::list({ frame("gen_server", "init_it", 2, "gen_server.erl", 851),
            frame("gen_server", "init_it", 6, "gen_server.erl", 814),
            frame("proc_lib", "init_p_do_apply", 3, "proc_lib.erl", 240) });
    }();
    return frames;
}

// A stacktrace whose bottom is gen_server's init: `top` (a frame or nothing), then OTP's.
Term initStacktrace(const Term &top)
{
    return top.isTuple(4) ? Term::list({ top }, initFrames()) : initFrames();
}

/// The line of a stack entry {Module, fun, arity, [file: f, line: n]} when it is in `module`,
/// else 0: where a callback failed in its module's source.
uint32_t lineIn(const Term &entry, Atom module)
{
    if (!entry.isTuple(4) || !entry[0].isAtom() || entry[0].asAtom() != module || !entry[3].isList())
        return 0;
    for (const Term &kv : entry[3].listElements())
        if (kv.isTuple(2) && kv[0].isAtom("line") && kv[1].isInteger() && kv[1].asInteger() > 0
            && kv[1].asInteger() <= INT32_MAX)
            return static_cast<uint32_t>(kv[1].asInteger());
    return 0;
}

} // namespace

ScriptGenServer::ScriptGenServer(std::shared_ptr<ScriptHost> host, Atom module)
    : m_host(std::move(host))
    , m_module(module)
    , m_name(module.name().starts_with("Elixir.") ? std::string(module.name().substr(7)) : std::string(module.name()))
{
}

std::optional<Term> ScriptGenServer::invoke(Atom function, std::vector<Term> args) const
{
    const auto module = m_host->modules().find(m_module);
    const FunctionDef *f = module ? module->find(function, static_cast<int>(args.size())) : nullptr;
    if (f == nullptr || f->isPrivate)
        return std::nullopt;
    // The clause that matched goes into the record with the handler's begin (GenServer::clauseChosen).
    struct Listener final : ClauseListener {
        explicit Listener(const ScriptGenServer &server)
            : m_server(server)
        {
        }
        void clauseChosen(const DefNode &clause) override { m_server.clauseChosen(clause.pos.line); }
        const ScriptGenServer &m_server;
    } listener(*this);
    try {
        Interpreter interpreter(*m_host, module->file);
        return interpreter.callModuleFunction(module, *f, std::move(args), &listener);
    } catch (const ScriptException &e) {
        failedAt(lineIn(e.stackTop(), m_module));
        if (e.kind() == ErrorKind::Throw)
            return e.reason(); // gen_server takes a thrown value as the callback's result
        if (function == initAtom() && e.kind() == ErrorKind::Error)
            throw ProcessExit(Term::tuple({ e.reason(), initStacktrace(e.stackTop()) }));
        throw ProcessExit(processExitReason(e));
    }
}

bool ScriptGenServer::usesGenServer() const
{
    const auto module = m_host->modules().find(m_module);
    return module && module->usesGenServer;
}

void ScriptGenServer::undefined(Atom function, const std::vector<Term> &args) const
{
    const Term top = Term::tuple({ Term(m_module), Term(function), Term::list(args), Term() });
    throw ProcessExit(
        Term::tuple({ Term::atom("undef"), function == initAtom() ? initStacktrace(top) : Term::list({ top }) }));
}

void ScriptGenServer::noDefaultClause(std::string_view what, std::string_view callback) const
{
    const Pid self = proc::self();
    const auto name = proc::runtime().registeredName(self);
    const std::string server = name ? Term(*name).inspect() : Term(self).inspect();
    const Term error = exceptionStruct("RuntimeError",
        { { "message",
            Term::binary("attempted to " + std::string(what) + " GenServer " + server + " but no "
                + std::string(callback) + " clause was provided") } });
    const bool call = what == "call";
    const Term stacktrace = Term::list({ Term::tuple({ Term(m_module), Term(call ? handleCallAtom() : handleCastAtom()),
        Term::integer(call ? 3 : 2),
        Term::list({ Term::tuple({ Term::atom("file"), Term::charlist("lib/gen_server.ex") }) }) }) });
    throw ProcessExit(Term::tuple({ error, stacktrace }));
}

Term ScriptGenServer::init(const Term &arg)
{
    if (auto result = invoke(initAtom(), { arg }))
        return *result;
    // `use GenServer` injects init(arg) -> {:ok, arg} into a module without any init/1.
    const auto module = m_host->modules().find(m_module);
    if (module && module->usesGenServer && module->find(initAtom(), 1) == nullptr)
        return Term::tuple({ Term::atom("ok"), arg });
    undefined(initAtom(), { arg });
}

Term ScriptGenServer::handleCall(const Term &request, const Term &from, const Term &state)
{
    if (auto result = invoke(handleCallAtom(), { request, from, state }))
        return *result;
    if (usesGenServer())
        noDefaultClause("call", "handle_call/3");
    undefined(handleCallAtom(), { request, from, state });
}

Term ScriptGenServer::handleCast(const Term &request, const Term &state)
{
    if (auto result = invoke(handleCastAtom(), { request, state }))
        return *result;
    if (usesGenServer())
        noDefaultClause("cast", "handle_cast/2");
    undefined(handleCastAtom(), { request, state });
}

Term ScriptGenServer::handleInfo(const Term &message, const Term &state)
{
    if (auto result = invoke(handleInfoAtom(), { message, state }))
        return *result;
    // use GenServer's default logs the message and goes on. gen_server itself, for a module
    // without handle_info/2 and without `use GenServer`, logs a warning that Elixir's Logger
    // does not show, and goes on. A module whose clauses do not match crashes instead
    // (FunctionClauseError from invoke).
    if (!usesGenServer())
        return Term::tuple({ Term::atom("noreply"), state });
    throw NoClause();
}

Term ScriptGenServer::handleContinue(const Term &continuation, const Term &state)
{
    if (auto result = invoke(handleContinueAtom(), { continuation, state }))
        return *result;
    undefined(handleContinueAtom(), { continuation, state });
}

void ScriptGenServer::terminate(const Term &reason, const Term &state)
{
    (void)invoke(terminateAtom(), { reason, state }); // optional, as in gen_server
}

} // namespace mailroom::script
