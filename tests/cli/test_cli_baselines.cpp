// End-to-end tests of the baseline fields of slices, diff and calibration (--json) against values worked by
// hand from an 11-row fixture.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using runlens::test::runRunlens;

namespace {

// id, segment, label, is the model right, is the baseline right. Scores: right 0.8 (label 1) / 0.2 (label 0),
// wrong 0.3 / 0.7, so threshold 0.5 gives the rightness below.
//   segment a (ids 0-5): labels 1 1 1 1 0 0; model right 5/6 (wrong on 5), baseline 3/6 (wrong on 2, 3, 5)
//   segment b (ids 6-10): labels 0 0 0 1 0; model right 4/5 (wrong on 9), baseline 5/5
//   overall: model 9/11, baseline 8/11
// Zero-rule (always the majority label of the rows, ties to 0):
//   a: four 1s of 6 -> always 1 -> 4/6;  b: one 1 of 5 -> always 0 -> 4/5;  all: five 1s of 11 -> 0 -> 6/11.
struct Row {
    char segment;
    int label;
    bool modelRight;
    bool baselineRight;
};
constexpr Row kRows[] = {{'a', 1, true, true},  {'a', 1, true, true}, {'a', 1, true, false},
                         {'a', 1, true, false}, {'a', 0, true, true}, {'a', 0, false, false},
                         {'b', 0, true, true},  {'b', 0, true, true}, {'b', 0, true, true},
                         {'b', 1, false, true}, {'b', 0, true, true}};

QByteArray logCsv(bool baseline) {
    QByteArray csv = "id,label,score,segment\n";
    int id = 0;
    for (const Row& r : kRows) {
        const bool right = baseline ? r.baselineRight : r.modelRight;
        const double score = right ? (r.label ? 0.8 : 0.2) : (r.label ? 0.3 : 0.7);
        csv += QByteArray::number(id++) + ',' + QByteArray::number(r.label) + ',' +
               QByteArray::number(score) + ',' + r.segment + '\n';
    }
    return csv;
}

void writeFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

QJsonObject parse(const QByteArray& out) {
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "bad JSON:" << error.errorString() << out.left(400);
    return doc.object();
}

bool near(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol;
}

QJsonObject sliceWith(const QJsonObject& report, const QString& segment) {
    for (const auto& s : report["slices"].toArray())
        if (s.toObject()["key"].toObject()["segment"].toString() == segment) return s.toObject();
    return {};
}

} // namespace

