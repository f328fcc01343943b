// SPDX-License-Identifier: MIT
#pragma once

// The script language's host on the real runtime: routes GenServer, Agent, Task,
// Process and :sys to core/, acting for whichever process calls; the catalog's modules are
// defined in every host's registry from the start.

#include "runtime.h"
#include "script/host.h"

#include <cstdint>
#include <memory>

namespace mailroom::script {

class RuntimeHost final : public ScriptHost {
public:
    /// Stack of every process a script spawns (touched pages only are resident).
    static constexpr size_t kScriptStackSize = size_t(8) << 20U;

    /// A host whose registry starts with the catalog's modules (script/catalog.h).
    explicit RuntimeHost(Runtime &runtime);

    [[nodiscard]] Term self() override;
    void send(const Term &dest, const Term &message) override;
    [[nodiscard]] std::optional<Term> receive(const std::function<bool(const Term &)> &matches,
        std::optional<int64_t> timeoutMs) override;
    [[nodiscard]] Term spawn(const Term &fun, bool link) override;
    [[nodiscard]] Term callModule(Atom module, Atom function, std::vector<Term> args) override;
    void yieldPoint() override;
    void output(std::string_view text) override;
    void errorOutput(std::string_view text) override;
    [[nodiscard]] size_t stackBudget() const override { return kScriptStackSize - (size_t(1) << 20U); }
    [[nodiscard]] int64_t maxHeapWords() override;
    [[noreturn]] void heapLimitReached(int64_t words) override;
    void checkHeap() override { proc::checkHeap(); }

    /// Runs `body` as the top of a process that runs script code: a script error ends the
    /// process with the reason the BEAM would give, reported on stderr as Elixir does.
    static void runAsProcess(Runtime &runtime, const std::function<void()> &body);

private:
    /// Module.fun the runtime provides (runtimeFunctions); anything else is an
    /// UndefinedFunctionError.
    Term callRuntime(Atom module, Atom function, std::vector<Term> &args);
    struct RuntimeFunction;
    /// GenServer, Agent, Task, Process, :sys and Kernel.make_ref, by name and arities.
    static const std::vector<RuntimeFunction> &runtimeFunctions();
    static Term startServer(RuntimeHost &host, std::vector<Term> &args, std::string_view name);
    static Term startAgent(RuntimeHost &host, std::vector<Term> &args, std::string_view name);
    static Term processInfo(RuntimeHost &host, std::vector<Term> &args, std::string_view name);
    /// A function term the runtime can call from C++ (Agent, :sys.replace_state): script
    /// errors become the process exit they cause.
    Term adapt(const Term &fun);

    Runtime &m_runtime;
};

} // namespace mailroom::script
