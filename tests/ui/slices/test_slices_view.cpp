// Tests the Slices tab offscreen: slice table and Simpson banner on the kidney-stone counts, controls, the
// slice finder, regressed slices between two runs, and chart/CSV export.
#include "core/import/importer.h"
#include "core/io/reader.h"
#include "core/store/workspace.h"
#include "tests/common/view_test_support.h"
#include "ui/shell/main_window.h"
#include "ui/slices/fairness_panel.h"
#include "ui/slices/slices_view.h"

#include <cmath>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

namespace {

// Kidney-stone counts (Charig et al. 1986) used as correct/total per stratum:
// model_a: small 81/87, large 192/263 (overall 273/350); model_b: small 234/270, large 55/80 (289/350).
// model_a wins both strata and loses overall: a complete reversal (possible: the runs score different
// examples, ids 0.. and 1000..). Rows of model_a's large stones that are wrong, plus 29 right ones, are on
// device=mobile (100 rows, 71 wrong); all other rows are desktop.
struct Stratum {
    const char* size;
    int correct;
    int total;
};

QByteArray predictionsCsv(const std::vector<Stratum>& strata, bool mobileErrors, int firstId) {
    QByteArray csv = "id,label,score,size,device\n";
    int id = firstId;
    for (const Stratum& s : strata) {
        int mobileRight = 0;
        for (int i = 0; i < s.total; ++i, ++id) {
            const int label = id % 2;
            const bool correct = i < s.correct;
            const double score = correct ? (label ? 0.8 : 0.2) : (label ? 0.3 : 0.7);
            bool mobile = false;
            if (mobileErrors && QByteArray(s.size) == "large") mobile = !correct || mobileRight++ < 29;
            csv += QByteArray::number(id) + ',' + QByteArray::number(label) + ',' +
                   QByteArray::number(score) + ',' + s.size + ',' + (mobile ? "mobile" : "desktop") + '\n';
        }
    }
    return csv;
}

// The "val" set: both runs score the same 200 examples (ids 0..199). Region is north for even ids and south
// for odd ids. A is wrong when id % 10 == 1 (20 south rows); B equals A in the north and, in the south, is
// right only where A is right and id >= 120.
bool valCorrectA(int id) {
    return id % 10 != 1;
}
bool valCorrectB(int id) {
    return id % 2 == 0 ? valCorrectA(id) : valCorrectA(id) && id >= 120;
}

QByteArray valCsv(bool modelB) {
    QByteArray csv = "id,label,score,region\n";
    for (int id = 0; id < 200; ++id) {
        const int label = (id / 2) % 2;
        const bool correct = modelB ? valCorrectB(id) : valCorrectA(id);
        const double score = correct ? (label ? 0.9 : 0.1) : (label ? 0.2 : 0.8);
        csv += QByteArray::number(id) + ',' + QByteArray::number(label) + ',' + QByteArray::number(score) +
               ',' + (id % 2 == 0 ? "north" : "south") + '\n';
    }
    return csv;
}

using runlens::test::imageHasContent;
using runlens::test::writeTestFile;

const SliceRow* rowWith(const SliceReport& report, const std::string& feature, const std::string& value) {
    for (const auto& row : report.slices)
        if (row.key.size() == 1 && row.key[0].first == feature && row.key[0].second == value) return &row;
    return nullptr;
}

int tableRowWith(QTableWidget* table, const QString& text) {
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0) && table->item(r, 0)->text() == text) return r;
    return -1;
}

} // namespace

class TestSlicesView : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void idLikeColumnsAreNoDefault();
    void emptyWorkspaceShowsHint();
    void slicesTableAndSimpsonBanner();
    void controlsChangeNumbers();
    void sliceFinderListsAndShowsSlice();
    void regressedSlicesBetweenRuns();
    void disparityAcrossDevice();
    void exportsChartAndCsv();
    void largeSetKeepsWindowResponsive();

  private:
    void waitIdle();

    QTemporaryDir m_dir;
    QString m_workspacePath;
    std::unique_ptr<MainWindow> m_window;
    SlicesView* m_view = nullptr;
};

