// SPDX-License-Identifier: MIT
// Replays a fuzzer crasher (tests/reliability/crashers/) through the same check the fuzz
// target ran (fuzz/harness.h), for tst_crashers. It runs on a thread with a 256 KB stack, the
// runtime's default process stack (where the console evaluates a script): small enough that
// recursion without a bound overflows in any build, large enough for code that bounds its
// recursion by the stack it is given (as the script language does).
//
//   reliability_replay --script FILE    the script language on the whole file
//   reliability_replay --jsonl FILE     the event reader on each line of the file
//
// Exit status 0: handled as it must be; 1: handled wrongly (said on stderr); 2: bad usage.
// A crash stays a crash (a signal), which tst_crashers reports.
#include "harness.h"

#include <cstdio>
#include <fstream>
#include <pthread.h>
#include <sstream>

namespace {

constexpr unsigned kStackBytes = 256U * 1024U;

std::string checkLines(std::string_view text)
{
    size_t start = 0;
    int lineNo = 1;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        if (end > start || end < text.size()) {
            const std::string problem = mailroom::fuzz::checkJsonLine(text.substr(start, end - start));
            if (!problem.empty())
                return "line " + std::to_string(lineNo) + ": " + problem;
        }
        start = end + 1;
        ++lineNo;
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 3 || (std::string_view(argv[1]) != "--script" && std::string_view(argv[1]) != "--jsonl")) {
        std::fputs("usage: reliability_replay --script FILE | --jsonl FILE\n", stderr);
        return 2;
    }
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "reliability_replay: cannot read %s\n", argv[2]);
        return 2;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string input = bytes.str();
    const bool script = std::string_view(argv[1]) == "--script";

    // A pthread rather than a QThread: the stack size is set the same way, and ThreadSanitizer
    // sees pthread_join order the worker's writes before the reads below (QThread::wait's
    // futex, inside an uninstrumented Qt, it cannot see).
    struct Job {
        const std::string *input;
        bool script;
        std::string problem;
    } job{ &input, script, {} };
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kStackBytes);
    pthread_t worker;
    const int started = pthread_create(
        &worker, &attr,
        [](void *arg) -> void * {
            auto *j = static_cast<Job *>(arg);
            j->problem = j->script ? mailroom::fuzz::checkScript(*j->input) : checkLines(*j->input);
            return nullptr;
        },
        &job);
    pthread_attr_destroy(&attr);
    if (started != 0) {
        std::fputs("reliability_replay: cannot start the worker thread\n", stderr);
        return 2;
    }
    pthread_join(worker, nullptr);
    const std::string &problem = job.problem;
    if (!problem.empty()) {
        std::fprintf(stderr, "%s\n", problem.c_str());
        return 1;
    }
    return 0;
}
