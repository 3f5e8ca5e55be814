// Tests the Compare tab offscreen: run diff and warnings, curve difference, paired tests, ensemble, export.
#include "core/analysis/ensemble.h"
#include "tests/common/view_test_support.h"
#include "ui/compare/compare_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"

#include <cmath>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

namespace {

constexpr int kRows = 60;

double unit(int k) {
    return ((k % kRows) + kRows) % kRows / double(kRows) + 0.5 / kRows;
}
double baseScore(int i) {
    return unit(i * 37);
}
int labelOf(int i) {
    return unit(i * 13 + 5) < baseScore(i) ? 1 : 0;
}
// Three models of one task: alpha is the base score, beta and gamma mix in different noise.
double scoreOf(int model, int i) {
    if (model == 0) return baseScore(i);
    if (model == 1) return 0.5 * baseScore(i) + 0.5 * unit(i * 17);
    return 0.7 * baseScore(i) + 0.3 * unit(i * 29 + 7);
}
const char* groupOf(int i) {
    static const char* groups[] = {"a", "b", "c"};
    return groups[i % 3];
}
bool correct(int model, int i) {
    return (scoreOf(model, i) >= 0.5 ? 1 : 0) == labelOf(i);
}

using runlens::test::writeTestFile;

QByteArray predictions(int model, bool reversedWithExtra) {
    QByteArray text = "id,label,score,group\n";
    auto row = [&](int i) {
        text += QByteArray::number(i) + "," + QByteArray::number(labelOf(i)) + "," +
                QByteArray::number(scoreOf(model, i), 'g', 17) + "," + groupOf(i) + "\n";
    };
    if (reversedWithExtra) {
        // Another row order and one id A does not have: alignment must go by id.
        text += "999,1,0.9,a\n";
        for (int i = kRows - 1; i >= 0; --i)
            row(i);
    } else {
        for (int i = 0; i < kRows; ++i)
            row(i);
    }
    return text;
}

// alpha and beta differ only by seed (beta logs at other steps); gamma has another lr, batch and budget.
void writeLogs(const QString& root) {
    writeTestFile(root + "/alpha/metrics.csv", "step,loss,acc\n0,1.0,0.5\n10,0.5,0.7\n20,0.3,0.8\n");
    writeTestFile(root + "/alpha/hparams.yaml", "lr: 0.1\nbatch: 32\nseed: 1\n");
    writeTestFile(root + "/alpha/predictions_val.csv", predictions(0, false));
    writeTestFile(root + "/beta/metrics.csv", "step,loss,acc\n0,1.1,0.4\n15,0.5,0.75\n20,0.35,0.78\n");
    writeTestFile(root + "/beta/hparams.yaml", "lr: 0.1\nbatch: 32\nseed: 2\n");
    writeTestFile(root + "/beta/predictions_val.csv", predictions(1, true));
    writeTestFile(root + "/gamma/metrics.csv", "step,loss,acc\n0,1.0,0.5\n10,0.6,0.6\n30,0.4,0.7\n");
    writeTestFile(root + "/gamma/hparams.yaml", "lr: 0.01\nbatch: 64\nseed: 1\nmax_steps: 30\n");
    writeTestFile(root + "/gamma/predictions_val.csv", predictions(2, false));
}

// Two-sided exact binomial test of the discordant counts, worked directly: 2 * P(X <= min(b, c)), X ~
// Bin(b+c, 1/2).
double exactMcNemar(int b, int c) {
    const int n = b + c;
    if (n == 0) return 1.0;
    double tail = 0, term = std::pow(0.5, n); // C(n, 0) / 2^n
    for (int k = 0; k <= std::min(b, c); ++k) {
        tail += term;
        term = term * (n - k) / (k + 1);
    }
    return std::min(1.0, 2.0 * tail);
}

int lines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    return f.readAll().count('\n');
}

} // namespace

