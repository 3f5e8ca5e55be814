// More end-to-end cases of the baselines beside the model's numbers (issue 14 item 7), beyond
// test_cli_baselines: zero-rule ties and every slice metric, the zero-rule of diff on the used pairs only
// (unmatched ids and label conflicts left out), --baseline as a workspace run in diff, the uniform-random
// baseline's exact expectations at several thresholds, multiclass baselines and a multiclass pinned baseline.
// Every expected value is worked by hand from the tiny logs written here; the arithmetic is in the comments.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Result = runlens::test::CliResult;

Result run(const QStringList& args, const QString& cwd) {
    return runlens::test::runRunlens(args, 120000, {}, cwd);
}

QJsonObject json(const Result& r) {
    return runlens::test::jsonOf(r);
}

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol;
}

void writeFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// Ten examples in three segments; the model's predictions are score >= 0.5.
//   a: labels 1,1,1,0  (3 of 4 positive: zero-rule always 1)
//   b: labels 0,0,0,1  (1 of 4 positive: zero-rule always 0)
//   c: labels 1,0      (a tie: zero-rule takes the negative class, always 0)
//   overall: 5 of 10 positive, a tie again: always 0, although a and its 3 positives lean the other way.
// Model: a predicts 1,1,0,0 (3/4 right), b 0,0,1,1 (3/4), c 1,0 (2/2); overall 8/10.
const QByteArray kSegments = "id,label,score,segment\n"
                             "e0,1,0.9,a\ne1,1,0.8,a\ne2,1,0.3,a\ne3,0,0.4,a\n"
                             "e4,0,0.1,b\ne5,0,0.2,b\ne6,0,0.7,b\ne7,1,0.6,b\n"
                             "e8,1,0.6,c\ne9,0,0.4,c\n";

// A zero-rule score is 0 or 1, clipped to [eps, 1 - eps] with eps = 2^-52 by the log loss: a wrong example
// costs -ln(1 - (1 - 2^-52)) = 52 ln 2, a right one -ln(1 - 2^-52) ~ 2.2e-16 (below the tolerance).
const double kWrongLoss = 52 * std::log(2.0);

QJsonObject sliceWith(const QJsonObject& doc, const QString& segment) {
    for (const auto& s : doc["slices"].toArray())
        if (s.toObject()["key"].toObject()["segment"].toString() == segment) return s.toObject();
    return {};
}

// Six shared examples e0..e5 with labels 1,1,1,1,0,0 (4 of 6 positive: zero-rule always 1, right on 4/6).
// A: scores .9,.8,.7,.2,.1,.3 -> predictions 1,1,1,0,0,0 -> right on 5/6.
// B: scores .9,.4,.3,.2,.6,.1 -> predictions 1,0,0,0,1,0 -> right on 2/6.
const QByteArray kPairedA = "id,label,score\ne0,1,0.9\ne1,1,0.8\ne2,1,0.7\ne3,1,0.2\ne4,0,0.1\ne5,0,0.3\n";
const QByteArray kPairedB = "id,label,score\ne0,1,0.9\ne1,1,0.4\ne2,1,0.3\ne3,1,0.2\ne4,0,0.6\ne5,0,0.1\n";

} // namespace

class TestCliBaselineCases : public QObject {
    Q_OBJECT
  private slots:
    void slicesZeroRulePerCell_data();
    void slicesZeroRulePerCell();
    void slicesPinnedBaseline();
    void diffZeroRuleOnUsedPairs();
    void diffPinnedBaselineFileAndRun();
    void diffPinnedBaselineOnSharedPairs();
    void calibrationBinaryBaselines_data();
    void calibrationBinaryBaselines();
    void calibrationPinnedBaseline();
    void calibrationPinnedBaselineOnSharedExamples();
    void calibrationMulticlassBaselines();
};

