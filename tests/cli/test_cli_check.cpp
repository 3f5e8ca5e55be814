// End-to-end tests of `runlens check`: each gate kind passing and failing on constructed logs, the exit
// codes, the one-line-per-gate text, --json, --markdown, and gates files or inputs that cannot be used.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using runlens::test::CliResult;

CliResult run(const QStringList& args, const QString& workingDir = {}) {
    return runlens::test::runRunlens(args, 120000, {}, workingDir);
}

QJsonObject json(const CliResult& r) {
    return runlens::test::jsonOf(r);
}

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol;
}

QString write(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(text);
    return path;
}

// 40 examples e1..e40: label 1, 0, 1, 0, ...; region north for e1..e20, south for e21..e40; gender F, M, M, F
// repeating. The baseline is right on 38 (wrong on e4 at 0.62 and e7 at 0.41, both north); the candidate is
// the baseline with the scores of e21..e28 (south) mirrored to the wrong side, so it is right on 30.
const char* kBaselineScores =
    "0.803,0.402,0.86,0.62,0.67,0.347,0.41,0.266,0.869,0.399,0.671,0.289,0.652,0.205,"
    "0.752,0.11,0.948,0.202,0.799,0.286,0.636,0.305,0.795,0.11,0.564,0.146,0.736,"
    "0.089,0.802,0.136,0.749,0.17,0.555,0.315,0.827,0.388,0.698,0.412,0.882,0.108";
const char* kCandidateScores =
    "0.803,0.402,0.86,0.62,0.67,0.347,0.41,0.266,0.869,0.399,0.671,0.289,0.652,0.205,"
    "0.752,0.11,0.948,0.202,0.799,0.286,0.364,0.695,0.205,0.89,0.436,0.854,0.264,"
    "0.911,0.802,0.136,0.749,0.17,0.555,0.315,0.827,0.388,0.698,0.412,0.882,0.108";

QByteArray predictionLog(const char* scores) {
    const QList<QByteArray> s = QByteArray(scores).split(',');
    const char* genders[] = {"F", "M", "M", "F"};
    QByteArray text = "id,label,score,region,gender\n";
    for (int i = 0; i < 40; ++i)
        text += "e" + QByteArray::number(i + 1) + "," + (i % 2 == 0 ? "1" : "0") + "," + s[i] + "," +
                (i < 20 ? "north" : "south") + "," + genders[i % 4] + "\n";
    return text;
}

// Reference values (scikit-learn 1.2, statsmodels 0.13, numpy; /usr/bin/python3):
//   candidate: accuracy_score 0.75 (30 of 40), proportion_confint(30, 40, method='wilson')
//     (0.5980603857923197, 0.858128813609037); roc_auc_score 0.76875; ECE with 10 uniform bins binned as
//     calibration_curve (searchsorted(linspace(0,1,11)[1:-1], s, side='left')) 0.118925.
//     Per region: north 18/20 = 0.9, south 12/20 = 0.6. Selection rate (score >= 0.5): F 11/20, M 9/20, so
//     Fairlearn's demographic_parity_ratio = 0.45 / 0.55 = 9/11.
//   log_loss (scikit-learn) 0.5821011341230213.
//   baseline: accuracy 0.95 (38), roc_auc_score 0.99; ECE 0.205175; log_loss 0.3270350811117691; north
//     18/20, south 20/20.
//   paired: both right 30, baseline only 8, candidate only 0, both wrong 2: statsmodels mcnemar([[30, 8],
//     [0, 2]], exact=True).pvalue = 0.0078125 (= 2 / 2^8).
//   DeLong (a separate numpy implementation with np.cov): AUC 0.99 vs 0.76875, variance of the difference
//     0.006574177631578947, z 2.7287425448382088, two-sided p 0.006357631778209595.
const double kDelongVariance = 0.006574177631578947;