class TestCompareView : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void oneRunShowsHint();
    void diffOfSeedTwins();
    void budgetWarningAndSwap();
    void curvesAndDifference();
    void pairedAnalysisMatchesHandCounts();
    void flipsFilterAndExport();
    void cliComputesTheSameNumbers();
    void ensembleOfThree();
    void exportsAndScreenshot();
    void largeDiffRenders();
    void warningsGroupRunsByValue();
    void multiclassEnsembleAndPairedTests();
    void pickersChooseAAndB();

  private:
    void open(MainWindow& window, CompareView*& view, const QStringList& visible);
    QTemporaryDir m_dir;
    QString m_workspace;
};

void TestCompareView::initTestCase() {
    runlens::test::beginViewTest("runlens-test-compare-view");
    QVERIFY(m_dir.isValid());
    writeLogs(m_dir.filePath("logs"));
    m_workspace = m_dir.filePath("cmp.runlens");
    runlens::test::importIntoNewWorkspace(m_workspace, m_dir.filePath("logs"), 3);
}

void TestCompareView::cleanupTestCase() {
    runlens::test::resetAppState();
}

void TestCompareView::open(MainWindow& window, CompareView*& view, const QStringList& visible) {
    QVERIFY(window.openWorkspace(m_workspace));
    view = new CompareView(window.viewContext());
    window.tabs()->setCurrentIndex(window.addViewTab(view, "Compare"));
    window.resize(1400, 900);
    window.show();
    RunTableModel* model = window.runModel();
    for (const RunInfo& run : model->runs())
        model->setRunVisible(run.id, visible.contains(QString::fromStdString(run.name)));
    window.runTable()->clearSelection();
    view->refreshNow();
    QTRY_VERIFY_WITH_TIMEOUT(!view->isAnalysing(), 30000);
}

void TestCompareView::oneRunShowsHint() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha"});
    QVERIFY(view->showsEmptyState());
    QVERIFY(view->comparedRuns().empty());
}

void TestCompareView::diffOfSeedTwins() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta"});
    QVERIFY(!view->showsEmptyState());
    QCOMPARE(view->comparedRuns().size(), std::size_t(2));
    QCOMPARE(view->comparedRuns()[0].name, std::string("alpha"));
    RunDiffModel* diff = view->diffModel();
    QVERIFY(view->onlyDifferencesBox()->isChecked());
    QVERIFY(diff->hasDeltaColumns());
    // lr and batch are equal: hidden while "only differences" is on; the seed differs.
    QCOMPARE(diff->rowOf("Param", "lr"), -1);
    const int seed = diff->rowOf("Param", "seed");
    QVERIFY(seed >= 0);
    QCOMPARE(diff->index(seed, RunDiffModel::kFirstRunColumn).data().toString(), QString("1"));
    QCOMPARE(diff->index(seed, RunDiffModel::kFirstRunColumn + 1).data().toString(), QString("2"));
    QVERIFY(diff->index(seed, RunDiffModel::kFirstRunColumn + 1)
                .data(Qt::BackgroundRole)
                .value<QColor>()
                .isValid());
    // Last loss 0.3 -> 0.35: delta 0.05, relative change 0.05 / 0.3 = 16.67%.
    const int loss = diff->rowOf("Metric", "loss (last)");
    QVERIFY(loss >= 0);
    QCOMPARE(diff->index(loss, RunDiffModel::kFirstRunColumn + 2).data().toString(), QString("0.05"));
    QCOMPARE(diff->index(loss, RunDiffModel::kFirstRunColumn + 3).data().toString(), QString("16.67%"));
    view->onlyDifferencesBox()->setChecked(false);
    const int lr = diff->rowOf("Param", "lr");
    QVERIFY(lr >= 0);
    QVERIFY(!diff->index(lr, RunDiffModel::kFirstRunColumn + 1)
                 .data(Qt::BackgroundRole)
                 .value<QColor>()
                 .isValid());
    // Same budget, only the seed differs: the seed banner with the spread of the last loss. beta's evaluation
    // set holds one extra example, which the banner also reports.
    const QString banner = view->bannerText();
    QVERIFY2(banner.contains("differ only by seed"), qPrintable(banner));
    QVERIFY2(banner.contains("loss last 0.3 to 0.35 (spread 0.05)"), qPrintable(banner));
    QVERIFY2(!banner.contains("budget"), qPrintable(banner));
    QVERIFY2(banner.contains("Different evaluation sets"), qPrintable(banner));
}

