// The tick arithmetic of chart axes (nice steps, decades, compact step counts) against values worked by hand.
#include "core/analysis/axis_ticks.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

bool sameTicks(const std::vector<double>& got, const std::vector<double>& want) {
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!(std::abs(got[i] - want[i]) <= 1e-12 * std::max(1.0, std::abs(want[i])))) return false;
    return true;
}

} // namespace

class TestAxisTicks : public QObject {
    Q_OBJECT

  private slots:
    void niceSteps();
    void niceTicksOfRanges();
    void tickTargets();
    void decades();
    void plainLabels();
    void compactCounts_data();
    void compactCounts();
};

void TestAxisTicks::niceSteps() {
    // [0.137, 0.9] in 5: raw 0.763 / 5 = 0.1526; of 0.1, 0.2, 0.25, 0.5 x 10^0... the first >= it is 0.2.
    QCOMPARE(niceTickStep(0.9 - 0.137, 5), 0.2);
    // [0, 1.5e6] in 6: raw 250,000 = 2.5 x 10^5 exactly, which is nice itself.
    QCOMPARE(niceTickStep(1.5e6, 6), 250000.0);
    // 7 / 5 = 1.4 -> 2; 3 / 5 = 0.6 -> 1 (5 x 0.1 = 0.5 < 0.6); 0.3 / 3 = 0.1 stays 0.1 despite rounding.
    QCOMPARE(niceTickStep(7, 5), 2.0);
    QCOMPARE(niceTickStep(3, 5), 1.0);
    QCOMPARE(niceTickStep(0.3, 3), 0.1);
    // 9.3 / 4 = 2.325 -> 2.5; 30 / 4 = 7.5 -> 10.
    QCOMPARE(niceTickStep(9.3, 4), 2.5);
    QCOMPARE(niceTickStep(30, 4), 10.0);
    QCOMPARE(niceTickStep(0, 5), 1.0); // an empty span still gets a usable step
}

void TestAxisTicks::niceTicksOfRanges() {
    // Step 0.2 (above); multiples of 0.2 inside [0.137, 0.9]: 0.2, 0.4, 0.6, 0.8 (1.0 is past the end).
    QVERIFY(sameTicks(niceTicks(0.137, 0.9, 5), {0.2, 0.4, 0.6, 0.8}));
    // Step 250k over [0, 1.5e6]: 0, 250k, ..., 1.5M, both ends included.
    QVERIFY(sameTicks(niceTicks(0, 1.5e6, 6), {0, 250000, 500000, 750000, 1000000, 1250000, 1500000}));
    // [-0.35, 0.35] in 4: raw 0.175 -> 0.2; multiples -0.2, 0, 0.2 (0 exactly, not -0).
    const std::vector<double> symmetric = niceTicks(-0.35, 0.35, 4);
    QVERIFY(sameTicks(symmetric, {-0.2, 0, 0.2}));
    QVERIFY(!std::signbit(symmetric[1]));
    // [0.1, 0.7] in 6: raw 0.1; 0.1 x 7 computed by index is 0.7000000000000001, still inside.
    QCOMPARE(niceTicks(0.1, 0.7, 6).size(), std::size_t(7));
    QVERIFY(niceTicks(1, 0, 5).empty());
}

void TestAxisTicks::tickTargets() {
    QCOMPARE(tickTargetFor(400, 80), 5);   // 400 / 80
    QCOMPARE(tickTargetFor(50, 80), 2);    // never fewer than two
    QCOMPARE(tickTargetFor(5000, 80), 10); // never more than ten
}

void TestAxisTicks::decades() {
    // [0.003, 42] widens outward to 10^-3 .. 10^2.
    const auto [lo, hi] = decadeRange(0.003, 42);
    QCOMPARE(lo, 0.001);
    QCOMPARE(hi, 100.0);
    QVERIFY(sameTicks(decadeTicks(0.003, 42), {0.01, 0.1, 1, 10}));
    QVERIFY(sameTicks(decadeTicks(lo, hi), {0.001, 0.01, 0.1, 1, 10, 100}));
    // Already decades: unchanged (log10(0.001) is -2.9999999999999996 in doubles).
    QCOMPARE(decadeRange(0.001, 0.1), std::make_pair(0.001, 0.1));
    // Within one decade: two decades, so the axis still has labels.
    QCOMPARE(decadeRange(0.2, 0.8), std::make_pair(0.1, 1.0));
    QCOMPARE(decadeRange(3, 3), std::make_pair(1.0, 10.0));
}

void TestAxisTicks::plainLabels() {
    QCOMPARE(tickDecimals(500), 0);
    QCOMPARE(tickDecimals(0.05), 2);
    QCOMPARE(tickDecimals(0.25), 2);  // 0.25, 0.50, 0.75
    QCOMPARE(tickDecimals(0.025), 3); // 0.025, 0.050
    QCOMPARE(plainTickLabel(0.25, 0.05), std::string("0.25"));
    QCOMPARE(plainTickLabel(0.75, 0.25), std::string("0.75"));
    QCOMPARE(plainTickLabel(2000, 500), std::string("2000"));
    QCOMPARE(plainTickLabel(1e-7, 0.1), std::string("0.0")); // not "-0.0" nor 1e-07
    QCOMPARE(plainTickLabel(-1e-17, 0.1), std::string("0.0"));
    QCOMPARE(plainTickLabel(0.0001, 0.0001), std::string("0.0001"));
}

void TestAxisTicks::compactCounts_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0.0 << "0";
    QTest::newRow("below 10k plain") << 9999.0 << "9999";
    QTest::newRow("2500") << 2500.0 << "2500";
    QTest::newRow("10k") << 10000.0 << "10k";
    QTest::newRow("250k") << 250000.0 << "250k";
    QTest::newRow("1M") << 1000000.0 << "1M";
    QTest::newRow("1.25M") << 1250000.0 << "1.25M";
    QTest::newRow("1.5M") << 1500000.0 << "1.5M";
    QTest::newRow("2B") << 2e9 << "2B";
    QTest::newRow("negative") << -20000.0 << "-20k";
}

void TestAxisTicks::compactCounts() {
    QFETCH(double, value);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(compactCount(value)), text);
}

QTEST_GUILESS_MAIN(TestAxisTicks)
#include "test_axis_ticks.moc"
