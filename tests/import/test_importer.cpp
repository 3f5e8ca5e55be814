// Tests of importPaths: run naming over a generated tree, resume, skipping, NotALog, symlinks, cancellation.
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/csv_reader.h"
#include "core/io/jsonl_reader.h"
#include "tests/common/import_test_support.h"

#include <fstream>
#include <QtTest>

using namespace runlens;
namespace fs = std::filesystem;
using test::writeFileAt;

namespace {

ReaderRegistry textReaders() {
    ReaderRegistry r;
    r.add(std::make_unique<CsvReader>());
    r.add(std::make_unique<JsonlReader>());
    return r;
}

QStringList runNames(const std::set<std::string>& runs) {
    QStringList out;
    for (const auto& r : runs)
        out << QString::fromStdString(r);
    return out;
}

int countIssues(const ReadReport& report, IssueKind kind) {
    int n = 0;
    for (const auto& i : report.issues)
        n += i.kind == kind;
    return n;
}

// Claims folders named "mlruns" and records what it was asked, to check the walk stops there.
class FakeDirectoryReader : public DirectoryReader {
  public:
    mutable std::vector<std::string> calls;
    std::string_view name() const override { return "fake"; }
    std::string_view description() const override { return "test directory reader"; }
    int confidence(const fs::path& dir) const override { return dir.filename() == "mlruns" ? 90 : 0; }
    ReadReport read(const fs::path& dir, const ReadContext& ctx, ImportTarget& target) const override {
        calls.push_back(ctx.runName);
        auto txn = target.beginSource((dir / "meta").string(), "fake", true);
        txn->appendPoint(joinRunName(ctx.runName, "0"), "m", 1, kNaN, 2.0);
        txn->commit(SourceState{"fake", 1, 1, 1});
        return {};
    }
};

} // namespace

class TestImporter : public QObject {
    Q_OBJECT
  private slots:
    void joinNames();
    void treeNamingAndResume();
    void singleFile();
    void unrelatedFolder();
    void missingPathAndForceFormat();
    void directoryReaderStopsWalk();
    void cancellation();
    void progressMovesWithinOneFile();
    void cancelStopsInsideOneFile();
    void crashedWriterTail_data();
    void crashedWriterTail();
};

void TestImporter::joinNames() {
    QCOMPARE(joinRunName("a", "b"), std::string("a/b"));
    QCOMPARE(joinRunName("", "b"), std::string("b"));
    QCOMPARE(joinRunName("a/", ""), std::string("a"));
}

void TestImporter::treeNamingAndResume() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    const fs::path root = base / "exp";
    writeFileAt(root / "a.csv", "step,loss\n1,0.5\n2,0.4\n");
    writeFileAt(root / "notes.txt", "Some notes about this experiment.\nNothing numeric.\n");
    writeFileAt(root / ".hidden" / "x.csv", "step,loss\n1,9\n");
    writeFileAt(root / "__pycache__" / "junk.csv", "step,loss\n1,9\n");
    writeFileAt(root / "lightning_logs" / "version_0" / "metrics.csv", "epoch,step,val_loss\n0,9,0.7\n");
    writeFileAt(root / "lightning_logs" / "version_1" / "metrics.csv", "epoch,step,val_loss\n0,9,0.6\n");
    writeFileAt(root / "sub" / "b.jsonl", "{\"step\": 1, \"acc\": 0.5}\n");
    writeFileAt(base / "outside" / "o.csv", "step,loss\n1,1\n");
    fs::create_directory_symlink(base / "outside", root / "link_out");

    const ReaderRegistry registry = textReaders();
    MemoryTarget target;
    std::vector<fs::path> paths{root};
    std::vector<ImportProgress> progress;
    ImportOptions options;
    options.progress = [&](const ImportProgress& p) { progress.push_back(p); };
    const ImportSummary s1 = importPaths(paths, registry, target, options);

    QCOMPARE(runNames(s1.runs),
             QStringList({"exp", "lightning_logs/version_0", "lightning_logs/version_1", "sub"}));
    QCOMPARE(s1.filesRead, std::int64_t(4));
    QCOMPARE(s1.filesNotLogs, std::int64_t(1));
    QCOMPARE(countIssues(s1.report, IssueKind::NotALog), 1);
    bool sawNotes = false, sawLink = false;
    for (const auto& i : s1.report.issues) {
        sawNotes = sawNotes || i.message == "not a log: notes.txt";
        sawLink = sawLink || (i.file.find("link_out") != std::string::npos);
    }
    QVERIFY(sawNotes);
    QVERIFY(sawLink);
    QVERIFY(target.run("outside") == nullptr);
    QVERIFY(!progress.empty());
    QCOMPARE(progress.back().filesDone, std::int64_t(5)); // 4 logs + notes.txt
    QCOMPARE(progress.back().filesTotal, std::int64_t(5));
    QVERIFY(target.series("exp", "loss") && target.series("exp", "loss")->size() == 2);

    // Nothing changed: every file is recognised as already imported.
    const ImportSummary s2 = importPaths(paths, registry, target);
    QCOMPARE(s2.filesUnchanged, std::int64_t(4));
    QCOMPARE(s2.filesRead, std::int64_t(0));

    // A grown CSV is read on from where it stopped: 2 + 1 points, none duplicated.
    {
        std::ofstream out(root / "a.csv", std::ios::binary | std::ios::app);
        out << "3,0.3\n";
    }
    const ImportSummary s3 = importPaths(paths, registry, target);
    QCOMPARE(s3.filesRead, std::int64_t(1));
    QCOMPARE(s3.filesUnchanged, std::int64_t(3));
    const SeriesData* loss = target.series("exp", "loss");
    QVERIFY(loss);
    QCOMPARE(loss->steps, std::vector<std::int64_t>({1, 2, 3}));

    // A rewritten (shrunk) file replaces what it delivered before.
    writeFileAt(root / "a.csv", "step,loss\n7,0.1\n");
    importPaths(paths, registry, target);
    QCOMPARE(target.series("exp", "loss")->steps, std::vector<std::int64_t>({7}));
}