void TestCompareView::budgetWarningAndSwap() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "gamma"});
    const QString banner = view->bannerText();
    QVERIFY2(banner.contains("Different training budgets: last step of 'loss'"), qPrintable(banner));
    QVERIFY2(banner.contains("max_steps"), qPrintable(banner));
    QVERIFY2(!banner.contains("only by seed"), qPrintable(banner));
    QVERIFY2(!banner.contains("evaluation sets"), qPrintable(banner));
    RunDiffModel* diff = view->diffModel();
    int lr = diff->rowOf("Param", "lr");
    QCOMPARE(diff->index(lr, RunDiffModel::kFirstRunColumn + 2).data().toString(), QString("-0.09"));
    view->swapAB();
    QCOMPARE(view->comparedRuns()[0].name, std::string("gamma"));
    lr = diff->rowOf("Param", "lr");
    QCOMPARE(diff->index(lr, RunDiffModel::kFirstRunColumn + 2).data().toString(), QString("0.09"));
    QCOMPARE(diff->index(lr, RunDiffModel::kFirstRunColumn + 3).data().toString(), QString("900%"));
}

void TestCompareView::curvesAndDifference() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta"});
    view->curveTagBox()->setCurrentText("loss");
    QCOMPARE(view->curveLines().size(), std::size_t(2));
    QVERIFY(view->curveChart() && view->curveChart()->series().size() >= 2);
    view->differenceBox()->setChecked(true);
    QCOMPARE(view->curveLines().size(), std::size_t(1));
    // Worked by hand on the union grid {0, 10, 15, 20}: alpha (0,1)(10,.5)(20,.3), beta
    // (0,1.1)(15,.5)(20,.35). beta(10) = 1.1 - 0.6 * 10/15 = 0.7; alpha(15) = 0.4. B - A = 0.1, 0.2, 0.1,
    // 0.05.
    const XYPoints& d = view->curveLines().front().second;
    QCOMPARE(d.x, std::vector<double>({0, 10, 15, 20}));
    const double expected[] = {0.1, 0.2, 0.1, 0.05};
    for (int i = 0; i < 4; ++i)
        QVERIFY(std::abs(d.y[i] - expected[i]) < 1e-12);
    // Another metric as x: alpha's loss against its acc, paired by step.
    view->differenceBox()->setChecked(false);
    view->curveXBox()->setCurrentIndex(view->curveXBox()->findData("acc"));
    QCOMPARE(view->curveLines().front().second.x, std::vector<double>({0.5, 0.7, 0.8}));
    QCOMPARE(view->curveLines().front().second.y, std::vector<double>({1.0, 0.5, 0.3}));
}

