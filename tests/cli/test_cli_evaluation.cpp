// End-to-end tests of the evaluation commands: calibration, slices, diff and learning-curve (JSON, exit
// codes, charts).
#include "tests/common/cli_runner.h"
#include "tests/data/eval/sklearn_refs.h"

#include <cmath>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Result = runlens::test::CliResult;

Result run(const QStringList& args, const QString& cwd = {}) {
    return runlens::test::runRunlens(args, 120000, {}, cwd);
}

QJsonObject json(const Result& r) {
    return runlens::test::jsonOf(r);
}

bool near(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol;
}

void writeFile(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// Hard-prediction logs of the kidney-stone study (Charig et al. 1986): A succeeds on 81/87 small and 192/263
// large stones, B on 234/270 small and 55/80 large.
void writeKidneyStones(const QString& dir) {
    auto write = [&](const QString& name, QList<std::tuple<QString, int, int>> strata) {
        QByteArray text = "id,label,prediction,size\n";
        int id = 0;
        for (const auto& [size, n, correct] : strata)
            for (int k = 0; k < n; ++k)
                text +=
                    QString("%1%2,1,%3,%4\n").arg(name).arg(id++).arg(k < correct ? 1 : 0).arg(size).toUtf8();
        writeFile(dir + "/" + name + ".csv", text);
    };
    write("A", {{"small", 87, 81}, {"large", 263, 192}});
    write("B", {{"small", 270, 234}, {"large", 80, 55}});
}

bool pngNotBlank(const QString& path) {
    QImage image(path);
    if (image.isNull()) return false;
    const QRgb first = image.pixel(0, 0);
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            if (image.pixel(x, y) != first) return true;
    return false;
}

} // namespace