void TestCliBaselineCases::slicesZeroRulePerCell_data() {
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<double>("c");
    QTest::addColumn<double>("overall");
    // Always 1 in a, always 0 in b, c and overall (see kSegments). NaN: undefined, written as null.
    QTest::newRow("accuracy") << "accuracy" << 3.0 / 4 << 3.0 / 4 << 1.0 / 2 << 5.0 / 10;
    QTest::newRow("error_rate") << "error_rate" << 1.0 / 4 << 1.0 / 4 << 1.0 / 2 << 5.0 / 10;
    QTest::newRow("positive_rate") << "positive_rate" << 1.0 << 0.0 << 0.0 << 0.0;
    // Recall: a finds its 3 positives; b, c and overall find none of theirs.
    QTest::newRow("recall") << "recall" << 1.0 << 0.0 << 0.0 << 0.0;
    // Precision: a 3 right of 4 predicted positive; elsewhere nothing is predicted positive: undefined.
    QTest::newRow("precision") << "precision" << 3.0 / 4 << qQNaN() << qQNaN() << qQNaN();
    // F1 = 2PR/(P+R): a 2(3/4)(1)/(7/4) = 6/7; elsewhere tp = 0 with positives missed: 0.
    QTest::newRow("f1") << "f1" << 6.0 / 7 << 0.0 << 0.0 << 0.0;
    // Scores 1 or 0: Brier is the share of wrong examples.
    QTest::newRow("brier") << "brier" << 1.0 / 4 << 1.0 / 4 << 1.0 / 2 << 5.0 / 10;
    QTest::newRow("mean_score") << "mean_score" << 1.0 << 0.0 << 0.0 << 0.0;
    // One constant score: every positive-negative pair is a tie, counted half.
    QTest::newRow("auc") << "auc" << 0.5 << 0.5 << 0.5 << 0.5;
    // a: 1 wrong of 4; b: 1 of 4; c: 1 of 2; overall: 5 of 10.
    QTest::newRow("log_loss") << "log_loss" << kWrongLoss / 4 << kWrongLoss / 4 << kWrongLoss / 2
                              << kWrongLoss / 2;
}

