// Regression slices against pandas groupby + numpy metrics, the Simpson verdicts on a hand-worked case and
// on identical rows, and the absolute-error slice finder against scipy's Welch test.
// BEGIN FROZEN REFERENCES (written by tests/tools/gen_regression_slices_refs.py; do not edit)
namespace ref {
// 1. slices_a/slices_b by region (pandas groupby, sorted by region): n, MAE, MSE, RMSE, R^2, bias,
//    median AE per slice of A then B; then the overall row.
inline constexpr int regionNA[] = {122, 124, 54};
inline constexpr double regionMaeA[] = {0.815121215826652, 0.820913091914853, 2.754778833195718};
inline constexpr double regionMseA[] = {1.0319464881376097, 1.0705050693681146, 10.97396206791676};
inline constexpr double regionRmseA[] = {1.0158476697505436, 1.0346521489699398, 3.312697098727374};
inline constexpr double regionR2A[] = {0.9095072106918604, 0.9076411791079106, 0.25598783659160707};
inline constexpr double regionBiasA[] = {0.03471053782498004, -0.1060851583818364, -0.0862767005213248};
inline constexpr double regionMedaeA[] = {0.7010911027284772, 0.6849142092174407, 2.68453448324496};
inline constexpr double overallMaeA = 1.1666535624028735;
inline constexpr double overallMseA = 2.837446839406465;
inline constexpr double overallRmseA = 1.6844722732673474;
inline constexpr double overallR2A = 0.7669040438552012;
inline constexpr double overallBiasA = -0.04526271950950562;
inline constexpr double overallMedaeA = 0.7723917379778475;
inline constexpr int regionNB[] = {122, 124, 54};
inline constexpr double regionMaeB[] = {1.1362434712707616, 1.3325389057135928, 1.638833981174881};
inline constexpr double regionMseB[] = {2.0776181219895222, 2.7309115923572542, 3.9909124084467997};
inline constexpr double regionRmseB[] = {1.4413945060216937, 1.6525470015576726, 1.9977268102638057};
inline constexpr double regionR2B[] = {0.8178108447122312, 0.7643880614413774, 0.7294243085035943};
inline constexpr double regionBiasB[] = {-0.08141554103365183, -0.03217150282117595, 0.06805071052359893};
inline constexpr double regionMedaeB[] = {0.86870733147305, 1.088727451759314, 1.5090216886688053};
inline constexpr double overallMaeB = 1.3078452092898734;
inline constexpr double overallMseB = 2.692039061303828;
inline constexpr double overallRmseB = 1.6407434477406357;
inline constexpr double overallR2B = 0.7788492773647794;
inline constexpr double overallBiasB = -0.03415741329218999;
inline constexpr double overallMedaeB = 1.0493386902876436;
// 2. slices_a by size (4 pooled quantile buckets, in order of the label text): n and MAE of A, the edges.
inline constexpr double sizeEdges[] = {1.185, 24.3965, 47.9615, 75.15299999999999, 99.79};
inline constexpr int sizeN[] = {75, 75, 75, 75};
inline constexpr double sizeMae[] = {1.1678045908440746, 1.0193716663623305, 1.2173077471098133,
                                     1.2621302452952756};
// 4. planted.csv: slices evaluated; scipy ttest_ind(equal_var=False, alternative='greater') of the
//    planted slice (color=red, shape=square) and of color=red against the rest; BH q of the planted one.
inline constexpr long long plantedEvaluated = 19;
inline constexpr double redP = 3.819443968381475e-17;
inline constexpr double redT = 8.593525457316641;
inline constexpr double plantedP = 2.8358076608957957e-25;
inline constexpr double plantedT = 12.231385474528548;
inline constexpr double plantedQ = 5.388034555702012e-24;
inline constexpr long long plantedN = 164;
// 5. noise.csv: slices evaluated and the smallest BH q over them (no slice is real).
inline constexpr long long noiseEvaluated = 19;
inline constexpr double noiseMinQ = 0.7669682776194561;
} // namespace ref
// END FROZEN REFERENCES

#include "core/analysis/regression_slices.h"
#include "core/analysis/slice_finder.h"
#include "core/io/regression_log.h"
#include "tests/common/eval_test_util.h"

#include <QtTest>

using namespace runlens;