// runlens behaviour's hand-worked log (tests/cli/test_cli_behaviour.cpp): originals o1..o4 score 0.9, 0.2,
// 0.6, 0.4; typo (same) 0.85, 0.30, 0.45, 0.40 flips o3 only: 1 of 4 (a fifth row names an unknown
// original and is left out), Wilson (0.0455872608097006, 0.6993581574175982); add_negation (down) moves
// two of three the wrong way: failures 2 of 3.
const QByteArray kTests = "id,label,score,perturbation,orig_id,expect,length\n"
                          "o1,1,0.9,,o1,,short\no2,0,0.2,,o2,,long\no3,1,0.6,,o3,,long\no4,0,0.4,,o4,,short\n"
                          "t1,1,0.85,typo,o1,same,short\n"
                          "t2,0,0.30,typo,o2,same,long\n"
                          "t3,1,0.45,typo,o3,same,long\n"
                          "t4,0,0.40,typo,o4,same,short\n"
                          "t5,1,0.7,typo,o9,same,short\n"
                          "n1,1,0.50,add_negation,o1,down,short\n"
                          "n2,0,0.35,add_negation,o2,down,long\n"
                          "n3,1,0.62,add_negation,o3,down,long\n";

QJsonObject gate(const QJsonObject& o, int i) {
    return o["gates"].toArray()[i].toObject();
}

QList<QByteArray> lines(const QByteArray& text) {
    QList<QByteArray> out = text.split('\n');
    if (!out.isEmpty() && out.back().isEmpty()) out.pop_back();
    return out;
}

class Logs {
  public:
    Logs() {
        candidate = write(dir.filePath("cand.csv"), predictionLog(kCandidateScores));
        baseline = write(dir.filePath("base.csv"), predictionLog(kBaselineScores));
        tests = write(dir.filePath("tests.csv"), kTests);
    }
    QString gates(const QByteArray& yaml, const QString& name = "gates.yaml") const {
        return write(dir.filePath(name), yaml);
    }
    QTemporaryDir dir;
    QString candidate, baseline, tests;
};

} // namespace

class TestCliCheck : public QObject {
    Q_OBJECT
  private slots:
    void metricGatesPass() {
        Logs logs;
        const QString g =
            logs.gates("gates:\n  - metric: accuracy\n    min: 0.7\n  - metric: auc\n    min: 0.75\n"
                       "  - metric: ece\n    max: 0.15\n");
        const auto r = run({"check", logs.candidate, "--gates", g});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto out = lines(r.out);
        QCOMPARE(out.size(), 4); // one line per gate and the summary
        QCOMPARE(out[0], QByteArray("PASS  accuracy >= 0.7: 0.75 [0.598, 0.858]"));
        QVERIFY2(out[1].startsWith("PASS  auc >= 0.75: 0.769 ["), out[1].constData());
        QCOMPARE(out[2], QByteArray("PASS  ece <= 0.15: 0.119"));
        QCOMPARE(out[3], QByteArray("cand: 3 of 3 gates passed."));
        QVERIFY(r.err.isEmpty());
    }

