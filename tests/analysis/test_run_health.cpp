// Metric-name parsing (split, worker, direction) and the run-health badges built from hand-made curves.
#include "core/analysis/run_health.h"
#include "core/model/tag_names.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

SeriesData series(const std::vector<double>& values, std::int64_t stepEvery = 10) {
    SeriesData s;
    for (std::size_t i = 0; i < values.size(); ++i)
        s.push(static_cast<std::int64_t>(i) * stepEvery, 1000.0 + static_cast<double>(i), values[i]);
    return s;
}

std::vector<double> falling(std::size_t n, double from, double to) {
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i)
        v.push_back(from + (to - from) * static_cast<double>(i) / static_cast<double>(n - 1));
    return v;
}

const HealthBadge* find(const std::vector<HealthBadge>& badges, HealthBadge::Kind kind) {
    for (const HealthBadge& b : badges)
        if (b.kind == kind) return &b;
    return nullptr;
}

} // namespace

class TestRunHealth : public QObject {
    Q_OBJECT

  private slots:
    void splits() {
        QCOMPARE(splitOf("train/loss"), Split::Train);
        QCOMPARE(splitOf("val_loss"), Split::Validation);
        QCOMPARE(splitOf("eval/accuracy"), Split::Validation);
        QCOMPARE(splitOf("Loss/test"), Split::Test);
        QCOMPARE(splitOf("loss"), Split::Unmarked);
        QCOMPARE(splitOf("validation"), Split::Unmarked); // a single word names no split of a metric
        QCOMPARE(splitOf("interval/loss"), Split::Unmarked);
        QCOMPARE(stripSplit("train/loss"), std::string("loss"));
        QCOMPARE(stripSplit("val_loss"), std::string("loss"));
        QCOMPARE(stripSplit("Loss/test"), std::string("Loss"));
        QCOMPARE(stripSplit("lr"), std::string("lr"));
    }

    void workers() {
        int worker = 0;
        QCOMPARE(foldWorkerTag("loss/worker_12", &worker), std::string("loss"));
        QCOMPARE(worker, 12);
        QCOMPARE(foldWorkerTag("loss/worker_x", &worker), std::string("loss/worker_x"));
        QCOMPARE(worker, -1);
        QCOMPARE(foldWorkerTag("/worker_3", &worker), std::string("/worker_3")); // no base tag
    }

    void directions() {
        QCOMPARE(lowerIsBetter("val_loss"), std::optional<bool>(true));
        QCOMPARE(lowerIsBetter("eval/perplexity"), std::optional<bool>(true));
        QCOMPARE(lowerIsBetter("logloss"), std::optional<bool>(true));
        QCOMPARE(lowerIsBetter("val/accuracy"), std::optional<bool>(false));
        QCOMPARE(lowerIsBetter("roc_auc"), std::optional<bool>(false));
        QCOMPARE(lowerIsBetter("lr"), std::optional<bool>());
        QCOMPARE(lowerIsBetter("epoch"), std::optional<bool>());
        QCOMPARE(lowerIsBetter("gpu/memory"), std::optional<bool>());
        // The calibration and speech words the Sweep tab used to list on its own.
        QCOMPARE(lowerIsBetter("val/ece"), std::optional<bool>(true));
        QCOMPARE(lowerIsBetter("brier_score"), std::optional<bool>(true));
        QCOMPARE(lowerIsBetter("test_cer"), std::optional<bool>(true));
        QCOMPARE(lowerIsBetter("val_wer"), std::optional<bool>(true));
    }

    void systemMetrics() {
        QVERIFY(isSystemMetric("system/gpu0_memory_allocated"));
        QVERIFY(isSystemMetric("GPU_Utilization"));
        QVERIFY(isSystemMetric("sys.cpu"));
        QVERIFY(!isSystemMetric("val/loss"));
        QVERIFY(!isSystemMetric("memorization_score")); // a word, not a part, names memory
    }

    void healthyRunHasNoBadge() {
        // A loss falling steadily over 50 points: no NaN, no rise, and still moving 1% over the last fifth.
        std::map<std::string, SeriesData> run{{"train/loss", series(falling(50, 2.0, 0.5))}};
        QVERIFY(diagnoseRun(run).empty());
    }

    void nanBadgeNamesTheEarliestStep() {
        // NaN from point 30 (step 300) in train/loss and from point 40 (step 400) in val/loss.
        std::vector<double> train = falling(50, 2.0, 0.5), val = falling(50, 2.2, 0.7);
        for (std::size_t i = 30; i < 50; ++i)
            train[i] = NAN;
        for (std::size_t i = 40; i < 50; ++i)
            val[i] = NAN;
        std::map<std::string, SeriesData> run{{"train/loss", series(train)}, {"val/loss", series(val)}};
        const auto badges = diagnoseRun(run);
        QVERIFY(!badges.empty());
        QCOMPARE(badges.front().kind, HealthBadge::Kind::NonFinite); // worst first
        QCOMPARE(badges.front().label, std::string("NaN@300"));
        QCOMPARE(badges.front().tag, std::string("train/loss"));
        QVERIFY(QString::fromStdString(badges.front().detail).contains("val/loss"));
    }

