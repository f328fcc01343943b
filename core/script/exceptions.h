// SPDX-License-Identifier: MIT
#pragma once

// Runtime errors of the script language, shaped as Elixir's: a raise, throw or exit is a
// ScriptException carrying a term, and errors are exception structs (%MatchError{term: 1})
// or raw Erlang reasons (:badarith) that `rescue` normalizes, as Exception.normalize does.

#include "script/error.h"
#include "term.h"

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailroom::script {

/// The three ways an Elixir computation can fail, as `catch kind, value` names them.
enum class ErrorKind : uint8_t { Error,
    Throw,
    Exit };

/// A raise, throw or exit travelling up a script's stack: what `try` catches. The host
/// throws it too (an exit from GenServer.call, an ArgumentError from send/2) so that
/// scripts can catch those as in Elixir. A value type; safe to move between threads.
class ScriptException : public std::exception {
public:
    ScriptException(ErrorKind kind, Term reason)
        : m_kind(kind)
        , m_reason(std::move(reason))
    {
    }

    [[nodiscard]] ErrorKind kind() const { return m_kind; }
    /// As `catch kind, reason` sees it: for errors an exception struct or a raw Erlang
    /// reason such as :badarith or {:badmatch, term}.
    [[nodiscard]] const Term &reason() const { return m_reason; }
    /// The exception struct `rescue e ->` binds (errors only; the reason otherwise).
    [[nodiscard]] Term normalized() const;
    /// The banner Elixir prints when this escapes a script: "** (MatchError) ...".
    [[nodiscard]] std::string banner() const;
    /// Where the script was when it failed, when known.
    [[nodiscard]] const std::optional<SourcePos> &pos() const { return m_pos; }
    /// Called with each expression the error leaves, innermost first: the first is where it
    /// failed, and the first after leaving a function is where its caller was (see leaveFrame).
    void setPosIfUnknown(SourcePos pos)
    {
        if (!m_pos)
            m_pos = pos;
        if (!m_framePos)
            m_framePos = pos;
    }
    /// Called as the error leaves a function of a script module: `makeEntry(line)` builds its
    /// stacktrace entry {Module, :fun, arity, location} for the line that function was at
    /// (0: unknown). Up to kMaxFrames are kept, as the BEAM keeps 8.
    template<typename MakeEntry> void leaveFrame(const MakeEntry &makeEntry)
    {
        if (m_frames.size() < kMaxFrames)
            m_frames.push_back(makeEntry(m_framePos ? m_framePos->line : 0U));
        m_framePos.reset();
    }
    /// The functions of script modules the error left, innermost first, each at the line it
    /// was at: where it failed for the first, the call it made for the others. A function
    /// called last (a tail call) left no frame of its caller, as on the BEAM. A
    /// FunctionClauseError's function, which no clause entered, is in stackTop() only.
    [[nodiscard]] const std::vector<Term> &frames() const { return m_frames; }
    static constexpr size_t kMaxFrames = 8;
    /// Text Elixir's banner adds after the message (": 1 + :a" for ArithmeticError).
    [[nodiscard]] const std::string &blame() const { return m_blame; }
    void setBlame(std::string blame) { m_blame = std::move(blame); }

    /// The innermost call of a script module's function the error left, as a stacktrace
    /// entry {Module, :fun, args, location}; nil when the error did not leave one. A raw
    /// :function_clause reason takes its module, function and arity from it.
    [[nodiscard]] const Term &stackTop() const { return m_stackTop; }
    void setStackTopIfUnknown(const Term &entry)
    {
        if (m_stackTop.isNil())
            m_stackTop = entry;
    }

    /// For a raw reason such as :badarg, the exception `rescue` and the banner show when it
    /// says more than Exception.normalize could rebuild (the BIF's error_info: which argument,
    /// what is wrong with it); nil when normalizing the reason is enough.
    void setException(Term normalizedException) { m_exception = std::move(normalizedException); }

    /// For a raw :undef: the call that found no function, {module, function, args, []}, the
    /// frame OTP puts first in the stacktrace of the exit reason; nil otherwise.
    [[nodiscard]] const Term &undefinedCall() const { return m_undefinedCall; }
    void setUndefinedCall(Term frame) { m_undefinedCall = std::move(frame); }

    [[nodiscard]] const char *what() const noexcept override { return "script exception (see banner())"; }

private:
    ErrorKind m_kind;
    Term m_reason;
    Term m_exception;
    Term m_stackTop;
    Term m_undefinedCall;
    std::optional<SourcePos> m_pos;
    std::optional<SourcePos> m_framePos; // the innermost position since the last frame left
    std::vector<Term> m_frames;
    std::string m_blame;
};

/// `%Module{fields}` for an Elixir exception module ("MatchError", "Protocol.UndefinedError").
[[nodiscard]] Term exceptionStruct(
    std::string_view module, std::vector<std::pair<std::string_view, Term>> fields);
/// True for the structs of exception modules (as Kernel.is_exception/1).
[[nodiscard]] bool isException(const Term &term);
/// Exception.normalize(:error, reason): raw Erlang reasons become exception structs.
[[nodiscard]] Term normalizeError(const Term &reason);
/// Exception.message/1 of an exception struct.
[[nodiscard]] std::string exceptionMessage(const Term &exception);
/// Exception.format_exit/1: "time out", "exited in: GenServer.call(...)\n    ** (EXIT) ...".
/// `moduleAvailable` tells an undefined function of a loaded module ("is undefined or
/// private") from one of a module that does not exist ("module M is not available").
[[nodiscard]] std::string formatExit(
    const Term &reason, const std::function<bool(Atom)> &moduleAvailable = {});
/// What Elixir's Logger translator prints for the reason of a gen_server's crash report
/// (format_reason in Logger.Translator): `{exception, stacktrace}` as the exception's banner,
/// "** (RuntimeError) boom", any other reason as "** (stop) " and Exception.format_exit/1,
/// then a "\n    " line per stacktrace entry. A raw error (:badarith, {:badmatch, v}) with
/// a stacktrace is shown as the exception it normalizes to, unless that is an ErlangError.
[[nodiscard]] std::string formatTerminateReason(
    const Term &reason, const std::function<bool(Atom)> &moduleAvailable = {});
/// Exception.format_banner/3 without a stacktrace.
[[nodiscard]] std::string formatBanner(ErrorKind kind, const Term &reason, std::string_view blame = {});
/// How `elixir FILE.exs` ends when `e` escapes the script.
struct UncaughtOutcome {
    std::string banner; ///< for stderr; empty for exit(:normal), exit(:shutdown), exit({:shutdown, _})
    int status = 1; ///< 1, or for those silent exits 0 (N for {:shutdown, N})
};
[[nodiscard]] UncaughtOutcome uncaughtOutcome(const ScriptException &e);
/// The stack line Elixir prints under the banner of an uncaught error, where it happened:
/// "    FILE:LINE: Mod.fun/arity" inside a module's function, "    FILE:LINE: (file)"
/// in the script itself; empty when the position is unknown.
[[nodiscard]] std::string stackLine(const ScriptException &e, std::string_view file);
/// True when `e` ends a script silently (see UncaughtOutcome).
[[nodiscard]] bool isQuietExit(const ScriptException &e);
/// The reason a process ends with when `e` escapes it, as the BEAM reports it: the exit
/// reason for exits, {exception, stacktrace} for errors, {{:nocatch, v}, stacktrace} for throws.
[[nodiscard]] Term processExitReason(const ScriptException &e, std::string_view file = {});

// Raising ---------------------------------------------------------------------------------

[[noreturn]] void raise(Term exceptionOrReason);
[[noreturn]] void raiseArgumentError(std::string message);
/// ArgumentError as an Erlang BIF reports a bad argument:
/// "errors were found at the given arguments:\n\n  * 1st argument: not a tuple\n".
[[noreturn]] void raiseBadArgument(int argumentNumber, std::string_view problem);
/// UndefinedFunctionError: "function Foo.bar/1 is undefined (module Foo is not available)"
/// when `moduleAvailable` is false, "function Enum.foo/1 is undefined or private" otherwise.
/// As the BEAM: `catch` sees the raw :undef, `rescue` the UndefinedFunctionError, and a
/// process it ends exits with {:undef, [{module, function, args, []} | ...]} (`args` when
/// given, else the arity).
[[noreturn]] void raiseUndefinedFunction(
    Atom module, Atom function, int arity, bool moduleAvailable, const std::vector<Term> *args = nullptr);
/// The exception raiseUndefinedFunction throws, for a caller that adds to it.
[[nodiscard]] ScriptException undefinedFunction(
    Atom module, Atom function, int arity, Term reasonField, const std::vector<Term> *args = nullptr);
/// FunctionClauseError for a builtin: "no function clause matching in String.upcase/1".
[[noreturn]] void raiseFunctionClause(std::string_view module, std::string_view function, int arity);
/// Protocol.UndefinedError: "protocol Enumerable not implemented for 1 of type Integer".
[[noreturn]] void raiseProtocolUndefined(std::string_view protocol, const Term &value);
[[noreturn]] void throwValue(Term value);
[[noreturn]] void exitWith(Term reason);

/// The Elixir type name Protocol.UndefinedError uses: "Integer", "Tuple", "BitString"...
[[nodiscard]] std::string elixirTypeName(const Term &value);

/// "Foo" for :"Elixir.Foo", ":gen_server" for :gen_server (as inspect prints modules).
[[nodiscard]] std::string moduleText(Atom module);
/// "Foo.bar(1, 2)" as Exception.format_mfa/3 prints a call.
[[nodiscard]] std::string formatCall(const Term &module, const Term &function, const std::vector<Term> &args);

} // namespace mailroom::script
