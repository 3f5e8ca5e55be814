// The demo's evaluation data tells the stories the tabs show: a Simpson reversal, an overconfident model,
// crossing learning curves. Checked through the same readers and analysis the app uses.
#include "core/analysis/calibration.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/power_law_fit.h"
#include "core/analysis/slices.h"
#include "core/demo/demo_evaluation.h"
#include "core/import/importer.h"
#include "core/import/memory_target.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

struct Loaded {
    PredictionTable table;
    EvaluationSet eval;
};

Loaded loadTable(const MemoryTarget& target, const std::string& run) {
    const auto* r = target.run(run);
    if (!r || r->predictions.empty()) return {};
    Loaded out;
    out.table = r->predictions.begin()->second;
    out.eval = extractEvaluationSet(out.table).set;
    return out;
}

CohortInput cohort(const Loaded& l, const std::string& name) {
    CohortInput c;
    c.name = name;
    c.table = &l.table;
    c.labels = l.eval.labels;
    c.scores = l.eval.scores;
    return c;
}

} // namespace

class TestDemoEvaluation : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    MemoryTarget m_target;

  private slots:
    void initTestCase() {
        const auto runs = writeDemoEvaluation(m_dir.path().toStdString());
        QCOMPARE(runs.size(), std::size_t(23));
        const std::filesystem::path root = m_dir.path().toStdString();
        const auto summary = importPaths(std::span(&root, 1), ReaderRegistry::withBuiltins(), m_target);
        QVERIFY(!summary.report.hasErrors());
    }

    void deterministic() {
        QTemporaryDir other;
        writeDemoEvaluation(other.path().toStdString());
        QFile a(m_dir.filePath("evaluation/churn_v3/predictions_val.csv")),
            b(other.filePath("evaluation/churn_v3/predictions_val.csv"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    void newerVersionWinsOnlyThroughItsMix() {
        const auto v2 = loadTable(m_target, "evaluation/churn_v2");
        const auto v3 = loadTable(m_target, "evaluation/churn_v3");
        QCOMPARE(v2.eval.rows(), std::size_t(4000));
        QCOMPARE(v3.eval.rows(), std::size_t(4000));
        SliceOptions options;
        options.by = {"segment"};
        const auto report = compareSlices({cohort(v2, "v2"), cohort(v3, "v3")}, options, nullptr);
        QVERIFY(report);
        QCOMPARE(report->simpson.overallWinner, std::string("v3"));
        QCOMPARE(report->simpson.reversal, Reversal::Complete);
        QCOMPARE(report->simpson.standardizedWinner, std::string("v2"));
    }

    void v3IsOverconfident() {
        const auto v2 = loadTable(m_target, "evaluation/churn_v2");
        const auto v3 = loadTable(m_target, "evaluation/churn_v3");
        const auto c2 = calibrationReport(v2.eval.labels, v2.eval.scores);
        const auto c3 = calibrationReport(v3.eval.labels, v3.eval.scores);
        QVERIFY2(c3.ece > 2 * c2.ece, qPrintable(QString("%1 vs %2").arg(c3.ece).arg(c2.ece)));
        // Over-confidence: in the top bin, v3's mean score exceeds its fraction of positives.
        QVERIFY(c3.bins.back().meanPredicted > c3.bins.back().fractionPositive);
    }

    void learningCurvesCrossBeyondTheData() {
        std::vector<double> gbmSizes, gbmValues, mlpSizes, mlpValues;
        for (const auto& [name, run] : m_target.runs()) {
            if (name.find("size_sweep") == std::string::npos) continue;
            const auto size = std::stod(run.params.at("train_size"));
            const double last = run.series.at("val/loss").values.back();
            (run.params.at("model") == "gbm" ? gbmSizes : mlpSizes).push_back(size);
            (run.params.at("model") == "gbm" ? gbmValues : mlpValues).push_back(last);
        }
        QCOMPARE(gbmSizes.size(), std::size_t(10));
        const auto gbm = fitPowerLaw(gbmSizes, gbmValues);
        const auto mlp = fitPowerLaw(mlpSizes, mlpValues);
        QVERIFY(gbm.ok && mlp.ok);
        QVERIFY(gbm.valueAt(50000) < mlp.valueAt(50000)); // gbm leads on the largest size tried
        QVERIFY(mlp.valueAt(1e6) < gbm.valueAt(1e6));     // mlp overtakes with more data
    }
};

QTEST_APPLESS_MAIN(TestDemoEvaluation)
#include "test_demo_evaluation.moc"