    void metricGatesFailWithExitOne() {
        Logs logs;
        const QString g =
            logs.gates("gates:\n  - metric: accuracy\n    min: 0.8\n  - metric: auc\n    min: 0.8\n"
                       "  - metric: ece\n    max: 0.05\n  - metric: error_rate\n    max: 0.25\n");
        auto r = run({"check", logs.candidate, "--gates", g});
        QCOMPARE(r.code, 1);
        const auto out = lines(r.out);
        QCOMPARE(out.size(), 5);
        QCOMPARE(out[0], QByteArray("FAIL  accuracy >= 0.8: 0.75 [0.598, 0.858]"));
        QVERIFY(out[1].startsWith("FAIL  auc >= 0.8: 0.769 ["));
        QCOMPARE(out[2], QByteArray("FAIL  ece <= 0.05: 0.119"));
        // error rate 10/40 = 0.25 is at the limit, which passes.
        QVERIFY2(out[3].startsWith("PASS  error_rate <= 0.25: 0.25 ["), out[3].constData());
        QCOMPARE(out[4], QByteArray("cand: 1 of 4 gates passed; failed: 1 2 3."));

        r = run({"check", logs.candidate, "--gates", g, "--json"});
        QCOMPARE(r.code, 1);
        const auto o = json(r);
        QCOMPARE(o["kind"].toString(), QString("check"));
        QCOMPARE(o["candidate"].toString(), logs.candidate);
        QVERIFY(o["baseline"].isNull());
        QVERIFY(o["tests"].isNull());
        QCOMPARE(o["passed"].toBool(), false);
        QCOMPARE(o["passed_count"].toInt(), 1);
        QCOMPARE(o["failed_count"].toInt(), 3);
        const auto acc = gate(o, 0);
        QCOMPARE(acc["index"].toInt(), 1);
        QCOMPARE(acc["kind"].toString(), QString("metric"));
        QCOMPARE(acc["description"].toString(), QString("accuracy >= 0.8"));
        QCOMPARE(acc["passed"].toBool(), false);
        QVERIFY(near(acc["value"].toDouble(), 0.75));
        QVERIFY(near(acc["ci"].toArray()[0].toDouble(), 0.5980603857923197));
        QVERIFY(near(acc["ci"].toArray()[1].toDouble(), 0.858128813609037));
        QVERIFY(near(acc["threshold"].toDouble(), 0.8));
        QCOMPARE(acc["direction"].toString(), QString("min"));
        QCOMPARE(acc["line"].toString(), QString("FAIL  accuracy >= 0.8: 0.75 [0.598, 0.858]"));
        QVERIFY(!acc["sentence"].toString().isEmpty());
        QCOMPARE(acc["details"].toObject()["n"].toInt(), 40);
        QCOMPARE(acc["details"].toObject()["interval_method"].toString(), QString("wilson"));
        QVERIFY(near(gate(o, 1)["value"].toDouble(), 0.76875));
        QCOMPARE(gate(o, 1)["ci"].toArray().size(), 2);
        QVERIFY(near(gate(o, 2)["value"].toDouble(), 0.118925));
        QVERIFY(gate(o, 2)["ci"].isNull());
        QCOMPARE(gate(o, 2)["direction"].toString(), QString("max"));
    }