void TestSlicesView::initTestCase() {
    runlens::test::beginViewTest("runlens-test-slices-view");
    QVERIFY(m_dir.isValid());
    const QString logs = m_dir.filePath("logs");
    writeTestFile(logs + "/model_a/predictions_test.csv",
                  predictionsCsv({{"small", 81, 87}, {"large", 192, 263}}, true, 0));
    writeTestFile(logs + "/model_b/predictions_test.csv",
                  predictionsCsv({{"small", 234, 270}, {"large", 55, 80}}, false, 1000));
    writeTestFile(logs + "/model_a/predictions_val.csv", valCsv(false));
    writeTestFile(logs + "/model_b/predictions_val.csv", valCsv(true));
    m_workspacePath = m_dir.filePath("slices.runlens");
    {
        auto workspace = Workspace::create(m_workspacePath.toStdString());
        const std::filesystem::path root = logs.toStdString();
        const ImportSummary summary = importPaths(std::span<const std::filesystem::path>(&root, 1),
                                                  ReaderRegistry::withBuiltins(), *workspace);
        QVERIFY2(!summary.report.hasErrors(),
                 summary.report.issues.empty() ? "" : summary.report.issues[0].toString().c_str());
    }
    m_window = std::make_unique<MainWindow>();
    m_view = new SlicesView(m_window->viewContext());
    const int tab = m_window->addViewTab(m_view, "Slices");
    m_window->tabs()->setCurrentIndex(tab);
    m_window->resize(1400, 900);
    m_window->show();
}

void TestSlicesView::cleanupTestCase() {
    m_window.reset();
    QSettings().clear();
}

void TestSlicesView::waitIdle() {
    QTest::qWait(10);
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->isBusy(), 30000);
}

void TestSlicesView::emptyWorkspaceShowsHint() {
    // Before a workspace with evaluation sets is open, the view explains how to get one.
    QString error;
    QVERIFY2(m_window->createWorkspace(m_dir.filePath("empty.runlens"), &error), qPrintable(error));
    waitIdle();
    QVERIFY(!m_view->report().has_value());
    const auto hints = m_view->findChildren<QLabel*>();
    bool found = false;
    for (QLabel* label : hints)
        found = found || (label->isVisible() && label->text().contains("No evaluation sets yet"));
    QVERIFY(found);
}

