// Tests of the GUI's folder watch: background polls deliver runsChanged, stop() waits, bad input is refused.
#include "core/store/workspace.h"
#include "ui/shell/watch_controller.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using runlens::ui::WatchController;

namespace {

bool writeText(const QString& path, const QByteArray& text, bool append) {
    QFile file(path);
    if (!file.open(append ? QIODevice::Append : QIODevice::WriteOnly)) return false;
    return file.write(text) == text.size();
}

} // namespace

class TestWatchController : public QObject {
    Q_OBJECT
  private slots:
    void pollsDeliverNewRows();
    void refusesBadInput();
};

void TestWatchController::pollsDeliverNewRows() {
    QTemporaryDir tmp;
    const QString ws = tmp.filePath("ws.runlens");
    Workspace::create(ws.toStdString()); // the window's own connection would be open like this one
    QVERIFY(QDir().mkpath(tmp.filePath("logs/run_a")));
    const QString csv = tmp.filePath("logs/run_a/metrics.csv");
    QVERIFY(writeText(csv, "step,loss\n0,1\n1,0.5\n", false));

    WatchController controller;
    QSignalSpy changed(&controller, &WatchController::runsChanged);
    QSignalSpy watching(&controller, &WatchController::watchingChanged);
    QVERIFY(controller.start(ws, {tmp.filePath("logs")}, 100));
    QVERIFY(controller.isWatching());
    QCOMPARE(watching.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList{"run_a"});
    QCOMPARE(changed.at(0).at(1).toLongLong(), 2);

    // Idle polls emit nothing; an appended row arrives with the next poll.
    QTest::qWait(400);
    QCOMPARE(changed.count(), 1);
    QVERIFY(writeText(csv, "2,0.25\n", true));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000);
    QCOMPARE(changed.at(1).at(1).toLongLong(), 1);

    controller.pollNow(); // F5 while idle: a poll that finds nothing
    controller.stop();
    QVERIFY(!controller.isWatching());
    QVERIFY(!controller.isPolling());
    QCOMPARE(watching.count(), 2);

    const auto workspace = Workspace::open(ws.toStdString(), Workspace::Mode::ReadOnly);
    const auto id = workspace->runId("run_a");
    QVERIFY(id);
    QCOMPARE(workspace->readSeries(*id, "loss").values, (std::vector<double>{1, 0.5, 0.25}));
}

void TestWatchController::refusesBadInput() {
    QTemporaryDir tmp;
    WatchController controller;
    QVERIFY(!controller.start(tmp.filePath("missing.runlens"), {tmp.path()}, 100));
    QVERIFY(!controller.lastError().isEmpty());
    QVERIFY(!controller.isWatching());
    const QString ws = tmp.filePath("ws.runlens");
    Workspace::create(ws.toStdString());
    QVERIFY(!controller.start(ws, {}, 100));
    QVERIFY(!controller.isWatching());
}

QTEST_MAIN(TestWatchController)
#include "test_watch_controller.moc"
