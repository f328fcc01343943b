// SPDX-License-Identifier: MIT
#pragma once

// A node of real Elixir started by a test (tst_beam, tst_beamwindow), stopped and waited for
// when it goes, whose standard output the test waits on line by line: tests wait for what the
// node says, never for a time.

#include <QElapsedTimer>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <string>
#include <unistd.h>

namespace mailroom::testing {

/// This machine's short host name, as `--sname` nodes name it.
inline QString shortHost()
{
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    const std::string host = name;
    return QString::fromStdString(host.substr(0, host.find('.')));
}

class BeamNode {
public:
    /// `elixir --sname NAME --cookie COOKIE [OPTIONS] SCRIPT [ARGS]`.
    BeamNode(const QString &name, const QString &cookie, const QString &script, const QStringList &args = {},
        const QStringList &options = {})
        : m_name(name + "@" + shortHost())
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start("elixir", QStringList{ "--sname", name, "--cookie", cookie } + options + QStringList{ script } + args);
    }
    ~BeamNode()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    BeamNode(const BeamNode &) = delete;
    BeamNode &operator=(const BeamNode &) = delete;

    /// NAME@HOST.
    [[nodiscard]] QString name() const { return m_name; }
    /// Waits for a line of standard output starting with `prefix`; the line, or "" on timeout.
    QString waitForLine(const QString &prefix, int timeoutMs = 30000)
    {
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            while (m_process.canReadLine()) {
                const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
                m_lines << line;
                if (line.startsWith(prefix))
                    return line;
            }
            if (timer.elapsed() > timeoutMs || m_process.state() == QProcess::NotRunning)
                return {};
            m_process.waitForReadyRead(200);
        }
    }
    /// The lines read so far, and what the node wrote on standard error (for a failure's message).
    [[nodiscard]] QString said()
    {
        return m_lines.join('\n') + "\n" + QString::fromUtf8(m_process.readAllStandardError());
    }
    [[nodiscard]] QStringList lines() const { return m_lines; }

private:
    QString m_name;
    QProcess m_process;
    QStringList m_lines;
};

} // namespace mailroom::testing
