// Several processes on one workspace: readers never fail during imports, a second writer waits and says so,
// and a read-only folder whose workspace has un-merged WAL frames is read whole or refused with a reason.
#include "core/import/importer.h"
#include "core/store/workspace.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>
#include <string>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace runlens;

namespace {

using Clock = std::chrono::steady_clock;

void importOne(Workspace& ws, const std::string& source, const std::string& run, int points = 1) {
    auto tx = ws.beginSource(source, "csv", false);
    for (int i = 0; i < points; ++i)
        tx->appendPoint(run, "loss", i, 1.0 + i, 1.0 / (1 + i));
    tx->commit(SourceState{"csv", 1, 0, 1});
}

// Runs body in a child process; returns its exit code (-1 when it did not exit normally).
template <typename Body> pid_t spawn(Body body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        int code = 1;
        try {
            code = body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child %d: %s\n", int(::getpid()),
                         e.what()); // the parent shows only the code
            code = 3;
        } catch (...) {
            code = 3;
        }
        ::_exit(code);
    }
    return pid;
}

int waitFor(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs body in a child (as "nobody" when root, since root ignores permissions) and returns its pipe text.
template <typename Body> std::string outputOf(Body body, bool unprivileged) {
    int fds[2];
    if (::pipe(fds) != 0) return "pipe failed";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        if (unprivileged && ::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            out = "setuid failed";
        else
            out = body();
        const ssize_t written = ::write(fds[1], out.data(), out.size());
        ::_exit(written == ssize_t(out.size()) ? 0 : 1);
    }
    ::close(fds[1]);
    std::string result;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        result.append(buf, std::size_t(n));
    ::close(fds[0]);
    waitFor(pid);
    return result;
}

std::string runsOrError(const fs::path& path) {
    try {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        return "runs=" + std::to_string(ws->runs().size());
    } catch (const WorkspaceError& e) {
        return std::string("error: ") + e.what();
    }
}

} // namespace

class TestWorkspaceConcurrency : public QObject {
    Q_OBJECT

  private slots:
    void readersNeverFailWhileOthersImport();
    void secondWriterWaitsAndSaysSo();
    void secondWriterGivesUpAfterItsLimit();
    void twoProcessesCreateOneNewWorkspace();
    void readOnlyFolderWithPendingWal();
    void readerWaitsForAWorkspaceBeingCreated();
    void aReaderSeesWhatIsCommittedAfterItsReads();
};

// A connection that keeps its series statements prepared must still see each later commit: a statement
// left mid-way would hold the read snapshot of the first read.
void TestWorkspaceConcurrency::aReaderSeesWhatIsCommittedAfterItsReads() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "kept.runlens";
    auto writer = Workspace::create(path);
    importOne(*writer, "/logs/a", "a", 10);
    auto reader = Workspace::open(path, Workspace::Mode::ReadOnly);
    const auto a = reader->runId("a");
    QVERIFY(a);
    QCOMPARE(reader->readSeries(*a, "loss").size(), std::size_t(10));
    QCOMPARE(reader->readSeries(*a, "no such tag").size(), std::size_t(0));
    QCOMPARE(reader->readSeries(*a, "loss", StepRange{2, 4}).size(), std::size_t(3));

    importOne(*writer, "/logs/b", "b", 7);
    const auto b = reader->runId("b");
    QVERIFY2(b, "the reader still sees the workspace as it was at its first read");
    QCOMPARE(reader->readSeries(*b, "loss").size(), std::size_t(7));
    QCOMPARE(reader->runs().size(), std::size_t(2));
}

