// Release gates: what a gates file parses into, and the one-line errors (naming the gate and key) for files
// and inputs that cannot be used.
#include "core/analysis/gates.h"

#include <QtTest>

using namespace runlens;

namespace {

std::string parseError(const std::string& yaml) {
    std::string error;
    const auto gates = parseGates(yaml, error);
    if (gates) return "(parsed)";
    return error;
}

} // namespace

class TestGates : public QObject {
    Q_OBJECT
  private slots:
    void parsesEveryKind() {
        const std::string yaml =
            "gates:\n"
            "  - metric: auc\n    min: 0.8\n    name: AUC floor\n"
            "  - metric: ece\n    max: 0.05\n    bins: 15\n"
            "  - metric: roc_auc\n    not_worse_than_baseline: true\n    margin: 0.01\n"
            "  - slices: [region, [region, device]]\n    min_n: 100\n    max_drop: 0.05\n"
            "    metric: recall\n"
            "  - slices: region\n"
            "  - perturbation: typo\n    max_flip_rate: 0.02\n"
            "  - perturbation: negation\n    max_failure_rate: 0.1\n"
            "  - fairness: gender\n    min_ratio: 0.8\n"
            "  - fairness: gender\n    max_difference: 0.1\n    measure: equalized_odds\n";
        std::string error;
        const auto gates = parseGates(yaml, error);
        QVERIFY2(gates, error.c_str());
        QCOMPARE(gates->size(), std::size_t(9));
        const auto& g = *gates;
        QCOMPARE(g[0].kind, GateKind::Metric);
        QCOMPARE(g[0].index, std::size_t(1));
        QCOMPARE(g[0].name, std::string("AUC floor"));
        QCOMPARE(g[0].sliceMetric, SliceMetric::Auc);
        QCOMPARE(*g[0].min, 0.8);
        QVERIFY(!g[0].max);
        QVERIFY(g[1].ece);
        QCOMPARE(g[1].bins, 15);
        QCOMPARE(*g[1].max, 0.05);
        QCOMPARE(g[2].kind, GateKind::Baseline);
        QCOMPARE(g[2].metric, std::string("auc")); // roc_auc is an alias
        QCOMPARE(g[2].margin, 0.01);
        QCOMPARE(g[3].kind, GateKind::Slices);
        QCOMPARE(g[3].slicings.size(), std::size_t(2));
        QCOMPARE(g[3].slicings[0], std::vector<std::string>{"region"});
        QCOMPARE(g[3].slicings[1], (std::vector<std::string>{"region", "device"}));
        QCOMPARE(g[3].minN, std::int64_t(100));
        QCOMPARE(g[3].sliceMetric, SliceMetric::Recall);
        // Defaults of a bare slices gate: accuracy, n >= 100, 5 points.
        QCOMPARE(g[4].slicings, std::vector<std::vector<std::string>>{{"region"}});
        QCOMPARE(g[4].sliceMetric, SliceMetric::Accuracy);
        QCOMPARE(g[4].minN, std::int64_t(100));
        QCOMPARE(g[4].maxDrop, 0.05);
        QCOMPARE(g[5].kind, GateKind::Perturbation);
        QVERIFY(!g[5].failureRate);
        QCOMPARE(g[5].maxRate, 0.02);
        QVERIFY(g[6].failureRate);
        QCOMPARE(g[7].measure, FairnessMeasure::DemographicParityRatio);
        QCOMPARE(g[7].limit, 0.8);
        QCOMPARE(g[8].measure, FairnessMeasure::EqualizedOddsDifference);
        QCOMPARE(g[8].limit, 0.1);
    }

    void bareListIsAccepted() {
        std::string error;
        const auto gates = parseGates("- metric: accuracy\n  min: 0.9\n", error);
        QVERIFY2(gates, error.c_str());
        QCOMPARE(gates->size(), std::size_t(1));
    }

