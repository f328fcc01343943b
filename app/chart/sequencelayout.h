// SPDX-License-Identifier: MIT
#pragma once

// The sequence chart's layout, without any drawing: the events of a range of the History,
// filtered as the trace pane filters them, become lifelines (one column per process), rows
// (one per drawn event, time flowing down), arrows (messages, timers, spawns), activation
// bars (handler executions), blocked bands (a caller waiting) and exit crosses. Positions
// are in rows and columns; SequenceGeometry turns them into pixels. GUI thread (it reads
// the History), no Qt.

#include "world.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace mailroom {

/// What the chart shows: the trace pane's process and category filters.
struct SequenceFilter {
    uint32_t pid = 0; ///< only what this process sends or receives (and its bars); 0: every process
    uint32_t categories = kAllCategories; ///< bits of TraceCategory
    bool operator==(const SequenceFilter &) const = default;
};

enum class ArrowStyle : uint8_t {
    Call, ///< a GenServer call request: solid, filled head
    Reply, ///< a call's reply (or a start acknowledgement): dashed back, open head
    Cast, ///< a cast: solid, open half head
    Info, ///< a plain message: dotted, open head
    SysRequest, ///< a :sys request: solid, muted
    SysReply, ///< a :sys reply: dashed, muted
    Timer, ///< send_after: dashed from where it was set to its delivery
    Spawn, ///< a process started another: dotted, muted
};

struct SequenceArrow {
    uint64_t seq = 0; ///< the event it stands for: the Send (a timer: its TimerSet), the Spawn
    uint64_t messageId = 0; ///< what selecting it selects: the Send's seq (0: none, a timer not delivered)
    Pid from;
    Pid to;
    int fromColumn = 0;
    int toColumn = 0;
    int row = 0; ///< the row it ends at (a timer: its delivery or cancellation, or the last row)
    int startRow = 0; ///< the row it starts at (== row except for timers; -1: before the range)
    ArrowStyle style = ArrowStyle::Info;
    MessageKind kind = MessageKind::Info;
    bool dropped = false; ///< sent to a dead process
    bool pending = false; ///< a timer not fired yet
    bool cancelled = false; ///< a timer cancelled
    int paired = -1; ///< a call's reply arrow, a reply's call arrow (index into arrows())
    uint64_t timer = 0; ///< the timer id of a Timer arrow
    [[nodiscard]] bool dashed() const
    {
        return style == ArrowStyle::Reply || style == ArrowStyle::SysReply || style == ArrowStyle::Timer;
    }
    [[nodiscard]] bool muted() const
    {
        return style == ArrowStyle::SysRequest || style == ArrowStyle::SysReply || style == ArrowStyle::Spawn;
    }
};

/// A vertical band on a lifeline, in row units (row r's arrow is at r + 0.5).
struct SequenceBar {
    int column = 0;
    Pid pid;
    double top = 0;
    double bottom = 0;
    bool open = false; ///< not ended at the range's end
    MessageKind kind = MessageKind::Info; ///< the message handled (an activation)
    BlockKind block = BlockKind::None; ///< a blocked band: what it waits for
    uint64_t messageId = 0; ///< the message handled (an activation)
    uint64_t seq = 0; ///< HandlerBegin / BlockBegin (0: begun before the range)
};

struct SequenceCross {
    int column = 0;
    Pid pid;
    int row = 0;
    bool crashed = false;
    uint64_t seq = 0; ///< the Exit
};

struct SequenceRow {
    uint64_t seq = 0;
    int64_t timeNs = 0;
};

struct SequenceLifeline {
    Pid pid;
    int firstRow = 0; ///< the row it first appears at
    int exitRow = -1; ///< the row of its exit cross; -1: none in the range
};

/// Pixels of a layout: a time gutter on the left, the names on top.
struct SequenceGeometry {
    double gutter = 78; ///< the time column
    double header = 40; ///< the lifelines' names
    double columnWidth = 150;
    double rowHeight = 26;
    double selfLoop = 34; ///< how far right a message to itself loops
    [[nodiscard]] double columnX(int column) const { return gutter + columnWidth * (column + 0.5); }
    /// `row` in row units: row r's arrow is at r + 0.5.
    [[nodiscard]] double rowY(double row) const { return header + rowHeight * row; }
    [[nodiscard]] double width(int columns) const { return gutter + columnWidth * columns + 8; }
    [[nodiscard]] double height(int rows) const { return header + rowHeight * (rows + 0.5); }
};

class SequenceLayout {
public:
    /// Events looked at, ending at the playhead: a flood never costs more than this.
    static constexpr size_t kDefaultMaxEvents = 2000;

    /// Lays out the events up to `lastSeq` (at most `maxEvents` of them, ending there) that
    /// `filter` keeps.
    void build(const History &history, uint64_t lastSeq, const SequenceFilter &filter,
        size_t maxEvents = kDefaultMaxEvents);
    void clear();

    /// The range looked at (firstSeq > lastSeq: empty).
    [[nodiscard]] uint64_t firstSeq() const { return m_firstSeq; }
    [[nodiscard]] uint64_t lastSeq() const { return m_lastSeq; }
    [[nodiscard]] const std::vector<SequenceLifeline> &lifelines() const { return m_lifelines; }
    [[nodiscard]] const std::vector<SequenceRow> &rows() const { return m_rows; }
    [[nodiscard]] const std::vector<SequenceArrow> &arrows() const { return m_arrows; }
    [[nodiscard]] const std::vector<SequenceBar> &activations() const { return m_activations; }
    [[nodiscard]] const std::vector<SequenceBar> &blocks() const { return m_blocks; }
    [[nodiscard]] const std::vector<SequenceCross> &crosses() const { return m_crosses; }
    /// The column of `pid`, -1 when it has none.
    [[nodiscard]] int columnOf(Pid pid) const;
    /// The arrow whose message is `messageId` (a Send's seq), -1 when none.
    [[nodiscard]] int arrowOfMessage(uint64_t messageId) const;

    /// The arrow under `x`, `y` (pixels of `geometry`), -1 when none.
    [[nodiscard]] int arrowAt(double x, double y, const SequenceGeometry &geometry) const;
    /// Where arrow `index` can be clicked (pixels of `geometry`).
    [[nodiscard]] std::pair<double, double> arrowPoint(int index, const SequenceGeometry &geometry) const;

private:
    int column(Pid pid, int row);
    int addRow(const Event &e);

    uint64_t m_firstSeq = 1;
    uint64_t m_lastSeq = 0;
    std::vector<SequenceLifeline> m_lifelines;
    std::unordered_map<uint32_t, int> m_columns; // pid number -> column
    std::vector<SequenceRow> m_rows;
    std::vector<SequenceArrow> m_arrows;
    std::vector<SequenceBar> m_activations;
    std::vector<SequenceBar> m_blocks;
    std::vector<SequenceCross> m_crosses;
    std::unordered_map<uint64_t, int> m_byMessage; // Send seq -> arrow
};

/// An arrow's label: "call :get_count", "cast :increment", "sys :get_state", "0" (a reply),
/// ":tick" (a plain message), "timer: :tick in 1000 ms", "spawn". `send` is the event at the
/// arrow's seq.
[[nodiscard]] std::string arrowLabel(const SequenceArrow &arrow, const Event &event, size_t maxChars = 40);
/// The message an arrow carries in full (for a tooltip), inspected and cut to `maxChars`.
[[nodiscard]] std::string arrowText(const SequenceArrow &arrow, const Event &event, size_t maxChars = 400);

} // namespace mailroom