class TestCliEvaluation : public QObject {
    Q_OBJECT
  private slots:
    void calibrationMatchesScikitLearn() {
        QTemporaryDir dir;
        const QString fixture = QString(RUNLENS_TEST_DATA) + "/eval/breast_cancer_predictions.csv";
        const auto r = run({"calibration", fixture, "--json", "-o", dir.filePath("rel.png")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = json(r);
        using namespace runlens::refs;
        QCOMPARE(o["n"].toInteger(), bcRows);
        QCOMPARE(o["positives"].toInteger(), bcPositives);
        // sklearn 1.2 and numpy references frozen by tests/tools/gen_sklearn_refs.py
        QVERIFY(near(o["ece"].toDouble(), bcUniform10Ece));
        QVERIFY(near(o["mce"].toDouble(), bcUniform10Mce));
        QVERIFY(near(o["ace_avg_bins"].toDouble(), bcUniform10AceAvgBins));
        QVERIFY(near(o["l2_ce_debiased"].toDouble(), bcUniform10L2Debiased));
        QVERIFY(near(o["brier"].toDouble(), bcBrier));
        QVERIFY(near(o["log_loss"].toDouble(), bcLogLoss));
        QVERIFY(near(o["roc_auc"].toDouble(), bcRocAuc));
        QVERIFY(near(o["average_precision"].toDouble(), bcAveragePrecision));
        QVERIFY(near(o["accuracy"].toDouble(), bcAccuracy));
        const auto decomposition = o["brier_decomposition"].toObject();
        QVERIFY(near(decomposition["reliability"].toDouble(), bcUniform10Reliability));
        QVERIFY(near(decomposition["residual"].toDouble(), bcUniform10Residual));
        const auto bins = o["bins"].toArray();
        QCOMPARE(bins.size(), 10);
        for (int i = 0; i < bins.size(); ++i) {
            const auto b = bins[i].toObject();
            QCOMPARE(b["count"].toInteger(), bcUniform10Count[i]);
            QVERIFY(near(b["fraction_positive"].toDouble(), bcUniform10ProbTrue[i]));
            QVERIFY(near(b["mean_predicted"].toDouble(), bcUniform10ProbPred[i]));
            QVERIFY(near(b["ci_low"].toDouble(), bcUniform10WilsonLow[i]));
        }
        const auto baselines = o["baselines"].toObject();
        QVERIFY(baselines.contains("uniform_random") && baselines.contains("zero_rule") &&
                baselines.contains("prior"));
        QVERIFY(near(baselines["uniform_random"].toObject()["roc_auc"].toDouble(), 0.5));
        QVERIFY(pngNotBlank(dir.filePath("rel.png")));
    }

    // Per class of the iris log, from /usr/bin/python3 on tests/data/eval/iris_predictions.csv (argmax
    // predictions): sklearn precision_recall_fscore_support(y, P.argmax(1), zero_division=0), roc_auc_score(y
    // == c, P[:, c]), and the one-vs-rest ECE with 10 uniform bins (bins by np.searchsorted(edges[1:-1], p,
    // 'left'); ECE = sum_b n_b / n |mean(y == c) - mean(p)|). Their mean is the frozen irisClasswiseEce.
    void calibrationPerClassMatchesScikitLearn() {
        const QString fixture = QString(RUNLENS_TEST_DATA) + "/eval/iris_predictions.csv";
        const auto r = run({"calibration", fixture, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = json(r);
        const auto perClass = o["per_class"].toArray();
        QCOMPARE(perClass.size(), 3);
        const char* names[] = {"setosa", "versicolor", "virginica"};
        const double precision[] = {1.0, 0.7619047619047619, 0.6896551724137931};
        const double recall[] = {1.0, 0.64, 0.8};
        const double f1[] = {1.0, 0.6956521739130435, 0.7407407407407408};
        const double auc[] = {1.0, 0.8884, 0.878};
        const double ece[] = {0.10576547347741044, 0.10533611355480657, 0.06099890865276159};
        double meanEce = 0;
        for (int c = 0; c < 3; ++c) {
            const auto k = perClass[c].toObject();
            QCOMPARE(k["class"].toString(), QString(names[c]));
            QCOMPARE(k["support"].toInteger(), 25);
            QVERIFY(near(k["precision"].toDouble(), precision[c]));
            QVERIFY(near(k["recall"].toDouble(), recall[c]));
            QVERIFY(near(k["f1"].toDouble(), f1[c]));
            QVERIFY(near(k["roc_auc"].toDouble(), auc[c]));
            QVERIFY(near(k["ece"].toDouble(), ece[c]));
            meanEce += k["ece"].toDouble() / 3;
        }
        QVERIFY(near(meanEce, runlens::refs::irisClasswiseEce));
    }

    void calibrationBadInput_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("score outside [0,1]") << QByteArray("label,score\n1,0.9\n0,1.7\n") << "row 2";
        QTest::newRow("no label") << QByteArray("score,x\n0.5,1\n0.2,2\n") << "label";
        QTest::newRow("text score") << QByteArray("label,score\n1,0.9\n0,high\n") << "score";
    }
    void calibrationBadInput() {
        QFETCH(QByteArray, content);
        QFETCH(QString, mustMention);
        QTemporaryDir dir;
        writeFile(dir.filePath("preds.csv"), content);
        const auto r = run({"calibration", dir.filePath("preds.csv")});
        QCOMPARE(r.code, 1);
        const auto lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY2(r.err.contains(mustMention.toUtf8()), r.err.constData());
    }

    void slicesKidneyStonesComplete() {
        QTemporaryDir dir;
        writeKidneyStones(dir.path());
        const auto r =
            run({"slices", "A.csv", "B.csv", "--by", "size", "--json", "-o", "simpson.svg"}, dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = json(r);
        QCOMPARE(o["metric"].toString(), QString("accuracy"));
        const auto simpson = o["simpson"].toObject();
        QCOMPARE(simpson["reversal"].toString(), QString("complete"));
        QCOMPARE(simpson["overall_winner"].toString(), QString("B"));
        QCOMPARE(simpson["standardized"].toObject()["winner"].toString(), QString("A"));
        QVERIFY(near(simpson["mix"].toObject()["B"].toObject()["small"].toDouble(), 270.0 / 350.0, 1e-12));
        QCOMPARE(simpson["strata_won"].toObject()["A"].toInt(), 2);
        QVERIFY(simpson["explanation"].toString().contains("82.6%"));
        const auto overallB = o["overall"].toObject()["B"].toObject();
        // statsmodels proportion_confint(289, 350, method='wilson') = (0.7824937250902549,
        // 0.8618626506716279)
        QVERIFY(near(overallB["ci_low"].toDouble(), 0.7824937250902549));
        QVERIFY(near(overallB["ci_high"].toDouble(), 0.8618626506716279));
        QCOMPARE(o["slices"].toArray().size(), 2);
        QFile svg(dir.filePath("simpson.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
    }

    void slicesCompareColumnAndImpossible() {
        QTemporaryDir dir;
        // One log with two model versions scored on the same examples would be "impossible"; here one file is
        // split by a period column into two cohorts with different examples: a reversal is searched.
        QByteArray text = "id,label,prediction,size,period\n";
        int id = 0;
        auto add = [&](const char* period, const char* size, int n, int correct) {
            for (int k = 0; k < n; ++k)
                text += QString("%1,1,%2,%3,%4\n").arg(id++).arg(k < correct).arg(size).arg(period).toUtf8();
        };
        add("before", "small", 87, 81);
        add("before", "large", 263, 192);
        add("after", "small", 270, 234);
        add("after", "large", 80, 55);
        writeFile(dir.filePath("log.csv"), text);
        const auto r =
            run({"slices", "log.csv", "--by", "size", "--compare", "period", "--json"}, dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(json(r)["simpson"].toObject()["reversal"].toString(), QString("complete"));

        // The same file twice: identical examples and accuracy -> "impossible".
        const auto same =
            run({"slices", "log.csv", dir.filePath("log.csv"), "--by", "size", "--json"}, dir.path());
        QVERIFY2(same.code == 0, same.err.constData());
        QCOMPARE(json(same)["simpson"].toObject()["reversal"].toString(), QString("impossible"));

        const auto unknown = run({"slices", "log.csv", "--by", "colour"}, dir.path());
        QCOMPARE(unknown.code, 1);
        QVERIFY(unknown.err.contains("colour"));
        const auto usage = run({"slices", "log.csv"}, dir.path());
        QCOMPARE(usage.code, 2);
    }

    void diffPredictionLogs() {
        // 123 shared examples: both right 50, only A right 10, only B right 3, both wrong 60.
        // statsmodels mcnemar([[50, 10], [3, 60]]): exact p 0.09228515625; corrected chi2 2.769230769230769,
        // p 0.0960923294556734.
        QTemporaryDir dir;
        QByteArray a = "id,label,score,group\n", b = "id,label,score,group\n";
        int id = 0;
        auto add = [&](int count, bool aRight, bool bRight) {
            for (int k = 0; k < count; ++k, ++id) {
                const int label = id % 2;
                auto score = [&](bool right) { return right ? (label ? 0.8 : 0.2) : (label ? 0.3 : 0.7); };
                const double jitter = (id % 7) * 0.01;
                a += QString("e%1,%2,%3,g%4\n")
                         .arg(id)
                         .arg(label)
                         .arg(score(aRight) + jitter)
                         .arg(id % 3)
                         .toUtf8();
                b += QString("e%1,%2,%3,g%4\n")
                         .arg(id)
                         .arg(label)
                         .arg(score(bRight) - jitter)
                         .arg(id % 3)
                         .toUtf8();
            }
        };
        add(50, true, true);
        add(10, true, false);
        add(3, false, true);
        add(60, false, false);
        b += "extra,1,0.9,g0\n"; // unmatched in B
        writeFile(dir.filePath("v1.csv"), a);
        writeFile(dir.filePath("v2.csv"), b);
        const QStringList args{"diff", "v1.csv", "v2.csv", "--json", "--seed", "7", "--resamples", "300"};
        const auto r = run(args, dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        const auto paired = json(r)["paired"].toObject();
        QCOMPARE(paired["n"].toInt(), 123);
        QCOMPARE(paired["aligned_by"].toString(), QString("id"));
        QCOMPARE(paired["unmatched_b"].toInt(), 1);
        QCOMPARE(paired["both_correct"].toInt(), 50);
        QCOMPARE(paired["a_only_correct"].toInt(), 10);
        QCOMPARE(paired["b_only_correct"].toInt(), 3);
        QCOMPARE(paired["both_wrong"].toInt(), 60);
        const auto mc = paired["mcnemar"].toObject();
        QVERIFY(near(mc["exact_p"].toDouble(), 0.09228515625));
        QVERIFY(near(mc["chi2"].toDouble(), 2.769230769230769));
        QVERIFY(near(mc["chi2_p"].toDouble(), 0.0960923294556734));
        const auto boot = paired["bootstrap"].toObject();
        QVERIFY(near(boot["delta"].toDouble(), (53.0 - 60.0) / 123.0, 1e-12));
        QCOMPARE(boot["seed"].toInt(), 7);
        QVERIFY(paired["delong"].isObject());
        QCOMPARE(paired["flips_total"].toInt(), 13);
        // Reproducible with its seed.
        const auto again = json(run(args, dir.path()))["paired"].toObject()["bootstrap"].toObject();
        QCOMPARE(again["ci_low"].toDouble(), boot["ci_low"].toDouble());
        QCOMPARE(again["ci_high"].toDouble(), boot["ci_high"].toDouble());
        const auto md = run({"diff", "v1.csv", "v2.csv", "--markdown"}, dir.path());
        QCOMPARE(md.code, 0);
        QVERIFY(md.out.contains("McNemar"));
    }

    void diffOfRunsPrintsTheComparabilityWarnings() {
        // The Compare tab's warnings (core/analysis/run_comparability), now printed by `runlens diff -w` too:
        // a trains 100 steps and b 200 (max_steps and the loss's last step), and b's evaluation set has one
        // more row. Two log files have no runs to compare that way: no warnings.
        QTemporaryDir dir;
        const QByteArray predictions = "id,label,score\ne0,1,0.9\ne1,0,0.2\ne2,1,0.7\n";
        for (const auto& [name, steps] : {std::pair{"a", 100}, std::pair{"b", 200}}) {
            const QString folder = dir.filePath(QString("logs/%1").arg(name));
            QDir().mkpath(folder);
            writeFile(folder + "/hparams.yaml", QString("lr: 0.1\nmax_steps: %1\n").arg(steps).toUtf8());
            writeFile(folder + "/metrics.csv", QString("step,loss\n0,1\n%1,0.5\n").arg(steps).toUtf8());
            writeFile(folder + "/predictions_val.csv",
                      predictions + (steps == 200 ? QByteArray("e3,0,0.4\n") : QByteArray()));
        }
        const auto imported = run({"import", "logs", "-w", "ws.runlens"}, dir.path());
        QVERIFY2(imported.code == 0, imported.err.constData());
        const auto r = run({"diff", "a", "b", "-w", "ws.runlens", "--json", "--resamples", "20"}, dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray warnings = json(r)["warnings"].toArray();
        QCOMPARE(warnings.size(), 3);
        QCOMPARE(warnings[0].toString(),
                 QString("Different evaluation sets (val (3 rows): a; val (4 rows): b): "
                         "their metrics are not measured on the same examples."));
        QCOMPARE(warnings[1].toString(), QString("Different training budgets: last step of 'loss' is 100: a; "
                                                 "200: b."));
        QCOMPARE(warnings[2].toString(), QString("Different training budgets: max_steps is 100: a; 200: b."));
        const auto md = run({"diff", "a", "b", "-w", "ws.runlens", "--resamples", "20"}, dir.path());
        QCOMPARE(md.code, 0);
        QVERIFY2(md.out.contains("> **Warning:** Different training budgets: max_steps is 100: a; 200: b."),
                 md.out.constData());
        const auto files = run({"diff", "logs/a/predictions_val.csv", "logs/b/predictions_val.csv", "--json",
                                "--resamples", "20"},
                               dir.path());
        QVERIFY2(files.code == 0, files.err.constData());
        QVERIFY(json(files)["warnings"].toArray().isEmpty());
    }

    void learningCurveRecoversAPowerLaw() {
        // Runs with n_train in {1e2 .. 1e5} and val_loss = 2 * n^-0.5 + 0.1 exactly.
        QTemporaryDir dir;
        for (int k = 0; k < 7; ++k) {
            const double n = std::pow(10.0, 2 + k * 0.5);
            const QString run = dir.filePath(QString("logs/size_%1").arg(k));
            QDir().mkpath(run);
            writeFile(run + "/hparams.yaml", QString("n_train: %1\n").arg(n, 0, 'g', 17).toUtf8());
            writeFile(run + "/metrics.csv", QString("step,val_loss\n0,5\n1,%1\n")
                                                .arg(2.0 * std::pow(n, -0.5) + 0.1, 0, 'g', 17)
                                                .toUtf8());
        }
        const auto imported = run({"import", dir.filePath("logs"), "-w", dir.filePath("ws.runlens")});
        QVERIFY2(imported.code == 0, imported.err.constData());
        const auto r =
            run({"learning-curve", "-w", dir.filePath("ws.runlens"), "--metric", "val_loss", "--size-param",
                 "n_train", "--extrapolate", "1000000", "--json", "-o", dir.filePath("lc.png")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = json(r);
        QCOMPARE(o["points"].toArray().size(), 7);
        const auto fit = o["fit"].toObject();
        QVERIFY2(near(fit["a"].toDouble(), 2.0, 1e-4), qPrintable(QString::number(fit["a"].toDouble())));
        QVERIFY(near(fit["b"].toDouble(), -0.5, 1e-5));
        QVERIFY(near(fit["c"].toDouble(), 0.1, 1e-5));
        const auto ex = o["extrapolated"].toObject();
        QVERIFY(near(ex["value"].toDouble(), 2.0 * 1e-3 + 0.1, 1e-5));
        QVERIFY(pngNotBlank(dir.filePath("lc.png")));
        const auto missing = run({"learning-curve", "-w", dir.filePath("ws.runlens"), "--metric", "nope",
                                  "--size-param", "n_train"});
        QCOMPARE(missing.code, 1);
    }
};

QTEST_GUILESS_MAIN(TestCliEvaluation)
#include "test_cli_evaluation.moc"