void TestImporter::singleFile() {
    QTemporaryDir tmp;
    const fs::path file = fs::path(tmp.path().toStdString()) / "training.log";
    writeFileAt(file, "epoch,acc\n0,0.5\n1,0.6\n");
    const ReaderRegistry registry = textReaders();
    std::vector<fs::path> paths{file};
    MemoryTarget t1;
    const ImportSummary s1 = importPaths(paths, registry, t1);
    QCOMPARE(runNames(s1.runs), QStringList({"training"}));
    MemoryTarget t2;
    ImportOptions options;
    options.runName = "custom";
    const ImportSummary s2 = importPaths(paths, registry, t2, options);
    QCOMPARE(runNames(s2.runs), QStringList({"custom"}));
    QCOMPARE(t2.series("custom", "acc")->size(), std::size_t(2));
}

void TestImporter::unrelatedFolder() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "stuff";
    writeFileAt(root / "README.md", "# A project\n\nText only.\n");
    std::string binary(4096, '\0');
    for (std::size_t i = 0; i < binary.size(); ++i)
        binary[i] = static_cast<char>((i * 131) & 0xFF);
    writeFileAt(root / "image.png", "\x89PNG\r\n\x1a\n" + binary);
    writeFileAt(root / "data.bin", binary);
    writeFileAt(root / "empty.dat", "");
    fs::create_directories(root / "emptydir");
    const ReaderRegistry registry = textReaders();
    MemoryTarget target;
    std::vector<fs::path> paths{root};
    const ImportSummary s = importPaths(paths, registry, target);
    QVERIFY(s.runs.empty());
    QCOMPARE(s.filesNotLogs, std::int64_t(4));
    QCOMPARE(countIssues(s.report, IssueKind::NotALog), 4);
    QVERIFY(!s.report.hasErrors());
}

void TestImporter::missingPathAndForceFormat() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    const ReaderRegistry registry = textReaders();
    MemoryTarget target;
    std::vector<fs::path> missing{base / "nope"};
    const ImportSummary s1 = importPaths(missing, registry, target);
    QVERIFY(s1.report.hasErrors());
    QCOMPARE(s1.report.issues.front().kind, IssueKind::Unreadable);
    QVERIFY(s1.report.issues.front().message.rfind("cannot read ", 0) == 0);

    // A table with an extension no reader claims is read when the format is forced.
    writeFileAt(base / "m.dat", "a b c\nstep,loss\n");
    writeFileAt(base / "n.dat", "step,loss\n4,0.5\n");
    std::vector<fs::path> dat{base / "n.dat"};
    ImportOptions options;
    options.forceFormat = "csv";
    const ImportSummary s2 = importPaths(dat, registry, target, options);
    QCOMPARE(runNames(s2.runs), QStringList({"n"}));
    options.forceFormat = "nonsense";
    const ImportSummary s3 = importPaths(dat, registry, target, options);
    QVERIFY(s3.report.hasErrors());
}

void TestImporter::directoryReaderStopsWalk() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "proj";
    writeFileAt(root / "mlruns" / "0" / "inner.csv", "step,loss\n1,1\n");
    writeFileAt(root / "top.csv", "step,loss\n1,1\n");
    ReaderRegistry registry = textReaders();
    auto fake = std::make_unique<FakeDirectoryReader>();
    const FakeDirectoryReader* fakePtr = fake.get();
    registry.add(std::unique_ptr<DirectoryReader>(std::move(fake)));
    MemoryTarget target;
    std::vector<fs::path> paths{root};
    const ImportSummary s = importPaths(paths, registry, target);
    QCOMPARE(fakePtr->calls, std::vector<std::string>({"mlruns"}));
    QCOMPARE(runNames(s.runs), QStringList({"mlruns/0", "proj"})); // inner.csv was not read by the CSV reader
    QCOMPARE(s.filesRead, std::int64_t(2));
}

