// Tests of the SQLite workspace: round trips, range reads, summaries, imports, refusals and crash safety.
#include "core/store/store_access.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <limits>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace runlens;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// A series with NaN/Inf values, NaN wall times and int64 extremes at both ends.
SeriesData makeSeries(std::size_t n) {
    SeriesData d;
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t step = std::int64_t(i) * 7 - 1000;
        if (i == 0) step = kMin;
        if (i + 1 == n && n > 1) step = kMax;
        if (i == n / 2) step = kMax - 1; // a jump of ~2^63 inside a chunk
        double value = std::sin(double(i) * 0.01) * 100.0;
        if (i % 97 == 5) value = kNaN;
        if (i % 101 == 7) value = kInf;
        if (i % 103 == 9) value = -kInf;
        const double wall = i % 50 == 3 ? kNaN : 1.7e9 + double(i) * 0.25;
        d.push(step, wall, value);
    }
    return d;
}

// Feeds the data in uneven batches so batch and chunk boundaries do not line up.
void append(SourceTransaction& tx, const std::string& run, const std::string& tag, const SeriesData& d,
            std::size_t batch = 777) {
    for (std::size_t i = 0; i < d.size(); i += batch) {
        const std::size_t n = std::min(batch, d.size() - i);
        tx.appendPoints(run, tag, std::span(d.steps).subspan(i, n), std::span(d.wallTimes).subspan(i, n),
                        std::span(d.values).subspan(i, n));
    }
}

void importSeries(Workspace& ws, const std::string& source, const std::string& run, const std::string& tag,
                  const SeriesData& d, bool replace = false) {
    auto tx = ws.beginSource(source, "test", replace);
    append(*tx, run, tag, d);
    tx->commit({"test", 1, 2, 3});
}

void compareSeries(const SeriesData& got, const SeriesData& want) {
    QCOMPARE(got.size(), want.size());
    QCOMPARE(got.steps.size(), want.size());
    QCOMPARE(got.wallTimes.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (got.steps[i] != want.steps[i] || !sameBits(got.wallTimes[i], want.wallTimes[i]) ||
            !sameBits(got.values[i], want.values[i]))
            QFAIL(qPrintable(QString("point %1 differs").arg(i)));
    }
}

SeriesData slice(const SeriesData& d, std::size_t from, std::size_t to) {
    SeriesData out;
    for (std::size_t i = from; i < to; ++i)
        out.push(d.steps[i], d.wallTimes[i], d.values[i]);
    return out;
}

std::int64_t queryInt(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return -999;
    const std::int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -998;
    sqlite3_finalize(st);
    return v;
}

std::string queryText(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return "<prepare failed>";
    std::string v = "<no row>";
    if (sqlite3_step(st) == SQLITE_ROW) {
        const auto* p = sqlite3_column_text(st, 0);
        v = p ? reinterpret_cast<const char*>(p) : "<null>";
    }
    sqlite3_finalize(st);
    return v;
}

// Runs SQL on a separate connection, e.g. to damage a workspace the way a foreign tool might.
void rawExec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, message.c_str());
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const WorkspaceError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void roundTrip_data();
    void roundTrip();
    void rangeReadSkipsChunks_data();
    void rangeReadSkipsChunks();
    void summaries();
    void paramsNumericDetection_data();
    void paramsNumericDetection();
    void tagsAndProvenance();
    void twoSourcesOneRun();
    void grownSourceAppendsChunks();
    void replaceDropsEarlierData();
    void summaryMetrics();
    void migratesSchemaOne();
    void uncommittedTransactionRollsBack();
    void refusals_data();
    void refusals();
    void readOnlyRefusesWrites();
    void predictionRoundTrip();
    void deleteAndRenameRun();
    void manyRunsList();
    void crashSafety();
    void importTiming();

  private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string file(const char* name) const { return (m_dir->path() + "/" + name).toStdString(); }
};

void TestStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestStore::roundTrip_data() {
    QTest::addColumn<int>("points");
    QTest::addColumn<int>("chunks");
    QTest::newRow("one point") << 1 << 1;
    QTest::newRow("exactly one chunk") << 4096 << 1;
    QTest::newRow("one more") << 4097 << 2;
    QTest::newRow("10,000 points") << 10000 << 3;
}

void TestStore::roundTrip() {
    QFETCH(int, points);
    QFETCH(int, chunks);
    const SeriesData data = makeSeries(std::size_t(points));
    const std::string path = file("w.runlens");
    {
        auto ws = Workspace::create(path);
        importSeries(*ws, "/logs/a.csv", "run-a", "loss", data);
    }
    auto ws = Workspace::open(path);
    QCOMPARE(ws->schemaVersion(), Workspace::kSchemaVersion);
    const auto id = ws->runId("run-a");
    QVERIFY(id.has_value());
    compareSeries(ws->readSeries(*id, "loss"), data);

    // Per-chunk index: counts of 4,096 and min/max over the finite values of each slice, computed here.
    const auto index = ws->chunkIndex(*id, "loss");
    QCOMPARE(int(index.size()), chunks);
    for (std::size_t c = 0; c < index.size(); ++c) {
        const std::size_t from = c * 4096;
        const std::size_t to = std::min<std::size_t>(from + 4096, data.size());
        QCOMPARE(index[c].seq, std::int64_t(c));
        QCOMPARE(index[c].count, std::int64_t(to - from));
        double lo = kInf, hi = -kInf;
        std::int64_t sLo = kMax, sHi = kMin;
        for (std::size_t i = from; i < to; ++i) {
            sLo = std::min(sLo, data.steps[i]);
            sHi = std::max(sHi, data.steps[i]);
            if (!std::isfinite(data.values[i])) continue;
            lo = std::min(lo, data.values[i]);
            hi = std::max(hi, data.values[i]);
        }
        QCOMPARE(index[c].firstStep, sLo);
        QCOMPARE(index[c].lastStep, sHi);
        if (lo == kInf) {
            QVERIFY(std::isnan(index[c].min));
        } else {
            QCOMPARE(index[c].min, lo);
            QCOMPARE(index[c].max, hi);
        }
    }
    QCOMPARE(queryText(StoreAccess::connection(*ws), "PRAGMA integrity_check"), std::string("ok"));
    QCOMPARE(queryText(StoreAccess::connection(*ws), "PRAGMA journal_mode"), std::string("wal"));
}

void TestStore::rangeReadSkipsChunks_data() {
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    QTest::addColumn<bool>("touchesChunk0");
    // Steps are 0..9999, chunk 0 holds 0..4095, chunk 1 4096..8191, chunk 2 8192..9999.
    QTest::newRow("inside chunk 1") << qint64(5000) << qint64(5100) << false;
    QTest::newRow("across chunks 1 and 2") << qint64(8000) << qint64(8300) << false;
    QTest::newRow("tail past the end") << qint64(9990) << qint64(20000) << false;
    QTest::newRow("exact chunk 1") << qint64(4096) << qint64(8191) << false;
    QTest::newRow("across chunks 0 and 1") << qint64(4000) << qint64(4200) << true;
    QTest::newRow("before everything") << qint64(-50) << qint64(-1) << false;
    QTest::newRow("empty range") << qint64(10) << qint64(5) << false;
}

