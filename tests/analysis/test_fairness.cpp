// Fairness: per-group rates and Fairlearn's disparity definitions on hand-worked examples.
#include "core/analysis/fairness.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

// Appends `count` rows of (label, prediction) for a group.
void add(std::vector<int>& y, std::vector<int>& p, std::vector<std::string>& g, const char* group, int label,
         int prediction, int count) {
    for (int i = 0; i < count; ++i) {
        y.push_back(label);
        p.push_back(prediction);
        g.push_back(group);
    }
}

bool near(double a, double b) {
    return std::abs(a - b) < 1e-14;
}

} // namespace

class TestFairness : public QObject {
    Q_OBJECT
  private slots:
    void fairlearnDefinitionsHandWorked() {
        // Group A (10 rows): TP 4, FN 1, FP 1, TN 4. selection = (4 + 1) / 10 = 0.5, TPR = 4/5 = 0.8,
        //   FPR = 1/5 = 0.2, precision = 4/5.
        // Group B (20 rows): TP 3, FN 3, FP 1, TN 13. selection = 4/20 = 0.2, TPR = 3/6 = 0.5, FPR = 1/14,
        //   precision = 3/4.
        // demographic_parity_difference = max - min selection = 0.5 - 0.2 = 0.3; ratio = min / max = 0.4.
        // TPR difference 0.8 - 0.5 = 0.3, FPR difference 0.2 - 1/14 = 0.128571...;
        // equalized_odds_difference = max(0.3, 0.1286) = 0.3.
        // TPR ratio 0.5 / 0.8 = 0.625, FPR ratio (1/14) / 0.2 = 0.357142...;
        // equalized_odds_ratio = min(0.625, 0.3571) = 0.357142...
        std::vector<int> y, p;
        std::vector<std::string> g;
        add(y, p, g, "A", 1, 1, 4);
        add(y, p, g, "A", 1, 0, 1);
        add(y, p, g, "A", 0, 1, 1);
        add(y, p, g, "A", 0, 0, 4);
        add(y, p, g, "B", 1, 1, 3);
        add(y, p, g, "B", 1, 0, 3);
        add(y, p, g, "B", 0, 1, 1);
        add(y, p, g, "B", 0, 0, 13);
        const auto r = fairnessReport(y, p, g);
        QCOMPARE(r.groups.size(), std::size_t(2));
        const auto& a = r.groups[0];
        const auto& b = r.groups[1];
        QCOMPARE(a.group, std::string("A"));
        QCOMPARE(a.n, std::int64_t(10));
        QVERIFY(near(a.selectionRate, 0.5) && near(a.tpr, 0.8) && near(a.fpr, 0.2) && near(a.precision, 0.8));
        QVERIFY(near(b.selectionRate, 0.2) && near(b.tpr, 0.5) && near(b.fpr, 1.0 / 14) &&
                near(b.precision, 0.75));
        QVERIFY(near(r.demographicParityDifference, 0.3));
        QVERIFY(near(r.demographicParityRatio, 0.4));
        QVERIFY(near(r.tprDifference, 0.3));
        QVERIFY(near(r.fprDifference, 0.2 - 1.0 / 14));
        QVERIFY(near(r.equalizedOddsDifference, 0.3));
        QVERIFY(near(r.equalizedOddsRatio, (1.0 / 14) / 0.2));
        QCOMPARE(r.severity, FairnessSeverity::Major); // ratios far below 0.8
        QVERIFY(r.sentence.find("20.0% (B) to 50.0% (A)") != std::string::npos);
        QVERIFY(r.sentence.find("Small groups") != std::string::npos);
        // Intervals are Wilson's on each rate's own denominator.
        const auto ci = stats::wilson(4, 5);
        QCOMPARE(a.tprCi.low, ci.low);
        QCOMPARE(a.tprCi.high, ci.high);
        QVERIFY(a.selectionCi.low < 0.5 && a.selectionCi.high > 0.5);
    }

    void weightsScaleTheRates() {
        // The same rows as one group with weights: rows (1, 1) weight 3, (1, 0) weight 1, (0, 1) weight 1,
        // (0, 0) weight 5. selection = (3 + 1) / 10 = 0.4, TPR = 3 / 4 = 0.75, FPR = 1 / 6. A second group
        // with weight 1 everywhere: (1, 1), (0, 0): selection 0.5, TPR 1, FPR 0. DP difference 0.1, ratio
        // 0.8; EO difference max(0.25, 1/6) = 0.25; FPR ratio 0 / (1/6) = 0 -> EO ratio 0.
        const std::vector<int> y{1, 1, 0, 0, 1, 0}, p{1, 0, 1, 0, 1, 0};
        const std::vector<std::string> g{"x", "x", "x", "x", "z", "z"};
        const std::vector<double> w{3, 1, 1, 5, 1, 1};
        const auto r = fairnessReport(y, p, g, w);
        QVERIFY(near(r.groups[0].selectionRate, 0.4));
        QVERIFY(near(r.groups[0].tpr, 0.75));
        QVERIFY(near(r.groups[0].fpr, 1.0 / 6));
        QVERIFY(near(r.demographicParityDifference, 0.1));
        QVERIFY(near(r.demographicParityRatio, 0.8));
        QVERIFY(near(r.equalizedOddsDifference, 0.25));
        QCOMPARE(r.equalizedOddsRatio, 0.0);
        // Kish's effective size of group x's positives: (3 + 1)^2 / (9 + 1) = 1.6 rows.
        QVERIFY(r.groups[0].tprCi.high - r.groups[0].tprCi.low > 0.5);
    }

    void undefinedRatesFollowFairlearn() {
        // Group "none" has no positive: Fairlearn's TPR for it is 0 (confusion_matrix normalize='true' with
        // nan_to_num), so the TPR difference is 1 - 0 = 1 and the ratio 0. Leaving such groups out gives 0
        // and 1.
        const std::vector<int> y{1, 0, 0, 0}, p{1, 0, 1, 0};
        const std::vector<std::string> g{"some", "some", "none", "none"};
        const auto fair = fairnessReport(y, p, g);
        QVERIFY(!fair.groups[0].tprDefined); // "none" sorts first
        QCOMPARE(fair.tprDifference, 1.0);
        QCOMPARE(fair.tprRatio, 0.0);
        FairnessOptions o;
        o.undefinedRatesAsZero = false;
        const auto skip = fairnessReport(y, p, g, {}, o);
        QCOMPARE(skip.tprDifference, 0.0);
        QCOMPARE(skip.tprRatio, 1.0);
        // No group predicts positive: selection rates all 0, the ratio 0 / 0 is NaN as in Fairlearn.
        const auto zero = fairnessReport(y, std::vector<int>{0, 0, 0, 0}, g);
        QCOMPARE(zero.demographicParityDifference, 0.0);
        QVERIFY(std::isnan(zero.demographicParityRatio));
        QVERIFY(!fairnessReport({}, {}, {}).sentence.empty());
    }
};

QTEST_APPLESS_MAIN(TestFairness)
#include "test_fairness.moc"
