// Exports every chart of every tab the way a user does (export button, menu entry, file dialog) on the demo
// experiment, and checks each written file: PNG decodes, SVG is well-formed XML, PDF has its header and
// trailer; SVGs of Curves, Calibration and Slices keep their series inside the plot area.
#include "ui/calibration/calibration_view.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/chart_export.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"
#include "ui/shell/standard_views.h"
#include "ui/slices/slices_view.h"

#include <functional>
#include <memory>
#include <QAbstractButton>
#include <QFileDialog>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QTransform>
#include <QtTest>
#include <QXmlStreamReader>

using namespace runlens::ui;

namespace {

void resetAppState() {
    QSettings().clear();
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (data.contains(QLatin1String(".qttest"))) QDir(data).removeRecursively();
}

// Answers the next file dialog with path, as a user typing a name and pressing Save would.
void answerNextFileDialog(const QString& path, bool* answered) {
    *answered = false;
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, path, answered] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        dialog->selectFile(path);
        // selectFile keeps the offered name when the dialog is still loading its folder; the typed
        // name is what accept() reads, as when a user types a full path.
        if (auto* edit = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"))) edit->setText(path);
        QMetaObject::invokeMethod(dialog, "accept");
        *answered = true;
        timer->stop();
        timer->deleteLater();
    });
    timer->start();
}

// The window with every standard tab on a 1280x720 screen, the demo workspace open and imported.
void showDemo(MainWindow& window) {
    addStandardViews(window);
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openDemo();
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 120000);
}

// Makes widget the shown page of every stacked widget (and so tab widget) above it.
void bringToFront(QWidget* widget) {
    for (QWidget* child = widget; child && child->parentWidget(); child = child->parentWidget())
        if (auto* stack = qobject_cast<QStackedWidget*>(child->parentWidget()))
            stack->setCurrentWidget(child);
}

// Empty when the file is a well-formed XML document, else the parser's reason with its line.
QString xmlProblem(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return QStringLiteral("cannot open");
    QXmlStreamReader xml(&file);
    while (!xml.atEnd())
        xml.readNext();
    if (!xml.hasError()) return {};
    return QStringLiteral("line %1: %2").arg(xml.lineNumber()).arg(xml.errorString());
}

QString fileProblem(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return QStringLiteral("not written");
    const QByteArray bytes = file.readAll();
    if (bytes.size() < 200) return QStringLiteral("only %1 bytes").arg(bytes.size());
    const QString suffix = QFileInfo(path).suffix();
    if (suffix == QLatin1String("png")) {
        const QImage image(path);
        return image.isNull() || image.width() < 100 ? QStringLiteral("not a PNG image") : QString();
    }
    if (suffix == QLatin1String("svg")) return xmlProblem(path);
    if (!bytes.startsWith("%PDF-") || !bytes.trimmed().endsWith("%%EOF")) return QStringLiteral("not a PDF");
    return {};
}

// The export menu a button opens: its own menu, or the popup a click shows.
QMenu* openExportMenu(QAbstractButton* button) {
    if (auto* tool = qobject_cast<QToolButton*>(button); tool && tool->menu()) {
        tool->menu()->popup(tool->mapToGlobal(QPoint(0, tool->height())));
        if (!QTest::qWaitFor([&] { return tool->menu()->isVisible(); }, 2000)) return nullptr;
        return tool->menu()->isVisible() ? tool->menu() : nullptr;
    }
    QTest::mouseClick(button, Qt::LeftButton);
    QMenu* menu = nullptr;
    (void)QTest::qWaitFor(
        [&] { return (menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) != nullptr; }, 2000);
    return menu;
}

bool isImageAction(const QAction* action) {
    const QString text = action->text();
    return !text.contains(QLatin1String("CSV")) &&
           (text.contains(QLatin1String("PNG")) || text.contains(QLatin1String("SVG")) ||
            text.contains(QLatin1String("PDF")));
}

