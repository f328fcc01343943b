// SPDX-License-Identifier: MIT
#pragma once

// Whole-program checks that Elixir's compiler makes before a script runs: undefined
// variables and functions, misplaced operators, invalid patterns and guards. Running
// them before evaluation means nothing is half-run when a script is wrong.

#include "script/ast.h"
#include "script/stack.h"

#include <string>
#include <vector>

namespace mailroom::script {

/// Throws ScriptError (CompileError, with `file` and the position) for the first problem.
/// `knownVariables` are bound before the program starts (an iex-like shell's variables).
/// The checker refuses to recurse deeper than `stackBudget` bytes of stack.
void checkProgram(const Node &root, const std::string &file, const std::vector<Atom> &knownVariables = {},
    size_t stackBudget = kDefaultStackBudget);

/// The checks of a module's body, made when its defmodule runs (as Elixir compiles a
/// module then): each def sees its parameters and the module's functions only.
void checkModule(const ModuleNode &module, const std::string &file, size_t stackBudget = size_t(512) << 10U);

} // namespace mailroom::script
