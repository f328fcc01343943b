// SPDX-License-Identifier: MIT
#pragma once

// The evaluator's builtin functions (Kernel, Enum, String, Map, ...): each file registers
// its module's functions into one table that the evaluator and the checker consult.

#include "script/interpreter.h"

#include <optional>
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
[[noreturn]] void raiseBadArithmetic(const std::string &blame);
/// Raises SystemLimitError unless a binary of `bytes` bytes may be built (kMaxBinaryBytes).
void checkBinarySize(double bytes);
/// The largest binary a script may build: past it `<>`, interpolation, padding and
/// duplication raise SystemLimitError instead of exhausting the machine's memory.
inline constexpr double kMaxBinaryBytes = 256.0 * 1024 * 1024;

/// Inspect.Opts' `limit:` from inspect options: the integer, INT_MAX for :infinity, 50 when
/// absent; anything else raises FunctionClauseError, as Elixir's does.
[[nodiscard]] int inspectLimit(const Term &options);

/// An integer range first..last//step (step is never 0), read from a %Range{} struct.
/// Every answer below takes constant time, however many integers the range holds.
struct IntRange {
    int64_t first = 0;
    int64_t last = 0;
    int64_t step = 1;
    /// How many integers it holds; past 2^63 - 1 raises the 64-bit overflow error.
    [[nodiscard]] int64_t size() const;
    /// Its element at position `i` (0 <= i < size()).
    [[nodiscard]] int64_t at(int64_t i) const;
    /// `x in range`: an integer within the bounds, on a step.
    [[nodiscard]] bool contains(const Term &x) const;
};
/// The range `t` holds, or nullopt when it is no %Range{} of integers with a non-zero step.
[[nodiscard]] std::optional<IntRange> rangeOf(const Term &t);

} // namespace mailroom::script
