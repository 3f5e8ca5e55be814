// FIFOs, devices and symbolic links to them, given to an import, found in a folder, or given as the
// workspace: each is refused with a one-line reason at once. Every case runs in a child with a time limit, so
// a regression shows as a failed test instead of a hung suite.
#include "core/import/importer.h"
#include "core/store/workspace.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

struct ChildResult {
    bool finished = false; // false: still running after the limit (killed)
    std::string output;
};

// Runs body in a child process, killed after limitSeconds; returns what it wrote to its pipe.
template <typename Body> ChildResult runWithTimeout(Body body, int limitSeconds = 10) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        try {
            out = body();
        } catch (const std::exception& e) {
            out = std::string("exception: ") + e.what();
        }
        const ssize_t written = ::write(fds[1], out.data(), out.size());
        ::_exit(written == ssize_t(out.size()) ? 0 : 1);
    }
    ::close(fds[1]);
    ChildResult result;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limitSeconds);
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            ::close(fds[0]);
            return result;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    result.finished = true;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        result.output.append(buf, std::size_t(n));
    ::close(fds[0]);
    return result;
}

// Imports paths into a fresh workspace: "points=N" and then each issue on its own line.
std::string importReport(const std::vector<fs::path>& paths, const fs::path& workspace) {
    auto ws = Workspace::create(workspace);
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const ImportSummary summary = importPaths(paths, registry, *ws);
    std::string out = "points=" + std::to_string(summary.report.points);
    for (const auto& issue : summary.report.issues)
        out += "\n" + issue.toString();
    return out;
}

} // namespace

class TestSpecialFiles : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void fifoGivenDirectly();
    void symlinkToFifo();
    void fifoAndDeviceInsideAFolder();
    void characterDeviceGivenDirectly();
    void fifoOrDeviceAsWorkspace_data();
    void fifoOrDeviceAsWorkspace();

  private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    fs::path m_root;
};

void TestSpecialFiles::init() {
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_root = fs::path(m_tmp->path().toStdString());
}

void TestSpecialFiles::fifoGivenDirectly() {
    const fs::path fifo = m_root / "metrics.csv";
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    const ChildResult r = runWithTimeout([&] { return importReport({fifo}, m_root / "ws.runlens"); });
    QVERIFY2(r.finished, "import of a FIFO hung");
    QVERIFY2(r.output.find(fifo.string()) != std::string::npos &&
                 r.output.find("a FIFO (named pipe), not a regular file") != std::string::npos,
             r.output.c_str());
}

void TestSpecialFiles::symlinkToFifo() {
    const fs::path fifo = m_root / "pipe";
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    const fs::path link = m_root / "metrics.csv";
    fs::create_symlink(fifo, link);
    const ChildResult r = runWithTimeout([&] { return importReport({link}, m_root / "ws.runlens"); });
    QVERIFY2(r.finished, "import of a symbolic link to a FIFO hung");
    QVERIFY2(r.output.find("a FIFO (named pipe), not a regular file") != std::string::npos, r.output.c_str());
}

// A run folder holding a real CSV, a FIFO named like a log, a symbolic link to a FIFO and one to a character
// device: the CSV is imported whole, the rest never opened, the import ends at once.
void TestSpecialFiles::fifoAndDeviceInsideAFolder() {
    const fs::path run = m_root / "logs" / "run1";
    fs::create_directories(run);
    std::ofstream(run / "metrics.csv") << "step,loss\n0,1\n1,0.5\n";
    QCOMPARE(::mkfifo((run / "events.out.tfevents.1.host").c_str(), 0600), 0);
    QCOMPARE(::mkfifo((m_root / "outside_pipe").c_str(), 0600), 0);
    fs::create_symlink(m_root / "outside_pipe", run / "hparams.yaml");
    QCOMPARE(::mkfifo((run / "inner_pipe").c_str(), 0600), 0);
    fs::create_symlink(run / "inner_pipe", run / "history.jsonl");
    fs::create_symlink("/dev/zero", run / "zeros.csv");
    const ChildResult r =
        runWithTimeout([&] { return importReport({m_root / "logs"}, m_root / "ws.runlens"); });
    QVERIFY2(r.finished, "import of a folder holding FIFOs hung");
    qInfo("%s", r.output.c_str());
    QVERIFY2(r.output.rfind("points=2", 0) == 0, r.output.c_str());
    for (const fs::path& special : {run / "events.out.tfevents.1.host", run / "history.jsonl"})
        QVERIFY2(r.output.find(special.string() + ": a FIFO (named pipe), not a regular file; not read") !=
                     std::string::npos,
                 r.output.c_str());
}

void TestSpecialFiles::characterDeviceGivenDirectly() {
    const ChildResult r = runWithTimeout([&] { return importReport({"/dev/zero"}, m_root / "ws.runlens"); });
    QVERIFY2(r.finished, "import of /dev/zero hung");
    QVERIFY2(r.output.find("a character device, not a regular file") != std::string::npos, r.output.c_str());
}

void TestSpecialFiles::fifoOrDeviceAsWorkspace_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("fifo") << "fifo"
                          << "is a FIFO (named pipe), not a workspace file";
    QTest::newRow("symlink to fifo") << "link"
                                     << "is a FIFO (named pipe), not a workspace file";
    QTest::newRow("character device") << "device"
                                      << "is a character device, not a workspace file";
}

void TestSpecialFiles::fifoOrDeviceAsWorkspace() {
    QFETCH(QString, kind);
    QFETCH(QString, message);
    fs::path path = m_root / "ws.runlens";
    if (kind == "fifo") {
        QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    } else if (kind == "link") {
        QCOMPARE(::mkfifo((m_root / "pipe").c_str(), 0600), 0);
        fs::create_symlink(m_root / "pipe", path);
    } else {
        path = "/dev/null";
    }
    for (const Workspace::Mode mode : {Workspace::Mode::ReadOnly, Workspace::Mode::ReadWrite}) {
        const ChildResult r = runWithTimeout([&]() -> std::string {
            try {
                Workspace::open(path, mode);
                return "opened";
            } catch (const WorkspaceError& e) {
                return e.what();
            }
        });
        QVERIFY2(r.finished, "opening the workspace hung");
        QVERIFY2(QString::fromStdString(r.output).contains(message) && r.output.find(path.string()) == 0,
                 r.output.c_str());
        const ChildResult created = runWithTimeout([&]() -> std::string {
            try {
                Workspace::create(path);
                return "created";
            } catch (const WorkspaceError& e) {
                return e.what();
            }
        });
        QVERIFY2(created.finished, "create on a FIFO hung");
        QVERIFY2(QString::fromStdString(created.output).contains(message), created.output.c_str());
    }
}

QTEST_GUILESS_MAIN(TestSpecialFiles)
#include "test_special_files.moc"
