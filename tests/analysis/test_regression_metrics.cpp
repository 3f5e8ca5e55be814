// Regression metrics against scikit-learn 1.2, bootstrap intervals against a direct resampling, and
// baselines.
#include "core/analysis/regression_metrics.h"
#include "core/analysis/statistics.h"

#include <cmath>
#include <QtTest>
#include <random>

using namespace runlens;

// BEGIN FROZEN REFERENCES (written by tests/tools/gen_regression_refs.py; do not edit)
namespace ref {
inline constexpr double y[] = {
    8.702979983376693,  6.609709684328731,  12.021530973783939, 6.676556205175421,  16.041746749273432,
    12.772336110103437, 8.922211185749253,  11.711547193825549, 14.834767269677846, 18.501908219748593,
    7.230206004090142,  13.195221193408711, 11.553221887594537, 9.161346894794196,  13.27659454924628,
    11.520322900338737, 13.228722507356991, 8.422302837016272,  9.992525570088388,  11.184883440725438,
    10.0588070691684,   10.049717315645218, 7.6947505058501084, 10.37913816587229,  10.562939194412085,
    9.81607006718056,   9.955756175225938,  12.089381515815045, 8.024190732933192,  12.089568378481594,
    9.53955015522847,   10.168498265543274, 9.42732541567093,   12.697546265563822, 12.281709753887094,
    10.018407399548096, 8.684436955828131,  15.569199269108438, 11.617054518436854, 6.560770621365682,
    9.986856253076128,  9.66299192216568,   12.165684846664329, 9.320212724761403,  7.782018313718039,
    14.014581170894772, 4.022371661531712,  5.757588779399117,  8.431673269051537,  8.456988851427887,
    9.618126252782506,  9.965526862020482,  12.993402543650909, 5.440484268115211,  18.95081247301149,
    11.834149829558612, 7.6807614164352,    8.285647836410217,  8.551299122113793,  3.3054876190718794,
    11.202309307958553};
inline constexpr double p[] = {
    7.436193497225105,  6.196417787006228,  10.777583832960188, 6.1795850090688615, 16.4774478674084,
    11.243588708923571, 11.59749291676682,  10.198331539771708, 14.487458131705246, 18.86347701358871,
    8.562149070178355,  13.911074505688179, 12.000188400896466, 10.289558683306682, 14.218988613846223,
    10.449454964099539, 14.479484018036427, 7.823376149362381,  8.640106999800082,  11.410583444743652,
    9.667005507409758,  10.772945608992648, 8.4909297565993,    9.827246336735437,  11.387495321831304,
    10.073890909618404, 7.861686121354339,  14.753087130173865, 8.359437158790215,  12.201572055136133,
    11.158799374563369, 8.402813282587484,  8.73119922461638,   14.431655560037905, 9.742144204397977,
    9.064065388396836,  11.495280090003543, 16.794085853498345, 10.47199933203829,  6.968135686399955,
    11.430069618755748, 8.80633557875997,   12.525784489798198, 10.177136704068362, 8.180193165005265,
    16.645560411918648, 4.532585483787918,  5.867637408843179,  9.112231915294378,  8.231314629219007,
    8.750559063873872,  9.959902695122818,  12.376433462132146, 8.562476437507408,  22.525453458928922,
    11.629044408318022, 3.8546029080384367, 8.106192200402035,  9.923495585154836,  2.7357829038033197,
    12.603094664514348};
inline constexpr double w[] = {
    2.4168868134738766,  0.9608312556289924, 0.6077292966460026,  0.3566506667704022,  0.3154904339951569,
    0.42206334538009055, 1.346914098709494,  2.970294489030301,   2.0167259850974575,  0.8409743543690111,
    1.6846931113917591,  2.9586828763846187, 0.5722773815247841,  1.1041613166167243,  0.5201900766510477,
    0.6282829386248103,  0.8772335331791574, 0.6922839406225283,  2.743244530489791,   2.059769137306324,
    1.606823936720977,   1.4636392175716832, 1.823454501890179,   0.3247350595402048,  1.450338351047225,
    0.5708477053991712,  2.9860011748113866, 0.23383427172976026, 1.0080782556749652,  1.4807761905766825,
    1.1104516126649475,  1.6967231061515275, 0.2860571459977044,  2.849784644445045,   0.9407250749233753,
    1.6185639699432863,  2.0888581291499673, 2.6494569697801413,  2.9878706592655506,  0.8877322737736644,
    1.082218870218667,   0.946492238794379,  1.6781642857259818,  2.6905613294325246,  2.931604235951531,
    2.307990778853789,   0.630145517763436,  2.5835220540380086,  0.49444177482802615, 1.478338744797621,
    0.7148783925419762,  1.8110994281517354, 1.163440821821363,   0.3726850053519163,  1.6319509773986418,
    0.6567284848400636,  2.4470917964280727, 1.618340182078788,   1.3820874114323947,  0.6617396017404449,
    2.9813749707001507};
inline constexpr double plainMae = 1.095202251499153;
inline constexpr double plainMse = 1.9822687386784041;
inline constexpr double plainRmse = 1.4079306583345659;
inline constexpr double plainR2 = 0.7791412620224626;
inline constexpr double plainMedianAe = 0.8566563434057102;
inline constexpr double plainMape = 0.11320317361513169;
inline constexpr double plainMaxError = 3.826158508396763;
inline constexpr double plainSmape = 0.11229531661920451;
inline constexpr double plainMeanError = 0.19933553813973587;
inline constexpr double weightedMae = 1.1781935463620212;
inline constexpr double weightedMse = 2.21830033073706;
inline constexpr double weightedRmse = 1.4893959617029515;
inline constexpr double weightedR2 = 0.7166546851768045;
inline constexpr double weightedMedianAe = 1.070867936239198;
inline constexpr double weightedMape = 0.1169422968957222;
inline constexpr double weightedMaxError = 3.826158508396763;
inline constexpr double weightedSmape = 0.11947260918311671;
inline constexpr double weightedMeanError = 0.15361523582006248;
inline constexpr double y2[] = {
    -0.4629464355794837,  1.5784851804192135,  -1.2751727416533558, 0.0,
    -1.3202108426638473,  -1.0820942663806157, 2.3088206346634874,  0.0001,
    -0.13611820453248694, -0.4521528583795431, -2.7683951625612564, -0.22104869080032838,
    0.6430695984874676,   -1.3524489357446874, -1.3364882470073962, -0.9038573898288605,
    0.4324496194569882,   -0.9542369289244007, 0.7866881343564337,  0.6494761071360117,
    -1.8622842816693144,  -1.4106458953041248, -0.1172099919878796, -0.954411050520269,
    0.7731303881355803,   1.1691346650747816,  -0.647764795637857,  1.0325627442708454,
    0.7008638948853623,   0.06197937850202582, 1.083306805327939,   -0.3473368880561474,
    0.41139777631004665,  -0.6006826507992734, -0.8682886776379083, 1.627751495504415,
    1.7320560253097448,   0.25062446100191915, 1.1744370454765145,  -0.2665694878088487};
inline constexpr double p2[] = {
    -0.6373169152361946,  1.7730962865333963,  -0.7981641399166504,   0.028706927936836633,
    -1.2494246749205304,  -1.0606885047848507, 2.065366671586485,     -0.5433641167026686,
    -0.08411382795850791, -0.8428878211028554, -2.265576245478705,    -0.1534781966375946,
    0.8421036794443919,   -1.0907640839629344, -1.6421427369416044,   -1.22826072857374,
    0.8653904345705307,   -0.7963853359654703, 0.8310010697547604,    0.8992438578447597,
    -2.473576705735973,   -1.0839680315179874, -0.047465665826923714, -0.8104921393736221,
    1.001180871099322,    1.8017903121362986,  -0.4187055521243655,   1.0300074879437349,
    0.46558677438598434,  0.8678096425861046,  0.5072270325485205,    -0.41485982805333366,
    0.34071002080554713,  -0.8859271062419023, -1.0798056297416463,   1.5539994827509602,
    1.307794695045386,    0.07526461569422008, 1.1853426446078144,    -0.8269792506408682};
inline constexpr double nearZeroMae = 0.26208469241072746;
inline constexpr double nearZeroMse = 0.10915703047848353;
inline constexpr double nearZeroRmse = 0.3303892105963564;
inline constexpr double nearZeroR2 = 0.9077905786877362;
inline constexpr double nearZeroMedianAe = 0.2285548632386166;
inline constexpr double nearZeroMape = 3232112749118.7456;
inline constexpr double nearZeroMaxError = 0.8058302640840788;
inline constexpr double nearZeroSmape = 0.4466157391082194;
inline constexpr double nearZeroMeanError = -0.0017173565251191846;
inline constexpr double constantR2 = 0.0;
inline constexpr double constantExactR2 = 1.0;
} // namespace ref
// END FROZEN REFERENCES

