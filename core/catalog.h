#pragma once

// The example servers Mailroom ships, written against the runtime. The GUI offers them
// from a palette and the script language knows them by module name; their behaviour
// matches tests/conformance/reference/catalog.exs exactly.

#include "genserver.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mailroom {

/// A message a module understands, as the UI offers it: `code` is a line of the script
/// language with `{server}` standing for the target (its name or pid).
struct MessageSpec {
    MessageKind kind;
    std::string label;
    std::string code;
};

/// A client function of a catalog module (AsyncLogger.log/1, ...). Runs in the calling process.
struct ClientFunction {
    std::string name;
    int arity;
    std::function<Term(const std::vector<Term> &args)> call;
};

struct CatalogEntry {
    std::string module;                     ///< Elixir module name, e.g. "Counter"
    std::string summary;                    ///< one line for the palette
    Term defaultArg;                        ///< what GenServer.start_link(Module, arg) gets from the UI
    std::optional<std::string> defaultName; ///< the name its own start functions register
    std::function<std::shared_ptr<GenServer>()> make;
    std::vector<MessageSpec> messages;
    std::vector<ClientFunction> clientFunctions;
};

/// Every catalog module, in palette order. Thread-safe.
[[nodiscard]] const std::vector<CatalogEntry> &catalog();
/// The entry for an Elixir module name ("Counter" or "Elixir.Counter"), or nullptr.
[[nodiscard]] const CatalogEntry *findCatalogEntry(std::string_view module);
/// Prints a line the way IO.puts does, from the current process.
void putsFromProcess(std::string_view line);

} // namespace mailroom
