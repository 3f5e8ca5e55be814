// End-to-end tests of `runlens behaviour` on a hand-worked test-result log (one file with originals, a pair
// of logs aligned by id, and two models compared on the same tests).
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using runlens::test::CliResult;

CliResult run(const QStringList& args) {
    return runlens::test::runRunlens(args, 120000);
}

QJsonObject json(const CliResult& r) {
    return runlens::test::jsonOf(r);
}

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol;
}

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(text);
    return path;
}

// Originals o1..o4 score 0.9, 0.2, 0.6, 0.4 (classes 1, 0, 1, 0 at 0.5).
//   typo (same): 0.85, 0.30, 0.45 (o3 flips 1 -> 0), 0.40, and a row for the unknown original o9;
//     changes -0.05, +0.10, -0.15, 0: 1 flip of 4, mean -0.025; numpy.percentile of the changes at 5, 25,
//     50, 75, 95: -0.135, -0.075, -0.025, 0.025, 0.085.
//   add_negation (down): 0.50 (-0.40), 0.35 (+0.15, the wrong way), 0.62 (+0.02, the wrong way): 2 of 3.
// Wilson intervals from statsmodels.stats.proportion.proportion_confint(k, n, method='wilson'):
//   1/4 (0.0455872608097006, 0.6993581574175982); 2/3 (0.2076596008020477, 0.9385080552796037);
//   1/3 (0.06149194472039626, 0.7923403991979523).
const QByteArray kOriginals = "id,label,score,length\n"
                              "o1,1,0.9,short\no2,0,0.2,long\no3,1,0.6,long\no4,0,0.4,short\n";
const QByteArray kPerturbed = "t1,1,0.85,typo,o1,same,short\n"
                              "t2,0,0.30,typo,o2,same,long\n"
                              "t3,1,0.45,typo,o3,same,long\n"
                              "t4,0,0.40,typo,o4,same,short\n"
                              "t5,1,0.7,typo,o9,same,short\n"
                              "n1,1,0.50,add_negation,o1,down,short\n"
                              "n2,0,0.35,add_negation,o2,down,long\n"
                              "n3,1,0.62,add_negation,o3,down,long\n";

QJsonObject perturbation(const QJsonObject& o, const QString& name) {
    for (const auto& p : o["perturbations"].toArray())
        if (p.toObject()["name"].toString() == name) return p.toObject();
    return {};
}

} // namespace

