// Simpson verdicts under DESIGN §4's corrected rules: "impossible" only with ids proving the same examples in
// the same strata, every stratum comparable and a decomposable metric; partial reversals stay partial; the
// explanation blames the mix only when the mix-standardised comparison changes the winner. Every expected
// number is worked by hand in the comments.
#include "core/analysis/slices.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

// Builds one model's log: an id column (or none), a stratum column, label 1 on every row and a 0/1
// prediction, so accuracy = the share of predictions that are 1.
struct LogBuilder {
    PredictionTable table;
    std::vector<int> labels, predictions;
    bool withIds = true;

    explicit LogBuilder(bool ids = true) : withIds(ids) {
        if (withIds) table.columns.push_back({"id", ColumnRole::Id, false, {}, {}, {}, {}});
        table.columns.push_back({"group", ColumnRole::Feature, false, {}, {}, {}, {}});
    }
    PredictionColumn& group() { return table.columns.back(); }
    void add(const std::string& id, const std::string& stratum, bool correct) {
        if (withIds) {
            auto& ids = table.columns.front();
            ids.dictionary.push_back(id);
            ids.codes.push_back(static_cast<std::int32_t>(ids.dictionary.size() - 1));
        }
        auto& g = group();
        auto it = std::find(g.dictionary.begin(), g.dictionary.end(), stratum);
        if (it == g.dictionary.end()) g.dictionary.push_back(stratum), it = g.dictionary.end() - 1;
        g.codes.push_back(static_cast<std::int32_t>(it - g.dictionary.begin()));
        labels.push_back(1);
        predictions.push_back(correct ? 1 : 0);
    }
    // Rows first..first+count-1 (ids "e<first>"...) in one stratum, `correct` of them right.
    void block(int first, int count, const std::string& stratum, int correct) {
        for (int i = 0; i < count; ++i)
            add("e" + std::to_string(first + i), stratum, i < correct);
    }
    CohortInput cohort(const std::string& name) const {
        CohortInput c;
        c.name = name;
        c.table = &table;
        c.labels = labels;
        c.predictions = predictions;
        return c;
    }
};

SliceReport slice(const LogBuilder& a, const LogBuilder& b, SliceMetric metric = SliceMetric::Accuracy) {
    SliceOptions options;
    options.by = {"group"};
    options.metric = metric;
    std::string error;
    auto report = compareSlices({a.cohort("A"), b.cohort("B")}, options, &error);
    if (!report) qFatal("%s", error.c_str());
    return *report;
}

QString text(const SliceReport& r) {
    return QString::fromStdString(r.simpson.explanation);
}

} // namespace

class TestSimpsonVerdicts : public QObject {
    Q_OBJECT
  private slots:
    void impossibleWhenAllFourHold() {
        // Same 60 ids in the same strata. A: s1 15/20, s2 12/20, s3 11/20 (38/60); B: 14/20, 10/20, 10/20
        // (34/60). A wins overall and every stratum: no reversal, and none can happen.
        LogBuilder a, b;
        a.block(0, 20, "s1", 15), a.block(20, 20, "s2", 12), a.block(40, 20, "s3", 11);
        b.block(0, 20, "s1", 14), b.block(20, 20, "s2", 10), b.block(40, 20, "s3", 10);
        const auto r = slice(a, b);
        QVERIFY(r.identicalExamples && r.sameStrata);
        QVERIFY(r.simpson.allStrataComparable && r.simpson.decomposable);
        QCOMPARE(r.simpson.reversal, Reversal::Impossible);
        QVERIFY2(text(r).contains("A complete reversal cannot happen"), qPrintable(text(r)));
    }