QString suffixOf(const QAction* action) {
    for (const char* suffix : {"PNG", "SVG", "PDF"})
        if (action->text().contains(QLatin1String(suffix))) return QString::fromLatin1(suffix).toLower();
    return {};
}

// The geometry of an SVG as QSvgGenerator writes it: every path / polyline / polygon in page coordinates
// (group transforms applied) with the stroke and fill it is drawn with.
struct SvgShape {
    QString element;
    QColor stroke, fill; // invalid when "none"
    QPolygonF points;
};

QTransform parseTransform(const QString& text) {
    static const QRegularExpression matrix(QStringLiteral("matrix\\(([^)]*)\\)"));
    const auto m = matrix.match(text);
    if (!m.hasMatch()) return {};
    const QStringList v =
        m.captured(1).split(QRegularExpression(QStringLiteral("[ ,]+")), Qt::SkipEmptyParts);
    if (v.size() != 6) return {};
    return QTransform(v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble(), v[4].toDouble(),
                      v[5].toDouble());
}

// Every x,y pair of a path's d or a polyline's points (QSvgGenerator writes absolute M/L/C commands).
QPolygonF parseNumberPairs(const QString& text) {
    static const QRegularExpression number(QStringLiteral("-?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?"));
    std::vector<double> values;
    for (auto it = number.globalMatch(text); it.hasNext();)
        values.push_back(it.next().captured().toDouble());
    QPolygonF points;
    for (std::size_t i = 0; i + 1 < values.size(); i += 2)
        points.append(QPointF(values[i], values[i + 1]));
    return points;
}

std::vector<SvgShape> svgShapes(const QString& path) {
    struct State {
        QTransform transform;
        QColor stroke, fill;
    };
    std::vector<SvgShape> shapes;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return shapes;
    QXmlStreamReader xml(&file);
    std::vector<State> stack{State{}};
    const auto colorOf = [](QStringView value, const QColor& inherited) {
        if (value.isNull()) return inherited;
        return value == QLatin1String("none") ? QColor() : QColor(value.toString());
    };
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement()) {
            if (stack.size() > 1) stack.pop_back();
            continue;
        }
        if (!xml.isStartElement()) continue;
        const auto attrs = xml.attributes();
        State state = stack.back();
        if (attrs.hasAttribute(QLatin1String("transform")))
            state.transform =
                parseTransform(attrs.value(QLatin1String("transform")).toString()) * state.transform;
        state.stroke = colorOf(attrs.value(QLatin1String("stroke")), state.stroke);
        state.fill = colorOf(attrs.value(QLatin1String("fill")), state.fill);
        stack.push_back(state);
        const QString name = xml.name().toString();
        QString geometry;
        if (name == QLatin1String("path")) geometry = attrs.value(QLatin1String("d")).toString();
        if (name == QLatin1String("polyline") || name == QLatin1String("polygon"))
            geometry = attrs.value(QLatin1String("points")).toString();
        if (geometry.isEmpty()) continue;
        shapes.push_back({name, state.stroke, state.fill, state.transform.map(parseNumberPairs(geometry))});
    }
    return shapes;
}

// A series is drawn in a run's colour; grid, axes and text are grey or black.
bool isRunColored(const SvgShape& shape) {
    const auto chromatic = [](const QColor& c) { return c.isValid() && c.hsvSaturation() > 60; };
    return chromatic(shape.stroke) || chromatic(shape.fill);
}

// The plot area of a chart's SVG when the chart itself is not at hand: the box its grey, axis-parallel grid
// and axis lines span (ticks reach a few pixels beyond, hence the callers' slack).
QRectF gridBox(const std::vector<SvgShape>& shapes) {
    QRectF box;
    for (const SvgShape& shape : shapes) {
        if (isRunColored(shape) || shape.points.size() != 2) continue;
        const QPointF a = shape.points[0], b = shape.points[1];
        if (std::abs(a.x() - b.x()) > 0.01 && std::abs(a.y() - b.y()) > 0.01) continue;
        const QRectF line = QRectF(a, b).normalized();
        box = box.isNull() ? line : box.united(line);
    }
    return box;
}

