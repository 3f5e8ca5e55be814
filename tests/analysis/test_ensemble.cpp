// Tests the ensemble what-if core against numpy's corrcoef and scikit-learn 1.2's metrics, frozen below.
#include "core/analysis/ensemble.h"

#include <cmath>
#include <QtTest>
#include <vector>

using namespace runlens;

namespace {

// Produced by /usr/bin/python3 (numpy, scikit-learn 1.2): numpy.random.default_rng(7), n = 40 labels, three
// members z = 1.2(2y-1) + 0.8*shared + N(0,1), scores = round(sigmoid(z), 3). The script: error correlation =
// np.corrcoef(((S >= 0.5) != y)), residual correlation = np.corrcoef(y - S), average = S.mean(0), vote = at
// least two of three members at >= 0.5, vote share = votes / 3; metrics with accuracy_score, precision_score,
// recall_score, f1_score, log_loss, brier_score_loss, roc_auc_score, average_precision_score.
const std::vector<int> kLabels{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                               1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
const std::vector<std::vector<double>> kScores{
    {0.482, 0.634, 0.578, 0.557, 0.678, 0.701, 0.521, 0.381, 0.072, 0.130, 0.145, 0.236, 0.489, 0.125,
     0.712, 0.776, 0.175, 0.823, 0.128, 0.558, 0.703, 0.190, 0.139, 0.221, 0.890, 0.028, 0.867, 0.175,
     0.367, 0.969, 0.856, 0.713, 0.715, 0.938, 0.740, 0.911, 0.464, 0.889, 0.150, 0.202},
    {0.359, 0.528, 0.587, 0.975, 0.621, 0.605, 0.353, 0.243, 0.195, 0.212, 0.152, 0.792, 0.351, 0.127,
     0.422, 0.377, 0.276, 0.741, 0.333, 0.250, 0.799, 0.149, 0.091, 0.042, 0.761, 0.112, 0.440, 0.436,
     0.030, 0.972, 0.724, 0.735, 0.801, 0.531, 0.909, 0.960, 0.747, 0.812, 0.448, 0.422},
    {0.695, 0.615, 0.534, 0.651, 0.668, 0.443, 0.609, 0.144, 0.432, 0.250, 0.042, 0.620, 0.464, 0.137,
     0.326, 0.563, 0.069, 0.750, 0.497, 0.123, 0.558, 0.308, 0.316, 0.070, 0.889, 0.044, 0.532, 0.409,
     0.150, 0.946, 0.742, 0.667, 0.673, 0.820, 0.485, 0.630, 0.923, 0.773, 0.560, 0.652}};

// accuracy, precision, recall, f1, log loss, brier, roc auc, average precision
using Expected = std::vector<double>;
const Expected kAverage{0.925,
                        1.0,
                        0.875,
                        0.9333333333333333,
                        0.36377476974969625,
                        0.10288769722222221,
                        0.9947916666666666,
                        0.9965972222222222};
const Expected kVote{0.925,
                     1.0,
                     0.875,
                     0.9333333333333333,
                     1.0573882261883756,
                     0.07500000000000002,
                     0.9674479166666667,
                     0.9737179487179487};
const std::vector<Expected> kMembers{{0.825, 0.9047619047619048, 0.7916666666666666, 0.8444444444444444,
                                      0.3890819361196294, 0.12016520000000001, 0.9375, 0.9545011122694245},
                                     {0.85, 1.0, 0.75, 0.8571428571428571, 0.3835556704906907,
                                      0.11873465000000001, 0.9596354166666666, 0.9728362287873156},
                                     {0.9, 0.9545454545454546, 0.875, 0.9130434782608695, 0.38057895576382517,
                                      0.11335812500000002, 0.9765625, 0.9840279165279164}};
const double kErrCorr[3][3] = {{1.0, 0.35931349533480894, 0.06579516949597672},
                               {0.3593134953348089, 1.0, 0.0933520056018674},
                               {0.0657951694959767, 0.09335200560186742, 1.0}};
const double kResCorr[3][3] = {{1.0, 0.7828711215548615, 0.7537372885824587},
                               {0.7828711215548615, 1.0, 0.8506928607530512},
                               {0.7537372885824587, 0.8506928607530512, 1.0}};

bool near(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

void compareMetrics(const BinaryMetrics& m, const Expected& e, const char* what) {
    const double got[] = {m.accuracy, m.precision, m.recall, m.f1,
                          m.logLoss,  m.brier,     m.rocAuc, m.averagePrecision};
    for (std::size_t i = 0; i < e.size(); ++i) {
        QVERIFY2(near(got[i], e[i]), qPrintable(QString("%1 metric %2: got %3, expected %4")
                                                    .arg(what)
                                                    .arg(i)
                                                    .arg(got[i], 0, 'g', 17)
                                                    .arg(e[i], 0, 'g', 17)));
    }
}

} // namespace

class TestEnsemble : public QObject {
    Q_OBJECT
  private slots:
    void correlationsMatchNumpy();
    void metricsMatchSklearn();
    void tieGoesToAverage();
    void constantErrorsHaveNoCorrelation();
    void rejectsBadInput();
    void multiclassMatchesSklearn();
};

void TestEnsemble::correlationsMatchNumpy() {
    const auto r = ensembleWhatIf(kLabels, kScores);
    QVERIFY2(r.error.empty(), r.error.c_str());
    QCOMPARE(r.k, std::size_t(3));
    QCOMPARE(r.n, std::size_t(40));
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t j = 0; j < 3; ++j) {
            QVERIFY(near(r.errorCorrelation.at(i, j), kErrCorr[i][j]));
            QVERIFY(near(r.residualCorrelation.at(i, j), kResCorr[i][j]));
        }
    }
}

