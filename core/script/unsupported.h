// SPDX-License-Identifier: MIT
#pragma once

// What the script language deliberately leaves out, and how it says so. The parser asks
// these while reading, so an unsupported construct stops the script before any of it runs.

#include "term.h"

#include <optional>
#include <string>
#include <string_view>

namespace mailroom::script {

/// "`construct` is not supported by Mailroom's script language".
[[nodiscard]] std::string unsupportedMessage(std::string_view construct);

/// For a local call `name ...`: the error message when `name` is a construct the language
/// leaves out (import, defmacro, quote...), nullopt when it may be called.
[[nodiscard]] std::optional<std::string> unsupportedLocal(std::string_view name);

/// Names refused even when not called (`__ENV__`, `__STACKTRACE__`...).
[[nodiscard]] bool isAlwaysUnsupportedLocal(std::string_view name);

/// For `Module.fun`: the error message when the module reaches outside the sandbox (files,
/// the OS, code loading, Erlang internals), nullopt when it may be called.
[[nodiscard]] std::optional<std::string> unsupportedRemote(Atom module, std::string_view fun);

} // namespace mailroom::script