namespace {

template <std::size_t N> std::vector<double> vec(const double (&a)[N]) {
    return std::vector<double>(a, a + N);
}

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
}

#define CHECK_NEAR(a, b)                                                                                     \
    QVERIFY2(near((a), (b)),                                                                                 \
             qPrintable(QString("%1 = %2, expected %3").arg(#a).arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

void checkAgainst(const RegressionMetrics& m, double mae, double mse, double rmse, double r2, double medianAe,
                  double mape, double maxError, double smape, double meanError) {
    CHECK_NEAR(m.mae, mae);
    CHECK_NEAR(m.mse, mse);
    CHECK_NEAR(m.rmse, rmse);
    CHECK_NEAR(m.r2, r2);
    CHECK_NEAR(m.medianAe, medianAe);
    CHECK_NEAR(m.mape, mape);
    CHECK_NEAR(m.maxError, maxError);
    CHECK_NEAR(m.smape, smape);
    CHECK_NEAR(m.meanError, meanError);
}

// A bootstrap written out directly: n draws of stats::IndexSampler(seed) per resample (the documented exact
// scheme), the metric computed from the drawn rows, and numpy's linear percentiles.
template <typename Metric>
stats::Interval directBootstrap(std::size_t n, int resamples, std::uint64_t seed, Metric metric) {
    stats::IndexSampler sampler(seed);
    std::vector<double> values;
    std::vector<std::size_t> rows(n);
    for (int b = 0; b < resamples; ++b) {
        for (auto& r : rows)
            r = sampler(n);
        values.push_back(metric(rows));
    }
    return stats::percentileInterval(values);
}

// Heavy-tailed test data: Student-t(3) errors and lognormal labels, a few of them near 0.
void heavyTailed(std::size_t n, std::vector<double>& y, std::vector<double>& p) {
    std::mt19937_64 gen(7);
    std::student_t_distribution<double> t(3.0);
    std::lognormal_distribution<double> label(1.0, 0.8);
    y.resize(n);
    p.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        y[i] = i % 5000 == 0 ? 1e-3 : label(gen);
        p[i] = y[i] + 0.3 * t(gen) + 0.05;
    }
}

} // namespace

class TestRegressionMetrics : public QObject {
    Q_OBJECT
  private slots:
    void pointMetricsMatchScikitLearn() {
        const auto y = vec(ref::y), p = vec(ref::p), w = vec(ref::w);
        const auto m = regressionMetrics(y, p);
        QCOMPARE(m.n, std::int64_t(61));
        QVERIFY(!m.weighted);
        checkAgainst(m, ref::plainMae, ref::plainMse, ref::plainRmse, ref::plainR2, ref::plainMedianAe,
                     ref::plainMape, ref::plainMaxError, ref::plainSmape, ref::plainMeanError);
        QVERIFY(m.mapeMeaningful);
        QVERIFY(m.mapeNote.empty());
    }

    void weightedMetricsMatchScikitLearn() {
        const auto y = vec(ref::y), p = vec(ref::p), w = vec(ref::w);
        const auto m = regressionMetrics(y, p, w);
        QVERIFY(m.weighted);
        // The weighted median is scikit-learn's _weighted_percentile, not the average of two middle values.
        checkAgainst(m, ref::weightedMae, ref::weightedMse, ref::weightedRmse, ref::weightedR2,
                     ref::weightedMedianAe, ref::weightedMape, ref::weightedMaxError, ref::weightedSmape,
                     ref::weightedMeanError);
    }

    void nearZeroLabelsFlagMape() {
        const auto y = vec(ref::y2), p = vec(ref::p2);
        const auto m = regressionMetrics(y, p);
        // 40 rows: np.median averages the 20th and 21st absolute errors.
        checkAgainst(m, ref::nearZeroMae, ref::nearZeroMse, ref::nearZeroRmse, ref::nearZeroR2,
                     ref::nearZeroMedianAe, ref::nearZeroMape, ref::nearZeroMaxError, ref::nearZeroSmape,
                     ref::nearZeroMeanError);
        QCOMPARE(m.labelsAtZero, std::int64_t(1)); // y2[3] = 0
        QVERIFY(m.labelsNearZero >= 2);            // and y2[7] = 1e-4 is below 1% of mean |y|
        QVERIFY(!m.mapeMeaningful);
        QVERIFY(m.mapeShareFromNearZero > 0.99);
        QVERIFY(m.mapeNote.find("not meaningful") != std::string::npos);
    }

    void mapeDominatedByNearZeroLabels() {
        // Hand-worked: labels {100, 100, 100, 0.5}, predictions off by 1 each. mean |y| = 75.125, so 0.5 is
        // below 1% of it (0.75125). APE = 0.01, 0.01, 0.01, 2; the near-zero row is 2 / 2.03 = 98.5% of the
        // sum.
        const std::vector<double> y{100, 100, 100, 0.5}, p{101, 99, 101, 1.5};
        const auto m = regressionMetrics(y, p);
        QCOMPARE(m.labelsAtZero, std::int64_t(0));
        QCOMPARE(m.labelsNearZero, std::int64_t(1));
        QVERIFY(near(m.mapeShareFromNearZero, 2.0 / 2.03));
        QVERIFY(!m.mapeMeaningful);
        QVERIFY(m.mapeNote.find("dominated") != std::string::npos);
        QVERIFY(near(m.mape, 2.03 / 4));
        // sMAPE: 2*1/201, 2*1/199, 2*1/201, 2*1/2.
        QVERIFY(near(m.smape, (2.0 / 201 + 2.0 / 199 + 2.0 / 201 + 1.0) / 4));
    }

    void constantLabelsR2() {
        const std::vector<double> yc(8, 2.5);
        std::vector<double> pc = yc;
        const double offsets[] = {0.5, -0.25, 0, 0, 1, 0, 0, -1};
        for (std::size_t i = 0; i < 8; ++i)
            pc[i] += offsets[i];
        QCOMPARE(regressionMetrics(yc, pc).r2, ref::constantR2);
        QCOMPARE(regressionMetrics(yc, yc).r2, ref::constantExactR2);
        // One row: scikit-learn warns and returns NaN.
        QVERIFY(std::isnan(regressionMetrics(std::vector<double>{1.0}, std::vector<double>{2.0}).r2));
    }

    void badRowsAreSkippedAndCounted() {
        const double nan = std::nan("");
        const std::vector<double> y{1, 2, nan, 4, 5}, p{1.5, 2, 3, INFINITY, 4}, w{1, 1, 1, 1, -2};
        const auto m = regressionMetrics(y, p);
        QCOMPARE(m.n, std::int64_t(3));
        QCOMPARE(m.skippedRows, std::int64_t(2));
        QVERIFY(near(m.mae, (0.5 + 0 + 1) / 3));
        const auto mw = regressionMetrics(y, p, w); // the negative weight drops row 5 too
        QCOMPARE(mw.n, std::int64_t(2));
        QCOMPARE(mw.skippedRows, std::int64_t(3));
        const auto empty = regressionMetrics({}, {});
        QCOMPARE(empty.n, std::int64_t(0));
        QVERIFY(std::isnan(empty.mae));
    }

    void exactBootstrapEqualsDirectResampling() {
        const auto y = vec(ref::y), p = vec(ref::p);
        BootstrapOptions o;
        o.resamples = 500;
        o.seed = 99;
        const auto r = bootstrapRegressionMetrics(y, p, {}, o);
        QVERIFY(r.exact);
        QCOMPARE(r.resamples, 500);
        QCOMPARE(r.seed, std::uint64_t(99));
        const std::size_t n = y.size();
        auto on = [&](auto f) { return directBootstrap(n, o.resamples, o.seed, f); };
        const auto mae = on([&](const std::vector<std::size_t>& rows) {
            double s = 0;
            for (auto i : rows)
                s += std::abs(p[i] - y[i]);
            return s / double(rows.size());
        });
        const auto r2 = on([&](const std::vector<std::size_t>& rows) {
            std::vector<double> yy, pp;
            for (auto i : rows)
                yy.push_back(y[i]), pp.push_back(p[i]);
            return regressionMetrics(yy, pp).r2;
        });
        const auto med = on([&](const std::vector<std::size_t>& rows) {
            std::vector<double> e;
            for (auto i : rows)
                e.push_back(std::abs(p[i] - y[i]));
            std::sort(e.begin(), e.end());
            return e.size() % 2 ? e[e.size() / 2] : 0.5 * (e[e.size() / 2 - 1] + e[e.size() / 2]);
        });
        const auto mx = on([&](const std::vector<std::size_t>& rows) {
            double m = 0;
            for (auto i : rows)
                m = std::max(m, std::abs(p[i] - y[i]));
            return m;
        });
        QVERIFY(near(r.mae.low, mae.low, 1e-10) && near(r.mae.high, mae.high, 1e-10));
        QVERIFY(near(r.r2.low, r2.low, 1e-9) && near(r.r2.high, r2.high, 1e-9));
        QVERIFY(near(r.medianAe.low, med.low) && near(r.medianAe.high, med.high));
        QVERIFY(near(r.maxError.low, mx.low) && near(r.maxError.high, mx.high));
        for (const auto* m :
             {&r.mae, &r.mse, &r.rmse, &r.r2, &r.medianAe, &r.mape, &r.smape, &r.maxError, &r.meanError})
            QVERIFY(m->low <= m->value && m->value <= m->high);
        // Same seed, same interval; another seed, another one.
        const auto again = bootstrapRegressionMetrics(y, p, {}, o);
        QCOMPARE(again.rmse.low, r.rmse.low);
        o.seed = 100;
        QVERIFY(bootstrapRegressionMetrics(y, p, {}, o).rmse.low != r.rmse.low);
    }

    void weightedBootstrapKeepsWeightsWithRows() {
        const auto y = vec(ref::y), p = vec(ref::p), w = vec(ref::w);
        BootstrapOptions o;
        o.resamples = 300;
        o.seed = 5;
        const auto r = bootstrapRegressionMetrics(y, p, w, o);
        const auto mae =
            directBootstrap(y.size(), o.resamples, o.seed, [&](const std::vector<std::size_t>& rows) {
                double s = 0, sw = 0;
                for (auto i : rows)
                    s += w[i] * std::abs(p[i] - y[i]), sw += w[i];
                return s / sw;
            });
        QVERIFY(near(r.mae.low, mae.low, 1e-10) && near(r.mae.high, mae.high, 1e-10));
        CHECK_NEAR(r.mae.value, ref::weightedMae);
    }

    void fastBootstrapAgreesWithExact() {
        // 30,000 heavy-tailed rows: the fast scheme (extreme rows exact, the bulk's normal limit, median
        // window, exact maximum) must give the same intervals as n draws per resample, up to Monte Carlo
        // noise (each bound moves by ~3% of the interval width between seeds at 1,000 resamples).
        std::vector<double> y, p;
        heavyTailed(30000, y, p);
        BootstrapOptions exact, fast;
        exact.mode = BootstrapMode::Exact;
        fast.mode = BootstrapMode::Fast;
        fast.seed = exact.seed + 1;
        const auto a = bootstrapRegressionMetrics(y, p, {}, exact);
        const auto b = bootstrapRegressionMetrics(y, p, {}, fast);
        QVERIFY(a.exact);
        QVERIFY(!b.exact);
        QVERIFY(b.method.find("extreme rows") != std::string::npos);
        auto agree = [](const MetricInterval& e, const MetricInterval& f, const char* name) {
            const double width = e.high - e.low;
            QVERIFY2(width > 0, name);
            QVERIFY2(std::abs(e.low - f.low) <= 0.12 * width && std::abs(e.high - f.high) <= 0.12 * width,
                     qPrintable(QString("%1: exact [%2, %3], fast [%4, %5]")
                                    .arg(name)
                                    .arg(e.low, 0, 'g', 8)
                                    .arg(e.high, 0, 'g', 8)
                                    .arg(f.low, 0, 'g', 8)
                                    .arg(f.high, 0, 'g', 8)));
        };
        agree(a.mae, b.mae, "mae");
        agree(a.mse, b.mse, "mse");
        agree(a.rmse, b.rmse, "rmse");
        agree(a.r2, b.r2, "r2");
        agree(a.medianAe, b.medianAe, "median_ae");
        agree(a.mape, b.mape, "mape");
        agree(a.smape, b.smape, "smape");
        agree(a.meanError, b.meanError, "mean_error");
        // The maximum's bootstrap takes one of the few largest errors in both schemes.
        std::vector<double> e(y.size());
        for (std::size_t i = 0; i < y.size(); ++i)
            e[i] = std::abs(p[i] - y[i]);
        std::sort(e.begin(), e.end(), std::greater<>());
        QCOMPARE(b.maxError.high, e[0]);
        QVERIFY(b.maxError.low >= e[8] && a.maxError.low >= e[8]);
        // The mean error's interval matches the normal theory one, mean +- 1.96 sd / sqrt(n), to ~5%.
        double s = 0, s2 = 0;
        for (std::size_t i = 0; i < y.size(); ++i)
            s += p[i] - y[i], s2 += (p[i] - y[i]) * (p[i] - y[i]);
        const double n = double(y.size()), sd = std::sqrt(s2 / n - (s / n) * (s / n));
        QVERIFY(std::abs((b.meanError.high - b.meanError.low) / (2 * 1.959964 * sd / std::sqrt(n)) - 1) <
                0.08);
    }

    void fastWeightedMedianAgreesWithExact() {
        std::vector<double> y, p, w(20000);
        heavyTailed(20000, y, p);
        std::mt19937_64 gen(3);
        std::uniform_real_distribution<double> uw(0.5, 2.0);
        for (auto& x : w)
            x = uw(gen);
        BootstrapOptions exact, fast;
        exact.mode = BootstrapMode::Exact;
        exact.resamples = fast.resamples = 500;
        fast.mode = BootstrapMode::Fast;
        const auto a = bootstrapRegressionMetrics(y, p, w, exact);
        const auto b = bootstrapRegressionMetrics(y, p, w, fast);
        const double width = a.medianAe.high - a.medianAe.low;
        QVERIFY(std::abs(a.medianAe.low - b.medianAe.low) <= 0.15 * width);
        QVERIFY(std::abs(a.medianAe.high - b.medianAe.high) <= 0.15 * width);
        QVERIFY(std::abs(a.mae.low - b.mae.low) <= 0.15 * (a.mae.high - a.mae.low));
    }

    void baselinesHandWorked() {
        // Labels {1, 2, 3, 10}: mean 4, median 2.5. Mean baseline: |e| = 3, 2, 1, 6 -> MAE 3, MSE 50/4
        // = 12.5, R^2 0. Median baseline: |e| = 1.5, 0.5, 0.5, 7.5 -> MAE 2.5.
        const std::vector<double> y{1, 2, 3, 10};
        const auto rows = regressionBaselines(y);
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].kind, RegressionBaselineKind::EvaluationMean);
        QCOMPARE(rows[0].constant, 4.0);
        QCOMPARE(rows[0].metrics.mae, 3.0);
        QCOMPARE(rows[0].metrics.mse, 12.5);
        QCOMPARE(rows[0].metrics.r2, 0.0);
        QVERIFY(rows[0].note.find("evaluation") != std::string::npos);
        QCOMPARE(rows[1].kind, RegressionBaselineKind::Median);
        QCOMPARE(rows[1].constant, 2.5);
        QCOMPARE(rows[1].metrics.mae, 2.5);
        // With the training mean 5 from the log: |e| = 4, 3, 2, 5 -> MAE 3.5; R^2 = 1 - 54/50.
        const auto trained = regressionBaselines(y, {}, 5.0);
        QCOMPARE(trained[0].kind, RegressionBaselineKind::TrainingMean);
        QCOMPARE(trained[0].metrics.mae, 3.5);
        QVERIFY(near(trained[0].metrics.r2, 1 - 54.0 / 50.0));
        // A pinned run beside them, and the model's skill over the mean baseline: 1 - 1.5 / 3 = 0.5.
        const auto pinned = pinnedRunBaseline("run-7", y, std::vector<double>{2, 2, 2, 8});
        QCOMPARE(pinned.kind, RegressionBaselineKind::PinnedRun);
        QCOMPARE(pinned.metrics.mae, 1.0); // |e| = 1, 0, 1, 2
        QCOMPARE(skillOver(1.5, rows[0].metrics.mae), 0.5);
        QVERIFY(std::isnan(skillOver(1.0, 0.0)));
    }
};

QTEST_APPLESS_MAIN(TestRegressionMetrics)
#include "test_regression_metrics.moc"