void TestSlicesView::slicesTableAndSimpsonBanner() {
    QString error;
    QVERIFY2(m_window->openWorkspace(m_workspacePath, &error), qPrintable(error));
    waitIdle();
    QCOMPARE(m_view->evaluationSetCombo()->currentText(), QString("test"));
    m_view->featureCombo(0)->setCurrentText("size");
    waitIdle();
    QVERIFY(m_view->report().has_value());
    const SliceReport& r = *m_view->report();
    QCOMPARE(r.cohorts, (std::vector<std::string>{"model_a", "model_b"}));
    const SliceRow* small = rowWith(r, "size", "small");
    const SliceRow* large = rowWith(r, "size", "large");
    QVERIFY(small && large);
    QCOMPARE(small->cohorts[0].n, 87);
    QCOMPARE(small->cohorts[0].value, 81.0 / 87);
    QCOMPARE(large->cohorts[1].value, 55.0 / 80);
    QCOMPARE(small->cohorts[1].share, 270.0 / 350);
    // statsmodels: proportion_confint(81, 87, method='wilson') = (0.8576030575941971, 0.9680111605574233).
    QVERIFY(std::abs(small->cohorts[0].ciLow - 0.8576030575941971) < 1e-9);
    QVERIFY(std::abs(small->cohorts[0].ciHigh - 0.9680111605574233) < 1e-9);
    QCOMPARE(small->winner, std::string("model_a"));
    QCOMPARE(large->winner, std::string("model_a"));
    QCOMPARE(r.overall[1].value, 289.0 / 350);

    // The table shows the same numbers, one row per slice.
    QTableWidget* table = m_view->sliceTable();
    QCOMPARE(table->rowCount(), 2);
    const int smallRow = tableRowWith(table, "size = small");
    QVERIFY(smallRow >= 0);
    // Columns: slice, winner, then n, share, value, interval, zero-rule per cohort.
    QCOMPARE(table->columnCount(), 12);
    QCOMPARE(table->item(smallRow, 1)->text(), QString("model_a"));
    QCOMPARE(table->item(smallRow, 2)->text(), QString("87"));
    QCOMPARE(table->item(smallRow, 4)->text(), QString("93.1%"));
    QCOMPARE(table->item(smallRow, 5)->text(), QString("[85.8%, 96.8%]"));

    // Zero-rule per slice, worked from the fixture (label = id % 2, ties go to the negative class):
    // model_a small = ids 0..86: 44 zeros, 43 ones -> always 0, right on 44/87 = 50.6%;
    // model_a large = ids 87..349: 132 ones, 131 zeros -> always 1, 132/263 = 50.2%;
    // model_b small = ids 1000..1269 and large = ids 1270..1349 split evenly -> 135/270 = 40/80 = 50.0%.
    QCOMPARE(table->horizontalHeaderItem(6)->text(), QString("model_a\nzero-rule"));
    QCOMPARE(table->horizontalHeaderItem(11)->text(), QString("model_b\nzero-rule"));
    const int largeRow = tableRowWith(table, "size = large");
    QCOMPARE(table->item(smallRow, 6)->text(), QString("50.6%"));
    QCOMPARE(table->item(largeRow, 6)->text(), QString("50.2%"));
    QCOMPARE(table->item(smallRow, 11)->text(), QString("50.0%"));
    QCOMPARE(small->cohorts[0].zeroRule, 44.0 / 87);
    QCOMPARE(large->cohorts[0].zeroRule, 132.0 / 263);
    QCOMPARE(small->cohorts[1].zeroRule, 0.5);
    QCOMPARE(large->cohorts[1].zeroRule, 0.5);
    // Overall model_a: 175 zeros of 350 (87 small: 44, 263 large: 131) -> a tie, always 0, 50.0%.
    QCOMPARE(r.overall[0].zeroRule, 0.5);

    // Complete reversal: B wins overall (82.6% vs 78.0%), A wins both sizes.
    QCOMPARE(r.simpson.reversal, Reversal::Complete);
    QCOMPARE(r.simpson.overallWinner, std::string("model_b"));
    QVERIFY(m_view->banner()->isVisible());
    QVERIFY(m_view->banner()->text().contains("Complete reversal"));
    QVERIFY(m_view->banner()->styleSheet().contains("#f8d7da"));
    // Standardised on the pooled mix (small 357, large 343 of 700) A is better: worked out from the counts.
    const double stdA = (357.0 * 81 / 87 + 343.0 * 192 / 263) / 700;
    const double stdB = (357.0 * 234 / 270 + 343.0 * 55 / 80) / 700;
    QVERIFY(std::abs(r.simpson.standardized.at("model_a") - stdA) < 1e-9);
    QVERIFY(std::abs(r.simpson.standardized.at("model_b") - stdB) < 1e-9);
    QCOMPARE(r.simpson.standardizedWinner, std::string("model_a"));
    QVERIFY(m_view->banner()->text().contains("Mix"));

    // Sorting by n puts the larger slice of model_a (large, 263) last in ascending order.
    table->sortItems(2, Qt::AscendingOrder);
    QCOMPARE(table->item(1, 0)->text(), QString("size = large"));

    // Look at it.
    QCoreApplication::processEvents();
    m_window->grab().save("/tmp/sliceview.png");
}

void TestSlicesView::controlsChangeNumbers() {
    // Error rate instead of accuracy: model_a errs on 6 of 87 small stones.
    m_view->metricCombo()->setCurrentIndex(m_view->metricCombo()->findData(int(SliceMetric::ErrorRate)));
    waitIdle();
    QVERIFY(m_view->report().has_value());
    QCOMPARE(m_view->report()->metric, SliceMetric::ErrorRate);
    QCOMPARE(rowWith(*m_view->report(), "size", "small")->cohorts[0].value, 6.0 / 87);

    // Min n 100: small has only 87 examples for A and large 80 for B, so no stratum is comparable.
    m_view->minNSpin()->setValue(100);
    waitIdle();
    QCOMPARE(m_view->report()->simpson.comparableStrata, 0);
    QCOMPARE(m_view->report()->simpson.reversal, Reversal::None);
    QVERIFY(!m_view->banner()->text().contains("Complete reversal"));

    // Two features: size x device gives the crossed slices (model_a's large rows split by device).
    m_view->minNSpin()->setValue(10);
    m_view->metricCombo()->setCurrentIndex(m_view->metricCombo()->findData(int(SliceMetric::Accuracy)));
    m_view->featureCombo(1)->setCurrentText("device");
    waitIdle();
    bool sawCross = false;
    for (const auto& row : m_view->report()->slices)
        if (row.key.size() == 2 && row.key[0].second == "large" && row.key[1].second == "mobile") {
            sawCross = true;
            QCOMPARE(row.cohorts[0].n, 100);
            QCOMPARE(row.cohorts[0].value, 29.0 / 100);
        }
    QVERIFY(sawCross);

    // Compare by a column of one run's set: the cohorts become the values of that column.
    m_view->featureCombo(1)->setCurrentText("(none)");
    m_view->sourceRunCombo()->setCurrentText("model_a");
    m_view->compareCombo()->setCurrentText("device");
    waitIdle();
    QVERIFY(m_view->report().has_value());
    QCOMPARE(m_view->report()->cohorts, (std::vector<std::string>{"desktop", "mobile"}));
    // desktop: 87 small (81 right) + 163 large (all right); mobile: 100 large (29 right).
    QCOMPARE(m_view->report()->overall[0].value, (81.0 + 163) / 250);
    QCOMPARE(m_view->report()->overall[1].value, 29.0 / 100);
    m_view->compareCombo()->setCurrentIndex(0);
    waitIdle();
    QCOMPARE(m_view->report()->cohorts.size(), std::size_t(2));
}

