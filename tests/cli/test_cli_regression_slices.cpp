// End-to-end tests of `runlens slices` and `runlens diff` on regression logs: per-slice metrics against
// pandas, the Simpson verdicts, the absolute-error finder, the paired tests against scipy, and one-line
// refusals.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

// BEGIN FROZEN REFERENCES (written by tests/tools/gen_regression_slices_refs.py; do not edit)
namespace ref {
// 1. slices_a/slices_b by region (pandas groupby, sorted by region) and overall, as in the core test.
inline constexpr int regionNA[] = {122, 124, 54};
inline constexpr double regionMaeA[] = {0.815121215826652, 0.820913091914853, 2.754778833195718};
inline constexpr double regionMseA[] = {1.0319464881376097, 1.0705050693681146, 10.97396206791676};
inline constexpr double regionRmseA[] = {1.0158476697505436, 1.0346521489699398, 3.312697098727374};
inline constexpr double regionR2A[] = {0.9095072106918604, 0.9076411791079106, 0.25598783659160707};
inline constexpr double regionBiasA[] = {0.03471053782498004, -0.1060851583818364, -0.0862767005213248};
inline constexpr double regionMedaeA[] = {0.7010911027284772, 0.6849142092174407, 2.68453448324496};
inline constexpr double overallMaeA = 1.1666535624028735;
inline constexpr double overallMseA = 2.837446839406465;
inline constexpr double overallRmseA = 1.6844722732673474;
inline constexpr double overallR2A = 0.7669040438552012;
inline constexpr double overallBiasA = -0.04526271950950562;
inline constexpr double overallMedaeA = 0.7723917379778475;
inline constexpr int regionNB[] = {122, 124, 54};
inline constexpr double regionMaeB[] = {1.1362434712707616, 1.3325389057135928, 1.638833981174881};
inline constexpr double regionMseB[] = {2.0776181219895222, 2.7309115923572542, 3.9909124084467997};
inline constexpr double regionRmseB[] = {1.4413945060216937, 1.6525470015576726, 1.9977268102638057};
inline constexpr double regionR2B[] = {0.8178108447122312, 0.7643880614413774, 0.7294243085035943};
inline constexpr double regionBiasB[] = {-0.08141554103365183, -0.03217150282117595, 0.06805071052359893};
inline constexpr double regionMedaeB[] = {0.86870733147305, 1.088727451759314, 1.5090216886688053};
inline constexpr double overallMaeB = 1.3078452092898734;
inline constexpr double overallMseB = 2.692039061303828;
inline constexpr double overallRmseB = 1.6407434477406357;
inline constexpr double overallR2B = 0.7788492773647794;
inline constexpr double overallBiasB = -0.03415741329218999;
inline constexpr double overallMedaeB = 1.0493386902876436;
// 6. diff slices_a slices_b: MAE/RMSE of B - A, scipy.stats.wilcoxon(eb - ea), ttest_rel(eb, ea),
//    share of examples where B is better, the ids of the 10 largest increases in |error|.
inline constexpr double maeDelta = 0.1411916468869998;
inline constexpr double rmseDelta = -0.043728825526711645;
inline constexpr double wilcoxonStatistic = 18856.0;
inline constexpr double wilcoxonP = 0.013392742543194048;
inline constexpr double tStatistic = 1.6144065260204559;
inline constexpr double tP = 0.1074940393045176;
inline constexpr double shareBBetter = 0.43333333333333335;
inline constexpr int topRegressionIds[] = {1153, 1213, 1140, 1218, 1257, 1114, 1163, 1045, 1108, 1233};
} // namespace ref
// END FROZEN REFERENCES

namespace {

using Result = runlens::test::CliResult;

Result run(const QStringList& args) {
    return runlens::test::runRunlens(args, 120000);
}

QJsonObject json(const Result& r) {
    return runlens::test::jsonOf(r);
}

QString data(const char* name) {
    return QStringLiteral(RUNLENS_TEST_DATA "/regression_slices/") + name;
}

bool near(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
}

double value(const QJsonObject& cell, const char* metric, const char* part = "value") {
    return cell[metric].toObject()[part].toDouble();
}

} // namespace

