// SPDX-License-Identifier: MIT
#pragma once

// Whether a console input is a whole program yet, as iex decides it: the parser runs, and
// only an input that ends before a terminator (an open `do`, bracket, string or operator)
// waits for more lines. Any other error is the user's to see, so such input is complete.

#include <string_view>

namespace mailroom::script {

/// True when `source` ends inside an open construct (`defmodule A do` without its `end`,
/// `[1,`, an unterminated string or heredoc, a trailing binary operator): the console then
/// continues the prompt as iex's `...(N)>`. Parses only; runs nothing. Any thread.
[[nodiscard]] bool inputIsIncomplete(std::string_view source);

} // namespace mailroom::script