void TestStore::rangeReadSkipsChunks() {
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    QFETCH(bool, touchesChunk0);
    SeriesData data;
    for (int i = 0; i < 10000; ++i)
        data.push(i, 100.0 + i, i * 0.5);
    const std::string path = file("range.runlens");
    {
        auto ws = Workspace::create(path);
        importSeries(*ws, "src", "r", "acc", data);
    }
    // Damage chunk 0: any read that touches it must fail, so a successful read proves it was skipped.
    rawExec(path, "UPDATE chunks SET data = x'00' WHERE seq = 0");
    auto ws = Workspace::open(path);
    const std::int64_t run = *ws->runId("r");
    if (touchesChunk0) {
        const QString error = errorOf([&] { ws->readSeries(run, "acc", {first, last}); });
        QVERIFY2(error.contains("corrupt chunk"), qPrintable(error));
        return;
    }
    SeriesData want;
    for (int i = 0; i < 10000; ++i)
        if (i >= first && i <= last) want.push(i, 100.0 + i, i * 0.5);
    compareSeries(ws->readSeries(run, "acc", {first, last}), want);
    QVERIFY(!errorOf([&] { ws->readSeries(run, "acc"); }).isEmpty());
}

void TestStore::summaries() {
    const SeriesData data = makeSeries(9000);
    auto ws = Workspace::create(file("s.runlens"));
    importSeries(*ws, "src", "r", "loss", data);
    importSeries(*ws, "src2", "r", "acc", slice(data, 0, 10));

    double lo = kInf, hi = -kInf, firstWall = kNaN, lastWall = kNaN;
    std::int64_t nonFinite = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (std::isfinite(data.values[i])) {
            lo = std::min(lo, data.values[i]);
            hi = std::max(hi, data.values[i]);
        } else {
            ++nonFinite;
        }
        if (!std::isnan(data.wallTimes[i])) {
            if (std::isnan(firstWall)) firstWall = data.wallTimes[i];
            lastWall = data.wallTimes[i];
        }
    }
    const auto runs = ws->runs();
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs[0].series.size(), std::size_t(2));
    QCOMPARE(runs[0].series[0].tag, std::string("acc")); // sorted by tag
    const SeriesSummary& s = runs[0].series[1];
    QCOMPARE(s.tag, std::string("loss"));
    QCOMPARE(s.points, std::int64_t(9000));
    QCOMPARE(s.firstStep, kMin);
    QCOMPARE(s.lastStep, kMax);
    QCOMPARE(s.min, lo);
    QCOMPARE(s.max, hi);
    QVERIFY(sameBits(s.last, data.values.back()));
    QCOMPARE(s.firstWallTime, firstWall);
    QCOMPARE(s.lastWallTime, lastWall);
    QCOMPARE(s.nonFinite, nonFinite);
    QVERIFY(nonFinite > 200); // the data really has NaN and Inf in it
    QCOMPARE(ws->tags(), (std::vector<std::string>{"acc", "loss"}));
}

void TestStore::paramsNumericDetection_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("numeric");
    QTest::addColumn<double>("number");
    QTest::newRow("decimal") << "0.01" << true << 0.01;
    QTest::newRow("exponent") << "1e-3" << true << 0.001;
    QTest::newRow("integer with spaces") << " 42 " << true << 42.0;
    QTest::newRow("plus sign") << "+5" << true << 5.0;
    QTest::newRow("negative") << "-2.5" << true << -2.5;
    QTest::newRow("word") << "adam" << false << 0.0;
    QTest::newRow("trailing text") << "1.5x" << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("nan") << "nan" << false << 0.0;
    QTest::newRow("inf") << "inf" << false << 0.0;
    QTest::newRow("bool") << "true" << false << 0.0;
    QTest::newRow("list") << "[1, 2]" << false << 0.0;
    // The same reading as a CSV cell's (core/model/text_number.h), with any white space around it.
    QTest::newRow("newline after") << "3\n" << true << 3.0;
    QTest::newRow("leading point") << ".5" << true << 0.5;
    QTest::newRow("trailing point") << "2." << true << 2.0;
    QTest::newRow("signed infinity") << "-Infinity" << false << 0.0;
    QTest::newRow("missing marker") << "None" << false << 0.0;
    QTest::newRow("hex") << "0x10" << false << 0.0;
    QTest::newRow("two signs") << "+-1" << false << 0.0;
    QTest::newRow("beyond double range") << "1e400" << false << 0.0;
}