namespace {

struct Fixture {
    PredictionTable table;
    RegressionLog log;
};

Fixture load(const char* name) {
    PredictionRoles roles;
    roles.label = "label";
    roles.prediction = "prediction";
    roles.id = "id";
    ReadReport report;
    auto table = PredictionLogReader(roles).readTable(
        std::string(RUNLENS_TEST_DATA "/regression_slices/") + name, report);
    if (!table) qFatal("cannot read %s", name);
    Fixture f;
    f.table = std::move(*table);
    std::string error;
    auto log = regressionLogFrom(f.table, error);
    if (!log) qFatal("%s: %s", name, error.c_str());
    f.log = std::move(*log);
    return f;
}

RegressionCohort cohortOf(const std::string& name, const Fixture& f) {
    return {name, &f.table, {}, f.log.labels, f.log.predictions, {}};
}

const RegressionSimpson& simpsonOf(const RegressionSliceReport& r, const std::string& metric) {
    for (const auto& s : r.simpson)
        if (s.metric == metric) return s;
    qFatal("no %s verdict", metric.c_str());
}

} // namespace

class TestRegressionSlices : public QObject {
    Q_OBJECT
  private slots:
    void perSliceMetricsMatchPandas() {
        const auto a = load("slices_a.csv");
        const auto b = load("slices_b.csv");
        RegressionSliceOptions options;
        options.by = {"region"};
        std::string error;
        const auto r = regressionSlices({cohortOf("A", a), cohortOf("B", b)}, options, &error);
        QVERIFY2(r, error.c_str());
        QCOMPARE(r->slices.size(), std::size_t(3));
        const std::vector<std::string> regions{"north", "south",
                                               "west"}; // the map orders keys as pandas sorts
        struct Expected {
            const int* n;
            const double *mae, *mse, *rmse, *r2, *bias, *medae;
        };
        const Expected expected[] = {{ref::regionNA, ref::regionMaeA, ref::regionMseA, ref::regionRmseA,
                                      ref::regionR2A, ref::regionBiasA, ref::regionMedaeA},
                                     {ref::regionNB, ref::regionMaeB, ref::regionMseB, ref::regionRmseB,
                                      ref::regionR2B, ref::regionBiasB, ref::regionMedaeB}};
        for (std::size_t s = 0; s < 3; ++s) {
            QCOMPARE(r->slices[s].key.front().second, regions[s]);
            for (std::size_t c = 0; c < 2; ++c) {
                const auto& cell = r->slices[s].cohorts[c];
                const auto& p = cell.metrics.point;
                QCOMPARE(cell.n, std::int64_t(expected[c].n[s]));
                RL_COMPARE_NEAR(cell.share, double(expected[c].n[s]) / 300.0, 1e-12);
                RL_COMPARE_NEAR(p.mae, expected[c].mae[s], 1e-9);
                RL_COMPARE_NEAR(p.mse, expected[c].mse[s], 1e-9);
                RL_COMPARE_NEAR(p.rmse, expected[c].rmse[s], 1e-9);
                RL_COMPARE_NEAR(p.r2, expected[c].r2[s], 1e-9);
                RL_COMPARE_NEAR(p.meanError, expected[c].bias[s], 1e-9);
                RL_COMPARE_NEAR(p.medianAe, expected[c].medae[s], 1e-9);
            }
        }
        const auto& oa = r->overall[0].metrics.point;
        const auto& ob = r->overall[1].metrics.point;
        RL_COMPARE_NEAR(oa.mae, ref::overallMaeA, 1e-9);
        RL_COMPARE_NEAR(oa.mse, ref::overallMseA, 1e-9);
        RL_COMPARE_NEAR(oa.rmse, ref::overallRmseA, 1e-9);
        RL_COMPARE_NEAR(oa.r2, ref::overallR2A, 1e-9);
        RL_COMPARE_NEAR(oa.meanError, ref::overallBiasA, 1e-9);
        RL_COMPARE_NEAR(oa.medianAe, ref::overallMedaeA, 1e-9);
        RL_COMPARE_NEAR(ob.mae, ref::overallMaeB, 1e-9);
        RL_COMPARE_NEAR(ob.rmse, ref::overallRmseB, 1e-9);
        RL_COMPARE_NEAR(ob.r2, ref::overallR2B, 1e-9);
        RL_COMPARE_NEAR(ob.medianAe, ref::overallMedaeB, 1e-9);
        // Deltas are B - A of the same numbers.
        const auto& mae = simpsonOf(*r, "mae");
        RL_COMPARE_NEAR(mae.overallDelta, ref::overallMaeB - ref::overallMaeA, 1e-9);
        for (std::size_t s = 0; s < 3; ++s)
            RL_COMPARE_NEAR(mae.sliceDelta[s], ref::regionMaeB[s] - ref::regionMaeA[s], 1e-9);
    }