void TestSlicesView::sliceFinderListsAndShowsSlice() {
    m_view->sourceRunCombo()->setCurrentText("model_a");
    waitIdle();
    QVERIFY(m_view->foundSlices().has_value());
    const auto& found = *m_view->foundSlices();
    // Overall error of model_a: 77 of 350.
    QVERIFY(std::abs(found.overallErrorRate - 77.0 / 350) < 1e-12);
    const FoundSlice* mobile = nullptr;
    for (const auto& s : found.slices)
        if (s.key.size() == 1 && s.key[0] == std::pair<std::string, std::string>{"device", "mobile"})
            mobile = &s;
    QVERIFY(mobile);
    QCOMPARE(mobile->n, 100);
    QCOMPARE(mobile->errorRate, 0.71);
    QCOMPARE(mobile->restErrorRate, 6.0 / 250);
    // Cohen's h = 2 asin(sqrt(0.71)) - 2 asin(sqrt(0.024)).
    QVERIFY(std::abs(mobile->effectSize -
                     (2 * std::asin(std::sqrt(0.71)) - 2 * std::asin(std::sqrt(0.024)))) < 1e-9);
    QVERIFY(mobile->qValue < 0.05);
    QTableWidget* finder = m_view->finderTable();
    const int row = tableRowWith(finder, "device = mobile");
    QVERIFY(row >= 0);
    QCOMPARE(finder->item(row, 1)->text(), QString("100"));

    // Clicking the row slices by its feature and highlights the slice.
    m_view->showFoundSlice(row);
    waitIdle();
    QCOMPARE(m_view->featureCombo(0)->currentText(), QString("device"));
    QCOMPARE(m_view->featureCombo(1)->currentText(), QString("(none)"));
    const auto selected = m_view->sliceTable()->selectedItems();
    QVERIFY(!selected.isEmpty());
    QCOMPARE(m_view->sliceTable()->item(selected.front()->row(), 0)->text(), QString("device = mobile"));

    // A support above 100 drops the slice; alpha changes the scores.
    const double scoreAtHalf = mobile->score;
    m_view->alphaSpin()->setValue(0.9);
    waitIdle();
    bool rescored = false;
    for (const auto& s : m_view->foundSlices()->slices)
        if (s.key.size() == 1 && s.key[0].second == "mobile")
            rescored = std::abs(s.score - scoreAtHalf) > 1e-6;
    QVERIFY(rescored);
    m_view->minSupportSpin()->setValue(101);
    waitIdle();
    for (const auto& s : m_view->foundSlices()->slices)
        QVERIFY(s.n >= 101);
    QCOMPARE(tableRowWith(m_view->finderTable(), "device = mobile"), -1);
    m_view->minSupportSpin()->setValue(32);
    m_view->alphaSpin()->setValue(0.5);
    waitIdle();
}

