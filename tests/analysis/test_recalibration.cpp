// Platt, isotonic and temperature scaling against statsmodels, scikit-learn and scipy fits.
#include "core/analysis/multiclass_metrics.h"
#include "core/analysis/recalibration.h"
#include "tests/common/eval_test_util.h"
#include "tests/data/eval/sklearn_refs.h"

#include <QtTest>

using namespace runlens;

class TestRecalibration : public QObject {
    Q_OBJECT
  private slots:
    void plattMatchesGlmWithPlattTargets() {
        // Reference: statsmodels GLM(Binomial) on Platt's targets, tol 1e-14 (see gen_sklearn_refs.py).
        const auto f = testutil::loadBreastCancer();
        const std::size_t half = std::size_t(refs::recalHalf);
        const std::span<const int> labels(f.labels);
        const std::span<const double> scores(f.scores);
        const auto fit = fitPlatt(labels.first(half), scores.first(half));
        QVERIFY(fit.converged);
        RL_COMPARE_NEAR(fit.a, refs::plattA, 1e-8);
        RL_COMPARE_NEAR(fit.b, refs::plattB, 1e-8);
        const auto held = fit.apply(scores.subspan(half));
        QCOMPARE(held.size(), std::size(refs::plattHeldOut));
        for (std::size_t i = 0; i < held.size(); ++i)
            RL_COMPARE_NEAR(held[i], refs::plattHeldOut[i], 1e-9);
        const QByteArray json = QByteArray::fromStdString(fit.toJson());
        QVERIFY(json.startsWith("{\"method\":\"platt\",\"a\":-0.518"));
    }

    void isotonicMatchesSklearn() {
        const auto f = testutil::loadBreastCancer();
        const std::size_t half = std::size_t(refs::recalHalf);
        const std::span<const int> labels(f.labels);
        const std::span<const double> scores(f.scores);
        const auto fit = fitIsotonic(labels.first(half), scores.first(half));
        QCOMPARE(fit.x.size(), std::size(refs::isoX));
        for (std::size_t i = 0; i < fit.x.size(); ++i) {
            QCOMPARE(fit.x[i], refs::isoX[i]);
            RL_COMPARE_NEAR(fit.y[i], refs::isoY[i], 1e-12);
        }
        const auto held = fit.apply(scores.subspan(half));
        for (std::size_t i = 0; i < held.size(); ++i)
            RL_COMPARE_NEAR(held[i], refs::isoHeldOut[i], 1e-12);
        QVERIFY(QByteArray::fromStdString(fit.toJson()).startsWith("{\"method\":\"isotonic\",\"x\":["));
    }

    void isotonicHandWorked() {
        // Scores 0.1..0.4 with labels 0,1,0,1: PAV pools (1, 0) -> 0.5, giving 0, .5, .5, 1.
        // Thresholds keep both ends of the pooled block; outside the range predictions clip.
        const std::vector<double> s{0.1, 0.2, 0.3, 0.4};
        const std::vector<int> y{0, 1, 0, 1};
        const auto fit = fitIsotonic(y, s);
        QCOMPARE(fit.x, (std::vector<double>{0.1, 0.2, 0.3, 0.4}));
        QCOMPARE(fit.y, (std::vector<double>{0.0, 0.5, 0.5, 1.0}));
        QCOMPARE(fit.apply(0.0), 0.0);
        QCOMPARE(fit.apply(0.9), 1.0);
        RL_COMPARE_NEAR(fit.apply(0.15), 0.25, 1e-15);
        // Tied scores are averaged before pooling: (0.5 -> labels 0, 1) becomes one point at 0.5.
        const auto tied = fitIsotonic(std::vector<int>{0, 1, 1}, std::vector<double>{0.5, 0.5, 0.9});
        QCOMPARE(tied.x, (std::vector<double>{0.5, 0.9}));
        QCOMPARE(tied.y, (std::vector<double>{0.5, 1.0}));
    }

