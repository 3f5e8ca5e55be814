// Tests of live watching: grown CSV and event files read on, new run folders, idle polls, restart semantics.
#include "core/import/folder_watch.h"
#include "core/store/restart_semantics.h"
#include "tests/common/tfevents_writer.h"

#include <fstream>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& p, const std::string& bytes, bool append = false) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    out << bytes;
}

SeriesData series(const Workspace& ws, const std::string& run, const std::string& tag) {
    const auto id = ws.runId(run);
    if (!id) return {};
    return ws.readSeries(*id, tag);
}

std::optional<SeriesSummary> summaryOf(const Workspace& ws, const std::string& run, const std::string& tag) {
    const auto id = ws.runId(run);
    if (!id) return std::nullopt;
    const auto info = ws.run(*id); // kept alive: a range-for over a temporary's member would dangle
    if (!info) return std::nullopt;
    for (const auto& s : info->series)
        if (s.tag == tag) return s;
    return std::nullopt;
}

// One scalar event per step: value = base + step, exactly representable as float.
std::string events(std::int64_t first, std::int64_t last, double base) {
    std::string out;
    for (std::int64_t step = first; step <= last; ++step)
        out += tfw::eventRecord(1.7e9 + double(step), step,
                                {tfw::simpleValue("loss", static_cast<float>(base + double(step)))});
    return out;
}

QList<qint64> stepsOf(const SeriesData& data) {
    return QList<qint64>(data.steps.begin(), data.steps.end());
}

QList<qint64> range(qint64 first, qint64 last) {
    QList<qint64> out;
    for (qint64 s = first; s <= last; ++s)
        out << s;
    return out;
}

struct Fixture {
    QTemporaryDir tmp;
    fs::path root;
    std::unique_ptr<Workspace> ws;

    Fixture() {
        root = fs::path(tmp.path().toStdString()) / "live";
        fs::create_directories(root);
        ws = Workspace::create(fs::path(tmp.path().toStdString()) / "ws.runlens");
    }
};

} // namespace

class TestFolderWatch : public QObject {
    Q_OBJECT
  private slots:
    void keepMask_data();
    void keepMask();
    void csvRowsAppended();
    void idlePollImportsNothing();
    void newRunFolder();
    void truncatedEventCompletedLater();
    void restartAcrossFiles();
    void restartSpanningChunks();
    void withoutRestartSemanticsEverythingStays();
};

void TestFolderWatch::keepMask_data() {
    QTest::addColumn<QList<qint64>>("steps");
    QTest::addColumn<QList<bool>>("keep");
    // Worked by hand with TensorBoard's rule: a point whose step is below the previous one is a restart at
    // that step and drops every earlier point at that step or later.
    QTest::newRow("empty") << QList<qint64>{} << QList<bool>{};
    QTest::newRow("monotone") << QList<qint64>{1, 2, 3} << QList<bool>{true, true, true};
    // Equal steps are not a restart (TensorBoard compares with "<").
    QTest::newRow("equal steps") << QList<qint64>{5, 5} << QList<bool>{true, true};
    // Restart at 3 drops the old 3, 4, 5; the new 3, 4 stay.
    QTest::newRow("one restart") << QList<qint64>{1, 2, 3, 4, 5, 3, 4}
                                 << QList<bool>{true, true, false, false, false, true, true};
    // Restart at 5 after 7 drops the earlier 5 (equal) and 7.
    QTest::newRow("restart to equal") << QList<qint64>{5, 7, 5} << QList<bool>{false, false, true};
    // Restarts at 1 (after 3) and at 0 (after 5): the second drops everything before it.
    QTest::newRow("two restarts") << QList<qint64>{0, 1, 2, 3, 1, 2, 5, 0, 1}
                                  << QList<bool>{false, false, false, false, false, false, false, true, true};
    // A restart at 4 leaves 1..3 of the first attempt; the later restart at 6 drops 6, 7 of the second.
    QTest::newRow("nested") << QList<qint64>{1, 2, 3, 4, 5, 4, 5, 6, 7, 6}
                            << QList<bool>{true, true, true, false, false, true, true, false, false, true};
}

void TestFolderWatch::keepMask() {
    QFETCH(QList<qint64>, steps);
    QFETCH(QList<bool>, keep);
    const std::vector<std::int64_t> s(steps.begin(), steps.end());
    const std::vector<bool> mask = restartKeepMask(s);
    QCOMPARE(QList<bool>(mask.begin(), mask.end()), keep);
}

