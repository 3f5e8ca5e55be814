// Two processes on one workspace, and read-only files and folders: each works or fails with a clear message.
#include "core/store/workspace.h"

#include <cmath>
#include <csignal>
#include <fstream>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace runlens;

namespace {

// A workspace holding one run with three points.
void writeWorkspace(const fs::path& path) {
    auto ws = Workspace::create(path);
    auto tx = ws->beginSource("/logs/a.csv", "csv", false);
    const std::int64_t steps[] = {0, 1, 2};
    const double walls[] = {1, 2, 3};
    const double values[] = {0.5, 0.25, 0.125};
    tx->appendPoints("a", "loss", steps, walls, values);
    tx->commit(SourceState{"csv", 10, 0, 10});
}

void importOne(Workspace& ws, const std::string& source, const std::string& run) {
    auto tx = ws.beginSource(source, "csv", false);
    tx->appendPoint(run, "loss", 0, 1.0, 1.0);
    tx->commit(SourceState{"csv", 1, 0, 1});
}

// Runs `body` in a child process and returns what it wrote to its pipe.
template <typename Body> std::string runInChild(Body body) {
    int fds[2];
    if (::pipe(fds) != 0) return "pipe failed";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        const std::string out = body();
        const ssize_t written = ::write(fds[1], out.data(), out.size());
        ::_exit(written == ssize_t(out.size()) ? 0 : 1);
    }
    ::close(fds[1]);
    std::string result;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        result.append(buf, std::size_t(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return result;
}

// The same as the unprivileged user "nobody" when the tests run as root (root ignores file permissions).
template <typename Body> std::string runUnprivileged(Body body) {
    return runInChild([&]() -> std::string {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) return "setuid failed";
        return body();
    });
}

// "runs=N" when the workspace opens and lists its runs, else "error: <message>".
std::string tryOpen(const fs::path& path, Workspace::Mode mode) {
    try {
        auto ws = Workspace::open(path, mode);
        return "runs=" + std::to_string(ws->runs().size());
    } catch (const WorkspaceError& e) {
        return std::string("error: ") + e.what();
    }
}

// A short wait limit keeps the blocked-writer case quick; the 60 s default is the same code path.
std::string tryImport(const fs::path& path, int waitLimitMs = 1000) {
    try {
        auto ws = Workspace::open(path, Workspace::Mode::ReadWrite, Workspace::WaitOptions{waitLimitMs, {}});
        importOne(*ws, "/logs/b.csv", "b");
        return "imported";
    } catch (const WorkspaceError& e) {
        return std::string("error: ") + e.what();
    }
}

std::string tryCreate(const fs::path& path) {
    try {
        Workspace::create(path);
        return "created";
    } catch (const WorkspaceError& e) {
        return std::string("error: ") + e.what();
    }
}

} // namespace

class TestWorkspaceAccess : public QObject {
    Q_OBJECT

  private slots:
    void secondInstanceWhileAnotherProcessWrites();
    void readOnlyFolder();
    void readOnlyFile();
    void fullDisk();
};

void TestWorkspaceAccess::secondInstanceWhileAnotherProcessWrites() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "shared.runlens";
    writeWorkspace(path);

    // The child holds a write transaction until the parent tells it to stop (by closing the pipe).
    int ready[2];
    int release[2];
    QVERIFY(::pipe(ready) == 0 && ::pipe(release) == 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(ready[0]);
        ::close(release[1]);
        sqlite3* db = nullptr;
        int code = 1;
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
            sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK)
            code = 0;
        const char flag = code == 0 ? 'y' : 'n';
        (void)::write(ready[1], &flag, 1);
        char dummy;
        (void)::read(release[0], &dummy, 1);
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        ::_exit(code);
    }
    ::close(ready[1]);
    ::close(release[0]);
    char flag = 0;
    QCOMPARE(::read(ready[0], &flag, 1), ssize_t(1));
    QCOMPARE(flag, 'y');

    // Readers are not blocked by a writer (WAL): both modes open and list the committed run.
    QCOMPARE(QString::fromStdString(tryOpen(path, Workspace::Mode::ReadOnly)), QString("runs=1"));
    QCOMPARE(QString::fromStdString(tryOpen(path, Workspace::Mode::ReadWrite)), QString("runs=1"));
    // A second writer waits for the busy timeout, then gets a message that names the cause.
    const std::string blocked = tryImport(path);
    qInfo("while another process writes: %s", blocked.c_str());
    QVERIFY2(blocked.rfind("error: ", 0) == 0, blocked.c_str());
    QVERIFY2(blocked.find("another") != std::string::npos, blocked.c_str());
    QVERIFY2(blocked.find(path.string()) != std::string::npos, blocked.c_str());

    ::close(release[1]); // the child rolls back and exits
    int status = 0;
    ::waitpid(pid, &status, 0);
    QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    // Once the other writer is gone, importing works.
    QCOMPARE(QString::fromStdString(tryImport(path)), QString("imported"));
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    QCOMPARE(ws->runs().size(), std::size_t(2));
}

