// Every chart of every tab follows a dark desktop palette: dark background, light axis labels and titles,
// while the series keep their run colours.
#include "ui/charts/interactive_chart_view.h"
#include "ui/shell/main_window.h"
#include "ui/shell/standard_views.h"

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QLineSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QtTest>
#include <QValueAxis>

using namespace runlens::ui;

namespace {

// A dark palette as a desktop's dark theme sets it (the colours of KDE's Breeze Dark, by eye).
QPalette darkPalette() {
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(42, 46, 50));
    palette.setColor(QPalette::WindowText, QColor(252, 252, 252));
    palette.setColor(QPalette::Base, QColor(27, 30, 32));
    palette.setColor(QPalette::AlternateBase, QColor(35, 38, 41));
    palette.setColor(QPalette::Text, QColor(252, 252, 252));
    palette.setColor(QPalette::Button, QColor(49, 54, 59));
    palette.setColor(QPalette::ButtonText, QColor(252, 252, 252));
    palette.setColor(QPalette::Highlight, QColor(61, 174, 233));
    palette.setColor(QPalette::HighlightedText, QColor(252, 252, 252));
    return palette;
}

} // namespace

class TestDarkPalette : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void chartColoursFollowThePalette();
    void everyTabsChartsAreDark();
};

void TestDarkPalette::chartColoursFollowThePalette() {
    InteractiveChartView view;
    view.setPalette(darkPalette());
    auto* chart = new QChart;
    auto* series = new QLineSeries;
    series->append(0, 0);
    series->append(1, 1);
    const QColor runColour(230, 120, 30);
    series->setColor(runColour);
    chart->addSeries(series);
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    view.replaceChart(chart);
    QVERIFY(chart->backgroundBrush().color().lightness() < 64);
    QVERIFY(x->labelsBrush().color().lightness() > 180);
    QVERIFY(y->titleBrush().color().lightness() > 180);
    QVERIFY(chart->titleBrush().color().lightness() > 180);
    QCOMPARE(series->color(), runColour); // the run's colour, not a theme's

    // Back to a light desktop while the chart is shown.
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    view.setPalette(light);
    QVERIFY(chart->backgroundBrush().color().lightness() > 240);
    QVERIFY(x->labelsBrush().color().lightness() < 100);
}

void TestDarkPalette::everyTabsChartsAreDark() {
    QSettings().clear();
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (data.contains(QLatin1String(".qttest"))) QDir(data).removeRecursively();
    QApplication::setPalette(darkPalette());
    MainWindow window;
    addStandardViews(window);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openDemo();
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 120000);
    QTabWidget* tabs = window.tabs();
    const QString shots = qEnvironmentVariable("RUNLENS_SCREENSHOT_DIR");
    int checked = 0;
    for (int t = 0; t < tabs->count(); ++t) {
        tabs->setCurrentIndex(t);
        QTest::qWait(400); // views compute off the GUI thread when shown
        const QString name = tabs->tabText(t).remove('&');
        if (!shots.isEmpty()) window.grab().save(QDir(shots).filePath("dark-" + name + ".png"));
        for (InteractiveChartView* view : tabs->widget(t)->findChildren<InteractiveChartView*>()) {
            if (!view->isVisible() || !view->chart() || view->chart()->axes().isEmpty()) continue;
            ++checked;
            const QString what = name + ": " + view->chart()->title();
            QVERIFY2(view->chart()->backgroundBrush().color().lightness() < 80, qPrintable(what));
            for (QAbstractAxis* axis : view->chart()->axes())
                QVERIFY2(axis->labelsBrush().color().lightness() > 160, qPrintable(what));
        }
    }
    QVERIFY(checked >= 8); // the demo fills Curves, Calibration, Trade-offs, Slices, Sweep ... with charts
}

QTEST_MAIN(TestDarkPalette)
#include "test_dark_palette.moc"
