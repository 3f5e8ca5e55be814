// Tests of the Hugging Face trainer_state.json and *_results.json readers on hand-written files.
#include "core/import/memory_target.h"
#include "core/io/hf_trainer_reader.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

namespace {

std::filesystem::path writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return path;
}

ReadReport readWith(const Reader& reader, const std::filesystem::path& path, MemoryTarget& target) {
    ReadContext ctx;
    ctx.runName = "run";
    auto tx = target.beginSource(path.string(), reader.name(), true);
    ReadReport report = reader.read(path, ctx, *tx);
    tx->commit(SourceState{std::string(reader.name()), 0, 0, report.endOffset});
    return report;
}

bool hasIssue(const ReadReport& report, IssueKind kind) {
    for (const ReadIssue& issue : report.issues)
        if (issue.kind == kind) return true;
    return false;
}

// The three log_history shapes; values chosen by hand, the expectations below follow from reading them.
const char* kState = R"({
  "best_metric": 0.25,
  "best_model_checkpoint": "./checkpoint-20",
  "best_global_step": null,
  "epoch": 2.0,
  "global_step": 20,
  "log_history": [
    {"epoch": 1.0, "grad_norm": 3.5, "learning_rate": 0.001, "loss": 1.5, "step": 10},
    {"epoch": 1.0, "eval_loss": 1.25, "eval_accuracy": 0.5, "step": 10},
    {"epoch": 2.0, "grad_norm": 2.5, "learning_rate": 0.0005, "loss": 0.75, "step": 20},
    {"epoch": 2.0, "eval_loss": 0.25, "eval_accuracy": 0.875, "step": 20},
    {"epoch": 2.0, "step": 20, "total_flos": 1.5e+17, "train_loss": 1.125, "train_runtime": 12.5,
     "train_samples_per_second": 80.0}
  ],
  "num_train_epochs": 9223372036854775807,
  "stateful_callbacks": {"TrainerControl": {"args": {"should_save": true}}},
  "trial_params": {"seed": 17}
})";

} // namespace

class TestHfTrainerReader : public QObject {
    Q_OBJECT

  private slots:
    void confidence() {
        FileProbe probe;
        probe.path = "/x/trainer_state.json";
        QCOMPARE(HfTrainerStateReader().confidence(probe), 95);
        probe.path = "/x/state_copy.json";
        probe.head = R"({"global_step": 3, "log_history": [)";
        QCOMPARE(HfTrainerStateReader().confidence(probe), 80);
        probe.head = R"({"a": 1})";
        QCOMPARE(HfTrainerStateReader().confidence(probe), 0);
        probe.path = "/x/all_results.json";
        QCOMPARE(HfResultsJsonReader().confidence(probe), 90);
        probe.path = "/x/results.json";
        QCOMPARE(HfResultsJsonReader().confidence(probe), 0);
    }

