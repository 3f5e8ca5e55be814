// Inputs that once crashed, hung or over-allocated a reader (found by tests/fuzz) or that are hostile by
// design: each must be read without crashing and must produce a clear issue naming the file.
#include "core/import/memory_target.h"
#include "core/io/reader.h"
#include "core/store/workspace.h"

#include <chrono>
#include <filesystem>
#include <QtTest>

namespace fs = std::filesystem;
using namespace runlens;

namespace {

// tests/data/fuzz/<reader>/<case>: <reader> is a registry name ("csv", "mlflow-sql", a directory reader such
// as "dvclive" whose cases are folders), or "workspace" for files given to Workspace::open.
fs::path casesRoot() {
    return fs::path(RUNLENS_TEST_DATA) / "fuzz";
}

const DirectoryReader* directoryReader(const ReaderRegistry& registry, std::string_view name) {
    for (const auto& r : registry.directoryReaders())
        if (r->name() == name) return r.get();
    return nullptr;
}

// Every issue must say something and point at the input (or a file inside the input folder).
void checkIssues(const ReadReport& report, const fs::path& input) {
    QVERIFY2(!report.issues.empty(), qPrintable("no issue reported for " + QString::fromStdString(input)));
    for (const ReadIssue& issue : report.issues) {
        const std::string text = issue.toString();
        QVERIFY2(!issue.message.empty(), text.c_str());
        QVERIFY2(issue.file.rfind(input.string(), 0) == 0, text.c_str());
    }
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

  private slots:
    void readsWithoutCrashing_data();
    void readsWithoutCrashing();
};

void TestFuzzRegressions::readsWithoutCrashing_data() {
    QTest::addColumn<QString>("reader");
    QTest::addColumn<QString>("input");
    std::vector<std::pair<std::string, fs::path>> cases;
    for (const auto& readerDir : fs::directory_iterator(casesRoot()))
        for (const auto& entry : fs::directory_iterator(readerDir.path()))
            cases.emplace_back(readerDir.path().filename().string(), entry.path());
    std::sort(cases.begin(), cases.end());
    for (const auto& [reader, input] : cases)
        QTest::newRow((reader + "/" + input.filename().string()).c_str())
            << QString::fromStdString(reader) << QString::fromStdString(input.string());
}

void TestFuzzRegressions::readsWithoutCrashing() {
    QFETCH(QString, reader);
    QFETCH(QString, input);
    const fs::path path = input.toStdString();
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const auto start = std::chrono::steady_clock::now();

    if (reader == "workspace") {
        try {
            auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            for (const RunInfo& run : ws->runs())
                for (const SeriesSummary& s : run.series)
                    (void)ws->readSeries(run.id, s.tag);
            QFAIL("a damaged workspace opened and read without any complaint");
        } catch (const WorkspaceError& e) {
            const std::string message = e.what();
            QVERIFY2(message.find(path.filename().string()) != std::string::npos ||
                         message.find("corrupt") != std::string::npos,
                     message.c_str());
        }
    } else if (const DirectoryReader* dirReader = directoryReader(registry, reader.toStdString())) {
        // A case folder holds the reader's tree (dvclive/, mlruns/) as its only subfolder.
        fs::path tree;
        for (const auto& child : fs::directory_iterator(path))
            if (child.is_directory()) tree = child.path();
        QVERIFY2(!tree.empty(), qPrintable("no folder inside " + input));
        MemoryTarget target;
        ReadContext ctx;
        ctx.root = path;
        ctx.runName = "fuzz";
        checkIssues(dirReader->read(tree, ctx, target), tree);
    } else {
        const Reader* fileReader = registry.byName(reader.toStdString());
        QVERIFY2(fileReader, qPrintable("unknown reader " + reader));
        MemoryTarget target;
        auto tx = target.beginSource(path.string(), fileReader->name(), false);
        ReadContext ctx;
        ctx.runName = "fuzz";
        ctx.root = path.parent_path();
        (void)fileReader->confidence(FileProbe::fromFile(path));
        checkIssues(fileReader->read(path, ctx, *tx), path);
    }
    // Hangs count as failures too: every case is tiny and must finish quickly.
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
