// What the offscreen view tests share: a clean settings and data folder per test program, files written in
// one call, the workspace imported once, and the window with one view tab that each view test opens.
#pragma once

#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QtTest>
#include <set>

namespace runlens::test {

// Test-mode settings and data under the given application name, emptied now and by resetAppState().
inline void resetAppState() {
    QSettings().clear();
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (data.contains(QLatin1String(".qttest"))) QDir(data).removeRecursively();
}

inline void beginViewTest(const char* applicationName) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("RunlensTest");
    QCoreApplication::setApplicationName(applicationName);
    resetAppState();
}

// Writes text to path, creating its folder; a QVERIFY failure when it cannot.
inline void writeTestFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// Whether an exported or grabbed image shows a chart rather than a blank: more than eight colours among the
// pixels sampled every stride pixels in both directions.
inline bool imageHasContent(const QImage& image, int stride = 3) {
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += stride)
        for (int x = 0; x < image.width(); x += stride) {
            colours.insert(image.pixel(x, y));
            if (colours.size() > 8) return true;
        }
    return false;
}

// Creates workspace and imports logs into it through a window, as a user would; the tests then reopen it.
// runs >= 0 checks how many runs the import made.
inline void importIntoNewWorkspace(const QString& workspace, const QString& logs, int runs = -1) {
    ui::MainWindow window;
    QVERIFY(window.createWorkspace(workspace));
    window.importPaths({logs});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    if (runs >= 0) QCOMPARE(window.runModel()->rowCount(), runs);
}

// Opens workspace in window, then adds a View tab titled title, shows it and waits until the view is idle.
// view stays null when the workspace does not open.
template <typename View>
void openWorkspaceWithView(ui::MainWindow& window, View*& view, const QString& workspace,
                           const QString& title) {
    window.resize(1400, 900);
    QString error;
    QVERIFY2(window.openWorkspace(workspace, &error), qPrintable(error));
    view = new View(window.viewContext());
    window.addViewTab(view, title);
    window.tabs()->setCurrentWidget(view);
    window.show();
    QTRY_VERIFY(!view->isBusy());
}

// Adds a View tab titled title first and then opens workspace (the view fills in as the workspace loads),
// shows the window and waits until the view leaves its empty state.
template <typename View>
void addViewThenOpenWorkspace(ui::MainWindow& window, View*& view, const QString& title,
                              const QString& workspace) {
    window.resize(1400, 900);
    view = new View(window.viewContext());
    window.addViewTab(view, title);
    QVERIFY(window.openWorkspace(workspace));
    window.tabs()->setCurrentWidget(view);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(!view->showsEmptyState());
}

} // namespace runlens::test
