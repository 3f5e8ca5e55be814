// Workspaces changed on purpose: a table swapped for a view over an endless recursive query, triggers, extra
// objects and altered columns are refused when the file is opened, before any of them can run.
#include "core/store/workspace.h"

#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace runlens;

namespace {

// Runs SQL on the file with a plain connection (no Runlens settings), as an attacker would.
void rawExec(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    QVERIFY(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    QVERIFY2(rc == SQLITE_OK, error ? error : "?");
    sqlite3_close(db);
}

std::int64_t rawCount(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    std::int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

void writeWorkspace(const fs::path& path) {
    auto ws = Workspace::create(path);
    auto tx = ws->beginSource("/logs/a.csv", "csv", false);
    tx->appendPoint("a", "loss", 0, 1.0, 0.5);
    tx->setParam("a", "lr", "0.1");
    tx->commit(SourceState{"csv", 10, 0, 10});
}

// The open, and a query, in a child killed after 20 s: "opened" or the error message.
std::string openInChild(const fs::path& path, Workspace::Mode mode) {
    int fds[2];
    if (::pipe(fds) != 0) return "pipe failed";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        ::alarm(20);
        std::string out;
        try {
            auto ws = Workspace::open(path, mode);
            out = "opened, runs=" + std::to_string(ws->runs().size());
            if (mode == Workspace::Mode::ReadWrite) {
                auto tx = ws->beginSource("/logs/b.csv", "csv", false);
                tx->appendPoint("b", "loss", 0, 1.0, 0.5);
                tx->commit(SourceState{"csv", 10, 0, 10});
            }
        } catch (const std::exception& e) {
            out = e.what();
        }
        (void)::write(fds[1], out.data(), out.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string result;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        result.append(buf, std::size_t(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return result;
}

} // namespace

class TestCraftedWorkspace : public QObject {
    Q_OBJECT

  private slots:
    void refused_data();
    void refused();
    void triggerNeverRuns();
    void untouchedWorkspaceStillOpens();
};

void TestCraftedWorkspace::refused_data() {
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("message");
    // The attack from the issue: runs replaced by a view that never ends (and grows memory while it runs).
    QTest::newRow("table replaced by a recursive view")
        << "ALTER TABLE runs RENAME TO runs_old; CREATE VIEW runs(id, name, created) AS "
           "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT i, 'x' || i, 0.0 FROM r;"
        << "holds a view (runs)";
    QTest::newRow("trigger") << "CREATE TRIGGER t AFTER INSERT ON runs BEGIN DELETE FROM params; END;"
                             << "holds a trigger (t)";
    QTest::newRow("extra table") << "CREATE TABLE notes(x);"
                                 << "unexpected table notes";
    QTest::newRow("extra index") << "CREATE INDEX runs_created ON runs(created);"
                                 << "unexpected index runs_created";
    QTest::newRow("missing index") << "DROP INDEX chunks_range;"
                                   << "index chunks_range is missing";
    QTest::newRow("extra column with a default") << "ALTER TABLE params ADD COLUMN extra TEXT DEFAULT 'x';"
                                                 << "table params differs from the one Runlens creates";
    QTest::newRow("expression index") << "CREATE INDEX evil ON names(abs(id));"
                                      << "unexpected index evil";
}

void TestCraftedWorkspace::refused() {
    QFETCH(QString, sql);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    const fs::path path = fs::path(tmp.path().toStdString()) / "crafted.runlens";
    writeWorkspace(path);
    rawExec(path, sql.toStdString());
    for (const Workspace::Mode mode : {Workspace::Mode::ReadOnly, Workspace::Mode::ReadWrite}) {
        const QString result = QString::fromStdString(openInChild(path, mode));
        QVERIFY2(result.contains(message) && result.startsWith(QString::fromStdString(path.string())),
                 qPrintable(result));
    }
}

// A trigger that would empty params on the next insert into runs: the import is refused, params stay.
void TestCraftedWorkspace::triggerNeverRuns() {
    QTemporaryDir tmp;
    const fs::path path = fs::path(tmp.path().toStdString()) / "trigger.runlens";
    writeWorkspace(path);
    rawExec(path, "CREATE TRIGGER wipe AFTER INSERT ON runs BEGIN DELETE FROM params; END;");
    const std::string result = openInChild(path, Workspace::Mode::ReadWrite);
    QVERIFY2(result.find("trigger") != std::string::npos, result.c_str());
    QCOMPARE(rawCount(path, "SELECT count(*) FROM params"), std::int64_t(1));
    QCOMPARE(rawCount(path, "SELECT count(*) FROM runs"), std::int64_t(1));
}

// The exact check accepts what Runlens itself writes, including the statistics PRAGMA optimize may add.
void TestCraftedWorkspace::untouchedWorkspaceStillOpens() {
    QTemporaryDir tmp;
    const fs::path path = fs::path(tmp.path().toStdString()) / "plain.runlens";
    writeWorkspace(path);
    rawExec(path, "ANALYZE;");
    QCOMPARE(QString::fromStdString(openInChild(path, Workspace::Mode::ReadWrite)),
             QString("opened, runs=1"));
    QCOMPARE(QString::fromStdString(openInChild(path, Workspace::Mode::ReadOnly)), QString("opened, runs=2"));
}

QTEST_GUILESS_MAIN(TestCraftedWorkspace)
#include "test_crafted_workspace.moc"
