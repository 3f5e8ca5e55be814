// Tests of the SQLite workspace's runs as a whole: prediction tables round trip, deleting and renaming a
// run, listing 1,000 runs, and the time an import of millions of points takes.
#include "tests/common/store_test_support.h"

#include <ctime>
#include <QElapsedTimer>
#include <QFileInfo>

using namespace runlens;
using namespace runlens::test;

class TestStoreRuns : public StoreTestCase {
    Q_OBJECT

  private slots:
    void init();
    void predictionRoundTrip();
    void deleteAndRenameRun();
    void manyRunsList();
    void importTiming();
};

void TestStoreRuns::init() {
    QVERIFY(resetDir());
}

void TestStoreRuns::predictionRoundTrip() {
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

void TestStoreRuns::deleteAndRenameRun() {
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

void TestStoreRuns::manyRunsList() {
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

void TestStoreRuns::importTiming() {
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

QTEST_GUILESS_MAIN(TestStoreRuns)
#include "test_store_runs.moc"