    void bootstrapIntervalsAreSeededAndHoldThePoint() {
        // The intervals come from bootstrap_sums' own generator, which numpy does not reproduce: checked for
        // holding the point estimate and for being the same under the same seed, not for equality with numpy.
        const auto a = load("slices_a.csv");
        RegressionSliceOptions options;
        options.by = {"region"};
        const auto r1 = regressionSlices({cohortOf("A", a)}, options, nullptr);
        const auto r2 = regressionSlices({cohortOf("A", a)}, options, nullptr);
        options.bootstrap.seed = 7;
        const auto r3 = regressionSlices({cohortOf("A", a)}, options, nullptr);
        QVERIFY(r1 && r2 && r3);
        QVERIFY(r1->simpson.empty()); // one cohort: nothing to compare
        bool differs = false;
        for (std::size_t s = 0; s < r1->slices.size(); ++s) {
            const auto& m = r1->slices[s].cohorts[0].metrics;
            for (const auto* i : {&m.mae, &m.mse, &m.rmse, &m.r2, &m.meanError, &m.medianAe}) {
                QVERIFY(i->low <= i->value && i->value <= i->high);
                QVERIFY(i->low < i->high);
            }
            QCOMPARE(r2->slices[s].cohorts[0].metrics.mae.low, m.mae.low);
            QCOMPARE(r2->slices[s].cohorts[0].metrics.medianAe.high, m.medianAe.high);
            differs = differs || r3->slices[s].cohorts[0].metrics.mae.low != m.mae.low;
        }
        QVERIFY(differs);
    }

    void numericFeaturesUsePooledQuantileBuckets() {
        const auto a = load("slices_a.csv");
        const auto b = load("slices_b.csv");
        RegressionSliceOptions options;
        options.by = {"size"};
        const auto r = regressionSlices({cohortOf("A", a), cohortOf("B", b)}, options, nullptr);
        QVERIFY(r);
        QCOMPARE(r->slices.size(), std::size_t(4));
        for (std::size_t s = 0; s < 4; ++s) {
            char label[96];
            std::snprintf(label, sizeof label, "[%g, %g%s", ref::sizeEdges[s], ref::sizeEdges[s + 1],
                          s == 3 ? "]" : ")");
            QCOMPARE(r->slices[s].key.front().second, std::string(label));
            QCOMPARE(r->slices[s].cohorts[0].n, std::int64_t(ref::sizeN[s]));
            RL_COMPARE_NEAR(r->slices[s].cohorts[0].metrics.point.mae, ref::sizeMae[s], 1e-9);
        }
    }