// Series points farther than slack outside plot, as text for the failure message; counts every series point
// and those on the plot area's edge (where a clipped line ends).
QStringList pointsOutside(const std::vector<SvgShape>& shapes, const QRectF& plot, double slack,
                          int* seriesPoints, int* onBorder) {
    QStringList outside;
    const QRectF allowed = plot.adjusted(-slack, -slack, slack, slack);
    for (const SvgShape& shape : shapes) {
        if (!isRunColored(shape)) continue;
        for (const QPointF& p : shape.points) {
            ++*seriesPoints;
            if (!allowed.contains(p))
                outside << QStringLiteral("%1 %2,%3").arg(shape.element).arg(p.x()).arg(p.y());
            if (std::abs(p.x() - plot.left()) < 0.5 || std::abs(p.x() - plot.right()) < 0.5 ||
                std::abs(p.y() - plot.top()) < 0.5 || std::abs(p.y() - plot.bottom()) < 0.5)
                ++*onBorder;
        }
    }
    return outside;
}

} // namespace

class TestChartExports : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void everyTabExportsEveryFormat();
    void svgSeriesStayInsidePlotArea();
    void exportAllCoversEveryTab();

  private:
    QTemporaryDir m_dir;
};

void TestChartExports::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("RunlensTest");
    QCoreApplication::setApplicationName("runlens-test-chart-exports");
    QVERIFY(m_dir.isValid());
    resetAppState();
}

void TestChartExports::everyTabExportsEveryFormat() {
    MainWindow window;
    showDemo(window);
    if (QTest::currentTestFailed()) return;
    QVERIFY(window.runModel()->rowCount() > 10);

    QTabWidget* tabs = window.tabs();
    int written = 0;
    QStringList tabsWithExports;
    for (int t = 0; t < tabs->count(); ++t) {
        tabs->setCurrentIndex(t);
        QWidget* tab = tabs->widget(t);
        QTest::qWait(300); // views compute off the GUI thread when shown
        QApplication::processEvents();
        const QString tabName = tabs->tabText(t).remove('&');
        bool tabExported = false;
        int cardMenus = 0; // the Curves tab has a menu per card: two of them are enough
        for (QToolButton* button : tab->findChildren<QToolButton*>()) {
            const bool cardMenu = button->text() == QStringLiteral("⋮");
            if (!button->text().startsWith(QLatin1String("Export")) && !cardMenu) continue;
            if (cardMenu && ++cardMenus > 2) continue;
            bringToFront(button);
            QApplication::processEvents();
            if (!button->isVisible() || !button->isEnabled()) continue;
            const int actionCount = [&] {
                QMenu* menu = openExportMenu(button);
                const int n = menu ? static_cast<int>(menu->actions().size()) : 0;
                if (menu) menu->hide();
                return n;
            }();
            for (int a = 0; a < actionCount; ++a) {
                QMenu* menu = openExportMenu(button);
                QVERIFY2(menu, qPrintable(tabName + ": no export menu"));
                QAction* action = menu->actions().value(a);
                if (!action || !isImageAction(action) || !action->isEnabled()) {
                    menu->hide();
                    continue;
                }
                const QString path =
                    m_dir.filePath(QStringLiteral("export-%1.%2").arg(written).arg(suffixOf(action)));
                const QString actionText = action->text(); // a popup menu deletes itself when closed
                qInfo() << tabName << actionText;
                bool answered = false;
                answerNextFileDialog(path, &answered);
                // A click on the entry, as a user does: the menu closes, the dialog runs, the file is
                // written.
                QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
                QTRY_VERIFY2_WITH_TIMEOUT(answered,
                                          qPrintable(tabName + ": no file dialog for " + actionText), 5000);
                QTest::qWait(
                    50); // deferred deletions and repaints run here: a freed menu or chart would crash
                if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                    const QString text = box->text();
                    box->reject(); // fail with the app's reason rather than wait on the modal box
                    QFAIL(qPrintable(QStringLiteral("%1, %2: %3").arg(tabName, actionText, text)));
                }
                const QString problem = fileProblem(path);
                QVERIFY2(problem.isEmpty(),
                         qPrintable(QStringLiteral("%1, %2: %3").arg(tabName, actionText, problem)));
                ++written;
                tabExported = true;
            }
        }
        if (tabExported) tabsWithExports << tabName;
    }
    qInfo() << "exported" << written << "files from" << tabsWithExports;
    for (const char* expected :
         {"Curves", "Calibration", "Trade-offs", "Slices", "Compare", "Learning curve", "Sweep"})
        QVERIFY2(tabsWithExports.contains(QLatin1String(expected)), expected);
}

