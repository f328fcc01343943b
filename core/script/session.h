// SPDX-License-Identifier: MIT
#pragma once

// A session: one runtime plus an iex-like shell process that evaluates lines of the
// script language. The GUI's console and every button go through it; mailroom-run uses
// it to run a whole file as the shell.

#include "runtime.h"
#include "script/catalog.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mailroom {

struct EvalResult {
    bool ok = false; ///< false when the code raised, threw or exited
    std::string text; ///< inspect() of the value; or the error as Elixir prints it ("** (exit) ...")
    Term value; ///< the value when ok; the error term (exception struct, exit reason) otherwise
    Pid pid; ///< the process that ran the code
    int status = 0; ///< what `elixir FILE.exs` would exit with: 0, 1, or n for exit({:shutdown, n})
    int64_t startedNs = 0; ///< virtual time the evaluation began
    int64_t finishedNs = 0; ///< virtual time it ended
    /// Where in the evaluated code it failed, 1-based (0 when unknown or elsewhere): a syntax
    /// or compile error's position, or the innermost expression of the code (or of a module
    /// it defined) that raised.
    uint32_t errorLine = 0;
    uint32_t errorColumn = 0;
};

/// A module's source as the window's source view shows it (Session::moduleSource).
struct ModuleSource {
    struct Clause {
        std::string function; ///< "handle_call"
        int arity = 0;
        uint32_t firstLine = 0; ///< its `def`: what the record's HandlerBegin names
        uint32_t lastLine = 0; ///< its `end`
    };
    std::string file; ///< where it was defined: "iex", an editor's file name, "catalog/counter.ex"
    std::string text; ///< the module's lines, from its `defmodule` to its `end`
    uint32_t firstLine = 0; ///< the line of `file` that text's first line is
    std::vector<Clause> clauses; ///< every def and defp clause, in source order
};

class Session {
public:
    explicit Session(RuntimeOptions options = {});
    /// Stops every process. Not from inside a process.
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    [[nodiscard]] Runtime &runtime();
    /// The current shell process (a new one replaces a shell that exited). Any thread.
    [[nodiscard]] Pid shell() const;

    /// Starts the servers the app shows on launch, registered under their module names:
    /// AsyncLogger, Counter, SlowServer, Journal, Receiver, IncrementingCounter and
    /// DecrementingCounter. Any non-process thread; returns once they are running.
    void startDefaultServers();

    /// Evaluates `code` (any number of expressions) and reports the result through `done`,
    /// called on a runtime thread (or, for a queued line interrupted, on the interrupting
    /// thread). In the shell (freshProcess = false) lines run one after
    /// another with variables kept between them, as in iex; a shell that exits is replaced.
    /// With freshProcess, a new client process runs the code, so several can be in flight.
    /// Syntax errors are reported without running anything. `done` is called exactly once,
    /// also when the process is killed before it runs a line. Returns the evaluation's id
    /// (for interrupt). `code` stands at `firstLine`:`firstColumn` of `fileName` (a selection
    /// of an editor's buffer): every position it reports, an error's, a clause's, a stack
    /// line's, is the file's. Any thread.
    uint64_t evaluate(std::string code, bool freshProcess, std::function<void(const EvalResult &)> done,
        std::string fileName = "iex", uint32_t firstLine = 1, uint32_t firstColumn = 1);

    /// Stops evaluation `id`, as iex's break does: a running one is killed (the shell is
    /// replaced, keeping the variables of the lines before), a queued one never runs. Its
    /// result says `** (EXIT) interrupted`, with the value :interrupted. False when it has
    /// already ended. Any thread.
    bool interrupt(uint64_t id);
    /// Interrupts every evaluation still running or queued (the console's Ctrl+C); how many.
    /// Any thread.
    size_t interruptAll();

    /// What module `name` ("Tally") defined in this session says about itself, as the card
    /// menu offers it (script/catalog.h): its current version, the learner's own or a catalog
    /// one; nullopt when no GenServer module has that name. Any thread.
    [[nodiscard]] std::optional<CatalogEntry> describeModule(std::string_view name) const;

    /// The source of module `name` ("Tally", "Counter") as this session defines it now (a
    /// redefinition replaces it), or, with `atNs`, as it was defined at that time of the
    /// record: the version an event of then ran. nullopt when no module has that name or its
    /// text is not kept. Any thread.
    [[nodiscard]] std::optional<ModuleSource> moduleSource(
        std::string_view name, std::optional<int64_t> atNs = std::nullopt) const;

    /// Runs a whole script file as the shell and blocks until it ends (mailroom-run).
    /// Returns the result of the last expression or the uncaught error.
    EvalResult runFile(const std::string &source, const std::string &fileName);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace mailroom