void TestStore::paramsNumericDetection() {
    QFETCH(QString, value);
    QFETCH(bool, numeric);
    QFETCH(double, number);
    auto ws = Workspace::create(file("p.runlens"));
    auto tx = ws->beginSource("src", "test", false);
    tx->setParam("r", "lr", "first value, overwritten below");
    tx->setParam("r", "lr", value.toStdString());
    tx->commit({});
    const auto run = ws->run(*ws->runId("r"));
    QVERIFY(run.has_value());
    QCOMPARE(QString::fromStdString(run->params.at("lr")), value);
    sqlite3* db = StoreAccess::connection(*ws);
    QCOMPARE(queryInt(db, "SELECT count(*) FROM params"), std::int64_t(1));
    QCOMPARE(queryInt(db, "SELECT num IS NULL FROM params"), std::int64_t(numeric ? 0 : 1));
    if (numeric) QCOMPARE(std::stod(queryText(db, "SELECT printf('%.17g', num) FROM params")), number);
}

void TestStore::tagsAndProvenance() {
    const std::string path = file("t.runlens");
    {
        auto ws = Workspace::create(path);
        auto tx = ws->beginSource("/logs/r1/metrics.csv", "lightning-csv", false);
        tx->setTag("r1", "mlflow.user", "ana");
        tx->setTag("r1", "stage", "dev");
        tx->setTag("r1", "stage", "prod");
        tx->setProvenance("r1", ProvenanceField::CodeVersion, "abc123");
        tx->setProvenance("r1", ProvenanceField::Seed, "42");
        tx->setProvenance("r1", ProvenanceField::Status, "FINISHED");
        // 2024-01-02T03:04:05Z = 1704164645 s; with +02:00 and .5 s: 1704157445.5
        // (python3: datetime(2024,1,2,3,4,5,tzinfo=timezone.utc).timestamp()).
        tx->setProvenance("r1", ProvenanceField::StartTime, "2024-01-02T03:04:05Z");
        tx->setProvenance("r1", ProvenanceField::EndTime, "2024-01-02T03:04:05.5+02:00");
        tx->setProvenance("r2", ProvenanceField::StartTime, "1700000000.25");
        tx->setProvenance("r2", ProvenanceField::EndTime, "yesterday");
        tx->commit({});
    }
    auto ws = Workspace::open(path);
    const auto runs = ws->runs();
    QCOMPARE(runs.size(), std::size_t(2));
    const RunInfo& r1 = runs[0];
    QCOMPARE(r1.name, std::string("r1"));
    QCOMPARE(r1.tags.size(), std::size_t(2));
    QCOMPARE(r1.tags.at("stage"), std::string("prod"));
    QCOMPARE(r1.tags.at("mlflow.user"), std::string("ana"));
    QCOMPARE(r1.provenance.sourcePath, std::string("/logs/r1/metrics.csv")); // default: the creating source
    QCOMPARE(r1.provenance.format, std::string("lightning-csv"));
    QCOMPARE(r1.provenance.codeVersion, std::string("abc123"));
    QCOMPARE(r1.provenance.seed, std::string("42"));
    QCOMPARE(r1.provenance.status, std::string("FINISHED"));
    QCOMPARE(r1.provenance.startTime, 1704164645.0);
    QCOMPARE(r1.provenance.endTime, 1704157445.5);
    QVERIFY(r1.provenance.dataVersion.empty());
    QCOMPARE(runs[1].provenance.startTime, 1700000000.25);
    QVERIFY(std::isnan(runs[1].provenance.endTime));
    QVERIFY(runs[1].tags.empty());
    QVERIFY(runs[1].series.empty());
}

