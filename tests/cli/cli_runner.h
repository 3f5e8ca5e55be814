// Runs the built runlens executable for the CLI tests and collects its exit code, stdout and stderr.
#pragma once

#include <functional>
#include <QByteArray>
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
                            const std::function<void()>& childSetup = {}) {
    QProcess process;
    if (childSetup) process.setChildProcessModifier(childSetup);
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

} // namespace runlens::test
