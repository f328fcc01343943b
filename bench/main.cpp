// SPDX-License-Identifier: MIT
// mailroom-bench: Mailroom's side of `make bench` (see docs/performance.md).
//
//   mailroom-bench [--quick|--smoke] [--only=cast,call,...] [--no-record] [--git=REV]
//       runs one round of the workloads and prints figures (harness.h's line protocol);
//       --no-record turns the event record off everywhere (once the runtime has the switch);
//       --schedulers=N runs every workload on N scheduler threads instead of one per core
//   mailroom-bench --sizes [--quick|--smoke]
//       prints the workload sizes as key=value words, for the BEAM peer
//   mailroom-bench --report --raw=DIR [--json=FILE] [--quick]
//       reads DIR/{mailroom,beam,caf}.tsv and prints the table, writes the JSON

#include "report.h"
#include "workloads.h"

#include <cstdlib>
#include <cstring>
#include <exception>

namespace {

int usage()
{
    std::fprintf(stderr,
        "usage: mailroom-bench [--quick|--smoke] [--only=LIST] [--no-record] [--schedulers=N] [--git=REV]\n"
        "       mailroom-bench --sizes [--quick|--smoke]\n"
        "       mailroom-bench --report --raw=DIR [--json=FILE] [--quick]\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace mailroom::bench;
    RunnerOptions runner;
    bool report = false;
    bool sizes = false;
    ReportOptions reportOptions;
    std::string git;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (parseRunnerOption(arg, runner))
            continue;
        if (arg == "--report")
            report = true;
        else if (arg == "--sizes")
            sizes = true;
        else if (arg.starts_with("--raw="))
            reportOptions.rawDir = arg.substr(6);
        else if (arg.starts_with("--json="))
            reportOptions.jsonPath = arg.substr(7);
        else if (arg == "--no-record")
            runner.noRecord = true;
        else if (arg.starts_with("--schedulers=")) {
            const int n = std::atoi(std::string(arg.substr(13)).c_str());
            if (n < 1)
                return usage();
            runner.schedulers = unsigned(n);
        } else if (arg.starts_with("--git="))
            git = arg.substr(6);
        else
            return usage();
    }
    if (sizes) {
        std::printf("%s\n", sizesArgs(sizesFor(runner.mode)).c_str());
        return 0;
    }
    if (report) {
        if (reportOptions.rawDir.empty())
            return usage();
        reportOptions.mode = runner.mode;
        return writeReport(reportOptions);
    }
    for (const auto &name : runner.only)
        if (std::find(std::begin(kWorkloads), std::end(kWorkloads), name) == std::end(kWorkloads)) {
            std::fprintf(stderr, "mailroom-bench: unknown workload '%s'\n", name.c_str());
            return usage();
        }
    try {
        const Output out;
        out.version(mailroomVersion(git));
        runMailroomWorkloads(runner, out);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "mailroom-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
