// SPDX-License-Identifier: MIT
#include "native_servers.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace mailroom {

namespace {

/// Prints a line the way IO.puts does, from the current process.
void putsFromProcess(std::string_view line)
{
    std::string text(line);
    text += '\n';
    proc::runtime().output(proc::self(), text);
}

Term atom(std::string_view name) { return Term::atom(name); }

bool isAtom(const Term &t, std::string_view name) { return t.isAtom(name); }

/// "[HH:MM:SS.mmm]" of the current UTC wall-clock time, as the Elixir logger formats it.
std::string utcTimestamp()
{
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d.%03d", utc.tm_hour, utc.tm_min, utc.tm_sec, int(ms));
    return buffer;
}

class AsyncLogger final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "AsyncLogger"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term()); }
    Term handleCast(const Term &request, const Term &logs) override
    {
        if (!(request.isTuple(2) && isAtom(request[0], "log")))
            throw NoClause();
        const Term &message = request[1];
        const std::string text = message.isBinary() ? std::string(message.asBinary()) : message.inspect();
        const std::string entry = "[" + utcTimestamp() + "] " + text;
        putsFromProcess(entry);
        return gen::noreply(Term::cons(Term::binary(entry), logs));
    }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &logs) override
    {
        if (!isAtom(request, "get_logs"))
            throw NoClause();
        auto entries = logs.listElements();
        return gen::reply(Term::list(std::vector<Term>(entries.rbegin(), entries.rend())), logs);
    }
};

/// The sleeps of SlowServer and Counter: real blocking of the process on the virtual clock.
class SlowServer final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "SlowServer"; }
    Term init(const Term & /*arg*/) override { return gen::ok(atom("nil")); }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        int64_t ms = 0;
        if (isAtom(request, "sleep"))
            ms = 1000;
        else if (request.isTuple(2) && isAtom(request[0], "sleep") && request[1].isInteger())
            ms = request[1].asInteger();
        else
            throw NoClause();
        putsFromProcess("Starting sleep");
        proc::sleep(ms);
        putsFromProcess("Ending sleep");
        return gen::reply(Term::binary("response!"), state);
    }
};

class Counter final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Counter"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::integer(0)); }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        if (!isAtom(request, "get_count"))
            throw NoClause();
        return gen::reply(state, state);
    }
    Term handleCast(const Term &request, const Term &state) override
    {
        if (!isAtom(request, "increment"))
            throw NoClause();
        proc::sleep(1000);
        const Term next = Term::integer(state.asInteger() + 1);
        putsFromProcess("count: " + std::to_string(next.asInteger()));
        return gen::noreply(next);
    }
};

class Journal final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Journal"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term()); }
    Term handleCast(const Term &request, const Term &entries) override
    {
        if (!(request.isTuple(2) && isAtom(request[0], "add_entry")))
            throw NoClause();
        return gen::noreply(Term::cons(request[1], entries));
    }
};

class Receiver final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Receiver"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term()); }
    Term handleInfo(const Term &message, const Term &state) override
    {
        if (!isAtom(message, "message"))
            throw NoClause(); // reported as an unexpected message; the server goes on
        putsFromProcess("Received a message!");
        return gen::noreply(state);
    }
};

class MisbehavingGenServer final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "MisbehavingGenServer"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term()); }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        if (isAtom(request, "message")) {
            (void)gen::call(Term(proc::self()), atom("talking_to_myself")); // exits with calling_self
            putsFromProcess("Received a message!");
            return gen::reply(state, state);
        }
        if (isAtom(request, "talking_to_myself")) {
            putsFromProcess("Sent a message to myself");
            return gen::reply(state, state);
        }
        throw NoClause();
    }
};

/// IncrementingCounter and DecrementingCounter: a self-scheduled tick changes the count.
class TickingCounter final : public GenServer {
public:
    TickingCounter(std::string module, std::string_view tick, int64_t periodMs, int64_t step)
        : m_module(std::move(module)), m_tick(atom(tick)), m_periodMs(periodMs), m_step(step)
    {
    }
    [[nodiscard]] std::string module() const override { return m_module; }
    Term init(const Term & /*arg*/) override
    {
        schedule();
        return gen::ok(Term::integer(0));
    }
    Term handleInfo(const Term &message, const Term &state) override
    {
        if (!(message == m_tick))
            throw NoClause();
        schedule();
        return gen::noreply(Term::integer(state.asInteger() + m_step));
    }

private:
    void schedule() { proc::runtime().sendAfter(Term(proc::self()), m_tick, m_periodMs); }
    std::string m_module;
    Term m_tick;
    int64_t m_periodMs;
    int64_t m_step;
};

Term pledgeState(int64_t cacheSize, Term pledges)
{
    return Term::structure("PledgeServer.State",
        { { atom("cache_size"), Term::integer(cacheSize) }, { atom("pledges"), std::move(pledges) } });
}

Term take(const Term &list, int64_t n)
{
    std::vector<Term> out;
    for (const Term *t = &list; t->isCons() && int64_t(out.size()) < n; t = &t->tail())
        out.push_back(t->head());
    return Term::list(out);
}

