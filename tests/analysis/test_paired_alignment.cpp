// The paired engine's alignment: ids only in one file, duplicated ids and label conflicts counted and left
// out; row alignment only when the labels agree on every row; DeLong only with both classes. The expected
// counts are worked by hand in the comments.
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/statistics.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

struct Log {
    PredictionTable table;
    EvaluationSet eval;
};

// ids empty: no id column. Numeric ids when numericIds.
Log makeLog(const std::vector<std::string>& ids, const std::vector<int>& labels,
            const std::vector<double>& scores, const std::vector<double>& numericIds = {}) {
    Log log;
    if (!ids.empty()) {
        PredictionColumn c{"id", ColumnRole::Id, false, {}, {}, {}, {}};
        for (const auto& id : ids) {
            c.dictionary.push_back(id);
            c.codes.push_back(static_cast<std::int32_t>(c.dictionary.size() - 1));
        }
        log.table.columns.push_back(std::move(c));
    } else if (!numericIds.empty()) {
        log.table.columns.push_back({"id", ColumnRole::Id, true, numericIds, {}, {}, {}});
    }
    std::vector<double> l(labels.begin(), labels.end());
    log.table.columns.push_back({"label", ColumnRole::Label, true, l, {}, {}, {}});
    log.table.columns.push_back({"score", ColumnRole::Score, true, scores, {}, {}, {}});
    auto result = extractEvaluationSet(log.table);
    if (!result.ok()) qFatal("%s", result.errors.front().describe().c_str());
    log.eval = std::move(result.set);
    return log;
}

} // namespace

class TestPairedAlignment : public QObject {
    Q_OBJECT
  private slots:
    void pinnedBaselineOnSharedPairs() {
        // A = e0..e5 plus x0..x2 (label 0, score .1) that no other log has; B = e0..e5; the baseline C
        // predicts 1 everywhere on e0..e4 plus y0 that only C has. On the 5 pairs C shares (e0..e4, labels 1
        // 1 1 1 0):
        //   C right on e0..e3 = 4/5; A predicts 1 1 1 0 0 -> right on e0, e1, e2, e4 = 4/5; B predicts
        //   1 0 0 0 1 -> right on e0 only = 1/5.
        const auto a = makeLog({"e0", "e1", "e2", "e3", "e4", "e5", "x0", "x1", "x2"},
                               {1, 1, 1, 1, 0, 0, 0, 0, 0}, {.9, .8, .7, .2, .1, .3, .1, .1, .1});
        const auto b =
            makeLog({"e0", "e1", "e2", "e3", "e4", "e5"}, {1, 1, 1, 1, 0, 0}, {.9, .4, .3, .2, .6, .1});
        const auto c =
            makeLog({"e0", "e1", "e2", "e3", "e4", "y0"}, {1, 1, 1, 1, 0, 0}, {.6, .6, .6, .6, .6, .6});
        std::string error;
        PairedOptions options;
        options.resamples = 20;
        const auto p = comparePaired(a.table, a.eval, b.table, b.eval, options, &error);
        QVERIFY2(p, error.c_str());
        const auto q =
            pinnedOnPairs(a.table, a.eval, b.table, b.eval, c.table, c.eval, *p, SliceMetric::Accuracy);
        QVERIFY2(q.skipped.empty(), q.skipped.c_str());
        QCOMPARE(q.n, std::int64_t(5));
        QVERIFY(std::abs(q.value - 0.8) < 1e-12);
        QVERIFY(std::abs(q.a - 0.8) < 1e-12);
        QVERIFY(std::abs(q.b - 0.2) < 1e-12);
        // A baseline sharing no example with the pairs is skipped with a reason.
        const auto d = makeLog({"z0", "z1"}, {1, 0}, {.6, .4});
        const auto none =
            pinnedOnPairs(a.table, a.eval, b.table, b.eval, d.table, d.eval, *p, SliceMetric::Accuracy);
        QCOMPARE(none.n, std::int64_t(0));
        QVERIFY(!none.skipped.empty());
        QVERIFY(std::isnan(none.value));
    }