    void baselineGates() {
        Logs logs;
        const QString g = logs.gates("gates:\n  - metric: accuracy\n    not_worse_than_baseline: true\n"
                                     "  - metric: auc\n    not_worse_than_baseline: true\n");
        auto r = run({"check", logs.candidate, "--baseline", logs.baseline, "--gates", g, "--json"});
        QCOMPARE(r.code, 1);
        auto o = json(r);
        QCOMPARE(o["baseline"].toString(), logs.baseline);
        const auto acc = gate(o, 0);
        QCOMPARE(acc["kind"].toString(), QString("baseline"));
        QCOMPARE(acc["passed"].toBool(), false);
        QVERIFY(near(acc["value"].toDouble(), -0.2));
        const auto accDetails = acc["details"].toObject();
        QCOMPARE(accDetails["test"].toString(), QString("mcnemar"));
        QVERIFY(near(accDetails["p"].toDouble(), 0.0078125));
        QVERIFY(near(accDetails["candidate"].toDouble(), 0.75));
        QVERIFY(near(accDetails["baseline"].toDouble(), 0.95));
        QCOMPARE(accDetails["n"].toInt(), 40);
        const auto auc = gate(o, 1);
        QCOMPARE(auc["passed"].toBool(), false);
        QVERIFY(near(auc["value"].toDouble(), 0.76875 - 0.99));
        const double half = 1.959963984540054 * std::sqrt(kDelongVariance);
        QVERIFY(near(auc["ci"].toArray()[0].toDouble(), 0.76875 - 0.99 - half, 1e-9));
        QVERIFY(near(auc["ci"].toArray()[1].toDouble(), 0.76875 - 0.99 + half, 1e-9));
        QCOMPARE(auc["details"].toObject()["test"].toString(), QString("delong"));
        QVERIFY(near(auc["details"].toObject()["p"].toDouble(), 0.006357631778209595, 1e-9));

        // Metrics without a paired test use the paired bootstrap: the candidate's lower ECE passes, its log
        // loss, 0.255 higher, fails (the whole interval is above 0).
        const QString boot = logs.gates("gates:\n  - metric: ece\n    not_worse_than_baseline: true\n"
                                        "  - metric: log_loss\n    not_worse_than_baseline: true\n",
                                        "boot.yaml");
        r = run({"check", logs.candidate, "--baseline", logs.baseline, "--gates", boot, "--json"});
        QCOMPARE(r.code, 1);
        o = json(r);
        const auto ece = gate(o, 0);
        QCOMPARE(ece["passed"].toBool(), true);
        QCOMPARE(ece["direction"].toString(), QString("max"));
        QCOMPARE(ece["details"].toObject()["test"].toString(), QString("bootstrap"));
        QVERIFY(near(ece["details"].toObject()["candidate"].toDouble(), 0.118925));
        QVERIFY(near(ece["details"].toObject()["baseline"].toDouble(), 0.205175));
        QVERIFY(near(ece["value"].toDouble(), 0.118925 - 0.205175));
        const auto loss = gate(o, 1);
        QCOMPARE(loss["passed"].toBool(), false);
        QVERIFY(near(loss["details"].toObject()["candidate"].toDouble(), 0.5821011341230213, 1e-12));
        QVERIFY(near(loss["details"].toObject()["baseline"].toDouble(), 0.3270350811117691, 1e-12));
        QVERIFY(loss["ci"].toArray()[0].toDouble() > 0);

        r = run({"check", logs.candidate, "--baseline", logs.baseline, "--gates", g});
        QCOMPARE(r.code, 1);
        const auto out = lines(r.out);
        QCOMPARE(out.size(), 3);
        QVERIFY2(
            out[0].startsWith("FAIL  accuracy not significantly worse than the baseline: 0.75 against 0.95 "
                              "(-0.2 ["),
            out[0].constData());
        QVERIFY2(out[0].endsWith("], McNemar p = 0.00781, n 40)"), out[0].constData());
        QVERIFY2(out[1].contains("DeLong p = 0.00636"), out[1].constData());
        QCOMPARE(out[2], QByteArray("cand against base: 0 of 2 gates passed; failed: 1 2."));

        // The other way round the candidate is better: both pass.
        r = run({"check", logs.baseline, "--baseline", logs.candidate, "--gates", g});
        QVERIFY2(r.code == 0, r.out.constData());
        QVERIFY(lines(r.out)[0].startsWith("PASS  "));
        QVERIFY(lines(r.out)[1].startsWith("PASS  "));
    }

    void baselineMargin() {
        // Per-example accuracy differences: eight -1 and 32 zeros, so each bootstrap resample's delta is
        // -k/40 with k ~ Binomial(40, 0.2); its 2.5% quantile is 3 (P(k <= 2) = 0.008, P(k <= 3) = 0.028),
        // so the interval's upper end is near -0.075: beyond a 0.05 margin, well within a 0.25 one.
        Logs logs;
        const QString g =
            logs.gates("gates:\n  - metric: accuracy\n    not_worse_than_baseline: true\n"
                       "    margin: 0.25\n"
                       "  - metric: accuracy\n    not_worse_than_baseline: true\n    margin: 0.05\n");
        const auto r = run({"check", logs.candidate, "--baseline", logs.baseline, "--gates", g, "--json"});
        QCOMPARE(r.code, 1);
        const auto o = json(r);
        QCOMPARE(gate(o, 0)["passed"].toBool(), true);
        QVERIFY(near(gate(o, 0)["threshold"].toDouble(), -0.25));
        QCOMPARE(gate(o, 1)["passed"].toBool(), false);
        const double high = gate(o, 1)["ci"].toArray()[1].toDouble();
        QVERIFY2(high < -0.05 && high > -0.15, QByteArray::number(high).constData());
    }

