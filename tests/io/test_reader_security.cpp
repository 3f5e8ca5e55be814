// Security: symbolic links inside a log folder that point outside it are never followed by any reader.
#include "core/import/importer.h"
#include "core/import/memory_target.h"

#include <fstream>
#include <QTemporaryDir>
#include <QtTest>

namespace fs = std::filesystem;
using namespace runlens;

namespace {

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

// True when the secret text reached the target anywhere a user could see it.
bool leaked(const MemoryTarget& target, const std::string& secret) {
    for (const auto& [name, run] : target.runs()) {
        if (name.find(secret) != std::string::npos) return true;
        for (const auto& [k, v] : run.params)
            if (k.find(secret) != std::string::npos || v.find(secret) != std::string::npos) return true;
        for (const auto& [k, v] : run.tags)
            if (k.find(secret) != std::string::npos || v.find(secret) != std::string::npos) return true;
        for (const auto& [tag, series] : run.series)
            if (tag.find("secret") != std::string::npos ||
                (!series.values.empty() && series.values[0] == 4242.0))
                return true;
    }
    return false;
}

bool mentionsLink(const ReadReport& report) {
    for (const ReadIssue& issue : report.issues)
        if (issue.message.find("symbolic link") != std::string::npos) return true;
    return false;
}

} // namespace

class TestReaderSecurity : public QObject {
    Q_OBJECT

  private slots:
    void linksOutsideTheImportedFolderAreNotFollowed();
};

void TestReaderSecurity::linksOutsideTheImportedFolderAreNotFollowed() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path base = tmp.path().toStdString();
    const std::string secret = "TOP-SECRET-TOKEN";
    writeText(base / "private" / "token.txt", secret + "\n");
    writeText(base / "private" / "numbers.tsv", "step\tsecret\n0\t4242\n");
    writeText(base / "private" / "numbers.csv", "step,secret\n0,4242\n");
    writeText(base / "private" / "params.yaml", "stolen: " + secret + "\n");

    const fs::path logs = base / "logs";
    // MLflow file store with params, tags and the run name linked to private files.
    const fs::path run = logs / "mlruns" / "1" / "r1";
    writeText(logs / "mlruns" / "1" / "meta.yaml", "experiment_id: '1'\nname: e\nlifecycle_stage: active\n");
    writeText(run / "meta.yaml", "run_id: r1\nexperiment_id: '1'\nstatus: 3\nlifecycle_stage: active\n");
    writeText(run / "metrics" / "loss", "1700000000000 1.5 0\n");
    fs::create_directories(run / "params");
    fs::create_directories(run / "tags");
    fs::create_symlink(base / "private" / "token.txt", run / "params" / "api_key");
    fs::create_symlink(base / "private" / "token.txt", run / "tags" / "mlflow.runName");
    fs::create_symlink(base / "private" / "numbers.tsv", run / "metrics" / "secret");
    // DVCLive folder with a metric file, metrics.json and params.yaml linked outside.
    const fs::path dvc = logs / "exp" / "dvclive";
    writeText(dvc / "plots" / "metrics" / "loss.tsv", "step\tloss\n0\t1.0\n");
    fs::create_symlink(base / "private" / "numbers.tsv", dvc / "plots" / "metrics" / "secret.tsv");
    fs::create_symlink(base / "private" / "params.yaml", dvc / "params.yaml");
    // A plain CSV log and a linked folder at the top level.
    writeText(logs / "plain" / "metrics.csv", "step,loss\n0,1.0\n");
    fs::create_symlink(base / "private" / "numbers.csv", logs / "plain" / "secret.csv");
    fs::create_directory_symlink(base / "private", logs / "linked_private");

    MemoryTarget target;
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const std::vector<fs::path> paths{logs};
    const ImportSummary summary = importPaths(paths, registry, target);
    for (const ReadIssue& issue : summary.report.issues)
        qInfo("%s", issue.toString().c_str());

    QVERIFY(target.totalPoints() >= 3); // the honest data was read
    QVERIFY2(!leaked(target, secret), "a private file outside the imported folder was read");
    QVERIFY(mentionsLink(summary.report));
}

QTEST_GUILESS_MAIN(TestReaderSecurity)
#include "test_reader_security.moc"
