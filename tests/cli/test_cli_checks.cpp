// End-to-end tests of `runlens checks` (drift, label shift, trend, leakage) on small generated logs, against
// scipy / statsmodels / scikit-learn values computed from the same formulas.
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

// Relative (or, near 0, absolute) closeness.
bool near(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
}

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(text);
    return path;
}

QByteArray num(double v) {
    return QByteArray::number(v, 'g', 17);
}

QJsonObject byKey(const QJsonArray& array, const QString& key, const QString& value, const QString& key2 = {},
                  const QString& value2 = {}) {
    for (const auto& v : array) {
        const auto o = v.toObject();
        if (o[key].toString() == value && (key2.isEmpty() || o[key2].toString() == value2)) return o;
    }
    return {};
}

// Rows i = 0..39, all predicted right (score 0.8 for label 1, 0.2 for 0).
//   reference: label i % 2; shifted = i; same = (7 i) % 40; colour = [red, green, blue][i % 3]
//   current:   label 0 when i % 4 == 0, else 1; shifted = i + 20; same = (3 i) % 40;
//              colour red for i < 24, green for i < 32, else blue
QByteArray driftLog(bool reference) {
    QByteArray text = "label,score,shifted,same,colour\n";
    const char* colours[] = {"red", "green", "blue"};
    for (int i = 0; i < 40; ++i) {
        const int label = reference ? i % 2 : (i % 4 == 0 ? 0 : 1);
        const double shifted = reference ? i : i + 20;
        const int same = reference ? (7 * i) % 40 : (3 * i) % 40;
        const char* colour = reference ? colours[i % 3] : i < 24 ? "red" : i < 32 ? "green" : "blue";
        text += QByteArray::number(label) + "," + (label ? "0.8" : "0.2") + "," + num(shifted) + "," +
                QByteArray::number(same) + "," + colour + "\n";
    }
    return text;
}

// Time order k = 0..39 at 2026-01-01T00:kk:00Z (Unix 1767225600 + 60 k), written newest first: label k % 2,
// right for k < 20 and for k % 4 == 0 after that; minute = k; noise = (7 k) % 40.
QByteArray trendLog() {
    QByteArray text = "label,score,timestamp,minute,noise\n";
    for (int k = 39; k >= 0; --k) {
        const int label = k % 2;
        const bool right = k < 20 || k % 4 == 0;
        const char* score = (label == 1) == right ? "0.9" : "0.1";
        text += QByteArray::number(label) + "," + score + "," +
                QString::asprintf("2026-01-01T00:%02d:00Z", k).toUtf8() + "," + QByteArray::number(k) + "," +
                QByteArray::number((7 * k) % 40) + "\n";
    }
    return text;
}

// Rows i = 0..19, all right. current: label i % 2, leak = 10 label + i % 5, noise = (7 i) % 20,
// code = "c<label>", group = "g<i % 5>". reference: label (i / 2) % 2, leak = 10 label + i % 3,
// noise = (3 i) % 20, code and group alike.
QByteArray leakLog(bool reference) {
    QByteArray text = "label,score,leak,noise,code,group\n";
    for (int i = 0; i < 20; ++i) {
        const int label = reference ? (i / 2) % 2 : i % 2;
        const int leak = 10 * label + (reference ? i % 3 : i % 5);
        const int noise = reference ? (3 * i) % 20 : (7 * i) % 20;
        text += QByteArray::number(label) + "," + (label ? "0.7" : "0.3") + "," + QByteArray::number(leak) +
                "," + QByteArray::number(noise) + ",c" + QByteArray::number(label) + ",g" +
                QByteArray::number(i % 5) + "\n";
    }
    return text;
}

void checkOneLineError(const CliResult& r, const QString& mustName) {
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.isEmpty());
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.endsWith('\n') && err.count('\n') == 1, qPrintable(err));
    QVERIFY2(err.contains(mustName), qPrintable(err));
}

} // namespace