void TestChartExports::svgSeriesStayInsidePlotArea() {
    MainWindow window;
    showDemo(window);
    if (QTest::currentTestFailed()) return;

    // Curves: each card's export with the robust y range, so the raw lines' spikes leave the axis range and
    // must end at the plot area's edge; the plot area is the exported chart's own.
    QVERIFY(!window.curvesView()->cards().isEmpty());
    int clippedCards = 0;
    for (ChartCard* card : window.curvesView()->cards()) {
        CurveChartSpec spec = card->exportSpec(ChartCard::kExportWidth);
        spec.robustYRange = true;
        const std::unique_ptr<QChart> chart(buildCurveChart(spec));
        const QString path =
            m_dir.filePath(QStringLiteral("clip-%1.svg").arg(ChartCard::safeFileName(card->tag())));
        QString error;
        QVERIFY2(
            exportChart(chart.get(), QSize(ChartCard::kExportWidth, ChartCard::kExportHeight), path, &error),
            qPrintable(error));
        QCOMPARE(xmlProblem(path), QString());
        const QRectF plot = chart->plotArea();
        QVERIFY(plot.width() > 500 && plot.height() > 300);
        int points = 0, border = 0;
        const QStringList outside = pointsOutside(svgShapes(path), plot, 0.5, &points, &border);
        QVERIFY2(outside.isEmpty(), qPrintable(card->tag() + ": " + outside.mid(0, 5).join("; ")));
        // Learning-curve cards draw their few fold scores as logged (no smoothed or raw copy of them).
        const bool learningCurve = card->tag().startsWith(QLatin1String("learning_curve/"));
        QVERIFY2(points > (learningCurve ? 4 : 20),
                 qPrintable(card->tag() + QString(": %1 points").arg(points)));
        if (border > 0) ++clippedCards;
    }
    // The demo's noisy raw lines do leave the robust range: some card was really cut at the edge.
    QVERIFY(clippedCards > 0);

    // A log y axis and a wall-clock x axis map points differently; a spike leaves the robust range and the
    // band goes through the clipped area path.
    for (const bool logY : {false, true}) {
        CurveChartSpec spec;
        spec.title = QStringLiteral("<b>spike</b> & band");
        spec.logY = logY;
        spec.xIsWallTime = !logY;
        spec.robustYRange = true;
        CurveLine line;
        line.runName = QStringLiteral("run");
        line.color = runColor(0);
        CurveBand band{QStringLiteral("band"), runColor(1), {}, {}, {}};
        for (int i = 0; i < 200; ++i) {
            const double x = 1.7e9 + 60.0 * i, y = 1.0 + 0.001 * i;
            line.smoothX.push_back(x);
            line.smoothY.push_back(i == 100 ? 1e4 : y); // one spike far above the robust range
            band.x.push_back(x);
            band.lower.push_back(y * 0.2);
            band.upper.push_back(y * 5.0);
        }
        spec.lines.push_back(line);
        spec.bands.push_back(band);
        const std::unique_ptr<QChart> chart(buildCurveChart(spec));
        const QString path = m_dir.filePath(QStringLiteral("clip-synthetic-%1.svg").arg(logY));
        QString error;
        QVERIFY2(exportChart(chart.get(), QSize(900, 600), path, &error), qPrintable(error));
        QCOMPARE(xmlProblem(path), QString());
        int points = 0, border = 0;
        const QStringList outside = pointsOutside(svgShapes(path), chart->plotArea(), 0.5, &points, &border);
        QVERIFY2(outside.isEmpty(), qPrintable(outside.mid(0, 5).join("; ")));
        QVERIFY(points > 200);
        QVERIFY(border >= 2); // the spike is cut where it leaves and re-enters
    }

    // Calibration and Slices, through their own export calls; the plot area is read off the grid lines.
    auto* calibration = window.findChild<CalibrationView*>();
    auto* slices = window.findChild<SlicesView*>();
    QVERIFY(calibration && slices);
    QString error;
    window.tabs()->setCurrentWidget(calibration);
    const QString calibrationSvg = m_dir.filePath(QStringLiteral("clip-calibration.svg"));
    QTRY_VERIFY_WITH_TIMEOUT(calibration->exportReliabilityImage(calibrationSvg, &error), 20000);
    window.tabs()->setCurrentWidget(slices);
    const QString slicesSvg = m_dir.filePath(QStringLiteral("clip-slices.svg"));
    QTRY_VERIFY_WITH_TIMEOUT(slices->exportChartImage(slicesSvg, &error), 20000);
    for (const QString& path : {calibrationSvg, slicesSvg}) {
        QCOMPARE(xmlProblem(path), QString());
        const std::vector<SvgShape> shapes = svgShapes(path);
        const QRectF plot = gridBox(shapes);
        QVERIFY2(plot.width() > 300 && plot.height() > 200, qPrintable(path));
        int points = 0, border = 0;
        const QStringList outside = pointsOutside(shapes, plot, 1.0, &points, &border);
        QVERIFY2(outside.isEmpty(), qPrintable(path + ": " + outside.mid(0, 5).join("; ")));
        QVERIFY2(points > 4, qPrintable(path));
    }
}