class TestCliBehaviour : public QObject {
    Q_OBJECT
  private slots:
    void oneLogWithOriginalsHandWorked() {
        QTemporaryDir dir;
        QByteArray text = "id,label,score,perturbation,orig_id,expect,length\n";
        for (const auto& line : kOriginals.split('\n').mid(1)) {
            if (line.isEmpty()) continue;
            const auto cells = line.split(',');
            text += cells[0] + "," + cells[1] + "," + cells[2] + ",," + cells[0] + ",," + cells[3] + "\n";
        }
        text += kPerturbed;
        const auto r = run({"behaviour", write(dir, "tests.csv", text), "--json", "--slice", "length"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QCOMPARE(o["rows"].toInt(), 8);
        QCOMPARE(o["missing_original"].toInt(), 1);
        const auto typo = perturbation(o, "typo");
        QCOMPARE(typo["expected"].toString(), QString("same"));
        QCOMPARE(typo["n"].toInt(), 4);
        QCOMPARE(typo["flips"].toInt(), 1);
        QVERIFY(near(typo["flip_rate"].toDouble(), 0.25));
        QVERIFY(near(typo["flip_ci"].toArray()[0].toDouble(), 0.0455872608097006, 1e-9));
        QVERIFY(near(typo["flip_ci"].toArray()[1].toDouble(), 0.6993581574175982, 1e-9));
        QVERIFY(near(typo["mean_change"].toDouble(), -0.025));
        const auto q = typo["change_quantiles"].toObject();
        QVERIFY(near(q["q05"].toDouble(), -0.135));
        QVERIFY(near(q["q25"].toDouble(), -0.075));
        QVERIFY(near(q["q95"].toDouble(), 0.085));
        const auto negation = perturbation(o, "add_negation");
        QCOMPARE(negation["directional"].toInt(), 3);
        QCOMPARE(negation["violations"].toInt(), 2);
        QVERIFY(near(negation["violation_ci"].toArray()[0].toDouble(), 0.2076596008020477, 1e-9));
        QVERIFY(near(negation["violation_ci"].toArray()[1].toDouble(), 0.9385080552796037, 1e-9));
        // The worst example of typo is its flip (t3, original o3).
        const auto worst = typo["worst"].toArray();
        QVERIFY(!worst.isEmpty());
        QCOMPARE(worst[0].toObject()["id"].toString(), QString("t3"));
        QVERIFY(worst[0].toObject()["flipped"].toBool());
        // Slices: typo's flip is in "long" (t2, t3), so long has 1 flip of 2.
        for (const auto& s : typo["slices"].toArray())
            if (s.toObject()["slice"].toString() == "long") QCOMPARE(s.toObject()["flips"].toInt(), 1);
    }

    void pairOfLogsAndTolerance() {
        QTemporaryDir dir;
        const QString originals = write(dir, "orig.csv", kOriginals);
        const QString perturbed =
            write(dir, "pert.csv", "id,label,score,perturbation,orig_id,expect,length\n" + kPerturbed);
        const auto o =
            json(run({"behaviour", perturbed, "--original", originals, "--json", "--tolerance", "0.05"}));
        const auto negation = perturbation(o, "add_negation");
        QCOMPARE(negation["violations"].toInt(), 1); // +0.02 is within the tolerance
        QVERIFY(near(negation["violation_ci"].toArray()[0].toDouble(), 0.06149194472039626, 1e-9));
        QCOMPARE(perturbation(o, "typo")["flips"].toInt(), 1);
        const auto text = run({"behaviour", perturbed, "--original", originals});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("typo"));
    }

    // Model B scores the same originals the same; on typo it flips t2 (0.2 -> 0.60), t3 (0.6 -> 0.45) and t4
    // (0.4 -> 0.55), A flips t3 only: both flip 1 (t3), only B 2 (t2, t4), neither 1 (t1); flip rates 1/4 and
    // 3/4, difference +0.5. Newcombe (1998) method 10 with statsmodels' Wilson intervals (1/4: 0.04559,
    // 0.69936; 3/4: 0.30064, 0.95441) and phi = (1*1 - 0*2) / sqrt(1*3*3*1) = 1/3:
    //   0.5 - sqrt((0.75-0.30064)^2 - 2/3 (0.75-0.30064)(0.69936-0.25) + (0.69936-0.25)^2) =
    //   -0.018874106295209137 0.5 + sqrt((0.95441-0.75)^2 - 2/3 (0.95441-0.75)(0.25-0.04559) +
    //   (0.25-0.04559)^2) = 0.7360354999946163
    // McNemar exact on "did not flip": discordant 2 (A only) and 0, scipy.stats.binomtest(0, 2).pvalue = 0.5.
    // B's add_negation all move down: 0 violations against A's 2. B lists its rows in another order and
    // lacks t5, so 7 of A's 8 tests are matched.
    void twoModelsOnTheSameTests() {
        QTemporaryDir dir;
        const QString header = "id,label,score,perturbation,orig_id,expect,length\n";
        const QString originals = write(dir, "orig.csv", kOriginals);
        const QString a = write(dir, "model_a.csv", (header + kPerturbed).toUtf8());
        const QString b = write(dir, "model_b.csv",
                                (header + "n3,1,0.55,add_negation,o3,down,long\n"
                                          "n2,0,0.10,add_negation,o2,down,long\n"
                                          "n1,1,0.50,add_negation,o1,down,short\n"
                                          "t4,0,0.55,typo,o4,same,short\n"
                                          "t3,1,0.45,typo,o3,same,long\n"
                                          "t2,0,0.60,typo,o2,same,long\n"
                                          "t1,1,0.85,typo,o1,same,short\n")
                                    .toUtf8());
        // B lists no originals of its own: without --compare-original it is refused in one line.
        const auto noOriginals = run({"behaviour", a, "--original", originals, "--compare", b});
        QCOMPARE(noOriginals.code, 1);
        QVERIFY(noOriginals.err.contains("--compare-original"));
        QCOMPARE(noOriginals.err.count('\n'), 1);
        const auto r = run({"behaviour", a, "--original", originals, "--compare", b, "--compare-original",
                            originals, "--json"});
        QCOMPARE(r.code, 0);
        const auto c = json(r)["comparison"].toObject();
        QCOMPARE(c["matched_tests"].toInt(), 7);
        QJsonObject typo, negation;
        for (const auto& p : c["perturbations"].toArray()) {
            const auto o = p.toObject();
            (o["perturbation"].toString() == "typo" ? typo : negation) = o;
        }
        QCOMPARE(typo["n"].toInt(), 4);
        QCOMPARE(typo["flips_a"].toInt(), 1);
        QCOMPARE(typo["flips_b"].toInt(), 3);
        QVERIFY(near(typo["difference"].toDouble(), 0.5));
        QVERIFY(near(typo["difference_ci"].toArray()[0].toDouble(), -0.018874106295209137, 1e-9));
        QVERIFY(near(typo["difference_ci"].toArray()[1].toDouble(), 0.7360354999946163, 1e-9));
        QVERIFY(near(typo["mcnemar"].toObject()["exact_p"].toDouble(), 0.5, 1e-12));
        QCOMPARE(negation["violations_a"].toInt(), 2);
        QCOMPARE(negation["violations_b"].toInt(), 0);
        QVERIFY(typo["sentence"].toString().contains("no clear difference"));

        const auto text =
            run({"behaviour", a, "--original", originals, "--compare", b, "--compare-original", originals});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("7 of the tests in both"));
        // A log that shares no test with A is refused in one line.
        const QString other = write(dir, "other.csv", (header + "x1,1,0.5,typo,o1,same,short\n").toUtf8());
        const auto none = run(
            {"behaviour", a, "--original", originals, "--compare", other, "--compare-original", originals});
        QCOMPARE(none.code, 1);
        QVERIFY(none.err.contains("none of its tests match"));
        QCOMPARE(none.err.count('\n'), 1);
    }

    void badExpectationIsOneLine() {
        QTemporaryDir dir;
        const QString path = write(dir, "bad.csv",
                                   "id,label,score,perturbation,orig_id,expect\n"
                                   "o1,1,0.9,,o1,\nt1,1,0.8,typo,o1,sideways\n");
        const auto r = run({"behaviour", path});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("row 2"));
        QVERIFY(r.err.contains("sideways"));
        QCOMPARE(r.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliBehaviour)
#include "test_cli_behaviour.moc"
