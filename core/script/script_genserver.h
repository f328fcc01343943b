// SPDX-License-Identifier: MIT
#pragma once

// A GenServer whose callbacks are the functions of a module a script defined: what
// GenServer.start(MyModule, arg) runs. The runtime's server loop (core/genserver.h) does the
// rest, so events, :sys and *DBG* tracing work as for the catalog's servers.

#include "genserver.h"
#include "script/host.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mailroom::script {

class ScriptGenServer final : public GenServer {
public:
    /// `host` serves the server's process; `module` is looked up in its registry at each
    /// callback, so a redefined module takes over at the next message, as the BEAM's
    /// fully-qualified calls into new code do.
    ScriptGenServer(std::shared_ptr<ScriptHost> host, Atom module);

    [[nodiscard]] std::string module() const override { return m_name; }
    Term init(const Term &arg) override;
    Term handleCall(const Term &request, const Term &from, const Term &state) override;
    Term handleCast(const Term &request, const Term &state) override;
    Term handleInfo(const Term &message, const Term &state) override;
    Term handleContinue(const Term &continuation, const Term &state) override;
    void terminate(const Term &reason, const Term &state) override;
    /// The record's HandlerBegin carries the line of the clause that matched; a crashed
    /// HandlerEnd the line in the module where the callback failed.
    [[nodiscard]] bool reportsClauses() const override { return true; }

private:
    /// Runs name/arity of the module; nullopt when the module does not export it. A raise
    /// or exit ends the server with OTP's reason; a throw is the callback's result.
    std::optional<Term> invoke(Atom function, std::vector<Term> args) const;
    /// Whether the module says `use GenServer` (which brings OTP's default callbacks).
    [[nodiscard]] bool usesGenServer() const;
    /// The exit of calling a callback the module lacks: {:undef, [{Mod, :fun, args, []}]}.
    [[noreturn]] void undefined(Atom function, const std::vector<Term> &args) const;
    /// `use GenServer`'s handle_call/handle_cast without a clause: a RuntimeError.
    [[noreturn]] void noDefaultClause(std::string_view what, std::string_view callback) const;

    std::shared_ptr<ScriptHost> m_host;
    Atom m_module;
    std::string m_name;
};

} // namespace mailroom::script
