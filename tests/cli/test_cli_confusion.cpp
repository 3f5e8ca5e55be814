// End-to-end tests of `runlens confusion` on the iris (multiclass) and breast-cancer (binary) logs against
// scikit-learn, the examples of a cell, and the chart.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

// BEGIN FROZEN REFERENCES (written by tests/tools/gen_cli_confusion_refs.py; do not edit)
namespace ref {
// iris: argmax predictions of the three prob_ columns.
inline constexpr int irisConfusion[] = {25, 0, 0, 0, 16, 9, 0, 5, 20};
inline constexpr double irisConfusionTrue[] = {1.0, 0.0, 0.0, 0.0, 0.64, 0.36, 0.0, 0.2, 0.8};
inline constexpr double irisConfusionPred[] = {
    1.0, 0.0, 0.0, 0.0, 0.7619047619047619, 0.3103448275862069, 0.0, 0.23809523809523808, 0.6896551724137931};
inline constexpr double irisPrecision[] = {1.0, 0.7619047619047619, 0.6896551724137931};
inline constexpr double irisRecall[] = {1.0, 0.64, 0.8};
inline constexpr double irisF1[] = {1.0, 0.6956521739130435, 0.7407407407407408};
inline constexpr int irisSupport[] = {25, 25, 25};
inline constexpr double irisMacro[] = {0.8171866447728516, 0.8133333333333335, 0.8121309715512615};
inline constexpr double irisWeighted[] = {0.8171866447728516, 0.8133333333333334, 0.8121309715512613};
inline constexpr double irisAccuracy = 0.8133333333333334;
inline constexpr double irisBalanced = 0.8133333333333335;
inline constexpr double irisKappa = 0.72;
inline constexpr double irisKappaQuadratic = 0.8653846153846154;
inline constexpr double irisTop2 = 0.9866666666666667;
inline constexpr double irisMacroAuc = 0.9221333333333334;
inline constexpr double irisWeightedAuc = 0.9221333333333332;
inline constexpr double irisClassAuc[] = {1.0, 0.8884, 0.878};
inline constexpr int irisCellVersicolorVirginica[] = {7, 23, 28, 38, 39, 57, 59, 67, 73};
// breast cancer: binary, id, label, score, radius_bucket, mean_texture; predicted class = score >= 0.5.
inline constexpr int bcConfusion[] = {100, 6, 7, 172};
inline constexpr double bcKappa = 0.9025538518187317;
inline constexpr double bcBalanced = 0.9521450405818488;
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
    return QStringLiteral(RUNLENS_TEST_DATA "/eval/") + name;
}

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol;
}

// The k x k matrix of a JSON array of rows, flattened row by row.
std::vector<double> flat(const QJsonValue& matrix) {
    std::vector<double> out;
    for (const auto& row : matrix.toArray())
        for (const auto& v : row.toArray())
            out.push_back(v.toDouble());
    return out;
}

} // namespace

class TestCliConfusion : public QObject {
    Q_OBJECT
  private slots:
    void multiclassReportMatchesScikitLearn() {
        const auto r = run({"confusion", data("iris_predictions.csv"), "--json"});
        QCOMPARE(r.code, 0);
        const auto o = json(r);
        QCOMPARE(o["n"].toInt(), 75);
        QCOMPARE(o["classes"].toArray().size(), 3);
        const auto counts = flat(o["confusion"]);
        const auto rowShares = flat(o["confusion_true"]);
        const auto colShares = flat(o["confusion_pred"]);
        QCOMPARE(counts.size(), std::size_t(9));
        for (std::size_t i = 0; i < 9; ++i) {
            QCOMPARE(counts[i], double(ref::irisConfusion[i]));
            QVERIFY(near(rowShares[i], ref::irisConfusionTrue[i]));
            QVERIFY(near(colShares[i], ref::irisConfusionPred[i]));
        }
        const auto perClass = o["per_class"].toArray();
        for (int c = 0; c < 3; ++c) {
            const auto row = perClass[c].toObject();
            QVERIFY(near(row["precision"].toDouble(), ref::irisPrecision[c]));
            QVERIFY(near(row["recall"].toDouble(), ref::irisRecall[c]));
            QVERIFY(near(row["f1"].toDouble(), ref::irisF1[c]));
            QCOMPARE(row["support"].toInt(), ref::irisSupport[c]);
            QVERIFY(near(row["roc_auc"].toDouble(), ref::irisClassAuc[c]));
        }
        const auto macro = o["macro"].toObject();
        const auto weighted = o["weighted"].toObject();
        QVERIFY(near(macro["precision"].toDouble(), ref::irisMacro[0]));
        QVERIFY(near(macro["recall"].toDouble(), ref::irisMacro[1]));
        QVERIFY(near(macro["f1"].toDouble(), ref::irisMacro[2]));
        QVERIFY(near(weighted["f1"].toDouble(), ref::irisWeighted[2]));
        QVERIFY(near(o["micro"].toObject()["f1"].toDouble(), ref::irisAccuracy)); // micro F1 = accuracy
        QVERIFY(near(o["accuracy"].toDouble(), ref::irisAccuracy));
        QVERIFY(near(o["balanced_accuracy"].toDouble(), ref::irisBalanced));
        QVERIFY(near(o["kappa"].toDouble(), ref::irisKappa));
        QVERIFY(near(o["kappa_quadratic"].toDouble(), ref::irisKappaQuadratic));
        QVERIFY(near(o["top_k"].toArray()[1].toDouble(), ref::irisTop2));
        QVERIFY(near(o["roc_auc_ovr_macro"].toDouble(), ref::irisMacroAuc));
        QVERIFY(near(o["roc_auc_ovr_weighted"].toDouble(), ref::irisWeightedAuc));
    }