void TestCompareView::pairedAnalysisMatchesHandCounts() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta"});
    QCOMPARE(view->evalSetBox()->count(), 1);
    auto p = view->pairedAnalysis();
    QVERIFY(p);
    QVERIFY2(p->error.isEmpty(), qPrintable(p->error));
    int both = 0, aOnly = 0, bOnly = 0, none = 0;
    for (int i = 0; i < kRows; ++i) {
        const bool a = correct(0, i), b = correct(1, i);
        both += a && b;
        aOnly += a && !b;
        bOnly += !a && b;
        none += !a && !b;
    }
    QVERIFY(aOnly + bOnly > 0);
    QCOMPARE(p->paired.mcnemar.n, std::int64_t(kRows));
    QVERIFY(p->paired.alignment.pairs.byId);
    QCOMPARE(p->paired.alignment.pairs.unmatchedB, std::int64_t(1));
    QCOMPARE(p->paired.mcnemar.bothCorrect, std::int64_t(both));
    QCOMPARE(p->paired.mcnemar.aOnlyCorrect, std::int64_t(aOnly));
    QCOMPARE(p->paired.mcnemar.bOnlyCorrect, std::int64_t(bOnly));
    QCOMPARE(p->paired.mcnemar.bothWrong, std::int64_t(none));
    QVERIFY(std::abs(p->paired.mcnemar.exactP - exactMcNemar(aOnly, bOnly)) < 1e-12);
    QCOMPARE(p->paired.flips.size(), std::size_t(aOnly + bOnly));
    QVERIFY(std::abs(p->paired.bootstrap.delta - double(bOnly - aOnly) / kRows) < 1e-12);
    QVERIFY(p->paired.bootstrap.ciLow <= p->paired.bootstrap.delta &&
            p->paired.bootstrap.delta <= p->paired.bootstrap.ciHigh);
    QVERIFY(p->paired.delong.has_value());
    QVERIFY(p->calibrationA && p->calibrationB);
    QCOMPARE(p->calibrationA->n, std::int64_t(kRows));
    const QString summary = view->pairedSummaryText();
    QVERIFY2(summary.contains("1000 resamples, seed 20261126"), qPrintable(summary));
    QVERIFY2(summary.contains("unmatched: 0 in A, 1 in B"), qPrintable(summary));
    QVERIFY(view->calibrationChart() && view->calibrationChart()->series().size() >= 2);
    // The seed control reruns the bootstrap with that seed.
    view->seedBox()->setValue(7);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isAnalysing() && view->pairedAnalysis()->paired.bootstrap.seed == 7,
                             30000);
    QVERIFY(view->pairedSummaryText().contains("seed 7)"));
}

void TestCompareView::flipsFilterAndExport() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta"});
    int flips = 0, flipsInA = 0;
    for (int i = 0; i < kRows; ++i) {
        if (correct(0, i) == correct(1, i)) continue;
        ++flips;
        flipsInA += std::string(groupOf(i)) == "a";
    }
    QSortFilterProxyModel* proxy = view->flipsProxy();
    QCOMPARE(proxy->rowCount(), flips);
    QCOMPARE(proxy->columnCount(), 5); // id, label, A, B, group
    QCOMPARE(proxy->headerData(4, Qt::Horizontal).toString(), QString("group"));
    view->flipsFilter()->setText("^a$");
    QCOMPARE(proxy->rowCount(), flipsInA);
    for (int r = 0; r < proxy->rowCount(); ++r)
        QCOMPARE(proxy->index(r, 4).data().toString(), QString("a"));
    const QString csv = m_dir.filePath("flips.csv");
    QString error;
    QVERIFY2(view->exportFlipsCsv(csv, &error), qPrintable(error));
    QCOMPARE(lines(csv), flipsInA + 1);
}