// Two importing processes (each opening the workspace afresh per file, as separate CLI imports do) while
// this process opens it again and again and reads runs and series: no read may fail, no import may fail.
void TestWorkspaceConcurrency::readersNeverFailWhileOthersImport() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "busy.runlens";
    Workspace::create(path);
    constexpr int kFilesPerWriter = 40;
    auto writer = [&](int id) {
        return spawn([&path, id] {
            for (int i = 0; i < kFilesPerWriter; ++i) {
                auto ws = Workspace::open(path);
                importOne(*ws, "/logs/" + std::to_string(id) + "/" + std::to_string(i),
                          "w" + std::to_string(id) + "_" + std::to_string(i), 5000);
            }
            return 0;
        });
    };
    const pid_t a = writer(1);
    const pid_t b = writer(2);
    int reads = 0;
    QStringList failures;
    int codes[2] = {-2, -2};
    const pid_t writers[2] = {a, b};
    auto finished = [&](int k) {
        int status = 0;
        if (codes[k] == -2 && ::waitpid(writers[k], &status, WNOHANG) == writers[k])
            codes[k] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return codes[k] != -2;
    };
    while (!(finished(0) && finished(1))) {
        try {
            auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            for (const RunInfo& run : ws->runs()) {
                const SeriesData data = ws->readSeries(run.id, "loss");
                if (data.size() != 5000)
                    failures << QString("run %1 had %2 points").arg(run.id).arg(data.size());
            }
            ++reads;
        } catch (const std::exception& e) {
            failures << QString::fromStdString(e.what());
        }
    }
    QCOMPARE(codes[0], 0);
    QCOMPARE(codes[1], 0);
    qInfo("%d reads during the imports, %lld failed", reads, static_cast<long long>(failures.size()));
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
    QVERIFY(reads > 1);
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    QCOMPARE(ws->runs().size(), std::size_t(2 * kFilesPerWriter));
}

// Another process holds the write lock for 1.5 s: an import waits (telling its notice once) and then
// succeeds.
void TestWorkspaceConcurrency::secondWriterWaitsAndSaysSo() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "wait.runlens";
    Workspace::create(path);
    int ready[2];
    QVERIFY(::pipe(ready) == 0);
    const pid_t holder = spawn([&] {
        auto ws = Workspace::open(path);
        auto tx = ws->beginSource("/logs/holder", "csv", false);
        tx->appendPoint("holder", "loss", 0, 1, 1);
        (void)::write(ready[1], "y", 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        tx->commit(SourceState{"csv", 1, 0, 1});
        return 0;
    });
    char flag = 0;
    QCOMPARE(::read(ready[0], &flag, 1), ssize_t(1));

    std::vector<std::string> notices;
    Workspace::WaitOptions wait;
    wait.limitMs = 20000;
    wait.notice = [&](std::string_view message) { notices.emplace_back(message); };
    const auto start = Clock::now();
    auto ws = Workspace::open(path, Workspace::Mode::ReadWrite, wait);
    importOne(*ws, "/logs/second", "second");
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();
    QCOMPARE(waitFor(holder), 0);
    qInfo("the second writer waited %.2f s", waited);
    QVERIFY2(waited > 0.5, qPrintable(QString::number(waited)));
    QCOMPARE(notices.size(), std::size_t(1));
    QVERIFY2(notices[0] == path.string() +
                               " is being written by another process; waiting up to 20 s for it to "
                               "finish",
             notices[0].c_str());
    QCOMPARE(ws->runs().size(), std::size_t(2));
}

void TestWorkspaceConcurrency::secondWriterGivesUpAfterItsLimit() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "limit.runlens";
    Workspace::create(path);
    int ready[2], release[2];
    QVERIFY(::pipe(ready) == 0 && ::pipe(release) == 0);
    const pid_t holder = spawn([&] {
        ::close(release[1]);
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return 1;
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return 2;
        (void)::write(ready[1], "y", 1);
        char dummy;
        (void)::read(release[0], &dummy, 1);
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        return 0;
    });
    ::close(release[0]);
    char flag = 0;
    QCOMPARE(::read(ready[0], &flag, 1), ssize_t(1));
    Workspace::WaitOptions wait;
    wait.limitMs = 400;
    QString error;
    const auto start = Clock::now();
    try {
        auto ws = Workspace::open(path, Workspace::Mode::ReadWrite, wait);
        importOne(*ws, "/logs/late", "late");
    } catch (const WorkspaceError& e) {
        error = e.what();
    }
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();
    ::close(release[1]);
    QCOMPARE(waitFor(holder), 0);
    QVERIFY2(error.contains("is being written by another process") &&
                 error.contains(QString::fromStdString(path.string())),
             qPrintable(error));
    QVERIFY2(waited >= 0.35, qPrintable(QString::number(waited))); // it did wait, about its limit
}