    void errorsNameTheGateAndKey_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown key")
            << "gates:\n  - metric: auc\n    min: 0.8\n    maxx: 1\n"
            << "gate 1, maxx: unknown key for a metric gate (allowed: bins, max, metric, "
               "min, name)";
        QTest::newRow("wrong type")
            << "gates:\n  - metric: auc\n    min: 0.8\n  - metric: ece\n    max: high\n"
            << "gate 2, max: 'high' is not a number";
        QTest::newRow("list for a number") << "gates:\n  - metric: auc\n    min: [1, 2]\n"
                                           << "gate 1, min: a list is not a number";
        QTest::newRow("no kind")
            << "gates:\n  - min: 0.8\n"
            << "gate 1: no kind: give metric (with min or max), not_worse_than_baseline, "
               "slices, perturbation or fairness";
        QTest::newRow("misspelt kind") << "gates:\n  - metrc: auc\n    min: 0.8\n"
                                       << "gate 1, metrc: unknown key, and the gate has no kind (metric, "
                                          "not_worse_than_baseline, slices, perturbation or fairness)";
        QTest::newRow("two kinds") << "gates:\n  - slices: [a]\n    perturbation: typo\n"
                                   << "gate 1, perturbation: a gate checks one thing; 'slices' and "
                                      "'perturbation' belong in separate gates";
        QTest::newRow("min and max")
            << "gates:\n  - metric: auc\n    min: 0.8\n    max: 0.9\n"
            << "gate 1, max: give min or max, not both (write two gates for a range)";
        QTest::newRow("no limit") << "gates:\n  - metric: auc\n"
                                  << "gate 1, metric: a metric gate needs min or max";
        QTest::newRow("unknown metric")
            << "gates:\n  - metric: auroc\n    min: 0.8\n"
            << "gate 1, metric: unknown metric 'auroc' (accuracy, error_rate, auc, f1, precision, recall, "
               "log_loss, brier, ece)";
        QTest::newRow("ece per slice")
            << "gates:\n  - slices: [a]\n    metric: ece\n"
            << "gate 1, metric: ece is not measured per slice; use accuracy, auc, ...";
        QTest::newRow("baseline false")
            << "gates:\n  - metric: auc\n    not_worse_than_baseline: false\n"
            << "gate 1, not_worse_than_baseline: false checks nothing; remove the "
               "gate instead";
        QTest::newRow("baseline not bool") << "gates:\n  - metric: auc\n    not_worse_than_baseline: maybe\n"
                                           << "gate 1, not_worse_than_baseline: 'maybe' is not true or false";
        QTest::newRow("rate out of range") << "gates:\n  - perturbation: typo\n    max_flip_rate: 2\n"
                                           << "gate 1, max_flip_rate: 2 is outside [0, 1]";
        QTest::newRow("no rate") << "gates:\n  - perturbation: typo\n"
                                 << "gate 1, perturbation: give one of max_flip_rate or max_failure_rate";
        QTest::newRow("min_n not whole") << "gates:\n  - slices: [a]\n    min_n: 2.5\n"
                                         << "gate 1, min_n: 2.5 is not a whole number";
        QTest::newRow("cross of four") << "gates:\n  - slices: [[a, b, c, d]]\n"
                                       << "gate 1, slices: a cross needs one to three columns";
        QTest::newRow("ratio with difference measure")
            << "gates:\n  - fairness: g\n    min_ratio: 0.8\n    measure: demographic_parity_difference\n"
            << "gate 1, measure: demographic_parity_difference is a difference: use max_difference";
        QTest::newRow("bins without ece") << "gates:\n  - metric: auc\n    min: 0.8\n    bins: 5\n"
                                          << "gate 1, bins: only an ece gate has bins";
        QTest::newRow("scalar gate")
            << "gates:\n  - auc\n"
            << "gate 1: a gate is a mapping such as {metric: auc, min: 0.8}, not auc";
        QTest::newRow("top-level key") << "gate:\n  - metric: auc\n    min: 0.8\n"
                                       << "unknown top-level key 'gate' (a gates file holds 'gates:')";
        QTest::newRow("empty list") << "gates: []\n"
                                    << "no gates: the list is empty";
        QTest::newRow("gates not a list") << "gates: 3\n"
                                          << "'gates' must be a list of gates";
        // yaml-cpp's own message after the 1-based position.
        QTest::newRow("syntax") << "gates:\n  - metric: [auc\n"
                                << "line 3, column 1: end of sequence flow not found";
    }

    void errorsNameTheGateAndKey() {
        QFETCH(QString, yaml);
        QFETCH(QString, error);
        const std::string got = parseError(yaml.toStdString());
        QCOMPARE(QString::fromStdString(got), error);
        QVERIFY(got.find('\n') == std::string::npos);
    }

    void inputProblemsAreOneLine() {
        std::string error;
        const auto gates = parseGates("gates:\n"
                                      "  - metric: auc\n    min: 0.8\n"
                                      "  - metric: accuracy\n    not_worse_than_baseline: true\n"
                                      "  - perturbation: typo\n    max_flip_rate: 0.02\n"
                                      "  - slices: [region]\n"
                                      "  - metric: f1\n    min: 0.5\n",
                                      error);
        QVERIFY2(gates, error.c_str());
        // A log of hard predictions: labels and predictions, no scores.
        PredictionTable table;
        EvaluationSet hard;
        hard.classes = {"0", "1"};
        hard.labels = {0, 1, 1, 0};
        hard.predictions = {0, 1, 0, 0};
        GateInputs in;
        in.candidateName = "hard.csv";
        in.candidateTable = &table;
        in.candidate = &hard;
        QCOMPARE(
            gateInputProblem((*gates)[0], in),
            std::string("gate 1 (auc >= 0.8): auc needs scores, and hard.csv holds hard predictions only"));
        QCOMPARE(
            gateInputProblem((*gates)[1], in),
            std::string("gate 2 (accuracy not significantly worse than the baseline): a baseline gate needs "
                        "--baseline B"));
        QCOMPARE(gateInputProblem((*gates)[2], in),
                 std::string("gate 3 (flip rate under typo <= 2%): a perturbation gate needs the behavioural "
                             "test log (--tests FILE)"));
        QCOMPARE(
            gateInputProblem((*gates)[3], in),
            std::string("gate 4 (no accuracy slice by region with n >= 100 worse by > 5 points): hard.csv "
                        "has no column 'region'"));
        QCOMPARE(gateInputProblem((*gates)[4], in), std::string()); // f1 works from predictions
        EvaluationSet multi = hard;
        multi.multiclass = true;
        multi.classes = {"a", "b", "c"};
        in.candidate = &multi;
        QCOMPARE(
            gateInputProblem((*gates)[4], in),
            std::string("gate 5 (f1 >= 0.5): f1 needs a binary log, and hard.csv is multiclass (accuracy, "
                        "error_rate and ece work)"));
    }
};

QTEST_GUILESS_MAIN(TestGates)
#include "test_gates.moc"
