// Tests of the DVCLive directory reader on generated dvclive/ trees (current and pre-1.0 layouts).
#include "core/import/memory_target.h"
#include "core/io/dvclive_reader.h"

#include <filesystem>
#include <fstream>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

ReadReport readDir(const fs::path& dir, const fs::path& root, MemoryTarget& target) {
    ReadContext ctx;
    ctx.root = root;
    ctx.runName = "ignored-when-root-is-set";
    return DvcLiveReader().read(dir, ctx, target);
}

bool hasIssue(const ReadReport& report, IssueKind kind, std::int64_t line = -1) {
    for (const ReadIssue& issue : report.issues)
        if (issue.kind == kind && (line < 0 || issue.line == line)) return true;
    return false;
}

// A project "proj" with a current-layout dvclive/ directory; values picked by hand.
fs::path makeProject(const fs::path& root) {
    const fs::path live = root / "proj" / "dvclive";
    writeFile(live / "plots/metrics/train/loss.tsv",
              "timestamp\tstep\ttrain/"
              "loss\n1700000000000\t0\t0.9\n1700000001500\t1\t0.5\n1700000003000\t2\t0.25\n");
    writeFile(live / "plots/metrics/eval/acc.tsv", "step\teval/acc\n0\t0.5\n2\t0.75\n");
    writeFile(live / "metrics.json",
              R"({"train": {"loss": 0.25}, "eval": {"acc": 0.75}, "test": {"f1": 0.625}, "step": 2})");
    writeFile(live / "params.yaml", "lr: 0.01\nmodel:\n  depth: 3\nseed: 11\n");
    writeFile(root / "proj" / "src" / "train.py", "print('hi')\n");
    return live;
}

} // namespace

class TestDvcLiveReader : public QObject {
    Q_OBJECT

  private slots:
    void claimsTheDvcLiveDirectoryOnly() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path live = makeProject(root);
        DvcLiveReader reader;
        QCOMPARE(reader.confidence(live), 95);
        QCOMPARE(reader.confidence(root / "proj"), 0); // the project's other folders stay importable
        QCOMPARE(reader.confidence(root / "proj" / "src"), 0);
        // A custom Live(dir="results") directory: recognised by structure.
        writeFile(root / "results/plots/metrics/loss.tsv", "step\tloss\n0\t1\n");
        writeFile(root / "results/metrics.json", R"({"loss": 1})");
        QCOMPARE(reader.confidence(root / "results"), 70);
        writeFile(root / "empty/dvclive/notes.txt", "x");
        QCOMPARE(reader.confidence(root / "empty/dvclive"), 0);
    }

    void runNames() {
        ReadContext ctx;
        ctx.root = "/data/exps";
        QCOMPARE(DvcLiveReader::runNameFor("/data/exps/a/b/dvclive", ctx), std::string("a/b"));
        QCOMPARE(DvcLiveReader::runNameFor("/data/exps/dvclive", ctx), std::string("exps"));
        ctx.root = "/data/exps/a/dvclive"; // the user dropped the dvclive folder itself
        QCOMPARE(DvcLiveReader::runNameFor("/data/exps/a/dvclive", ctx), std::string("a"));
        ctx.root.clear();
        ctx.runName = "given";
        QCOMPARE(DvcLiveReader::runNameFor("/data/exps/a/dvclive", ctx), std::string("given"));
    }

    void readsHistoriesFinalMetricsAndParams() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path live = makeProject(root);
        MemoryTarget target;
        const ReadReport report = readDir(live, root, target);
        QVERIFY(!report.hasErrors());
        QCOMPARE(target.runs().size(), std::size_t(1));
        const SeriesData* loss = target.series("proj", "train/loss");
        QVERIFY(loss);
        QCOMPARE(loss->steps, (std::vector<std::int64_t>{0, 1, 2}));
        QCOMPARE(loss->values, (std::vector<double>{0.9, 0.5, 0.25}));
        QCOMPARE(loss->wallTimes[1], 1700000001.5); // milliseconds to seconds
        const SeriesData* acc = target.series("proj", "eval/acc");
        QCOMPARE(acc->steps, (std::vector<std::int64_t>{0, 2}));
        QVERIFY(std::isnan(acc->wallTimes[0]));
        // metrics.json: train/loss and eval/acc have histories already; test/f1 is new, at step 2.
        QCOMPARE(loss->size(), std::size_t(3));
        const SeriesData* f1 = target.series("proj", "test/f1");
        QVERIFY(f1);
        QCOMPARE(f1->steps, (std::vector<std::int64_t>{2}));
        QCOMPARE(f1->values, (std::vector<double>{0.625}));
        QCOMPARE(report.points, std::int64_t(6));
        const MemoryRun* run = target.run("proj");
        QCOMPARE(run->params.at("lr"), std::string("0.01"));
        QCOMPARE(run->params.at("model.depth"), std::string("3"));
        QCOMPARE(run->provenance.seed, std::string("11"));
        QCOMPARE(target.sources().size(), std::size_t(4)); // two TSVs, metrics.json, params.yaml

        // Nothing changed: a second read opens no transaction.
        const std::int64_t commits = target.commits();
        readDir(live, root, target);
        QCOMPARE(target.commits(), commits);
        QCOMPARE(target.series("proj", "train/loss")->size(), std::size_t(3));
    }

    void olderScalarsLayout() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path live = root / "old" / "dvclive";
        writeFile(live / "scalars/loss.tsv",
                  "timestamp\tstep\tloss\n1600000000\t0\t2.5\n1600000010\t1\t1.5\n");
        QCOMPARE(DvcLiveReader().confidence(live), 95);
        MemoryTarget target;
        readDir(live, root, target);
        const SeriesData* loss = target.series("old", "loss");
        QVERIFY(loss);
        QCOMPARE(loss->values, (std::vector<double>{2.5, 1.5}));
        QCOMPARE(loss->wallTimes[1], 1600000010.0); // already seconds
    }

    void malformedInput() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path live = root / "bad" / "dvclive";
        writeFile(live / "plots/metrics/loss.tsv", "step\tloss\n0\t1.0\n1\n2\tabc\nx\t3\n4\t0.5\n");
        writeFile(live / "plots/metrics/empty.tsv", "");
        writeFile(live / "metrics.json", R"({"loss": 0.5, "step": )");
        MemoryTarget target;
        const ReadReport report = readDir(live, root, target);
        const SeriesData* loss = target.series("bad", "loss");
        QVERIFY(loss);
        QCOMPARE(loss->steps, (std::vector<std::int64_t>{0, 4}));
        QVERIFY(hasIssue(report, IssueKind::RaggedRow, 3));
        QVERIFY(hasIssue(report, IssueKind::BadNumber, 4));
        QVERIFY(hasIssue(report, IssueKind::BadNumber, 5));
        QVERIFY(hasIssue(report, IssueKind::Empty));
        QVERIFY(hasIssue(report, IssueKind::Truncated));
    }
};

QTEST_GUILESS_MAIN(TestDvcLiveReader)
#include "test_dvclive_reader.moc"