    void temperatureMatchesScipy() {
        // Reference: scipy minimize_scalar(bounded, xatol 1e-12) of the NLL over log T.
        const auto f = testutil::loadIris();
        const std::size_t half = std::size_t(refs::tempHalf);
        const std::span<const int> labels(f.labels);
        const std::span<const double> probs(f.probs);
        const auto fit = fitTemperature(labels.first(half), probs.first(half * f.k), f.k);
        RL_COMPARE_NEAR(fit.temperature, refs::temperature, 1e-7);
        const auto held = fit.apply(probs.subspan(half * f.k), f.k);
        for (std::size_t c = 0; c < f.k; ++c)
            RL_COMPARE_NEAR(held[c], refs::tempHeldOutFirstRow[c], 1e-7);
        // The fitted temperature cannot do worse on its own split than T = 1.
        const auto before = multiclassMetrics(labels.first(half), probs.first(half * f.k), f.k).logLoss;
        const auto after =
            multiclassMetrics(labels.first(half), fit.apply(probs.first(half * f.k), f.k), f.k).logLoss;
        QVERIFY(after <= before);
        QVERIFY(QByteArray::fromStdString(fit.toJson())
                    .startsWith("{\"method\":\"temperature\",\"temperature\":0.39"));
    }

    void crossFittingIsRepeatable() {
        const auto f = testutil::loadBreastCancer();
        const auto a = crossFittedScores(f.labels, f.scores, RecalibrationMethod::Platt, 5, 42);
        const auto b = crossFittedScores(f.labels, f.scores, RecalibrationMethod::Platt, 5, 42);
        QCOMPARE(a, b);
        for (double v : a)
            QVERIFY(v >= 0.0 && v <= 1.0);
        const auto folds = foldAssignment(f.labels.size(), 5, 42);
        for (int k = 0; k < 5; ++k) {
            const auto size = std::count(folds.begin(), folds.end(), k);
            QVERIFY(size == 57); // 285 rows in 5 folds of 57
        }
        const auto iso = crossFittedScores(f.labels, f.scores, RecalibrationMethod::Isotonic, 3, 1);
        QCOMPARE(iso.size(), f.scores.size());
        for (double v : iso)
            QVERIFY(v >= 0.0 && v <= 1.0);
    }

    void holdOutSplitIsCoresSeededShuffle() {
        // tests/tools/gen_holdout_split_refs.py (its own MT19937-64, checked against the C++ standard's
        // 10000th output): Fisher-Yates of 10 rows with seed 7 gives 0 7 4 9 3 1 2 8 6 5, so a 50% split fits
        // on 0 7 4 9 3 and holds out 1 2 8 6 5.
        const auto split = holdOutSplit(10, 0.5, 7);
        QCOMPARE(split.fit, (std::vector<std::size_t>{0, 7, 4, 9, 3}));
        QCOMPARE(split.held, (std::vector<std::size_t>{1, 2, 8, 6, 5}));
        // The k-fold split uses the same shuffle: with one fold per row, row order[pos] is in fold pos.
        const auto folds = foldAssignment(10, 10, 7);
        const std::size_t order[] = {0, 7, 4, 9, 3, 1, 2, 8, 6, 5};
        for (int pos = 0; pos < 10; ++pos)
            QCOMPARE(folds[order[pos]], pos);
        // At least one row on each side; nothing to split below two rows.
        QCOMPARE(holdOutSplit(10, 0.0, 7).fit.size(), std::size_t(1));
        QCOMPARE(holdOutSplit(10, 1.0, 7).held.size(), std::size_t(1));
        QVERIFY(holdOutSplit(1, 0.5, 7).fit.empty());
    }