    void partialStaysPartialOnIdenticalExamples() {
        // Same 60 ids, same strata. A: s1 18/20, s2 10/20, s3 10/20 (38/60 = 63.3%); B: 10/20, 11/20, 11/20
        // (32/60 = 53.3%). B wins s2 and s3 (2 of 3): partial, which IS possible on the same examples.
        // The mix is the same, so standardised = overall (A 63.3% vs B 53.3%) and the mix explains nothing:
        // A's lead in s1 (90.0% vs 50.0%, 20 of 60 = 33% of all cases) outweighs B's 5-point leads.
        LogBuilder a, b;
        a.block(0, 20, "s1", 18), a.block(20, 20, "s2", 10), a.block(40, 20, "s3", 10);
        b.block(0, 20, "s1", 10), b.block(20, 20, "s2", 11), b.block(40, 20, "s3", 11);
        const auto r = slice(a, b);
        QCOMPARE(r.simpson.reversal, Reversal::Partial);
        QCOMPARE(r.simpson.overallWinner, std::string("A"));
        QCOMPARE(r.simpson.strataWon.at("B"), 2);
        QVERIFY(std::abs(r.simpson.standardized.at("A") - 38.0 / 60.0) < 1e-12);
        QVERIFY(!r.simpson.mixExplains);
        const QString t = text(r);
        QVERIFY2(!t.contains("because of the mix"), qPrintable(t));
        QVERIFY2(t.contains("the mix does not explain it"), qPrintable(t));
        QVERIFY2(t.contains("A's lead in group = s1 (90.0% vs 50.0%, 33% of all cases)"), qPrintable(t));
        QVERIFY2(t.contains("A complete reversal cannot happen"), qPrintable(t));
    }

    void sameIdsInDifferentStrataCanReverse() {
        // Kidney stones on ONE set of 350 ids whose stratum column differs per model: A's log files ids
        // e0..e86 as small (81 right) and e87..e349 as large (192 right); B's files e0..e269 as small (234
        // right) and e270..e349 as large (55 right). A wins both strata (93.1% vs 86.7%, 73.0% vs 68.8%),
        // B wins overall (289/350 vs 273/350): a complete reversal, possible because the strata differ.
        LogBuilder a, b;
        a.block(0, 87, "small", 81), a.block(87, 263, "large", 192);
        b.block(0, 270, "small", 234), b.block(270, 80, "large", 55);
        const auto r = slice(a, b);
        QVERIFY(r.identicalExamples);
        QVERIFY(!r.sameStrata);
        QVERIFY2(QString::fromStdString(r.examplesNote).contains("is in stratum"), r.examplesNote.c_str());
        QCOMPARE(r.simpson.reversal, Reversal::Complete);
        QCOMPARE(r.simpson.overallWinner, std::string("B"));
        // Pooled small = 87 + 270 = 357 cases, 315 right (88.2%); all 700 cases, 562 right (80.3%). B has
        // 270/350 = 77% small against A's 87/350 = 25%, and small is easier: the mix explains it.
        QVERIFY(r.simpson.mixExplains);
        QVERIFY2(
            text(r).contains("because of the mix: 77% of B's cases are group = small against 25% of A's"),
            qPrintable(text(r)));
        QVERIFY2(text(r).contains("easier (accuracy 88.2% there vs 80.3% over all cases)"),
                 qPrintable(text(r)));
    }

    void rowOrderAndAgreeingLabelsProveNothing() {
        // The impossible case's data without id columns: same row count, same labels, same order. That is
        // not proof of the same examples, so the verdict is an ordinary "none".
        LogBuilder a(false), b(false);
        a.block(0, 20, "s1", 15), a.block(20, 20, "s2", 12), a.block(40, 20, "s3", 11);
        b.block(0, 20, "s1", 14), b.block(20, 20, "s2", 10), b.block(40, 20, "s3", 10);
        const auto r = slice(a, b);
        QVERIFY(!r.identicalExamples);
        QVERIFY2(QString::fromStdString(r.examplesNote).contains("no id column"), r.examplesNote.c_str());
        QCOMPARE(r.simpson.reversal, Reversal::None);
    }

