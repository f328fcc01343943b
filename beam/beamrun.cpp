// SPDX-License-Identifier: MIT
#include "beamrun.h"

#include "catalog_sources.h"
#include "eventjson.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

extern char **environ;

namespace mailroom::beam {

namespace {

namespace fs = std::filesystem;

constexpr int kStreamFd = 3; // the tracer writes the record here (MAILROOM_TRACE_FD)

bool isExecutable(const fs::path &p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

bool hasTracer(const fs::path &dir)
{
    std::error_code ec;
    return fs::exists(dir / "mailroom_tracer.beam", ec) && fs::exists(dir / "mailroom_boot.exs", ec);
}

/// A value of a status line's field: the text after `"key":` up to the next , or }.
std::string statusField(const std::string &line, std::string_view key)
{
    const std::string needle = "\"" + std::string(key) + "\":";
    const size_t at = line.find(needle);
    if (at == std::string::npos)
        return {};
    size_t from = at + needle.size();
    if (from < line.size() && line[from] == '"') {
        std::string out;
        for (size_t i = from + 1; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] != '\\' || i + 1 >= line.size()) {
                out += line[i];
                continue;
            }
            switch (line[++i]) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'u': // the tracer escapes control characters only: \u00XX
                if (i + 4 < line.size()) {
                    out += char(std::stoi(line.substr(i + 1, 4), nullptr, 16));
                    i += 4;
                }
                break;
            default:
                out += line[i];
            }
        }
        return out;
    }
    const size_t end = line.find_first_of(",}", from);
    return line.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

/// Writes `text` to a pipe whose reader may have exited: the SIGPIPE that would end Mailroom is
/// blocked on this thread and taken back before it is unblocked.
void tell(int fd, std::string_view text)
{
    sigset_t pipeSignal;
    sigset_t before;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &before);
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EPIPE) {
        const timespec now{ 0, 0 };
        (void)sigtimedwait(&pipeSignal, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

/// Spawns argv with the stream's pipe on descriptor 3 (and, for attach, a pipe on stdin that
/// stays open while we live), reads the stream to its end and waits for the child.
Result runChild(const std::vector<std::string> &argv, const std::vector<std::string> &extraEnv, bool holdStdin,
    const EventSink &sink, const Options &options)
{
    const std::atomic<bool> *cancel = options.cancel;
    Result result;
    int stream[2];
    if (::pipe2(stream, O_CLOEXEC) != 0) {
        result.error = std::string("cannot make a pipe: ") + std::strerror(errno);
        result.status = 2;
        return result;
    }
    int input[2] = { -1, -1 };
    if (holdStdin && ::pipe2(input, O_CLOEXEC) != 0) {
        result.error = std::string("cannot make a pipe: ") + std::strerror(errno);
        result.status = 2;
        return result;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stream[1], kStreamFd);
    if (holdStdin)
        posix_spawn_file_actions_adddup2(&actions, input[0], 0);

    std::vector<std::string> env;
    for (char **e = environ; *e != nullptr; ++e)
        env.emplace_back(*e);
    env.insert(env.end(), extraEnv.begin(), extraEnv.end());
    std::vector<char *> envp;
    for (std::string &s : env)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char *> argp;
    for (std::string &s : args)
        argp.push_back(s.data());
    argp.push_back(nullptr);

    pid_t child = 0;
    const int rc = posix_spawn(&child, argp[0], &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(stream[1]);
    if (holdStdin)
        ::close(input[0]);
    if (rc != 0) {
        ::close(stream[0]);
        if (holdStdin)
            ::close(input[1]);
        result.error = "cannot start " + argv[0] + ": " + std::strerror(rc);
        result.status = 2;
        return result;
    }

    // Read until the stream ends; a grandchild that kept descriptor 3 would hold it open, so the
    // child's own exit ends the reading too (after what is already in the pipe).
    std::string pending;
    size_t lineNumber = 0;
    char chunk[65536];
    bool exited = false;
    int waitStatus = 0;
    // A line the reader cannot take (a term nested deeper than it reads) is left out and
    // counted: the record goes on after it.
    size_t unreadable = 0;
    std::string firstUnreadable;
    size_t repliesGiven = 0;
    size_t noticesGiven = 0;
    const auto takeLines = [&] {
        const size_t before = result.events.size();
        size_t start = 0;
        for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
            const std::string line = pending.substr(start, nl - start);
            if (!readStreamLine(line, ++lineNumber, result)) {
                if (unreadable++ == 0)
                    firstUnreadable = result.error;
                result.error.clear();
            }
        }
        pending.erase(0, start);
        if (sink && result.events.size() > before)
            sink(std::vector<Event>(result.events.begin() + std::ptrdiff_t(before), result.events.end()));
        for (; repliesGiven < result.replies.size(); ++repliesGiven)
            if (options.onReply)
                options.onReply(result.replies[repliesGiven]);
        for (; noticesGiven < result.notices.size(); ++noticesGiven)
            if (options.onNotice)
                options.onNotice(result.notices[noticesGiven]);
    };
    bool cancelled = false;
    for (;;) {
        if (holdStdin && options.console != nullptr && !cancelled) {
            static constexpr char kHex[] = "0123456789abcdef";
            const auto hex = [](std::string &out, const std::string &text) {
                for (unsigned char c : text) {
                    out += kHex[c >> 4];
                    out += kHex[c & 15];
                }
            };
            for (const NodeConsole::Line &sent : options.console->take()) {
                std::string line = "eval " + std::to_string(sent.prompt) + " ";
                hex(line, sent.code);
                if (!sent.file.empty()) {
                    line += ' ';
                    hex(line, sent.file);
                }
                tell(input[1], line + "\n");
            }
        }
        pollfd p{ stream[0], POLLIN, 0 };
        const int ready = ::poll(&p, 1, exited ? 0 : 200);
        if (ready > 0) {
            const ssize_t n = ::read(stream[0], chunk, sizeof chunk);
            if (n > 0) {
                pending.append(chunk, size_t(n));
                takeLines();
                continue;
            }
            if (n == 0)
                break;
            if (errno == EINTR)
                continue;
            break;
        }
        if (exited)
            break;
        if (cancel != nullptr && cancel->load() && !cancelled) {
            // The hidden node takes `stop` on its input as the end of the watch, and cleans
            // the watched node up; a script is ended.
            if (holdStdin)
                tell(input[1], "stop\n");
            else
                ::kill(child, SIGTERM);
            cancelled = true;
        }
        if (::waitpid(child, &waitStatus, WNOHANG) == child)
            exited = true;
    }
    ::close(stream[0]);
    if (holdStdin)
        ::close(input[1]); // the hidden node reads this as Mailroom going away
    if (!exited)
        ::waitpid(child, &waitStatus, 0);
    if (!pending.empty() && result.error.empty())
        result.error = "the tracer's stream ends in the middle of line " + std::to_string(lineNumber + 1);
    if (unreadable > 0)
        result.notices.push_back(std::to_string(unreadable) + " line(s) of the tracer's stream could not be read "
            + "and are left out of the record (the first: " + firstUnreadable + ")");
    result.status = WIFEXITED(waitStatus) ? WEXITSTATUS(waitStatus) : 128 + WTERMSIG(waitStatus);
    result.noticesTold = options.onNotice ? noticesGiven : 0;
    return result;
}

} // namespace

void NodeConsole::submit(int prompt, const std::string &code, const std::string &file)
{
    std::lock_guard lock(m_mutex);
    m_queued.push_back({ prompt, code, file });
}

std::vector<NodeConsole::Line> NodeConsole::take()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_queued, {});
}

