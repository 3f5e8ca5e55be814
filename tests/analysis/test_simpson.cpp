// Simpson verdicts on textbook cases: kidney stones (complete), a partial case, no reversal, and
// "impossible".
#include "core/analysis/simpson.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

StratumValue rate(std::int64_t successes, std::int64_t n) {
    return {n, static_cast<double>(successes) / static_cast<double>(n), 0, 0};
}

// Charig et al. (1986), success of treatment A (open surgery) and B (percutaneous nephrolithotomy):
// A: small 81/87, large 192/263, overall 273/350 (78.0%); B: small 234/270, large 55/80, overall 289/350
// (82.6%).
SimpsonInput kidneyStones() {
    SimpsonInput in;
    in.metricName = "success rate";
    in.stratumName = "size";
    in.cohorts = {"A", "B"};
    in.strata = {"small", "large"};
    in.overall = {rate(273, 350), rate(289, 350)};
    in.cells = {{rate(81, 87), rate(192, 263)}, {rate(234, 270), rate(55, 80)}};
    return in;
}

} // namespace

class TestSimpson : public QObject {
    Q_OBJECT
  private slots:
    void kidneyStonesIsComplete() {
        const auto v = compareAcrossStrata(kidneyStones());
        QCOMPARE(v.reversal, Reversal::Complete);
        QCOMPARE(v.overallWinner, std::string("B"));
        QCOMPARE(v.reversedAgainst, std::string("A"));
        QCOMPARE(v.comparableStrata, 2);
        QCOMPARE(v.strataWon.at("A"), 2);
        QCOMPARE(v.strataWon.at("B"), 0);
        // Pooled sizes: small 87 + 270 = 357, large 263 + 80 = 343 (of 700).
        const double a = (357.0 * 81 / 87 + 343.0 * 192 / 263) / 700.0;
        const double b = (357.0 * 234 / 270 + 343.0 * 55 / 80) / 700.0;
        QVERIFY(std::abs(v.standardized.at("A") - a) < 1e-12);
        QVERIFY(std::abs(v.standardized.at("B") - b) < 1e-12);
        QCOMPARE(v.standardizedWinner, std::string("A"));
        QVERIFY(std::abs(v.mix.at("B").at("small") - 270.0 / 350.0) < 1e-12);
        QVERIFY(std::abs(v.mix.at("A").at("large") - 263.0 / 350.0) < 1e-12);
        // The sentence names the misleading overall numbers, B's mix and the within-stratum winner.
        const QString text = QString::fromStdString(v.explanation);
        QVERIFY2(text.contains("82.6%") && text.contains("78.0%"), qPrintable(text));
        QVERIFY2(text.contains("because of the mix: 77% of B's cases are size = small against 25% of A's"),
                 qPrintable(text));
        QVERIFY2(text.contains("within each comparable size stratum A is better"), qPrintable(text));
        QVERIFY(v.mixExplains);
    }

    void partialReversal() {
        // Three strata; the overall loser X wins two of three.
        SimpsonInput in;
        in.stratumName = "region";
        in.cohorts = {"X", "Y"};
        in.strata = {"north", "south", "east"};
        in.cells = {{rate(90, 100), rate(60, 100), rate(50, 400)},
                    {rate(170, 200), rate(55, 100), rate(30, 100)}};
        in.overall = {rate(200, 600), rate(255, 400)};
        const auto v = compareAcrossStrata(in);
        QCOMPARE(v.overallWinner, std::string("Y"));
        QCOMPARE(v.reversal, Reversal::Partial);
        QCOMPARE(v.strataWon.at("X"), 2);
        QCOMPARE(v.strataWon.at("Y"), 1);
    }

    void noReversal() {
        auto in = kidneyStones();
        in.cells[0] = {rate(70, 87), rate(150, 263)}; // A now worse in both strata
        in.overall[0] = rate(220, 350);
        const auto v = compareAcrossStrata(in);
        QCOMPARE(v.reversal, Reversal::None);
        QCOMPARE(v.overallWinner, std::string("B"));
    }

    void smallStrataAreNotComparable() {
        auto in = kidneyStones();
        in.minN = 85; // B's large stratum (80) is too small: only "small" is comparable, won by A -> partial
        const auto v = compareAcrossStrata(in);
        QCOMPARE(v.comparableStrata, 1);
        QCOMPARE(v.reversal, Reversal::Partial);
    }

    void impossibleOnSameExamples() {
        // The same 100 examples in both cohorts (equal mixes): A 40/50 and 30/50, B 38/50 and 29/50. With the
        // four conditions declared and none of the strata won by B, the verdict is "impossible".
        SimpsonInput in;
        in.metricName = "accuracy";
        in.stratumName = "size";
        in.cohorts = {"A", "B"};
        in.strata = {"small", "large"};
        in.overall = {rate(70, 100), rate(67, 100)};
        in.cells = {{rate(40, 50), rate(30, 50)}, {rate(38, 50), rate(29, 50)}};
        in.identicalExamples = in.sameStrata = in.decomposable = true;
        const auto v = compareAcrossStrata(in);
        QCOMPARE(v.reversal, Reversal::Impossible);
        QVERIFY(v.allStrataComparable);
        QVERIFY(QString::fromStdString(v.explanation).contains("A complete reversal cannot happen"));
        // Without the proof of identical examples the same numbers are an ordinary "none".
        in.identicalExamples = false;
        QCOMPARE(compareAcrossStrata(in).reversal, Reversal::None);
    }

    void lowerIsBetter() {
        // Error rates: the same data expressed as errors reverses in the same way.
        auto in = kidneyStones();
        in.higherIsBetter = false;
        for (auto& row : in.cells)
            for (auto& cell : row)
                cell.value = 1.0 - cell.value;
        for (auto& cell : in.overall)
            cell.value = 1.0 - cell.value;
        const auto v = compareAcrossStrata(in);
        QCOMPARE(v.overallWinner, std::string("B"));
        QCOMPARE(v.reversal, Reversal::Complete);
    }
};

QTEST_APPLESS_MAIN(TestSimpson)
#include "test_simpson.moc"