    void countsEveryMismatchById() {
        // A: a b c d e e, B: b c d x f. "a" is only in A; x and f only in B; e appears twice in A (one
        // duplicate row, the id is ambiguous and left out); b, c, d are matched, and d's label is 1 in A but
        // 0 in B (a conflict, left out). Pairs used: b and c.
        const auto a = makeLog({"a", "b", "c", "d", "e", "e"}, {1, 0, 1, 1, 0, 0}, {.9, .2, .8, .7, .1, .3});
        const auto b = makeLog({"b", "c", "d", "x", "f"}, {0, 1, 0, 1, 0}, {.4, .6, .3, .5, .5});
        std::string error;
        const auto al = alignEvaluations(a.table, a.eval, b.table, b.eval, &error);
        QVERIFY2(al, error.c_str());
        QVERIFY(al->summary.byId);
        QCOMPARE(al->summary.matched, std::int64_t(3));
        QCOMPARE(al->summary.onlyA, std::int64_t(1));
        QCOMPARE(al->summary.onlyB, std::int64_t(2));
        QCOMPARE(al->summary.duplicates, std::int64_t(1));
        QCOMPARE(al->summary.labelConflicts, std::int64_t(1));
        QCOMPARE(al->summary.used, std::int64_t(2));
        QCOMPARE(al->pairs.rowsA, (std::vector<std::size_t>{1, 2}));
        QCOMPARE(al->pairs.rowsB, (std::vector<std::size_t>{0, 1}));
        const QString warning = QString::fromStdString(al->summary.warning());
        QVERIFY2(warning.contains("1 id only in A") && warning.contains("2 ids only in B") &&
                     warning.contains("1 duplicated id row") && warning.contains("1 id whose labels differ"),
                 qPrintable(warning));
    }

    void cleanAlignmentHasNoWarning() {
        const auto a = makeLog({"p", "q", "r"}, {1, 0, 1}, {.9, .2, .8});
        const auto b = makeLog({"r", "q", "p"}, {1, 0, 1}, {.6, .4, .7});
        const auto al = alignEvaluations(a.table, a.eval, b.table, b.eval, nullptr);
        QVERIFY(al);
        QVERIFY(al->summary.clean());
        QVERIFY(al->summary.warning().empty());
        QCOMPARE(al->pairs.rowsB, (std::vector<std::size_t>{2, 1, 0}));
    }

    void numericIdsKeepEveryDigit() {
        // %g would print 1234567 and 1234568 both as 1.23457e+06 and pair the wrong rows.
        const auto a = makeLog({}, {1, 0}, {.9, .2}, {1234567, 1234568});
        const auto b = makeLog({}, {0, 1}, {.3, .7}, {1234568, 1234567});
        const auto al = alignEvaluations(a.table, a.eval, b.table, b.eval, nullptr);
        QVERIFY(al);
        QCOMPARE(al->summary.matched, std::int64_t(2));
        QCOMPARE(al->summary.labelConflicts, std::int64_t(0));
        QCOMPARE(al->pairs.rowsB, (std::vector<std::size_t>{1, 0}));
        QCOMPARE(exampleIds(a.table), (std::vector<std::string>{"1234567", "1234568"}));
    }

    void rowsPairOnlyWhenLabelsAgree() {
        const auto a = makeLog({}, {1, 0, 1, 1}, {.9, .2, .8, .7});
        const auto same = makeLog({}, {1, 0, 1, 1}, {.5, .5, .5, .5});
        const auto al = alignEvaluations(a.table, a.eval, same.table, same.eval, nullptr);
        QVERIFY(al);
        QVERIFY(!al->summary.byId);
        QCOMPARE(al->summary.matched, std::int64_t(4));
        // Row 3 (1-based) has label 1 in A and 0 in B: refused, naming the row.
        const auto other = makeLog({}, {1, 0, 0, 1}, {.5, .5, .5, .5});
        std::string error;
        QVERIFY(!alignEvaluations(a.table, a.eval, other.table, other.eval, &error));
        QVERIFY2(QString::fromStdString(error).contains("first row 3 (label 1 in A, 0 in B)"), error.c_str());
        // Different row counts: refused too.
        const auto shorter = makeLog({}, {1, 0, 1}, {.5, .5, .5});
        QVERIFY(!alignEvaluations(a.table, a.eval, shorter.table, shorter.eval, &error));
        QVERIFY2(QString::fromStdString(error).contains("A has 4 rows while B has 3"), error.c_str());
    }