    void cellListsItsExamples() {
        const auto o = json(
            run({"confusion", data("iris_predictions.csv"), "--json", "--cell", "versicolor:virginica"}));
        const auto examples = o["cell_examples"].toArray();
        QCOMPARE(examples.size(), int(std::size(ref::irisCellVersicolorVirginica)));
        for (int i = 0; i < examples.size(); ++i)
            QCOMPARE(examples[i].toObject()["id"].toString(),
                     QString::number(ref::irisCellVersicolorVirginica[i]));
        const auto text = run({"confusion", data("iris_predictions.csv"), "--cell", "versicolor:virginica"});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("examples in cell versicolor:virginica"));
        const auto unknown = run({"confusion", data("iris_predictions.csv"), "--cell", "rose:virginica"});
        QCOMPARE(unknown.code, 1);
        QVERIFY(unknown.err.contains("no class named 'rose'"));
    }

    void binaryLogThresholdsItsScores() {
        const auto o = json(run({"confusion", data("breast_cancer_predictions.csv"), "--json"}));
        const auto counts = flat(o["confusion"]);
        QCOMPARE(counts.size(), std::size_t(4));
        for (std::size_t i = 0; i < 4; ++i)
            QCOMPARE(counts[i], double(ref::bcConfusion[i]));
        QVERIFY(near(o["kappa"].toDouble(), ref::bcKappa));
        QVERIFY(near(o["balanced_accuracy"].toDouble(), ref::bcBalanced));
    }

    // Two multiclass models on six examples (the predicted class scores 0.8, the others 0.1):
    //   id label  A  B
    //    1   a    a  a   both right
    //    2   a    b  a   fixed by B
    //    3   b    b  c   broken by B
    //    4   b    b  b   both right
    //    5   c    a  b   both wrong, differently
    //    6   c    c  c   both right
    // Per true class: a 1 both right + 1 fixed; b 1 both right + 1 broken; c 1 both right + 1 both wrong
    // (changed). McNemar's exact test on one discordant pair: scipy.stats.binomtest(0, 1).pvalue = 1.
    void diffListsPerClassFlips() {
        QTemporaryDir dir;
        auto log = [&](const QString& name, const QString& predicted) {
            QString csv = "id,label,prob_a,prob_b,prob_c\n";
            const QString labels = "aabbcc";
            for (int i = 0; i < 6; ++i) {
                csv += QString("%1,%2").arg(i + 1).arg(labels[i]);
                for (QChar c : {QChar('a'), QChar('b'), QChar('c')})
                    csv += predicted[i] == c ? ",0.8" : ",0.1";
                csv += '\n';
            }
            const QString path = dir.filePath(name);
            QFile f(path);
            if (f.open(QIODevice::WriteOnly)) f.write(csv.toUtf8());
            return path;
        };
        const QString a = log("a.csv", "abbbac"), b = log("b.csv", "aacbbc");
        const auto r = run({"diff", a, b, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto flips = json(r)["paired"].toObject()["per_class_flips"].toArray();
        QCOMPARE(flips.size(), 3);
        const auto fa = flips[0].toObject(), fb = flips[1].toObject(), fc = flips[2].toObject();
        QCOMPARE(fa["class"].toString(), QString("a"));
        QCOMPARE(fa["n"].toInt(), 2);
        QCOMPARE(fa["both_correct"].toInt(), 1);
        QCOMPARE(fa["fixed"].toInt(), 1);
        QCOMPARE(fa["broken"].toInt(), 0);
        QCOMPARE(fb["broken"].toInt(), 1);
        QCOMPARE(fb["fixed"].toInt(), 0);
        QCOMPARE(fc["both_wrong"].toInt(), 1);
        QCOMPARE(fc["wrong_changed"].toInt(), 1);
        QVERIFY(near(fa["mcnemar_p"].toDouble(), 1.0));
        const auto markdown = run({"diff", a, b});
        QCOMPARE(markdown.code, 0);
        QVERIFY(markdown.out.contains("| a | 2 | 1 | 0 | 0 |"));
        QVERIFY(markdown.out.contains("| b | 2 | 0 | 1 | 0 |"));
    }

    void chartAndRefusals() {
        QTemporaryDir dir;
        const QString png = dir.filePath("iris.png");
        const auto r = run({"confusion", data("iris_predictions.csv"), "-o", png, "--normalize", "true"});
        QCOMPARE(r.code, 0);
        QVERIFY(!QImage(png).isNull());
        QCOMPARE(run({"confusion", data("iris_predictions.csv"), "--normalize", "rows"}).code, 2);
        const auto regression =
            run({"confusion", QStringLiteral(RUNLENS_TEST_DATA "/regression/regression_a.csv")});
        QCOMPARE(regression.code, 1);
        QVERIFY(regression.err.contains("this is a regression log"));
    }
};

QTEST_GUILESS_MAIN(TestCliConfusion)
#include "test_cli_confusion.moc"