void TestCompareView::cliComputesTheSameNumbers() {
    // `runlens diff --json` on the same workspace must report what the tab shows (same core calls, same
    // seed).
    if (!QFileInfo::exists(RUNLENS_BIN)) QSKIP("the runlens executable is not built");
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta"});
    auto p = view->pairedAnalysis();
    QVERIFY(p && p->error.isEmpty());
    QProcess cli;
    // Defaults only: the tab starts with the CLI's seed and number of resamples.
    cli.start(RUNLENS_BIN, {"diff", "alpha", "beta", "-w", m_workspace, "--json"});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject paired =
        QJsonDocument::fromJson(cli.readAllStandardOutput()).object()["paired"].toObject();
    QCOMPARE(paired["n"].toInteger(), p->paired.mcnemar.n);
    QCOMPARE(paired["a_only_correct"].toInteger(), p->paired.mcnemar.aOnlyCorrect);
    QCOMPARE(paired["b_only_correct"].toInteger(), p->paired.mcnemar.bOnlyCorrect);
    QCOMPARE(paired["unmatched_b"].toInteger(), p->paired.alignment.pairs.unmatchedB);
    auto close = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); };
    QVERIFY(close(paired["mcnemar"].toObject()["exact_p"].toDouble(), p->paired.mcnemar.exactP));
    const QJsonObject boot = paired["bootstrap"].toObject();
    QCOMPARE(boot["seed"].toInteger(), qint64(p->paired.bootstrap.seed));
    QCOMPARE(boot["resamples"].toInt(), p->paired.bootstrap.resamples);
    QVERIFY(close(boot["delta"].toDouble(), p->paired.bootstrap.delta));
    QVERIFY(close(boot["ci_low"].toDouble(), p->paired.bootstrap.ciLow));
    QVERIFY(close(boot["ci_high"].toDouble(), p->paired.bootstrap.ciHigh));
    QVERIFY(p->paired.delong);
    QVERIFY(close(paired["delong"].toObject()["p"].toDouble(), p->paired.delong->p));
    QCOMPARE(paired["flips_total"].toInteger(), qint64(p->paired.flips.size()));
}

void TestCompareView::ensembleOfThree() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta", "gamma"});
    auto p = view->pairedAnalysis();
    QVERIFY(p);
    QCOMPARE(p->ensembleMembers, QStringList({"alpha", "beta", "gamma"}));
    QVERIFY(p->ensemble.error.empty());
    QCOMPARE(p->ensemble.n, std::size_t(kRows));
    // The core function (tested against numpy/sklearn) on the fixture's own numbers, aligned by id here.
    std::vector<int> labels;
    std::vector<std::vector<double>> scores(3);
    int averageRight = 0;
    for (int i = 0; i < kRows; ++i) {
        labels.push_back(labelOf(i));
        double mean = 0;
        for (int m = 0; m < 3; ++m) {
            scores[m].push_back(scoreOf(m, i));
            mean += scoreOf(m, i) / 3;
        }
        averageRight += (mean >= 0.5 ? 1 : 0) == labelOf(i);
    }
    const EnsembleReport expected = ensembleWhatIf(labels, scores);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            const double a = p->ensemble.errorCorrelation.at(i, j), b = expected.errorCorrelation.at(i, j);
            QVERIFY(std::abs(a - b) < 1e-12 || (std::isnan(a) && std::isnan(b)));
        }
    QVERIFY(std::abs(p->ensemble.average.accuracy - double(averageRight) / kRows) < 1e-12);
    QCOMPARE(p->ensemble.majorityVote.accuracy, expected.majorityVote.accuracy);
    const QString csv = m_dir.filePath("ensemble.csv");
    QString error;
    QVERIFY2(view->exportEnsembleCsv(csv, &error), qPrintable(error));
    QVERIFY(lines(csv) >= 6);
}