void TestFolderWatch::csvRowsAppended() {
    Fixture f;
    const fs::path csv = f.root / "run_a" / "metrics.csv";
    writeFile(csv, "step,wall_time,loss\n0,100,1.0\n1,101,0.5\n");
    WatchSession session({f.root});

    const PollResult first = session.poll(*f.ws);
    QVERIFY(first.changed);
    QCOMPARE(first.summary.report.points, 2);
    QCOMPARE(first.summary.runs, std::set<std::string>{"run_a"});

    writeFile(csv, "2,102,0.25\n3,103,0.125\n", true);
    const PollResult second = session.poll(*f.ws);
    QVERIFY(second.changed);
    QCOMPARE(second.summary.report.points, 2); // only the appended rows were read
    QCOMPARE(second.pointsAdded(), 2);
    QCOMPARE(second.summary.runs, std::set<std::string>{"run_a"});
    QVERIFY(second.foundSomething());

    const SeriesData data = series(*f.ws, "run_a", "loss");
    QCOMPARE(stepsOf(data), range(0, 3));
    QCOMPARE(data.values, (std::vector<double>{1.0, 0.5, 0.25, 0.125}));
    QCOMPARE(data.wallTimes, (std::vector<double>{100, 101, 102, 103}));
}

void TestFolderWatch::idlePollImportsNothing() {
    Fixture f;
    // 1,000 small files over 20 runs: the idle poll must not import any of them again.
    for (int run = 0; run < 20; ++run)
        for (int file = 0; file < 50; ++file)
            writeFile(f.root / ("run_" + std::to_string(run)) / ("m" + std::to_string(file) + ".csv"),
                      "step,value\n0," + std::to_string(file) + "\n");
    WatchSession session({f.root});
    const PollResult first = session.poll(*f.ws);
    QCOMPARE(first.summary.filesRead, 1000);
    QCOMPARE(first.summary.runs.size(), std::size_t(20));
    const std::uint64_t before = treeFingerprint(f.root);

    const PollResult idle = session.poll(*f.ws);
    QVERIFY(!idle.changed);
    QCOMPARE(idle.rootsImported, 0);
    QCOMPARE(idle.summary.report.points, 0);
    QCOMPARE(idle.summary.filesRead, 0);
    QVERIFY(idle.summary.runs.empty());
    QVERIFY(!idle.foundSomething());
    QCOMPARE(treeFingerprint(f.root), before);

    // A hidden file is skipped by the importer, so it does not count as a change either.
    writeFile(f.root / "run_0" / ".lock", "x");
    QVERIFY(!session.poll(*f.ws).changed);

    // Invalidating forces an import; every file is then found unchanged through its stored size and mtime.
    session.invalidate();
    const PollResult forced = session.poll(*f.ws);
    QVERIFY(forced.changed);
    QCOMPARE(forced.summary.filesUnchanged, 1000);
    QCOMPARE(forced.summary.report.points, 0);
    QCOMPARE(session.polls(), 4);
}

void TestFolderWatch::newRunFolder() {
    Fixture f;
    writeFile(f.root / "run_a" / "metrics.csv", "step,acc\n0,0.5\n");
    WatchSession session({f.root});
    QCOMPARE(session.poll(*f.ws).summary.runs, std::set<std::string>{"run_a"});

    writeFile(f.root / "sweep" / "run_b" / "metrics.csv", "step,acc\n0,0.25\n1,0.75\n");
    const PollResult next = session.poll(*f.ws);
    QCOMPARE(next.summary.runs, std::set<std::string>{"sweep/run_b"});
    QCOMPARE(next.summary.report.points, 2);
    QCOMPARE(next.summary.filesUnchanged, 1); // run_a's file was not read again
    QCOMPARE(series(*f.ws, "sweep/run_b", "acc").values, (std::vector<double>{0.25, 0.75}));
    QCOMPARE(series(*f.ws, "run_a", "acc").values, (std::vector<double>{0.5}));
    QCOMPARE(f.ws->runs().size(), std::size_t(2));
}

void TestFolderWatch::truncatedEventCompletedLater() {
    Fixture f;
    const fs::path file = f.root / "tb" / "events.out.tfevents.1700000000.host";
    const std::string head = tfw::fileVersionRecord(1.7e9) + events(1, 2, 0.5);
    const std::string third = events(3, 3, 0.5);
    // The writer has flushed the first 10 bytes of record 3 only (inside its 12-byte header).
    writeFile(file, head + third.substr(0, 10));
    WatchSession session({f.root});
    const PollResult first = session.poll(*f.ws);
    QCOMPARE(first.summary.report.points, 2);
    QVERIFY(!first.summary.report.hasErrors());

    // Still incomplete, now inside the payload.
    writeFile(file, third.substr(10, 8), true);
    const PollResult partial = session.poll(*f.ws);
    QVERIFY(partial.changed);
    QCOMPARE(partial.summary.report.points, 0);

    writeFile(file, third.substr(18) + events(4, 4, 0.5), true);
    const PollResult done = session.poll(*f.ws);
    QCOMPARE(done.summary.report.points, 2);
    const SeriesData data = series(*f.ws, "tb", "loss");
    QCOMPARE(stepsOf(data), range(1, 4)); // record 3 read once: no duplicate points
    QCOMPARE(data.values, (std::vector<double>{1.5, 2.5, 3.5, 4.5}));
    QVERIFY(!session.poll(*f.ws).changed);
}

