// SPDX-License-Identifier: MIT
// mailroom-run: runs a script of the Elixir subset headless, printing what `elixir FILE.exs`
// prints. Exit status: 0 when the script ends normally, 1 on an uncaught error or exit
// (or a syntax error), 2 on bad usage.

#include "beamrun.h"
#include "eventjson.h"
#include "export_chrome.h"
#include "export_mermaid.h"
#include "recordstream.h"
#include "script/session.h"
#include "traceformat.h"
#include "world.h"

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include <pthread.h>

namespace {

/// Writes a report to stderr as Elixir's Logger console backend frames it: a Logger report
/// ("[error] ...") after an empty line and the time of day, "\n12:34:56.789 [error] ...".
/// Any other report (the runtime's own) goes as it is.
void writeLoggerReport(std::string_view text)
{
    std::string framed;
    if (text.starts_with('[')) {
        const auto now = std::chrono::system_clock::now();
        const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
        std::tm local{};
        localtime_r(&seconds, &local);
        std::array<char, 32> time{};
        const size_t n = std::strftime(time.data(), time.size(), "%H:%M:%S", &local);
        framed = "\n" + std::string(time.data(), n) + "." + std::to_string(1000 + ms).substr(1) + " ";
    }
    framed += text;
    std::fwrite(framed.data(), 1, framed.size(), stderr);
    std::fflush(stderr);
}

constexpr const char *kUsage
    = "usage: mailroom-run [options] FILE.exs\n"
      "       mailroom-run [options] -e CODE\n"
      "\n"
      "Runs Elixir client code (GenServer, Agent, Task, Process, :sys and the catalog servers)\n"
      "on Mailroom's runtime and prints what `elixir FILE.exs` prints.\n"
      "\n"
      "options:\n"
      "  -e CODE             run CODE instead of a file\n"
      "  --events OUT.jsonl  stream the whole event record to a file as JSON Lines while it runs\n"
      "                      (see docs/events.md); Ctrl+C or SIGTERM leaves the file whole\n"
      "  --chrome-trace OUT.json\n"
      "                      write the event record as a Chrome trace (Perfetto, chrome://tracing)\n"
      "  --mermaid OUT.mmd   write the event record as a Mermaid sequence diagram\n"
      "  --trace OUT.txt     write the event record as the app's trace pane shows it (*DBG* lines)\n"
      "  --speed X           run the virtual clock at X times real speed (0 < X <= 100)\n"
      "  -h, --help          show this help\n"
      "\n"
      "On the real BEAM (docs/beam.md; needs `elixir` on PATH), with the same exports:\n"
      "  --beam FILE.exs     run FILE in real `elixir` with Mailroom's tracer: prints what\n"
      "                      `elixir FILE.exs` prints and exits with its status\n"
      "  -r FILE             (with --beam) load FILE first, as `elixir -r FILE` does\n"
      "  --no-catalog        (with --beam) do not define the catalog's servers (Counter, ...)\n"
      "                      before the script, as Mailroom's runtime does by default\n"
      "  --attach NAME@HOST  watch a running node (started with --sname or --name) through a\n"
      "                      hidden node of Mailroom's that listens on no port\n"
      "  --cookie C          (with --attach) the node's cookie\n"
      "  --procs A,B         (with --attach) the processes to watch, by name, <0.N.0>, app:NAME\n"
      "                      (an application's) or sup:NAME (a supervisor and all under it); without\n"
      "                      it, every registered process outside OTP's and Elixir's own\n"
      "  --seconds S         (with --attach) how long to watch (default 10)\n"
      "  --rate-limit N      the tracer stops itself above N events a second (default 50000)\n"
      "  --term-cap N        messages and states are cut at N bytes of JSON (default 8192)\n"
      "  --messages-only     sends, receives, processes and timers, without a GenServer's\n"
      "                      handler events and states: half the tracing cost on the node\n";

/// The record as the trace pane shows it: the time in ms, then the *DBG* line (Erlang syntax).
void writeTrace(const mailroom::EventLog &log, std::ostream &out)
{
    mailroom::WorldState state;
    mailroom::History history(size_t(log.end() - log.begin()) + 1);
    mailroom::Reducer reducer(state, history);
    log.forEach([&](const mailroom::Event &e) { reducer.apply(e); });
    for (const mailroom::TraceRow &row : history.trace()) {
        std::array<char, 32> time{};
        std::snprintf(time.data(), time.size(), "%12.3f", double(row.timeNs) / 1e6);
        out << time.data() << "  " << mailroom::traceLine(row, history, true) << '\n';
    }
}

struct ExportPaths {
    std::string events, chrome, mermaid, trace;
    [[nodiscard]] bool any() const
    {
        return !events.empty() || !chrome.empty() || !mermaid.empty() || !trace.empty();
    }
};

/// Writes the record in each shape asked for; 2 when a file cannot be written, else 0.
int writeExports(const mailroom::EventLog &log, const ExportPaths &paths)
{
    const auto open = [](const std::string &path, std::ofstream &out) {
        out.open(path, std::ios::binary);
        if (!out)
            std::fprintf(stderr, "mailroom-run: cannot write %s\n", path.c_str());
        return bool(out);
    };
    if (!paths.events.empty()) {
        std::ofstream out;
        if (!open(paths.events, out))
            return 2;
        mailroom::writeEventsJsonl(log, out);
    }
    if (!paths.chrome.empty()) {
        std::ofstream out;
        if (!open(paths.chrome, out))
            return 2;
        mailroom::writeChromeTrace(log, out);
    }
    if (!paths.mermaid.empty()) {
        std::ofstream out;
        if (!open(paths.mermaid, out))
            return 2;
        mailroom::writeMermaidSequence(log, out);
    }
    if (!paths.trace.empty()) {
        std::ofstream out;
        if (!open(paths.trace, out))
            return 2;
        writeTrace(log, out);
    }
    return 0;
}

/// --beam and --attach: the record comes from the tracer on a real node.
int runOnBeam(const char *argv0, const std::string &file, const std::string &attachTarget,
    const std::string &cookie, const std::string &procs, int seconds,
    const mailroom::beam::Options &options, const ExportPaths &paths)
{
    const std::string dir = mailroom::beam::tracerDir(argv0);
    if (dir.empty()) {
        std::fprintf(stderr, "mailroom-run: the BEAM tracer (mailroom_tracer.beam) is not built or installed; "
                             "build the mailroom_tracer target (needs erlc) or set MAILROOM_BEAM_DIR\n");
        return 2;
    }
    mailroom::beam::Result result = attachTarget.empty()
        ? mailroom::beam::runScript(file, options, dir)
        : mailroom::beam::attach(attachTarget, cookie, procs, seconds, options, dir);
    for (const std::string &notice : result.notices)
        std::fprintf(stderr, "mailroom-run: %s\n", notice.c_str());
    if (!result.error.empty()) {
        std::fprintf(stderr, "mailroom-run: %s\n", result.error.c_str());
        if (result.events.empty())
            return result.status != 0 ? result.status : 2;
    }
    if (paths.any()) {
        mailroom::EventLog log(result.events.size() + 1);
        for (mailroom::Event &e : result.events)
            log.append(std::move(e));
        if (const int rc = writeExports(log, paths); rc != 0)
            return rc;
    }
    return result.status;
}

/// SIGINT and SIGTERM while a record streams to a file: taken by a thread of their own
/// (blocked in every other), which closes the file with whole events before the process ends
/// as the signal would have ended it (status 128 + the signal). Call before any thread starts.
class SignalsCloseTheRecord {
    /// Shared with the signal thread, which outlives main's locals: the stream is set while
    /// it may be finished from there, and cleared (under the lock) before it is destroyed.
    struct Shared {
        std::mutex mutex;
        mailroom::RecordStream *stream = nullptr;
    };

public:
    SignalsCloseTheRecord()
    {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        std::thread([set, shared = m_shared] {
            int sig = 0;
            if (sigwait(&set, &sig) != 0)
                return;
            {
                std::lock_guard lock(shared->mutex);
                if (shared->stream != nullptr)
                    (void)shared->stream->finish();
            }
            std::fflush(stdout);
            std::fflush(stderr);
            std::_Exit(128 + sig);
        }).detach();
    }
    SignalsCloseTheRecord(const SignalsCloseTheRecord &) = delete;
    SignalsCloseTheRecord &operator=(const SignalsCloseTheRecord &) = delete;