void TestCompareView::exportsAndScreenshot() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta", "gamma"});
    view->curveTagBox()->setCurrentText("loss");
    QString error;
    const QString png = m_dir.filePath("curves.png");
    QVERIFY2(view->exportCurveChart(png, &error), qPrintable(error));
    QVERIFY(runlens::test::imageHasContent(QImage(png)));
    QVERIFY2(view->exportCurveChart(m_dir.filePath("curves.svg"), &error), qPrintable(error));
    QVERIFY(QFileInfo(m_dir.filePath("curves.svg")).size() > 1000);
    QVERIFY2(view->exportCurveCsv(m_dir.filePath("curves.csv"), &error), qPrintable(error));
    QCOMPARE(lines(m_dir.filePath("curves.csv")), 1 + 9);
    const QString calibration = m_dir.filePath("calibration.png");
    QVERIFY2(view->exportCalibrationChart(calibration, &error), qPrintable(error));
    QVERIFY(runlens::test::imageHasContent(QImage(calibration)));
    QVERIFY2(view->exportDiffCsv(m_dir.filePath("diff.csv"), &error), qPrintable(error));
    QVERIFY(lines(m_dir.filePath("diff.csv")) > 3);

    // Screenshots of each page for a human look.
    auto* pages = view->findChild<QTabWidget*>();
    QVERIFY(pages);
    const char* names[] = {"runs", "curves", "predictions", "ensemble"};
    for (int i = 0; i < pages->count(); ++i) {
        pages->setCurrentIndex(i);
        QTest::qWait(100);
        const QImage shot = window.grab().toImage();
        QVERIFY(runlens::test::imageHasContent(shot));
        shot.save(QStringLiteral("/tmp/compare_%1.png").arg(names[i]));
    }
}

void TestCompareView::largeDiffRenders() {
    // 1,000 params and 200 metrics (600 last/min/max rows) for two runs, every tenth param different.
    std::vector<RunInfo> runs(2);
    for (int r = 0; r < 2; ++r) {
        runs[r].name = r == 0 ? "big_a" : "big_b";
        for (int k = 0; k < 1000; ++k)
            runs[r].params[QString("param_%1").arg(k, 4, 10, QChar('0')).toStdString()] =
                std::to_string(k % 10 == 0 ? k + r : k);
        for (int m = 0; m < 200; ++m) {
            SeriesSummary s;
            s.tag = QString("metric_%1").arg(m, 3, 10, QChar('0')).toStdString();
            s.last = m + r * 0.5;
            s.min = 0;
            s.max = m + 1;
            runs[r].series.push_back(s);
        }
    }
    QElapsedTimer timer;
    timer.start();
    RunDiffModel model;
    model.setDiff(buildRunDiff(runs), {"big_a", "big_b"});
    QCOMPARE(model.rowCount(), 100 + 200); // differing params + differing last values
    model.setOnlyDifferences(false);
    QCOMPARE(model.rowCount(), 1000 + 600);
    QTableView table;
    table.setModel(&model);
    table.resize(1200, 800);
    table.show();
    QVERIFY(runlens::test::imageHasContent(table.grab().toImage()));
    qInfo("diff of 1,000 params and 200 metrics built and drawn in %lld ms", timer.elapsed());
}

void TestCompareView::warningsGroupRunsByValue() {
    // Ten runs: r0 and r1 on data version v1, r9 on v2, the seven others unknown. The warning names each
    // value once, in first-seen order, with at most three runs: "v1: r0, r1; unknown: r2, r3, r4 and 4 more;
    // v2: r9".
    std::vector<RunInfo> runs(10);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        runs[i].id = static_cast<std::int64_t>(i + 1);
        runs[i].name = "r" + std::to_string(i);
        if (i < 2) runs[i].provenance.dataVersion = "v1";
    }
    runs[9].provenance.dataVersion = "v2";
    const std::vector<std::vector<PredictionTableInfo>> evalSets(runs.size());
    const QStringList warnings = comparabilityWarnings(runs, evalSets);
    const QString data = warnings.filter(QStringLiteral("data versions")).value(0);
    QVERIFY2(data.contains(QStringLiteral("v1: r0, r1; unknown: r2, r3, r4 and 4 more; v2: r9")),
             qPrintable(data));
}

