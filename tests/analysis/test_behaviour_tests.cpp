// Behavioural tests on hand-worked perturbations: flips, score changes, direction violations, slices, two
// models.
#include "core/analysis/behaviour_tests.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

bool near(double a, double b) {
    return std::abs(a - b) < 1e-12;
}

// Originals o1..o4 with P(positive) 0.9, 0.2, 0.6, 0.4 (classes 1, 0, 1, 0 at 0.5). Perturbed rows:
//   typo (same):         o1 0.85, o2 0.30, o3 0.45 (flips 1 -> 0), o4 0.40, and a row for unknown o9
//   add_negation (down): o1 0.50 (-0.40), o2 0.35 (+0.15, wrong way), o3 0.62 (+0.02, wrong way unless
//   tolerant)
struct Fixture {
    std::vector<std::string> originalIds{"o1", "o2", "o3", "o4"};
    std::vector<double> originalScores{0.9, 0.2, 0.6, 0.4};
    std::vector<std::string> perturbation{"typo", "typo",         "typo",         "typo",
                                          "typo", "add_negation", "add_negation", "add_negation"};
    std::vector<std::string> origOf{"o1", "o2", "o3", "o4", "o9", "o1", "o2", "o3"};
    std::vector<double> scores{0.85, 0.30, 0.45, 0.40, 0.7, 0.50, 0.35, 0.62};
    std::vector<std::string> slice{"short", "long", "long", "short", "short", "short", "long", "long"};
    std::vector<ExpectedDirection> expected;
    OriginalJoin join;

    Fixture() {
        for (const auto& p : perturbation)
            expected.push_back(p == "typo" ? ExpectedDirection::Same : ExpectedDirection::Down);
        join = joinOriginals(origOf, originalIds);
    }
    BehaviourTests tests() const { return {perturbation, expected, slice, join.originalRow}; }
};

} // namespace

class TestBehaviourTests : public QObject {
    Q_OBJECT
  private slots:
    void parsesExpectations() {
        ExpectedDirection d;
        QVERIFY(parseExpectedDirection("SAME", d) && d == ExpectedDirection::Same);
        QVERIFY(parseExpectedDirection("inv", d) && d == ExpectedDirection::Same);
        QVERIFY(parseExpectedDirection("up", d) && d == ExpectedDirection::Up);
        QVERIFY(parseExpectedDirection("decrease", d) && d == ExpectedDirection::Down);
        QVERIFY(parseExpectedDirection("", d) && d == ExpectedDirection::None);
        QVERIFY(!parseExpectedDirection("sideways", d));
    }

    void joinsByOriginalId() {
        const Fixture f;
        QCOMPARE(f.join.missing, std::int64_t(1));
        QCOMPARE(f.join.originalRow[4], std::ptrdiff_t(-1));
        QCOMPARE(f.join.originalRow[7], std::ptrdiff_t(2));
        QCOMPARE(joinOriginals(std::vector<std::string>{"a"}, std::vector<std::string>{"a", "a"})
                     .duplicateOriginalIds,
                 std::int64_t(1));
    }

    void invarianceAndDirectionHandWorked() {
        const Fixture f;
        const ModelOutputs perturbed{0, f.scores, {}}, original{0, f.originalScores, {}};
        const auto r = behaviourReport(f.tests(), perturbed, original);
        QCOMPARE(r.perturbations.size(), std::size_t(2));
        QCOMPARE(r.missingOriginal, std::int64_t(1));
        const auto& neg = r.perturbations[0]; // sorted by name: add_negation, typo
        const auto& typo = r.perturbations[1];
        QCOMPARE(typo.name, std::string("typo"));
        QCOMPARE(typo.expected, ExpectedDirection::Same);
        QCOMPARE(typo.n, std::int64_t(4));
        QCOMPARE(typo.missingOriginal, std::int64_t(1));
        // Changes -0.05, +0.10, -0.15, 0: one flip (o3), mean -0.025; sorted [-0.15, -0.05, 0, 0.10]: median
        // -0.025, q25 at position 0.75: -0.15 + 0.75 * 0.10 = -0.075.
        QCOMPARE(typo.flips, std::int64_t(1));
        QCOMPARE(typo.flipRate, 0.25);
        QVERIFY(near(typo.meanChange, -0.025));
        QVERIFY(near(typo.median, -0.025));
        QVERIFY(near(typo.q25, -0.075));
        QVERIFY(near(typo.meanAbsChange, 0.075));
        const auto ci = stats::wilson(1, 4);
        QCOMPARE(typo.flipCi.low, ci.low);
        QCOMPARE(typo.failures, std::int64_t(1));
        QCOMPARE(typo.tested, std::int64_t(4));
        QCOMPARE(typo.worst.front().row, std::size_t(2));  // the flip first
        QCOMPARE(typo.worst[1].row, std::size_t(1));       // then |change| 0.10
        QCOMPARE(typo.severity, BehaviourSeverity::Minor); // 1 of 4: Wilson low 4.6% < 5%
        // add_negation: changes -0.40, +0.15, +0.02; two move the wrong way at tolerance 0.
        QCOMPARE(neg.directional, std::int64_t(3));
        QCOMPARE(neg.violations, std::int64_t(2));
        QVERIFY(near(neg.violationRate, 2.0 / 3));
        QCOMPARE(neg.flips, std::int64_t(0)); // o1 0.9 -> 0.5 (>= 0.5) stays 1, o2 stays 0, o3 stays 1
        // Slices of typo: short = {o1, o4} (no flip), long = {o2, o3} (one flip).
        QCOMPARE(typo.slices.size(), std::size_t(2));
        QCOMPARE(typo.slices[0].slice, std::string("long"));
        QCOMPARE(typo.slices[0].flips, std::int64_t(1));
        QCOMPARE(typo.slices[1].flips, std::int64_t(0));
        QVERIFY(typo.sentence.find("flips on 25.0%") != std::string::npos);
        // With a tolerance of 0.05 only the +0.15 move counts.
        BehaviourOptions tolerant;
        tolerant.tolerance = 0.05;
        QCOMPARE(behaviourReport(f.tests(), perturbed, original, tolerant).perturbations[0].violations,
                 std::int64_t(1));
    }

