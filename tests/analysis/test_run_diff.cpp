// Aligning runs' params and tags for the run diff, worked by hand.
#include "core/analysis/run_diff.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

class TestRunDiff : public QObject {
    Q_OBJECT
  private slots:
    void wholeNumbersOnly() {
        QCOMPARE(wholeNumber("0.1"), std::optional<double>(0.1));
        QCOMPARE(wholeNumber("1e-3"), std::optional<double>(0.001));
        QCOMPARE(wholeNumber("-4"), std::optional<double>(-4.0));
        QCOMPARE(wholeNumber(""), std::optional<double>());
        QCOMPARE(wholeNumber("3x"), std::optional<double>());
        QCOMPARE(wholeNumber("adam"), std::optional<double>());
    }

    void keysAlignedInKeyOrder() {
        // A {lr 0.1, opt adam, seed 1}, B {lr 0.01, opt adam, warmup 10}:
        //   lr: both numbers, differs, delta 0.01 - 0.1 = -0.09; opt: equal text, no number;
        //   seed: only in A (B's absence differs); warmup: only in B.
        const std::map<std::string, std::string> a{{"lr", "0.1"}, {"opt", "adam"}, {"seed", "1"}};
        const std::map<std::string, std::string> b{{"lr", "0.01"}, {"opt", "adam"}, {"warmup", "10"}};
        const std::map<std::string, std::string>* maps[] = {&a, &b};
        const auto rows = diffKeyedValues(maps);
        QCOMPARE(rows.size(), std::size_t(4));
        QCOMPARE(rows[0].key, std::string("lr"));
        QVERIFY(rows[0].differs);
        QCOMPARE(rows[0].delta(), 0.01 - 0.1);
        QCOMPARE(rows[1].key, std::string("opt"));
        QVERIFY(!rows[1].differs);
        QVERIFY(std::isnan(rows[1].numbers[0]) && std::isnan(rows[1].delta()));
        QCOMPARE(rows[2].key, std::string("seed"));
        QVERIFY(rows[2].differs);
        QCOMPARE(rows[2].values[1], std::optional<std::string>());
        QVERIFY(std::isnan(rows[2].delta()));
        QCOMPARE(rows[3].key, std::string("warmup"));
        QCOMPARE(rows[3].values[1], std::optional<std::string>("10"));
        QCOMPARE(rows[3].numbers[1], 10.0);
    }

    void threeRunsDifferWhenAnyDiffers() {
        const std::map<std::string, std::string> a{{"k", "1"}}, b{{"k", "1"}}, c{{"k", "2"}};
        const std::map<std::string, std::string>* same[] = {&a, &b};
        const std::map<std::string, std::string>* three[] = {&a, &b, &c};
        QVERIFY(!diffKeyedValues(same)[0].differs);
        QVERIFY(diffKeyedValues(three)[0].differs);
    }
};

QTEST_APPLESS_MAIN(TestRunDiff)
#include "test_run_diff.moc"