class TestCliChecks : public QObject {
    Q_OBJECT
  private slots:
    void driftAgainstReference() {
        QTemporaryDir dir;
        const auto r = run({"checks", write(dir, "eval.csv", driftLog(false)),
                            write(dir, "train.csv", driftLog(true)), "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QCOMPARE(o["kind"].toString(), QString("checks"));
        QVERIFY(o["file"].toString().endsWith("eval.csv"));
        QVERIFY(o["reference"].toString().endsWith("train.csv"));
        const auto drift = o["drift"].toObject();
        const auto features = drift["features"].toArray();
        QCOMPARE(features.size(), 3);

        // PSI: numpy edges e = np.unique(np.quantile(ref, np.linspace(0, 1, 11))), shares of
        // np.searchsorted(e[1:-1], x, side='left') floored at 1e-4, sum((c - r) * log(c / r)).
        const auto shifted = byKey(features, "feature", "shifted");
        QCOMPARE(shifted["numeric"].toBool(), true);
        QCOMPARE(shifted["n_reference"].toInt(), 40);
        QCOMPARE(shifted["n_current"].toInt(), 40);
        QCOMPARE(shifted["test"].toString(), QString("ks"));
        QVERIFY(near(shifted["psi"].toDouble(), 4.346303496465605));
        // scipy.stats.ks_2samp(np.arange(40.), np.arange(40.) + 20) -> (0.5, 6.5768913245274e-05)
        QVERIFY(near(shifted["statistic"].toDouble(), 0.5));
        QVERIFY(near(shifted["p"].toDouble(), 6.5768913245274e-05));
        // statsmodels multipletests([ks p, 1.0, chi2 p], method='fdr_bh')[1]
        QVERIFY(near(shifted["p_adjusted"].toDouble(), 0.000197306739735822));
        QCOMPARE(shifted["severity"].toString(), QString("major"));
        QVERIFY(shifted["sentence"].toString().startsWith("shifted: major drift"));

        // Two permutations of 0..39: ks_2samp -> (0.0, 1.0), PSI 0.
        const auto same = byKey(features, "feature", "same");
        QVERIFY(near(same["psi"].toDouble(), 0.0));
        QVERIFY(near(same["statistic"].toDouble(), 0.0));
        QVERIFY(near(same["p"].toDouble(), 1.0));
        QVERIFY(near(same["p_adjusted"].toDouble(), 1.0));
        QCOMPARE(same["severity"].toString(), QString("none"));

        // Categories blue, green, red: reference 13, 13, 14; current 8, 8, 24.
        // scipy.stats.chi2_contingency([[13, 13, 14], [8, 8, 24]]) -> (5.012531328320803,
        // 0.08157228949885938) PSI over the shares: 0.256126079128597 (>= 0.25 but BH p 0.12235843424828907:
        // minor, not major).
        const auto colour = byKey(features, "feature", "colour");
        QCOMPARE(colour["numeric"].toBool(), false);
        QCOMPARE(colour["test"].toString(), QString("chi2"));
        QVERIFY(near(colour["statistic"].toDouble(), 5.012531328320803));
        QVERIFY(near(colour["p"].toDouble(), 0.08157228949885938));
        QVERIFY(near(colour["p_adjusted"].toDouble(), 0.12235843424828907));
        QVERIFY(near(colour["psi"].toDouble(), 0.256126079128597));
        QCOMPARE(colour["severity"].toString(), QString("minor"));

        QCOMPARE(drift["major"].toInt(), 1);
        QCOMPARE(drift["minor"].toInt(), 1);
        QCOMPARE(drift["severity"].toString(), QString("major"));
        QCOMPARE(o["severity"].toString(), QString("major"));
        QVERIFY(o["sentence"].toString().contains("drift in 2 feature(s)"));
    }

    void labelShiftBetweenSets() {
        QTemporaryDir dir;
        const auto r = run({"checks", write(dir, "eval.csv", driftLog(false)),
                            write(dir, "train.csv", driftLog(true)), "--json"});
        QCOMPARE(r.code, 0);
        const auto s = json(r)["label_shift"].toObject();
        QCOMPARE(s["sets"].toArray().at(0).toString(), QString("train"));
        QCOMPARE(s["sets"].toArray().at(1).toString(), QString("eval"));
        QCOMPARE(s["classes"].toArray().at(0).toString(), QString("0"));
        QCOMPARE(s["classes"].toArray().at(1).toString(), QString("1"));
        // Priors 20/40, 20/40 in train and 10/40, 30/40 in eval.
        const auto priors = s["priors"].toArray();
        QVERIFY(near(priors.at(0).toArray().at(1).toDouble(), 0.5));
        QVERIFY(near(priors.at(1).toArray().at(0).toDouble(), 0.25));
        QVERIFY(near(priors.at(1).toArray().at(1).toDouble(), 0.75));
        // scipy.stats.chi2_contingency([[20, 20], [10, 30]]) -> (4.32, 0.03766692222862869), Yates-corrected
        QVERIFY(near(s["chi2"].toDouble(), 4.32));
        QVERIFY(near(s["p"].toDouble(), 0.03766692222862869));
        QCOMPARE(s["dof"].toInt(), 1);
        // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
        QVERIFY(near(s["psi"].toDouble(), 0.2746530721670274));
        QCOMPARE(s["severity"].toString(), QString("major"));
        QVERIFY(s["sentence"].toString().startsWith("Major label shift"));
    }

    void leakingFeatureFlagged() {
        QTemporaryDir dir;
        const auto r = run({"checks", write(dir, "eval.csv", leakLog(false)),
                            write(dir, "train.csv", leakLog(true)), "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        const auto leakage = o["leakage"].toArray();
        QCOMPARE(leakage.size(), 8); // four features in each of the two logs
        // sklearn.metrics.roc_auc_score(label, leak) == 1.0 in both logs
        for (const QString set : {"eval", "train"}) {
            const auto leak = byKey(leakage, "feature", "leak", "set", set);
            QVERIFY2(near(leak["auc"].toDouble(), 1.0), qPrintable(set));
            QCOMPARE(leak["suspicious"].toBool(), true);
            QCOMPARE(leak["severity"].toString(), QString("major"));
            QVERIFY(leak["sentence"].toString().contains("possible leakage"));
        }
        // roc_auc_score(i % 2, (7 i) % 20) = 0.55; train: roc_auc_score((i // 2) % 2, (3 i) % 20) = 0.5
        const auto noise = byKey(leakage, "feature", "noise", "set", "eval");
        QVERIFY(near(noise["auc"].toDouble(), 0.55));
        QCOMPARE(noise["suspicious"].toBool(), false);
        QVERIFY(near(byKey(leakage, "feature", "noise", "set", "train")["auc"].toDouble(), 0.5));
        // code = "c<label>": every other row of its value has its label, so leave-one-out purity 1 against a
        // majority share of 10/20.
        const auto code = byKey(leakage, "feature", "code", "set", "eval");
        QVERIFY(near(code["purity"].toDouble(), 1.0));
        QVERIFY(near(code["majority_share"].toDouble(), 0.5));
        QCOMPARE(code["suspicious"].toBool(), true);
        // group = i % 5 against label i % 2: each group holds 2 of each label, so a row's other rows
        // out-vote it 2 to 1 and purity is 0.
        const auto group = byKey(leakage, "feature", "group", "set", "eval");
        QVERIFY(near(group["purity"].toDouble(), 0.0));
        QCOMPARE(group["suspicious"].toBool(), false);
        QCOMPARE(o["severity"].toString(), QString("major"));
        QVERIFY(o["sentence"].toString().contains("possible leakage in leak (train)"));
    }

    void trendOverTimeColumn() {
        QTemporaryDir dir;
        const QString log = write(dir, "eval.csv", trendLog());
        const auto r = run({"checks", log, "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        const auto t = o["trend"].toObject();
        QCOMPARE(t["x"].toString(), QString("timestamp"));
        QCOMPARE(t["x_source"].toString(), QString("auto"));
        QCOMPARE(t["n"].toInt(), 40);
        // x = 1767225600 + 60 k (ISO-8601 seconds), correct = (k < 20) | (k % 4 == 0):
        // scipy.stats.linregress(x, correct) -> slope -0.0004924953095684804, p 3.889479655746047e-07;
        // change over the range slope * (39 * 60) = -1.152439024390244
        QVERIFY(near(t["slope"].toDouble(), -0.0004924953095684804));
        QVERIFY(near(t["p"].toDouble(), 3.889479655746047e-07, 1e-7));
        QVERIFY(near(t["change_over_range"].toDouble(), -1.152439024390244));
        QCOMPARE(t["severity"].toString(), QString("major"));
        QVERIFY(t["sentence"].toString().startsWith("accuracy falls"));
        // Ten windows of 4 rows in time order; statsmodels proportion_confint(4, 4, method='wilson') =
        // (0.5101091635454025, 1.0) and (1, 4) -> (0.0455872608097006, 0.6993581574175982).
        const auto windows = t["windows"].toArray();
        QCOMPARE(windows.size(), 10);
        const auto first = windows.at(0).toObject(), last = windows.at(9).toObject();
        QVERIFY(near(first["x_low"].toDouble(), 1767225600.0));
        QVERIFY(near(first["x_high"].toDouble(), 1767225780.0));
        QCOMPARE(first["n"].toInt(), 4);
        QVERIFY(near(first["mean"].toDouble(), 1.0));
        QVERIFY(near(first["ci_low"].toDouble(), 0.5101091635454025));
        QVERIFY(near(last["x_high"].toDouble(), 1767227940.0));
        QVERIFY(near(last["mean"].toDouble(), 0.25));
        QVERIFY(near(last["ci_low"].toDouble(), 0.0455872608097006));
        QVERIFY(near(last["ci_high"].toDouble(), 0.6993581574175982));
        // The time column is the x, not a feature.
        QVERIFY(byKey(o["leakage"].toArray(), "feature", "timestamp").isEmpty());
        QVERIFY(!byKey(o["leakage"].toArray(), "feature", "minute").isEmpty());

        // --time minute: linregress(k, correct) -> slope -0.02954971857410882, the same p and change.
        const auto m = json(run({"checks", log, "--json", "--time", "minute"}))["trend"].toObject();
        QCOMPARE(m["x"].toString(), QString("minute"));
        QCOMPARE(m["x_source"].toString(), QString("option"));
        QVERIFY(near(m["slope"].toDouble(), -0.02954971857410882));
        QVERIFY(near(m["p"].toDouble(), 3.889479655746067e-07, 1e-7));
        QVERIFY(near(m["change_over_range"].toDouble(), -1.1524390243902438));
    }

    void oneFileWithoutReference() {
        // Multiclass, 30 rows: label [a, b, c][i % 3], predicted right (0.6 on the label) when i < 15 or
        // i % 5 == 0, else 0.6 on the next class; kind = the label (a leak), size = (7 i) % 30.
        QByteArray text = "label,prob_a,prob_b,prob_c,kind,size\n";
        const char* names[] = {"a", "b", "c"};
        for (int i = 0; i < 30; ++i) {
            const int label = i % 3, predicted = (i < 15 || i % 5 == 0) ? label : (label + 1) % 3;
            text += names[label];
            for (int c = 0; c < 3; ++c)
                text += c == predicted ? ",0.6" : ",0.2";
            text += QByteArray(",") + names[label] + "," + QByteArray::number((7 * i) % 30) + "\n";
        }
        QTemporaryDir dir;
        const auto r = run({"checks", write(dir, "eval.csv", text), "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QVERIFY(o["reference"].isNull());
        QVERIFY(o["drift"].isNull());
        QVERIFY(o["label_shift"].isNull());
        const auto t = o["trend"].toObject();
        QCOMPARE(t["x"].toString(), QString("row order"));
        QCOMPARE(t["x_source"].toString(), QString("row_order"));
        // correct = (i < 15) | (i % 5 == 0), mean 0.6; scipy.stats.linregress(np.arange(30), correct) ->
        // slope -0.04271412680756396, p 1.4510487942714346e-06; change slope * 29 = -1.238709677419355
        QVERIFY(near(t["mean"].toDouble(), 0.6));
        QVERIFY(near(t["slope"].toDouble(), -0.04271412680756396));
        QVERIFY(near(t["p"].toDouble(), 1.4510487942714346e-06, 1e-7));
        QVERIFY(near(t["change_over_range"].toDouble(), -1.238709677419355));
        const auto leakage = o["leakage"].toArray();
        QCOMPARE(leakage.size(), 2);
        // kind equals the label: purity 1 against a majority share of 10/30.
        const auto kind = byKey(leakage, "feature", "kind");
        QCOMPARE(kind["set"].toString(), QString("eval"));
        QVERIFY(near(kind["purity"].toDouble(), 1.0));
        QVERIFY(near(kind["majority_share"].toDouble(), 1.0 / 3.0));
        QCOMPARE(kind["suspicious"].toBool(), true);
        QCOMPARE(byKey(leakage, "feature", "size")["suspicious"].toBool(), false);
        QCOMPARE(o["severity"].toString(), QString("major"));

        // The text report: one block per check, each ending in its sentence and severity.
        const auto plain = run({"checks", dir.filePath("eval.csv")});
        QCOMPARE(plain.code, 0);
        const QString out = QString::fromUtf8(plain.out);
        QVERIFY(!out.contains("Drift against"));
        QVERIFY(out.contains("Accuracy trend against row order (30 rows)"));
        QVERIFY(out.contains(t["sentence"].toString() + " Severity major."));
        QVERIFY(out.contains(kind["sentence"].toString() + " Severity major."));
        QVERIFY(out.trimmed().endsWith(o["sentence"].toString() + " Severity major."));
    }

    void textReportWithReference() {
        QTemporaryDir dir;
        const auto r =
            run({"checks", write(dir, "eval.csv", driftLog(false)), write(dir, "train.csv", driftLog(true))});
        QCOMPARE(r.code, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains("Drift against the reference:"));
        QVERIFY(out.contains("shifted (numeric, n 40 / 40): PSI 4.346"));
        QVERIFY(out.contains("colour (categorical, n 40 / 40)"));
        QVERIFY(out.contains("3 feature(s) checked: 1 with major drift, 1 with minor drift"));
        QVERIFY(out.contains("Label shift:"));
        QVERIFY(out.contains("Major label shift"));
    }

    void featuresOption() {
        QTemporaryDir dir;
        const auto r = run({"checks", write(dir, "eval.csv", driftLog(false)),
                            write(dir, "train.csv", driftLog(true)), "--json", "--features", "same, colour"});
        QCOMPARE(r.code, 0);
        const auto features = json(r)["drift"].toObject()["features"].toArray();
        QCOMPARE(features.size(), 2);
        QCOMPARE(features.at(0).toObject()["feature"].toString(), QString("same"));
        // BH over two p-values: multipletests([1.0, 0.08157228949885938], method='fdr_bh')[1][1]
        // = min(1, 0.08157228949885938 * 2 / 1) = 0.16314457899771875
        QVERIFY(near(features.at(1).toObject()["p_adjusted"].toDouble(), 0.16314457899771875));
    }

    void badInput_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("missing file") << QStringLiteral("missing");
        QTest::newRow("missing reference") << QStringLiteral("missing-reference");
        QTest::newRow("no feature columns") << QStringLiteral("no-features");
        QTest::newRow("unknown --time column") << QStringLiteral("no-time-column");
        QTest::newRow("--time column not a time") << QStringLiteral("bad-time");
        QTest::newRow("unknown --features column") << QStringLiteral("no-feature-column");
    }

    void badInput() {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        const QString good = write(dir, "eval.csv", driftLog(false));
        const QString bare = write(dir, "bare.csv", "label,score\n1,0.9\n0,0.2\n1,0.4\n");
        const QString missing = dir.filePath("nowhere.csv");
        if (kind == "missing") checkOneLineError(run({"checks", missing, "--json"}), "nowhere.csv");
        if (kind == "missing-reference") checkOneLineError(run({"checks", good, missing}), "nowhere.csv");
        if (kind == "no-features") checkOneLineError(run({"checks", bare, "--json"}), "bare.csv");
        if (kind == "no-time-column") {
            const auto r = run({"checks", good, "--time", "clock"});
            checkOneLineError(r, "eval.csv");
            QVERIFY(r.err.contains("'clock'"));
        }
        if (kind == "bad-time") {
            const auto r = run({"checks", good, "--time", "colour"});
            checkOneLineError(r, "eval.csv");
            QVERIFY(r.err.contains("row 1: 'red'"));
        }
        if (kind == "no-feature-column")
            checkOneLineError(
                run({"checks", good, write(dir, "train.csv", leakLog(true)), "--features", "same"}),
                "train.csv");
    }

    void usageErrors() {
        QTemporaryDir dir;
        const QString good = write(dir, "eval.csv", driftLog(false));
        QCOMPARE(run({"checks"}).code, 2);
        QCOMPARE(run({"checks", good, good, good}).code, 2);
        QCOMPARE(run({"checks", good, "--features", "a,,b"}).code, 2);
        QCOMPARE(run({"checks", good, "--bogus"}).code, 2);
        const auto help = run({"checks", "--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.startsWith("Usage: runlens checks CURRENT [REFERENCE]"));
    }
};

QTEST_GUILESS_MAIN(TestCliChecks)
#include "test_cli_checks.moc"
