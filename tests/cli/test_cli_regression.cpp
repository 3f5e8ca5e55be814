// End-to-end tests of `runlens regression` (one log, two paired logs, charts) and of the refusal of
// regression logs by the classification commands; numbers against scikit-learn / scipy / statsmodels.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

// BEGIN FROZEN REFERENCES (written by tests/tools/gen_cli_regression_refs.py; do not edit)
namespace ref {
// 1. regression_a.csv: metrics (scikit-learn), sMAPE and bias (numpy), baselines, coverage.
inline constexpr double mae = 0.938807970848705;
inline constexpr double mse = 1.434245478455203;
inline constexpr double rmse = 1.1975998824545713;
inline constexpr double r2 = 0.8603233112963675;
inline constexpr double medianAe = 0.7971425660835072;
inline constexpr double mape = 0.14337913097300808;
inline constexpr double maxError = 3.9065986027692023;
inline constexpr double smape = 0.1333270445720708;
inline constexpr double meanError = 0.19674370914008604;
inline constexpr double trainMeanMae = 2.83380996261896;
inline constexpr double trainMeanR2 = -5.215509842892985e-05;
inline constexpr double medianBaselineMae = 2.823514897096457;
inline constexpr double maeBootLow = 0.8394004742413511;
inline constexpr double maeBootHigh = 1.0340173774074588;
inline constexpr long long coverageInside = 163;
inline constexpr long long coverageBelow = 22;
inline constexpr double coverageCiLow = 0.7554293723884824;
inline constexpr double coverageCiHigh = 0.8626980719938395;
inline constexpr double meanWidth = 2.961;
inline constexpr double residualMean = -0.19674370914008604;
inline constexpr double residualSd = 1.1842930980460036;
// 2. regression_weighted.jsonl: weighted metrics.
inline constexpr double wMae = 0.952922193287532;
inline constexpr double wRmse = 1.2205440876309077;
inline constexpr double wR2 = 0.8544201814589238;
// 3. A against B on the 199 shared ids: per-example absolute errors, scipy's tests.
inline constexpr long long pairedN = 199;
inline constexpr double maeA = 0.9409516458479071;
inline constexpr double maeB = 0.5022085851081114;
inline constexpr double maeDelta = -0.43874306073979574;
inline constexpr double rmseDelta = -0.586013605925165;
inline constexpr double wilcoxonStatistic = 3772.0;
inline constexpr double wilcoxonP = 3.078854467265662e-14;
inline constexpr double tStatistic = -9.019546025928094;
inline constexpr double tP = 1.646684547252526e-16;
inline constexpr long long bBetter = 141;
inline constexpr long long largestRegressionId = 142;
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
    return QStringLiteral(RUNLENS_TEST_DATA "/regression/") + name;
}

bool near(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
}

// p-values far below 1: relative agreement.
bool relativelyNear(double a, double b, double tol) {
    return std::abs(a - b) <= tol * std::abs(b);
}

double metric(const QJsonObject& o, const char* name, const char* part = "value") {
    return o["metrics"].toObject()[name].toObject()[part].toDouble();
}

QJsonObject baseline(const QJsonObject& o, const QString& name) {
    for (const auto& b : o["baselines"].toArray())
        if (b.toObject()["name"].toString() == name) return b.toObject();
    return {};
}

} // namespace