// File > Export All Charts on the demo: the Curves cards, then each tab with something to show in its own
// folder, every chart as PNG, SVG and PDF (each a valid file) and its tables as CSV; no error.
void TestChartExports::exportAllCoversEveryTab() {
    MainWindow window;
    showDemo(window);
    QTabWidget* tabs = window.tabs();
    for (int t = 0; t < tabs->count(); ++t) {
        tabs->setCurrentIndex(t);
        QTest::qWait(300); // views compute off the GUI thread when shown
    }
    QTest::qWait(1000);
    const QString dir = m_dir.filePath("all");
    QStringList errors;
    const QStringList written = window.exportAllCharts(dir, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    for (const char* file :
         {"train_loss.pdf", "Calibration/reliability.png", "Calibration/reliability.svg",
          "Calibration/metrics.csv", "Trade-offs/roc.pdf", "Trade-offs/precision_recall.svg",
          "Trade-offs/risk_coverage.png", "Slices/slices.png", "Slices/slices.csv", "Compare/runs.csv",
          "Compare/curves.svg", "Learning_curve/learning_curve.pdf", "Sweep/parallel_coordinates.png",
          "Sweep/runs.csv", "Cost/cost_quality.pdf", "Cost/points.csv"}) {
        const QString path = QDir(dir).filePath(file);
        QVERIFY2(written.contains(path), file);
        if (!path.endsWith(".csv"))
            QVERIFY2(fileProblem(path).isEmpty(), qPrintable(file + (": " + fileProblem(path))));
    }
}

QTEST_MAIN(TestChartExports)
#include "test_chart_exports.moc"
