// End-to-end test of `runlens slices --fairness COL` on a hand-worked log, with Fairlearn's definitions
// written out below (Fairlearn is not packaged in Debian).
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

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol;
}

// Group a: labels 1 1 0 0, predictions 1 0 1 0 -> selection 2/4, TPR 1/2, FPR 1/2.
// Group b: labels 1 0 0 0, predictions 1 1 0 0 -> selection 2/4, TPR 1/1, FPR 1/3.
// Fairlearn: demographic_parity_difference = max - min selection rate = 0, ratio = min / max = 1;
// equalized_odds_difference = max(TPR gap 0.5, FPR gap 1/2 - 1/3 = 1/6) = 0.5;
// equalized_odds_ratio = min(TPR ratio 0.5 / 1, FPR ratio (1/3) / (1/2) = 2/3) = 0.5.
// Wilson 95% of 2/4 (statsmodels proportion_confint(2, 4, method='wilson')): (0.15003898915214947,
// 0.8499610108478506); of 1/3: (0.06149194472039626, 0.7923403991979523).
const QByteArray kLog = "label,prediction,group\n"
                        "1,1,a\n1,0,a\n0,1,a\n0,0,a\n"
                        "1,1,b\n0,1,b\n0,0,b\n0,0,b\n";

} // namespace

class TestCliFairness : public QObject {
    Q_OBJECT
  private slots:
    void disparitiesFollowFairlearnsDefinitions() {
        QTemporaryDir dir;
        const QString path = dir.filePath("fair.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kLog);
        f.close();
        const auto r = run({"slices", path, "--fairness", "group", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["kind"].toString(), QString("fairness"));
        const auto groups = o["groups"].toArray();
        QCOMPARE(groups.size(), 2);
        const auto a = groups[0].toObject(), b = groups[1].toObject();
        QCOMPARE(a["group"].toString(), QString("a"));
        QVERIFY(near(a["selection_rate"].toDouble(), 0.5));
        QVERIFY(near(a["selection_rate_ci"].toArray()[0].toDouble(), 0.15003898915214947, 1e-9));
        QVERIFY(near(a["selection_rate_ci"].toArray()[1].toDouble(), 0.8499610108478506, 1e-9));
        QVERIFY(near(a["tpr"].toDouble(), 0.5));
        QVERIFY(near(b["tpr"].toDouble(), 1.0));
        QVERIFY(near(b["fpr"].toDouble(), 1.0 / 3));
        QVERIFY(near(b["fpr_ci"].toArray()[0].toDouble(), 0.06149194472039626, 1e-9));
        QVERIFY(near(o["demographic_parity_difference"].toDouble(), 0));
        QVERIFY(near(o["demographic_parity_ratio"].toDouble(), 1));
        QVERIFY(near(o["equalized_odds_difference"].toDouble(), 0.5));
        QVERIFY(near(o["equalized_odds_ratio"].toDouble(), 0.5));
        QVERIFY(!o["sentence"].toString().isEmpty());
        const auto text = run({"slices", path, "--fairness", "group"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("equalized odds"));
        const auto missing = run({"slices", path, "--fairness", "gender"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no column named 'gender'"));
    }
};

QTEST_GUILESS_MAIN(TestCliFairness)
#include "test_cli_fairness.moc"