    /// Until the returned handle is dropped, a signal finishes `stream` before the process
    /// ends; drop it before the stream is destroyed.
    [[nodiscard]] std::shared_ptr<void> watch(mailroom::RecordStream &stream)
    {
        {
            std::lock_guard lock(m_shared->mutex);
            m_shared->stream = &stream;
        }
        return { nullptr, [shared = m_shared](void *) {
                    std::lock_guard lock(shared->mutex);
                    shared->stream = nullptr;
                } };
    }

private:
    std::shared_ptr<Shared> m_shared = std::make_shared<Shared>();
};

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
    bool beam = false;
    std::string attachTarget;
    std::string cookie;
    std::string procs;
    int seconds = 10;
    mailroom::beam::Options beamOptions;
    const auto count = [](const char *v, size_t &out) {
        char *end = nullptr;
        const unsigned long long n = v != nullptr ? std::strtoull(v, &end, 10) : 0;
        if (v == nullptr || end == v || *end != '\0' || n == 0)
            return false;
        out = size_t(n);
        return true;
    };
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
        } else if (arg == "--beam") {
            beam = true;
        } else if (arg == "--no-catalog") {
            beamOptions.catalog = false;
        } else if (arg == "-r") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("-r needs a file name");
            beamOptions.preload.emplace_back(v);
        } else if (arg == "--attach") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("--attach needs NAME@HOST");
            attachTarget = v;
        } else if (arg == "--cookie") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("--cookie needs the cookie");
            cookie = v;
        } else if (arg == "--procs") {
            const char *v = value(arg);
            if (v == nullptr)
                return usageError("--procs needs names, separated by commas");
            procs = v;
        } else if (arg == "--seconds") {
            size_t n = 0;
            if (!count(value(arg), n) || n > 86400)
                return usageError("--seconds needs a whole number from 1 to 86400");
            seconds = int(n);
        } else if (arg == "--rate-limit") {
            if (!count(value(arg), beamOptions.rateLimit))
                return usageError("--rate-limit needs a whole number above 0");
        } else if (arg == "--messages-only") {
            beamOptions.messagesOnly = true;
        } else if (arg == "--term-cap") {
            if (!count(value(arg), beamOptions.termCap) || beamOptions.termCap < 64)
                return usageError("--term-cap needs a whole number of bytes, at least 64");
        } else if (!arg.empty() && arg[0] == '-') {
            return usageError("unknown option " + std::string(arg));
        } else if (file.empty() && !inlineCode) {
            file = arg;
        } else {
            return usageError("give one script: a FILE or -e CODE");
        }
    }
    const ExportPaths paths{ eventsPath, chromePath, mermaidPath, tracePath };
    if (!attachTarget.empty()) {
        if (beam || !file.empty() || inlineCode)
            return usageError("--attach watches a running node: give no script with it");
        if (cookie.empty())
            return usageError("--attach needs --cookie, the watched node's cookie");
        return runOnBeam(argv[0], file, attachTarget, cookie, procs, seconds, beamOptions, paths);
    }
    if (!beamOptions.preload.empty() && !beam)
        return usageError("-r is for --beam");
    if (beamOptions.messagesOnly && !beam)
        return usageError("--messages-only is for --beam and --attach");
    if (beam) {
        if (inlineCode || file.empty())
            return usageError("--beam needs a FILE.exs");
        return runOnBeam(argv[0], file, attachTarget, cookie, procs, seconds, beamOptions, paths);
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
    options.errorReport = writeLoggerReport;
    // The other exports are written from the whole record at the end; --events streams it
    // and keeps the runtime's budget.
    if (!chromePath.empty() || !mermaidPath.empty() || !tracePath.empty())
        options.eventBudget = size_t(1) << 26U; // keep the whole record for the export
    std::ofstream eventsFile;
    std::optional<SignalsCloseTheRecord> signals;
    if (!eventsPath.empty()) {
        eventsFile.open(eventsPath, std::ios::binary);
        if (!eventsFile) {
            std::fprintf(stderr, "mailroom-run: cannot write %s\n", eventsPath.c_str());
            return 2;
        }
        signals.emplace(); // before the runtime's threads start, so that they inherit the mask
    }
    mailroom::EvalResult result;
    mailroom::Session session(options);
    std::optional<mailroom::RecordStream> stream;
    std::shared_ptr<void> watching; // dropped before the stream, declared after it
    if (eventsFile.is_open()) {
        stream.emplace(session.runtime(), eventsFile);
        watching = signals->watch(*stream);
    }
    result = session.runFile(source, name);
    if (!result.text.empty() && !result.ok)
        std::fprintf(stderr, "%s\n", result.text.c_str());
    std::fflush(stdout);
    session.runtime().shutdown();
    if (stream && !stream->finish()) {
        std::fprintf(stderr, "mailroom-run: cannot write %s\n", eventsPath.c_str());
        return 2;
    }
    ExportPaths rest = paths;
    rest.events.clear(); // streamed already
    if (const int rc = writeExports(session.runtime().events(), rest); rc != 0)
        return rc;
    return result.status;
}
