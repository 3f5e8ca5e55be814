// Runs the built runlens executable for the CLI tests and collects its exit code, stdout and stderr.
#pragma once

#include <functional>
#include <QByteArray>
#include <QDebug>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace runlens::test {

struct CliResult {
    int code = -1; // -1: crashed or timed out
    QByteArray out;
    QByteArray err;
};

// childSetup runs in the child between fork and exec (e.g. to set a resource limit).
inline CliResult runRunlens(const QStringList& args, int timeoutMs = 600000,
                            const std::function<void()>& childSetup = {}, const QString& workingDir = {}) {
    QProcess process;
    if (childSetup) process.setChildProcessModifier(childSetup);
    if (!workingDir.isEmpty()) process.setWorkingDirectory(workingDir);
    process.start(QStringLiteral(RUNLENS_BIN), args);
    CliResult result;
    if (!process.waitForStarted(30000)) return result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    if (process.exitStatus() == QProcess::NormalExit) result.code = process.exitCode();
    return result;
}

// The command's stdout as a JSON object; a warning with both streams when it is not one.
inline QJsonObject jsonOf(const CliResult& result) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(result.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "bad JSON:" << error.errorString() << result.out.left(400) << result.err.left(400);
    return doc.object();
}

} // namespace runlens::test