class PledgeServer final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "PledgeServer"; }
    Term init(const Term &arg) override { return gen::ok(arg.isMap() ? arg : pledgeState(3, Term())); }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        const int64_t cacheSize = state.mapFind(atom("cache_size"))->asInteger();
        const Term &pledges = *state.mapFind(atom("pledges"));
        if (request.isTuple(3) && isAtom(request[0], "create_pledge")) {
            const Term updated = take(Term::cons(Term::tuple({ request[1], request[2] }), pledges), cacheSize);
            return gen::reply(Term(atoms::ok()), state.mapPut(atom("pledges"), updated));
        }
        if (isAtom(request, "recent_pledges"))
            return gen::reply(pledges, state);
        if (isAtom(request, "total_pledged")) {
            int64_t total = 0;
            for (const Term &p : pledges.listElements())
                total += p[1].asInteger();
            return gen::reply(Term::integer(total), state);
        }
        throw NoClause();
    }
    Term handleCast(const Term &request, const Term &state) override
    {
        if (request.isTuple(2) && isAtom(request[0], "set_cache_size") && request[1].isInteger()) {
            const int64_t size = request[1].asInteger();
            return gen::noreply(state.mapPut(atom("cache_size"), request[1])
                                    .mapPut(atom("pledges"), take(*state.mapFind(atom("pledges")), size)));
        }
        if (isAtom(request, "clear"))
            return gen::noreply(state.mapPut(atom("pledges"), Term()));
        throw NoClause();
    }
};

/// Starts a catalog server from the current process, registered under `name` when given.
Term startServer(const NativeServer &entry, Term arg, std::optional<std::string> name, bool link)
{
    gen::StartOptions options;
    options.link = link;
    if (name)
        options.name = Atom::intern(*name);
    return gen::start(proc::runtime(), entry.make(), std::move(arg), options);
}

std::vector<NativeServer> buildServers()
{
    std::vector<NativeServer> entries;
    const auto plainServer = [](const std::string &module) {
        return [module]() -> std::shared_ptr<GenServer> {
            if (module == "SlowServer")
                return std::make_shared<SlowServer>();
            if (module == "Counter")
                return std::make_shared<Counter>();
            if (module == "Journal")
                return std::make_shared<Journal>();
            if (module == "Receiver")
                return std::make_shared<Receiver>();
            if (module == "MisbehavingGenServer")
                return std::make_shared<MisbehavingGenServer>();
            if (module == "IncrementingCounter")
                return std::make_shared<TickingCounter>("IncrementingCounter", "increment", 1000, 1);
            return std::make_shared<TickingCounter>("DecrementingCounter", "decrement", 500, -1);
        };
    };

    {
        NativeServer e;
        e.module = "AsyncLogger";
        e.make = [] { return std::make_shared<AsyncLogger>(); };
        e.clientFunctions = {
            { "start_link", 0,
                [](const std::vector<Term> &) {
                    return startServer(*findNativeServer("AsyncLogger"), Term(), "Elixir.AsyncLogger", true);
                } },
            { "log", 1,
                [](const std::vector<Term> &args) {
                    gen::cast(proc::runtime(), gen::moduleAtom("AsyncLogger"), Term::tuple({ atom("log"), args[0] }));
                    return Term(atoms::ok());
                } },
            { "get_logs", 0,
                [](const std::vector<Term> &) { return gen::call(gen::moduleAtom("AsyncLogger"), atom("get_logs")); } },
        };
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "SlowServer";
        e.defaultArg = Term::integer(0);
        e.make = plainServer("SlowServer");
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "Counter";
        e.defaultArg = Term::integer(0);
        e.make = plainServer("Counter");
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "Journal";
        e.make = plainServer("Journal");
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "Receiver";
        e.make = plainServer("Receiver");
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "MisbehavingGenServer";
        e.make = plainServer("MisbehavingGenServer");
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "IncrementingCounter";
        e.make = plainServer("IncrementingCounter");
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "DecrementingCounter";
        e.make = plainServer("DecrementingCounter");
        entries.push_back(std::move(e));
    }
    {
        NativeServer e;
        e.module = "PledgeServer";
        e.defaultArg = pledgeState(3, Term());
        e.make = [] { return std::make_shared<PledgeServer>(); };
        const auto call = [](Term request) { return gen::call(atom("pledge_server"), std::move(request)); };
        const auto cast = [](Term request) {
            gen::cast(proc::runtime(), atom("pledge_server"), std::move(request));
            return Term(atoms::ok());
        };
        e.clientFunctions = {
            { "start", 0,
                [](const std::vector<Term> &) {
                    return startServer(*findNativeServer("PledgeServer"), pledgeState(3, Term()), "pledge_server", false);
                } },
            { "start_link", 0,
                [](const std::vector<Term> &) {
                    return startServer(*findNativeServer("PledgeServer"), pledgeState(3, Term()), "pledge_server", true);
                } },
            { "create_pledge", 2,
                [call](const std::vector<Term> &a) { return call(Term::tuple({ atom("create_pledge"), a[0], a[1] })); } },
            { "recent_pledges", 0, [call](const std::vector<Term> &) { return call(atom("recent_pledges")); } },
            { "total_pledged", 0, [call](const std::vector<Term> &) { return call(atom("total_pledged")); } },
            { "set_cache_size", 1,
                [cast](const std::vector<Term> &a) { return cast(Term::tuple({ atom("set_cache_size"), a[0] })); } },
            { "clear", 0, [cast](const std::vector<Term> &) { return cast(atom("clear")); } },
        };
        entries.push_back(std::move(e));
    }
    return entries;
}

} // namespace

const std::vector<NativeServer> &nativeServers()
{
    static const std::vector<NativeServer> entries = buildServers();
    return entries;
}

const NativeServer *findNativeServer(std::string_view module)
{
    if (module.starts_with("Elixir."))
        module.remove_prefix(7);
    for (const auto &entry : nativeServers())
        if (entry.module == module)
            return &entry;
    return nullptr;
}

} // namespace mailroom
