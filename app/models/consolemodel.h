#pragma once

// The console's transcript, as iex shows it: each input with its prompt, what processes
// print (IO.puts output, *DBG* lines), and each result or error; plus the input history.

#include "bridgedmodel.h"

#include <QStringList>
#include <deque>

namespace mailroom {

class ConsoleModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    /// Lines kept; older ones are dropped.
    Q_PROPERTY(int maxLines READ maxLines WRITE setMaxLines NOTIFY maxLinesChanged)
    Q_PROPERTY(int historyCount READ historyCount NOTIFY historyChanged)
    /// The number of the next prompt: iex(N)>.
    Q_PROPERTY(int promptNumber READ promptNumber NOTIFY promptNumberChanged)

public:
    enum Role {
        KindRole = Qt::UserRole + 1, ///< input, output, result, error, note
        TextRole,
        PromptRole, ///< "iex(3)>" on inputs
    };
    Q_ENUM(Role)

    explicit ConsoleModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int maxLines() const { return m_maxLines; }
    void setMaxLines(int max);
    [[nodiscard]] int historyCount() const { return int(m_history.size()); }
    [[nodiscard]] int promptNumber() const { return m_prompt; }

    /// Echoes an input line (and remembers it in the history); returns its prompt number.
    Q_INVOKABLE int appendInput(const QString &code, bool freshProcess = false);
    /// A result or error of an evaluation that ended at virtual `finishedNs`: shown after the
    /// output processes printed before then (which can reach the bridge a frame later).
    void appendResult(const QString &text, bool ok, int64_t finishedNs);
    Q_INVOKABLE void appendNote(const QString &text);
    Q_INVOKABLE void appendError(const QString &text);
    /// The history entry `back` steps before the newest (0 = newest), or "" beyond it.
    Q_INVOKABLE QString historyAt(int back) const;
    Q_INVOKABLE void clearTranscript();
    /// Every line as text (for copying).
    Q_INVOKABLE QString transcript() const;

signals:
    void maxLinesChanged();
    void historyChanged();
    void promptNumberChanged();

protected:
    void sync() override;
    void clear() override;

private:
    struct Line {
        QString kind;
        QString text;
        int prompt = 0;
    };
    struct Pending {
        Line line;
        int64_t finishedNs = 0;
        int frames = 0;
    };
    /// Adds a line: at once without a bridge, else with the frame's other lines in one
    /// insertion (a flood of output or crash reports costs one model update per frame).
    void append(Line line);
    void flushIncoming();

    int m_maxLines = 3000;
    int m_prompt = 1;
    std::deque<Line> m_lines;
    std::vector<Line> m_incoming;
    QStringList m_history;
    std::vector<Pending> m_pending;
    uint64_t m_next = 0; // seq of the next event to look at for output
};

} // namespace mailroom
