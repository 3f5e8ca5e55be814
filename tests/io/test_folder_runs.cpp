// Which files of a folder make runs (issue 15): stray metadata.tsv and config.json are not runs, a
// config.json beside logs is params (class 5); old DVCLive's dvclive.json summary is read with its folder
// (class 7); CSV and JSONL worker folders merge into one run with their params and no ghost runs (class 9).
#include "core/analysis/curve_diagnostics.h"
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/reader.h"
#include "tests/common/import_test_support.h"

#include <filesystem>
#include <QtTest>

using namespace runlens;
namespace fs = std::filesystem;
using test::importWithBuiltins;
using test::writeFileAt;

namespace {

QStringList runNames(const MemoryTarget& target) {
    QStringList out;
    for (const auto& [name, run] : target.runs())
        out << QString::fromStdString(name);
    return out;
}

} // namespace

class TestFolderRuns : public QObject {
    Q_OBJECT

  private slots:
    // TensorBoard's projector writes embedding labels as metadata.tsv (one label per line, or a header and
    // label columns); a model folder holds an unrelated config.json. Neither is a run.
    void strayFilesAreNotRuns() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "logs";
        writeFileAt(root / "projector" / "metadata.tsv", "7\n2\n1\n0\n4\n");
        writeFileAt(root / "projector2" / "metadata.tsv", "index\tlabel\n0\t7\n1\t2\n");
        writeFileAt(root / "model" / "config.json", "{\"hidden_size\": 768, \"num_layers\": 12}\n");
        writeFileAt(root / "labels" / "ids.csv", "id\n1\n2\n3\n");
        MemoryTarget target;
        const ImportSummary summary = importWithBuiltins(root, target);
        QCOMPARE(runNames(target), QStringList());
        QCOMPARE(summary.filesNotLogs, std::int64_t(4));
    }

    // A config.json beside a log gives that run its params, whatever order the folder lists the files in.
    void configJsonBesideLogsIsParams() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "exp";
        writeFileAt(root / "run1" / "config.json", "{\"lr\": 0.1, \"model\": {\"depth\": 4}}");
        writeFileAt(root / "run1" / "metrics.csv", "step,loss\n0,1.0\n1,0.5\n");
        MemoryTarget target;
        importWithBuiltins(root, target);
        QCOMPARE(runNames(target), QStringList{"run1"});
        const MemoryRun* run = target.run("run1");
        QCOMPARE(run->params.at("lr"), std::string("0.1"));
        QCOMPARE(run->params.at("model.depth"), std::string("4"));
        QCOMPARE(run->series.at("loss").size(), std::size_t(2));
    }

    // DVCLive before 1.0: histories in dvclive/scalars/ (or dvclive/*.tsv) and the summary in dvclive.json
    // beside the folder. The summary's values join the run, at its step, for tags without a history; the
    // parent folder does not become a run of its own.
    void oldDvcLiveSummaryIsRead() {
        QTemporaryDir tmp;
        const fs::path project = fs::path(tmp.path().toStdString()) / "projects" / "proj";
        writeFileAt(project / "dvclive" / "scalars" / "loss.tsv", "step\tloss\n0\t0.9\n1\t0.7\n2\t0.5\n");
        writeFileAt(project / "dvclive.json",
                    "{\n    \"step\": 2,\n    \"loss\": 0.5,\n    \"acc\": 0.875\n}");
        writeFileAt(project / "older" / "dvclive" / "loss.tsv", "step\tloss\n0\t2.0\n");
        writeFileAt(project / "older" / "dvclive.json", "{\"step\": 0, \"loss\": 2.0, \"f1\": 0.25}");
        MemoryTarget target;
        const ImportSummary summary = importWithBuiltins(project.parent_path(), target);
        QCOMPARE(runNames(target), (QStringList{"proj", "proj/older"}));
        const MemoryRun* run = target.run("proj");
        QCOMPARE(run->series.at("loss").size(), std::size_t(3)); // the history, not the summary again
        QCOMPARE(run->series.at("acc").steps, (std::vector<std::int64_t>{2}));
        QCOMPARE(run->series.at("acc").values, (std::vector<double>{0.875}));
        const MemoryRun* older = target.run("proj/older");
        QCOMPARE(older->series.at("loss").values, (std::vector<double>{2.0}));
        QCOMPARE(older->series.at("f1").values, (std::vector<double>{0.25}));
        QVERIFY(!summary.report.hasErrors());
    }

    // rank_N (CSV, with Lightning's hparams.yaml) and worker_N (JSONL) folders of one job: one run "job"
    // whose tags are "<tag>/worker_<N>", with the params from every worker folder and a worker_<N> param
    // naming each; no run is left for a worker folder (no ghost run holding only params).
    void workerFoldersMerge() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "cluster";
        writeFileAt(root / "job" / "rank_0" / "metrics.csv", "step,loss\n0,1.0\n1,0.75\n");
        writeFileAt(root / "job" / "rank_0" / "hparams.yaml", "lr: 0.01\nbatch_size: 64\nseed: 42\n");
        writeFileAt(root / "job" / "rank_1" / "metrics.csv", "step,loss\n0,1.25\n1,0.5\n");
        writeFileAt(root / "job" / "rank_1" / "hparams.yaml", "lr: 0.01\nbatch_size: 64\nseed: 43\n");
        writeFileAt(root / "other" / "worker_0" / "log.jsonl", "{\"step\": 0, \"acc\": 0.5}\n");
        writeFileAt(root / "other" / "worker_3" / "log.jsonl", "{\"step\": 0, \"acc\": 0.25}\n");
        MemoryTarget target;
        const ImportSummary summary = importWithBuiltins(root, target);
        QCOMPARE(runNames(target), (QStringList{"job", "other"}));
        QCOMPARE((std::set<std::string>(summary.runs.begin(), summary.runs.end())),
                 (std::set<std::string>{"job", "other"}));
        const MemoryRun* job = target.run("job");
        QCOMPARE(job->series.at("loss/worker_0").values, (std::vector<double>{1.0, 0.75}));
        QCOMPARE(job->series.at("loss/worker_1").values, (std::vector<double>{1.25, 0.5}));
        QCOMPARE(job->params.at("lr"), std::string("0.01"));
        QCOMPARE(job->params.at("batch_size"), std::string("64"));
        QCOMPARE(job->params.at("worker_0"), std::string("job/rank_0"));
        QCOMPARE(job->params.at("worker_1"), std::string("job/rank_1"));
        const MemoryRun* other = target.run("other");
        QCOMPARE(other->series.at("acc/worker_3").values, (std::vector<double>{0.25}));
        // DDP seeds each rank differently (42, 43): as separate runs the ranks would form a seed-only group;
        // merged, there is no group of workers posing as seed replicas.
        std::vector<RunOutcome> outcomes;
        for (const auto& [name, run] : target.runs())
            outcomes.push_back(RunOutcome{name, {run.params.begin(), run.params.end()}, 0.5});
        QVERIFY(findSeedGroups(outcomes).empty());
        // Workers' steps are their own series: merging them is not a restart.
        for (const auto& issue : summary.report.issues)
            QVERIFY2(issue.kind != IssueKind::StepsRestart, issue.toString().c_str());
    }
};

QTEST_GUILESS_MAIN(TestFolderRuns)
#include "test_folder_runs.moc"
