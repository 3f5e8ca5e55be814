// Tests the Learning curve tab offscreen: fits per family, extrapolation, the verdict sentence, controls,
// export, and the train/validation score curves of learning-curve logs.
#include "tests/common/view_test_support.h"
#include "ui/learning_curve/learning_curve_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"

#include <cmath>
#include <QAreaSeries>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens::ui;

namespace {

// The true curves of the two families (accuracy rising with n):
//   gbm: 0.9 - 0.5 * n^-0.3       mlp: 0.95 - 30 * n^-0.5
double gbm(double n) {
    return 0.9 - 0.5 * std::pow(n, -0.3);
}
double mlp(double n) {
    return 0.95 - 30 * std::pow(n, -0.5);
}
constexpr double kSizes[] = {100, 300, 1000, 3000, 10000};

using runlens::test::writeTestFile;

QByteArray num(double v) {
    return QByteArray::number(v, 'g', 17);
}

void writeLogs(const QString& root) {
    for (const char* model : {"gbm", "mlp"})
        for (const double n : kSizes) {
            const QString run = QStringLiteral("%1/%2_%3").arg(root, model).arg(n);
            const double acc = QByteArray(model) == "gbm" ? gbm(n) : mlp(n);
            writeTestFile(run + "/hparams.yaml", "n_train: " + num(n) + "\nmodel: " + model + "\n");
            // The first point (-5) is the minimum of every run: "min" reduces every run to -5.
            writeTestFile(run + "/metrics.csv", "step,val_acc\n0,-5\n1," + num(acc) + "\n");
        }
}

// The size where mlp catches gbm, by bisection on the true curves (gbm - mlp changes sign once above 1e4).
double trueCrossing() {
    double lo = 1e4, hi = 1e7;
    for (int i = 0; i < 200; ++i) {
        const double mid = std::sqrt(lo * hi);
        (gbm(mid) > mlp(mid) ? lo : hi) = mid;
    }
    return lo; // 232004.8 (23.2x the largest size)
}

} // namespace

class TestLearningCurveView : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void fitsFamiliesAndComparesThem();
    void controlsChangeTheResult();
    void emptyStateAndExport();
    void showsTrainValidationScores();

  private:
    void openWindow(MainWindow& window, LearningCurveView*& view);
    QTemporaryDir m_dir;
};

void TestLearningCurveView::initTestCase() {
    runlens::test::beginViewTest("runlens-test-learning-curve-view");
    QVERIFY(m_dir.isValid());
    writeLogs(m_dir.filePath("logs"));
    runlens::test::importIntoNewWorkspace(m_dir.filePath("lc.runlens"), m_dir.filePath("logs"), 10);
}

void TestLearningCurveView::openWindow(MainWindow& window, LearningCurveView*& view) {
    runlens::test::addViewThenOpenWorkspace(window, view, "Learning curve", m_dir.filePath("lc.runlens"));
}

void TestLearningCurveView::fitsFamiliesAndComparesThem() {
    MainWindow window;
    LearningCurveView* view = nullptr;
    openWindow(window, view);
    QCOMPARE(view->metricCombo()->currentText(), QString("val_acc"));
    QCOMPARE(view->sizeCombo()->currentText(), QString("n_train")); // the size-like param is preferred
    view->familyCombo()->setCurrentText("model");
    QCOMPARE(view->families().size(), std::size_t(2));
    QCOMPARE(view->families()[0].name, QString("gbm"));

    // The data follow the power laws exactly, so the fits recover them.
    const auto& g = view->families()[0].fit;
    const auto& m = view->families()[1].fit;
    QVERIFY2(g.ok && m.ok, (g.error + " / " + m.error).c_str());
    QVERIFY2(std::abs(g.a + 0.5) < 1e-3 && std::abs(g.b + 0.3) < 1e-3 && std::abs(g.c - 0.9) < 1e-4,
             qPrintable(QString("%1 %2 %3").arg(g.a).arg(g.b).arg(g.c)));
    QVERIFY(std::abs(m.a + 30) < 1e-2 && std::abs(m.b + 0.5) < 1e-4 && std::abs(m.c - 0.95) < 1e-5);

    // Extrapolation to 1e5: gbm(1e5) = 0.9 - 0.5 * 1e5^-0.3 = 0.88419, mlp(1e5) = 0.95 - 30 / 316.23 =
    // 0.85513.
    view->extrapolateSpin()->setValue(100000);
    const QString summary = view->summaryText();
    QVERIFY2(summary.contains("at 1e+05: 0.8842"), qPrintable(summary));
    QVERIFY2(summary.contains("at 1e+05: 0.8551"), qPrintable(summary));
    QVERIFY(summary.contains("95% interval"));

    // gbm leads at 1e4; mlp overtakes near 2.32e5 (the scan steps by 10^(3/300) = 2.3%).
    QVERIFY2(summary.contains("gbm leads now; mlp overtakes at"), qPrintable(summary));
    // The size is written to three significant digits ("232,000"), which moves it by at most 0.5%.
    const QRegularExpression sizeText("overtakes at [0-9.]+x data \\(size ([0-9,]+)\\)");
    const auto match = sizeText.match(summary);
    QVERIFY2(match.hasMatch(), qPrintable(summary));
    const double crossing = match.captured(1).remove(',').toDouble();
    QVERIFY2(crossing >= trueCrossing() * 0.995 && crossing <= trueCrossing() * 1.03,
             qPrintable(QString::number(crossing)));
    QVERIFY(summary.contains("overtakes at 23x data") || summary.contains("overtakes at 24x data"));
    QVERIFY(compareLearningCurves(view->families(), true).startsWith("gbm leads now"));
    // For a lower-is-better reading mlp would be the leader (lower values at 1e4).
    QVERIFY(compareLearningCurves(view->families(), false).startsWith("mlp leads now"));

    // The chart: a log size axis reaching the extrapolation size.
    QChart* chart = view->chart();
    QVERIFY(chart);
    QVERIFY(chart->series().size() >= 4);

    QWidget* page = window.tabs()->currentWidget();
    page->show();
    QCoreApplication::processEvents();
    QVERIFY(window.grab().save("/tmp/learning_curve.png"));
}

