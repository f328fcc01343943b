// SPDX-License-Identifier: MIT
#pragma once

// The workloads of docs/performance.md, run on Mailroom's runtime. Each prints its
// figures through the harness's line protocol; none judges what it measured.

#include "harness.h"

namespace mailroom::bench {

/// Runs the workloads `options` selects, one round, printing their figures. Main thread
/// only (each workload starts and destroys its own Runtime).
void runMailroomWorkloads(const RunnerOptions &options, const Output &out);

/// Mailroom's version line: project version, git revision, compiler, Boost.
[[nodiscard]] std::string mailroomVersion(std::string_view gitRevision);

} // namespace mailroom::bench
