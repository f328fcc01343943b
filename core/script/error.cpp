// SPDX-License-Identifier: MIT
#include "script/error.h"

namespace mailroom::script {

namespace {
std::string composeWhat(
    ScriptError::Kind kind, const std::string &file, SourcePos pos, const std::string &message)
{
    // Column 0: a module's compile error, which Elixir places by line only.
    return std::string("** (") + ScriptError::kindName(kind) + ") " + file + ":" + std::to_string(pos.line)
        + (pos.col > 0 ? ":" + std::to_string(pos.col) : std::string()) + ": " + message;
}
} // namespace

ScriptError::ScriptError(Kind kind, std::string file, SourcePos pos, std::string message)
    : std::runtime_error(composeWhat(kind, file, pos, message))
    , m_kind(kind)
    , m_file(std::move(file))
    , m_pos(pos)
    , m_message(std::move(message))
{
}

std::string ScriptError::banner() const
{
    return what();
}

const char *ScriptError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::SyntaxError:
        return "SyntaxError";
    case Kind::TokenMissingError:
        return "TokenMissingError";
    case Kind::CompileError:
        return "CompileError";
    }
    return "SyntaxError";
}

} // namespace mailroom::script