    void threeEntryShapes() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "trainer_state.json", kState);
        MemoryTarget target;
        const ReadReport report = readWith(HfTrainerStateReader(), path, target);
        QVERIFY(!report.hasErrors());
        const SeriesData* loss = target.series("run", "loss");
        QVERIFY(loss);
        QCOMPARE(loss->steps, (std::vector<std::int64_t>{10, 20}));
        QCOMPARE(loss->values, (std::vector<double>{1.5, 0.75}));
        QVERIFY(std::isnan(loss->wallTimes[0]));
        QCOMPARE(target.series("run", "eval_loss")->values, (std::vector<double>{1.25, 0.25}));
        QCOMPARE(target.series("run", "eval_accuracy")->steps, (std::vector<std::int64_t>{10, 20}));
        QCOMPARE(target.series("run", "learning_rate")->values, (std::vector<double>{0.001, 0.0005}));
        QCOMPARE(target.series("run", "grad_norm")->values, (std::vector<double>{3.5, 2.5}));
        // epoch once per step although each step has two or three entries.
        QCOMPARE(target.series("run", "epoch")->steps, (std::vector<std::int64_t>{10, 20}));
        QCOMPARE(target.series("run", "epoch")->values, (std::vector<double>{1.0, 2.0}));
        // The summary entry: one point each at the last step.
        for (const char* tag : {"train_runtime", "train_loss", "total_flos", "train_samples_per_second"}) {
            const SeriesData* s = target.series("run", tag);
            QVERIFY2(s, tag);
            QCOMPARE(s->steps, (std::vector<std::int64_t>{20}));
        }
        QCOMPARE(target.series("run", "total_flos")->values.front(), 1.5e17);
        QCOMPARE(target.series("run", "step"), nullptr);
        // 2 loss + 2 grad_norm + 2 lr + 2 eval_loss + 2 eval_accuracy + 2 epoch + 4 summary values.
        QCOMPARE(report.points, std::int64_t(16));

        const MemoryRun* run = target.run("run");
        QCOMPARE(run->params.at("global_step"), std::string("20"));
        QCOMPARE(run->params.at("num_train_epochs"), std::string("9223372036854775807"));
        QCOMPARE(run->params.at("best_metric"), std::string("0.25"));
        QCOMPARE(run->params.at("best_model_checkpoint"), std::string("./checkpoint-20"));
        QCOMPARE(run->params.at("trial_params.seed"), std::string("17"));
        QVERIFY(run->params.find("best_global_step") == run->params.end()); // null: not tracked
        QVERIFY(run->params.find("log_history") == run->params.end());
        QCOMPARE(run->provenance.seed, std::string("17"));
    }

    void wrongTypeSkipsEntry() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "trainer_state.json", R"({"global_step": 3, "log_history": [
            {"loss": 1.0, "step": 1},
            {"loss": "oops", "learning_rate": 0.1, "step": 2},
            {"loss": 0.5, "step": "three"},
            7,
            {"loss": 0.25, "step": 4}]})");
        MemoryTarget target;
        const ReadReport report = readWith(HfTrainerStateReader(), path, target);
        QCOMPARE(target.series("run", "loss")->steps, (std::vector<std::int64_t>{1, 4}));
        QCOMPARE(target.series("run", "learning_rate"), nullptr);
        QCOMPARE(report.rowsSkipped, std::int64_t(3));
        bool sawRecord2 = false;
        for (const ReadIssue& issue : report.issues)
            if (issue.kind == IssueKind::BadNumber && issue.line == 2) sawRecord2 = true;
        QVERIFY(sawRecord2);
    }

    // Python's json.dump writes bare NaN and Infinity; they must read as such, not fail the file.
    void pythonNanAndInfinity() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "trainer_state.json",
                                    R"({"global_step": 2, "log_history": [{"loss": NaN, "step": 1},)"
                                    R"({"loss": Infinity, "note": "NaN text", "step": 2}]})");
        MemoryTarget target;
        readWith(HfTrainerStateReader(), path, target);
        const SeriesData* loss = target.series("run", "loss");
        QVERIFY(loss);
        QCOMPARE(loss->size(), std::size_t(1)); // entry 2 holds real text in "note": skipped
        QVERIFY(std::isnan(loss->values[0]));
    }

    void malformedFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("kind");
        QTest::newRow("truncated") << QByteArray(
                                          "{\"global_step\": 3, \"log_history\": [{\"loss\": 1.0, \"st")
                                   << int(IssueKind::Truncated);
        QTest::newRow("empty") << QByteArray() << int(IssueKind::Empty);
        QTest::newRow("not an object") << QByteArray("[1, 2]") << int(IssueKind::BadValue);
        QTest::newRow("deep nesting")
            << QByteArray(200000, '[') + QByteArray(200000, ']') << int(IssueKind::BadValue);
    }
    void malformedFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, kind);
        QTemporaryDir dir;
        const auto path = writeFile(dir, "trainer_state.json", bytes.toStdString());
        MemoryTarget target;
        const ReadReport report = readWith(HfTrainerStateReader(), path, target);
        QVERIFY(report.hasErrors());
        QVERIFY(hasIssue(report, IssueKind(kind)));
        QCOMPARE(target.totalPoints(), std::int64_t(0));
    }

    void nonUtf8IsReportedAndRestRead() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "trainer_state.json",
                                    "{\"best_model_checkpoint\": \"caf\xE9\", \"global_step\": 1, "
                                    "\"log_history\": [{\"loss\": 2.0, \"step\": 1}]}");
        MemoryTarget target;
        const ReadReport report = readWith(HfTrainerStateReader(), path, target);
        QVERIFY(hasIssue(report, IssueKind::InvalidUtf8));
        QCOMPARE(target.series("run", "loss")->values, (std::vector<double>{2.0}));
    }

    void deepParamNestingStopsAt64() {
        std::string nested = "1";
        for (int i = 0; i < 100; ++i)
            nested = "{\"k\": " + nested + "}";
        QTemporaryDir dir;
        const auto path =
            writeFile(dir, "trainer_state.json",
                      "{\"trial_params\": " + nested + ", \"global_step\": 5, \"log_history\": []}");
        MemoryTarget target;
        const ReadReport report = readWith(HfTrainerStateReader(), path, target);
        QVERIFY(!report.hasErrors());
        bool sawDepth = false;
        for (const ReadIssue& issue : report.issues)
            if (issue.message.find("64") != std::string::npos) sawDepth = true;
        QVERIFY(sawDepth);
        QCOMPARE(target.run("run")->params.at("global_step"), std::string("5"));
    }

    // Results files are final numbers: each numeric key a summary metric, never a point (issue 15, class 4).
    void resultsAlone() {
        QTemporaryDir dir;
        const auto path =
            writeFile(dir, "eval_results.json",
                      R"({"epoch": 3.0, "eval_loss": 0.5, "eval_wer": 24.5, "note": "x", "n": null})");
        MemoryTarget target;
        const ReadReport report = readWith(HfResultsJsonReader(), path, target);
        const MemoryRun* run = target.run("run");
        QVERIFY(run);
        QVERIFY(run->series.empty());
        QCOMPARE(run->summaryMetrics, (std::map<std::string, double, std::less<>>{
                                          {"epoch", 3.0}, {"eval_loss", 0.5}, {"eval_wer", 24.5}}));
        QCOMPARE(report.points, std::int64_t(0));
        QVERIFY(hasIssue(report, IssueKind::BadNumber)); // "note" holds text
    }

    // Beside trainer_state.json the curves stay exactly what trainer_state.json logged: no second point at
    // the final step, whatever all_results.json and eval_results.json repeat.
    void resultsBesideTrainerState() {
        QTemporaryDir dir;
        const auto state = writeFile(dir, "trainer_state.json", kState);
        const auto eval =
            writeFile(dir, "eval_results.json", R"({"eval_loss": 0.3, "eval_accuracy": 0.875})");
        const auto all =
            writeFile(dir, "all_results.json",
                      R"({"eval_loss": 0.3, "eval_accuracy": 0.875, "train_loss": 1.125, "extra": 4})");
        MemoryTarget alone;
        readWith(HfTrainerStateReader(), state, alone);
        MemoryTarget target;
        readWith(HfTrainerStateReader(), state, target);
        readWith(HfResultsJsonReader(), eval, target);
        readWith(HfResultsJsonReader(), all, target);
        QCOMPARE(target.totalPoints(), alone.totalPoints());
        for (const auto& [tag, series] : alone.run("run")->series)
            QCOMPARE(target.series("run", tag)->size(), series.size());
        const auto& summary = target.run("run")->summaryMetrics;
        QCOMPARE(summary.at("eval_loss"), 0.3);
        QCOMPARE(summary.at("eval_accuracy"), 0.875);
        QCOMPARE(summary.at("train_loss"), 1.125);
        QCOMPARE(summary.at("extra"), 4.0);
    }
};

QTEST_GUILESS_MAIN(TestHfTrainerReader)
#include "test_hf_trainer_reader.moc"