class TestCliRegressionSlices : public QObject {
    Q_OBJECT
  private slots:
    void slicesOfTwoRegressionLogsMatchPandas() {
        const auto r =
            run({"slices", data("slices_a.csv"), data("slices_b.csv"), "--by", "region", "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QCOMPARE(o["kind"].toString(), QString("regression_slices"));
        QVERIFY(o["identical_examples"].toBool());
        const auto slices = o["slices"].toArray();
        QCOMPARE(slices.size(), 3);
        const char* regions[] = {"north", "south", "west"};
        for (int s = 0; s < 3; ++s) {
            const auto slice = slices[s].toObject();
            QCOMPARE(slice["key"].toObject()["region"].toString(), QString(regions[s]));
            const auto a = slice["cohorts"].toObject()["slices_a"].toObject();
            const auto b = slice["cohorts"].toObject()["slices_b"].toObject();
            QCOMPARE(a["n"].toInt(), ref::regionNA[s]);
            QVERIFY(near(value(a, "mae"), ref::regionMaeA[s]));
            QVERIFY(near(value(a, "mse"), ref::regionMseA[s]));
            QVERIFY(near(value(a, "rmse"), ref::regionRmseA[s]));
            QVERIFY(near(value(a, "r2"), ref::regionR2A[s]));
            QVERIFY(near(value(a, "mean_error"), ref::regionBiasA[s]));
            QVERIFY(near(value(a, "median_ae"), ref::regionMedaeA[s]));
            QVERIFY(near(value(b, "mae"), ref::regionMaeB[s]));
            QVERIFY(near(value(b, "r2"), ref::regionR2B[s]));
            QVERIFY(near(value(b, "median_ae"), ref::regionMedaeB[s]));
            QVERIFY(value(a, "mae", "ci_low") <= value(a, "mae") &&
                    value(a, "mae") <= value(a, "mae", "ci_high"));
        }
        const auto overall = o["overall"].toObject();
        QVERIFY(near(value(overall["slices_a"].toObject(), "mae"), ref::overallMaeA));
        QVERIFY(near(value(overall["slices_b"].toObject(), "rmse"), ref::overallRmseB));
        // Same examples by id: MAE cannot reverse completely (B wins one slice of three); MSE reverses
        // partially.
        const auto simpson = o["simpson"].toObject();
        const auto mae = simpson["mae"].toObject();
        QCOMPARE(mae["reversal"].toString(), QString("impossible"));
        QVERIFY(near(mae["overall_delta"].toDouble(), ref::overallMaeB - ref::overallMaeA));
        QVERIFY(near(mae["slice_deltas"].toArray()[2].toDouble(), ref::regionMaeB[2] - ref::regionMaeA[2]));
        QCOMPARE(simpson["mse"].toObject()["reversal"].toString(), QString("partial"));
        QVERIFY(simpson["not_decomposable"].toString().contains("RMSE"));
        QCOMPARE(o["bootstrap"].toObject()["resamples"].toInt(), 500);
    }

    void simpsonCompleteReversalBetweenTwoMixes() {
        // Hand-worked in tests/analysis/test_regression_slices.cpp: A wins easy and hard, B wins overall.
        const auto r = run({"slices", data("simpson_a.csv"), data("simpson_b.csv"), "--by", "difficulty"});
        QCOMPARE(r.code, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.contains("Simpson (MAE): complete"), r.out.constData());
        QVERIFY(text.contains("Simpson (MSE): complete"));
        QVERIFY(text.contains("(overall)"));
        QVERIFY(text.contains("no Simpson verdict"));
        const auto o = json(
            run({"slices", data("simpson_a.csv"), data("simpson_b.csv"), "--by", "difficulty", "--json"}));
        const auto mae = o["simpson"].toObject()["mae"].toObject();
        QCOMPARE(mae["reversal"].toString(), QString("complete"));
        QVERIFY(near(mae["overall_delta"].toDouble(), 1.7 - 2.6));
        QVERIFY(near(mae["standardized"].toObject()["simpson_a"].toDouble(), 2.0));
        QVERIFY(mae["mix_explains"].toBool());
    }

    void findListsThePlantedSlice() {
        const auto r = run({"slices", data("planted.csv"), "--by", "color", "--find", "--json"});
        QCOMPARE(r.code, 0);
        const auto finder = json(r)["finder"].toObject()["planted"].toObject();
        QCOMPARE(finder["loss"].toString(), QString("absolute_error"));
        QJsonObject planted;
        for (const auto& s : finder["slices"].toArray()) {
            const auto key = s.toObject()["key"].toObject();
            if (key.size() == 2 && key["color"].toString() == "red" && key["shape"].toString() == "square")
                planted = s.toObject();
        }
        QCOMPARE(planted["n"].toInt(), 164);
        QVERIFY(planted["q"].toDouble() < 0.05);
        QVERIFY(planted["effect_size"].toDouble() > 1);
        const auto text = run({"slices", data("planted.csv"), "--by", "color", "--find"});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("highest absolute error"));
        QVERIFY(text.out.contains("color=red, shape=square"));
    }

    void diffOfTwoRegressionLogsMatchesScipy() {
        const auto r = run({"diff", data("slices_a.csv"), data("slices_b.csv"), "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QCOMPARE(o["kind"].toString(), QString("paired_regression"));
        QCOMPARE(o["n"].toInt(), 300);
        QCOMPARE(o["alignment"].toObject()["by"].toString(), QString("id"));
        QVERIFY(near(o["mae_delta"].toObject()["delta"].toDouble(), ref::maeDelta));
        QVERIFY(near(o["rmse_delta"].toObject()["delta"].toDouble(), ref::rmseDelta));
        const auto ci = o["mae_delta"].toObject();
        QVERIFY(ci["ci_low"].toDouble() <= ref::maeDelta && ref::maeDelta <= ci["ci_high"].toDouble());
        QVERIFY(near(o["wilcoxon"].toObject()["statistic"].toDouble(), ref::wilcoxonStatistic));
        QVERIFY(near(o["wilcoxon"].toObject()["p"].toDouble(), ref::wilcoxonP, 1e-6));
        QVERIFY(near(o["t_test"].toObject()["t"].toDouble(), ref::tStatistic, 1e-9));
        QVERIFY(near(o["t_test"].toObject()["p"].toDouble(), ref::tP, 1e-6));
        QVERIFY(near(o["share_b_better"].toDouble(), ref::shareBBetter));
        const auto regressions = o["largest_regressions"].toArray();
        QCOMPARE(regressions.size(), 10);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(regressions[i].toObject()["id"].toString(), QString::number(ref::topRegressionIds[i]));
        // The default output is diff's Markdown report.
        const auto md = run({"diff", data("slices_a.csv"), data("slices_b.csv")});
        QCOMPARE(md.code, 0);
        QVERIFY(md.out.startsWith("## Runlens diff: slices_a"));
        QVERIFY(md.out.contains("Largest regressions"));
        QVERIFY(md.out.contains("| id " + QByteArray::number(ref::topRegressionIds[0]) + " |"));
        QVERIFY(md.out.contains("Wilcoxon signed-rank"));
    }

    void mixedAndBadInputGiveOneLineErrors() {
        const QString classification =
            QStringLiteral(RUNLENS_TEST_DATA "/eval/breast_cancer_predictions.csv");
        for (const QStringList& args :
             {QStringList{"diff", data("slices_a.csv"), classification},
              QStringList{"slices", classification, data("slices_a.csv"), "--by", "region"},
              QStringList{"slices", data("slices_a.csv"), "--by", "colour"},
              QStringList{"slices", data("slices_a.csv"), "--by", "region", "--compare", "label"}}) {
            const auto r = run(args);
            QCOMPARE(r.code, 1);
            QCOMPARE(r.err.count('\n'), 1);
        }
        const auto mixed = run({"diff", data("slices_a.csv"), classification});
        QVERIFY2(mixed.err.contains("regression log") && mixed.err.contains("classification log"),
                 mixed.err.constData());
        // Options of the classification report are usage errors here (exit 2).
        QCOMPARE(run({"slices", data("slices_a.csv"), "--by", "region", "--metric", "auc"}).code, 2);
        QCOMPARE(run({"slices", classification, "--by", "radius_bucket", "--find"}).code, 2);
    }

    void helpDocumentsTheRegressionFields() {
        const auto slices = run({"slices", "--help"});
        QVERIFY(slices.out.contains("regression_slices"));
        QVERIFY(slices.out.contains("--find"));
        const auto diff = run({"diff", "--help"});
        QVERIFY(diff.out.contains("paired_regression"));
    }
};

QTEST_GUILESS_MAIN(TestCliRegressionSlices)
#include "test_cli_regression_slices.moc"