void TestSlicesView::regressedSlicesBetweenRuns() {
    m_view->evaluationSetCombo()->setCurrentText("val");
    m_view->runACombo()->setCurrentText("model_a");
    m_view->runBCombo()->setCurrentText("model_b");
    waitIdle();
    // South (odd ids, 100 rows): A right on 80; B right only where A is right and id >= 120.
    int aRight = 0, bRight = 0, aOnly = 0, bOnly = 0;
    for (int id = 1; id < 200; id += 2) {
        aRight += valCorrectA(id);
        bRight += valCorrectB(id);
        aOnly += valCorrectA(id) && !valCorrectB(id);
        bOnly += !valCorrectA(id) && valCorrectB(id);
    }
    QCOMPARE(bOnly, 0);
    const auto& changes = m_view->changes();
    QCOMPARE(changes.size(), std::size_t(1)); // the north is identical, so only the south changed
    QCOMPARE(changes[0].key, (std::vector<std::pair<std::string, std::string>>{{"region", "south"}}));
    QCOMPARE(changes[0].n, 100);
    QCOMPARE(changes[0].accuracyA, aRight / 100.0);
    QCOMPARE(changes[0].accuracyB, bRight / 100.0);
    // Exact McNemar with no B-only wins: p = 2 * 0.5^aOnly.
    QVERIFY(std::abs(changes[0].pValue - 2 * std::pow(0.5, aOnly)) < 1e-12);
    QCOMPARE(m_view->changesTable()->rowCount(), 1);
    QCOMPARE(m_view->changesTable()->item(0, 0)->text(), QString("region = south"));

    // The same run on both sides is refused with a hint rather than compared.
    m_view->runBCombo()->setCurrentText("model_a");
    waitIdle();
    QCOMPARE(m_view->changesTable()->rowCount(), 0);
    m_view->evaluationSetCombo()->setCurrentText("test");
    waitIdle();
}

// model_a's test set by device (rows as predictionsCsv writes them; prediction = the label when right):
//   desktop: 250 rows, 124 predicted positive (0.496), TPR 121/124, FPR 3/126;
//   mobile: 100 rows, 50 predicted positive (0.5), TPR 15/51, FPR 35/49.
// Fairlearn's definitions: demographic_parity_difference = 0.5 - 0.496 = 0.004, ratio 0.496 / 0.5 = 0.992;
// equalized_odds_difference = max(121/124 - 15/51, 35/49 - 3/126 = 29/42) = 29/42; equalized_odds_ratio =
// min((15/51) / (121/124), (3/126) / (35/49) = 1/30) = 1/30. Wilson 95% of 124/250 from statsmodels
// proportion_confint(124, 250, method='wilson'): (0.4345537335304875, 0.5575673328654761).
void TestSlicesView::disparityAcrossDevice() {
    m_view->evaluationSetCombo()->setCurrentText("test");
    m_view->sourceRunCombo()->setCurrentText("model_a");
    waitIdle();
    auto* panel = m_view->fairnessPanel();
    QVERIFY(panel);
    QVERIFY(!panel->showsHint());
    panel->columnCombo()->setCurrentText("device");
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy() && panel->result().report && panel->result().column == "device",
                             30000);
    const auto& r = *panel->result().report;
    QCOMPARE(r.groups.size(), std::size_t(2));
    QCOMPARE(r.groups[0].group, std::string("desktop"));
    QCOMPARE(r.groups[0].n, std::int64_t(250));
    QVERIFY(std::abs(r.groups[0].selectionRate - 0.496) < 1e-12);
    QVERIFY(std::abs(r.groups[0].selectionCi.low - 0.4345537335304875) < 1e-9);
    QVERIFY(std::abs(r.groups[0].selectionCi.high - 0.5575673328654761) < 1e-9);
    QVERIFY(std::abs(r.demographicParityDifference - 0.004) < 1e-12);
    QVERIFY(std::abs(r.demographicParityRatio - 0.992) < 1e-12);
    QVERIFY(std::abs(r.equalizedOddsDifference - 29.0 / 42) < 1e-12);
    QVERIFY(std::abs(r.equalizedOddsRatio - 1.0 / 30) < 1e-12);
    QCOMPARE(r.severity, FairnessSeverity::Major);
    auto* table = panel->findChild<QTableWidget*>("fairnessGroups");
    QVERIFY(table && table->rowCount() == 2);
    QVERIFY(panel->groupsCsv().section('\n', 2, 2).startsWith("mobile,100,0.5,"));
    const QString png = m_dir.filePath("disparity.png");
    QString error;
    QVERIFY2(panel->exportImage(png, &error), qPrintable(error));
    QVERIFY(!QImage(png).isNull());
    if (qEnvironmentVariableIsSet("RUNLENS_SCREENSHOT_DIR")) {
        for (QWidget* w = panel->parentWidget(); w; w = w->parentWidget())
            if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
                tabs->setCurrentWidget(panel);
                break;
            }
        QTest::qWait(50);
        m_window->grab().save(qEnvironmentVariable("RUNLENS_SCREENSHOT_DIR") + "/disparity_panel.png");
    }
}

