// SPDX-License-Identifier: MIT
#pragma once

// The real BEAM as Mailroom's second backend: runs a script in `elixir`, or attaches to a running
// node through a hidden node of Mailroom's own, with the tracer of beam/mailroom_tracer.erl
// loaded, and reads the event record it streams (docs/beam.md). Plain C++ and POSIX: the child
// is started with posix_spawn and read through a pipe on descriptor 3, so the script's own
// standard output stays exactly what `elixir FILE.exs` prints. Mailroom opens no port.

#include "eventlog.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mailroom::beam {

/// Lines of Elixir for the watched node (attach only), each answered by an EvalReply: put from
/// any thread, written to the hidden node by the run, which evaluates each on the node.
class NodeConsole {
public:
    struct Line {
        int prompt = 0;
        std::string code;
        std::string file; ///< the name it runs under (the editor's buffer), or ""
    };
    /// Queues `code`, the console's line `prompt`, run under `file` when not empty. Any thread.
    void submit(int prompt, const std::string &code, const std::string &file = {});
    /// What was queued since the last call, in order. The run's thread.
    [[nodiscard]] std::vector<Line> take();

private:
    std::mutex m_mutex; // protects m_queued
    std::vector<Line> m_queued;
};

/// The answer to a NodeConsole line: its value inspected, or what went wrong and where in the
/// code (a syntax or compile error's 1-based line and column; 0 when unknown).
struct EvalReply {
    int prompt = 0;
    bool ok = false;
    std::string text;
    int line = 0;
    int column = 0;
};

struct Options {
    std::vector<std::string> preload; ///< files `elixir -r` loads before the script
    /// runScript: define the catalog's modules (catalog/*.ex) before the preloads and the
    /// script, as the embedded runtime does.
    bool catalog = true;
    size_t rateLimit = 50000; ///< events a second before the tracer stops itself
    size_t termCap = 8192; ///< bytes of JSON per term before it is cut
    /// Messages only: sends, receives, processes and timers, without a GenServer's handler
    /// events and states (no call tracing of gen_server), at half the trace messages a cast.
    bool messagesOnly = false;
    /// When set (from any thread), the child is asked to end (SIGTERM) and the run returns.
    const std::atomic<bool> *cancel = nullptr;
    /// Attach only: lines to run on the watched node, and where their answers go (called on
    /// the thread that runs the child).
    NodeConsole *console = nullptr;
    std::function<void(const EvalReply &)> onReply;
    /// What the tracer says besides events (it stopped itself, ...), as it says it (called on
    /// the thread that runs the child); the same lines end up in Result::notices.
    std::function<void(const std::string &)> onNotice;
};

/// A process of a node that can be attached to, as `listNode` finds it.
struct NodeProcess {
    std::string pid; ///< <0.N.S>, as the pid reads on its node
    std::string name; ///< the registered name (Elixir.Cart), or ""
    std::string kind; ///< server (a GenServer), supervisor or process
    std::string module; ///< the GenServer's or supervisor's module, else the initial call's
    std::string application; ///< the application it belongs to, or ""
    std::string supervisor; ///< the process that started it: a registered name or a pid, or ""
};

/// How the notice of a rate-limit trip begins (Result::notices).
inline constexpr std::string_view kTracerStoppedItself = "the tracer stopped itself";
/// How the notice begins when the flood is over and the tracer watches again.
inline constexpr std::string_view kTracerResumed = "the tracer watches again";

struct Result {
    int status = 0; ///< the child's exit status (elixir's, or 3 for a failed attach)
    std::vector<Event> events; ///< the record, in seq order, each state in full
    std::string error; ///< what went wrong (empty when nothing did)
    std::vector<std::string> notices; ///< what the tracer said besides events (it stopped itself, ...)
    size_t noticesTold = 0; ///< how many of them Options::onNotice was given as they came
    bool ended = false; ///< the tracer ended its stream (it was not cut off)
    size_t cutUnreadable = 0; ///< events whose terms the reader could not take, written cut
    std::vector<NodeProcess> processes; ///< listNode: the node's processes, in the node's order
    std::vector<std::string> peers; ///< listNode: the nodes the node is connected to
    std::vector<EvalReply> replies; ///< attach: the answers to NodeConsole lines
};

/// Called with the events of each read from the stream as they come, on the thread that runs
/// the child (may be empty).
using EventSink = std::function<void(const std::vector<Event> &)>;

/// The catalog's sources (catalog_sources.h) as files in a temporary folder of their own, for
/// `elixir -r`; the folder goes with the object. Nothing when `wanted` is false.
class CatalogFiles {
public:
    explicit CatalogFiles(bool wanted);
    ~CatalogFiles();
    CatalogFiles(const CatalogFiles &) = delete;
    CatalogFiles &operator=(const CatalogFiles &) = delete;
    /// The files, in the catalog's order.
    [[nodiscard]] const std::vector<std::string> &paths() const { return m_paths; }
    /// What went wrong writing them ("" when nothing did).
    [[nodiscard]] const std::string &error() const { return m_error; }

private:
    std::string m_dir;
    std::vector<std::string> m_paths;
    std::string m_error;
};

/// The `elixir` executable on PATH, or "" when there is none.
[[nodiscard]] std::string findElixir();
/// The folder holding mailroom_tracer.beam and mailroom_boot.exs: $MAILROOM_BEAM_DIR, the build
/// tree's, or share/mailroom/beam beside the installed executable. "" when none has them.
[[nodiscard]] std::string tracerDir(const std::string &argv0);

/// Runs `elixir -pa DIR [-r REQ...] -r DIR/mailroom_boot.exs FILE` with stdin, stdout and stderr
/// inherited and the record read from descriptor 3; returns once elixir has exited.
Result runScript(const std::string &file, const Options &options, const std::string &dir,
    const EventSink &sink = {});

/// Attaches to `target` (NAME@HOST) with `cookie` for `seconds` (0: until `options.cancel`),
/// watching the processes named in `procs`: comma-separated registered names or pids,
/// `app:NAME` for an application's processes, `sup:NAME` for a supervisor and everything under
/// it; empty = every registered process outside OTP's and Elixir's own applications. The hidden
/// node is started with -dist_listen false: it connects out and listens on nothing. A cancel
/// ends the watch as the time running out does: the tracer stopped, its module removed.
Result attach(const std::string &target, const std::string &cookie, const std::string &procs, int seconds,
    const Options &options, const std::string &dir, const EventSink &sink = {});

/// The processes of `target` outside OTP's and Elixir's own applications, and its peers, for
/// picking what to attach to; asked over distribution, without loading anything on the node.
/// On a wrong cookie or a node that cannot be reached, `error` says so, naming the node.
Result listNode(const std::string &target, const std::string &cookie, const std::string &dir);

/// Reads one line of the tracer's stream into `result`: an event, or a status line. False with
/// result.error set when the line is neither.
bool readStreamLine(const std::string &line, size_t lineNumber, Result &result);

} // namespace mailroom::beam
