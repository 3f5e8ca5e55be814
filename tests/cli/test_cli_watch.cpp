// End-to-end tests of `runlens import --watch` and `--restart-semantics`: the built binary on CSV logs
// written here, with rows appended while it watches.
#include "tests/common/cli_runner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <signal.h>

namespace {

using Result = runlens::test::CliResult;

// Each watch command ends by itself within seconds; a minute means it hung.
Result runRunlens(const QStringList& args) {
    return runlens::test::runRunlens(args, 60000);
}

bool writeText(const QString& path, const QByteArray& text, bool append) {
    QFile file(path);
    if (!file.open(append ? QIODevice::Append : QIODevice::WriteOnly)) return false;
    return file.write(text) == text.size();
}

// The values of one series as `runlens series --csv` prints them (column 3), or empty when not there yet.
QList<double> seriesValues(const QString& ws, const QString& run, const QString& tag) {
    const Result r = runRunlens({"series", "-w", ws, "--run", run, "--tag", tag, "--csv"});
    QList<double> values;
    if (r.code != 0) return values;
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i)
        values << lines[i].split(',').value(2).toDouble();
    return values;
}

QList<qint64> seriesSteps(const QString& ws, const QString& run, const QString& tag) {
    const Result r = runRunlens({"series", "-w", ws, "--run", run, "--tag", tag, "--csv"});
    QList<qint64> steps;
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i)
        steps << lines[i].split(',').value(0).toLongLong();
    return steps;
}

// Waits for one complete stdout line of a running process.
QByteArray readLine(QProcess& process, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!process.canReadLine() && timer.elapsed() < timeoutMs)
        process.waitForReadyRead(100);
    return process.canReadLine() ? process.readLine().trimmed() : QByteArray();
}

} // namespace

class TestCliWatch : public QObject {
    Q_OBJECT
  private slots:
    void appendedRowsArriveWhileWatching();
    void jsonLinesAndCleanInterrupt();
    void watchOptionsNeedWatch();
    void restartSemanticsOption();
};

void TestCliWatch::appendedRowsArriveWhileWatching() {
    QTemporaryDir tmp;
    const QString logs = tmp.filePath("logs");
    const QString ws = tmp.filePath("ws.runlens");
    QVERIFY(QDir().mkpath(logs + "/run_a"));
    const QString csv = logs + "/run_a/metrics.csv";
    QVERIFY(writeText(csv, "step,wall_time,loss\n0,100,1\n1,101,0.5\n2,102,0.25\n", false));

    QProcess watcher;
    watcher.start(QStringLiteral(RUNLENS_BIN),
                  {"import", logs, "-w", ws, "--watch", "--interval", "1", "--watch-seconds", "8"});
    QVERIFY(watcher.waitForStarted(30000));
    QThread::msleep(2000);
    QVERIFY(writeText(csv, "3,103,0.125\n4,104,0.0625\n", true));

    // Within 5 s the appended rows must be in the workspace, after the three imported at the start.
    const QList<double> expected{1, 0.5, 0.25, 0.125, 0.0625};
    QElapsedTimer timer;
    timer.start();
    QList<double> values;
    while (timer.elapsed() < 5000) {
        values = seriesValues(ws, "run_a", "loss");
        if (values.size() >= expected.size()) break;
        QThread::msleep(200);
    }
    QCOMPARE(values, expected);

    QVERIFY2(watcher.waitForFinished(15000), "the watch did not stop after --watch-seconds");
    QCOMPARE(watcher.exitStatus(), QProcess::NormalExit);
    QCOMPARE(watcher.exitCode(), 0);
    const QByteArray out = watcher.readAllStandardOutput();
    QVERIFY2(out.startsWith("Imported 3 points"), out.constData());
    QVERIFY2(out.contains("+2 points in 1 run(s): run_a"), out.constData());
    QVERIFY(watcher.readAllStandardError().contains("Stopped watching"));
}