    void excludedStratumAllowsAComplete() {
        // Same 43 ids, same strata. A: s1 15/20, s2 15/20, s3 0/3 (30/43); B: 14/20, 14/20, 3/3 (31/43).
        // B wins overall; s3 (3 < min_n 10) is not comparable, A wins both comparable strata: complete,
        // which can happen because min_n left s3's 3 of 43 cases (7%) out. Standardised over all strata
        // (both have cases in each) equals overall, so B still leads and the mix explains nothing: B's lead
        // in s3 (100.0% vs 0.0%) does.
        LogBuilder a, b;
        a.block(0, 20, "s1", 15), a.block(20, 20, "s2", 15), a.block(40, 3, "s3", 0);
        b.block(0, 20, "s1", 14), b.block(20, 20, "s2", 14), b.block(40, 3, "s3", 3);
        const auto r = slice(a, b);
        QVERIFY(r.identicalExamples && r.sameStrata);
        QVERIFY(!r.simpson.allStrataComparable);
        QCOMPARE(r.simpson.reversal, Reversal::Complete);
        QCOMPARE(r.simpson.overallWinner, std::string("B"));
        QVERIFY(!r.simpson.mixExplains);
        const QString t = text(r);
        QVERIFY2(t.contains("B's lead in group = s3 (100.0% vs 0.0%, 7% of all cases, a stratum too small"),
                 qPrintable(t));
        QVERIFY2(t.contains("7% of the cases are in strata with fewer than 10 cases"), qPrintable(t));
        QVERIFY2(!t.contains("cannot happen"), qPrintable(t));
    }

    void nonDecomposableMetricIsNeverImpossible() {
        // The impossible case's data scored by precision (label 1 everywhere: precision = TP / predicted
        // positives = 1 wherever anything is predicted): same ids, same strata, yet precision's
        // denominator depends on the model, so the verdict cannot be "impossible".
        LogBuilder a, b;
        a.block(0, 20, "s1", 15), a.block(20, 20, "s2", 12), a.block(40, 20, "s3", 11);
        b.block(0, 20, "s1", 14), b.block(20, 20, "s2", 10), b.block(40, 20, "s3", 10);
        const auto r = slice(a, b, SliceMetric::Precision);
        QVERIFY(r.identicalExamples && r.sameStrata);
        QVERIFY(!r.simpson.decomposable);
        QVERIFY(r.simpson.reversal != Reversal::Impossible);
    }

    void duplicatedIdsProveNothing() {
        // Two rows with id e0 in A: the id sets cannot show one example per id.
        LogBuilder a, b;
        a.block(0, 20, "s1", 15), a.block(20, 20, "s2", 12);
        b.block(0, 20, "s1", 14), b.block(20, 20, "s2", 10);
        a.table.columns.front().codes[5] = a.table.columns.front().codes[0];
        const auto r = slice(a, b);
        QVERIFY(!r.identicalExamples);
        QVERIFY2(QString::fromStdString(r.examplesNote).contains("more than once"), r.examplesNote.c_str());
    }

    void noReversalMentionsAMixThatFlipsTheWinner() {
        // Cohorts of different examples (ids a*, b*). A: s1 80/100, s2 10/100 (90/200 = 45%); B: s1 15/20,
        // s2 20/180 (35/200 = 17.5%). A wins overall and both strata (80% vs 75%, 10% vs 11.1%)? No: B wins
        // s2 (11.1% > 10%), A wins s1: B wins 1 of 2, not a majority -> none. Pooled sizes s1 120, s2 280:
        // standardised A = (120*0.8 + 280*0.1)/400 = 0.31, B = (120*0.75 + 280*(1/9))/400 = 0.3028: A still
        // leads, so the sentence must not blame the mix.
        LogBuilder a, b;
        a.block(0, 100, "s1", 80), a.block(100, 100, "s2", 10);
        b.block(1000, 20, "s1", 15), b.block(1020, 180, "s2", 20);
        const auto r = slice(a, b);
        QCOMPARE(r.simpson.reversal, Reversal::None);
        QVERIFY(std::abs(r.simpson.standardized.at("A") - 0.31) < 1e-12);
        QVERIFY(std::abs(r.simpson.standardized.at("B") - (120 * 0.75 + 280.0 / 9.0) / 400.0) < 1e-12);
        QVERIFY(!r.simpson.mixExplains);
        QVERIFY2(!text(r).contains("mix"), qPrintable(text(r)));
    }
};

QTEST_APPLESS_MAIN(TestSimpsonVerdicts)
#include "test_simpson_verdicts.moc"