    void multiclassTracksTheOriginalClass() {
        // Original [0.7, 0.2, 0.1] predicts class 0; perturbed [0.4, 0.5, 0.1] predicts 1: a flip, and class
        // 0's score changes by -0.3. With targetClass 1 the change is +0.3.
        const std::vector<double> orig{0.7, 0.2, 0.1}, pert{0.4, 0.5, 0.1};
        const std::vector<std::string> name{"swap"};
        const std::vector<std::ptrdiff_t> row{0};
        const BehaviourTests t{name, {}, {}, row};
        const auto r = behaviourReport(t, ModelOutputs{3, pert, {}}, ModelOutputs{3, orig, {}});
        QCOMPARE(r.perturbations[0].flips, std::int64_t(1));
        QVERIFY(near(r.perturbations[0].meanChange, -0.3));
        QCOMPARE(r.perturbations[0].tested, std::int64_t(0)); // no expectation: nothing fails
        BehaviourOptions o;
        o.targetClass = 1;
        QVERIFY(near(behaviourReport(t, ModelOutputs{3, pert, {}}, ModelOutputs{3, orig, {}}, o)
                         .perturbations[0]
                         .meanChange,
                     0.3));
    }

    void pairedDifferenceHandWorked() {
        // Newcombe (1998) method 10 for p2 - p1 with both = 1, only first = 2, only second = 0, neither = 7:
        // p1 = 3/10, p2 = 1/10, Wilson (l1, u1) of 3/10 and (l2, u2) of 1/10;
        // phi = (1*7 - 2*0) / sqrt(3 * 7 * 1 * 9) = 7 / sqrt(189);
        // lower = (p2 - p1) - sqrt((p2 - l2)^2 - 2 phi (p2 - l2)(u1 - p1) + (u1 - p1)^2),
        // upper = (p2 - p1) + sqrt((u2 - p2)^2 - 2 phi (u2 - p2)(p1 - l1) + (p1 - l1)^2).
        const auto w1 = stats::wilson(3, 10), w2 = stats::wilson(1, 10);
        const double phi = 7 / std::sqrt(189.0), p1 = 0.3, p2 = 0.1;
        const double lower =
            (p2 - p1) - std::sqrt(std::pow(p2 - w2.low, 2) - 2 * phi * (p2 - w2.low) * (w1.high - p1) +
                                  std::pow(w1.high - p1, 2));
        const double upper =
            (p2 - p1) + std::sqrt(std::pow(w2.high - p2, 2) - 2 * phi * (w2.high - p2) * (p1 - w1.low) +
                                  std::pow(p1 - w1.low, 2));
        const auto ci = pairedDifferenceInterval(1, 2, 0, 7);
        QVERIFY(near(ci.low, lower));
        QVERIFY(near(ci.high, upper));
        QVERIFY(ci.low < -0.2 && ci.high > -0.2 && ci.high > 0); // 10 pairs: the interval still covers 0
        // Perfect agreement: the difference 0 sits inside a narrow interval.
        const auto same = pairedDifferenceInterval(20, 0, 0, 80);
        QVERIFY(same.low <= 0 && same.high >= 0 && same.high - same.low < 0.1);
    }

    void twoModelsOnTheSameTests() {
        // Ten "same" tests of ten originals at 0.8 (class 1). A flips on rows 0, 1, 2 (0.3), B only on row 2.
        const std::vector<double> orig(10, 0.8);
        std::vector<double> a(10, 0.75), b(10, 0.75);
        a[0] = a[1] = a[2] = 0.3;
        b[2] = 0.3;
        const std::vector<std::string> name(10, "typo");
        const std::vector<ExpectedDirection> expected(10, ExpectedDirection::Same);
        std::vector<std::ptrdiff_t> row(10);
        for (int i = 0; i < 10; ++i)
            row[std::size_t(i)] = i;
        const BehaviourTests t{name, expected, {}, row};
        const ModelOutputs o{0, orig, {}};
        const auto c = compareRobustness(t, ModelOutputs{0, a, {}}, o, ModelOutputs{0, b, {}}, o);
        QCOMPARE(c.size(), std::size_t(1));
        QCOMPARE(c[0].flipsA, std::int64_t(3));
        QCOMPARE(c[0].flipsB, std::int64_t(1));
        QVERIFY(near(c[0].difference, -0.2));
        const auto ci = pairedDifferenceInterval(1, 2, 0, 7);
        QCOMPARE(c[0].differenceCi.low, ci.low);
        // McNemar on "did not flip": B alone stable on rows 0 and 1, A alone on none: exact p = 2 * 0.25 =
        // 0.5.
        QCOMPARE(c[0].mcnemar.bOnlyCorrect, std::int64_t(2));
        QCOMPARE(c[0].mcnemar.aOnlyCorrect, std::int64_t(0));
        QCOMPARE(c[0].mcnemar.exactP, 0.5);
        QVERIFY(c[0].sentence.find("no clear difference") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestBehaviourTests)
#include "test_behaviour_tests.moc"