void TestEnsemble::metricsMatchSklearn() {
    const auto r = ensembleWhatIf(kLabels, kScores);
    QCOMPARE(r.members.size(), std::size_t(3));
    for (std::size_t m = 0; m < 3; ++m)
        compareMetrics(r.members[m], kMembers[m], "member");
    compareMetrics(r.average, kAverage, "average");
    compareMetrics(r.majorityVote, kVote, "vote");
    QCOMPARE(r.majorityVote.confusion.tp + r.majorityVote.confusion.fn, std::int64_t(24));
}

void TestEnsemble::tieGoesToAverage() {
    // Worked by hand: two members disagree on every row, so each vote is a tie settled by the mean score:
    // means 0.6, 0.4, 0.45, 0.45 -> votes 1, 0, 0, 0 against labels 1, 0, 1, 0 -> 3 of 4 right.
    const std::vector<int> labels{1, 0, 1, 0};
    const std::vector<std::vector<double>> scores{{0.9, 0.6, 0.2, 0.1}, {0.3, 0.2, 0.7, 0.8}};
    const auto r = ensembleWhatIf(labels, scores);
    QVERIFY2(r.error.empty(), r.error.c_str());
    QCOMPARE(r.majorityVote.accuracy, 0.75);
    QCOMPARE(r.majorityVote.confusion.tp, std::int64_t(1));
    QCOMPARE(r.majorityVote.confusion.fn, std::int64_t(1));
    // Member A errs on rows 2 and 3, B on rows 1 and 4: indicators (0,1,1,0) and (1,0,0,1) correlate -1.
    QVERIFY(near(r.errorCorrelation.at(0, 1), -1.0));
}

void TestEnsemble::constantErrorsHaveNoCorrelation() {
    // Member A is always right, so its error indicator is constant: its correlation is undefined, not 0.
    const std::vector<int> labels{1, 0, 1, 0};
    const std::vector<std::vector<double>> scores{{0.9, 0.1, 0.8, 0.2}, {0.3, 0.2, 0.7, 0.8}};
    const auto r = ensembleWhatIf(labels, scores);
    QVERIFY(std::isnan(r.errorCorrelation.at(0, 1)));
    QVERIFY(std::isnan(r.errorCorrelation.at(0, 0)));
    QCOMPARE(r.errorCorrelation.at(1, 1), 1.0);
}

void TestEnsemble::rejectsBadInput() {
    const std::vector<int> labels{1, 0};
    QVERIFY(!ensembleWhatIf(labels, {{0.5, 0.5}}).error.empty());                      // one member
    QVERIFY(!ensembleWhatIf(labels, {{0.5, 0.5}, {0.5}}).error.empty());               // ragged
    QVERIFY(!ensembleWhatIf(labels, {{0.5, 1.5}, {0.5, 0.5}}).error.empty());          // not a probability
    QVERIFY(!ensembleWhatIf(labels, {{0.5, std::nan("")}, {0.5, 0.5}}).error.empty()); // NaN
    QVERIFY(!ensembleWhatIf(std::vector<int>{1, 2}, {{0.5, 0.5}, {0.5, 0.5}}).error.empty());
    QVERIFY(!ensembleWhatIf(std::vector<int>{}, {{}, {}}).error.empty());
}