CatalogFiles::CatalogFiles(bool wanted)
{
    if (!wanted)
        return;
    std::error_code ec;
    std::string base = (fs::temp_directory_path(ec) / "mailroom-catalog-XXXXXX").string();
    if (ec || ::mkdtemp(base.data()) == nullptr) {
        m_error = std::string("cannot make a folder for the catalog: ") + std::strerror(errno);
        return;
    }
    m_dir = base;
    for (const CatalogSource &source : catalogSources()) {
        const fs::path path = fs::path(m_dir) / source.file;
        fs::create_directories(path.parent_path(), ec);
        std::FILE *out = std::fopen(path.c_str(), "wb");
        if (out == nullptr || std::fwrite(source.text.data(), 1, source.text.size(), out) != source.text.size()) {
            m_error = "cannot write " + path.string() + ": " + std::strerror(errno);
            if (out != nullptr)
                std::fclose(out);
            return;
        }
        std::fclose(out);
        m_paths.push_back(path.string());
    }
}

CatalogFiles::~CatalogFiles()
{
    if (m_dir.empty())
        return;
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

std::string findElixir()
{
    const char *path = std::getenv("PATH");
    if (path == nullptr)
        return {};
    std::string_view rest = path;
    while (!rest.empty()) {
        const size_t colon = rest.find(':');
        const std::string_view dir = rest.substr(0, colon);
        if (!dir.empty()) {
            const fs::path candidate = fs::path(std::string(dir)) / "elixir";
            if (isExecutable(candidate))
                return candidate.string();
        }
        if (colon == std::string_view::npos)
            break;
        rest.remove_prefix(colon + 1);
    }
    return {};
}

std::string tracerDir(const std::string &argv0)
{
    if (const char *env = std::getenv("MAILROOM_BEAM_DIR"); env != nullptr && hasTracer(env))
        return env;
#ifdef MAILROOM_BEAM_BUILD_DIR
    if (hasTracer(MAILROOM_BEAM_BUILD_DIR))
        return MAILROOM_BEAM_BUILD_DIR;
#endif
    std::error_code ec;
    const fs::path exe = fs::canonical("/proc/self/exe", ec);
    const fs::path base = ec ? fs::path(argv0).parent_path() : exe.parent_path();
    const fs::path installed = base / ".." / "share" / "mailroom" / "beam";
    if (hasTracer(installed))
        return installed.lexically_normal().string();
    return {};
}

namespace {

/// " on NODE" for a status line of a named node (attached, or a cluster's); "" for a script's.
std::string onNode(const std::string &line)
{
    const std::string node = statusField(line, "node");
    return node.empty() || node == "nonode@nohost" ? std::string() : " on " + node;
}

} // namespace

bool readStreamLine(const std::string &line, size_t lineNumber, Result &result)
{
    if (line.rfind("{\"tracer\":", 0) == 0) {
        const std::string what = statusField(line, "tracer");
        if (what == "end") {
            result.ended = true;
        } else if (what == "stopped") {
            const std::string reason = statusField(line, "reason");
            const std::string why = reason == "rate"
                ? statusField(line, "events") + " events within a second"
                : statusField(line, "queued") + " events waiting to be written";
            result.notices.push_back(std::string(kTracerStoppedItself) + onNode(line) + ": "
                + why + ", above the limit of " + statusField(line, "limit")
                + " (--rate-limit); every trace flag is off until the flood is over, then it watches the "
                  "same processes again");
        } else if (what == "resumed") {
            const std::string exited = statusField(line, "exited");
            result.notices.push_back(std::string(kTracerResumed) + onNode(line) + " after "
                + statusField(line, "ms") + " ms unwatched: " + statusField(line, "dropped")
                + " trace messages dropped, " + exited + (exited == "1" ? " watched process" : " watched processes")
                + " gone meanwhile (and what they started then is not watched)");
        } else if (what == "error") {
            result.error = statusField(line, "message");
        } else if (what == "notice") {
            result.notices.push_back(statusField(line, "message"));
        } else if (what == "process") {
            result.processes.push_back({ statusField(line, "pid"), statusField(line, "name"),
                statusField(line, "kind"), statusField(line, "module"),
                statusField(line, "application"), statusField(line, "supervisor") });
        } else if (what == "peer") {
            result.peers.push_back(statusField(line, "node"));
        } else if (what == "result") {
            result.replies.push_back({ std::atoi(statusField(line, "prompt").c_str()), statusField(line, "ok") == "true",
                statusField(line, "text"), std::atoi(statusField(line, "line").c_str()),
                std::atoi(statusField(line, "column").c_str()) });
        }
        return true;
    }
    Event e;
    std::string error;
    if (!readEventJsonLine(line, e, error)) {
        // A term the reader cannot take (nested deeper than it reads; the tracer caps terms by
        // bytes) is cut, as a term over the cap is: the event keeps its place and its seq,
        // which later events name.
        const size_t term = line.find(",\"term\":");
        std::string ignored;
        if (term == std::string::npos
            || !readEventJsonLine(line.substr(0, term)
                    + ",\"term\":{\"a\":\"mailroom:cut\"},\"extra\":{\"a\":\"mailroom:cut\"}}",
                e, ignored)) {
            result.error = "the tracer's line " + std::to_string(lineNumber) + ": " + error;
            return false;
        }
        if (result.cutUnreadable++ == 0)
            result.notices.push_back("the tracer's line " + std::to_string(lineNumber) + ": " + error
                + "; its terms are written cut (:\"mailroom:cut\"), as are those of any "
                + "such line after it");
    }
    result.events.push_back(std::move(e));
    return true;
}

Result runScript(const std::string &file, const Options &options, const std::string &dir, const EventSink &sink)
{
    const std::string elixir = findElixir();
    if (elixir.empty()) {
        Result r;
        r.status = 2;
        r.error = "--beam needs `elixir` on PATH (Elixir 1.14 on OTP 25; tools/bootstrap.sh installs it)";
        return r;
    }
    std::vector<std::string> argv{ elixir, "-pa", dir };
    // The catalog's modules first, as the embedded runtime defines them before a script: from
    // the sources Mailroom embeds, written to a folder of the run's own.
    const CatalogFiles catalog(options.catalog);
    if (!catalog.error().empty()) {
        Result r;
        r.status = 2;
        r.error = catalog.error();
        return r;
    }
    for (const std::string &path : catalog.paths()) {
        argv.emplace_back("-r");
        argv.push_back(path);
    }
    for (const std::string &req : options.preload) {
        argv.emplace_back("-r");
        argv.push_back(req);
    }
    // The boot comes last among the requires, so only the script itself is watched.
    argv.emplace_back("-r");
    argv.push_back((fs::path(dir) / "mailroom_boot.exs").string());
    argv.push_back(file);
    const std::vector<std::string> env{
        "MAILROOM_TRACE_FD=" + std::to_string(kStreamFd),
        "MAILROOM_RATE_LIMIT=" + std::to_string(options.rateLimit),
        "MAILROOM_TERM_CAP=" + std::to_string(options.termCap),
        std::string("MAILROOM_MESSAGES_ONLY=") + (options.messagesOnly ? "1" : "0"),
    };
    return runChild(argv, env, false, sink, options);
}

namespace {

/// `elixir` as a hidden node of Mailroom's own for `target`, running `expression`; "" in `error`
/// when the target is no NAME@HOST.
std::vector<std::string> hiddenNode(const std::string &elixir, const std::string &target, const std::string &cookie,
    const std::string &dir, const std::string &expression, std::string &error)
{
    const size_t at = target.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == target.size()) {
        error = "--attach needs NAME@HOST, as the node was started with --sname or --name";
        return {};
    }
    const std::string host = target.substr(at + 1);
    const bool longNames = host.find('.') != std::string::npos;
    const std::string self = "mailroom_" + std::to_string(::getpid());
    // -dist_listen false: Mailroom's node connects out and never listens (nor registers with epmd).
    return { elixir,
        longNames ? "--name" : "--sname",
        longNames ? self + "@" + host : self,
        "--cookie",
        cookie,
        "--erl",
        "-dist_listen false -hidden -noinput -kernel net_setuptime 3",
        "-pa",
        dir,
        "-e",
        expression };
}

/// `s` as an Erlang charlist literal.
std::string quoted(const std::string &s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

} // namespace

Result attach(const std::string &target, const std::string &cookie, const std::string &procs, int seconds,
    const Options &options, const std::string &dir, const EventSink &sink)
{
    Result r;
    const std::string elixir = findElixir();
    if (elixir.empty()) {
        r.status = 2;
        r.error = "--attach needs `elixir` on PATH (Elixir 1.14 on OTP 25; tools/bootstrap.sh installs it)";
        return r;
    }
    const std::vector<std::string> argv = hiddenNode(
        elixir, target, cookie, dir,
        ":mailroom_attach.attach_cli([" + quoted(target) + ", " + quoted(procs) + ", '" + std::to_string(seconds)
            + "', '" + std::to_string(options.rateLimit) + "', '" + std::to_string(options.termCap) + "', '"
            + std::to_string(kStreamFd) + "', '" + (options.messagesOnly ? "messages" : "full") + "'])",
        r.error);
    if (argv.empty()) {
        r.status = 2;
        return r;
    }
    r = runChild(argv, {}, true, sink, options);
    if (r.error.empty() && r.status != 0)
        r.error = "the hidden node stopped with status " + std::to_string(r.status);
    return r;
}

Result listNode(const std::string &target, const std::string &cookie, const std::string &dir)
{
    Result r;
    const std::string elixir = findElixir();
    if (elixir.empty()) {
        r.status = 2;
        r.error = "attaching needs `elixir` on PATH (Elixir 1.14 on OTP 25; tools/bootstrap.sh installs it)";
        return r;
    }
    const std::vector<std::string> argv = hiddenNode(
        elixir, target, cookie, dir,
        ":mailroom_listing.list_cli([" + quoted(target) + ", '" + std::to_string(kStreamFd) + "'])", r.error);
    if (argv.empty()) {
        r.status = 2;
        return r;
    }
    r = runChild(argv, {}, true, {}, Options{});
    if (r.error.empty() && (r.status != 0 || !r.ended))
        r.error = "the hidden node stopped with status " + std::to_string(r.status);
    return r;
}

} // namespace mailroom::beam
