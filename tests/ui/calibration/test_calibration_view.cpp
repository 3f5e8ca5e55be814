// Tests the Calibration tab offscreen: metrics against scikit-learn, controls, baselines, slices,
// recalibration, export.
#include "tests/common/binary_score_fixture.h"
#include "tests/common/view_test_support.h"
#include "ui/calibration/calibration_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"

#include <algorithm>
#include <cmath>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSpinBox>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens::ui;

namespace {

constexpr int kRows = 200;

// The fixture's scores and labels (tests/common/binary_score_fixture.h); tests/tools-style reference values
// below come from the same formulas in python (see refs comment in alphaMatchesScikitLearn).
using runlens::test::labelOf;
using runlens::test::scoreOf;
using runlens::test::writeTestFile;

// alpha: score s; beta: s^1.5 (same ranking, worse calibration); both with a feature column "group".
void writeRuns(const QString& root) {
    QByteArray alpha = "label,score,group\n";
    QByteArray beta = "label,score,group\n";
    const char* groups[] = {"a", "b", "c"};
    for (int i = 0; i < kRows; ++i) {
        const QByteArray tail = QByteArray(",") + groups[i % 3] + "\n";
        alpha += QByteArray::number(labelOf(i)) + "," + QByteArray::number(scoreOf(i), 'g', 17) + tail;
        beta += QByteArray::number(labelOf(i)) + "," +
                QByteArray::number(std::pow(scoreOf(i), 1.5), 'g', 17) + tail;
    }
    writeTestFile(root + "/alpha/metrics.csv", "step,loss\n0,1\n1,0.5\n");
    writeTestFile(root + "/alpha/predictions_val.csv", alpha);
    writeTestFile(root + "/beta/metrics.csv", "step,loss\n0,1.2\n1,0.7\n");
    writeTestFile(root + "/beta/predictions_val.csv", beta);
}

// Three classes; probabilities (a, b, c) / (a + b + c) with a = i*7 % 10 + 1, b = i*3 % 10 + 1, c = i*5 % 10
// + 1.
void writeMulticlass(const QString& root) {
    QByteArray text = "label,prob_cat,prob_dog,prob_fox\n";
    const char* classes[] = {"cat", "dog", "fox"};
    for (int i = 0; i < 60; ++i) {
        const double a = (i * 7) % 10 + 1, b = (i * 3) % 10 + 1, c = (i * 5) % 10 + 1, t = a + b + c;
        text += QByteArray(classes[i % 3]) + "," + QByteArray::number(a / t, 'g', 17) + "," +
                QByteArray::number(b / t, 'g', 17) + "," + QByteArray::number(c / t, 'g', 17) + "\n";
    }
    writeTestFile(root + "/gamma/metrics.csv", "step,loss\n0,1\n");
    writeTestFile(root + "/gamma/predictions_mc.csv", text);
}

} // namespace

class TestCalibrationView : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void emptyWorkspaceShowsHint();
    void alphaMatchesScikitLearn();
    void controlsChangeNumbers();
    void baselinesAndPinnedRun();
    void slicesDrawOneCurvePerValue();
    void recalibrationPreviewAndMapping();
    void exportWritesImageAndCsv();
    void multiclassTopLabelAndClasswise();

  private:
    void openWindow(MainWindow& window, CalibrationView*& view);
    QTemporaryDir m_dir;
    QString m_workspace;
    QString m_multiclassWorkspace;
};

void TestCalibrationView::initTestCase() {
    runlens::test::beginViewTest("runlens-test-calibration-view");
    QVERIFY(m_dir.isValid());
    writeRuns(m_dir.filePath("logs"));
    // Build the workspace once through the window's import, then reopen it in each test.
    m_workspace = m_dir.filePath("eval.runlens");
    runlens::test::importIntoNewWorkspace(m_workspace, m_dir.filePath("logs"), 2);
    if (QTest::currentTestFailed()) return;

    writeMulticlass(m_dir.filePath("mclogs"));
    m_multiclassWorkspace = m_dir.filePath("multiclass.runlens");
    runlens::test::importIntoNewWorkspace(m_multiclassWorkspace, m_dir.filePath("mclogs"));
}

void TestCalibrationView::cleanupTestCase() {
    runlens::test::resetAppState();
}

void TestCalibrationView::openWindow(MainWindow& window, CalibrationView*& view) {
    runlens::test::openWorkspaceWithView(window, view, m_workspace, "Calibration");
    if (QTest::currentTestFailed()) return;
    QVERIFY(!view->result().columns.empty());
}

