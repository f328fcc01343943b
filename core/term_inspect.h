// SPDX-License-Identifier: MIT
#pragma once

// inspect/2 with Inspect.Opts beyond the defaults (term_format_elixir.cpp); Term::inspect()
// and Term::inspectPretty() are these with limit 50. And a string as code: a literal.

#include "term.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace mailroom {

/// As Elixir 1.14's inspect/2 with `limit:` (items shown per collection, the rest as `...`;
/// INT_MAX for :infinity), laid out for `width` columns (SIZE_MAX: on one line).
[[nodiscard]] std::string inspectWithLimit(const Term &term, int limit, size_t width);

/// `text` (UTF-8) as an Elixir string literal, escaped as inspect escapes it but never cut
/// (no printable_limit, no limit): code that evaluates to exactly `text`. Any thread.
[[nodiscard]] std::string elixirStringLiteral(std::string_view text);

} // namespace mailroom