    void divergenceAndOverfitting() {
        // train/loss: 2.0 -> 0.2 over 60 points, keeps falling. val/loss: falls 2.0 -> 0.6 until point 30
        // (step 300), then climbs back to 1.2. The badge judges the validation curve smoothed with EMA 0.8;
        // its minimum lags to point 35 (step 350): pandas Series(val).ewm(alpha=0.2, adjust=True).mean()
        // .idxmin() == 35 (TensorBoard's debiased EMA is pandas' adjusted ewm). The end is far worse while
        // train improved, so overfitting begins at step 350. val/loss also gives back
        // (1.2 - 0.6) / (2.0 - 0.6) = 43% of its progress and rises 0.6 above its minimum: a sustained rise
        // beyond 20% of |min|, so it counts as diverging too.
        std::vector<double> val = falling(31, 2.0, 0.6);
        const std::vector<double> climb = falling(30, 0.62, 1.2);
        val.insert(val.end(), climb.begin(), climb.end());
        std::map<std::string, SeriesData> run{{"train/loss", series(falling(61, 2.0, 0.2))},
                                              {"val/loss", series(val)}};
        const auto badges = diagnoseRun(run);
        const HealthBadge* overfit = find(badges, HealthBadge::Kind::Overfitting);
        QVERIFY(overfit);
        QCOMPARE(overfit->step, std::int64_t(350));
        QCOMPARE(overfit->label, std::string("overfit@350"));
        QVERIFY(find(badges, HealthBadge::Kind::Diverging));
        QCOMPARE(find(badges, HealthBadge::Kind::Diverging)->tag, std::string("val/loss"));
        QVERIFY(!find(badges, HealthBadge::Kind::NonFinite));
    }

    void plateauOfTrainingLoss() {
        // Falls 2.0 -> 0.5 over 30 points, then stays at 0.5 for 30 points: flat over the last fifth.
        std::vector<double> v = falling(30, 2.0, 0.5);
        v.insert(v.end(), 30, 0.5);
        std::map<std::string, SeriesData> run{{"loss", series(v)}};
        const auto badges = diagnoseRun(run);
        QCOMPARE(badges.size(), std::size_t(1));
        QCOMPARE(badges.front().kind, HealthBadge::Kind::Plateau);
        // Also not for an accuracy (a flat accuracy at the end is judged by its direction: not a loss).
        std::map<std::string, SeriesData> accuracy{{"accuracy", series(v)}};
        QVERIFY(!find(diagnoseRun(accuracy), HealthBadge::Kind::Plateau));
    }

    void learningCurveLogsAreNotTrainingCurves() {
        // Scores against training size with a falling validation score would look like divergence of a
        // training curve; a learning-curve log is judged for NaN only.
        std::vector<double> v = falling(30, 0.6, 0.9);
        const std::vector<double> drop = falling(30, 0.9, 0.3);
        v.insert(v.end(), drop.begin(), drop.end());
        std::map<std::string, SeriesData> run{{"learning_curve/validation_score", series(v)}};
        QVERIFY(diagnoseRun(run).empty());
        std::map<std::string, SeriesData> asTraining{{"val/score", series(v)}};
        QVERIFY(find(diagnoseRun(asTraining), HealthBadge::Kind::Diverging));
    }

    void primaryMetricChoice() {
        QCOMPARE(primaryMetric({"lr", "train/loss", "val/loss", "val/accuracy"}), std::string("val/loss"));
        QCOMPARE(primaryMetric({"lr", "loss/worker_0", "accuracy"}), std::string("loss"));
        QCOMPARE(primaryMetric({"accuracy", "epoch"}), std::string("accuracy"));
        QCOMPARE(primaryMetric({"epoch"}), std::string());
    }

    void seedSpread() {
        // Three seeds of lr=0.1 with final loss 0.30, 0.32, 0.34: mean 0.32, sample std
        // sqrt((0.02^2 + 0 + 0.02^2) / 2) = 0.02. A lone lr=0.2 run and a run without a seed get none.
        std::vector<RunOutcome> runs{{"a", {{"lr", "0.1"}, {"seed", "0"}}, 0.30},
                                     {"b", {{"lr", "0.1"}, {"seed", "1"}}, 0.32},
                                     {"c", {{"lr", "0.1"}, {"seed", "2"}}, 0.34},
                                     {"d", {{"lr", "0.2"}, {"seed", "0"}}, 0.5},
                                     {"e", {{"lr", "0.1"}}, 0.9}};
        const auto badges = seedSpreadBadges(runs, "val/loss");
        QCOMPARE(badges.size(), std::size_t(3));
        QVERIFY(badges.count(0) && badges.count(1) && badges.count(2));
        QCOMPARE(badges.at(0).label, std::string("±0.02 (3 seeds)"));
        QVERIFY(QString::fromStdString(badges.at(0).detail).contains("0.3 to 0.34"));
    }
};

QTEST_APPLESS_MAIN(TestRunHealth)
#include "test_run_health.moc"
