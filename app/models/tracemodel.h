// SPDX-License-Identifier: MIT
#pragma once

// The trace pane: one row per event, stored compactly (the History's TraceRows) and
// formatted only when shown, filtered by process, category and text. A filter change
// rescans the history a frame's budget at a time, so a million lines never freeze the UI.
// Under a flood (a FloodThrottle on the lines recorded) new lines arrive ten times a second.

#include "bridgedmodel.h"
#include "floodthrottle.h"

#include <QUrl>
#include <deque>

namespace mailroom {

class TraceModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    /// Erlang syntax (as :sys.trace prints) or Elixir inspect syntax.
    Q_PROPERTY(bool erlangSyntax READ erlangSyntax WRITE setErlangSyntax NOTIFY erlangSyntaxChanged)
    /// Only lines about this pid (as actor or peer); 0: every process.
    Q_PROPERTY(int pidFilter READ pidFilter WRITE setPidFilter NOTIFY filterChanged)
    /// Bits of the categories shown (1 << TraceCategory), see categoryNames.
    Q_PROPERTY(int categories READ categories WRITE setCategories NOTIFY filterChanged)
    /// Only lines containing this text (case-insensitive); empty: all.
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY filterChanged)
    /// True while a filter change is still scanning older lines.
    Q_PROPERTY(bool scanning READ scanning NOTIFY scanningChanged)
    /// Lines recorded, shown or not.
    Q_PROPERTY(double totalLines READ totalLinesValue NOTIFY totalLinesChanged)
    Q_PROPERTY(QStringList categoryNames READ categoryNames CONSTANT)

public:
    enum Role {
        SeqRole = Qt::UserRole + 1,
        TimeMsRole,
        TimeTextRole, ///< ms since start, "1234.567"
        PidRole,
        OtherPidRole,
        CategoryRole, ///< see categoryNames
        TextRole, ///< the *DBG* line
        MessageIdRole ///< the message it is about (a Send's seq), 0: none
    };
    Q_ENUM(Role)

    /// Frame time a filter rescan may use.
    static constexpr int kScanBudgetMs = 6;

    explicit TraceModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] bool erlangSyntax() const { return m_erlang; }
    void setErlangSyntax(bool erlang);
    [[nodiscard]] int pidFilter() const { return m_pidFilter; }
    void setPidFilter(int pid);
    [[nodiscard]] int categories() const { return int(m_categories); }
    void setCategories(int bits);
    [[nodiscard]] QString search() const { return m_search; }
    void setSearch(const QString &text);
    [[nodiscard]] bool scanning() const { return m_scanning; }
    [[nodiscard]] qint64 totalLines() const;
    [[nodiscard]] double totalLinesValue() const { return double(totalLines()); }
    [[nodiscard]] static QStringList categoryNames();

    /// The lines of rows first..last with their time column, one per line.
    Q_INVOKABLE QString linesText(int first, int last) const;
    /// Copies rows first..last (every row when first < 0) to the clipboard.
    Q_INVOKABLE void copy(int first = -1, int last = -1) const;
    /// Writes every shown line to `file`; false (and errorString) when it cannot.
    Q_INVOKABLE bool save(const QUrl &file);
    Q_INVOKABLE QString errorString() const { return m_error; }
    /// The row of the last line at or before `seq` (for selection from elsewhere), or -1.
    Q_INVOKABLE int rowOfSeq(qint64 seq) const;

signals:
    void erlangSyntaxChanged();
    void filterChanged();
    void scanningChanged();
    void totalLinesChanged();

protected:
    void sync() override;
    void clear() override;

private:
    [[nodiscard]] bool accepts(const TraceRow &row) const;
    [[nodiscard]] const TraceRow &traceRow(int row) const;
    [[nodiscard]] std::string lineOf(const TraceRow &row) const;
    void refilter();

    bool m_erlang = true;
    int m_pidFilter = 0;
    uint32_t m_categories = kAllCategories;
    QString m_search;
    std::string m_searchLower;
    bool m_scanning = false;
    QString m_error;
    std::deque<uint64_t> m_visible; // absolute indices into the History's trace (index + dropped)
    uint64_t m_scanned = 0; // absolute index of the next history row to examine
    qint64 m_total = 0;
    // Under a flood the pane scrolled every frame, which the software renderer redraws whole.
    FloodThrottle m_throttle{ FloodThrottle::Turn::Trace };
    bool m_filterChanged = false; // the next sync applies at once
};

} // namespace mailroom
