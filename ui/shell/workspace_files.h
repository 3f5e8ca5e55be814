// Where the window keeps workspaces: the demo's, the user's own beside it, and the temporary ones made for
// `runlens FOLDER` or a drop with nothing open; and how a path is told to be a workspace.
#pragma once

#include <QString>
#include <QStringList>

namespace runlens::ui {

// A workspace is a *.runlens file or any SQLite database; everything else given on the command line is a log.
bool looksLikeWorkspace(const QString& path);
QString demoWorkspacePath();
QString demoLogsPath();
// Where the user's own logs go when they are dropped onto the demo: a workspace of their own, named after the
// first folder, beside the demo ("runs.runlens", then "runs-2.runlens", ...).
QString ownWorkspacePathFor(const QStringList& paths);
// A workspace the window made for `runlens FOLDER` or a drop with nothing open: it lives in the temporary
// folder as runlens-<time>-<pid>.runlens and goes when the window moves on, unless saved under another name.
bool isTemporaryWorkspace(const QString& path);
void removeWorkspaceFiles(const QString& path);
QString temporaryWorkspacePath();

} // namespace runlens::ui