void TestWorkspaceAccess::readOnlyFolder() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path dir = fs::path(tmp.path().toStdString()) / "locked";
    fs::create_directories(dir);
    const fs::path path = dir / "ws.runlens";
    writeWorkspace(path);
    ::chmod(tmp.path().toUtf8().constData(), 0755);
    ::chmod(path.c_str(), 0444);
    ::chmod(dir.c_str(), 0555);

    const std::string result = runUnprivileged([&] {
        return tryOpen(path, Workspace::Mode::ReadOnly) + "\n" + tryOpen(path, Workspace::Mode::ReadWrite) +
               "\n" + tryImport(path) + "\n" + tryCreate(dir / "new.runlens");
    });
    ::chmod(dir.c_str(), 0755);
    qInfo("read-only folder:\n%s", result.c_str());
    const QStringList lines = QString::fromStdString(result).split('\n');
    QCOMPARE(lines.size(), 4);
    // Reading a workspace in a folder one cannot write to works (nothing needs creating next to it).
    QCOMPARE(lines[0], QString("runs=1"));
    // Writing refuses, saying why and which file; it never crashes or half-writes.
    for (int i = 1; i < 3; ++i) {
        if (lines[i] == "runs=1") continue; // opening read-write may succeed; the import line must refuse
        QVERIFY2(lines[i].startsWith("error: ") && lines[i].contains("read-only") &&
                     lines[i].contains(QString::fromStdString(path.string())),
                 qPrintable(lines[i]));
    }
    QVERIFY2(lines[2].startsWith("error: "), qPrintable(lines[2]));
    QVERIFY2(lines[3].startsWith("error: ") && lines[3].contains("new.runlens"), qPrintable(lines[3]));
    QVERIFY(!fs::exists(dir / "new.runlens"));
}

void TestWorkspaceAccess::readOnlyFile() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "ws.runlens";
    writeWorkspace(path);
    ::chmod(tmp.path().toUtf8().constData(), 0777); // the folder is writable, only the file is not
    ::chmod(path.c_str(), 0444);

    const std::string result =
        runUnprivileged([&] { return tryOpen(path, Workspace::Mode::ReadOnly) + "\n" + tryImport(path); });
    ::chmod(tmp.path().toUtf8().constData(), 0700);
    qInfo("read-only file:\n%s", result.c_str());
    const QStringList lines = QString::fromStdString(result).split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], QString("runs=1"));
    QVERIFY2(lines[1].startsWith("error: ") && lines[1].contains("read-only") &&
                 lines[1].contains(QString::fromStdString(path.string())),
             qPrintable(lines[1]));
    // The refused import left the file as it was.
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    QCOMPARE(ws->runs().size(), std::size_t(1));
}

void TestWorkspaceAccess::fullDisk() {
    // A full disk, simulated in a child process by a 256 KiB file-size limit (RLIMIT_FSIZE; SIGXFSZ ignored,
    // so writes past it fail the way ENOSPC does): an import of ~2 MB of points must fail with a message that
    // says the disk is full (or the write failed) and names the workspace, and what was imported before
    // stays.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "ws.runlens";
    writeWorkspace(path);
    const std::string result = runInChild([&]() -> std::string {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{256 * 1024, 256 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        try {
            auto ws = Workspace::open(path);
            auto tx = ws->beginSource("/logs/big.csv", "csv", false);
            std::vector<std::int64_t> steps(100'000);
            std::vector<double> walls(100'000), values(100'000);
            for (std::size_t i = 0; i < steps.size(); ++i) {
                steps[i] = static_cast<std::int64_t>(i);
                walls[i] = 1e9 + static_cast<double>(i) * 0.37;
                values[i] = std::sin(static_cast<double>(i)) * 1e3; // incompressible
            }
            for (int tag = 0; tag < 3; ++tag)
                tx->appendPoints("big", "tag" + std::to_string(tag), steps, walls, values);
            tx->commit(SourceState{"csv", 1, 0, 1});
        } catch (const std::exception& failure) {
            return std::string("error: ") + failure.what();
        }
        return "no error";
    });
    qInfo("full disk: %s", result.c_str());
    const QString message = QString::fromStdString(result);
    QVERIFY2(message.startsWith("error: ") && (message.contains("full") || message.contains("failed")) &&
                 message.contains(QString::fromStdString(path.string())),
             qPrintable(message));
    // The earlier import is intact and the failed one left nothing.
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    QCOMPARE(ws->runs().size(), std::size_t(1));
    QCOMPARE(ws->runs().front().name, std::string("a"));
}

QTEST_GUILESS_MAIN(TestWorkspaceAccess)
#include "test_workspace_access.moc"
