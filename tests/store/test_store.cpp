// Tests of the SQLite workspace's data: series round trips, range reads, summaries, params, tags and
// provenance, and what several sources, a grown source, a replaced source and summary metrics leave in a run.
#include "tests/common/store_test_support.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace runlens;
using namespace runlens::test;

class TestStore : public StoreTestCase {
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
};

void TestStore::init() {
    QVERIFY(resetDir());
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

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
