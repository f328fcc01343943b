// SPDX-License-Identifier: MIT
#pragma once

// What the user selected (a trace line, a card, an arrow): a process and a message (a Send's
// seq), highlighted in every view. The bridge holds it so that every view reads one. GUI thread.

#include <QtGlobal>

namespace mailroom {

class Selection {
public:
    [[nodiscard]] int pid() const { return m_pid; }
    [[nodiscard]] qint64 message() const { return m_message; }
    /// Selects process `pid` (0: none); false when it was selected already.
    bool setPid(int pid)
    {
        if (m_pid == pid)
            return false;
        m_pid = pid;
        return true;
    }
    /// Selects message `id` (0: none); false when it was selected already.
    bool setMessage(qint64 id)
    {
        if (m_message == id)
            return false;
        m_message = id;
        return true;
    }

private:
    int m_pid = 0;
    qint64 m_message = 0;
};

} // namespace mailroom
