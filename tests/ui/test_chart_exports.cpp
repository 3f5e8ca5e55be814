// Exports every chart of every tab the way a user does (export button, menu entry, file dialog) on the demo
// experiment, and checks each written file: PNG decodes, SVG is well-formed XML, PDF has its header and
// trailer.
#include "ui/main_window.h"
#include "ui/run_table_model.h"
#include "ui/standard_views.h"

#include <functional>
#include <QAbstractButton>
#include <QFileDialog>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
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

} // namespace

class TestChartExports : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void everyTabExportsEveryFormat();

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
    addStandardViews(window);
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openDemo();
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 120000);
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

QTEST_MAIN(TestChartExports)
#include "test_chart_exports.moc"