// Two processes create the same new workspace at once: both end with one valid workspace, neither fails.
void TestWorkspaceConcurrency::twoProcessesCreateOneNewWorkspace() {
    for (int round = 0; round < 10; ++round) {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const fs::path path = fs::path(tmp.path().toStdString()) / "new.runlens";
        auto creator = [&](const char* run) {
            return spawn([&path, run] {
                auto ws = Workspace::create(path);
                importOne(*ws, std::string("/logs/") + run, run);
                return 0;
            });
        };
        const pid_t a = creator("a");
        const pid_t b = creator("b");
        QCOMPARE(waitFor(a), 0);
        QCOMPARE(waitFor(b), 0);
        QCOMPARE(QString::fromStdString(runsOrError(path)), QString("runs=2"));
    }
}

// A process imported 100 runs and died before SQLite merged its WAL into the file; the folder is then
// read-only for the reader. With the -shm index beside it SQLite reads the WAL (all 100 runs); without it
// the open is refused with a reason instead of silently showing the runs of the main file only.
void TestWorkspaceConcurrency::readOnlyFolderWithPendingWal() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path dir = fs::path(tmp.path().toStdString()) / "locked";
    fs::create_directories(dir);
    const fs::path path = dir / "ws.runlens";
    Workspace::create(path);
    const pid_t writer = spawn([&] {
        auto ws = Workspace::open(path);
        for (int i = 0; i < 100; ++i)
            importOne(*ws, "/logs/" + std::to_string(i), "run" + std::to_string(i));
        ::_exit(0); // no close: the WAL stays, as after a crash
        return 0;
    });
    QCOMPARE(waitFor(writer), 0);
    const fs::path wal = path.string() + "-wal";
    const fs::path shm = path.string() + "-shm";
    QVERIFY(fs::exists(wal) && fs::file_size(wal) > 0);
    QVERIFY(fs::exists(shm));
    ::chmod(tmp.path().toUtf8().constData(), 0755);
    for (const fs::path& f : {path, wal, shm})
        ::chmod(f.c_str(), 0644);
    ::chmod(dir.c_str(), 0555);

    const std::string withShm = outputOf([&] { return runsOrError(path); }, true);
    fs::remove(shm);
    const std::string withoutShm = outputOf([&] { return runsOrError(path); }, true);
    ::chmod(dir.c_str(), 0755);
    qInfo("read-only folder with -wal and -shm: %s", withShm.c_str());
    qInfo("read-only folder with -wal only: %s", withoutShm.c_str());
    QCOMPARE(QString::fromStdString(withShm), QString("runs=100"));
    const QString refused = QString::fromStdString(withoutShm);
    QVERIFY2(refused.startsWith("error: ") && refused.contains("ws.runlens-wal") &&
                 refused.contains("not writable") && refused.contains(QString::fromStdString(path.string())),
             qPrintable(refused));
    // Where the folder is writable the same files read whole.
    QCOMPARE(QString::fromStdString(runsOrError(path)), QString("runs=100"));
}

// Another process has made the file and not yet written its schema (an empty file, 300 ms long here): a
// reader waits for it rather than calling it an empty database; an empty file that has been so for a while is
// refused at once.
void TestWorkspaceConcurrency::readerWaitsForAWorkspaceBeingCreated() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path path = fs::path(tmp.path().toStdString()) / "being-made.runlens";
    std::ofstream(path).close(); // the empty file the creator made
    const pid_t creator = spawn([&path] {
        ::usleep(300 * 1000);
        auto ws = Workspace::create(path);
        importOne(*ws, "/logs/a", "a");
        return 0;
    });
    QCOMPARE(QString::fromStdString(runsOrError(path)).left(5), QString("runs="));
    QCOMPARE(waitFor(creator), 0);

    const fs::path stale = fs::path(tmp.path().toStdString()) / "stale.runlens";
    std::ofstream(stale).close();
    const struct timeval old[2] = {{std::time(nullptr) - 60, 0}, {std::time(nullptr) - 60, 0}};
    QCOMPARE(::utimes(stale.c_str(), old), 0);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(QString::fromStdString(runsOrError(stale)).contains("empty database"));
    QVERIFY(timer.elapsed() < 900); // a wait for the schema would take its full second
}

QTEST_GUILESS_MAIN(TestWorkspaceConcurrency)
#include "test_workspace_concurrency.moc"
