// Workspace file locations and checks for the main window.
#include "ui/shell/workspace_files.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace runlens::ui {

bool looksLikeWorkspace(const QString& path) {
    const QFileInfo info(path);
    if (!info.isFile()) return false;
    if (info.suffix().compare(QLatin1String("runlens"), Qt::CaseInsensitive) == 0) return true;
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(16) == QByteArray("SQLite format 3\0", 16);
}

QString demoWorkspacePath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("demo.runlens"));
}

QString demoLogsPath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("demo-logs"));
}

QString ownWorkspacePathFor(const QStringList& paths) {
    const QDir folder(QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                          .filePath(QStringLiteral("workspaces")));
    QDir().mkpath(folder.path());
    QString base = paths.isEmpty() ? QString() : QFileInfo(paths.front()).completeBaseName();
    if (base.isEmpty()) base = QStringLiteral("workspace");
    QString path = folder.filePath(base + QStringLiteral(".runlens"));
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = folder.filePath(QStringLiteral("%1-%2.runlens").arg(base).arg(n));
    return path;
}

bool isTemporaryWorkspace(const QString& path) {
    const QFileInfo info(path);
    return !path.isEmpty() && info.absolutePath() == QDir::temp().absolutePath() &&
           info.fileName().startsWith(QLatin1String("runlens-")) &&
           info.suffix().compare(QLatin1String("runlens"), Qt::CaseInsensitive) == 0;
}

void removeWorkspaceFiles(const QString& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

QString temporaryWorkspacePath() {
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"));
    return QDir::temp().filePath(
        QStringLiteral("runlens-%1-%2.runlens").arg(stamp).arg(QApplication::applicationPid()));
}

} // namespace runlens::ui
