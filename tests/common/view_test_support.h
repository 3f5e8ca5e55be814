// What the offscreen view tests share: a clean settings and data folder per test program, files written in
// one call, and the window with one view tab that each view test opens.
#pragma once

#include "ui/shell/main_window.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

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

} // namespace runlens::test
