// SPDX-License-Identifier: MIT
#pragma once

// The script language's parser: tokens to a syntax tree, with Elixir's operator
// precedence, calls with and without parentheses, do-blocks and the `do:` form.

#include "script/ast.h"
#include "script/stack.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailroom::script {

struct ParseOptions {
    /// Variables bound before the program starts (an iex-like shell's, see run()).
    std::vector<Atom> knownVariables;
    /// Stack the parser and checker may use; deeper input is refused. On a fiber, pass
    /// less than the fiber's stack (on a thread the thread's own stack also limits it).
    size_t stackBudget = kDefaultStackBudget;
};

/// A parsed and checked script, ready to run. Immutable and shareable between threads.
struct Program {
    std::string file;
    NodePtr root; ///< a Block of the top-level expressions
    std::shared_ptr<const std::string> source; ///< the text parsed (the modules it defines keep it)
};

/// Parses `source` and checks it as a whole (undefined functions and variables,
/// unsupported constructs, misplaced operators) so that nothing runs when any of it is
/// wrong. Throws ScriptError naming `file`, the line and the column.
[[nodiscard]] Program parseProgram(
    std::string_view source, std::string file, const ParseOptions &options = {});

/// Parses only, without the checks of parseProgram (for tests of the tree's shape).
[[nodiscard]] NodePtr parseTree(
    std::string_view source, const std::string &file, size_t stackBudget = kDefaultStackBudget);

} // namespace mailroom::script
