// Which runs an ensemble what-if takes, how their rows are matched, and what the average scores, by hand and
// against scikit-learn 1.2.
#include "core/analysis/ensemble_members.h"
#include "tests/common/eval_test_util.h"

#include <QtTest>

using namespace runlens;

namespace {

PredictionTable tableWithIds(const std::vector<double>& ids) {
    PredictionTable t;
    PredictionColumn id;
    id.name = "id";
    id.role = ColumnRole::Id;
    id.numbers = ids;
    t.columns.push_back(id);
    return t;
}

EvaluationSet binarySet(std::vector<int> labels, std::vector<double> scores) {
    EvaluationSet e;
    e.classes = {"0", "1"};
    e.labels = std::move(labels);
    e.scores = std::move(scores);
    return e;
}

} // namespace

class TestEnsembleMembers : public QObject {
    Q_OBJECT
  private slots:
    void alignsByIdInTheFirstMembersOrder() {
        // Ids 1-4, the same reversed, and 2-5: ids 2, 3, 4 are in all three.
        const PredictionTable a = tableWithIds({1, 2, 3, 4}), b = tableWithIds({4, 3, 2, 1}),
                              c = tableWithIds({2, 3, 4, 5});
        const PredictionTable* tables[] = {&a, &b, &c};
        const auto rows = alignMembers(tables);
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[0], (std::vector<std::size_t>{1, 2, 3}));
        QCOMPARE(rows[1], (std::vector<std::size_t>{2, 1, 0}));
        QCOMPARE(rows[2], (std::vector<std::size_t>{0, 1, 2}));
    }

    void alignsByRowWithoutIds() {
        PredictionTable a, b;
        a.columns.push_back({"score", ColumnRole::Score, true, {0.1, 0.2, 0.3}, {}, {}, {}});
        b.columns.push_back({"score", ColumnRole::Score, true, {0.1, 0.2}, {}, {}, {}});
        const PredictionTable* tables[] = {&a, &b};
        const auto rows = alignMembers(tables);
        QCOMPARE(rows[0], (std::vector<std::size_t>{0, 1}));
        QCOMPARE(rows[1], (std::vector<std::size_t>{0, 1}));
    }

    void averagesTheBinaryMembersOnSharedExamples() {
        // On ids 2, 3, 4 (labels 1, 0, 1 in the first member; the second says 1 for id 3: one disagreement):
        //   m0 .9 .2 .4, m1 .7 .4 .8, m2 .8 .3 .3 -> average .8 .3 .5: at 0.5 it predicts 1 0 1, accuracy 1.
        //   Votes: m0 1 0 0, m1 1 0 1, m2 1 0 0 -> majority 1 0 0, accuracy 2/3.
        // sklearn 1.2.1: log_loss([1,0,1], [.8,.3,.5]) = 0.4243218919376292,
        //                brier_score_loss([1,0,1], [.8,.3,.5]) = 0.12666666666666668.
        const PredictionTable ta = tableWithIds({1, 2, 3, 4}), tb = tableWithIds({4, 3, 2, 1}),
                              tc = tableWithIds({2, 3, 4, 5}), tm = tableWithIds({1, 2, 3, 4});
        const EvaluationSet a = binarySet({0, 1, 0, 1}, {0.1, 0.9, 0.2, 0.4});
        const EvaluationSet b = binarySet({1, 1, 1, 0}, {0.8, 0.4, 0.7, 0.6});
        const EvaluationSet c = binarySet({1, 0, 1, 0}, {0.8, 0.3, 0.3, 0.5});
        EvaluationSet multi;
        multi.multiclass = true;
        multi.classes = {"x", "y", "z"};
        multi.labels = {0, 1, 2, 0};
        multi.probs.assign(12, 1.0 / 3.0);
        const EnsembleCandidate candidates[] = {
            {"a", &ta, &a}, {"b", &tb, &b}, {"unreadable", &tm, nullptr}, {"c", &tc, &c}, {"m", &tm, &multi}};
        const EnsembleOfRuns r = ensembleOfRuns(candidates);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY(!r.multiclass);
        QCOMPARE(r.members, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(r.leftOut, (std::vector<std::string>{"unreadable", "m"}));
        QCOMPARE(r.shared, std::size_t(3));
        QCOMPARE(r.labelDisagreements, std::size_t(1));
        QCOMPARE(r.binary.members.size(), std::size_t(3));
        RL_COMPARE_NEAR(r.binary.average.accuracy, 1.0, 1e-15);
        RL_COMPARE_NEAR(r.binary.average.logLoss, 0.4243218919376292, 1e-12);
        RL_COMPARE_NEAR(r.binary.average.brier, 0.12666666666666668, 1e-12);
        RL_COMPARE_NEAR(r.binary.majorityVote.accuracy, 2.0 / 3.0, 1e-15);
    }

    void multiclassWhenMoreMembersHaveClassProbabilities() {
        // Two multiclass members over the same classes and one binary member: the multiclass ones are taken.
        // Both put 0.6 on the true class of each row, so their average does too: accuracy 1.
        const PredictionTable t = tableWithIds({1, 2});
        EvaluationSet m;
        m.multiclass = true;
        m.classes = {"x", "y", "z"};
        m.labels = {0, 2};
        m.probs = {0.6, 0.2, 0.2, 0.2, 0.2, 0.6};
        const EvaluationSet binary = binarySet({0, 1}, {0.2, 0.9});
        const EnsembleCandidate candidates[] = {{"m1", &t, &m}, {"bin", &t, &binary}, {"m2", &t, &m}};
        const EnsembleOfRuns r = ensembleOfRuns(candidates);
        QVERIFY(r.multiclass);
        QCOMPARE(r.members, (std::vector<std::string>{"m1", "m2"}));
        QCOMPARE(r.leftOut, (std::vector<std::string>{"bin"}));
        RL_COMPARE_NEAR(r.ofClasses.average.accuracy, 1.0, 1e-15);
    }

    void fewerThanTwoMembersIsAnError() {
        const PredictionTable t = tableWithIds({1, 2});
        const EvaluationSet a = binarySet({0, 1}, {0.2, 0.9});
        const EnsembleCandidate candidates[] = {{"a", &t, &a}, {"b", &t, nullptr}};
        const EnsembleOfRuns r = ensembleOfRuns(candidates);
        QCOMPARE(r.error, std::string("fewer than two usable members"));
        QCOMPARE(r.binary.error, r.error);
        QCOMPARE(r.ofClasses.error, r.error);
    }
};

QTEST_APPLESS_MAIN(TestEnsembleMembers)
#include "test_ensemble_members.moc"