// tests/tools/gen_multiclass_ensemble_refs.py (numpy RandomState(7), python3-sklearn 1.2): 15 rows, 3
// classes, 3 weak members; averaging lifts accuracy from 0.53-0.60 to 0.87, the plurality vote to 0.73.
void TestEnsemble::multiclassMatchesSklearn() {
    const std::vector<int> labels{0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 2, 0, 2, 0, 0};
    const std::vector<std::vector<double>> probs{
        {0.781, 0.192, 0.027, 0.099, 0.831, 0.070, 0.158, 0.705, 0.137, 0.321, 0.624, 0.055,
         0.207, 0.756, 0.037, 0.199, 0.373, 0.428, 0.488, 0.130, 0.382, 0.258, 0.490, 0.252,
         0.432, 0.348, 0.220, 0.416, 0.158, 0.426, 0.192, 0.473, 0.335, 0.351, 0.457, 0.192,
         0.526, 0.044, 0.430, 0.357, 0.229, 0.414, 0.634, 0.365, 0.001},
        {0.237, 0.476, 0.287, 0.175, 0.657, 0.168, 0.033, 0.224, 0.743, 0.233, 0.411, 0.356,
         0.346, 0.317, 0.337, 0.099, 0.261, 0.640, 0.700, 0.246, 0.054, 0.288, 0.468, 0.244,
         0.110, 0.327, 0.563, 0.312, 0.333, 0.355, 0.115, 0.280, 0.605, 0.362, 0.233, 0.405,
         0.014, 0.681, 0.305, 0.348, 0.364, 0.288, 0.297, 0.659, 0.044},
        {0.382, 0.464, 0.154, 0.172, 0.504, 0.324, 0.534, 0.003, 0.463, 0.575, 0.029, 0.396,
         0.125, 0.495, 0.380, 0.069, 0.132, 0.799, 0.343, 0.150, 0.507, 0.038, 0.568, 0.394,
         0.011, 0.236, 0.753, 0.652, 0.057, 0.291, 0.329, 0.377, 0.294, 0.375, 0.253, 0.372,
         0.047, 0.277, 0.676, 0.842, 0.131, 0.027, 0.380, 0.603, 0.017}};
    const auto r = multiclassEnsembleWhatIf(labels, probs, 3);
    QVERIFY2(r.error.empty(), r.error.c_str());
    QCOMPARE(r.members.size(), std::size_t(3));
    const double memberAccuracy[] = {0.53333333333333333, 0.53333333333333333, 0.59999999999999998};
    const double memberF1[] = {0.52996632996632997, 0.49444444444444446, 0.60404040404040404};
    for (std::size_t m = 0; m < 3; ++m) {
        QVERIFY(std::abs(r.members[m].accuracy - memberAccuracy[m]) < 1e-12);
        QVERIFY(std::abs(r.members[m].macro.f1 - memberF1[m]) < 1e-12);
    }
    QVERIFY(std::abs(r.average.accuracy - 0.8666666666666667) < 1e-12);
    QVERIFY(std::abs(r.average.macro.f1 - 0.86652236652236647) < 1e-12);
    QVERIFY2(std::abs(r.average.logLoss - 0.75132757833130526) < 1e-9,
             qPrintable(QString::number(r.average.logLoss, 'g', 17)));
    QVERIFY(std::abs(r.majorityVote.accuracy - 0.73333333333333328) < 1e-12);
    QVERIFY(std::abs(r.majorityVote.macro.f1 - 0.72525252525252526) < 1e-12);
    // numpy.corrcoef of the members' error indicators and of 1 - P(true class).
    QVERIFY(std::abs(r.errorCorrelation.at(0, 1) - 0.19642857142857148) < 1e-12);
    QVERIFY(std::abs(r.errorCorrelation.at(0, 2) + 0.21821789023599236) < 1e-12);
    QVERIFY(std::abs(r.residualCorrelation.at(0, 1) + 0.27452584132092822) < 1e-12);
    QCOMPARE(r.errorCorrelation.at(1, 1), 1.0);
    // Bad input is a sentence, not a crash.
    QVERIFY(!multiclassEnsembleWhatIf(labels, {probs[0]}, 3).error.empty());
    QVERIFY(!multiclassEnsembleWhatIf(labels, {probs[0], std::vector<double>(10, 0.5)}, 3).error.empty());
    QVERIFY(!multiclassEnsembleWhatIf(std::vector<int>(15, 3), probs, 3).error.empty());
}

QTEST_APPLESS_MAIN(TestEnsemble)
#include "test_ensemble.moc"