void TestImporter::cancellation() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "c";
    writeFileAt(root / "a.csv", "step,loss\n1,1\n");
    const ReaderRegistry registry = textReaders();
    MemoryTarget target;
    std::atomic<bool> cancel{true};
    ImportOptions options;
    options.cancel = &cancel;
    std::vector<fs::path> paths{root};
    const ImportSummary s = importPaths(paths, registry, target, options);
    QVERIFY(s.cancelled);
    QCOMPARE(target.commits(), std::int64_t(0));
}

// One big JSONL file: progress reports bytes during the file, not only 0 then all of it.
void TestImporter::progressMovesWithinOneFile() {
    QTemporaryDir tmp;
    const fs::path file = fs::path(tmp.path().toStdString()) / "big.jsonl";
    std::string text;
    for (int step = 0; step < 20000; ++step)
        text += "{\"step\": " + std::to_string(step) + ", \"loss\": 0.5}\n";
    writeFileAt(file, text);
    const ReaderRegistry registry = textReaders();
    MemoryTarget target;
    std::vector<std::int64_t> during; // bytesDone of reports while the one file is being read
    ImportOptions options;
    options.progress = [&](const ImportProgress& p) {
        if (p.filesDone == 0 && p.bytesDone > 0) during.push_back(p.bytesDone);
    };
    std::vector<fs::path> paths{file};
    const ImportSummary s = importPaths(paths, registry, target, options);
    QCOMPARE(s.filesRead, std::int64_t(1));
    // The reader reports every 1,024 lines: 19 times in 20,000 lines, each further than the one before and
    // short of the file's size.
    QVERIFY2(during.size() >= 10, qPrintable(QString::number(during.size())));
    QVERIFY(std::is_sorted(during.begin(), during.end()));
    QVERIFY(during.back() < static_cast<std::int64_t>(text.size()));
}

// Cancel set while one big file is read (from the progress callback, as the GUI's button does): the reader
// stops inside the file and nothing of it is committed.
void TestImporter::cancelStopsInsideOneFile() {
    QTemporaryDir tmp;
    const fs::path file = fs::path(tmp.path().toStdString()) / "big.jsonl";
    std::string text;
    for (int step = 0; step < 200000; ++step)
        text += "{\"step\": " + std::to_string(step) + ", \"loss\": 0.5}\n";
    writeFileAt(file, text);
    const ReaderRegistry registry = textReaders();
    MemoryTarget target;
    std::atomic<bool> cancel{false};
    std::int64_t cancelledAt = 0;
    ImportOptions options;
    options.cancel = &cancel;
    options.progress = [&](const ImportProgress& p) {
        if (p.filesDone == 0 && p.bytesDone > 0 && !cancel) {
            cancelledAt = p.bytesDone;
            cancel = true;
        }
    };
    std::vector<fs::path> paths{file};
    const ImportSummary s = importPaths(paths, registry, target, options);
    QVERIFY(s.cancelled);
    QVERIFY(cancelledAt > 0 && cancelledAt < static_cast<std::int64_t>(text.size()) / 10);
    QCOMPARE(target.commits(), std::int64_t(0));
}

void TestImporter::crashedWriterTail_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("points"); // loss points that must arrive: the complete rows before the damage
    QTest::addColumn<bool>("isLog");
    const QByteArray rows("step,loss\n1,0.5\n2,0.4\n3,0.3\n");
    // A writer killed mid-file leaves zeroed blocks: after whole rows, after half a row, or in the middle.
    QTest::newRow("zeros after the rows") << rows + QByteArray(4096, '\0') << 3 << true;
    QTest::newRow("zeros after half a row") << rows + "4,0.2" + QByteArray(512, '\0') << 3 << true;
    QTest::newRow("zeroed block inside")
        << QByteArray("step,loss\n1,0.5\n") + QByteArray(64, '\0') + "\n2,0.4\n"
        << 2 << true;
    // NUL bytes before two whole lines: a binary file, not a damaged log.
    QTest::newRow("binary") << QByteArray("step\0,loss\n1,0.5\n2,0.4\n", 24) << 0 << false;
    QTest::newRow("png signature") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\n\n", 19) << 0 << false;
}

void TestImporter::crashedWriterTail() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, points);
    QFETCH(bool, isLog);
    QTemporaryDir tmp;
    const fs::path file = fs::path(tmp.path().toStdString()) / "metrics.csv";
    writeFileAt(file, bytes.toStdString());
    MemoryTarget target;
    const std::vector<fs::path> paths{file};
    const ImportSummary summary = importPaths(paths, textReaders(), target);
    QCOMPARE(summary.filesNotLogs, std::int64_t(isLog ? 0 : 1));
    const SeriesData* loss = target.series("metrics", "loss");
    QCOMPARE(loss ? static_cast<int>(loss->size()) : 0, points);
    if (!isLog) return;
    // The damage is named with its file and line, not passed over in silence.
    const bool reported =
        std::any_of(summary.report.issues.begin(), summary.report.issues.end(),
                    [](const ReadIssue& issue) { return issue.kind == IssueKind::NulByte; });
    QVERIFY(reported);
}

QTEST_GUILESS_MAIN(TestImporter)
#include "test_importer.moc"