    void holdOutPreviewMatchesSklearnIsotonic() {
        // The same script fits sklearn 1.2.1's IsotonicRegression(out_of_bounds='clip') on rows 0 7 4 9 3 of
        // these scores and labels, and predicts held rows 1 2 8 6 5:
        //   [0.16666666666666666, 0.33333333333333337, 1.0, 0.8333333333333334, 0.6666666666666667]
        const std::vector<double> scores{0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95};
        const std::vector<int> labels{0, 0, 1, 1, 0, 0, 1, 1, 0, 1};
        RecalibrationPreviewOptions options;
        options.method = RecalibrationMethod::Isotonic;
        options.seed = 7;
        const auto preview = previewRecalibration(labels, scores, 0, options);
        QCOMPARE(preview.fitted, std::size_t(5));
        QCOMPARE(preview.labels, (std::vector<int>{0, 1, 0, 1, 0}));
        QCOMPARE(preview.before, (std::vector<double>{0.15, 0.25, 0.85, 0.65, 0.55}));
        const double expected[] = {0.16666666666666666, 0.33333333333333337, 1.0, 0.8333333333333334,
                                   0.6666666666666667};
        QCOMPARE(preview.after.size(), std::size(expected));
        for (std::size_t i = 0; i < preview.after.size(); ++i)
            RL_COMPARE_NEAR(preview.after[i], expected[i], 1e-12);
        QVERIFY(QByteArray::fromStdString(preview.mappingJson).startsWith("{\"method\":\"isotonic\""));
    }

    void crossFittedPreviewShowsEveryRowOutOfFold() {
        // Cross-fitted, every row is shown, mapped as crossFittedScores maps it, and the exported mapping is
        // the fit on all rows (Platt on the whole breast-cancer half matches fitPlatt's own JSON).
        const auto f = testutil::loadBreastCancer();
        RecalibrationPreviewOptions options;
        options.crossFit = true;
        options.folds = 5;
        options.seed = 42;
        const auto preview = previewRecalibration(f.labels, f.scores, 0, options);
        QCOMPARE(preview.fitted, f.scores.size());
        QCOMPARE(preview.after, crossFittedScores(f.labels, f.scores, RecalibrationMethod::Platt, 5, 42));
        QCOMPARE(preview.mappingJson, fitPlatt(f.labels, f.scores).toJson());
    }

    void multiclassValuesAreTemperatureScaled() {
        // Whatever the method, class probabilities get temperature scaling: the held-out rows are mapped by
        // the temperature fitted on the other rows (scipy reference in temperatureMatchesScipy).
        const auto f = testutil::loadIris();
        RecalibrationPreviewOptions options;
        options.method = RecalibrationMethod::Isotonic;
        options.seed = 3;
        const auto preview = previewRecalibration(f.labels, f.probs, f.k, options);
        QCOMPARE(preview.after.size(), preview.labels.size() * f.k);
        QVERIFY(QByteArray::fromStdString(preview.mappingJson).startsWith("{\"method\":\"temperature\""));
        for (std::size_t r = 0; r < preview.labels.size(); ++r) {
            double sum = 0;
            for (std::size_t c = 0; c < f.k; ++c)
                sum += preview.after[r * f.k + c];
            RL_COMPARE_NEAR(sum, 1.0, 1e-12);
        }
    }

    void degenerateInputs() {
        const auto p = fitPlatt(std::vector<int>{}, std::vector<double>{});
        QCOMPARE(p.a, 0.0);
        const auto same = fitPlatt(std::vector<int>{0, 1, 0, 1}, std::vector<double>{0.5, 0.5, 0.5, 0.5});
        QVERIFY(std::isfinite(same.a) && std::isfinite(same.b));
        // All-equal scores: the fit is the Platt-target mean, here (3/4 + 1/4) / 2 = 0.5.
        RL_COMPARE_NEAR(same.apply(0.5), 0.5, 1e-9);
        QVERIFY(std::isnan(IsotonicFit{}.apply(0.3)));
    }
};

QTEST_APPLESS_MAIN(TestRecalibration)
#include "test_recalibration.moc"
