// Tests of W&B run folders (wandb/run-*/): the JSON files of older clients, the .wandb log next to them, the
// latest-run link, and the real folders imported whole.
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/wandb_run_reader.h"
#include "tests/common/wandb_log_writer.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <set>

using namespace runlens;
namespace fs = std::filesystem;
namespace wt = wandbtest;

namespace {

const QString kReal = QStringLiteral(RUNLENS_REAL_DATA) + QStringLiteral("/wandb");

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

ImportSummary importDir(const fs::path& dir, MemoryTarget& target) {
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const std::vector<fs::path> paths = {dir};
    return importPaths(paths, registry, target);
}

bool hasIssue(const ReadReport& report, IssueKind kind, const std::string& text) {
    for (const ReadIssue& issue : report.issues)
        if (issue.kind == kind && issue.message.find(text) != std::string::npos) return true;
    return false;
}

// A run folder as a W&B client before 0.10 wrote it (files/ holds the JSON files). The run started at
// 1600000000 = 2020-09-13T12:26:40Z: every history row has _timestamp - _runtime = 1600000000.
void writeJsonRun(const fs::path& run, bool withHistory = true) {
    std::string history;
    if (withHistory) {
        history = "{\"_step\": 0, \"_runtime\": 5, \"_timestamp\": 1600000005, \"loss\": 0.9, \"acc\": 0.1}\n"
                  "{\"_step\": 1, \"_runtime\": 6, \"_timestamp\": 1600000006, \"loss\": 0.5, "
                  "\"examples\": {\"_type\": \"images\", \"width\": 32, \"count\": 4}, \"note\": \"text\"}\n"
                  "{\"_step\": 2, \"_runtime\": 7.5, \"_timestamp\": 1600000007.5, \"loss\": NaN, "
                  "\"val\": {\"loss\": 0.7}}\n";
    }
    writeText(run / "files" / "wandb-history.jsonl", history);
    writeText(
        run / "files" / "wandb-summary.json",
        "{\"loss\": 0.25, \"acc\": 0.1, \"_runtime\": 8, \"_step\": 2, \"_timestamp\": 1600000008,"
        " \"graph_0\": {\"_type\": \"graph-file\", \"path\": \"media/graph/graph_0_summary.graph.json\","
        " \"size\": 2201}, \"best\": {\"acc\": 0.4}}");
    writeText(run / "files" / "config.yaml",
              "wandb_version: 1\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.9.7\n"
              "lr:\n  desc: null\n  value: 0.01\nmodel:\n  desc: null\n  value:\n    depth: 3\n");
    writeText(
        run / "files" / "wandb-events.jsonl",
        "{\"system.cpu\": 12.5, \"system.gpu.0.gpu\": 80, \"_wandb\": true, \"_timestamp\": 1600000010.2, "
        "\"_runtime\": 10.2}\n"
        "{\"system.cpu\": 30.0, \"_wandb\": true, \"_timestamp\": 1600000039.9, \"_runtime\": 39.9}\n");
    writeText(run / "files" / "wandb-metadata.json",
              "{\"startedAt\": \"2020-09-13T12:26:40.000000\", \"host\": \"box\", \"program\": \"train.py\","
              " \"git\": {\"remote\": \"https://example.org/r.git\", \"commit\": \"0123abcd\"}}");
}

// A .wandb log of three history rows (loss 0.3, 0.2, 0.1 at steps 10, 20, 30) and, when asked, a summary.
std::string smallLog(bool withSummary) {
    wt::LogWriter w;
    for (int i = 1; i <= 3; ++i) {
        const std::string row =
            wt::history({wt::item("_step", std::to_string(10 * i)), wt::item("loss", i == 1   ? "0.3"
                                                                                     : i == 2 ? "0.2"
                                                                                              : "0.1")},
                        10 * i);
        w.add(wt::record(2, row, static_cast<std::uint64_t>(i)));
    }
    if (withSummary) w.add(wt::record(3, wt::updates({wt::item("loss", "0.1")}), 4));
    return w.bytes();
}

} // namespace