void TestCalibrationView::emptyWorkspaceShowsHint() {
    MainWindow window;
    QVERIFY(window.createWorkspace(m_dir.filePath("empty.runlens")));
    auto* view = new CalibrationView(window.viewContext());
    window.addViewTab(view, "Calibration");
    window.show();
    QTRY_VERIFY(!view->isBusy());
    QVERIFY(view->showsEmptyState());
    auto* hint = view->findChild<QLabel*>("calibrationEmptyHint");
    QVERIFY(hint);
    QVERIFY(hint->text().contains("No evaluation sets yet"));
}

void TestCalibrationView::alphaMatchesScikitLearn() {
    MainWindow window;
    CalibrationView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    QVERIFY(!view->showsEmptyState());
    QCOMPARE(view->setCombo()->count(), 2);
    QCOMPARE(view->setCombo()->itemText(0), QString("alpha / val"));
    // Both runs hold a set named "val", so both are overlaid.
    QCOMPARE(static_cast<int>(view->result().curves.size()), 2);

    // References (Debian python3-sklearn 1.2), from the same formulas:
    //   s = ((i*37)%200+0.5)/200, u = ((i*71+13)%200+0.5)/200, y = u < s**0.8, beta scores s**1.5
    //   brier_score_loss, log_loss, roc_auc_score, average_precision_score, accuracy_score(y, p >= 0.5);
    //   ECE with edges linspace(0,1,11) and np.searchsorted(edges[1:-1], p, side='left').
    const double tol = 1e-9;
    QVERIFY(std::abs(view->metricValue("alpha", "Brier") - 0.17955624999999997) < tol);
    QVERIFY(std::abs(view->metricValue("alpha", "log loss") - 0.53580652333225887) < tol);
    QVERIFY(std::abs(view->metricValue("alpha", "ROC AUC") - 0.8113169349124405) < tol);
    QVERIFY(std::abs(view->metricValue("alpha", "average precision") - 0.83316604695196006) < tol);
    QVERIFY(std::abs(view->metricValue("alpha", "accuracy") - 0.725) < tol);
    QVERIFY(std::abs(view->metricValue("alpha", "ECE") - 0.055) < tol);
    QVERIFY(std::abs(view->metricValue("alpha", "MCE") - 0.1) < tol);
    QVERIFY(std::abs(view->metricValue("beta", "ECE") - 0.15773793856294213) < tol);
    QVERIFY(std::abs(view->metricValue("beta", "MCE") - 0.25114551616961389) < tol);
    QVERIFY(std::abs(view->metricValue("beta", "Brier") - 0.2051167453983487) < tol);

    // Murphy's identity holds up to the residual the table shows.
    const double rel = view->metricValue("alpha", "Brier: reliability");
    const double res = view->metricValue("alpha", "Brier: resolution");
    const double unc = view->metricValue("alpha", "Brier: uncertainty");
    const double residual = view->metricValue("alpha", "Brier: residual");
    QVERIFY(std::abs(rel - res + unc + residual - 0.17955624999999997) < 1e-12);
    // 111 positives of 200: uncertainty = 0.555 * 0.445 by hand.
    QVERIFY(std::abs(unc - 0.555 * 0.445) < 1e-12);

    // The table shows the same numbers, with the row names the design asks for.
    QTableWidget* table = view->metricsTable();
    QStringList rows;
    for (int r = 0; r < table->rowCount(); ++r)
        rows << table->verticalHeaderItem(r)->text();
    QVERIFY(rows.contains("ACE (average over bins)"));
    QVERIFY(rows.contains("debiased L2 calibration error"));
    QCOMPARE(table->horizontalHeaderItem(0)->text(), QString("alpha"));
    QCOMPARE(table->item(rows.indexOf("Brier"), 0)->text(), QString("0.1796"));
}