void TestCliWatch::jsonLinesAndCleanInterrupt() {
    QTemporaryDir tmp;
    const QString logs = tmp.filePath("logs");
    const QString ws = tmp.filePath("ws.runlens");
    QVERIFY(QDir().mkpath(logs + "/run_a"));
    const QString csv = logs + "/run_a/metrics.csv";
    QVERIFY(writeText(csv, "step,acc\n0,0.5\n", false));

    QProcess watcher;
    watcher.start(QStringLiteral(RUNLENS_BIN),
                  {"import", logs, "-w", ws, "--watch", "--interval", "0.2", "--json"});
    QVERIFY(watcher.waitForStarted(30000));
    const QByteArray firstLine = readLine(watcher, 10000);
    QJsonParseError error;
    const QJsonObject first = QJsonDocument::fromJson(firstLine, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, firstLine.constData());
    QCOMPARE(first.value("points").toInt(), 1);
    QCOMPARE(first.value("runs_added").toInt(), 1);

    QVERIFY(writeText(csv, "1,0.75\n2,0.875\n", true));
    const QByteArray pollLine = readLine(watcher, 10000);
    const QJsonObject poll = QJsonDocument::fromJson(pollLine, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, pollLine.constData());
    QCOMPARE(poll.value("points").toInt(), 2);
    QCOMPARE(poll.value("runs").toArray(), QJsonArray{"run_a"});
    QCOMPARE(poll.value("errors").toArray().size(), 0);
    QVERIFY(poll.value("time").toString().endsWith('Z'));

    // Ctrl+C ends the watch cleanly: exit 0, no further output on stdout.
    QCOMPARE(::kill(static_cast<pid_t>(watcher.processId()), SIGINT), 0);
    QVERIFY2(watcher.waitForFinished(5000), "SIGINT did not stop the watch");
    QCOMPARE(watcher.exitStatus(), QProcess::NormalExit);
    QCOMPARE(watcher.exitCode(), 0);
    QVERIFY(watcher.readAllStandardOutput().trimmed().isEmpty());
    QCOMPARE(seriesValues(ws, "run_a", "acc"), (QList<double>{0.5, 0.75, 0.875}));
}

void TestCliWatch::watchOptionsNeedWatch() {
    QTemporaryDir tmp;
    QVERIFY(writeText(tmp.filePath("m.csv"), "step,acc\n0,0.5\n", false));
    const Result r =
        runRunlens({"import", tmp.filePath("m.csv"), "-w", tmp.filePath("ws.runlens"), "--interval", "1"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--watch"));
    const Result bad = runRunlens(
        {"import", tmp.filePath("m.csv"), "-w", tmp.filePath("ws.runlens"), "--watch", "--interval", "0"});
    QCOMPARE(bad.code, 2);
}

void TestCliWatch::restartSemanticsOption() {
    QTemporaryDir tmp;
    // A run that restarted from step 2 inside one log: worked by hand with TensorBoard's rule, the restart at
    // step 2 replaces the earlier steps 2 and 3, leaving steps 1..4 with values 1, 20, 30, 40.
    const QByteArray log = "step,loss\n1,1\n2,2\n3,3\n2,20\n3,30\n4,40\n";
    QVERIFY(QDir().mkpath(tmp.filePath("a/run")));
    QVERIFY(QDir().mkpath(tmp.filePath("b/run")));
    QVERIFY(writeText(tmp.filePath("a/run/metrics.csv"), log, false));
    QVERIFY(writeText(tmp.filePath("b/run/metrics.csv"), log, false));

    const QString restartWs = tmp.filePath("restart.runlens");
    const Result with = runRunlens({"import", tmp.filePath("a"), "-w", restartWs, "--restart-semantics"});
    QCOMPARE(with.code, 0);
    QCOMPARE(seriesSteps(restartWs, "run", "loss"), (QList<qint64>{1, 2, 3, 4}));
    QCOMPARE(seriesValues(restartWs, "run", "loss"), (QList<double>{1, 20, 30, 40}));

    const QString plainWs = tmp.filePath("plain.runlens");
    QCOMPARE(runRunlens({"import", tmp.filePath("b"), "-w", plainWs}).code, 0);
    QCOMPARE(seriesValues(plainWs, "run", "loss"), (QList<double>{1, 2, 3, 20, 30, 40}));
}

QTEST_GUILESS_MAIN(TestCliWatch)
#include "test_cli_watch.moc"