    void pairedTestsUseOnlyTheCleanPairs() {
        // Ids p0..p9 in both, plus "z" only in A and a conflict on p9. Pairs p0..p8 (9 used).
        // Correct at 0.5: A right on p0..p6 (7), B right on p0..p3 and p7, p8. Counts: both right p0..p3 = 4,
        // A only p4 p5 p6 = 3, B only p7 p8 = 2, both wrong 0. McNemar exact p = 2 * P(X <= 2), X ~ Bin(5,
        // 1/2) = 2 * (1 + 5 + 10) / 32 = 1.
        std::vector<std::string> ids;
        std::vector<int> labels;
        std::vector<double> sa, sb;
        for (int i = 0; i < 10; ++i) {
            ids.push_back("p" + std::to_string(i));
            labels.push_back(i % 2);
            const bool aRight = i <= 6, bRight = i <= 3 || i == 7 || i == 8;
            const int y = i % 2;
            sa.push_back(aRight == (y == 1) ? 0.8 : 0.2);
            sb.push_back(bRight == (y == 1) ? 0.7 : 0.3);
        }
        auto idsA = ids;
        auto labelsA = labels;
        auto saA = sa;
        idsA.push_back("z"), labelsA.push_back(1), saA.push_back(.9);
        auto labelsB = labels;
        labelsB[9] = 1 - labelsB[9];
        const auto a = makeLog(idsA, labelsA, saA);
        const auto b = makeLog(ids, labelsB, sb);
        PairedOptions options;
        std::string error;
        const auto p = comparePaired(a.table, a.eval, b.table, b.eval, options, &error);
        QVERIFY2(p, error.c_str());
        QCOMPARE(p->alignment.summary.used, std::int64_t(9));
        QCOMPARE(p->alignment.summary.onlyA, std::int64_t(1));
        QCOMPARE(p->alignment.summary.labelConflicts, std::int64_t(1));
        QCOMPARE(p->mcnemar.n, std::int64_t(9));
        QCOMPARE(p->mcnemar.bothCorrect, std::int64_t(4));
        QCOMPARE(p->mcnemar.aOnlyCorrect, std::int64_t(3));
        QCOMPARE(p->mcnemar.bOnlyCorrect, std::int64_t(2));
        QCOMPARE(p->mcnemar.bothWrong, std::int64_t(0));
        QVERIFY(std::abs(p->mcnemar.exactP - 1.0) < 1e-12);
        QCOMPARE(p->flips.size(), std::size_t(5));
        // Accuracy B - A = (6 - 7) / 9.
        QVERIFY(std::abs(p->bootstrap.delta - (-1.0 / 9.0)) < 1e-12);
        QVERIFY(p->delong.has_value()); // 4 positives and 5 negatives among the pairs
    }

    void delongNeedsTwoOfEachClass() {
        const auto a = makeLog({"a", "b", "c"}, {1, 1, 0}, {.9, .8, .2});
        const auto b = makeLog({"a", "b", "c"}, {1, 1, 0}, {.7, .6, .4});
        std::string error;
        const auto p = comparePaired(a.table, a.eval, b.table, b.eval, {}, &error);
        QVERIFY2(p, error.c_str());
        QVERIFY(!p->delong);
        QVERIFY(QString::fromStdString(p->delongSkipped).contains("two of each class"));
    }

    void nothingSharedIsRefused() {
        const auto a = makeLog({"a", "b"}, {1, 0}, {.9, .2});
        const auto b = makeLog({"c", "d"}, {1, 0}, {.7, .4});
        std::string error;
        QVERIFY(!comparePaired(a.table, a.eval, b.table, b.eval, {}, &error));
        QVERIFY2(QString::fromStdString(error).contains("share no example"), error.c_str());
    }
};

QTEST_APPLESS_MAIN(TestPairedAlignment)
#include "test_paired_alignment.moc"
