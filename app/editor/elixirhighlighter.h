// SPDX-License-Identifier: MIT
#pragma once

// Elixir's syntax in colour for the editor and the source view: keywords, atoms, modules,
// strings and heredocs (across lines), comments, numbers and module attributes; plus the
// underline of an error at its line and column. GUI thread only, as every
// QSyntaxHighlighter.

#include <QColor>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace mailroom {

class ElixirHighlighter final : public QSyntaxHighlighter {
    Q_OBJECT

public:
    explicit ElixirHighlighter(QTextDocument *document);

    /// The colours of the dark or the light theme.
    void setDark(bool dark);
    /// Underlines the token at `line`:`column` (1-based; column 0: the whole line), or
    /// nothing with line 0.
    void setError(int line, int column);

private:
    enum State { Code = -1,
        InHeredoc = 1,
        InCharlistHeredoc = 2,
        InString = 3 };

    void highlightBlock(const QString &text) override;
    /// Colours a string from `from` (past its opening quote) up to and including its
    /// terminator `quote`; returns where it ended, or -1 when it goes on past the line.
    int string(const QString &text, int from, const QString &quote);
    void underlineError(const QString &text);

    QTextCharFormat m_keyword;
    QTextCharFormat m_atom;
    QTextCharFormat m_module;
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
    QTextCharFormat m_number;
    QTextCharFormat m_attribute;
    QTextCharFormat m_definition;
    QColor m_errorColor;
    int m_errorLine = 0;
    int m_errorColumn = 0;
};

} // namespace mailroom
