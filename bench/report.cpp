// SPDX-License-Identifier: MIT
#include "report.h"

#include <cmath>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <sys/utsname.h>
#include <thread>

namespace mailroom::bench {

namespace {

enum class Better { Higher,
    Lower };

/// What the issue asks of Mailroom on a figure.
enum class Goal {
    None,
    RatioAtLeast, ///< Mailroom/BEAM >= value
    RatioAtMost, ///< Mailroom/BEAM <= value
    RatioAbove, ///< Mailroom/BEAM > value (strictly better)
    RatioBelow, ///< Mailroom/BEAM < value
    AtMost, ///< Mailroom's own figure <= value
};

struct Figure {
    std::string_view id;
    std::string_view label;
    std::string_view unit;
    double scale; ///< base unit (per second, ns, bytes) to display unit
    Better better;
    Goal goal = Goal::None;
    double goalValue = 0;
    std::string_view todo = {}; ///< not measured yet: why
    /// The BEAM figure a Ratio goal is taken against when not the one shown: watching's goal
    /// is recorded Mailroom against the BEAM with nothing traced.
    std::string_view goalPeerId = {};
    std::string_view goalPeerName = {}; ///< how the goal names that figure ("BEAM untraced")
};

constexpr double kPerMillion = 1e-6;
constexpr double kNsToUs = 1e-3;
constexpr double kNsToMs = 1e-6;

// The table's rows, in order. Ids are what the runners print.
constexpr Figure kFigures[] = {
    // Figures 1-3, each in both comparisons. "runtime": Mailroom with its record off
    // against the BEAM with nothing traced, at figure 1-3's sizes. "watching": Mailroom
    // recorded (as the app runs) against the BEAM traced as figure 6 traces it, at figure
    // 6's sizes; its goal is against the untraced BEAM of the same size.
    { "cast_1to1", "1 cast 1→1 · runtime: record off vs untraced", "M msg/s", kPerMillion, Better::Higher,
        Goal::RatioAtLeast, 2 },
    { "rec_cast_on", "1 cast 1→1 · watching: recorded vs traced", "M msg/s", kPerMillion, Better::Higher,
        Goal::RatioAtLeast, 1, {}, "rec_cast_off", "BEAM untraced" },
    { "cast_2to1", "1 cast 2→1 · runtime: record off vs untraced", "M msg/s", kPerMillion, Better::Higher,
        Goal::RatioAtLeast, 2 },
    { "rec_cast2_on", "1 cast 2→1 · watching: recorded vs traced", "M msg/s", kPerMillion, Better::Higher,
        Goal::RatioAtLeast, 1, {}, "rec_cast2_off", "BEAM untraced" },
    { "call_p50", "2 call p50 · runtime: record off vs untraced", "µs", kNsToUs, Better::Lower, Goal::RatioAtMost,
        0.5 },
    { "call_p99", "2 call p99 · runtime: record off vs untraced", "µs", kNsToUs, Better::Lower, Goal::RatioAtMost,
        1 },
    { "call_p999", "2 call p99.9 · runtime: record off vs untraced", "µs", kNsToUs, Better::Lower,
        Goal::RatioAtMost, 1 },
    { "rec_call_on_p50", "2 call p50 · watching: recorded vs traced", "µs", kNsToUs, Better::Lower,
        Goal::RatioAtMost, 1, {}, "rec_call_off_p50", "BEAM untraced" },
    { "rec_call_on_p99", "2 call p99 · watching: recorded vs traced", "µs", kNsToUs, Better::Lower,
        Goal::RatioAtMost, 1, {}, "rec_call_off_p99", "BEAM untraced" },
    { "rec_call_on_p999", "2 call p99.9 · watching: recorded vs traced", "µs", kNsToUs, Better::Lower,
        Goal::RatioAtMost, 1, {}, "rec_call_off_p999", "BEAM untraced" },
    { "ext_call_p50", "2 call p50, outside thread→process, record off", "µs", kNsToUs, Better::Lower },
    { "ext_call_p99", "2 call p99, outside thread→process, record off", "µs", kNsToUs, Better::Lower },
    { "ext_call_p999", "2 call p99.9, outside thread→process, record off", "µs", kNsToUs, Better::Lower },
    { "ext_call_rec_p50", "2 call p50, outside thread→process, recorded", "µs", kNsToUs, Better::Lower },
    { "ext_call_rec_p99", "2 call p99, outside thread→process, recorded", "µs", kNsToUs, Better::Lower },
    { "ext_call_rec_p999", "2 call p99.9, outside thread→process, recorded", "µs", kNsToUs, Better::Lower },
    { "ring_hops", "3 ring of 1000 · runtime: record off vs untraced", "M hops/s", kPerMillion, Better::Higher,
        Goal::RatioAtLeast, 2 },
    { "rec_ring_on", "3 ring of 1000 · watching: recorded vs traced", "M hops/s", kPerMillion, Better::Higher,
        Goal::RatioAtLeast, 1, {}, "rec_ring_off", "BEAM untraced" },
    { "spawn_rate", "4 spawn+exit", "M/s", kPerMillion, Better::Higher, Goal::RatioAbove, 1 },
    { "rss_per_genserver", "4 RSS per idle GenServer", "KB", 1.0 / 1024, Better::Lower, Goal::RatioBelow, 1 },
    { "genserver_start_rate", "4 GenServer.start (sequential)", "k/s", 1e-3, Better::Higher },
    { "timer1_p50", "5 send_after lateness, 1 timer, p50", "ms", kNsToMs, Better::Lower },
    { "timer1_p99", "5 send_after lateness, 1 timer, p99", "ms", kNsToMs, Better::Lower, Goal::RatioAtMost,
        1 },
    { "timer1_max", "5 send_after lateness, 1 timer, max", "ms", kNsToMs, Better::Lower },
    { "timerN_p50", "5 send_after lateness, timer_concurrent at once, p50", "ms", kNsToMs, Better::Lower },
    { "timerN_p99", "5 send_after lateness, timer_concurrent at once, p99", "ms", kNsToMs, Better::Lower,
        Goal::RatioAtMost, 1 },
    { "timerN_max", "5 send_after lateness, timer_concurrent at once, max", "ms", kNsToMs, Better::Lower },
    // Figure 6: the same work recorded / traced and not (the "on" figures are the watching
    // rows above); the slowdown is each system's price for watching itself.
    { "rec_cast_off", "6 cast 1→1, record off / untraced", "M msg/s", kPerMillion, Better::Higher },
    { "rec_cast_slowdown", "6 slowdown of casts 1→1 from recording/tracing", "×", 1, Better::Lower, Goal::AtMost,
        1.3 },
    { "rec_cast2_off", "6 cast 2→1, record off / untraced", "M msg/s", kPerMillion, Better::Higher },
    { "rec_cast2_slowdown", "6 slowdown of casts 2→1 from recording/tracing", "×", 1, Better::Lower, Goal::AtMost,
        1.3 },
    { "rec_call_off_p50", "6 call p50, record off / untraced", "µs", kNsToUs, Better::Lower },
    { "rec_call_off_p99", "6 call p99, record off / untraced", "µs", kNsToUs, Better::Lower },
    { "rec_call_off_p999", "6 call p99.9, record off / untraced", "µs", kNsToUs, Better::Lower },
    { "rec_call_slowdown", "6 slowdown of the call p50 from recording/tracing", "×", 1, Better::Lower, Goal::AtMost,
        1.3 },
    { "rec_ring_off", "6 ring of 1000, record off / untraced", "M hops/s", kPerMillion, Better::Higher },
    { "rec_ring_slowdown", "6 slowdown of the ring from recording/tracing", "×", 1, Better::Lower, Goal::AtMost,
        1.3 },
    { "events_per_s", "6 events recorded, none dropped", "M/s", kPerMillion, Better::Higher },
    { "ui_frame_p50_10k", "7 UI frame p50 at 10 k msg/s", "ms", kNsToMs, Better::Lower },
    { "ui_frame_p99_10k", "7 UI frame p99 at 10 k msg/s", "ms", kNsToMs, Better::Lower, Goal::AtMost, 16.7 },
    { "ui_frame_p50_100k", "7 UI frame p50 at 100 k msg/s", "ms", kNsToMs, Better::Lower },
    { "ui_frame_p99_100k", "7 UI frame p99 at 100 k msg/s", "ms", kNsToMs, Better::Lower },
    { "ui_rss_10min", "7 app RSS after a 10 min flood", "MB", 1.0 / (1024 * 1024), Better::Lower },
    // "Well under a frame's time": half of a 60 Hz frame.
    { "scrub_rebuild", "8 scrub: rebuild views, 1 M events, p50", "ms", kNsToMs, Better::Lower, Goal::AtMost,
        8.3 },
    { "scrub_rebuild_p99", "8 scrub: rebuild views, 1 M events, p99", "ms", kNsToMs, Better::Lower },
    { "scrub_rebuild_max", "8 scrub: rebuild views, 1 M events, max", "ms", kNsToMs, Better::Lower },
    // The BEAM column is its compiled gen_server, so "at least half the BEAM's rate".
    { "script_cast", "9 cast 1→1 to a GenServer written in Elixir", "M msg/s", kPerMillion, Better::Higher,
        Goal::RatioAtLeast, 0.5 },
    { "script_call_p50", "9 call p50 to a GenServer written in Elixir", "µs", kNsToUs, Better::Lower,
        Goal::RatioAtMost, 2 },
    { "script_call_p99", "9 call p99 to a GenServer written in Elixir", "µs", kNsToUs, Better::Lower },
    { "script_cast_native", "9 the same casts to Mailroom's C++ counter", "M msg/s", kPerMillion, Better::Higher },
    { "script_call_native_p50", "9 the same calls to Mailroom's C++ counter, p50", "µs", kNsToUs, Better::Lower },
    { "script_call_native_p99", "9 the same calls to Mailroom's C++ counter, p99", "µs", kNsToUs, Better::Lower },
    // The BEAM watched by Mailroom's tracer (docs/beam.md): the goal is below the
    // BEAM's own tracing, figure 6's BEAM column.
    { "tracer_cast_on", "10 cast 1→1, BEAM watched by Mailroom's tracer", "M msg/s", kPerMillion, Better::Higher },
    { "tracer_cast_off", "10 cast 1→1, the same BEAM unwatched", "M msg/s", kPerMillion, Better::Higher },
    { "tracer_cast_slowdown", "10 slowdown of casts from Mailroom's tracer", "×", 1, Better::Lower },
    { "tracer_call_on_p50", "10 call p50, BEAM watched by Mailroom's tracer", "µs", kNsToUs, Better::Lower },
    { "tracer_call_off_p50", "10 call p50, the same BEAM unwatched", "µs", kNsToUs, Better::Lower },
    { "tracer_call_slowdown", "10 slowdown of calls from Mailroom's tracer", "×", 1, Better::Lower },
    { "tracer_msg_cast_on", "10 cast 1→1, watched by Mailroom's tracer, messages only", "M msg/s", kPerMillion,
        Better::Higher },
    { "tracer_msg_cast_slowdown", "10 slowdown of casts from Mailroom's tracer, messages only", "×", 1, Better::Lower },
    { "tracer_msg_call_on_p50", "10 call p50, watched by Mailroom's tracer, messages only", "µs", kNsToUs,
        Better::Lower },
    { "tracer_msg_call_slowdown", "10 slowdown of calls from Mailroom's tracer, messages only", "×", 1,
        Better::Lower },
    // The BEAM's own tools on the same work (bench/peers/beam_bench.erl says how they are set).
    { "systrace_cast_on", "10 cast 1→1, the server under :sys.trace", "M msg/s", kPerMillion, Better::Higher },
    { "systrace_cast_slowdown", "10 slowdown of casts from :sys.trace", "×", 1, Better::Lower },
    { "systrace_call_on_p50", "10 call p50, the server under :sys.trace", "µs", kNsToUs, Better::Lower },
    { "systrace_call_slowdown", "10 slowdown of calls from :sys.trace", "×", 1, Better::Lower },
    { "dbg_cast_on", "10 cast 1→1, BEAM watched by :dbg", "M msg/s", kPerMillion, Better::Higher },
    { "dbg_cast_slowdown", "10 slowdown of casts from :dbg", "×", 1, Better::Lower },
    { "dbg_call_on_p50", "10 call p50, BEAM watched by :dbg", "µs", kNsToUs, Better::Lower },
    { "dbg_call_slowdown", "10 slowdown of calls from :dbg", "×", 1, Better::Lower },
};

struct SystemRuns {
    std::string name;
    bool present = false;
    std::string missing; // why it did not run
    std::vector<std::string> versions; // in first-seen order
    std::map<std::string, std::vector<double>> values; // figure id -> one value per round
    std::map<std::string, std::set<std::string>> notes;
};

SystemRuns readRuns(const std::string &path, std::string name)
{
    SystemRuns runs;
    runs.name = std::move(name);
    std::ifstream in(path);
    if (!in) {
        runs.missing = "did not run";
        return runs;
    }
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        std::vector<std::string> fields;
        std::stringstream ss(line);
        for (std::string f; std::getline(ss, f, '\t');)
            fields.push_back(f);
        if (fields[0] == "#version" && fields.size() >= 2) {
            if (std::find(runs.versions.begin(), runs.versions.end(), fields[1]) == runs.versions.end())
                runs.versions.push_back(fields[1]);
        } else if (fields[0] == "#note" && fields.size() >= 3) {
            runs.notes[fields[1]].insert(fields[2]);
        } else if (fields[0] == "#missing" && fields.size() >= 2) {
            runs.missing = fields[1];
        } else if (fields[0][0] != '#' && fields.size() >= 2) {
            char *end = nullptr;
            const double v = std::strtod(fields[1].c_str(), &end);
            if (end != fields[1].c_str() && std::isfinite(v)) {
                runs.values[fields[0]].push_back(v);
                runs.present = true;
            }
        }
    }
    if (!runs.present && runs.missing.empty())
        runs.missing = "printed no figures";
    return runs;
}

struct Summary {
    double median = 0;
    double min = 0;
    double max = 0;
    std::vector<double> runs;
};

std::optional<Summary> summarise(const SystemRuns &system, const Figure &figure, std::string_view id)
{
    const auto it = system.values.find(std::string(id));
    if (it == system.values.end() || it->second.empty())
        return std::nullopt;
    Summary s;
    for (const double v : it->second)
        s.runs.push_back(v * figure.scale);
    std::vector<double> sorted = s.runs;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    s.median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    s.min = sorted.front();
    s.max = sorted.back();
    return s;
}

/// Three significant digits, without exponent for the ranges we show.
std::string number(double v)
{
    char buf[64];
    const double a = std::fabs(v);
    if (a >= 100)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (a >= 10)
        std::snprintf(buf, sizeof buf, "%.1f", v);
    else if (a >= 1)
        std::snprintf(buf, sizeof buf, "%.2f", v);
    else if (a >= 0.1)
        std::snprintf(buf, sizeof buf, "%.3f", v);
    else
        std::snprintf(buf, sizeof buf, "%.2g", v);
    return buf;
}

std::string cell(const std::optional<Summary> &s)
{
    if (!s)
        return "—";
    if (s->runs.size() == 1)
        return number(s->median);
    return number(s->median) + " (" + number(s->min) + "–" + number(s->max) + ")";
}

std::string goalText(const Figure &f)
{
    const std::string beam = f.goalPeerName.empty() ? "BEAM" : std::string(f.goalPeerName);
    switch (f.goal) {
    case Goal::None:
        return "";
    case Goal::RatioAtLeast:
        return "≥ " + number(f.goalValue) + "× " + beam;
    case Goal::RatioAtMost:
        return "≤ " + number(f.goalValue) + "× " + beam;
    case Goal::RatioAbove:
        return "> " + number(f.goalValue) + "× " + beam;
    case Goal::RatioBelow:
        return "< " + number(f.goalValue) + "× " + beam;
    case Goal::AtMost:
        return "≤ " + number(f.goalValue) + " " + std::string(f.unit);
    }
    return "";
}

std::optional<bool> goalMet(const Figure &f, const std::optional<Summary> &mine, std::optional<double> ratio)
{
    if (f.goal == Goal::None || !mine)
        return std::nullopt;
    if (f.goal == Goal::AtMost)
        return mine->median <= f.goalValue;
    if (!ratio)
        return std::nullopt;
    switch (f.goal) {
    case Goal::RatioAtLeast:
        return *ratio >= f.goalValue;
    case Goal::RatioAtMost:
        return *ratio <= f.goalValue;
    case Goal::RatioAbove:
        return *ratio > f.goalValue;
    case Goal::RatioBelow:
        return *ratio < f.goalValue;
    default:
        return std::nullopt;
    }
}

size_t displayWidth(std::string_view s)
{
    size_t n = 0;
    for (const char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U)
            ++n;
    return n;
}

std::string pad(const std::string &s, size_t width)
{
    const size_t w = displayWidth(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string cpuModel()
{
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("model name")) {
            const size_t colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(line.find_first_not_of(' ', colon + 1));
        }
    return "unknown CPU";
}

double memoryGiB()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    double kb = 0;
    in >> key >> kb;
    return kb / (1024 * 1024);
}

/// The 1, 5 and 15 minute load averages: other work on the machine slows every system
/// of a round alike, but a skeptic wants to know it was there.
std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    double one = 0;
    double five = 0;
    double fifteen = 0;
    in >> one >> five >> fifteen;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", one, five, fifteen);
    return buf;
}

