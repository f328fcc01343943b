// mailroom-run: runs a script of the Elixir subset headless, printing what `elixir FILE.exs`
// prints. Exit status: 0 when the script ends normally, 1 on an uncaught error or exit
// (or a syntax error), 2 on bad usage.

#include "eventjson.h"
#include "export_chrome.h"
#include "export_mermaid.h"
#include "script/session.h"
#include "traceformat.h"
#include "world.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

constexpr const char *kUsage
    = "usage: mailroom-run [options] FILE.exs\n"
      "       mailroom-run [options] -e CODE\n"
      "\n"
      "Runs Elixir client code (GenServer, Agent, Task, Process, :sys and the catalog servers)\n"
      "on Mailroom's runtime and prints what `elixir FILE.exs` prints.\n"
      "\n"
      "options:\n"
      "  -e CODE             run CODE instead of a file\n"
      "  --events OUT.jsonl  write the whole event record as JSON Lines (see docs/events.md)\n"
      "  --chrome-trace OUT.json\n"
      "                      write the event record as a Chrome trace (Perfetto, chrome://tracing)\n"
      "  --mermaid OUT.mmd   write the event record as a Mermaid sequence diagram\n"
      "  --trace OUT.txt     write the event record as the app's trace pane shows it (*DBG* lines)\n"
      "  --speed X           run the virtual clock at X times real speed (0 < X <= 100)\n"
      "  -h, --help          show this help\n";

/// The record as the trace pane shows it: the time in ms, then the *DBG* line (Erlang syntax).
void writeTrace(const mailroom::EventLog &log, std::ostream &out)
{
    mailroom::WorldState state;
    mailroom::History history(size_t(log.end() - log.begin()) + 1);
    mailroom::Reducer reducer(state, history);
    std::vector<mailroom::Event> batch;
    for (uint64_t next = log.begin(); next < log.end();) {
        batch.clear();
        next = log.read(next, 4096, batch);
        if (batch.empty())
            break;
        for (const mailroom::Event &e : batch)
            reducer.apply(e);
    }
    for (const mailroom::TraceRow &row : history.trace()) {
        std::array<char, 32> time {};
        std::snprintf(time.data(), time.size(), "%12.3f", double(row.timeNs) / 1e6);
        out << time.data() << "  " << mailroom::traceLine(row, history, true) << '\n';
    }
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "mailroom-run: %s\n\n%s", message.c_str(), kUsage);
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    std::string file;
    std::string code;
    bool inlineCode = false;
    std::string eventsPath;
    std::string chromePath;
    std::string mermaidPath;
    std::string tracePath;
    double speed = 1.0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&](std::string_view option) -> const char * {
            if (i + 1 >= argc)
                return nullptr;
            (void)option;
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "-e") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("-e needs the code to run");
            code = v;
            inlineCode = true;
        } else if (arg == "--events") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("--events needs a file name");
            eventsPath = v;
        } else if (arg == "--chrome-trace") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("--chrome-trace needs a file name");
            chromePath = v;
        } else if (arg == "--trace") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("--trace needs a file name");
            tracePath = v;
        } else if (arg == "--mermaid") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("--mermaid needs a file name");
            mermaidPath = v;
        } else if (arg == "--speed") {
            const char *v = value(arg);
            char *end = nullptr;
            speed = v != nullptr ? std::strtod(v, &end) : 0;
            if (v == nullptr || end == v || *end != '\0' || !(speed > 0 && speed <= 100))
                return usageError("--speed needs a number above 0 and at most 100");
        } else if (!arg.empty() && arg[0] == '-') {
            return usageError("unknown option " + std::string(arg));
        } else if (file.empty() && !inlineCode) {
            file = arg;
        } else {
            return usageError("give one script: a FILE or -e CODE");
        }
    }
    if (file.empty() && !inlineCode)
        return usageError("no script given");

    std::string source = code;
    std::string name = "nofile";
    if (!inlineCode) {
        std::ifstream in(file, std::ios::binary);
        if (!in)
            return usageError("cannot read " + file);
        std::ostringstream text;
        text << in.rdbuf();
        source = text.str();
        name = file;
    }

    mailroom::RuntimeOptions options;
    options.speed = speed;
    options.firstPid = 96; // the pid `elixir FILE.exs` gives the script process
    if (!eventsPath.empty() || !chromePath.empty() || !mermaidPath.empty() || !tracePath.empty())
        options.eventBudget = size_t(1) << 26U; // keep the whole record for the export
    mailroom::EvalResult result;
    mailroom::Session session(options);
    result = session.runFile(source, name);
    if (!result.text.empty() && !result.ok)
        std::fprintf(stderr, "%s\n", result.text.c_str());
    std::fflush(stdout);
    session.runtime().shutdown();
    if (!eventsPath.empty()) {
        std::ofstream out(eventsPath, std::ios::binary);
        if (!out) {
            std::fprintf(stderr, "mailroom-run: cannot write %s\n", eventsPath.c_str());
            return 2;
        }
        mailroom::writeEventsJsonl(session.runtime().events(), out);
    }
    if (!chromePath.empty()) {
        std::ofstream out(chromePath, std::ios::binary);
        if (!out) {
            std::fprintf(stderr, "mailroom-run: cannot write %s\n", chromePath.c_str());
            return 2;
        }
        mailroom::writeChromeTrace(session.runtime().events(), out);
    }
    if (!mermaidPath.empty()) {
        std::ofstream out(mermaidPath, std::ios::binary);
        if (!out) {
            std::fprintf(stderr, "mailroom-run: cannot write %s\n", mermaidPath.c_str());
            return 2;
        }
        mailroom::writeMermaidSequence(session.runtime().events(), out);
    }
    if (!tracePath.empty()) {
        std::ofstream out(tracePath, std::ios::binary);
        if (!out) {
            std::fprintf(stderr, "mailroom-run: cannot write %s\n", tracePath.c_str());
            return 2;
        }
        writeTrace(session.runtime().events(), out);
    }
    return result.status;
}
