// SPDX-License-Identifier: MIT
// libFuzzer target for the JSON Lines event reader (readEventJsonLine, core/eventjson.h):
// any bytes as one line. A line it accepts must survive a round trip (written back with
// eventToJson and read again, it gives the same text); a line it refuses must say why and
// at which column (harness.h).
#include "harness.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string problem
        = mailroom::fuzz::checkJsonLine(std::string_view(reinterpret_cast<const char *>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_jsonl: %s\n", problem.c_str());
        __builtin_trap();
    }
    return 0;
}