class TestCliRegression : public QObject {
    Q_OBJECT
  private slots:
    void metricsMatchScikitLearn() {
        const auto r = run({"regression", data("regression_a.csv"), "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QCOMPARE(o["kind"].toString(), QString("regression"));
        QCOMPARE(o["n"].toInt(), 200);
        QCOMPARE(o["prediction"].toString(), QString("y_pred"));
        QVERIFY(near(metric(o, "mae"), ref::mae));
        QVERIFY(near(metric(o, "mse"), ref::mse));
        QVERIFY(near(metric(o, "rmse"), ref::rmse));
        QVERIFY(near(metric(o, "r2"), ref::r2));
        QVERIFY(near(metric(o, "median_ae"), ref::medianAe));
        QVERIFY(near(metric(o, "mape"), ref::mape));
        QVERIFY(near(metric(o, "smape"), ref::smape));
        QVERIFY(near(metric(o, "max_error"), ref::maxError));
        QVERIFY(near(metric(o, "mean_error"), ref::meanError));
        QVERIFY(near(o["residuals"].toObject()["mean"].toDouble(), ref::residualMean));
        QVERIFY(near(o["residuals"].toObject()["sd"].toDouble(), ref::residualSd));
    }

    void bootstrapIntervalsAreSeededAndAgreeWithNumpy() {
        const auto a = json(run({"regression", data("regression_a.csv"), "--json"}));
        const auto again = json(run({"regression", data("regression_a.csv"), "--json"}));
        const auto other = json(run({"regression", data("regression_a.csv"), "--json", "--seed", "7"}));
        QCOMPARE(a["bootstrap"].toObject()["resamples"].toInt(), 1000);
        QCOMPARE(a["bootstrap"].toObject()["seed"].toInteger(), 20261126);
        QCOMPARE(metric(a, "mae", "ci_low"), metric(again, "mae", "ci_low"));
        QVERIFY(metric(a, "mae", "ci_low") != metric(other, "mae", "ci_low"));
        // numpy's bootstrap uses other draws: the ends agree within Monte Carlo error (a quarter of the
        // width).
        const double width = ref::maeBootHigh - ref::maeBootLow;
        QVERIFY(std::abs(metric(a, "mae", "ci_low") - ref::maeBootLow) < 0.25 * width);
        QVERIFY(std::abs(metric(a, "mae", "ci_high") - ref::maeBootHigh) < 0.25 * width);
        for (const char* name : {"mae", "rmse", "r2", "median_ae", "mean_error"}) {
            QVERIFY(metric(a, name, "ci_low") <= metric(a, name));
            QVERIFY(metric(a, name, "ci_high") >= metric(a, name));
        }
    }

    void baselinesUseTheLoggedTrainingMean() {
        const auto o = json(run({"regression", data("regression_a.csv"), "--json"}));
        const auto mean = baseline(o, "training_mean");
        QCOMPARE(mean["constant"].toDouble(), 8.25);
        QVERIFY(near(mean["mae"].toDouble(), ref::trainMeanMae));
        QVERIFY(near(mean["r2"].toDouble(), ref::trainMeanR2));
        QVERIFY(near(mean["mae_skill"].toDouble(), 1 - ref::mae / ref::trainMeanMae));
        QVERIFY(near(baseline(o, "median")["mae"].toDouble(), ref::medianBaselineMae));
        // Without a train_mean column the evaluation mean is used, and the note says it is optimistic.
        const auto w = json(run({"regression", data("regression_weighted.jsonl"), "--json"}));
        QVERIFY(baseline(w, "evaluation_mean")["note"].toString().contains("optimistic"));
    }

    void pinnedBaselineIsScoredOnTheSameExamples() {
        // regression_b.csv lacks id 7: a pinned run must cover every example.
        const auto refused =
            run({"regression", data("regression_a.csv"), "--baseline", data("regression_b.csv")});
        QCOMPARE(refused.code, 1);
        QVERIFY(refused.err.contains("199 of 200"));
        const auto self = json(
            run({"regression", data("regression_a.csv"), "--json", "--baseline", data("regression_a.csv")}));
        QVERIFY(near(baseline(self, "regression_a")["mae"].toDouble(), ref::mae));
    }

    void intervalCoverageMatchesStatsmodelsWilson() {
        const auto o = json(run({"regression", data("regression_a.csv"), "--json"}));
        const auto intervals = o["intervals"].toArray();
        QCOMPARE(intervals.size(), 1);
        const auto c = intervals[0].toObject();
        QCOMPARE(c["name"].toString(), QString("q05-q95"));
        QVERIFY(near(c["nominal"].toDouble(), 0.9));
        QCOMPARE(c["inside"].toInt(), int(ref::coverageInside));
        QCOMPARE(c["below"].toInt(), int(ref::coverageBelow));
        QVERIFY(near(c["coverage"].toDouble(), double(ref::coverageInside) / 200));
        QVERIFY(near(c["ci_low"].toDouble(), ref::coverageCiLow, 1e-7));
        QVERIFY(near(c["ci_high"].toDouble(), ref::coverageCiHigh, 1e-7));
        QVERIFY(near(c["mean_width"].toDouble(), ref::meanWidth));
        QVERIFY(!c["sentence"].toString().isEmpty());
    }

    void weightedJsonlLogMatchesScikitLearn() {
        const auto o = json(run({"regression", data("regression_weighted.jsonl"), "--json"}));
        QVERIFY(o["weighted"].toBool());
        QCOMPARE(o["weight"].toString(), QString("sample_weight"));
        QVERIFY(near(metric(o, "mae"), ref::wMae));
        QVERIFY(near(metric(o, "rmse"), ref::wRmse));
        QVERIFY(near(metric(o, "r2"), ref::wR2));
    }

    void pairedRegressorsMatchScipy() {
        const auto r = run({"regression", data("regression_a.csv"), data("regression_b.csv"), "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QCOMPARE(o["kind"].toString(), QString("paired_regression"));
        const auto alignment = o["alignment"].toObject();
        QCOMPARE(alignment["by"].toString(), QString("id"));
        QCOMPARE(alignment["matched"].toInt(), int(ref::pairedN));
        QCOMPARE(alignment["only_a"].toInt(), 1); // id 7
        QCOMPARE(alignment["only_b"].toInt(), 1); // id 999
        QVERIFY(near(o["metrics_a"].toObject()["mae"].toDouble(), ref::maeA));
        QVERIFY(near(o["metrics_b"].toObject()["mae"].toDouble(), ref::maeB));
        QVERIFY(near(o["mae_delta"].toObject()["delta"].toDouble(), ref::maeDelta));
        QVERIFY(near(o["rmse_delta"].toObject()["delta"].toDouble(), ref::rmseDelta));
        QVERIFY(o["mae_delta"].toObject()["ci_high"].toDouble() < 0); // B is clearly better
        QVERIFY(near(o["wilcoxon"].toObject()["statistic"].toDouble(), ref::wilcoxonStatistic));
        QVERIFY(relativelyNear(o["wilcoxon"].toObject()["p"].toDouble(), ref::wilcoxonP, 1e-6));
        QVERIFY(near(o["t_test"].toObject()["t"].toDouble(), ref::tStatistic, 1e-9));
        QVERIFY(relativelyNear(o["t_test"].toObject()["p"].toDouble(), ref::tP, 1e-5));
        QCOMPARE(o["b_better"].toInt(), int(ref::bBetter));
        const auto worst = o["largest_regressions"].toArray();
        QVERIFY(!worst.isEmpty());
        QCOMPARE(worst[0].toObject()["id"].toString(), QString::number(ref::largestRegressionId));
    }

    void textOutputAndCharts() {
        QTemporaryDir dir;
        const auto text = run({"regression", data("regression_a.csv")});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("training_mean"));
        QVERIFY(text.out.contains("q05-q95"));
        for (const char* plot : {"actual", "residuals", "histogram"}) {
            const QString png = dir.filePath(QString(plot) + ".png");
            const auto r = run({"regression", data("regression_a.csv"), "--plot", plot, "-o", png});
            QCOMPARE(r.code, 0);
            QImage image(png);
            QVERIFY2(!image.isNull(), plot);
            QVERIFY(image.width() >= 900);
        }
        const QString svg = dir.filePath("a.svg");
        QCOMPARE(run({"regression", data("regression_a.csv"), "-o", svg}).code, 0);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("<svg"));
    }

    void badInputGetsOneLine() {
        QTemporaryDir dir;
        const QString path = dir.filePath("text.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("label,prediction\n1.5,cat\n2.5,dog\n");
        f.close();
        const auto r = run({"regression", path});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(r.err.contains("holds text"));
        QCOMPARE(run({"regression"}).code, 2);
        QCOMPARE(run({"regression", data("regression_a.csv"), "--plot", "pie"}).code, 2);
    }

    void classificationCommandsRefuseARegressionLog() {
        // Issue 14 item 5: never read as a many-class classification. slices and diff take regression logs
        // since issue 18 (tests/cli/test_cli_regression_slices.cpp); these commands still refuse them.
        for (const QStringList& args : {QStringList{"calibration", data("regression_a.csv")},
                                        QStringList{"confusion", data("regression_a.csv")},
                                        QStringList{"behaviour", data("regression_a.csv")}}) {
            const auto r = run(args);
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains("this is a regression log"), r.err.constData());
            QVERIFY(r.err.contains("runlens regression"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliRegression)
#include "test_cli_regression.moc"
