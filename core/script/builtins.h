#pragma once

// The evaluator's builtin functions (Kernel, Enum, String, Map, ...): each file registers
// its module's functions into one table that the evaluator and the checker consult.

#include "script/interpreter.h"

#include <string_view>
#include <vector>

namespace mailroom::script {

struct BuiltinEntry {
    std::string_view module; ///< Elixir name without the prefix: "Enum", "Kernel"
    std::string_view name;
    int arity;
    BuiltinFn fn;
    bool guard = false; ///< allowed in guards (Kernel only)
};

using BuiltinTable = std::vector<BuiltinEntry>;

void addKernelBuiltins(BuiltinTable &table);
void addEnumBuiltins(BuiltinTable &table);
void addTextBuiltins(BuiltinTable &table); // String, Integer, Float, Atom
void addCollectionBuiltins(BuiltinTable &table); // Map, List, Keyword, Tuple
void addIoBuiltins(BuiltinTable &table); // IO, Exception, Function
void addTimeBuiltins(BuiltinTable &table); // DateTime, Time (utc_now, truncate, to_string)

/// Raises BadMapError unless `t` is a map.
void expectMap(const Term &t);
/// Raises FunctionClauseError Module.fun/arity unless `t` is a proper list.
void expectList(const Term &t, std::string_view module, std::string_view fun, int arity);
/// The term with `key` in a keyword list, or nullptr.
[[nodiscard]] const Term *keywordFind(const Term &list, const Term &key);
/// Raises SystemLimitError for an integer result beyond 64 bits (Elixir's would be a bignum).
[[noreturn]] void raiseIntegerOverflow();
/// Raises ArithmeticError "bad argument in arithmetic expression: BLAME".
[[noreturn]] void raiseBadArithmetic(std::string blame);
/// Raises SystemLimitError unless a binary of `bytes` bytes may be built (kMaxBinaryBytes).
void checkBinarySize(double bytes);
/// The largest binary a script may build: past it `<>`, interpolation, padding and
/// duplication raise SystemLimitError instead of exhausting the machine's memory.
inline constexpr double kMaxBinaryBytes = 256.0 * 1024 * 1024;

} // namespace mailroom::script