    void constructedSimpsonCaseIsComplete() {
        // simpson_a.csv / simpson_b.csv (gen_regression_slices_refs.py writes them): every |error| is fixed.
        //   A: 20 easy with |e| = 1, 80 hard with |e| = 3     B: 80 easy with |e| = 1.25, 20 hard with |e|
        //   = 3.5 MAE  A: easy 1 < B 1.25, hard 3 < B 3.5, yet overall A (20*1 + 80*3)/100 = 2.6
        //        > B (80*1.25 + 20*3.5)/100 = 1.7: B wins overall and loses every slice -> complete.
        //   MSE  A: easy 1 < 1.5625, hard 9 < 12.25; overall A (20 + 720)/100 = 7.4 > B (125 + 245)/100
        //   = 3.7. Pooled mix (100 easy, 100 hard of 200): standardised MAE A (1 + 3)/2 = 2 < B (1.25
        //   + 3.5)/2 = 2.375, so the mix explains the overall difference.
        const auto a = load("simpson_a.csv");
        const auto b = load("simpson_b.csv");
        RegressionSliceOptions options;
        options.by = {"difficulty"};
        const auto r = regressionSlices({cohortOf("A", a), cohortOf("B", b)}, options, nullptr);
        QVERIFY(r);
        QVERIFY(!r->identicalExamples);
        const auto& mae = simpsonOf(*r, "mae");
        RL_COMPARE_NEAR(mae.overallDelta, 1.7 - 2.6, 1e-12);
        RL_COMPARE_NEAR(mae.sliceDelta[0], 0.25, 1e-12);
        RL_COMPARE_NEAR(mae.sliceDelta[1], 0.5, 1e-12);
        QCOMPARE(mae.verdict.reversal, Reversal::Complete);
        QCOMPARE(mae.verdict.overallWinner, std::string("B"));
        RL_COMPARE_NEAR(mae.verdict.standardized.at("A"), 2.0, 1e-12);
        RL_COMPARE_NEAR(mae.verdict.standardized.at("B"), 2.375, 1e-12);
        QCOMPARE(mae.verdict.standardizedWinner, std::string("A"));
        QVERIFY(mae.verdict.mixExplains);
        RL_COMPARE_NEAR(mae.verdict.mix.at("A").at("hard"), 0.8, 1e-12);
        QVERIFY(!mae.verdict.explanation.empty());
        const auto& mse = simpsonOf(*r, "mse");
        RL_COMPARE_NEAR(mse.overallDelta, 3.7 - 7.4, 1e-12);
        QCOMPARE(mse.verdict.reversal, Reversal::Complete);
        QVERIFY(r->nonDecomposableNote.find("RMSE") != std::string::npos);
    }

    void identicalRowsCannotReverseCompletely() {
        // Two regressors scored on the same rows of one table: a complete reversal of a mean is impossible.
        // slices_a's labels with A's predictions and with B's (taken from slices_b by id).
        const auto a = load("slices_a.csv");
        const auto b = load("slices_b.csv");
        const auto aligned = alignRegressionLogs(a.log, b.log);
        QCOMPARE(aligned.matched, std::int64_t(300));
        // aligned.predictionsB is in A's row order (every id matched), so it indexes a's table rows.
        RegressionCohort first = cohortOf("A", a);
        RegressionCohort second{"B", &a.table, {}, a.log.labels, aligned.predictionsB, {}};
        RegressionSliceOptions options;
        options.by = {"region"};
        const auto r = regressionSlices({first, second}, options, nullptr);
        QVERIFY(r);
        QVERIFY(r->identicalExamples && r->sameStrata);
        // MAE: A wins overall (1.167 < 1.308) and B wins only west, one slice of three: impossible.
        const auto& mae = simpsonOf(*r, "mae");
        QCOMPARE(mae.verdict.overallWinner, std::string("A"));
        QCOMPARE(mae.verdict.reversal, Reversal::Impossible);
        // MSE: B wins overall (2.692 < 2.837) while A wins north and south, a strict majority: a partial
        // reversal, which identical examples do not rule out (DESIGN §4), and is reported as such.
        const auto& mse = simpsonOf(*r, "mse");
        QCOMPARE(mse.verdict.overallWinner, std::string("B"));
        QCOMPARE(mse.verdict.reversal, Reversal::Partial);
        // The same files by id are the same examples too.
        const auto files = regressionSlices({cohortOf("A", a), cohortOf("B", b)}, options, nullptr);
        QVERIFY(files && files->identicalExamples);
        QCOMPARE(simpsonOf(*files, "mae").verdict.reversal, Reversal::Impossible);
    }

    void badInputIsRefused() {
        const auto a = load("slices_a.csv");
        RegressionSliceOptions options;
        options.by = {"colour"};
        std::string error;
        QVERIFY(!regressionSlices({cohortOf("A", a)}, options, &error));
        QVERIFY(error.find("colour") != std::string::npos);
        options.by = {};
        QVERIFY(!regressionSlices({cohortOf("A", a)}, options, &error));
    }

