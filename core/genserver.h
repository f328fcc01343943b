// SPDX-License-Identifier: MIT
#pragma once

// GenServer, Agent and Task with OTP's semantics, on the runtime.
//
// Callbacks return terms in OTP's shapes ({:reply, r, s}, {:noreply, s}, {:stop, ...}) so
// that every outcome OTP allows, including a bad return value, behaves as it does there.
// The client functions (call, cast, stop, Agent.*, Task.*) run inside a process and exit
// it the way OTP's do (they throw ProcessExit with OTP's reasons).

#include "runtime.h"

#include <memory>
#include <optional>
#include <string>

namespace mailroom {

/// Thrown by a callback that has no clause for its argument. handle_info treats it as an
/// unexpected message (logged, the server goes on); handle_call/handle_cast crash with
/// FunctionClauseError, as an Elixir module without a matching clause does.
class NoClause : public std::exception {
public:
    [[nodiscard]] const char *what() const noexcept override { return "no function clause matching"; }
};

namespace detail {
/// What a server loop hears from a callback about the source it runs (GenServer::clauseChosen).
class HandlerObserver {
public:
    virtual void clauseChosen(uint32_t line) = 0;
    virtual void failedAt(uint32_t line, const Term &reportReason) = 0;
    HandlerObserver() = default;
    virtual ~HandlerObserver() = default;
    HandlerObserver(const HandlerObserver &) = delete;
    HandlerObserver &operator=(const HandlerObserver &) = delete;
};
} // namespace detail

class GenServer {
public:
    GenServer() = default;
    virtual ~GenServer() = default;
    GenServer(const GenServer &) = delete;
    GenServer &operator=(const GenServer &) = delete;

    /// The Elixir module this server behaves as, e.g. "Counter" (used in reports and the UI).
    [[nodiscard]] virtual std::string module() const = 0;
    /// {:ok, state} | {:ok, state, timeout} | {:stop, reason} | :ignore
    virtual Term init(const Term &arg);
    /// {:reply, reply, state} | {:noreply, state} | {:stop, reason, reply, state} | {:stop, reason, state};
    /// reply and noreply may end in a timeout, :hibernate or {:continue, term}, as in OTP.
    virtual Term handleCall(const Term &request, const Term &from, const Term &state);
    /// {:noreply, state} | {:stop, reason, state}
    virtual Term handleCast(const Term &request, const Term &state);
    /// {:noreply, state} | {:stop, reason, state}
    virtual Term handleInfo(const Term &message, const Term &state);
    /// After a callback returned {..., {:continue, continuation}}: the same shapes as
    /// handleInfo. The default fails (a module without handle_continue/2 crashes on it).
    virtual Term handleContinue(const Term &continuation, const Term &state);
    virtual void terminate(const Term &reason, const Term &state);

    /// Whether handleCall/handleCast/handleInfo/handleContinue say which clause of the
    /// module's source handles each message, through clauseChosen() (a script's module
    /// does). The server then records the handler's HandlerBegin at that moment, with the
    /// clause's line; for others it records it before calling the callback.
    [[nodiscard]] virtual bool reportsClauses() const { return false; }
    /// Set by the server loop around each callback. Runtime only.
    void setObserver(detail::HandlerObserver *observer) { m_observer = observer; }

protected:
    /// From inside a callback of a server that reportsClauses(): the clause whose `def` is at
    /// `line` handles the message. Once per callback, before any of its code runs (its
    /// events follow the HandlerBegin). Only the server's own process.
    void clauseChosen(uint32_t line) const
    {
        if (m_observer != nullptr)
            m_observer->clauseChosen(line);
    }
    /// From inside a callback about to fail: where in the module's source it failed, which
    /// the crashed HandlerEnd carries, and the reason the crash report shows when it says
    /// more than the exit reason (OTP reports a raised exit with its stacktrace,
    /// {reason, stacktrace}; nil: the exit reason). Only the server's own process.
    void failedAt(uint32_t line, const Term &reportReason = {}) const
    {
        if (m_observer != nullptr)
            m_observer->failedAt(line, reportReason);
    }

private:
    detail::HandlerObserver *m_observer = nullptr;
};

namespace gen {

// Return shapes.
[[nodiscard]] Term ok(Term state);
[[nodiscard]] Term reply(Term value, Term state);
[[nodiscard]] Term noreply(Term state);
[[nodiscard]] Term stop(Term reason, Term state);
[[nodiscard]] Term stopReply(Term reason, Term value, Term state);

struct StartOptions {
    std::optional<Atom> name; ///< register under this name
    bool link = false; ///< start_link
    size_t stackSize = 0; ///< the server process's stack; 0: the runtime's default
};

/// Starts a server and waits for its init, as GenServer.start/start_link: {:ok, pid},
/// {:error, reason} or :ignore. From a process, or from any other thread (then `link` is
/// ignored).
Term start(Runtime &runtime, std::shared_ptr<GenServer> server, Term arg, StartOptions options = {});

/// GenServer.call: the reply, or exits the caller as OTP does (timeout, noproc,
/// calling_self, the server's own exit reason). nullopt timeout = :infinity. Process only.
Term call(const Term &server, Term request, std::optional<int64_t> timeoutMs = 5000);
/// GenServer.cast: returns :ok at once, even when nobody is there. Any thread.
void cast(Runtime &runtime, const Term &server, Term request);
/// GenServer.reply: answers `from` ({pid, tag}) of a deferred call. Any thread.
void replyTo(Runtime &runtime, const Term &from, Term value);
/// GenServer.stop: runs terminate and waits for the exit. Process only.
void stop(const Term &server, Term reason = Term(atoms::normal()), std::optional<int64_t> timeoutMs = std::nullopt);

/// The Elixir module atom of a GenServer module name ("Counter" -> :"Elixir.Counter").
[[nodiscard]] Term moduleAtom(std::string_view module);

} // namespace gen

/// :sys operations on a GenServer. Process only; they exit the caller like OTP's when
/// the server is not there.
namespace sys {
Term getState(const Term &server, std::optional<int64_t> timeoutMs = 5000);
/// Applies `fun` (a function term of arity 1) to the state inside the server.
Term replaceState(const Term &server, const Term &fun, std::optional<int64_t> timeoutMs = 5000);
Term getStatus(const Term &server, std::optional<int64_t> timeoutMs = 5000);
void suspend(const Term &server, std::optional<int64_t> timeoutMs = 5000);
void resume(const Term &server, std::optional<int64_t> timeoutMs = 5000);
void trace(const Term &server, bool on, std::optional<int64_t> timeoutMs = 5000);
} // namespace sys

/// Agent: a server holding one value, changed by functions run inside it.
namespace agent {
Term start(Runtime &runtime, Term fun, gen::StartOptions options = {});
Term get(const Term &agent, const Term &fun, std::optional<int64_t> timeoutMs = 5000);
Term update(const Term &agent, const Term &fun, std::optional<int64_t> timeoutMs = 5000);
Term getAndUpdate(const Term &agent, const Term &fun, std::optional<int64_t> timeoutMs = 5000);
void stop(const Term &agent);
} // namespace agent

/// Task: a linked process computing one value for its owner. Process only.
namespace task {
/// Task.async: returns the %Task{} struct.
Term async(Term fun);
/// Task.await: the value, or exits like Elixir's ({:timeout, {Task, :await, [task, ms]}}).
Term await(const Term &task, std::optional<int64_t> timeoutMs = 5000);
} // namespace task

} // namespace mailroom