class TestWandbRunFolder : public QObject {
    Q_OBJECT
  private slots:
    void confidence() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeJsonRun(root / "wandb" / "run-20200913_122640-abc");
        writeText(root / "wandb" / "offline-run-20200913_122640-def" / "run-def.wandb", smallLog(false));
        writeText(root / "renamed" / "run-ghi.wandb", smallLog(false));
        writeText(root / "other" / "files" / "wandb-summary.json", "{}");
        const WandbRunFolderReader reader;
        QCOMPARE(reader.confidence(root / "wandb" / "run-20200913_122640-abc"), 95);
        QCOMPARE(reader.confidence(root / "wandb" / "offline-run-20200913_122640-def"), 95);
        QCOMPARE(reader.confidence(root / "renamed"), 80);
        QCOMPARE(reader.confidence(root / "other"), 0); // a summary file alone in a folder not named run-*
        QCOMPARE(reader.confidence(root / "wandb"), 0);
    }

    // JSON files only: history by _step, the summary as summary metrics (no extra point), graph_* and media
    // not series, events as system metrics on the run's time axis, config as params, metadata as provenance.
    void jsonFolder() {
        QTemporaryDir tmp;
        const fs::path wandb = fs::path(tmp.path().toStdString()) / "wandb";
        writeJsonRun(wandb / "run-20200913_122640-abc");
        MemoryTarget target;
        const ImportSummary summary = importDir(wandb, target);
        QVERIFY(!summary.report.hasErrors());
        QCOMPARE(target.runs().size(), std::size_t(1));
        const std::string name = "run-20200913_122640-abc";
        const MemoryRun* run = target.run(name);
        QVERIFY(run);

        const SeriesData* loss = target.series(name, "loss");
        QVERIFY(loss);
        QCOMPARE(loss->steps, (std::vector<std::int64_t>{0, 1, 2})); // no point for the summary's 0.25
        QCOMPARE(loss->values[0], 0.9);
        QCOMPARE(loss->values[1], 0.5);
        QVERIFY(std::isnan(loss->values[2])); // Python's NaN is a value, not a missing cell
        QCOMPARE(loss->wallTimes, (std::vector<double>{1600000005, 1600000006, 1600000007.5}));
        QCOMPARE(target.series(name, "val.loss")->values, std::vector<double>{0.7});
        QCOMPARE(target.series(name, "acc")->steps, std::vector<std::int64_t>{0});
        for (const char* absent : {"_step", "_runtime", "_timestamp", "examples.width", "examples.count",
                                   "note", "graph_0.size", "_wandb"})
            QVERIFY2(!target.series(name, absent), absent);

        QCOMPARE(run->summaryMetrics.size(), std::size_t(3));
        QCOMPARE(run->summaryMetrics.at("loss"), 0.25);
        QCOMPARE(run->summaryMetrics.at("acc"), 0.1);
        QCOMPARE(run->summaryMetrics.at("best.acc"), 0.4);

        // Samples at _runtime 10.2 s and 39.9 s: steps 10 and 40 (whole seconds since the start).
        const SeriesData* cpu = target.series(name, "system/cpu");
        QVERIFY(cpu);
        QCOMPARE(cpu->steps, (std::vector<std::int64_t>{10, 40}));
        QCOMPARE(cpu->wallTimes, (std::vector<double>{1600000010.2, 1600000039.9}));
        QCOMPARE(cpu->values, (std::vector<double>{12.5, 30.0}));
        QCOMPARE(target.series(name, "system/gpu.0.gpu")->steps, std::vector<std::int64_t>{10});

        QCOMPARE(run->params.at("lr"), std::string("0.01"));
        QCOMPARE(run->params.at("model.depth"), std::string("3"));
        QCOMPARE(run->params.size(), std::size_t(2));
        QCOMPARE(run->provenance.codeVersion, std::string("0123abcd"));
        QCOMPARE(run->provenance.startTime, 1600000000.0);
        QCOMPARE(run->provenance.format, std::string("wandb"));
        QCOMPARE(run->tags.at("wandb.host"), std::string("box"));

        // Unchanged on a second import: nothing is read again.
        const std::int64_t commits = target.commits();
        importDir(wandb, target);
        QCOMPARE(target.commits(), commits);
        QCOMPARE(target.series(name, "loss")->size(), std::size_t(3));
    }

    // Clients before 0.9 kept the files in the run folder itself.
    void oldLayout() {
        QTemporaryDir tmp;
        const fs::path run = fs::path(tmp.path().toStdString()) / "wandb" / "run-20190101_000000-old";
        writeText(run / "wandb-history.jsonl", "{\"_step\": 4, \"loss\": 1.5}\n{\"loss\": 1.25}\n");
        writeText(run / "wandb-summary.json", "{\"loss\": 1.25}");
        MemoryTarget target;
        importDir(run.parent_path(), target);
        const SeriesData* loss = target.series("run-20190101_000000-old", "loss");
        QVERIFY(loss);
        QCOMPARE(loss->steps, (std::vector<std::int64_t>{4, 1})); // no _step: the row number
        QCOMPARE(target.run("run-20190101_000000-old")->summaryMetrics.at("loss"), 1.25);
    }

    // A run that crashed before logging: an empty history file is a warning, the summary and config are kept.
    void emptyHistoryIsAWarning() {
        QTemporaryDir tmp;
        const fs::path wandb = fs::path(tmp.path().toStdString()) / "wandb";
        writeJsonRun(wandb / "run-20200913_122640-abc", false);
        MemoryTarget target;
        const ImportSummary summary = importDir(wandb, target);
        QVERIFY(!summary.report.hasErrors());
        QVERIFY(hasIssue(summary.report, IssueKind::Empty, "crashed"));
        const MemoryRun* run = target.run("run-20200913_122640-abc");
        QVERIFY(run);
        QCOMPARE(run->summaryMetrics.at("loss"), 0.25);
        QCOMPARE(run->params.at("lr"), std::string("0.01"));
        QVERIFY(!target.series("run-20200913_122640-abc", "loss"));
    }

    // The .wandb log and the JSON files in one folder: one run, the log's points once, the JSON history not
    // read.
    void logAndJsonFiles() {
        QTemporaryDir tmp;
        const fs::path wandb = fs::path(tmp.path().toStdString()) / "wandb";
        const fs::path folder = wandb / "run-20200913_122640-abc";
        writeJsonRun(folder);
        writeText(folder / "run-abc.wandb", smallLog(true));
        MemoryTarget target;
        const ImportSummary summary = importDir(wandb, target);
        QVERIFY(!summary.report.hasErrors());
        QCOMPARE(target.runs().size(), std::size_t(1));
        const std::string name = "run-20200913_122640-abc";
        QCOMPARE(target.series(name, "loss")->steps, (std::vector<std::int64_t>{10, 20, 30}));
        QCOMPARE(target.series(name, "loss")->values, (std::vector<double>{0.3, 0.2, 0.1}));
        QVERIFY(!target.series(name, "acc"));        // only in the JSON history
        QVERIFY(!target.series(name, "system/cpu")); // only in the JSON events
        QVERIFY(hasIssue(summary.report, IssueKind::Unsupported, "run-abc.wandb holds the same points"));
        const MemoryRun* run = target.run(name);
        QCOMPARE(run->summaryMetrics.size(), std::size_t(1)); // the log's summary, not the JSON file's
        QCOMPARE(run->summaryMetrics.at("loss"), 0.1);
        QCOMPARE(run->params.at("lr"), std::string("0.01")); // the log has no config: config.yaml fills it in
        QCOMPARE(run->provenance.codeVersion, std::string("0123abcd"));

        // A log still being written has no summary yet: wandb-summary.json's live summary is used.
        writeText(folder / "run-abc.wandb", smallLog(false));
        MemoryTarget target2;
        importDir(wandb, target2);
        QCOMPARE(target2.run(name)->summaryMetrics.at("loss"), 0.25);
        QCOMPARE(target2.series(name, "loss")->size(), std::size_t(3));
    }

    // wandb/latest-run is a link to the newest run folder: it must not make a second run.
    void latestRunLink() {
        QTemporaryDir tmp;
        const fs::path wandb = fs::path(tmp.path().toStdString()) / "wandb";
        writeText(wandb / "run-20200913_122640-abc" / "run-abc.wandb", smallLog(true));
        writeText(wandb / "debug.log", "2020-09-13 12:26:40 INFO started\n");
        fs::create_directory_symlink("run-20200913_122640-abc", wandb / "latest-run");
        MemoryTarget target;
        const ImportSummary summary = importDir(wandb, target);
        QVERIFY(!summary.report.hasErrors());
        QCOMPARE(target.runs().size(), std::size_t(1));
        QVERIFY(target.run("run-20200913_122640-abc"));
        QCOMPARE(target.series("run-20200913_122640-abc", "loss")->size(), std::size_t(3));
    }

    // The real folders, imported whole: one run per run folder, named by its path, nothing else.
    void realFolders() {
        if (!QDir(kReal).exists()) QSKIP("real W&B logs not present (../shared/data/real/wandb)");
        MemoryTarget target;
        const ImportSummary summary = importDir(kReal.toStdString(), target);
        QVERIFY(!summary.report.hasErrors());
        std::set<std::string> names;
        for (const auto& [name, run] : target.runs())
            names.insert(name);
        const std::set<std::string> expected = {
            "chau-bart-sentiment/wandb/run-20230120_194157-vogpv09z",
            "jetyue-loss-plateau/wandb/run-20260123_005458-79u2qtit",
            "pranav-seq2seq/wandb/run-20230516_024346-tlpq4bo5",
            "rishabhg-robust-cartpole/wandb/offline-run-20231129_215620-ohlnfnqx",
            "rishabhg-robust-cartpole/wandb/run-20231210_182125-32lj2b8u",
            "tarun-scaling/wandb/run-20260227_121720-9wk3tniq",
            "tarun-scaling/wandb/run-20260309_131359-cee4nz6i",
            "zkdeng-modeltesting/wandb/run-20241212_141626-najpkxke",
        };
        QCOMPARE(names, expected);
        // The in-progress snapshot has no summary in its log: its live wandb-summary.json gives it
        // ({"ppo_agent_mean_reward_orig": 379.45, ..., "adversary_reward": -384.0}).
        const MemoryRun* live = target.run("rishabhg-robust-cartpole/wandb/run-20231210_182125-32lj2b8u");
        QCOMPARE(live->summaryMetrics.at("ppo_agent_mean_reward_orig"), 379.45);
        QCOMPARE(live->summaryMetrics.at("adversary_reward"), -384.0);
        // wandb-metadata.json's git commit where the log has none.
        QCOMPARE(live->provenance.codeVersion, std::string("b63b989330235ec285a0c58ce5b094774a80dae8"));
        // The sweep agent's wandb/sweep-0xvj3mdl/config-tlpq4bo5.yaml names the sweep of run tlpq4bo5.
        QCOMPARE(target.run("pranav-seq2seq/wandb/run-20230516_024346-tlpq4bo5")->tags.at("wandb.sweep_id"),
                 std::string("0xvj3mdl"));
        // A second import of the unchanged folders reads nothing.
        const std::int64_t commits = target.commits();
        importDir(kReal.toStdString(), target);
        QCOMPARE(target.commits(), commits);
    }
};

QTEST_GUILESS_MAIN(TestWandbRunFolder)
#include "test_wandb_run_folder.moc"