void TestLearningCurveView::controlsChangeTheResult() {
    MainWindow window;
    LearningCurveView* view = nullptr;
    openWindow(window, view);
    view->familyCombo()->setCurrentIndex(0); // no family: one curve over both models' runs
    QCOMPARE(view->families().size(), std::size_t(1));
    QCOMPARE(view->families()[0].name, QString("val_acc"));
    QCOMPARE(view->families()[0].sizes.size(), std::size_t(10));
    QVERIFY(!view->summaryText().contains("leads now")); // nothing to compare

    // min of every run is the first point, -5: a constant cannot be fitted, and the reason is shown.
    view->reductionCombo()->setCurrentText("min");
    for (const double v : view->families()[0].values)
        QCOMPARE(v, -5.0);
    QVERIFY(!view->families()[0].fit.ok);
    QVERIFY2(view->summaryText().contains("no fit: "), qPrintable(view->summaryText()));
    QVERIFY(view->summaryText().contains(QString::fromStdString(view->families()[0].fit.error)));

    // Hiding runs leaves fewer points: only the 5 gbm runs.
    view->reductionCombo()->setCurrentText("last");
    for (const auto& run : window.runModel()->runs())
        if (run.name.find("mlp") != std::string::npos) window.runModel()->setRunVisible(run.id, false);
    QTRY_COMPARE(view->families()[0].sizes.size(), std::size_t(5));
    QVERIFY(view->families()[0].fit.ok);
    QVERIFY(std::abs(view->families()[0].fit.c - 0.9) < 1e-4);
}

void TestLearningCurveView::emptyStateAndExport() {
    MainWindow window;
    LearningCurveView* view = nullptr;
    openWindow(window, view);

    QString error;
    const QString png = m_dir.filePath("lc.png");
    QVERIFY2(view->exportImage(png, &error), qPrintable(error));
    QVERIFY(runlens::test::imageHasContent(QImage(png), 4));
    QVERIFY2(view->exportImage(m_dir.filePath("lc.svg"), &error), qPrintable(error));
    QVERIFY(QFileInfo(m_dir.filePath("lc.svg")).size() > 1000);
    const QString csv = m_dir.filePath("lc.csv");
    QVERIFY2(view->exportCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 11); // header + 10 runs
    QCOMPARE(lines[0], QByteArray("run,family,size,value,fitted"));

    window.runModel()->setAllVisible(false);
    QTRY_VERIFY(view->showsEmptyState());
    auto* hint = view->findChild<QLabel*>("learningCurveEmptyHint");
    QVERIFY(hint && hint->text().contains("size"));
    QVERIFY(!view->exportImage(png, &error));
}

namespace {

std::vector<QLineSeries*> meanLines(QChart* chart) {
    std::vector<QLineSeries*> lines;
    for (QAbstractSeries* series : chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(series)) lines.push_back(line);
    return lines;
}

int areaCount(QChart* chart) {
    int n = 0;
    for (QAbstractSeries* series : chart->series())
        n += qobject_cast<QAreaSeries*>(series) != nullptr;
    return n;
}

const runlens::RunInfo* runNamed(const RunTableModel* model, const std::string& part) {
    for (const auto& run : model->runs())
        if (run.name.find(part) != std::string::npos) return &run;
    return nullptr;
}

} // namespace

