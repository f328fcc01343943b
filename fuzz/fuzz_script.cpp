// SPDX-License-Identifier: MIT
// libFuzzer target for the script language: any bytes through the lexer, parser and checker
// (parseProgram); what parses is then run on a single-threaded host with a step budget, so
// that loops end, nothing blocks, and every input finishes in bounded time (harness.h).
//
// Crashes it looks for: anything but a ScriptError from parsing, a ScriptError without a
// sane position, anything but a ScriptException escaping evaluation (an internal
// std::logic_error, a bad_alloc, a sanitizer report, a stack overflow).
#include "harness.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string problem
        = mailroom::fuzz::checkScript(std::string_view(reinterpret_cast<const char *>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_script: %s\n", problem.c_str());
        __builtin_trap();
    }
    return 0;
}
