// SPDX-License-Identifier: MIT
#pragma once

// What the fuzz targets do with one input, shared with the regression replay
// (tests/reliability/replay.cpp) so that a crasher is replayed exactly as it was found.
// Each check returns an empty string when the input was handled as it must be, else what
// went wrong; a crash is a crash in both places.

#include "eventjson.h"
#include "script/error.h"
#include "script/eval.h"
#include "script/exceptions.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mailroom::fuzz {

/// Thrown by BoundedHost when the budget is spent. Not a ScriptException, so no try/rescue in
/// the script can catch it (as with the runtime's kill).
struct OutOfSteps {};

/// About kMaxYields * kReductionsPerYield evaluation steps per input.
inline constexpr int kMaxYields = 200;

/// A world with no other processes, on the calling thread: sends go nowhere, the mailbox stays
/// empty, module calls beyond the evaluator's builtins are undefined, and every input ends
/// within its step budget.
class BoundedHost final : public script::ScriptHost {
public:
    Term self() override { return Term(Pid{ 96 }); }
    void send(const Term & /*dest*/, const Term & /*message*/) override {}
    std::optional<Term> receive(
        const std::function<bool(const Term &)> & /*matches*/, std::optional<int64_t> timeoutMs) override
    {
        if (!timeoutMs)
            throw OutOfSteps{}; // would wait for ever
        spend();
        return std::nullopt;
    }
    Term spawn(const Term & /*fun*/, bool /*link*/) override { return Term(Pid{ 200 }); }
    Term callModule(Atom module, Atom function, std::vector<Term> args) override
    {
        script::raiseUndefinedFunction(module, function, int(args.size()), false);
    }
    void yieldPoint() override { spend(); }
    void output(std::string_view /*text*/) override { spend(); }
    void errorOutput(std::string_view /*text*/) override { spend(); }

private:
    void spend()
    {
        if (++m_yields > kMaxYields)
            throw OutOfSteps{};
    }
    int m_yields = 0;
};

/// The script language on any bytes: parsing, or a module's definition as it runs, refuses
/// with a ScriptError naming a place in the input, or the program runs (bounded) and ends in
/// a value or a ScriptException.
/// Anything else escaping (std::logic_error, bad_alloc) propagates to the caller.
inline std::string checkScript(std::string_view source)
{
    // A refusal names a place in the input and says why: parsing, or a module's definition
    // when it runs (a CompileError for a call to a function no module defines, as Elixir's).
    // (A definition's CompileError names a line without a column, as Elixir's does.)
    const auto refusal = [&](const script::ScriptError &e, bool needsColumn) -> std::string {
        uint32_t lines = 1;
        for (const char c : source)
            lines += c == '\n' ? 1 : 0;
        if (e.pos().line < 1 || (needsColumn && e.pos().col < 1) || e.pos().line > lines)
            return "refused at a position outside the input: " + e.banner();
        if (e.banner().empty())
            return "refused without a message";
        return {};
    };
    script::Program program;
    try {
        program = script::parseProgram(source, "fuzz.exs");
    } catch (const script::ScriptError &e) {
        return refusal(e, true);
    }
    auto host = std::make_shared<BoundedHost>();
    try {
        const Term value = script::run(program, *host);
        (void)value.inspectPretty(); // what the console prints
    } catch (const script::ScriptException &e) {
        (void)e.banner(); // what the console prints
    } catch (const script::ScriptError &e) {
        return refusal(e, false);
    } catch (const OutOfSteps &) {
    }
    return {};
}

/// The JSON Lines event reader on one line: a refusal names the column; an accepted line
/// writes back (eventToJson) to text that reads again to the same event.
inline std::string checkJsonLine(std::string_view line)
{
    Event event;
    std::string error;
    if (!readEventJsonLine(line, event, error)) {
        if (error.find("column") == std::string::npos)
            return "refused without naming the column: " + error;
        return {};
    }
    const std::string written = eventToJson(event);
    Event again;
    std::string againError;
    if (!readEventJsonLine(written, again, againError))
        return "what eventToJson wrote does not read back: " + againError + "\n" + written;
    if (eventToJson(again) != written)
        return "reading back changed the event:\n" + written + "\n" + eventToJson(again);
    return {};
}

} // namespace mailroom::fuzz
