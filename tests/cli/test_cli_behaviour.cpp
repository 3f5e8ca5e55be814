// End-to-end tests of `runlens behaviour` on a hand-worked test-result log (one file with originals, and a
// pair of logs aligned by id).
#include <cmath>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Result {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result run(const QStringList& args) {
    QProcess p;
    p.start(RUNLENS_BIN, args);
    p.waitForFinished(120000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QJsonObject json(const Result& r) {
    const auto doc = QJsonDocument::fromJson(r.out);
    if (!doc.isObject()) qWarning() << r.out.left(400) << r.err;
    return doc.object();
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
        QCOMPARE(r.exitCode, 0);
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
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("typo"));
    }

    void badExpectationIsOneLine() {
        QTemporaryDir dir;
        const QString path = write(dir, "bad.csv",
                                   "id,label,score,perturbation,orig_id,expect\n"
                                   "o1,1,0.9,,o1,\nt1,1,0.8,typo,o1,sideways\n");
        const auto r = run({"behaviour", path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("row 2"));
        QVERIFY(r.err.contains("sideways"));
        QCOMPARE(r.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliBehaviour)
#include "test_cli_behaviour.moc"