// Three multiclass runs: tests/tools/gen_multiclass_ensemble_refs.py's members (python3-sklearn 1.2 says the
// members score accuracy 0.533, 0.533, 0.600; their averaged probabilities 0.867, macro F1 0.8665; the
// plurality vote 0.733). A and B (member0, member1) are each right where the other is wrong 3 times:
// McNemar's exact p = 1.
void TestCompareView::multiclassEnsembleAndPairedTests() {
    const QString logs = m_dir.filePath("multiclass");
    const char* members[] = {
        "id,label,prob_a,prob_b,prob_c\n"
        "0,a,0.781,0.192,0.027\n"
        "1,b,0.099,0.831,0.070\n"
        "2,c,0.158,0.705,0.137\n"
        "3,a,0.321,0.624,0.055\n"
        "4,b,0.207,0.756,0.037\n"
        "5,c,0.199,0.373,0.428\n"
        "6,a,0.488,0.130,0.382\n"
        "7,b,0.258,0.490,0.252\n"
        "8,c,0.432,0.348,0.220\n"
        "9,c,0.416,0.158,0.426\n"
        "10,c,0.192,0.473,0.335\n"
        "11,a,0.351,0.457,0.192\n"
        "12,c,0.526,0.044,0.430\n"
        "13,a,0.357,0.229,0.414\n"
        "14,a,0.634,0.365,0.001\n",
        "id,label,prob_a,prob_b,prob_c\n"
        "0,a,0.237,0.476,0.287\n"
        "1,b,0.175,0.657,0.168\n"
        "2,c,0.033,0.224,0.743\n"
        "3,a,0.233,0.411,0.356\n"
        "4,b,0.346,0.317,0.337\n"
        "5,c,0.099,0.261,0.640\n"
        "6,a,0.700,0.246,0.054\n"
        "7,b,0.288,0.468,0.244\n"
        "8,c,0.110,0.327,0.563\n"
        "9,c,0.312,0.333,0.355\n"
        "10,c,0.115,0.280,0.605\n"
        "11,a,0.362,0.233,0.405\n"
        "12,c,0.014,0.681,0.305\n"
        "13,a,0.348,0.364,0.288\n"
        "14,a,0.297,0.659,0.044\n",
        "id,label,prob_a,prob_b,prob_c\n"
        "0,a,0.382,0.464,0.154\n"
        "1,b,0.172,0.504,0.324\n"
        "2,c,0.534,0.003,0.463\n"
        "3,a,0.575,0.029,0.396\n"
        "4,b,0.125,0.495,0.380\n"
        "5,c,0.069,0.132,0.799\n"
        "6,a,0.343,0.150,0.507\n"
        "7,b,0.038,0.568,0.394\n"
        "8,c,0.011,0.236,0.753\n"
        "9,c,0.652,0.057,0.291\n"
        "10,c,0.329,0.377,0.294\n"
        "11,a,0.375,0.253,0.372\n"
        "12,c,0.047,0.277,0.676\n"
        "13,a,0.842,0.131,0.027\n"
        "14,a,0.380,0.603,0.017\n",
    };
    for (int m = 0; m < 3; ++m) {
        const QString run = logs + QString("/member%1").arg(m);
        writeTestFile(run + "/metrics.csv", "step,loss\n0,1\n1,0.5\n");
        writeTestFile(run + "/predictions_val.csv", members[m]);
    }
    MainWindow window;
    QVERIFY(window.createWorkspace(m_dir.filePath("multiclass.runlens")));
    window.importPaths({logs});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    auto* view = new CompareView(window.viewContext());
    window.tabs()->setCurrentIndex(window.addViewTab(view, "Compare"));
    window.resize(1400, 900);
    window.show();
    window.runTable()->clearSelection();
    view->refreshNow();
    QTRY_VERIFY_WITH_TIMEOUT(!view->isAnalysing(), 30000);
    const auto p = view->pairedAnalysis();
    QVERIFY(p);
    QVERIFY2(p->error.isEmpty(), qPrintable(p->error));
    QCOMPARE(p->paired.mcnemar.aOnlyCorrect, std::int64_t(3));
    QCOMPARE(p->paired.mcnemar.bOnlyCorrect, std::int64_t(3));
    QVERIFY(std::abs(p->paired.mcnemar.exactP - 1.0) < 1e-12);
    // Per true class (numpy on the same rows): a 6 examples, B fixes 0 and breaks 2, both wrong on 3; b 3, 0,
    // 1, 0; c 6, 3, 0, 1.
    QTableWidget* flips = view->classFlipsTable();
    QVERIFY(!flips->isHidden());
    QCOMPARE(flips->rowCount(), 3);
    const QStringList expected[] = {
        {"a", "6", "0", "2", "3"}, {"b", "3", "0", "1", "0"}, {"c", "6", "3", "0", "1"}};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 5; ++c)
            QCOMPARE(flips->item(r, c)->text(), expected[r][c]);
    // A flipped example shows each model's top class and its probability: id 0 (label a) is a for member0
    // (0.781) and b for member1 (0.476).
    const auto zero = std::find(p->idsA.begin(), p->idsA.end(), "0") - p->idsA.begin();
    QCOMPARE(QString::fromStdString(p->cellsA[static_cast<std::size_t>(zero)]), QString("a (0.78)"));
    QCOMPARE(QString::fromStdString(p->cellsB[static_cast<std::size_t>(zero)]), QString("b (0.48)"));
    QVERIFY(p->ensembleMulticlass);
    QCOMPARE(p->ensembleMembers, QStringList({"member0", "member1", "member2"}));
    QVERIFY(p->ensembleOfClasses.error.empty());
    QVERIFY(std::abs(p->ensembleOfClasses.average.accuracy - 0.8666666666666667) < 1e-12);
    QVERIFY(std::abs(p->ensembleOfClasses.majorityVote.accuracy - 0.73333333333333328) < 1e-12);
    const QString csv = m_dir.filePath("multiclass-ensemble.csv");
    QString error;
    QVERIFY2(view->exportEnsembleCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains("average,0.866667,"), qPrintable(text));
    QVERIFY2(text.contains("majority_vote,0.733333,"), qPrintable(text));
    if (qEnvironmentVariableIsSet("RUNLENS_SCREENSHOT_DIR")) // to look at: the predictions and ensemble pages
        for (int page : {2, 3}) {
            view->pages()->setCurrentIndex(page);
            QTest::qWait(200);
            window.grab().save(qEnvironmentVariable("RUNLENS_SCREENSHOT_DIR") +
                               QString("/compare-multiclass-%1.png").arg(page));
        }
}