    void slicesGates() {
        Logs logs;
        const QString g = logs.gates("gates:\n  - slices: [region]\n    min_n: 20\n    max_drop: 0.05\n"
                                     "  - slices: region\n    min_n: 20\n    max_drop: 0.2\n"
                                     "  - slices: [region]\n    min_n: 21\n");
        auto r = run({"check", logs.candidate, "--gates", g});
        QCOMPARE(r.code, 1);
        auto out = lines(r.out);
        QCOMPARE(out.size(), 4);
        // Overall 0.75; south 0.6 is 15 points under it, north 0.9 above.
        QCOMPARE(out[0], QByteArray("FAIL  no accuracy slice by region with n >= 20 worse by > 5 points: "
                                    "region=south 0.6 against 0.75 (-15.0 points); 1 of 2 slices fail"));
        QCOMPARE(out[1],
                 QByteArray("PASS  no accuracy slice by region with n >= 20 worse by > 20 points: "
                            "worst region=south 0.6 against 0.75 (-15.0 points); 0 of 2 slices fail"));
        // Each region has 20 examples, so none reaches n >= 21 and nothing can fail.
        QCOMPARE(out[2], QByteArray("PASS  no accuracy slice by region with n >= 21 worse by > 5 points: no "
                                    "slice has n >= 21"));
        // The Markdown table states each limit in the unit of its gate: slice drops in points.
        const auto markdown = run({"check", logs.candidate, "--gates", g, "--markdown"});
        QVERIFY2(markdown.out.contains("| drop ≤ 5 points | **fail** |"), markdown.out.constData());
        QVERIFY2(markdown.out.contains("| drop ≤ 20 points | pass |"), markdown.out.constData());

        // Against the baseline's same slices: south 0.6 against 1.0 (a 40-point drop), north 0.9 against 0.9.
        r = run({"check", logs.candidate, "--baseline", logs.baseline, "--gates", g, "--json"});
        QCOMPARE(r.code, 1);
        const auto o = json(r);
        const auto d = gate(o, 0)["details"].toObject();
        QCOMPARE(d["reference"].toString(), QString("baseline"));
        const auto slices = d["slices"].toArray();
        QCOMPARE(slices.size(), 2);
        const auto south = slices[0].toObject();
        QCOMPARE(south["key"].toObject()["region"].toString(), QString("south"));
        QCOMPARE(south["n"].toInt(), 20);
        QCOMPARE(south["reference_n"].toInt(), 20);
        QVERIFY(near(south["value"].toDouble(), 0.6));
        QVERIFY(near(south["reference"].toDouble(), 1.0));
        QVERIFY(near(south["drop"].toDouble(), 0.4));
        QCOMPARE(south["failed"].toBool(), true);
        QVERIFY(near(slices[1].toObject()["drop"].toDouble(), 0.0));
        QCOMPARE(slices[1].toObject()["failed"].toBool(), false);
        QVERIFY(near(gate(o, 0)["value"].toDouble(), 0.4));
        QCOMPARE(gate(o, 1)["passed"].toBool(), false); // 40 points > 20
        QCOMPARE(gate(o, 2)["passed"].toBool(), true);
        QCOMPARE(gate(o, 2)["details"].toObject()["small_slices"].toInt(), 2);
    }

    void perturbationGates() {
        Logs logs;
        const QString g = logs.gates("gates:\n  - perturbation: typo\n    max_flip_rate: 0.3\n"
                                     "  - perturbation: typo\n    max_flip_rate: 0.2\n"
                                     "  - perturbation: add_negation\n    max_failure_rate: 0.5\n");
        auto r = run({"check", logs.candidate, "--tests", logs.tests, "--gates", g});
        QCOMPARE(r.code, 1);
        const auto out = lines(r.out);
        QCOMPARE(out.size(), 4);
        QCOMPARE(out[0], QByteArray("PASS  flip rate under typo <= 30%: 25.0% [4.6%, 69.9%] (1 of 4 tests)"));
        QCOMPARE(out[1], QByteArray("FAIL  flip rate under typo <= 20%: 25.0% [4.6%, 69.9%] (1 of 4 tests)"));
        QCOMPARE(out[2],
                 QByteArray("FAIL  failure rate under add_negation <= 50%: 66.7% [20.8%, 93.9%] (2 of 3 "
                            "tests)"));
        const auto markdown =
            run({"check", logs.candidate, "--tests", logs.tests, "--gates", g, "--markdown"});
        QVERIFY2(markdown.out.contains("| ≤ 30% | pass |"), markdown.out.constData());
        QVERIFY2(markdown.out.contains("| ≤ 50% | **fail** |"), markdown.out.constData());
        r = run({"check", logs.candidate, "--tests", logs.tests, "--gates", g, "--json"});
        const auto o = json(r);
        QCOMPARE(o["tests"].toString(), logs.tests);
        const auto typo = gate(o, 0);
        QCOMPARE(typo["kind"].toString(), QString("perturbation"));
        QVERIFY(near(typo["value"].toDouble(), 0.25));
        QVERIFY(near(typo["ci"].toArray()[0].toDouble(), 0.0455872608097006));
        QVERIFY(near(typo["ci"].toArray()[1].toDouble(), 0.6993581574175982));
        QCOMPARE(typo["details"].toObject()["flips"].toInt(), 1);
        QCOMPARE(typo["details"].toObject()["tests"].toInt(), 4);
        QVERIFY(near(gate(o, 2)["value"].toDouble(), 2.0 / 3));
    }