void TestCalibrationView::controlsChangeNumbers() {
    MainWindow window;
    CalibrationView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    QCOMPARE(static_cast<int>(view->result().curves.front().report.bins.size()), 10);
    view->binsSpin()->setValue(5);
    QTRY_VERIFY(!view->isBusy());
    QCOMPARE(static_cast<int>(view->result().curves.front().report.bins.size()), 5);
    // python: ECE of beta with linspace(0,1,6) edges = 0.15500153337663833
    QVERIFY(std::abs(view->metricValue("beta", "ECE") - 0.15500153337663833) < 1e-9);

    view->binsSpin()->setValue(10);
    view->strategyCombo()->setCurrentText("quantile");
    QTRY_VERIFY(!view->isBusy());
    // Distinct scores in 10 quantile bins: 20 examples each.
    for (const auto& bin : view->result().curves.front().report.bins)
        QCOMPARE(bin.count, qint64(20));
    // python: ECE of beta with np.percentile(p, linspace(0,100,11)) edges = 0.15500153337663833
    QVERIFY(std::abs(view->metricValue("beta", "ECE") - 0.15500153337663833) < 1e-9);

    const auto wilson = view->result().curves.front().report.bins.front();
    view->intervalCombo()->setCurrentText("Clopper-Pearson");
    QTRY_VERIFY(!view->isBusy());
    const auto exact = view->result().curves.front().report.bins.front();
    QVERIFY(exact.ciLow != wilson.ciLow); // Clopper-Pearson is wider than Wilson
    QVERIFY(exact.ciHigh - exact.ciLow > wilson.ciHigh - wilson.ciLow);

    view->consistencyCheck()->setChecked(true);
    QTRY_VERIFY(!view->isBusy());
    QVERIFY(std::isfinite(view->result().curves.front().report.bins.front().consistencyLow));

    // Selecting beta puts it first: the first curve and column are beta's.
    view->setCombo()->setCurrentIndex(1);
    QTRY_VERIFY(!view->isBusy());
    QCOMPARE(view->result().columns.front().name, QString("beta"));
}

void TestCalibrationView::baselinesAndPinnedRun() {
    MainWindow window;
    CalibrationView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    // Prior baseline: every score is the base rate 0.555, so Brier = 0.555 * 0.445 and AUC = 0.5 (all ties).
    QVERIFY(std::abs(view->metricValue("prior", "Brier") - 0.555 * 0.445) < 1e-12);
    QVERIFY(std::abs(view->metricValue("prior", "ROC AUC") - 0.5) < 1e-12);
    // Zero-rule predicts the majority class (1) for everyone: accuracy = 111/200.
    QVERIFY(std::abs(view->metricValue("zero-rule", "accuracy") - 0.555) < 1e-12);
    QVERIFY(std::isfinite(view->metricValue("uniform random", "ECE")));

    QCOMPARE(view->baselineCombo()->count(), 2); // (none), beta
    view->baselineCombo()->setCurrentText("beta");
    QTRY_VERIFY(!view->isBusy());
    QVERIFY(std::abs(view->metricValue("baseline: beta", "ECE") - 0.15773793856294213) < 1e-9);
    QCOMPARE(view->result().columns.back().name, QString("baseline: beta"));
    QVERIFY(view->result().columns.back().baseline);

    // Hiding beta in the run table removes its curve and the pin choice.
    window.runModel()->setRunVisible(window.runModel()->runs()[1].id, false);
    QTRY_VERIFY(!view->isBusy());
    QCOMPARE(static_cast<int>(view->result().curves.size()), 1);
    QCOMPARE(view->baselineCombo()->count(), 1);
}

void TestCalibrationView::slicesDrawOneCurvePerValue() {
    MainWindow window;
    CalibrationView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    QVERIFY(view->sliceCombo()->findText("group") > 0);
    view->sliceCombo()->setCurrentText("group");
    QTRY_VERIFY(!view->isBusy());
    const auto& curves = view->result().curves;
    QCOMPARE(static_cast<int>(curves.size()), 3);
    std::int64_t total = 0;
    for (const auto& c : curves) {
        QVERIFY(c.name.startsWith("group = "));
        total += c.report.n;
    }
    QCOMPARE(total, qint64(kRows));
    // Rows i % 3 == 0 are group a: 67 of them.
    bool sawA = false;
    for (const auto& c : curves)
        if (c.name.startsWith("group = a")) {
            sawA = true;
            QCOMPARE(c.report.n, qint64(67));
        }
    QVERIFY(sawA);
}

