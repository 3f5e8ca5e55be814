// Tests of how the SQLite workspace guards its file: schema migration, refusals of files it cannot open,
// read-only mode, rollback of an uncommitted source and crash safety when killed mid-transaction.
#include "tests/common/store_test_support.h"

#include <cmath>
#include <csignal>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace runlens;
using namespace runlens::test;

class TestStoreSchema : public StoreTestCase {
    Q_OBJECT

  private slots:
    void init();
    void migratesSchemaOne();
    void uncommittedTransactionRollsBack();
    void refusals_data();
    void refusals();
    void readOnlyRefusesWrites();
    void crashSafety();
};

void TestStoreSchema::init() {
    QVERIFY(resetDir());
}

// A schema-1 workspace (before summary metrics) opens, migrates to the current schema, keeps its data.
void TestStoreSchema::migratesSchemaOne() {
    const std::string path = file("v1.runlens");
    {
        auto ws = Workspace::create(path);
        importSeries(*ws, "src", "r", "loss", makeSeries(10));
    }
    rawExec(path, "DROP TABLE summary_metrics; PRAGMA user_version = 1;");
    auto ws = Workspace::open(path);
    QCOMPARE(ws->schemaVersion(), Workspace::kSchemaVersion);
    QCOMPARE(ws->runs().size(), std::size_t(1));
    auto tx = ws->beginSource("s.json", "test", false);
    tx->setSummaryMetric("r", "acc", 0.5);
    tx->commit({"test", 1, 2, 3});
    QCOMPARE(ws->runs()[0].summaryMetrics.at("acc"), 0.5);
}

void TestStoreSchema::uncommittedTransactionRollsBack() {
    auto ws = Workspace::create(file("rb.runlens"));
    importSeries(*ws, "kept", "r0", "x", makeSeries(10));
    {
        auto tx = ws->beginSource("dropped", "test", false);
        append(*tx, "r1", "loss", makeSeries(20000));
        append(*tx, "r0", "x", makeSeries(5));
        tx->setParam("r1", "lr", "0.1");
        tx->setTag("r0", "note", "should vanish");
    } // destroyed without commit
    const auto runs = ws->runs();
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs[0].name, std::string("r0"));
    QVERIFY(runs[0].tags.empty());
    QCOMPARE(runs[0].series[0].points, std::int64_t(10));
    QVERIFY(!ws->sourceState("dropped").has_value());
    QCOMPARE(queryInt(StoreAccess::connection(*ws), "SELECT count(*) FROM chunks"), std::int64_t(1));
    // The connection is usable again for the next source.
    importSeries(*ws, "next", "r2", "x", makeSeries(3));
    QCOMPARE(ws->runs().size(), std::size_t(2));
    // Using a committed transaction is an error, not silent data loss.
    auto tx = ws->beginSource("once", "test", false);
    tx->commit({});
    QVERIFY(!errorOf([&] { tx->setParam("r", "k", "v"); }).isEmpty());
}

void TestStoreSchema::refusals_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing file") << "missing"
                                  << "does not exist";
    QTest::newRow("text file") << "text"
                               << "is not a Runlens workspace";
    QTest::newRow("foreign sqlite") << "foreign"
                                    << "is not a Runlens workspace";
    QTest::newRow("empty file") << "empty"
                                << "is not a Runlens workspace";
    QTest::newRow("newer schema")
        << "newer"
        << QString("was written by a newer Runlens (schema 999; this build reads up to %1)")
               .arg(Workspace::kSchemaVersion);
    QTest::newRow("missing column") << "damaged"
                                    << "column chunks.data is missing";
}

void TestStoreSchema::refusals() {
    QFETCH(QString, kind);
    QFETCH(QString, message);
    const std::string path = file("x.runlens");
    if (kind == "text") {
        std::ofstream(path) << "step,value\n1,2\n" << std::string(5000, 'x') << "\n";
    } else if (kind == "foreign") {
        rawExec(path, "CREATE TABLE t(a); INSERT INTO t VALUES(1);");
    } else if (kind == "empty") {
        std::ofstream{path};
    } else if (kind == "newer") {
        Workspace::create(path);
        rawExec(path, "PRAGMA user_version = 999");
    } else if (kind == "damaged") {
        Workspace::create(path);
        rawExec(path, "ALTER TABLE chunks DROP COLUMN data");
    }
    const QString error = errorOf([&] { Workspace::open(path); });
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains(QString::fromStdString(path)), qPrintable(error)); // names the file
    const QString readOnlyError = errorOf([&] { Workspace::open(path, Workspace::Mode::ReadOnly); });
    QVERIFY2(readOnlyError.contains(message), qPrintable(readOnlyError));
    if (kind != "missing" && kind != "empty") {
        // create() on an existing file must not turn a foreign file into a workspace either.
        const QString createError = errorOf([&] { Workspace::create(path); });
        QVERIFY2(createError.contains(message), qPrintable(createError));
    }
}

void TestStoreSchema::readOnlyRefusesWrites() {
    const std::string path = file("ro.runlens");
    {
        auto ws = Workspace::create(path);
        importSeries(*ws, "src", "r", "loss", makeSeries(100));
    }
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    QVERIFY(ws->readOnly());
    const std::int64_t run = *ws->runId("r");
    QCOMPARE(ws->readSeries(run, "loss").size(), std::size_t(100));
    for (const auto& attempt : std::vector<std::function<void()>>{
             [&] { ws->beginSource("other", "csv", false); },
             [&] { ws->deleteRun(run); },
             [&] { ws->renameRun(run, "new"); },
         }) {
        const QString error = errorOf(attempt);
        QVERIFY2(error.contains("read-only"), qPrintable(error));
    }
    QCOMPARE(ws->runs().at(0).name, std::string("r"));
}

void TestStoreSchema::crashSafety() {
    const std::string path = file("crash.runlens");
    const SeriesData first = makeSeries(10000);
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        // Child: no Qt from here on; any failure exits with a code the parent reports.
        try {
            auto ws = Workspace::create(path);
            importSeries(*ws, "/logs/one", "r1", "loss", first);
            // A tiny cache makes SQLite spill uncommitted pages into the WAL before the kill.
            sqlite3_exec(StoreAccess::connection(*ws), "PRAGMA cache_size = 20", nullptr, nullptr, nullptr);
            auto tx = ws->beginSource("/logs/two", "test", false);
            SeriesData big;
            for (int i = 0; i < 400000; ++i)
                big.push(i, 1.0 * i, std::cos(i));
            append(*tx, "r2", "loss", big, 4096);
            append(*tx, "r1", "loss", big, 4096);
            tx->setParam("r1", "lr", "0.5");
            kill(getpid(), SIGKILL); // dies mid-transaction, before commit
        } catch (...) {
            _exit(3);
        }
        _exit(4);
    }
    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
             qPrintable(QString("child did not die by SIGKILL (status %1)").arg(status)));

    auto ws = Workspace::open(path);
    QCOMPARE(queryText(StoreAccess::connection(*ws), "PRAGMA integrity_check"), std::string("ok"));
    const auto runs = ws->runs();
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs[0].name, std::string("r1"));
    QVERIFY(runs[0].params.empty());
    QCOMPARE(runs[0].series.at(0).points, std::int64_t(10000));
    compareSeries(ws->readSeries(runs[0].id, "loss"), first);
    QVERIFY(!ws->sourceState("/logs/two").has_value());
    QVERIFY(ws->sourceState("/logs/one").has_value());
}

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "test_store_schema.moc"
