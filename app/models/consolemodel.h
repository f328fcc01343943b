// SPDX-License-Identifier: MIT
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
    /// The next input's prompt, "iex(N)>", and the prompt of its further lines, "...(N)>".
    Q_PROPERTY(QString prompt READ prompt NOTIFY promptNumberChanged)
    Q_PROPERTY(QString continuationPrompt READ continuationPrompt NOTIFY promptNumberChanged)

public:
    enum Role {
        KindRole = Qt::UserRole + 1, ///< input, output, result, error, note
        TextRole,
        PromptRole, ///< "iex(3)>" on inputs
        RunningRole, ///< an input whose result has not come yet
        ContinuationPromptRole, ///< "...(3)>" on inputs: the prompt of their second line on
        PromptNumberRole, ///< 3 on the input of iex(3)> (what Controller::interrupt takes); 0 elsewhere
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
    [[nodiscard]] QString prompt() const { return promptText(m_prompt); }
    [[nodiscard]] QString continuationPrompt() const { return continuationText(m_prompt); }

    /// Whether `code` waits for more lines before it can run (an open `do`, bracket or
    /// string), as iex decides it; the parser answers (script/completeness.h).
    Q_INVOKABLE bool isIncomplete(const QString &code) const;

    /// Echoes an input line (and remembers it in the history); returns its prompt number.
    Q_INVOKABLE int appendInput(const QString &code, bool freshProcess = false);
    /// The result or error of the evaluation echoed as input `prompt` (0: none), which ended
    /// at virtual `finishedNs`: shown under that input, after the output processes printed
    /// before then (which can reach the bridge a frame later), however late it comes.
    void appendResult(int prompt, const QString &text, bool ok, int64_t finishedNs);
    /// A crash report the runtime wrote at virtual `atNs`: shown after the output printed
    /// before then, in the order it happened.
    void appendReport(const QString &text, int64_t atNs);
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
        bool running = false;
    };
    struct Pending {
        Line line;
        int64_t finishedNs = 0;
        int frames = 0;
        int answers = 0; // the prompt of the input it answers
    };
    [[nodiscard]] static QString promptText(int number);
    [[nodiscard]] static QString continuationText(int number);
    /// Adds a line: at once without a bridge, else with the frame's other lines in one
    /// insertion (a flood of output or crash reports costs one model update per frame).
    void append(Line line);
    void flushIncoming();
    /// Puts a result under input `prompt`'s lines (before the next input), or at the end when
    /// that input is gone; the input stops running.
    void placeAnswer(Line line, int prompt);
    /// Drops the oldest lines beyond maxLines.
    void trim();

    int m_maxLines = 3000;
    int m_prompt = 1;
    std::deque<Line> m_lines;
    std::vector<Line> m_incoming;
    QStringList m_history;
    std::vector<Pending> m_pending;
    uint64_t m_next = 0; // seq of the next event to look at for output
};

} // namespace mailroom