    void fairnessGates() {
        Logs logs;
        const QString g = logs.gates("gates:\n  - fairness: gender\n    min_ratio: 0.8\n"
                                     "  - fairness: gender\n    min_ratio: 0.85\n    name: four-fifths plus\n"
                                     "  - fairness: gender\n    max_difference: 0.1\n");
        auto r = run({"check", logs.candidate, "--gates", g, "--json"});
        QCOMPARE(r.code, 1);
        const auto o = json(r);
        QCOMPARE(gate(o, 0)["passed"].toBool(), true);
        QVERIFY(near(gate(o, 0)["value"].toDouble(), 9.0 / 11));
        QCOMPARE(gate(o, 1)["passed"].toBool(), false);
        QCOMPARE(gate(o, 1)["name"].toString(), QString("four-fifths plus"));
        // 0.55 - 0.45 = 0.1 (to rounding) is at the limit, which passes.
        QVERIFY(near(gate(o, 2)["value"].toDouble(), 0.1));
        QCOMPARE(gate(o, 2)["passed"].toBool(), true);
        const auto groups = gate(o, 0)["details"].toObject()["groups"].toArray();
        QCOMPARE(groups.size(), 2);
        QCOMPARE(groups[0].toObject()["group"].toString(), QString("F"));
        QVERIFY(near(groups[0].toObject()["selection_rate"].toDouble(), 0.55));
        QVERIFY(near(groups[1].toObject()["selection_rate"].toDouble(), 0.45));
        r = run({"check", logs.candidate, "--gates", g});
        QVERIFY2(lines(r.out)[0] ==
                     "PASS  demographic parity ratio across gender >= 0.8: 0.818 (selection rate F "
                     "0.55, M 0.45)",
                 r.out.constData());
        QVERIFY(
            lines(r.out)[1].startsWith("FAIL  four-fifths plus (demographic parity ratio across gender >= "
                                       "0.85): 0.818"));
    }

