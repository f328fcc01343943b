// SPDX-License-Identifier: MIT
#pragma once

// JSON text for every writer of JSON in core (the event record's JSON Lines, the Chrome
// trace): one escaper, so that both write the same bytes for the same string.

#include <string>
#include <string_view>

namespace mailroom::json {

/// Appends `s` as a JSON string: in quotes, with the escapes JSON requires (control
/// characters as \uXXXX, \n \r \t in short). A byte that does not begin valid UTF-8
/// (utf8::decode) becomes U+FFFD, so the output is valid JSON whatever `s` holds; a writer
/// that must keep such bytes checks utf8::valid first and writes them another way.
void appendString(std::string &out, std::string_view s);

} // namespace mailroom::json