void TestLearningCurveView::showsTrainValidationScores() {
    QString error;
    {
        // The family workspace holds no learning-curve log: the scores chart shows its hint instead.
        MainWindow window;
        LearningCurveView* view = nullptr;
        openWindow(window, view);
        QVERIFY(view->scoresShowEmptyState());
        auto* hint = view->findChild<QLabel*>("learningCurveScoresHint");
        QVERIFY(hint && hint->text().contains("learning-curve log"));
        QVERIFY(!view->exportScoresImage(m_dir.filePath("none.png"), &error));
        QVERIFY(!view->showsEmptyState()); // the power-law chart is unaffected
    }

    // Two runs with learning-curve logs (sklearn's frozen breast-cancer curve, and a hand-made one whose
    // validation score still rises) and one ordinary run.
    const QString root = m_dir.filePath("scores_logs");
    QVERIFY(QDir().mkpath(root + "/logreg"));
    QVERIFY(QFile::copy(RUNLENS_TEST_DATA "/learning_curve/breast_cancer_logreg.csv",
                        root + "/logreg/learning_curve.csv"));
    writeTestFile(root + "/tree/learning_curve.csv", "train_size,fold,train_score,test_score\n"
                                                     "20,0,1.0,0.60\n20,1,1.0,0.64\n"
                                                     "40,0,0.98,0.70\n40,1,0.96,0.72\n"
                                                     "80,0,0.95,0.80\n80,1,0.95,0.82\n");
    writeTestFile(root + "/plain/metrics.csv", "step,val_acc\n0,0.5\n1,0.6\n");
    MainWindow window;
    window.resize(1400, 1000);
    auto* view = new LearningCurveView(window.viewContext());
    window.addViewTab(view, "Learning curve");
    QVERIFY(window.createWorkspace(m_dir.filePath("scores.runlens")));
    window.importPaths({root});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    window.tabs()->setCurrentWidget(view);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(!view->scoresShowEmptyState());
    QCOMPARE(view->scoreRuns().size(), std::size_t(2));
    // Per-fold score series are not offered as a run's metric or size for the power-law chart.
    QVERIFY(view->metricCombo()->findText("learning_curve/train_score") < 0);
    QVERIFY(view->sizeCombo()->findText("learning_curve/validation_score") < 0);

    // Per run a train line (solid) and a validation line (dashed), each with its std band, in the run's
    // colour from the run table.
    QChart* chart = view->scoresChart();
    QVERIFY(chart);
    QCOMPARE(meanLines(chart).size(), std::size_t(4));
    QCOMPARE(areaCount(chart), 4);
    const runlens::RunInfo* tree = runNamed(window.runModel(), "tree");
    QVERIFY(tree);
    int treeLines = 0;
    for (QLineSeries* line : meanLines(chart)) {
        const bool validation = line->name().endsWith("validation");
        QCOMPARE(line->pen().style(), validation ? Qt::DashLine : Qt::SolidLine);
        if (line->name().contains("tree")) {
            ++treeLines;
            QCOMPARE(line->pen().color(), window.runModel()->colorOf(tree->id));
            QCOMPARE(line->count(), 3); // sizes 20, 40, 80
        }
    }
    QCOMPARE(treeLines, 2);

    // One diagnosis per run: the frozen sklearn curve is flat and close (see test_learning_curve_scores),
    // the hand-made validation rose by 0.1 from 40 to 80.
    const QString diagnosis = view->scoresDiagnosisText();
    QVERIFY2(diagnosis.contains("more data will not help"), qPrintable(diagnosis));
    QVERIFY2(diagnosis.contains("more data should help"), qPrintable(diagnosis));

    QCoreApplication::processEvents();
    QVERIFY(window.grab().save("/tmp/learning_curve_scores.png"));

    // The log-x toggle swaps the size axis.
    QVERIFY(!qobject_cast<QLogValueAxis*>(view->scoresChart()->axes(Qt::Horizontal).value(0)));
    view->scoresLogXCheck()->setChecked(true);
    QVERIFY(qobject_cast<QLogValueAxis*>(view->scoresChart()->axes(Qt::Horizontal).value(0)));
    QCOMPARE(meanLines(view->scoresChart()).size(), std::size_t(4));

    // Hiding a run removes its two lines; exports cover what is shown.
    window.runModel()->setRunVisible(tree->id, false);
    QTRY_COMPARE(meanLines(view->scoresChart()).size(), std::size_t(2));
    const QString png = m_dir.filePath("scores.png");
    QVERIFY2(view->exportScoresImage(png, &error), qPrintable(error));
    QVERIFY(runlens::test::imageHasContent(QImage(png), 4));
    QVERIFY2(view->exportScoresImage(m_dir.filePath("scores.pdf"), &error), qPrintable(error));
    const QString csv = m_dir.filePath("scores.csv");
    QVERIFY2(view->exportScoresCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 11); // header + 5 train sizes + 5 validation sizes
    QCOMPARE(lines[0], QByteArray("run,set,size,mean,std,folds"));
    // numpy: train mean/std at 45 over the 5 folds = 1.0 / 0.0; validation at 455 from the frozen file.
    QVERIFY2(lines[1].endsWith(",train,45,1,0,5"), lines[1].constData());
    QVERIFY2(lines[10].contains("logreg"), lines[10].constData());
    QVERIFY2(lines[10].contains(",validation,455,0.95079956528489"), lines[10].constData());

    window.runModel()->setAllVisible(false);
    QTRY_VERIFY(view->scoresShowEmptyState());
}

QTEST_MAIN(TestLearningCurveView)
#include "test_learning_curve_view.moc"