void TestCliBaselineCases::slicesZeroRulePerCell() {
    QFETCH(QString, metric);
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(double, c);
    QFETCH(double, overall);
    QTemporaryDir dir;
    writeFile(dir.filePath("preds.csv"), kSegments);
    const auto r = run({"slices", "preds.csv", "--by", "segment", "--metric", metric, "--min-n", "1",
                        "--json", "--resamples", "20"},
                       dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto doc = json(r);
    QCOMPARE(doc["cohorts"].toArray().size(), 1);
    const QString cohort = doc["cohorts"].toArray().first().toString();
    auto check = [&](const QJsonValue& value, double expected, const char* where) {
        if (std::isnan(expected))
            QVERIFY2(value.isNull(), where);
        else
            QVERIFY2(
                value.isDouble() && near(value.toDouble(), expected, 1e-9),
                qPrintable(QString("%1: %2, expected %3").arg(where).arg(value.toDouble()).arg(expected)));
    };
    const std::pair<QString, double> cells[] = {{"a", a}, {"b", b}, {"c", c}};
    for (const auto& [segment, expected] : cells) {
        const auto slice = sliceWith(doc, segment);
        QVERIFY2(!slice.isEmpty(), qPrintable(segment));
        check(slice["cohorts"].toObject()[cohort].toObject()["zero_rule"], expected, qPrintable(segment));
    }
    check(doc["overall"].toObject()[cohort].toObject()["zero_rule"], overall, "overall cell");
    check(doc["baselines"].toObject()["zero_rule"].toObject()[cohort], overall, "baselines.zero_rule");
}

void TestCliBaselineCases::slicesPinnedBaseline() {
    // Pinned log on the same segments plus one row in a segment d the model's log does not have.
    //   a: labels 1,1,1,0, scores all .9 -> predictions 1,1,1,1 -> 3/4 right
    //   b: labels 0,0,0,1, scores .6,.1,.2,.3 -> predictions 1,0,0,0 -> right on e5, e6: 2/4
    //   c: labels 1,0, scores .4,.6 -> both wrong: 0/2
    //   d: label 1, score .9 -> right (in no slice of the model: unmatched)
    //   overall over its own 11 rows: 3 + 2 + 0 + 1 = 6 right.
    // Lift = model - baseline: a 3/4 - 3/4 = 0, b 3/4 - 2/4 = 1/4, c 1 - 0 = 1, overall 8/10 - 6/11.
    QTemporaryDir dir;
    writeFile(dir.filePath("preds.csv"), kSegments);
    writeFile(dir.filePath("pin.csv"), "id,label,score,segment\n"
                                       "e0,1,0.9,a\ne1,1,0.9,a\ne2,1,0.9,a\ne3,0,0.9,a\n"
                                       "e4,0,0.6,b\ne5,0,0.1,b\ne6,0,0.2,b\ne7,1,0.3,b\n"
                                       "e8,1,0.4,c\ne9,0,0.6,c\n"
                                       "e10,1,0.9,d\n");
    const auto r =
        run({"slices", "preds.csv", "--by", "segment", "--min-n", "1", "--baseline", "pin.csv", "--json"},
            dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto doc = json(r);
    const QString cohort = doc["cohorts"].toArray().first().toString();
    const auto baseline = doc["baseline"].toObject();
    QCOMPARE(baseline["name"].toString(), QString("pin"));
    QCOMPARE(baseline["unmatched_rows"].toInt(), 1);
    QCOMPARE(baseline["overall"].toObject()["n"].toInt(), 11);
    QVERIFY(near(baseline["overall"].toObject()["value"].toDouble(), 6.0 / 11));
    QVERIFY(near(baseline["lift"].toObject()[cohort].toDouble(), 8.0 / 10 - 6.0 / 11));
    const std::tuple<QString, int, double, double> cells[] = {
        {"a", 4, 3.0 / 4, 0.0}, {"b", 4, 2.0 / 4, 1.0 / 4}, {"c", 2, 0.0, 1.0}};
    for (const auto& [segment, n, value, lift] : cells) {
        const auto pinned = sliceWith(doc, segment)["baseline"].toObject();
        QCOMPARE(pinned["name"].toString(), QString("pin"));
        QCOMPARE(pinned["cell"].toObject()["n"].toInt(), n);
        QVERIFY2(near(pinned["cell"].toObject()["value"].toDouble(), value), qPrintable(segment));
        QVERIFY2(near(pinned["lift"].toObject()[cohort].toDouble(), lift), qPrintable(segment));
    }
    QVERIFY(sliceWith(doc, "d").isEmpty()); // the baseline adds no slice
    // The model's own numbers and the verdict do not move: the zero-rule of a is still 3/4.
    QVERIFY(near(sliceWith(doc, "a")["cohorts"].toObject()[cohort].toObject()["zero_rule"].toDouble(), 0.75));
    // -w and --eval-set only name the run given to --baseline.
    QCOMPARE(run({"slices", "preds.csv", "--by", "segment", "--eval-set", "val"}, dir.path()).code, 2);
}

void TestCliBaselineCases::diffZeroRuleOnUsedPairs() {
    // kPairedA/B plus: A has x0..x2 (label 0) that B lacks, and both have c0 with different labels (1 in A, 0
    // in B), a conflict that is left out. Over A's whole log the labels are 5 positive of 10 (a tie: always
    // 0, right on 1/2); on the 6 used pairs they are 4 of 6 (always 1, right on 4/6), which is what must be
    // used. A is right on 5/6 of the pairs, B on 2/6: lift_a = 5/6 - 4/6 = 1/6, lift_b = 2/6 - 4/6 = -1/3.
    QTemporaryDir dir;
    writeFile(dir.filePath("A.csv"), kPairedA + "x0,0,0.1\nx1,0,0.1\nx2,0,0.1\nc0,1,0.9\n");
    writeFile(dir.filePath("B.csv"), kPairedB + "c0,0,0.1\n");
    auto r = run({"diff", "A.csv", "B.csv", "--json", "--resamples", "50"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    auto paired = json(r)["paired"].toObject();
    QCOMPARE(paired["alignment"].toObject()["used"].toInt(), 6);
    QCOMPARE(paired["alignment"].toObject()["only_a"].toInt(), 3);
    QCOMPARE(paired["alignment"].toObject()["label_conflicts"].toInt(), 1);
    auto zero = paired["baselines"].toObject()["zero_rule"].toObject();
    QCOMPARE(zero["metric"].toString(), QString("accuracy"));
    QVERIFY(near(zero["value"].toDouble(), 4.0 / 6));
    QVERIFY(near(zero["a"].toDouble(), 5.0 / 6));
    QVERIFY(near(zero["b"].toDouble(), 2.0 / 6));
    QVERIFY(near(zero["lift_a"].toDouble(), 1.0 / 6));
    QVERIFY(near(zero["lift_b"].toDouble(), -1.0 / 3));

    // Error rate: zero-rule 2/6, A 1/6, B 4/6; lift is model minus baseline, so here negative is better.
    r = run({"diff", "A.csv", "B.csv", "--json", "--resamples", "50", "--metric", "error_rate"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    zero = json(r)["paired"].toObject()["baselines"].toObject()["zero_rule"].toObject();
    QCOMPARE(zero["metric"].toString(), QString("error_rate"));
    QVERIFY(near(zero["value"].toDouble(), 2.0 / 6));
    QVERIFY(near(zero["lift_a"].toDouble(), 1.0 / 6 - 2.0 / 6));
    QVERIFY(near(zero["lift_b"].toDouble(), 4.0 / 6 - 2.0 / 6));

    // The Markdown report carries the same line.
    r = run({"diff", "A.csv", "B.csv", "--resamples", "50"}, dir.path());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("zero-rule baseline"), r.out.constData());
}

void TestCliBaselineCases::diffPinnedBaselineFileAndRun() {
    // A and B as kPairedA/B; the pinned baseline C scores every example 0.6 (predicts 1 everywhere).
    // Accuracy: A 5/6, B 2/6, C 4/6 -> lift_a 1/6, lift_b -1/3.
    // ROC AUC (pairs positive > negative, ties half; positives e0..e3, negatives e4, e5):
    //   A: .9,.8,.7 beat .1 and .3 (6), .2 beats .1 only (1) -> 7/8
    //   B: .9 beats .6 and .1 (2), .4, .3, .2 beat only .1 (3) -> 5/8
    //   C: all tied -> 1/2; lift_a 3/8, lift_b 1/8.
    const QByteArray kPinned = "id,label,score\ne0,1,0.6\ne1,1,0.6\ne2,1,0.6\ne3,1,0.6\ne4,0,0.6\ne5,0,0.6\n";
    QTemporaryDir dir;
    writeFile(dir.filePath("A.csv"), kPairedA);
    writeFile(dir.filePath("B.csv"), kPairedB);
    writeFile(dir.filePath("C.csv"), kPinned);
    auto check = [](const QJsonObject& baseline, const QString& name) {
        QCOMPARE(baseline["name"].toString(), name);
        const auto metrics = baseline["metrics"].toObject();
        QVERIFY(near(metrics["eval/accuracy"].toDouble(), 4.0 / 6));
        QVERIFY(near(metrics["eval/roc_auc"].toDouble(), 0.5));
        QVERIFY(near(baseline["lift_a"].toObject()["eval/accuracy"].toDouble(), 1.0 / 6));
        QVERIFY(near(baseline["lift_b"].toObject()["eval/accuracy"].toDouble(), -1.0 / 3));
        QVERIFY(near(baseline["lift_a"].toObject()["eval/roc_auc"].toDouble(), 3.0 / 8));
        QVERIFY(near(baseline["lift_b"].toObject()["eval/roc_auc"].toDouble(), 1.0 / 8));
    };
    auto r =
        run({"diff", "A.csv", "B.csv", "--baseline", "C.csv", "--json", "--resamples", "50"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    check(json(r)["baseline"].toObject(), "C");
    if (QTest::currentTestFailed()) return;
    // The Markdown report (the default output) shows the pinned baseline too: accuracy 4/6 = 0.6667 to four
    // digits, lift of A 1/6 = 0.1667, of B -1/3 = -0.3333.
    r = run({"diff", "A.csv", "B.csv", "--baseline", "C.csv", "--resamples", "50"}, dir.path());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("### Pinned baseline C"), r.out.constData());
    QVERIFY2(r.out.contains("| eval/accuracy | `0.6667` | 0.1667 | -0.3333 |"), r.out.constData());

    // The same three models as runs of a workspace: --baseline names a run.
    for (const auto& [run, text] :
         {std::pair{"A", kPairedA}, std::pair{"B", kPairedB}, std::pair{"C", kPinned}}) {
        writeFile(dir.filePath(QString("logs/%1/metrics.csv").arg(run)), "step,loss\n0,1\n");
        writeFile(dir.filePath(QString("logs/%1/predictions_val.csv").arg(run)), text);
    }
    r = ::run({"import", "logs", "-w", "ws.runlens"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    r = ::run({"diff", "A", "B", "-w", "ws.runlens", "--baseline", "C", "--json", "--resamples", "50"},
              dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    check(json(r)["baseline"].toObject(), "C");
    // A name that is neither a run nor a file is refused with a reason.
    r = ::run({"diff", "A", "B", "-w", "ws.runlens", "--baseline", "nope"}, dir.path());
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("nope"));
}

void TestCliBaselineCases::diffPinnedBaselineOnSharedPairs() {
    // A = kPairedA plus x0..x2 (label 0, score .1: right) that no other log has; B = kPairedB; the baseline C
    // predicts 1 everywhere on e0..e4 only, plus y0 (label 0, score .6: wrong) that only C has.
    // Over their own logs A is right on 5 + 3 = 8 of 9 and C on 4 of 6: baseline.lift_a = 8/9 - 4/6 mixes
    // different examples. On the pairs C shares (e0..e4, labels 1,1,1,1,0):
    //   C right on e0..e3 = 4/5; A predicts 1,1,1,0,0 -> right on e0, e1, e2, e4 = 4/5; B predicts 1,0,0,0,1
    //   -> right on e0 only = 1/5. lift_a = 0, lift_b = 1/5 - 4/5 = -3/5.
    QTemporaryDir dir;
    writeFile(dir.filePath("A.csv"), kPairedA + "x0,0,0.1\nx1,0,0.1\nx2,0,0.1\n");
    writeFile(dir.filePath("B.csv"), kPairedB);
    writeFile(dir.filePath("C.csv"),
              "id,label,score\ne0,1,0.6\ne1,1,0.6\ne2,1,0.6\ne3,1,0.6\ne4,0,0.6\ny0,0,0.6\n");
    auto r =
        run({"diff", "A.csv", "B.csv", "--baseline", "C.csv", "--json", "--resamples", "50"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto doc = json(r);
    QVERIFY(
        near(doc["baseline"].toObject()["lift_a"].toObject()["eval/accuracy"].toDouble(), 8.0 / 9 - 4.0 / 6));
    const auto pinned = doc["paired"].toObject()["baselines"].toObject()["pinned"].toObject();
    QCOMPARE(pinned["name"].toString(), QString("C"));
    QCOMPARE(pinned["metric"].toString(), QString("accuracy"));
    QCOMPARE(pinned["n"].toInt(), 5);
    QVERIFY(near(pinned["value"].toDouble(), 4.0 / 5));
    QVERIFY(near(pinned["a"].toDouble(), 4.0 / 5));
    QVERIFY(near(pinned["b"].toDouble(), 1.0 / 5));
    QVERIFY(near(pinned["lift_a"].toDouble(), 0.0));
    QVERIFY(near(pinned["lift_b"].toDouble(), -3.0 / 5));
    QVERIFY(!pinned.contains("skipped"));
    r = run({"diff", "A.csv", "B.csv", "--baseline", "C.csv", "--resamples", "50"}, dir.path());
    QCOMPARE(r.code, 0);
    QVERIFY2(
        r.out.contains("- pinned baseline C accuracy = 0.8 on the 5 pairs it shares; lift of A 0, of B -0.6"),
        r.out.constData());
    // Without ids the baseline pairs by row only when its labels agree on every row; else it is skipped.
    writeFile(dir.filePath("a2.csv"), "label,score\n1,0.9\n0,0.2\n");
    writeFile(dir.filePath("b2.csv"), "label,score\n1,0.4\n0,0.3\n");
    writeFile(dir.filePath("c2.csv"), "label,score\n0,0.9\n0,0.2\n");
    r = run({"diff", "a2.csv", "b2.csv", "--baseline", "c2.csv", "--json", "--resamples", "50"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto skipped = json(r)["paired"].toObject()["baselines"].toObject()["pinned"].toObject();
    QCOMPARE(skipped["n"].toInt(), 0);
    QVERIFY(skipped["value"].isNull());
    QVERIFY(!skipped["skipped"].toString().isEmpty());
}

void TestCliBaselineCases::calibrationBinaryBaselines_data() {
    QTest::addColumn<QString>("threshold");
    QTest::addColumn<double>("randomAccuracy");
    QTest::addColumn<double>("randomRecall");
    QTest::addColumn<double>("priorAccuracy");
    // Labels 1,1,1,0: base rate pi = 3/4. Uniform random scores U predict 1 when U >= t: accuracy
    // pi(1 - t) + (1 - pi)t, recall 1 - t. The prior scores 3/4 everywhere: all 1 (right on 3/4) when
    // t <= 3/4, all 0 (right on 1/4) above.
    QTest::newRow("t=0.5") << "0.5" << 0.75 * 0.5 + 0.25 * 0.5 << 0.5 << 0.75;
    QTest::newRow("t=0.2") << "0.2" << 0.75 * 0.8 + 0.25 * 0.2 << 0.8 << 0.75;
    QTest::newRow("t=0.8") << "0.8" << 0.75 * 0.2 + 0.25 * 0.8 << 0.2 << 0.25;
}

void TestCliBaselineCases::calibrationBinaryBaselines() {
    QFETCH(QString, threshold);
    QFETCH(double, randomAccuracy);
    QFETCH(double, randomRecall);
    QFETCH(double, priorAccuracy);
    QTemporaryDir dir;
    writeFile(dir.filePath("cal.csv"), "label,score\n1,0.9\n1,0.6\n1,0.4\n0,0.2\n");
    const auto r =
        run({"calibration", "cal.csv", "--json", "--threshold", threshold, "--seed", "5"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto baselines = json(r)["baselines"].toObject();

    // Zero-rule: the majority class 1 with certainty (score 1) for all four.
    const auto zero = baselines["zero_rule"].toObject();
    QVERIFY(near(zero["accuracy"].toDouble(), 0.75));
    QVERIFY(near(zero["precision"].toDouble(), 0.75));
    QVERIFY(near(zero["recall"].toDouble(), 1.0));
    QVERIFY(near(zero["f1"].toDouble(), 6.0 / 7)); // 2(3/4)(1) / (3/4 + 1)
    QVERIFY(near(zero["brier"].toDouble(), 0.25)); // (0 + 0 + 0 + 1) / 4
    QVERIFY(near(zero["roc_auc"].toDouble(), 0.5));
    QVERIFY(near(zero["average_precision"].toDouble(), 0.75)); // one threshold: precision 3/4 at recall 1
    QVERIFY(near(zero["log_loss"].toDouble(), kWrongLoss / 4, 1e-9));
    QVERIFY(near(zero["ece"].toDouble(), 0.25)); // one bin: mean score 1, fraction positive 3/4

    // Prior: score 3/4 for all.
    const auto prior = baselines["prior"].toObject();
    QVERIFY(near(prior["brier"].toDouble(), 0.75 * 0.25)); // 3(1/4)^2/4 + (3/4)^2/4 = 3/16
    QVERIFY(near(prior["log_loss"].toDouble(), -(0.75 * std::log(0.75) + 0.25 * std::log(0.25))));
    QVERIFY(near(prior["roc_auc"].toDouble(), 0.5));
    QVERIFY(near(prior["average_precision"].toDouble(), 0.75));
    QVERIFY(near(prior["ece"].toDouble(), 0.0)); // one bin, mean 3/4 = fraction 3/4
    QVERIFY(near(prior["accuracy"].toDouble(), priorAccuracy));

    // Uniform random: exact expectations E[AUC] = 1/2, E[(U - y)^2] = 1/3, E[-ln U] = 1, precision = pi.
    const auto random = baselines["uniform_random"].toObject();
    QVERIFY(near(random["roc_auc"].toDouble(), 0.5));
    QVERIFY(near(random["brier"].toDouble(), 1.0 / 3));
    QVERIFY(near(random["log_loss"].toDouble(), 1.0));
    QVERIFY(near(random["precision"].toDouble(), 0.75));
    QVERIFY(near(random["accuracy"].toDouble(), randomAccuracy));
    QVERIFY(near(random["recall"].toDouble(), randomRecall));
    QStringList exact;
    for (const auto& v : random["expected_exactly"].toArray())
        exact << v.toString();
    for (const char* name : {"roc_auc", "brier", "log_loss", "accuracy", "recall", "precision"})
        QVERIFY2(exact.contains(name), name);
    QStringList simulated;
    for (const auto& v : random["simulated"].toArray())
        simulated << v.toString();
    QVERIFY(simulated.contains("f1") && simulated.contains("average_precision"));
    QCOMPARE(random["seed"].toInt(), 5);
    QVERIFY(!baselines.contains("pinned"));
}

void TestCliBaselineCases::calibrationPinnedBaseline() {
    // Pinned log: labels 1,1,1,0 with scores .7,.7,.2,.2.
    //   accuracy (t = .5): predictions 1,1,0,0 -> right on 1st, 2nd, 4th = 3/4
    //   Brier: (.3^2 + .3^2 + .8^2 + .2^2) / 4 = (.09 + .09 + .64 + .04) / 4 = .215
    //   ROC AUC: positives .7, .7, .2 against the negative .2: 1 + 1 + 1/2 (tie) over 3 = 5/6
    //   AP (step-wise): at .7 precision 1, recall 2/3; at .2 precision 3/4, recall 1 -> 2/3 + (1/3)(3/4) =
    //   11/12 log loss: -(2 ln .7 + ln .2 + ln .8) / 4 ECE (10 uniform bins): (.6, .7] holds the two .7 (both
    //   positive): 2/4 * .3; (.1, .2] holds the two .2 (one positive): 2/4 * |.5 - .2|; total .3.
    QTemporaryDir dir;
    writeFile(dir.filePath("cal.csv"), "label,score\n1,0.9\n1,0.6\n1,0.4\n0,0.2\n");
    writeFile(dir.filePath("pin.csv"), "label,score\n1,0.7\n1,0.7\n1,0.2\n0,0.2\n");
    auto r = run({"calibration", "cal.csv", "--baseline", "pin.csv", "--json"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto pinned = json(r)["baselines"].toObject()["pinned"].toObject();
    QCOMPARE(pinned["name"].toString(), QString("pin"));
    QVERIFY(near(pinned["accuracy"].toDouble(), 0.75));
    QVERIFY(near(pinned["brier"].toDouble(), 0.215));
    QVERIFY(near(pinned["roc_auc"].toDouble(), 5.0 / 6));
    QVERIFY(near(pinned["average_precision"].toDouble(), 11.0 / 12));
    QVERIFY(near(pinned["log_loss"].toDouble(), -(2 * std::log(0.7) + std::log(0.2) + std::log(0.8)) / 4));
    QVERIFY(near(pinned["ece"].toDouble(), 0.3));
    // The text report prints the pinned baseline's line.
    r = run({"calibration", "cal.csv", "--baseline", "pin.csv"}, dir.path());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("pinned baseline pin"), r.out.constData());
    // A multiclass baseline for a binary model is refused with a reason.
    writeFile(dir.filePath("mc3.csv"), "label,prob_cat,prob_dog,prob_fox\ncat,0.6,0.3,0.1\ndog,0.3,0.6,0.1\n"
                                       "fox,0.1,0.1,0.8\n");
    r = run({"calibration", "cal.csv", "--baseline", "mc3.csv", "--json"}, dir.path());
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("same kind"), r.err.constData());
}

void TestCliBaselineCases::calibrationPinnedBaselineOnSharedExamples() {
    // The model has e0..e3 (labels 1,1,1,0); the baseline lacks e0 and adds z0 (label 0, score .9).
    // Shared e1, e2, e3: labels 1,1,0, baseline scores .7,.2,.2 -> predictions 1,0,0 -> right on e1, e3: 2/3;
    // Brier (.3^2 + .8^2 + .2^2) / 3 = .77 / 3. (Over its whole log it would be 2/4 and (.77 + .81) / 4.)
    QTemporaryDir dir;
    writeFile(dir.filePath("m.csv"), "id,label,score\ne0,1,0.9\ne1,1,0.6\ne2,1,0.4\ne3,0,0.2\n");
    writeFile(dir.filePath("p.csv"), "id,label,score\nz0,0,0.9\ne3,0,0.2\ne1,1,0.7\ne2,1,0.2\n");
    auto r = run({"calibration", "m.csv", "--baseline", "p.csv", "--json"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto pinned = json(r)["baselines"].toObject()["pinned"].toObject();
    QCOMPARE(pinned["n"].toInt(), 3);
    QCOMPARE(pinned["only_model"].toInt(), 1);
    QCOMPARE(pinned["only_baseline"].toInt(), 1);
    QVERIFY(near(pinned["accuracy"].toDouble(), 2.0 / 3));
    QVERIFY(near(pinned["brier"].toDouble(), 0.77 / 3));
    // Without ids, rows pair only when the labels agree on every row.
    writeFile(dir.filePath("m2.csv"), "label,score\n1,0.9\n0,0.2\n");
    writeFile(dir.filePath("p2.csv"), "label,score\n0,0.9\n0,0.2\n");
    r = run({"calibration", "m2.csv", "--baseline", "p2.csv", "--json"}, dir.path());
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("id"), r.err.constData());
}

void TestCliBaselineCases::calibrationMulticlassBaselines() {
    // Labels cat, cat, dog, fox: class shares (1/2, 1/4, 1/4), k = 3.
    //   zero-rule: probability 1 on cat -> right on 2/4; Brier (sum over classes) 0 for the cats and
    //     1^2 + 1^2 = 2 for the others -> (0 + 0 + 2 + 2) / 4 = 1.
    //   prior (1/2, 1/4, 1/4): Brier = 1 - sum p^2 = 1 - (1/4 + 1/16 + 1/16) = 5/8;
    //     log loss = -(2 ln 1/2 + ln 1/4 + ln 1/4) / 4 = (3/2) ln 2; argmax cat -> accuracy 1/2.
    //   uniform random (flat Dirichlet): accuracy 1/k = 1/3; Brier 2/(k + 1) - 2/k + 1 = 5/6 (each p_c is
    //     Beta(1, k - 1): E[p^2] = 2/(k(k + 1))); log loss E[-ln p_y] = H_{k-1} = 1 + 1/2.
    //   pinned (1/3 each): Brier (2/3)^2 + 2(1/3)^2 = 2/3; log loss ln 3.
    QTemporaryDir dir;
    writeFile(dir.filePath("mc.csv"),
              "label,prob_cat,prob_dog,prob_fox\n"
              "cat,0.6,0.3,0.1\ncat,0.5,0.25,0.25\ndog,0.2,0.7,0.1\nfox,0.1,0.2,0.7\n");
    const QByteArray third = QByteArray::number(1.0 / 3, 'g', 17);
    QByteArray flat = "label,prob_cat,prob_dog,prob_fox\n";
    for (const char* label : {"cat", "cat", "dog", "fox"})
        flat += QByteArray(label) + "," + third + "," + third + "," + third + "\n";
    writeFile(dir.filePath("flat.csv"), flat);
    const auto r = run({"calibration", "mc.csv", "--baseline", "flat.csv", "--json"}, dir.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const auto doc = json(r);
    QCOMPARE(doc["kind"].toString(), QString("multiclass_top_label"));
    const auto baselines = doc["baselines"].toObject();
    const auto zero = baselines["zero_rule"].toObject();
    QVERIFY(near(zero["accuracy"].toDouble(), 0.5));
    QVERIFY(near(zero["brier"].toDouble(), 1.0));
    const auto prior = baselines["prior"].toObject();
    QVERIFY(near(prior["brier"].toDouble(), 5.0 / 8));
    QVERIFY(near(prior["log_loss"].toDouble(), 1.5 * std::log(2.0)));
    QVERIFY(near(prior["accuracy"].toDouble(), 0.5));
    QVERIFY(near(prior["roc_auc"].toDouble(), 0.5));
    const auto random = baselines["uniform_random"].toObject();
    QVERIFY(near(random["accuracy"].toDouble(), 1.0 / 3));
    QVERIFY(near(random["brier"].toDouble(), 5.0 / 6));
    QVERIFY(near(random["log_loss"].toDouble(), 1.5));
    QVERIFY(near(random["roc_auc"].toDouble(), 0.5));
    const auto pinned = baselines["pinned"].toObject();
    QCOMPARE(pinned["name"].toString(), QString("flat"));
    QVERIFY(near(pinned["brier"].toDouble(), 2.0 / 3, 1e-12));
    QVERIFY(near(pinned["log_loss"].toDouble(), std::log(3.0), 1e-12));
}

QTEST_MAIN(TestCliBaselineCases)
#include "test_cli_baselines_cases.moc"