void TestStore::twoSourcesOneRun() {
    const SeriesData data = makeSeries(10000);
    const std::string path = file("two.runlens");
    {
        auto ws = Workspace::create(path);
        importSeries(*ws, "/logs/part1", "r", "loss", slice(data, 0, 5000));
        importSeries(*ws, "/logs/part2", "r", "loss", slice(data, 5000, 10000));
    }
    auto ws = Workspace::create(path); // create() on an existing workspace opens it
    const std::int64_t run = *ws->runId("r");
    compareSeries(ws->readSeries(run, "loss"), data);
    // Each source ends with a partial chunk: 4096 + 904, then 4096 + 904.
    const auto index = ws->chunkIndex(run, "loss");
    QCOMPARE(index.size(), std::size_t(4));
    QCOMPARE(index[1].count, std::int64_t(904));
    QCOMPARE(index[3].seq, std::int64_t(3));
    QCOMPARE(ws->runs()[0].series[0].points, std::int64_t(10000));
    const auto sources = ws->sources();
    QCOMPARE(sources.size(), std::size_t(2));
    QCOMPARE(sources[0].first, std::string("/logs/part1"));
    QCOMPARE(sources[1].second.offset, std::int64_t(3));
    QCOMPARE(sources[1].second.mtimeNs, std::int64_t(2));
    QCOMPARE(sources[1].second.size, std::int64_t(1));
}

