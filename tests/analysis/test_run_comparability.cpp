// Comparability warnings of a set of runs, each sentence worked out by hand from the runs it is given.
#include "core/analysis/run_comparability.h"

#include <QtTest>

using namespace runlens;

namespace {

RunInfo makeRun(const std::string& name, std::map<std::string, std::string> params) {
    RunInfo run;
    run.name = name;
    run.params = std::move(params);
    return run;
}

SeriesSummary series(const std::string& tag, std::int64_t lastStep, double last) {
    SeriesSummary s;
    s.tag = tag;
    s.lastStep = lastStep;
    s.last = last;
    return s;
}

bool anyContains(const std::vector<std::string>& warnings, const std::string& text) {
    for (const auto& w : warnings)
        if (w.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

class TestRunComparability : public QObject {
    Q_OBJECT
  private slots:
    void keys() {
        QVERIFY(isBudgetKey("trainer.max_steps"));
        QVERIFY(isBudgetKey("opt/Num_Epochs"));
        QVERIFY(!isBudgetKey("max_steps_per_eval"));
        QVERIFY(isSeedKey("data_seed"));
        QVERIFY(isSeedKey("Random_State"));
        QVERIFY(!isSeedKey("lr"));
    }

    void mainLossPrefersConventionalNames() {
        // Both log "val_loss" and "train/loss": the conventional name wins; with only "val_loss" and
        // "aux_loss", the non-validation one is taken; a tag only one run logs is never the main loss.
        std::vector<RunInfo> runs(2);
        for (auto& r : runs)
            r.series = {series("aux_loss", 10, 1), series("train/loss", 10, 1), series("val_loss", 10, 1)};
        QCOMPARE(mainLossTag(runs), std::string("train/loss"));
        for (auto& r : runs)
            r.series = {series("aux_loss", 10, 1), series("val_loss", 10, 1)};
        QCOMPARE(mainLossTag(runs), std::string("aux_loss"));
        runs[1].series = {series("val_loss", 10, 1)};
        QCOMPARE(mainLossTag(runs), std::string());
    }

    void seedTwinsGiveTheirSpread() {
        // Only "seed" differs; loss last 0.3 and 0.35: spread 0.05 (printed with six significant digits).
        std::vector<RunInfo> runs{makeRun("a", {{"lr", "0.1"}, {"seed", "1"}}),
                                  makeRun("b", {{"lr", "0.1"}, {"seed", "2"}})};
        runs[0].series = {series("loss", 100, 0.3)};
        runs[1].series = {series("loss", 100, 0.35)};
        const auto w = comparabilityWarnings(runs, {{}, {}});
        QCOMPARE(w.size(), std::size_t(1));
        QCOMPARE(w[0],
                 std::string("These runs differ only by seed: their difference is noise. Seed spread: loss "
                             "last 0.3 to 0.35 (spread 0.05)."));
    }

    void budgetsAndEvaluationSets() {
        // max_steps 100 vs 200 and the loss ends at step 100 vs 200; lr differs too, so not seed twins. The
        // evaluation sets differ by one row.
        std::vector<RunInfo> runs{makeRun("a", {{"lr", "0.1"}, {"max_steps", "100"}}),
                                  makeRun("b", {{"lr", "0.01"}, {"max_steps", "200"}})};
        runs[0].series = {series("loss", 100, 0.3)};
        runs[1].series = {series("loss", 200, 0.2)};
        const std::vector<std::vector<EvaluationSetSize>> sets{{{"val", 100}}, {{"val", 101}}};
        const auto w = comparabilityWarnings(runs, sets);
        QCOMPARE(w.size(), std::size_t(3));
        QCOMPARE(w[0], std::string("Different evaluation sets (val (100 rows): a; val (101 rows): b): their "
                                   "metrics are not measured on the same examples."));
        QCOMPARE(w[1], std::string("Different training budgets: last step of 'loss' is 100: a; 200: b."));
        QCOMPARE(w[2], std::string("Different training budgets: max_steps is 100: a; 200: b."));
        QVERIFY(!anyContains(w, "seed"));
    }

    void dataVersionsGroupRunsByValue() {
        // Ten runs: r0 and r1 on v1, r9 on v2, the others unknown: each value once, in first-seen order, with
        // at most three names.
        std::vector<RunInfo> runs(10);
        for (std::size_t i = 0; i < runs.size(); ++i) {
            runs[i].name = "r" + std::to_string(i);
            if (i < 2) runs[i].provenance.dataVersion = "v1";
        }
        runs[9].provenance.dataVersion = "v2";
        const auto w = comparabilityWarnings(runs, {});
        QVERIFY(
            anyContains(w, "Different data versions (v1: r0, r1; unknown: r2, r3, r4 and 4 more; v2: r9)."));
    }

    void oneRunOrIdenticalRunsGiveNothing() {
        const std::vector<RunInfo> one{makeRun("a", {})};
        QVERIFY(comparabilityWarnings(one, {}).empty());
        const std::vector<RunInfo> same{makeRun("a", {{"lr", "1"}}), makeRun("b", {{"lr", "1"}})};
        QVERIFY(comparabilityWarnings(same, {{{"val", 5}}, {{"val", 5}}}).empty());
    }
};

QTEST_APPLESS_MAIN(TestRunComparability)
#include "test_run_comparability.moc"
