// SPDX-License-Identifier: MIT
#pragma once

// ScriptHost: everything a script needs from the world around it, behind one interface,
// so that the evaluator stays free of the runtime. The runtime's host routes these to
// processes, GenServer/Agent/Task, :sys and the catalog; tests use a single-threaded fake.
//
// Thread rules: a host may serve many processes at once. Every method acts on the process
// that calls it (the runtime's host asks proc::self()), so one host object can back the
// shell and every process spawned from a script. Methods are only called from inside an
// evaluation (run(), callFunction()) on the calling thread.
//
// Errors: to fail the way Elixir code could catch (an exit from GenServer.call, an
// ArgumentError from send/2 to an unregistered name), throw ScriptException
// (exceptions.h). Any other exception passes through the script's try/rescue/catch/after
// untouched: that is how a kill or a shutdown ends a script.

#include "heap.h"
#include "term.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace mailroom::script {

/// The longest timeout `receive ... after`, Process.sleep and the calls accept, as on the
/// BEAM (2^32 - 1 ms, about 49.7 days): a longer one raises ErlangError :timeout_value.
inline constexpr int64_t kMaxTimeoutMs = 4'294'967'295;

/// Own hosts through std::shared_ptr: closures keep a weak reference to theirs, so that
/// C++ code (an Agent, a Task) can call them through FunctionValue::call.
class ModuleRegistry;

class ScriptHost : public std::enable_shared_from_this<ScriptHost> {
public:
    ScriptHost();
    virtual ~ScriptHost() = default;
    ScriptHost(const ScriptHost &) = delete;
    ScriptHost &operator=(const ScriptHost &) = delete;

    /// self/0: the calling process's pid.
    [[nodiscard]] virtual Term self() = 0;

    /// send/2 and Process.send/3 without options: `dest` is a pid or a registered name.
    virtual void send(const Term &dest, const Term &message) = 0;

    /// `receive`: removes and returns the oldest message that `matches` accepts, waiting up
    /// to `timeoutMs` (nullopt: forever; 0: just look); nullopt when the time runs out.
    /// `matches` runs the receive's patterns and guards: it never blocks, never yields and
    /// calls back into the host only for self() (a guard may use it), so it may run while
    /// the mailbox is held.
    [[nodiscard]] virtual std::optional<Term> receive(
        const std::function<bool(const Term &)> &matches, std::optional<int64_t> timeoutMs)
        = 0;

    /// spawn/1, spawn_link/1: starts a process that calls `fun` (a function of arity 0)
    /// with callFunction(fun, {}, host) or fun.asFunction()->call({}); returns its pid.
    [[nodiscard]] virtual Term spawn(const Term &fun, bool link) = 0;

    /// Every `Module.fun(args)` the evaluator does not implement itself: GenServer, Agent,
    /// Task, Process, :sys, :timer, the catalog modules (Counter, AsyncLogger.log/1...),
    /// and the process-related Kernel functions other than self/send/spawn (make_ref/0,
    /// spawn/3, spawn_monitor/1..., passed with module Kernel). Unknown ones throw
    /// ScriptException with UndefinedFunctionError (raiseUndefinedFunction()).
    [[nodiscard]] virtual Term callModule(Atom module, Atom function, std::vector<Term> args) = 0;

    /// The fields and default values of `%Module{}` for structs the host defines (such as
    /// PledgeServer.State), as a struct term; nullopt when there is no such struct.
    [[nodiscard]] virtual std::optional<Term> structDefaults(Atom module)
    {
        (void)module;
        return std::nullopt;
    }

    /// Called about every kReductionsPerYield evaluation steps, so that the runtime can
    /// preempt a long loop, or end the process by throwing (not a ScriptException).
    virtual void yieldPoint() {}

    /// What IO.puts, IO.write and IO.inspect print (newline included). Default: stdout.
    virtual void output(std::string_view text);
    /// The same for IO.puts(:stderr, ...). Default: stderr.
    virtual void errorOutput(std::string_view text);

    /// Bytes of stack the evaluator may use below its entry point. Deeper recursion (a
    /// script function calling itself without end, not in tail position) raises
    /// SystemLimitError instead of overflowing. On a fiber it must leave room below it
    /// (128 KB or more) for builtins and term printing; on a thread the thread's own stack
    /// also caps it. Each level of script recursion costs about 1-1.5 KB, each nesting
    /// level of an expression a few hundred bytes.
    [[nodiscard]] virtual size_t stackBudget() const { return size_t(4) << 20U; }

    /// The calling process's heap budget in words, as Process.flag(:max_heap_size, n) sets it
    /// (0: none). Operations that build a term of many words at once (a range made a list,
    /// `++`, `for`, List.duplicate) check what they build against it.
    [[nodiscard]] virtual int64_t maxHeapWords() { return kDefaultMaxHeapWords; }
    /// Ends the calling process that would grow past maxHeapWords() to `words`, as the BEAM
    /// kills a process past its max_heap_size: reason :killed, which no `try` catches.
    [[noreturn]] virtual void heapLimitReached(int64_t words);
    /// Called as each function call begins, its arguments and variables in HeapFrames:
    /// the runtime's host weighs what the process holds when it is due (proc::checkHeap),
    /// which catches a heap grown a little at a time.
    virtual void checkHeap() {}

    /// The modules scripts defined through this host: shared by every process it serves
    /// and by later evaluations. Thread-safe.
    [[nodiscard]] ModuleRegistry &modules() const { return *m_modules; }

private:
    std::shared_ptr<ModuleRegistry> m_modules;
};

/// Evaluation steps between two ScriptHost::yieldPoint() calls.
inline constexpr int kReductionsPerYield = 1000;

} // namespace mailroom::script