void TestStore::grownSourceAppendsChunks() {
    SeriesData first, second;
    for (int i = 0; i < 5; ++i)
        first.push(i, kNaN, i);
    for (int i = 5; i < 8; ++i)
        second.push(i, kNaN, i);
    auto ws = Workspace::create(file("g.runlens"));
    {
        auto tx = ws->beginSource("/logs/live.csv", "csv", false);
        append(*tx, "r", "x", first);
        tx->commit({"csv", 100, 7, 100});
    }
    QCOMPARE(ws->sourceState("/logs/live.csv")->offset, std::int64_t(100));
    {
        auto tx = ws->beginSource("/logs/live.csv", "csv", false);
        append(*tx, "r", "x", second);
        tx->commit({"csv", 160, 9, 160});
    }
    const std::int64_t run = *ws->runId("r");
    const auto all = ws->readSeries(run, "x");
    QCOMPARE(all.steps, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
    QCOMPARE(ws->chunkIndex(run, "x").back().seq, std::int64_t(1));
    const auto state = ws->sourceState("/logs/live.csv");
    QCOMPARE(state->offset, std::int64_t(160));
    QCOMPARE(state->mtimeNs, std::int64_t(9));
    const auto summary = ws->run(run)->series.at(0);
    QCOMPARE(summary.points, std::int64_t(8));
    QCOMPARE(summary.max, 7.0);
    QCOMPARE(summary.last, 7.0);
    QVERIFY(!ws->sourceState("/logs/other.csv").has_value());
}

void TestStore::replaceDropsEarlierData() {
    SeriesData a, b, a2;
    for (int i = 0; i < 5000; ++i)
        a.push(i, 10.0 + i, 1000.0 + i); // holds the maximum until replaced
    for (int i = 0; i < 3000; ++i)
        b.push(10000 + i, 20000.0 + i, double(i % 10));
    for (int i = 0; i < 100; ++i)
        a2.push(i, 5.0 + i, -double(i));
    auto ws = Workspace::create(file("rep.runlens"));
    {
        auto tx = ws->beginSource("A", "test", false);
        append(*tx, "r", "loss", a);
        append(*tx, "r", "only-a", slice(a, 0, 10));
        PredictionTable t;
        t.name = "val";
        t.columns.push_back({"score", ColumnRole::Score, true, {0.1, 0.9}, {}, {}, {}});
        tx->addPredictions("r", t);
        tx->commit({"test", 1, 1, 1});
    }
    importSeries(*ws, "B", "r", "loss", b);
    const std::int64_t run = *ws->runId("r");
    QCOMPARE(ws->predictionTables(run).size(), std::size_t(1));
    {
        auto tx = ws->beginSource("A", "test", true);
        append(*tx, "r", "loss", a2);
        tx->commit({"test", 2, 2, 2});
    }
    // Expected: B's 3,000 points (stored earlier), then A's new 100.
    SeriesData want = b;
    for (std::size_t i = 0; i < a2.size(); ++i)
        want.push(a2.steps[i], a2.wallTimes[i], a2.values[i]);
    compareSeries(ws->readSeries(run, "loss"), want);
    const auto info = *ws->run(run);
    QCOMPARE(info.series.size(), std::size_t(1)); // "only-a" lost all its points and is gone
    const SeriesSummary& s = info.series[0];
    QCOMPARE(s.points, std::int64_t(3100));
    QCOMPARE(s.min, -99.0);
    QCOMPARE(s.max, 9.0);
    QCOMPARE(s.firstStep, std::int64_t(0));
    QCOMPARE(s.lastStep, std::int64_t(12999));
    // last is the value at last_step 12999, B's point i = 2999 with value 2999 % 10 = 9 (A's later points sit
    // at steps 0..99).
    QCOMPARE(s.last, 9.0);
    QCOMPARE(s.firstWallTime, 20000.0);
    QCOMPARE(s.lastWallTime, 104.0);
    QVERIFY(ws->predictionTables(run).empty());
    QCOMPARE(queryInt(StoreAccess::connection(*ws), "SELECT count(*) FROM chunks WHERE source_id = "
                                                    "(SELECT id FROM sources WHERE path = 'A')"),
             std::int64_t(1));
}

void TestStore::uncommittedTransactionRollsBack() {
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

void TestStore::refusals_data() {
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

void TestStore::refusals() {
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

// Summary metrics are final values, not points: they round-trip exactly (NaN included), a later source
// overwrites a key, and replacing a source drops only what it delivered.
void TestStore::summaryMetrics() {
    const std::string path = file("summary.runlens");
    auto ws = Workspace::create(path);
    {
        auto tx = ws->beginSource("a.json", "test", false);
        tx->setSummaryMetric("r", "eval_loss", 0.125);
        tx->setSummaryMetric("r", "best", kNaN);
        tx->setSummaryMetric("r", "tokens", 1e12);
        tx->commit({"test", 1, 2, 3});
    }
    {
        auto tx = ws->beginSource("b.json", "test", false);
        tx->setSummaryMetric("r", "tokens", -kInf);
        tx->commit({"test", 1, 2, 3});
    }
    auto runs = ws->runs();
    QCOMPARE(runs.size(), std::size_t(1));
    QVERIFY(runs[0].series.empty()); // a summary is not a series
    const auto& m = runs[0].summaryMetrics;
    QCOMPARE(m.size(), std::size_t(3));
    QCOMPARE(m.at("eval_loss"), 0.125);
    QVERIFY(std::isnan(m.at("best")));
    QCOMPARE(m.at("tokens"), -kInf);
    {
        auto tx = ws->beginSource("a.json", "test", true); // a.json rewritten without its summaries
        tx->commit({"test", 1, 2, 3});
    }
    const auto after = ws->run(runs[0].id)->summaryMetrics;
    QCOMPARE(after.size(), std::size_t(1));
    QCOMPARE(after.at("tokens"), -kInf);
}

// A schema-1 workspace (before summary metrics) opens, migrates to the current schema, keeps its data.
void TestStore::migratesSchemaOne() {
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

void TestStore::readOnlyRefusesWrites() {
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

void TestStore::predictionRoundTrip() {
    PredictionTable t;
    t.name = "val";
    t.sourcePath = "/logs/r/predictions.csv";
    t.columns.push_back({"id", ColumnRole::Id, false, {}, {0, 1, 2, -1}, {"a", "b", "c"}, {}});
    t.columns.push_back({"label", ColumnRole::Label, true, {1, 0, kNaN, 1}, {}, {}, {}});
    t.columns.push_back({"prob_cat", ColumnRole::ClassScore, true, {0.9, 0.1, 0.5, kInf}, {}, {}, "cat"});
    t.columns.push_back({"region", ColumnRole::Feature, false, {}, {1, -1, 0, 1}, {"", "eu, north"}, {}});
    t.columns.push_back({"pred", ColumnRole::Prediction, false, {}, {-1, -1, -1, -1}, {}, {}});
    const std::string path = file("pred.runlens");
    {
        auto ws = Workspace::create(path);
        auto tx = ws->beginSource("/logs/r/predictions.csv", "predictions", false);
        PredictionTable old = t;
        old.columns.resize(1);
        tx->addPredictions("r", old); // replaced by the same-named table below
        tx->addPredictions("r", t);
        PredictionTable bad;
        bad.name = "bad";
        bad.columns.push_back({"x", ColumnRole::Feature, false, {}, {5}, {"only"}, {}});
        QVERIFY(!errorOf([&] { tx->addPredictions("r", bad); }).isEmpty());
        tx->commit({});
    }
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    const auto tables = ws->predictionTables(*ws->runId("r"));
    QCOMPARE(tables.size(), std::size_t(1));
    QCOMPARE(tables[0].rows, std::int64_t(4));
    QCOMPARE(tables[0].sourcePath, t.sourcePath);
    const PredictionTable back = ws->readPredictions(tables[0].id);
    QCOMPARE(back.name, t.name);
    QCOMPARE(back.columns.size(), t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const auto& w = t.columns[c];
        const auto& g = back.columns[c];
        QCOMPARE(g.name, w.name);
        QVERIFY(g.role == w.role);
        QCOMPARE(g.numeric, w.numeric);
        QCOMPARE(g.className, w.className);
        QCOMPARE(g.codes, w.codes);
        QCOMPARE(g.dictionary, w.dictionary);
        QCOMPARE(g.numbers.size(), w.numbers.size());
        for (std::size_t i = 0; i < w.numbers.size(); ++i)
            QVERIFY(sameBits(g.numbers[i], w.numbers[i]));
    }
    QVERIFY(!errorOf([&] { ws->readPredictions(12345); }).isEmpty());
}

void TestStore::deleteAndRenameRun() {
    auto ws = Workspace::create(file("dr.runlens"));
    {
        auto tx = ws->beginSource("src", "test", false);
        append(*tx, "a", "loss", makeSeries(5000));
        append(*tx, "b", "loss", makeSeries(10));
        tx->setParam("a", "lr", "0.1");
        tx->setTag("a", "k", "v");
        PredictionTable t;
        t.name = "val";
        t.columns.push_back({"score", ColumnRole::Score, true, {0.5}, {}, {}, {}});
        tx->addPredictions("a", t);
        tx->commit({});
    }
    const std::int64_t a = *ws->runId("a");
    const std::int64_t b = *ws->runId("b");
    QVERIFY(errorOf([&] { ws->renameRun(a, "b"); }).contains("already exists"));
    ws->renameRun(b, "b2");
    QCOMPARE(ws->run(b)->name, std::string("b2"));
    QVERIFY(!ws->runId("b").has_value());

    ws->deleteRun(a);
    sqlite3* db = StoreAccess::connection(*ws);
    QVERIFY(!ws->run(a).has_value());
    QCOMPARE(queryInt(db, "SELECT count(*) FROM chunks"), std::int64_t(1)); // b's single chunk
    QCOMPARE(queryInt(db, "SELECT count(*) FROM series"), std::int64_t(1));
    QCOMPARE(queryInt(db, "SELECT count(*) FROM params"), std::int64_t(0));
    QCOMPARE(queryInt(db, "SELECT count(*) FROM run_tags"), std::int64_t(0));
    QCOMPARE(queryInt(db, "SELECT count(*) FROM predictions"), std::int64_t(0));
    QCOMPARE(queryInt(db, "SELECT count(*) FROM prediction_columns"), std::int64_t(0));
    QCOMPARE(queryInt(db, "SELECT count(*) FROM provenance"), std::int64_t(1));
    QVERIFY(!errorOf([&] { ws->deleteRun(a); }).isEmpty());
}

void TestStore::manyRunsList() {
    const std::string path = file("many.runlens");
    {
        auto ws = Workspace::create(path);
        auto tx = ws->beginSource("sweep", "test", false);
        for (int r = 0; r < 1000; ++r) {
            const std::string name = "run-" + std::to_string(r);
            tx->setParam(name, "lr", std::to_string(r * 0.001));
            tx->setParam(name, "optimizer", r % 2 ? "adam" : "sgd");
            tx->setTag(name, "group", std::to_string(r % 7));
            for (const char* tag : {"loss", "acc", "val_loss"})
                for (int i = 0; i < 20; ++i)
                    tx->appendPoint(name, tag, i, 1.0 + i, r + i * 0.5);
        }
        tx->commit({});
    }
    auto ws = Workspace::open(path);
    QElapsedTimer timer;
    timer.start();
    const auto runs = ws->runs();
    qInfo("runs() for 1,000 runs x 3 series: %lld ms", static_cast<long long>(timer.elapsed()));
    QCOMPARE(runs.size(), std::size_t(1000));
    // Sorted by name as bytes: "run-0", "run-1", "run-10", "run-100", ...
    QCOMPARE(runs[2].name, std::string("run-10"));
    const RunInfo& r = runs[2];
    QCOMPARE(r.params.at("optimizer"), std::string("sgd"));
    QCOMPARE(r.tags.at("group"), std::string("3"));
    QCOMPARE(r.series.size(), std::size_t(3));
    QCOMPARE(r.series[2].tag, std::string("val_loss"));
    QCOMPARE(r.series[2].points, std::int64_t(20));
    QCOMPARE(r.series[2].last, 10 + 19 * 0.5);
}

void TestStore::crashSafety() {
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

void TestStore::importTiming() {
    // A local measurement, not an assertion: the budget is well under 0.5 s for 10M points. CPU time is
    // printed too because wall time on a shared machine says little.
    const std::size_t n = qEnvironmentVariableIsSet("RUNLENS_STORE_TIMING") ? 10'000'000 : 2'000'000;
    SeriesData data;
    data.reserve(n);
    for (std::size_t j = 0; j < n; ++j)
        data.push(std::int64_t(j), 1.7e9 + double(j) * 0.01, std::sin(double(j) * 1e-3));
    auto ws = Workspace::create(file("speed.runlens"));
    QElapsedTimer timer;
    timer.start();
    std::clock_t cpu = std::clock();
    auto tx = ws->beginSource("big.csv", "csv", false);
    append(*tx, "big", "loss", data, 4096);
    tx->commit({"csv", 1, 1, 1});
    const auto importMs = timer.restart();
    const double importCpuMs = double(std::clock() - cpu) * 1000.0 / CLOCKS_PER_SEC;
    cpu = std::clock();
    const auto all = ws->readSeries(*ws->runId("big"), "loss");
    const auto readMs = timer.elapsed();
    const double readCpuMs = double(std::clock() - cpu) * 1000.0 / CLOCKS_PER_SEC;
    qInfo("store: %zu points imported in %lld ms (%.0f ms CPU), read back in %lld ms (%.0f ms CPU); file "
          "%lld MB",
          n, static_cast<long long>(importMs), importCpuMs, static_cast<long long>(readMs), readCpuMs,
          static_cast<long long>(QFileInfo(QString::fromStdString(file("speed.runlens"))).size() >> 20));
    compareSeries(all, data);
}

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
