// SPDX-License-Identifier: MIT
#pragma once

// Turns the rounds the runners printed into the one table of `make bench` and into
// build/bench/results.json.

#include "harness.h"

#include <string>

namespace mailroom::bench {

struct ReportOptions {
    std::string rawDir; ///< holds mailroom.tsv, beam.tsv, caf.tsv (any may be missing)
    std::string jsonPath; ///< where results.json goes; empty = none
    Mode mode = Mode::Full;
};

/// Prints the table on stdout and writes the JSON. Returns a process exit status:
/// 0 unless the inputs could not be read or the JSON not written (a slow figure is
/// never an error).
int writeReport(const ReportOptions &options);

} // namespace mailroom::bench
