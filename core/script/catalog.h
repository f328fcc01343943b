// SPDX-License-Identifier: MIT
#pragma once

// The catalog: the example servers Mailroom ships, written in Elixir (catalog/*.ex at the
// repository root, embedded at build time). Every script and console session starts with
// these modules defined (RuntimeHost); a script's own module of the same name replaces one,
// as a redefinition does in iex. The window's palette and card menus read what the modules
// say about themselves: @moduledoc, their clause heads and the name start_link registers.

#include "genserver.h"
#include "script/modules.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailroom {

/// A message a module understands, as the UI offers it: `code` is a line of the script
/// language with `{server}` standing for the target (its name or pid), and `«name»` for the
/// value of each of `fields` (a clause head's variables, which a form asks for).
struct MessageSpec {
    MessageKind kind;
    std::string label;
    std::string code;
    std::vector<std::string> fields;
};

struct CatalogEntry {
    std::string module; ///< Elixir module name, e.g. "Counter"
    std::string summary; ///< the first line of its @moduledoc
    Term defaultArg; ///< what the palette passes to GenServer.start: []
    std::optional<std::string> defaultName; ///< the name its start_link/0 registers ("Elixir.AsyncLogger")
    bool hasStart = false; ///< it has a start/0 of its own (PledgeServer.start())
    /// For each handle_call/handle_cast/handle_info clause in source order: its pattern (a
    /// literal is sent as it is; a pattern with variables asks for their values), then the
    /// `# Try: CODE` comment lines right above the clause, where `pid` stands for the server.
    std::vector<MessageSpec> messages;
};

/// What a GenServer module says about itself, as a catalog entry: its summary, name and the
/// messages its clause heads accept. `source` (its file's text, may be empty) gives the
/// `# Try:` lines. Any thread.
[[nodiscard]] CatalogEntry describeModule(const script::ModuleDef &module, std::string_view source = {});

/// Every catalog module, in palette order (the order of catalog/'s files). Thread-safe.
[[nodiscard]] const std::vector<CatalogEntry> &catalog();
/// The entry for an Elixir module name ("Counter" or "Elixir.Counter"), or nullptr.
[[nodiscard]] const CatalogEntry *findCatalogEntry(std::string_view module);

namespace script {

/// The modules of catalog/*.ex (nested ones such as PledgeServer.State included), defined
/// once; ModuleDefs are immutable, so every session's registry shares them.
[[nodiscard]] const std::vector<std::shared_ptr<const ModuleDef>> &catalogModules();

} // namespace script

} // namespace mailroom
