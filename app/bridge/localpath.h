// SPDX-License-Identifier: MIT
#pragma once

// QML's file dialogs hand over URLs (file:///home/…); files are opened by path.

#include <QString>
#include <QUrl>

namespace mailroom {

/// The path `file` names: a file: URL's local path, or the text of anything else (a plain
/// path, as tests and the command line give).
[[nodiscard]] inline QString localPath(const QUrl &file)
{
    return file.isLocalFile() ? file.toLocalFile() : file.toString();
}

} // namespace mailroom