    void multiclassGates() {
        // Three classes; the predicted class is the first most probable one (row 8 ties a/b and is a, right;
        // row 12 ties b/c and is b, wrong): 8 of 12 right, accuracy_score 2/3, proportion_confint(8, 12,
        // method='wilson') (0.3906220888727995, 0.8618799089087869). Top-label ECE (confidence = the maximum
        // probability, outcome = right), 10 uniform bins binned as calibration_curve: 0.23166666666666666.
        Logs logs;
        const QString multi =
            write(logs.dir.filePath("multi.csv"),
                  "label,prob_a,prob_b,prob_c\n"
                  "a,0.7,0.2,0.1\nb,0.15,0.55,0.3\nc,0.25,0.25,0.5\nb,0.62,0.33,0.05\n"
                  "b,0.12,0.83,0.05\na,0.34,0.33,0.33\nc,0.05,0.15,0.8\na,0.45,0.45,0.1\n"
                  "b,0.21,0.36,0.43\na,0.91,0.04,0.05\nc,0.3,0.64,0.06\nc,0.26,0.37,0.37\n");
        const QString g =
            logs.gates("gates:\n  - metric: accuracy\n    min: 0.6\n  - metric: ece\n    max: 0.2\n");
        auto r = run({"check", multi, "--gates", g, "--json"});
        QCOMPARE(r.code, 1);
        const auto o = json(r);
        QCOMPARE(gate(o, 0)["passed"].toBool(), true);
        QVERIFY(near(gate(o, 0)["value"].toDouble(), 2.0 / 3));
        QVERIFY(near(gate(o, 0)["ci"].toArray()[0].toDouble(), 0.3906220888727995));
        QVERIFY(near(gate(o, 0)["ci"].toArray()[1].toDouble(), 0.8618799089087869));
        QCOMPARE(gate(o, 1)["passed"].toBool(), false);
        QVERIFY(near(gate(o, 1)["value"].toDouble(), 0.23166666666666666));
        // Binary-only metrics are refused before anything is printed.
        const QString f1 = logs.gates("gates:\n  - metric: f1\n    min: 0.5\n", "f1.yaml");
        r = run({"check", multi, "--gates", f1});
        QCOMPARE(r.code, 2);
        QCOMPARE(QString::fromUtf8(r.err), "runlens: " + f1 +
                                               ": gate 1 (f1 >= 0.5): f1 needs a binary log, and multi is "
                                               "multiclass (accuracy, error_rate and ece work)\n");
    }

    void markdownSummary() {
        Logs logs;
        const QString g =
            logs.gates("gates:\n  - metric: accuracy\n    min: 0.7\n  - metric: ece\n    max: 0.05\n");
        const auto r = run({"check", logs.candidate, "--gates", g, "--markdown"});
        QCOMPARE(r.code, 1);
        const auto out = lines(r.out);
        QCOMPARE(out[0], QByteArray("## Runlens check: cand"));
        QVERIFY2(r.out.contains("| | gate | value | threshold | result |\n|---|---|---|---|---|\n"),
                 r.out.constData());
        QVERIFY2(r.out.contains("| ✅ | accuracy >= 0.7 | 0.75 [0.598, 0.858] | ≥ 0.7 | pass |\n"),
                 r.out.constData());
        QVERIFY2(r.out.contains("| ❌ | ece <= 0.05 | 0.119 | ≤ 0.05 | **fail** |\n"), r.out.constData());
        QCOMPARE(out.back(), QByteArray("❌ **cand: 1 of 2 gates passed; failed: 2.**"));
    }

    void workspaceRuns() {
        Logs logs;
        const QString root = logs.dir.path();
        for (const auto& [name, scores] :
             {std::pair{"cand", kCandidateScores}, std::pair{"base", kBaselineScores}}) {
            write(root + QString("/logs/%1/metrics.csv").arg(name), "step,loss\n0,1\n");
            write(root + QString("/logs/%1/predictions_val.csv").arg(name), predictionLog(scores));
        }
        auto r = run({"import", "logs", "-w", "ws.runlens"}, root);
        QVERIFY2(r.code == 0, r.err.constData());
        const QString g = logs.gates("gates:\n  - metric: accuracy\n    not_worse_than_baseline: true\n");
        r = run({"check", "cand", "-w", "ws.runlens", "--baseline", "base", "--gates", g, "--json"}, root);
        QCOMPARE(r.code, 1);
        const auto o = json(r);
        QVERIFY(near(gate(o, 0)["details"].toObject()["p"].toDouble(), 0.0078125));
        r = run({"check", "nope", "-w", "ws.runlens", "--gates", g}, root);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no run named 'nope'"), r.err.constData());
    }

    void badGatesFilesAreOneLineExitTwo_data() {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown key")
            << QByteArray("gates:\n  - metric: auc\n    min: 0.8\n    maxx: 1\n")
            << "gate 1, maxx: unknown key for a metric gate (allowed: bins, max, metric, "
               "min, name)";
        QTest::newRow("wrong type") << QByteArray(
                                           "gates:\n  - metric: auc\n    min: 0.8\n  - metric: ece\n    max: "
                                           "high\n")
                                    << "gate 2, max: 'high' is not a number";
        QTest::newRow("no kind")
            << QByteArray("gates:\n  - min: 0.8\n")
            << "gate 1: no kind: give metric (with min or max), not_worse_than_baseline, "
               "slices, perturbation or fairness";
        QTest::newRow("syntax") << QByteArray("gates:\n  - metric: [auc\n")
                                << "line 3, column 1: end of sequence flow not found";
    }

