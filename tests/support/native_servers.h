// SPDX-License-Identifier: MIT
#pragma once

// The catalog's servers written natively against the runtime, for the suites that test the
// runtime's GenServer loop, its record and its views without the script language. They
// behave as the Elixir modules in catalog/ do, which Mailroom itself runs.

#include "genserver.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mailroom {

/// A client function of a catalog module (AsyncLogger.log/1, ...). Runs in the calling process.
struct ClientFunction {
    std::string name;
    int arity;
    std::function<Term(const std::vector<Term> &args)> call;
};

struct NativeServer {
    std::string module; ///< Elixir module name, e.g. "Counter"
    Term defaultArg; ///< what the window's palette starts it with
    std::function<std::shared_ptr<GenServer>()> make;
    std::vector<ClientFunction> clientFunctions;
};

/// Every native server. Thread-safe.
[[nodiscard]] const std::vector<NativeServer> &nativeServers();
/// The server for an Elixir module name ("Counter" or "Elixir.Counter"), or nullptr.
[[nodiscard]] const NativeServer *findNativeServer(std::string_view module);

} // namespace mailroom
