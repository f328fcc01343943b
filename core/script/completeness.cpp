// SPDX-License-Identifier: MIT
#include "script/completeness.h"

#include "script/error.h"
#include "script/parser.h"

namespace mailroom::script {

bool inputIsIncomplete(std::string_view source)
{
    try {
        (void)parseTree(source, "iex");
    } catch (const ScriptError &e) {
        // iex waits for more input on exactly Elixir's TokenMissingError.
        return e.kind() == ScriptError::Kind::TokenMissingError;
    }
    return false;
}

} // namespace mailroom::script