std::string kernel()
{
    utsname u{};
    if (::uname(&u) != 0)
        return "unknown";
    return std::string(u.sysname) + " " + u.release;
}

std::string jsonString(std::string_view s)
{
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string jsonNumber(double v)
{
    if (!std::isfinite(v))
        return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string jsonSummary(const std::optional<Summary> &s)
{
    if (!s)
        return "null";
    std::string out = "{\"median\": " + jsonNumber(s->median) + ", \"min\": " + jsonNumber(s->min)
        + ", \"max\": " + jsonNumber(s->max) + ", \"runs\": [";
    for (size_t i = 0; i < s->runs.size(); ++i)
        out += (i != 0 ? ", " : "") + jsonNumber(s->runs[i]);
    return out + "]}";
}

std::string modeName(Mode mode)
{
    switch (mode) {
    case Mode::Full:
        return "full";
    case Mode::Quick:
        return "quick";
    case Mode::Smoke:
        return "smoke";
    }
    return "full";
}

} // namespace

int writeReport(const ReportOptions &options)
{
    std::vector<SystemRuns> systems;
    systems.push_back(readRuns(options.rawDir + "/mailroom.tsv", "Mailroom"));
    systems.push_back(readRuns(options.rawDir + "/beam.tsv", "BEAM"));
    systems.push_back(readRuns(options.rawDir + "/caf.tsv", "CAF"));
    const SystemRuns &mailroom = systems[0];
    if (!mailroom.present) {
        std::fprintf(stderr, "report: no Mailroom figures in %s/mailroom.tsv\n", options.rawDir.c_str());
        return 1;
    }
    size_t rounds = 0;
    for (const auto &[id, values] : mailroom.values)
        rounds = std::max(rounds, values.size());

    const Sizes sizes = sizesFor(options.mode);
    const std::string machine = cpuModel() + ", " + std::to_string(std::thread::hardware_concurrency())
        + " cores, " + number(memoryGiB()) + " GiB, " + kernel();

    // Header ------------------------------------------------------------------------
    std::printf("\nMailroom benchmarks (%s mode, median of %zu rounds, spread min–max)\n",
        modeName(options.mode).c_str(), rounds);
    std::printf("machine: %s\n", machine.c_str());
    std::printf("load average (1, 5, 15 min) when the report was made: %s\n", loadAverage().c_str());
    for (const auto &s : systems) {
        if (!s.present) {
            std::printf("%-9s %s\n", (s.name + ":").c_str(), s.missing.c_str());
            continue;
        }
        for (size_t i = 0; i < s.versions.size(); ++i)
            std::printf("%-9s %s\n", i == 0 ? (s.name + ":").c_str() : "", s.versions[i].c_str());
    }
    std::printf("sizes: %s\n\n", sizesArgs(sizes).c_str());

    // Table --------------------------------------------------------------------------
    struct Row {
        std::string figure, mine, beamCell, caf, ratio;
    };
    std::vector<Row> rows;
    rows.push_back({ "figure", "Mailroom", "BEAM", "CAF", "Mailroom/BEAM" });
    std::string json;
    std::vector<std::pair<std::string, std::string>> noteLines; // "system: text" -> figure ids
    for (const Figure &f : kFigures) {
        const std::string label = std::string(f.label) + " (" + std::string(f.unit) + ", "
            + (f.better == Better::Higher ? "↑" : "↓") + ")";
        if (!f.todo.empty()) {
            rows.push_back({ label, std::string(f.todo), "", "", "" });
            json += std::string(json.empty() ? "" : ",\n") + "    {\"id\": " + jsonString(f.id)
                + ", \"label\": " + jsonString(f.label) + ", \"unit\": " + jsonString(f.unit)
                + ", \"status\": " + jsonString(f.todo) + ", \"goal\": " + jsonString(goalText(f)) + "}";
            continue;
        }
        std::optional<Summary> summaries[3];
        for (size_t i = 0; i < systems.size(); ++i)
            summaries[i] = summarise(systems[i], f, f.id);
        std::optional<double> ratio;
        if (summaries[0] && summaries[1] && summaries[1]->median != 0)
            ratio = summaries[0]->median / summaries[1]->median;
        // A goal against another BEAM figure than the one shown says its own ratio.
        std::optional<double> goalRatio = ratio;
        if (!f.goalPeerId.empty()) {
            const std::optional<Summary> reference = summarise(systems[1], f, f.goalPeerId);
            goalRatio = summaries[0] && reference && reference->median != 0
                ? std::optional<double>(summaries[0]->median / reference->median)
                : std::nullopt;
        }
        const std::optional<bool> met = goalMet(f, summaries[0], goalRatio);
        std::string ratioCell = ratio ? number(*ratio) : "—";
        if (met) {
            ratioCell += std::string(*met ? "  ✓ " : "  ✗ ") + "goal " + goalText(f);
            if (!f.goalPeerId.empty() && goalRatio)
                ratioCell += " (" + number(*goalRatio) + "×)";
        }
        std::string cells[3];
        for (size_t i = 0; i < systems.size(); ++i) {
            if (summaries[i])
                cells[i] = cell(summaries[i]);
            else if (!systems[i].present)
                cells[i] = "—";
            else if (systems[i].notes.contains(std::string(f.id)))
                cells[i] = "n/a*";
            else
                cells[i] = "n/a";
        }
        rows.push_back({ label, cells[0], cells[1], cells[2], ratioCell });

        std::string notesJson;
        for (const auto &s : systems)
            if (auto it = s.notes.find(std::string(f.id)); it != s.notes.end())
                for (const auto &text : it->second) {
                    const std::string key = s.name + ": " + text;
                    auto line = std::find_if(
                        noteLines.begin(), noteLines.end(), [&](const auto &n) { return n.first == key; });
                    if (line == noteLines.end())
                        noteLines.emplace_back(key, std::string(f.id));
                    else
                        line->second += ", " + std::string(f.id);
                    notesJson += std::string(notesJson.empty() ? "" : ", ") + jsonString(key);
                }
        json += std::string(json.empty() ? "" : ",\n") + "    {\"id\": " + jsonString(f.id)
            + ", \"label\": " + jsonString(f.label) + ", \"unit\": " + jsonString(f.unit)
            + ", \"better\": " + jsonString(f.better == Better::Higher ? "higher" : "lower")
            + ", \"mailroom\": " + jsonSummary(summaries[0]) + ", \"beam\": " + jsonSummary(summaries[1])
            + ", \"caf\": " + jsonSummary(summaries[2]) + ", \"ratio_mailroom_beam\": "
            + (ratio ? jsonNumber(*ratio) : "null") + ", \"goal\": " + jsonString(goalText(f))
            + ", \"goal_ratio\": " + (goalRatio ? jsonNumber(*goalRatio) : "null")
            + ", \"goal_met\": " + (met ? (*met ? "true" : "false") : "null") + ", \"notes\": [" + notesJson
            + "]}";
    }
    size_t widths[5] = {};
    for (const Row &r : rows) {
        const std::string *cols[5] = { &r.figure, &r.mine, &r.beamCell, &r.caf, &r.ratio };
        for (size_t c = 0; c < 5; ++c)
            if (!(r.beamCell.empty() && c == 1)) // TODO rows span the columns
                widths[c] = std::max(widths[c], displayWidth(*cols[c]));
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        const Row &r = rows[i];
        std::string line = "| " + pad(r.figure, widths[0]) + " | ";
        if (i != 0 && r.beamCell.empty())
            line += pad(r.mine, widths[1] + widths[2] + widths[3] + widths[4] + 9) + " |";
        else
            line += pad(r.mine, widths[1]) + " | " + pad(r.beamCell, widths[2]) + " | "
                + pad(r.caf, widths[3]) + " | " + pad(r.ratio, widths[4]) + " |";
        std::printf("%s\n", line.c_str());
        if (i == 0) {
            std::string rule = "|";
            for (const size_t w : widths)
                rule += std::string(w + 2, '-') + "|";
            std::printf("%s\n", rule.c_str());
        }
    }
    std::printf(
        "\n↑ higher is better, ↓ lower is better; ✓/✗: the issue's goal for Mailroom. n/a: the system\n"
        "has no such figure; n/a*: see the note.\n");
    for (const auto &[text, ids] : noteLines)
        std::printf("* %s [%s]\n", text.c_str(), ids.c_str());

    // JSON -----------------------------------------------------------------------------
    if (options.jsonPath.empty())
        return 0;
    char date[64];
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string versionsJson;
    for (const auto &s : systems) {
        std::string list;
        for (const auto &v : s.versions)
            list += std::string(list.empty() ? "" : ", ") + jsonString(v);
        versionsJson += std::string(versionsJson.empty() ? "" : ",\n") + "    " + jsonString(s.name) + ": {"
            + "\"ran\": " + (s.present ? "true" : "false") + ", \"versions\": [" + list + "]"
            + (s.present ? "" : ", \"why_not\": " + jsonString(s.missing)) + "}";
    }
    std::ofstream out(options.jsonPath);
    out << "{\n  \"generated\": " << jsonString(date)
        << ",\n  \"mode\": " << jsonString(modeName(options.mode)) << ",\n  \"rounds\": " << rounds
        << ",\n  \"spread\": \"min-max\",\n  \"machine\": {\"cpu\": " << jsonString(cpuModel())
        << ", \"cores\": " << std::thread::hardware_concurrency()
        << ", \"memory_gib\": " << jsonNumber(memoryGiB()) << ", \"kernel\": " << jsonString(kernel())
        << ", \"load_average\": " << jsonString(loadAverage()) << "},\n  \"systems\": {\n"
        << versionsJson << "\n  },\n  \"sizes\": " << jsonString(sizesArgs(sizes)) << ",\n  \"figures\": [\n"
        << json << "\n  ]\n}\n";
    out.close();
    if (!out) {
        std::fprintf(stderr, "report: cannot write %s\n", options.jsonPath.c_str());
        return 1;
    }
    std::printf("written: %s\n", options.jsonPath.c_str());
    return 0;
}

} // namespace mailroom::bench
