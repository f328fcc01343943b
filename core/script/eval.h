// SPDX-License-Identifier: MIT
#pragma once

// The script language's evaluator: runs a parsed Program with Elixir's semantics. This is
// the public entry point; interpreter.h holds the machinery shared with the builtins.

#include "script/exceptions.h"
#include "script/host.h"
#include "script/parser.h"

#include <utility>
#include <vector>

namespace mailroom::script {

/// Variables kept between evaluations, as iex keeps them between lines. The last binding
/// of a name wins.
using Bindings = std::vector<std::pair<Atom, Term>>;

/// Runs `program` on the calling thread, as the process `host` acts for, and returns the
/// value of its last expression. With `bindings`, the program starts with those variables
/// (parse it with their names, see parseProgram) and they are replaced by the variables at
/// its end. Throws ScriptException for an uncaught raise, throw or exit; exceptions that
/// the host throws for other reasons (a kill) pass through. Closures created by the
/// program keep `host` (which must be owned by a shared_ptr for them to be callable
/// through FunctionValue::call from C++).
Term run(const Program &program, ScriptHost &host, Bindings *bindings = nullptr);

/// Calls a function term with `args` in the calling process: a script closure, a
/// captured function such as &Enum.map/2, or any other FunctionValue. Throws like run().
Term callFunction(const Term &function, std::vector<Term> args, ScriptHost &host);

/// String.Chars (to_string/1 and interpolation): text as-is, atoms by name (nil is ""),
/// numbers printed, charlists and iodata joined. Raises Protocol.UndefinedError otherwise.
[[nodiscard]] std::string toStringChars(const Term &value);

} // namespace mailroom::script