    void badGatesFilesAreOneLineExitTwo() {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        Logs logs;
        const QString g = logs.gates(yaml);
        const auto r = run({"check", logs.candidate, "--gates", g});
        QCOMPARE(r.code, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(QString::fromUtf8(r.err), "runlens: " + g + ": " + error + "\n");
    }

    void missingGatesFile() {
        Logs logs;
        const QString missing = logs.dir.filePath("nope.yaml");
        const auto r = run({"check", logs.candidate, "--gates", missing});
        QCOMPARE(r.code, 2);
        QCOMPARE(QString::fromUtf8(r.err), "runlens: cannot read gates file " + missing + "\n");
    }

    void inputsThatDoNotFitExitTwo_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("baseline gate without --baseline")
            << "gates:\n  - metric: accuracy\n    not_worse_than_baseline: true\n"
            << "gate 1 (accuracy not significantly worse than the baseline): a baseline gate needs "
               "--baseline B";
        QTest::newRow("perturbation without --tests")
            << "gates:\n  - perturbation: typo\n    max_flip_rate: 0.02\n"
            << "gate 1 (flip rate under typo <= 2%): a perturbation gate needs the behavioural test log "
               "(--tests "
               "FILE)";
        QTest::newRow("unknown column") << "gates:\n  - slices: [device]\n"
                                        << "gate 1 (no accuracy slice by device with n >= 100 worse by > 5 "
                                           "points): cand has no column 'device'";
    }

    void inputsThatDoNotFitExitTwo() {
        QFETCH(QString, yaml);
        QFETCH(QString, error);
        Logs logs;
        const QString g = logs.gates(yaml.toUtf8());
        const auto r = run({"check", logs.candidate, "--gates", g});
        QCOMPARE(r.code, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(QString::fromUtf8(r.err), "runlens: " + g + ": " + error + "\n");
    }

    void scoresNeededOnHardPredictions() {
        Logs logs;
        const QString hard =
            write(logs.dir.filePath("hard.csv"), "id,label,pred\na,1,1\nb,0,0\nc,1,0\nd,0,0\n");
        const QString g =
            logs.gates("gates:\n  - metric: accuracy\n    min: 0.5\n  - metric: auc\n    min: 0.8\n");
        auto r = run({"check", hard, "--gates", g});
        QCOMPARE(r.code, 2);
        QCOMPARE(QString::fromUtf8(r.err),
                 "runlens: " + g +
                     ": gate 2 (auc >= 0.8): auc needs scores, and hard holds hard predictions only\n");
        // The unknown perturbation names the ones the log has.
        const QString p = logs.gates("gates:\n  - perturbation: typos\n    max_flip_rate: 0.1\n", "p.yaml");
        r = run({"check", logs.candidate, "--tests", logs.tests, "--gates", p});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no perturbation 'typos' (they have add_negation, typo)"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }

    void usageAndUnreadableInputExitTwo() {
        Logs logs;
        const QString g = logs.gates("gates:\n  - metric: accuracy\n    min: 0.5\n");
        auto r = run({"check", logs.candidate});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--gates"), r.err.constData());
        r = run({"check", "--gates", g});
        QCOMPARE(r.code, 2);
        r = run({"check", logs.dir.filePath("missing.csv"), "--gates", g});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(r.err.startsWith("runlens: "));
        r = run({"check", logs.candidate, "--gates", g, "--json", "--markdown"});
        QCOMPARE(r.code, 2);
    }

    void helpDocumentsExitCodes() {
        auto r = run({"check", "--help"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("Exit status: 0 every gate passed; 1 at least one gate failed"));
        r = run({"--help"});
        QVERIFY(r.out.contains("  check "));
    }
};

QTEST_GUILESS_MAIN(TestCliCheck)
#include "test_cli_check.moc"