void TestSlicesView::exportsChartAndCsv() {
    m_view->featureCombo(0)->setCurrentText("size");
    m_view->featureCombo(1)->setCurrentText("(none)");
    waitIdle();
    QVERIFY(m_view->report().has_value());
    QString error;
    const QString png = m_dir.filePath("slices.png");
    QVERIFY2(m_view->exportChartImage(png, &error), qPrintable(error));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(imageHasContent(image));
    const QString svg = m_dir.filePath("slices.svg");
    QVERIFY2(m_view->exportChartImage(svg, &error), qPrintable(error));
    QVERIFY(QFileInfo(svg).size() > 1000);

    const QString csv = m_dir.filePath("slices.csv");
    QVERIFY2(m_view->exportCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.startsWith("size,cohort,metric,n,share,value,ci_low,ci_high,interval,winner,zero_rule\n"));
    QVERIFY2(text.contains("small,model_a,accuracy,87,"), qPrintable(text));
    QVERIFY(text.contains("(overall),model_b,accuracy,350,"));
    // The zero-rule column ends each row: 44/87 = 0.50574712643..., written with 10 significant digits.
    QVERIFY2(text.contains(QRegularExpression("small,model_a,accuracy,87,[^\n]*,0\\.5057471264\n")),
             qPrintable(text));
    QVERIFY(!m_view->exportChartImage(m_dir.filePath("slices.bmp"), &error));
}

void TestSlicesView::largeSetKeepsWindowResponsive() {
    // 200,000 rows with a bootstrap metric: reading and computing run off the GUI thread, so a 20 ms timer
    // keeps firing while the view is busy.
    constexpr int kRows = 200000;
    QByteArray csv = "id,label,score,segment\n";
    csv.reserve(kRows * 24);
    for (int i = 0; i < kRows; ++i)
        csv += QByteArray::number(i) + ',' + QByteArray::number(i % 2) + ',' +
               QByteArray::number((i % 1000) / 1000.0) + ",s" + QByteArray::number(i % 7) + '\n';
    writeTestFile(m_dir.filePath("big/large/predictions_test.csv"), csv);
    const QString path = m_dir.filePath("big.runlens");
    {
        auto workspace = Workspace::create(path.toStdString());
        const std::filesystem::path root = m_dir.filePath("big").toStdString();
        const auto summary = importPaths(std::span<const std::filesystem::path>(&root, 1),
                                         ReaderRegistry::withBuiltins(), *workspace);
        QVERIFY(!summary.report.hasErrors());
    }
    QString error;
    QVERIFY2(m_window->openWorkspace(path, &error), qPrintable(error));
    m_view->metricCombo()->setCurrentIndex(m_view->metricCombo()->findData(int(SliceMetric::Brier)));
    m_view->featureCombo(0)->setCurrentText("segment");
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0, worstGap = 0;
    QTimer ticker;
    ticker.setInterval(20);
    connect(&ticker, &QTimer::timeout, this, [&] {
        worstGap = std::max(worstGap, clock.elapsed() - last);
        last = clock.elapsed();
    });
    ticker.start();
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->isBusy() && m_view->report().has_value() &&
                                 m_view->report()->overall.size() == 1 &&
                                 m_view->report()->overall[0].n == kRows,
                             120000);
    ticker.stop();
    qInfo("200k rows: %lld ms in all, longest GUI pause %lld ms", clock.elapsed(), worstGap);
    QVERIFY2(worstGap < 1000, qPrintable(QString("GUI thread paused %1 ms").arg(worstGap)));
    QCOMPARE(m_view->report()->slices.size(), std::size_t(7));
}

// The first feature column is the default to slice by: an id-like one (customer_id) is offered last.
void TestSlicesView::idLikeColumnsAreNoDefault() {
    LoadedSliceSet set;
    for (const char* name : {"customer_id", "region", "size"}) {
        PredictionColumn column;
        column.name = name;
        column.numbers = {1, 2, 2};
        set.table.columns.push_back(column);
    }
    QCOMPARE(set.featureColumns(), (std::vector<std::string>{"region", "size", "customer_id"}));
}

QTEST_MAIN(TestSlicesView)
#include "test_slices_view.moc"