void TestFolderWatch::restartAcrossFiles() {
    Fixture f;
    const fs::path run = f.root / "run";
    writeFile(run / "events.out.tfevents.100.host", tfw::fileVersionRecord(1.7e9) + events(1, 10, 0));
    ImportOptions options;
    options.restartSemantics = true;
    WatchSession session({f.root}, options);
    QCOMPARE(session.poll(*f.ws).summary.report.points, 10);

    // The run restarts from a checkpoint at step 5: the new file logs 6..8 again with other values.
    const fs::path second = run / "events.out.tfevents.200.host";
    writeFile(second, tfw::fileVersionRecord(1.7e9) + events(6, 8, 100));
    const PollResult restarted = session.poll(*f.ws);
    QCOMPARE(restarted.summary.report.points, 3);
    QCOMPARE(restarted.pointsSuperseded, 5); // old steps 6..10
    QCOMPARE(restarted.pointsAdded(), -2);
    SeriesData data = series(*f.ws, "run", "loss");
    QCOMPARE(stepsOf(data), range(1, 8));
    QCOMPARE(data.values, (std::vector<double>{1, 2, 3, 4, 5, 106, 107, 108}));

    // Training goes on past the old end: nothing more is superseded.
    writeFile(second, events(9, 12, 100), true);
    const PollResult grown = session.poll(*f.ws);
    // Two event files in one folder may be trials (core/import/importer.h), so the grown file is read whole
    // again: its 3 earlier points and the 4 new ones.
    QCOMPARE(grown.summary.report.points, 7);
    QCOMPARE(grown.pointsSuperseded, 0);
    data = series(*f.ws, "run", "loss");
    QCOMPARE(stepsOf(data), range(1, 12));
    QCOMPARE(data.values, (std::vector<double>{1, 2, 3, 4, 5, 106, 107, 108, 109, 110, 111, 112}));
    const auto summary = summaryOf(*f.ws, "run", "loss");
    QVERIFY(summary);
    QCOMPARE(summary->points, 12);
    QCOMPARE(summary->lastStep, 12);
    QCOMPARE(summary->last, 112.0);
    QCOMPARE(summary->max, 112.0);
    QCOMPARE(summary->min, 1.0);
}

void TestFolderWatch::restartSpanningChunks() {
    Fixture f;
    const fs::path run = f.root / "long";
    // 10,000 points fill chunks [0..4095], [4096..8191], [8192..9999] (4,096 points a chunk); the restart
    // at 5,000 keeps part of the second chunk and none of the third.
    writeFile(run / "events.out.tfevents.1.host", events(0, 9999, 0));
    writeFile(run / "events.out.tfevents.2.host", events(5000, 5999, 0.5));
    ImportOptions options;
    options.restartSemantics = true;
    const fs::path roots[] = {f.root};
    const WorkspaceImport imported =
        importIntoWorkspace(roots, ReaderRegistry::withBuiltins(), *f.ws, options);
    QCOMPARE(imported.summary.report.points, 11000);
    QCOMPARE(imported.pointsSuperseded, 5000);
    const SeriesData data = series(*f.ws, "long", "loss");
    QCOMPARE(data.size(), std::size_t(6000));
    for (std::size_t i = 0; i < data.size(); ++i) {
        QCOMPARE(data.steps[i], std::int64_t(i));
        QCOMPARE(data.values[i], double(i) + (i >= 5000 ? 0.5 : 0.0));
    }
    const auto summary = summaryOf(*f.ws, "long", "loss");
    QVERIFY(summary);
    QCOMPARE(summary->points, 6000);
    QCOMPARE(summary->lastStep, 5999);
    QCOMPARE(summary->last, 5999.5);
    // A second pass finds nothing left to drop.
    QCOMPARE(applyRestartSemantics(*f.ws, {"long"}).pointsDropped, 0);
}

void TestFolderWatch::withoutRestartSemanticsEverythingStays() {
    Fixture f;
    const fs::path run = f.root / "run";
    writeFile(run / "events.out.tfevents.100.host", events(1, 10, 0));
    writeFile(run / "events.out.tfevents.200.host", events(6, 8, 100));
    WatchSession session({f.root});
    const PollResult result = session.poll(*f.ws);
    QCOMPARE(result.pointsSuperseded, 0);
    QCOMPARE(series(*f.ws, "run", "loss").size(), std::size_t(13));
}

QTEST_APPLESS_MAIN(TestFolderWatch)
#include "test_folder_watch.moc"