// A and B are picked in the tab from the compared runs; picking the other side's run swaps them, and Swap
// swaps the picks.
void TestCompareView::pickersChooseAAndB() {
    MainWindow window;
    CompareView* view = nullptr;
    open(window, view, {"alpha", "beta", "gamma"});
    const auto names = [view] {
        QStringList out;
        for (const auto& r : view->comparedRuns())
            out << QString::fromStdString(r.name);
        return out;
    };
    QCOMPARE(names(), QStringList({"alpha", "beta", "gamma"}));
    QCOMPARE(view->pickA()->currentText(), QString("alpha"));
    QCOMPARE(view->pickB()->currentText(), QString("beta"));
    QCOMPARE(view->pickA()->count(), 3);
    emit view->pickA()->activated(view->pickA()->findText("gamma"));
    QCOMPARE(names(), QStringList({"gamma", "beta", "alpha"}));
    QCOMPARE(view->pickA()->currentText(), QString("gamma"));
    emit view->pickB()->activated(view->pickB()->findText("gamma")); // A's run as B: the two swap
    QCOMPARE(names(), QStringList({"beta", "gamma", "alpha"}));
    view->swapAB();
    QCOMPARE(names(), QStringList({"gamma", "beta", "alpha"}));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isAnalysing(), 30000);
    QVERIFY(view->pairedAnalysis());
    QCOMPARE(view->pairedAnalysis()->nameA, QString("gamma"));
}

QTEST_MAIN(TestCompareView)
#include "test_compare_view.moc"