    void finderFindsThePlantedSliceWithScipysWelchP() {
        const auto f = load("planted.csv");
        std::vector<double> loss(f.log.rows());
        for (std::size_t r = 0; r < loss.size(); ++r)
            loss[r] = std::abs(f.log.labels[r] - f.log.predictions[r]);
        SliceFinderOptions options;
        options.features = {"color", "shape"};
        options.maxLevel = 2;
        const auto found = findLossSlices(f.table, loss, {}, options);
        QCOMPARE(found.slicesEvaluated, ref::plantedEvaluated);
        QVERIFY(!found.slices.empty());
        bool planted = false, red = false;
        for (const auto& s : found.slices) {
            const std::vector<std::pair<std::string, std::string>> plantedKey{{"color", "red"},
                                                                              {"shape", "square"}};
            if (s.key == plantedKey) {
                planted = true;
                QCOMPARE(s.n, ref::plantedN);
                RL_COMPARE_NEAR(s.t, ref::plantedT, 1e-9 * ref::plantedT);
                QVERIFY(std::abs(s.pValue - ref::plantedP) <= 1e-6 * ref::plantedP);
                QVERIFY(std::abs(s.qValue - ref::plantedQ) <= 1e-6 * ref::plantedQ);
                QVERIFY(s.qValue < 0.05);
                QVERIFY(s.effectSize > 0.5);
                QVERIFY(s.meanLoss > s.restMeanLoss);
            }
            if (s.key == std::vector<std::pair<std::string, std::string>>{{"color", "red"}}) {
                red = true;
                RL_COMPARE_NEAR(s.t, ref::redT, 1e-9 * ref::redT);
                QVERIFY(std::abs(s.pValue - ref::redP) <= 1e-6 * ref::redP);
            }
        }
        QVERIFY(planted && red);
        // SliceLine's score charges small slices (N/n - 1), so the planted cross (164 of 2,000 rows) ranks
        // below the larger slices that contain it; it has the highest mean loss of all.
        const auto highest =
            std::max_element(found.slices.begin(), found.slices.end(),
                             [](const auto& x, const auto& y) { return x.meanLoss < y.meanLoss; });
        QCOMPARE(highest->n, ref::plantedN);
    }

    void finderFlagsNothingInPureNoise() {
        const auto f = load("noise.csv");
        std::vector<double> loss(f.log.rows());
        for (std::size_t r = 0; r < loss.size(); ++r)
            loss[r] = std::abs(f.log.labels[r] - f.log.predictions[r]);
        SliceFinderOptions options;
        options.features = {"color", "shape"};
        options.maxLevel = 2;
        const auto found = findLossSlices(f.table, loss, {}, options);
        QCOMPARE(found.slicesEvaluated, ref::noiseEvaluated);
        double minQ = 1;
        for (const auto& s : found.slices) {
            QVERIFY(s.qValue >= 0.05);
            minQ = std::min(minQ, s.qValue);
        }
        // scipy + BH over the same slices: no q below 0.05 either (the smallest is frozen).
        QVERIFY(ref::noiseMinQ >= 0.05);
        QVERIFY(minQ >= ref::noiseMinQ - 1e-9);
    }

    void binaryFinderStillCountsErrors() {
        // The shared enumeration: findSlices over 0/1 errors on planted.csv (error = |e| > 2), counts by hand
        // are n and errors of each slice, which the loss finder's mean loss must equal as a rate.
        const auto f = load("planted.csv");
        std::vector<std::uint8_t> errors(f.log.rows());
        std::vector<double> loss(f.log.rows());
        for (std::size_t r = 0; r < errors.size(); ++r) {
            errors[r] = std::abs(f.log.labels[r] - f.log.predictions[r]) > 2 ? 1 : 0;
            loss[r] = errors[r];
        }
        SliceFinderOptions options;
        options.features = {"color", "shape"};
        options.maxLevel = 2;
        options.topK = 100;
        const auto binary = findSlices(f.table, errors, {}, options);
        const auto continuous = findLossSlices(f.table, loss, {}, options);
        QCOMPARE(binary.slicesEvaluated, continuous.slicesEvaluated);
        QVERIFY(!binary.slices.empty());
        for (const auto& s : binary.slices) {
            std::int64_t n = 0, e = 0;
            for (std::size_t r = 0; r < errors.size(); ++r) {
                bool in = true;
                for (const auto& [feature, value] : s.key) {
                    const auto* column = f.table.column(feature);
                    in = in && column->dictionary[std::size_t(column->codes[r])] == value;
                }
                n += in;
                e += in && errors[r];
            }
            QCOMPARE(s.n, n);
            QCOMPARE(s.errors, e);
        }
    }
};

QTEST_APPLESS_MAIN(TestRegressionSlices)
#include "test_regression_slices.moc"