void TestCalibrationView::recalibrationPreviewAndMapping() {
    MainWindow window;
    CalibrationView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    view->setCombo()->setCurrentIndex(1); // beta: miscalibrated on purpose
    QTRY_VERIFY(!view->isBusy());
    const auto& rec = view->result().recalibration;
    QVERIFY2(rec.ok, qPrintable(rec.message));
    // Hold-out of 50%: 100 examples fitted, 100 shown.
    QCOMPARE(rec.before.n, qint64(100));
    QVERIFY(rec.message.contains("100"));
    // Platt keeps the ranking, so the held-out AUC does not change.
    QVERIFY(std::abs(rec.beforeMetrics.rocAuc - rec.afterMetrics.rocAuc) < 1e-12);

    const QString mapping = m_dir.filePath("mapping.json");
    QString error;
    QVERIFY2(view->exportMapping(mapping, &error), qPrintable(error));
    QFile file(mapping);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(json.value("method").toString(), QString("platt"));
    QVERIFY(json.contains("a") && json.contains("b"));

    view->methodCombo()->setCurrentText("isotonic");
    view->splitCombo()->setCurrentIndex(1); // k-fold: every example is shown out of fold
    QTRY_VERIFY(!view->isBusy());
    QVERIFY(view->result().recalibration.ok);
    QCOMPARE(view->result().recalibration.after.n, qint64(kRows));
    QVERIFY(view->result().recalibration.mappingJson.find("isotonic") != std::string::npos);
    // Beta's scores s^1.5 are too low: the isotonic fit on the other folds removes most of that gap.
    QVERIFY(view->result().recalibration.after.ece < view->result().recalibration.before.ece);
}

void TestCalibrationView::exportWritesImageAndCsv() {
    MainWindow window;
    CalibrationView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    const QString png = m_dir.filePath("reliability.png");
    QString error;
    QVERIFY2(view->exportReliabilityImage(png, &error), qPrintable(error));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(runlens::test::imageHasContent(image));
    QVERIFY(view->exportReliabilityImage(m_dir.filePath("reliability.svg"), &error));
    QVERIFY(QFileInfo(m_dir.filePath("reliability.svg")).size() > 1000);

    const QStringList lines = view->reliabilityCsv().split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.front(),
             QString("curve,lower,upper,count,mean_predicted,fraction_positive,ci_low,ci_high"));
    QCOMPARE(lines.size(), 1 + 10 + 10); // ten non-empty bins of each run
    QVERIFY(view->metricsCsv().startsWith("metric,alpha,beta,uniform random,zero-rule,prior\n"));

    // A look at the whole tab for the screenshot review.
    QTest::qWait(50);
    QApplication::processEvents();
    view->grab().save("/tmp/calibration_view.png");
    view->pages()->setCurrentIndex(1);
    QApplication::processEvents();
    view->grab().save("/tmp/calibration_view_recal.png");
}

void TestCalibrationView::multiclassTopLabelAndClasswise() {
    MainWindow window;
    window.resize(1400, 900);
    QVERIFY(window.openWorkspace(m_multiclassWorkspace));
    auto* view = new CalibrationView(window.viewContext());
    window.addViewTab(view, "Calibration");
    window.show();
    QTRY_VERIFY(!view->isBusy());
    QCOMPARE(view->setCombo()->currentText(), QString("gamma / mc"));
    QVERIFY(view->result().multiclass);
    // Accuracy by hand: argmax (first on ties) against the label, counted here.
    int right = 0;
    for (int i = 0; i < 60; ++i) {
        const double p[3] = {double((i * 7) % 10 + 1), double((i * 3) % 10 + 1), double((i * 5) % 10 + 1)};
        const int top = int(std::max_element(p, p + 3) - p);
        right += top == i % 3;
    }
    QVERIFY(std::abs(view->metricValue("gamma", "accuracy") - right / 60.0) < 1e-12);
    // numpy: top-label ECE with linspace(0,1,11) edges and searchsorted side='left' = 0.17948717948717952
    QVERIFY(std::abs(view->metricValue("gamma", "ECE") - 0.17948717948717952) < 1e-9);
    QVERIFY(std::isfinite(view->metricValue("gamma", "class-wise ECE (mean)")));
    QVERIFY(view->classModeCombo()->isEnabled());
    view->classModeCombo()->setCurrentText("class-wise");
    QTRY_VERIFY(!view->isBusy());
    QCOMPARE(static_cast<int>(view->result().curves.size()), 3);
    QCOMPARE(view->result().curves.front().name, QString("class cat"));
    // Multiclass recalibration is temperature scaling whatever the method box says.
    QVERIFY2(view->result().recalibration.ok, qPrintable(view->result().recalibration.message));
    QVERIFY(view->result().recalibration.mappingJson.find("temperature") != std::string::npos);
}

QTEST_MAIN(TestCalibrationView)
#include "test_calibration_view.moc"