class TestCliBaselines : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        writeFile(m_dir.filePath("model.csv"), logCsv(false));
        writeFile(m_dir.filePath("base.csv"), logCsv(true));
        // The same baseline log as a run of a workspace, for --baseline RUN.
        writeFile(m_dir.filePath("logs/pinned/metrics.csv"), "step,loss\n0,1\n1,0.5\n");
        writeFile(m_dir.filePath("logs/pinned/predictions_test.csv"), logCsv(true));
        const auto r = runRunlens({"import", m_dir.filePath("logs"), "-w", m_dir.filePath("ws.runlens")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void slicesZeroRulePerCell() {
        const auto r = runRunlens({"slices", m_dir.filePath("model.csv"), "--by", "segment", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = parse(r.out);
        QVERIFY(near(o["baselines"].toObject()["zero_rule"].toObject()["model"].toDouble(), 6.0 / 11));
        QVERIFY(near(o["overall"].toObject()["model"].toObject()["zero_rule"].toDouble(), 6.0 / 11));
        const auto a = sliceWith(o, "a")["cohorts"].toObject()["model"].toObject();
        const auto b = sliceWith(o, "b")["cohorts"].toObject()["model"].toObject();
        QVERIFY(near(a["value"].toDouble(), 5.0 / 6));
        QVERIFY(near(a["zero_rule"].toDouble(), 4.0 / 6));
        QVERIFY(near(b["value"].toDouble(), 4.0 / 5));
        QVERIFY(near(b["zero_rule"].toDouble(), 4.0 / 5));
        QVERIFY(!o.contains("baseline")); // only with --baseline
        // Error rate: the zero-rule errs on the minority: a 2/6, b 1/5.
        const auto e = parse(runRunlens({"slices", m_dir.filePath("model.csv"), "--by", "segment", "--metric",
                                         "error_rate", "--json"})
                                 .out);
        QVERIFY(near(sliceWith(e, "a")["cohorts"].toObject()["model"].toObject()["zero_rule"].toDouble(),
                     2.0 / 6));
        QVERIFY(near(sliceWith(e, "b")["cohorts"].toObject()["model"].toObject()["zero_rule"].toDouble(),
                     1.0 / 5));
    }

    void slicesPinnedBaseline_data() {
        QTest::addColumn<bool>("fromRun");
        QTest::newRow("file") << false;
        QTest::newRow("run") << true;
    }

    void slicesPinnedBaseline() {
        QFETCH(bool, fromRun);
        QStringList args{"slices", m_dir.filePath("model.csv"), "--by", "segment", "--json", "--baseline"};
        if (fromRun)
            args << "pinned"
                 << "-w" << m_dir.filePath("ws.runlens");
        else
            args << m_dir.filePath("base.csv");
        const auto r = runRunlens(args);
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = parse(r.out);
        const auto pinned = o["baseline"].toObject();
        QCOMPARE(pinned["name"].toString(), fromRun ? QString("pinned") : QString("base"));
        // Overall: baseline 8/11; the model's lift 9/11 - 8/11 = 1/11.
        QVERIFY(near(pinned["overall"].toObject()["value"].toDouble(), 8.0 / 11));
        QCOMPARE(pinned["overall"].toObject()["n"].toInt(), 11);
        QVERIFY(near(pinned["lift"].toObject()["model"].toDouble(), 1.0 / 11));
        QCOMPARE(pinned["unmatched_rows"].toInt(), 0);
        // Per slice: a: baseline 3/6, lift 5/6 - 3/6 = 1/3; b: baseline 5/5, lift 4/5 - 1 = -1/5.
        const auto a = sliceWith(o, "a")["baseline"].toObject();
        const auto b = sliceWith(o, "b")["baseline"].toObject();
        QVERIFY(near(a["cell"].toObject()["value"].toDouble(), 0.5));
        QCOMPARE(a["cell"].toObject()["n"].toInt(), 6);
        QVERIFY(near(a["cell"].toObject()["share"].toDouble(), 6.0 / 11));
        QVERIFY(near(a["lift"].toObject()["model"].toDouble(), 1.0 / 3));
        QVERIFY(near(b["cell"].toObject()["value"].toDouble(), 1.0));
        QVERIFY(near(b["lift"].toObject()["model"].toDouble(), -0.2));
        // The pinned baseline never enters the verdict: one cohort, so no Simpson section.
        QVERIFY(o["simpson"].isNull());
        // Text output names it in a column.
        args.removeAll("--json");
        const auto text = runRunlens(args);
        QCOMPARE(text.code, 0);
        QVERIFY2(text.out.contains(fromRun ? "BASELINE pinned" : "BASELINE base"), text.out.constData());
        // and shows the zero-rule beside the model: 4/6 = 66.7% in segment a, 6/11 = 54.5% overall.
        QVERIFY(text.out.contains("ZERO-RULE"));
        QVERIFY2(text.out.contains("66.7%") && text.out.contains("54.5%"), text.out.constData());
    }

    void slicesBaselineErrors() {
        // -w alone is a usage error (it only names --baseline's run); a missing baseline file is bad input.
        auto r = runRunlens({"slices", m_dir.filePath("model.csv"), "--by", "segment", "-w", "x.runlens"});
        QCOMPARE(r.code, 2);
        r = runRunlens({"slices", m_dir.filePath("model.csv"), "--by", "segment", "--baseline",
                        m_dir.filePath("missing.csv")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("missing.csv"));
    }

    void diffZeroRuleAndPinned() {
        const auto r = runRunlens({"diff", m_dir.filePath("model.csv"), m_dir.filePath("base.csv"), "--json",
                                   "--baseline", m_dir.filePath("base.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = parse(r.out);
        // Zero-rule over the 11 pairs: 6/11; A (model) 9/11, B (base) 8/11; lifts 3/11 and 2/11.
        const auto z = o["paired"].toObject()["baselines"].toObject()["zero_rule"].toObject();
        QCOMPARE(z["metric"].toString(), QString("accuracy"));
        QVERIFY(near(z["value"].toDouble(), 6.0 / 11));
        QVERIFY(near(z["a"].toDouble(), 9.0 / 11));
        QVERIFY(near(z["b"].toDouble(), 8.0 / 11));
        QVERIFY(near(z["lift_a"].toDouble(), 3.0 / 11));
        QVERIFY(near(z["lift_b"].toDouble(), 2.0 / 11));
        // Pinned baseline = B's log: accuracy 8/11, lift of A 1/11 and of B 0. Brier: 8 right rows at
        // 0.2^2 = 0.04 and 3 wrong at 0.7^2 = 0.49 -> (0.32 + 1.47) / 11. Metrics pass through printed text,
        // so compare to 1e-6.
        const auto pinned = o["baseline"].toObject();
        QCOMPARE(pinned["name"].toString(), QString("base"));
        QVERIFY(near(pinned["metrics"].toObject()["eval/accuracy"].toDouble(), 8.0 / 11, 1e-6));
        QVERIFY(near(pinned["metrics"].toObject()["eval/brier"].toDouble(), 1.79 / 11, 1e-6));
        QVERIFY(near(pinned["lift_a"].toObject()["eval/accuracy"].toDouble(), 1.0 / 11, 1e-6));
        QVERIFY(near(pinned["lift_b"].toObject()["eval/accuracy"].toDouble(), 0.0, 1e-9));
    }

    void calibrationBaselines() {
        const auto r = runRunlens(
            {"calibration", m_dir.filePath("model.csv"), "--json", "--baseline", m_dir.filePath("base.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto base = parse(r.out)["baselines"].toObject();
        // Zero-rule: score 0 everywhere -> right on the six 0s (6/11), Brier = five positives at 1^2 / 11.
        const auto zero = base["zero_rule"].toObject();
        QVERIFY(near(zero["accuracy"].toDouble(), 6.0 / 11));
        QVERIFY(near(zero["brier"].toDouble(), 5.0 / 11));
        // Prior: score 5/11 everywhere -> predicts 0 at 0.5 (6/11 right), Brier = p(1 - p) = 30/121, AUC 0.5
        // (all ties count half).
        const auto prior = base["prior"].toObject();
        QVERIFY(near(prior["accuracy"].toDouble(), 6.0 / 11));
        QVERIFY(near(prior["brier"].toDouble(), 30.0 / 121));
        QVERIFY(near(prior["roc_auc"].toDouble(), 0.5));
        // Pinned: the baseline log's own numbers, 8/11 right, Brier 1.79/11.
        const auto pinned = base["pinned"].toObject();
        QCOMPARE(pinned["name"].toString(), QString("base"));
        QVERIFY(near(pinned["accuracy"].toDouble(), 8.0 / 11));
        QVERIFY(near(pinned["brier"].toDouble(), 1.79 / 11));
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestCliBaselines)
#include "test_cli_baselines.moc"
