// Pareto front, domination lists and "cheapest within X of the best" on hand-worked runs, and cost names.
#include "core/analysis/pareto_front.h"
#include "core/model/cost_names.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

// Accuracy (higher better) against latency in ms (lower better):
//   a 0.90 @ 10, b 0.92 @ 20, c 0.91 @ 30 (dominated by b), d 0.95 @ 80, e 0.89 @ 15 (dominated by a: worse
//   and slower), f 0.95 @ 80 (a tie with d).
std::vector<ParetoPoint> runs() {
    return {{"a", 0.90, 0.88, 0.92, {10}}, {"b", 0.92, 0.90, 0.94, {20}}, {"c", 0.91, NAN, NAN, {30}},
            {"d", 0.95, 0.93, 0.97, {80}}, {"e", 0.89, NAN, NAN, {15}},   {"f", 0.95, NAN, NAN, {80}}};
}

ParetoAxes accuracyLatency() {
    ParetoAxes axes;
    axes.qualityName = "accuracy";
    axes.costNames = {"latency_ms"};
    axes.costHigherIsBetter = {false};
    return axes;
}

} // namespace

class TestParetoFront : public QObject {
    Q_OBJECT
  private slots:
    void frontOfTwoAxes() {
        const auto points = runs();
        const auto f = paretoFront(points, accuracyLatency());
        QCOMPARE(f.front, (std::vector<std::size_t>{0, 1, 3, 5})); // a, b, d and its tie f; cheapest first
        QVERIFY(!f.onFront[2] && !f.onFront[4]);
        const auto by = dominatedBy(points, accuracyLatency());
        QCOMPARE(by[2], (std::vector<std::size_t>{1})); // c: only b is both better and cheaper
        QCOMPARE(by[4], (std::vector<std::size_t>{0})); // e: only a is both better and cheaper
        QVERIFY(by[0].empty() && by[3].empty() && by[5].empty());
        // The sweep and the pairwise definition agree.
        for (std::size_t i = 0; i < points.size(); ++i)
            QCOMPARE(bool(f.onFront[i]), by[i].empty());
    }

    void severalCostAxesAndDirections() {
        // Costs (latency lower, throughput higher): a (10, 100), b (20, 400), c (20, 300) dominated by b.
        std::vector<ParetoPoint> p{{"a", 0.9, NAN, NAN, {10, 100}},
                                   {"b", 0.9, NAN, NAN, {20, 400}},
                                   {"c", 0.9, NAN, NAN, {20, 300}},
                                   {"x", NAN, NAN, NAN, {1, 1}}};
        ParetoAxes axes;
        axes.costNames = {"latency", "throughput"};
        axes.costHigherIsBetter = {false, true};
        const auto f = paretoFront(p, axes);
        QVERIFY(f.onFront[0] && f.onFront[1] && !f.onFront[2]);
        QCOMPARE(f.excluded, (std::vector<std::size_t>{3}));
        QVERIFY(dominates(p[1], p[2], axes));
        QVERIFY(!dominates(p[0], p[1], axes) && !dominates(p[1], p[0], axes));
        // Lower-is-better quality (e.g. RMSE): the smaller value wins.
        ParetoAxes rmse = axes;
        rmse.qualityHigherIsBetter = false;
        std::vector<ParetoPoint> q{{"u", 1.0, NAN, NAN, {10, 100}}, {"v", 2.0, NAN, NAN, {10, 100}}};
        QVERIFY(dominates(q[0], q[1], rmse));
    }

    void cheapestWithinOfTheBest() {
        const auto points = runs();
        // Best accuracy 0.95 (d and f tie on cost too: d, the first). Within 0.03: a (0.90) is out, b (0.92)
        // is in, the cheapest in is b at 20 ms: 80 / 20 = 4x lower latency.
        const auto r = cheapestWithin(points, accuracyLatency(), 0.03);
        QVERIFY(r.found);
        QCOMPARE(r.best, std::size_t(3));
        QCOMPARE(r.chosen, std::size_t(1));
        QVERIFY(std::abs(r.qualityGap - 0.03) < 1e-12);
        QCOMPARE(r.costFactor, 4.0);
        QVERIFY(r.intervalsOverlap); // [0.90, 0.94] against [0.93, 0.97]
        QVERIFY(r.sentence.find("may be noise") != std::string::npos);
    }

    void cheapestWithinRelative() {
        const auto points = runs();
        // 6% of 0.95 = 0.057: a (gap 0.05) qualifies and is the cheapest (10 ms, 8x lower); intervals [0.88,
        // 0.92] and [0.93, 0.97] do not overlap.
        const auto r = cheapestWithin(points, accuracyLatency(), 0.06, ToleranceKind::Relative);
        QCOMPARE(r.chosen, std::size_t(0));
        QCOMPARE(r.costFactor, 8.0);
        QVERIFY(!r.intervalsOverlap);
        QVERIFY(r.sentence.find("a is the cheapest run within 6% of the best accuracy") != std::string::npos);
        QVERIFY(r.sentence.find("8x lower") != std::string::npos);
        const auto none = cheapestWithin(points, accuracyLatency(), 0.0);
        QCOMPARE(none.chosen, none.best);
        QVERIFY(cheapestWithin({}, accuracyLatency(), 0.1).sentence.find("No run") != std::string::npos);
    }

    void costNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("kind"); // -1: not a cost
        QTest::addColumn<bool>("lower");
        auto row = [](const char* n, int kind, bool lower) {
            QTest::newRow(n) << QString(n) << kind << lower;
        };
        row("latency", int(CostKind::Latency), true);
        row("p95_latency_ms", int(CostKind::Latency), true);
        row("inference_time", int(CostKind::Latency), true);
        row("time_per_sample", int(CostKind::Latency), true);
        row("throughput", int(CostKind::Throughput), false);
        row("train_samples_per_second", int(CostKind::Throughput), false);
        row("tokens/s", int(CostKind::Throughput), false);
        row("qps", int(CostKind::Throughput), false);
        row("params", int(CostKind::ParameterCount), true);
        row("param_count", int(CostKind::ParameterCount), true);
        row("num_parameters", int(CostKind::ParameterCount), true);
        row("numParams", int(CostKind::ParameterCount), true);
        row("model_size", int(CostKind::ModelSize), true);
        row("size_mb", int(CostKind::ModelSize), true);
        row("flops", int(CostKind::Flops), true);
        row("GFLOPs", int(CostKind::Flops), true);
        row("train_time", int(CostKind::Runtime), true);
        row("training_time", int(CostKind::Runtime), true);
        row("train_runtime", int(CostKind::Runtime), true);
        row("time_total_s", int(CostKind::Runtime), true);
        row("peak_memory_mb", int(CostKind::PeakMemory), true);
        row("val_loss", -1, true);
        row("accuracy", -1, true);
        row("learning_rate", -1, true);
        row("grad_norm", -1, true);
        row("timestamp", -1, true);
    }

    void costNames() {
        QFETCH(QString, name);
        QFETCH(int, kind);
        QFETCH(bool, lower);
        const auto m = costMetricOf(name.toStdString());
        if (kind < 0) {
            QVERIFY2(!m, qPrintable(name));
            return;
        }
        QVERIFY2(m, qPrintable(name));
        QCOMPARE(int(m->kind), kind);
        QCOMPARE(m->lowerIsBetter, lower);
        QVERIFY(!costKindName(m->kind).empty());
    }
};

QTEST_APPLESS_MAIN(TestParetoFront)
#include "test_pareto_front.moc"
