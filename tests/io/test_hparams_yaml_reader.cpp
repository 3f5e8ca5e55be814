// Tests of the hyperparameter-file reader (YAML and JSON), its safety bounds and provenance recognition.
#include "core/import/memory_target.h"
#include "core/io/hparams_yaml_reader.h"
#include "core/io/provenance_scan.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace runlens;

namespace {

std::filesystem::path writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return path;
}

ReadReport readParams(const std::filesystem::path& path, MemoryTarget& target) {
    HparamsYamlReader reader;
    ReadContext ctx;
    ctx.runName = "run";
    auto tx = target.beginSource(path.string(), reader.name(), true);
    ReadReport report = reader.read(path, ctx, *tx);
    tx->commit(SourceState{"hparams", 0, 0, report.endOffset});
    return report;
}

std::string param(const MemoryTarget& target, const std::string& key) {
    const MemoryRun* run = target.run("run");
    if (!run) return "<no run>";
    const auto it = run->params.find(key);
    return it == run->params.end() ? "<absent>" : it->second;
}

bool hasIssue(const ReadReport& report, IssueKind kind, const std::string& fragment = {}) {
    for (const ReadIssue& issue : report.issues) {
        if (issue.kind == kind && issue.message.find(fragment) != std::string::npos) return true;
    }
    return false;
}

const ReadIssue* findIssue(const ReadReport& report, IssueKind kind) {
    for (const ReadIssue& issue : report.issues)
        if (issue.kind == kind) return &issue;
    return nullptr;
}

} // namespace

class TestHparamsYamlReader : public QObject {
    Q_OBJECT

  private slots:
    void confidence_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("expected");
        QTest::newRow("lightning") << "hparams.yaml" << 90;
        QTest::newRow("dvc") << "params.yaml" << 90;
        QTest::newRow("wandb") << "config.yaml" << 90;
        QTest::newRow("json") << "params.json" << 90;
        QTest::newRow("mlflow meta") << "meta.yaml" << 0;
        QTest::newRow("csv") << "metrics.csv" << 0;
    }
    void confidence() {
        QFETCH(QString, name);
        QFETCH(int, expected);
        FileProbe probe;
        probe.path = std::filesystem::path("/x") / name.toStdString();
        probe.head = "lr: 0.1\n";
        QCOMPARE(HparamsYamlReader().confidence(probe), expected);
    }

    // Values as a YAML reader must see them, written by hand from the YAML 1.2 spec.
    void nestedMapsSequencesAndAliases() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "hparams.yaml",
                                    "lr: 1.0e-05\n"
                                    "model:\n"
                                    "  depth: 4\n"
                                    "  head:\n"
                                    "    act: relu\n"
                                    "layers: [64, 32]\n"
                                    "nested_list:\n"
                                    "- [1, 2]\n"
                                    "- {k: v}\n"
                                    "optimizer: null\n"
                                    "empty: {}\n"
                                    "base: &b\n"
                                    "  wd: 0.01\n"
                                    "copy: *b\n");
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QVERIFY(!report.hasErrors());
        QCOMPARE(param(target, "lr"), std::string("1.0e-05")); // the text as written, not reformatted
        QCOMPARE(param(target, "model.depth"), std::string("4"));
        QCOMPARE(param(target, "model.head.act"), std::string("relu"));
        QCOMPARE(param(target, "layers"), std::string("[64, 32]"));
        QCOMPARE(param(target, "nested_list"), std::string("[[1, 2], {k: v}]"));
        QCOMPARE(param(target, "optimizer"), std::string("null"));
        QCOMPARE(param(target, "empty"), std::string("{}"));
        QCOMPARE(param(target, "base.wd"), std::string("0.01"));
        QCOMPARE(param(target, "copy.wd"), std::string("0.01"));
    }

    // !!python/* tags are data only: the apply tag below would run a shell command if constructed.
    void pythonTagsAreNeverExecuted() {
        QTemporaryDir dir;
        const std::string marker = dir.path().toStdString() + "/pwned";
        const auto path =
            writeFile(dir, "hparams.yaml",
                      "config: !!python/object:neuralprophet.configure.Train\n"
                      "  batch_size: 128\n"
                      "  optimizer: !!python/name:torch.optim.adamw.AdamW ''\n"
                      "attack: !!python/object/apply:os.system\n"
                      "- touch " +
                          marker +
                          "\n"
                          "shape: !!python/tuple\n"
                          "- 3\n"
                          "- 4\n"
                          "blob: !!binary |\n"
                          "  zMzMzMyMRkA=\n"
                          "scalars:\n"
                          "- !!binary |\n" // a tagged block scalar in a sequence, as PyYAML writes
                          "  ZmZm\n"
                          "- 2\n");
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QVERIFY(!report.hasErrors());
        QVERIFY(!std::filesystem::exists(marker));
        QCOMPARE(param(target, "config.batch_size"), std::string("128"));
        QCOMPARE(param(target, "config.optimizer"), std::string("torch.optim.adamw.AdamW"));
        QCOMPARE(param(target, "shape"), std::string("[3, 4]"));
        // Pickled state is dropped whole, not flattened into params (issue 15, class 7): the apply call, the
        // !!binary bytes and the list holding bytes; three in all, and the report says so.
        QCOMPARE(param(target, "attack"), std::string("<absent>"));
        QCOMPARE(param(target, "blob"), std::string("<absent>"));
        QCOMPARE(param(target, "scalars"), std::string("<absent>"));
        QCOMPARE(report.warningCount(), std::size_t(0));
        QVERIFY(hasIssue(report, IssueKind::Unsupported, "never constructed"));
        QVERIFY(hasIssue(report, IssueKind::Unsupported, "3 pickled python value(s)"));
    }

    // A broken entry in the middle: the entries before and after it are kept, one warning names line 2.
    void keepsWhatParses() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "params.yaml", "a: 1\nb: [unclosed\nc: 3\n");
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QCOMPARE(param(target, "a"), std::string("1"));
        QCOMPARE(param(target, "c"), std::string("3"));
        QCOMPARE(param(target, "b"), std::string("<absent>"));
        const ReadIssue* issue = findIssue(report, IssueKind::BadRecord);
        QVERIFY(issue);
        QCOMPARE(issue->line, std::int64_t(2));
        QCOMPARE(report.warningCount(), std::size_t(1));
    }

    void wandbConfigValues() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "config.yaml",
                                    "wandb_version: 1\n"
                                    "_wandb:\n  desc: null\n  value:\n    cli_version: 0.15.0\n"
                                    "lr:\n  desc: null\n  value: 0.001\n"
                                    "arch:\n  value:\n    width: 8\n");
        MemoryTarget target;
        readParams(path, target);
        QCOMPARE(param(target, "lr"), std::string("0.001"));
        QCOMPARE(param(target, "arch.width"), std::string("8"));
        QCOMPARE(param(target, "_wandb.cli_version"), std::string("<absent>"));
        QCOMPARE(param(target, "wandb_version"), std::string("<absent>"));
    }

    // 9 levels of ten aliases each would expand to 10^9 leaves: the work budget stops it quickly.
    void aliasBombIsBounded() {
        std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i <= 9; ++i) {
            const std::string prev = "*a" + std::to_string(i - 1);
            yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " {";
            for (int k = 0; k < 10; ++k)
                yaml += (k ? ", k" : "k") + std::to_string(k) + ": " + prev;
            yaml += "}\n";
        }
        QTemporaryDir dir;
        const auto path = writeFile(dir, "hparams.yaml", yaml);
        MemoryTarget target;
        QElapsedTimer timer;
        timer.start();
        const ReadReport report = readParams(path, target);
        QVERIFY(timer.elapsed() < 20000);
        QVERIFY(target.run("run")->params.size() <= FlattenLimits{}.maxEntries);
        QVERIFY(hasIssue(report, IssueKind::BadValue));
    }

    // A 60 MB YAML params file once cost ~240x its size (bad_alloc at 12 GB). Read in a child under a 1.5 GiB
    // address-space limit, it must keep its top-level scalars and say what it summarised.
    void hugeYamlStaysWithinAMemoryLimit() {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer reserves terabytes of shadow memory: an address-space limit cannot apply");
#endif
        std::string yaml = "lr: 0.1\noptimizer: adam\nhistory:\n";
        yaml.reserve(61u << 20);
        while (yaml.size() < (60u << 20))
            yaml += "  - [1, 2, 3, 4]\n";
        QTemporaryDir dir;
        const auto path = writeFile(dir, "hparams.yaml", yaml);
        yaml = {};
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            constexpr rlim_t kLimit = rlim_t(3) << 29; // 1.5 GiB
            const rlimit limit{kLimit, kLimit};
            ::setrlimit(RLIMIT_AS, &limit);
            int code = 0;
            try {
                MemoryTarget target;
                const ReadReport report = readParams(path, target);
                code = param(target, "lr") == "0.1" && param(target, "optimizer") == "adam" ? 0 : 3;
                if (code == 0 && report.issues.empty()) code = 5; // the summary must be reported
            } catch (...) {
                code = 4; // bad_alloc: the bound did not hold
            }
            ::_exit(code);
        }
        int status = 0;
        QElapsedTimer timer;
        timer.start();
        while (::waitpid(child, &status, WNOHANG) == 0) {
            if (timer.elapsed() > 180000) {
                ::kill(child, SIGKILL);
                ::waitpid(child, &status, 0);
                QFAIL("reading a 60 MB YAML file did not finish in 3 minutes");
            }
            QTest::qWait(50);
        }
        QVERIFY2(WIFEXITED(status), "the reader crashed under a 1.5 GiB limit");
        QCOMPARE(WEXITSTATUS(status), 0);
    }

    void deepNestingStopsAt64() {
        std::string yaml = "x: 1\ndeep:\n";
        for (int depth = 1; depth < 100; ++depth)
            yaml += std::string(2 * depth, ' ') + "k:\n";
        yaml += std::string(200, ' ') + "leaf: 2\n";
        yaml += "y: 3\n";
        QTemporaryDir dir;
        const auto path = writeFile(dir, "hparams.yaml", yaml);
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QCOMPARE(param(target, "x"), std::string("1"));
        QCOMPARE(param(target, "y"), std::string("3"));
        QVERIFY(hasIssue(report, IssueKind::BadValue, "64"));
    }

    // 100,000 nested flow sequences: the parser's own recursion guard refuses them; the rest is kept.
    void hugeFlowNestingDoesNotCrash() {
        const std::string yaml =
            "x: 1\ndeep: " + std::string(100000, '[') + std::string(100000, ']') + "\ny: 2\n";
        QTemporaryDir dir;
        const auto path = writeFile(dir, "hparams.yaml", yaml);
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QCOMPARE(param(target, "x"), std::string("1"));
        QCOMPARE(param(target, "y"), std::string("2"));
        QVERIFY(report.warningCount() >= 1);
    }

    void emptyFile() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "hparams.yaml", "");
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QVERIFY(hasIssue(report, IssueKind::Empty));
        QVERIFY(!target.run("run") || target.run("run")->params.empty());
    }

    void invalidUtf8IsReplacedAndReported() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "hparams.yaml", "lr: 0.1\nname: caf\xE9\nseed: 7\n");
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        const ReadIssue* issue = findIssue(report, IssueKind::InvalidUtf8);
        QVERIFY(issue);
        QCOMPARE(issue->line, std::int64_t(2));
        QCOMPARE(param(target, "lr"), std::string("0.1"));
        QCOMPARE(param(target, "name"), std::string("caf\xEF\xBF\xBD"));
        QCOMPARE(param(target, "seed"), std::string("7"));
    }

    void paramsJsonNestedAndExact() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "params.json",
                                    R"({"lr": 1e-05, "model": {"depth": 12, "tags": ["a", 1]},
                                        "epochs": 9223372036854775807, "flag": true, "none": null})");
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QVERIFY(!report.hasErrors());
        QCOMPARE(param(target, "lr"), std::string("1e-05"));
        QCOMPARE(param(target, "model.depth"), std::string("12"));
        QCOMPARE(param(target, "model.tags"), std::string(R"(["a",1])"));
        QCOMPARE(param(target, "epochs"), std::string("9223372036854775807"));
        QCOMPARE(param(target, "flag"), std::string("true"));
        QCOMPARE(param(target, "none"), std::string("null"));
    }

    void truncatedJson() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "params.json", R"({"lr": 0.1, "model": {"depth": )");
        MemoryTarget target;
        const ReadReport report = readParams(path, target);
        QVERIFY(report.hasErrors());
        QVERIFY(hasIssue(report, IssueKind::Truncated));
    }

    void provenanceFromParams() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "params.yaml",
                                    "git_commit: 3f2a9c1d0b7e\n"
                                    "model:\n  sha: not-a-revision\n"
                                    "data:\n  version: v3\n"
                                    "trainer:\n  seed: 1234\n");
        MemoryTarget target;
        readParams(path, target);
        const MemoryRun* run = target.run("run");
        QVERIFY(run);
        QCOMPARE(run->provenance.codeVersion, std::string("3f2a9c1d0b7e"));
        QCOMPARE(run->provenance.dataVersion, std::string("v3"));
        QCOMPARE(run->provenance.seed, std::string("1234"));
    }

    void provenanceKeys_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("field"); // -1: not provenance
        QTest::newRow("git_commit") << "git_commit"
                                    << "abc" << int(ProvenanceField::CodeVersion);
        QTest::newRow("mlflow tag") << "mlflow.source.git.commit"
                                    << "0123456789abcdef" << int(ProvenanceField::CodeVersion);
        QTest::newRow("bare sha hex") << "sha"
                                      << "deadbeef1" << int(ProvenanceField::CodeVersion);
        QTest::newRow("bare sha text") << "sha"
                                       << "hello world" << -1;
        QTest::newRow("data_version") << "data_version"
                                      << "2024-01" << int(ProvenanceField::DataVersion);
        QTest::newRow("dvc md5") << "data.md5"
                                 << "a1b2c3" << int(ProvenanceField::DataVersion);
        QTest::newRow("seed") << "config/seed"
                              << "42" << int(ProvenanceField::Seed);
        QTest::newRow("random_state") << "random_state"
                                      << "0" << int(ProvenanceField::Seed);
        QTest::newRow("seed None") << "random_state"
                                   << "None" << -1;
        QTest::newRow("seed text") << "seed"
                                   << "random" << -1;
        QTest::newRow("lr") << "lr"
                            << "0.1" << -1;
    }
    void provenanceKeys() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(int, field);
        const auto match = matchProvenance(key.toStdString(), value.toStdString());
        if (field < 0) {
            QVERIFY(!match);
            return;
        }
        QVERIFY(match);
        QCOMPARE(int(match->field), field);
    }
};

QTEST_GUILESS_MAIN(TestHparamsYamlReader)
#include "test_hparams_yaml_reader.moc"
