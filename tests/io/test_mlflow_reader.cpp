// Tests of the MLflow file-store and SQLite-store readers: synthetic stores, real stores, a generated
// mlflow.db.
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/mlflow_file_reader.h"
#include "core/io/mlflow_sql_reader.h"

#include <cmath>
#include <fstream>
#include <map>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

QString readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

// The value of a top-level "key: value" line of a small YAML file (quotes stripped), read by hand.
QString yamlField(const QString& path, const QString& key) {
    for (const QString& line : readText(path).split('\n')) {
        if (!line.startsWith(key + ": ")) continue;
        QString v = line.mid(key.size() + 2).trimmed();
        if (v.size() >= 2 && (v.startsWith('\'') || v.startsWith('"'))) v = v.mid(1, v.size() - 2);
        return v;
    }
    return {};
}

QString describe(const ReadReport& r) {
    QStringList out;
    for (const auto& i : r.issues)
        out << QString::fromStdString(i.toString());
    return out.join(" | ");
}

std::string runMeta(const std::string& id, const std::string& name, int status, const std::string& stage) {
    return "artifact_uri: file:///tmp/x\nend_time: 1700000009500\nentry_point_name: ''\nexperiment_id: '1'\n"
           "lifecycle_stage: " +
           stage + "\nrun_id: " + id + "\nrun_name: " + name + "\nrun_uuid: " + id +
           "\nsource_type: 4\nstart_time: 1700000000250\nstatus: " + std::to_string(status) +
           "\ntags: []\nuser_id: me\n";
}

// A store with two experiments, a deleted run, a .trash folder, duplicate run names and odd metric lines.
fs::path makeStore(const fs::path& root) {
    const fs::path m = root / "mlruns";
    writeText(m / "1" / "meta.yaml",
              "artifact_location: file:///tmp\nexperiment_id: '1'\nlifecycle_stage: active\nname: sweep\n");
    writeText(m / "1" / "aaaa1111bbbb" / "meta.yaml", runMeta("aaaa1111bbbb", "base", 3, "active"));
    writeText(m / "1" / "aaaa1111bbbb" / "metrics" / "loss",
              "1700000001000 0.5 0\n1700000002000 0.25 1\n1700000003000 nan 2\n1700000004000 inf 3\n"
              "1700000005000 -inf 4\n");
    writeText(m / "1" / "aaaa1111bbbb" / "metrics" / "val" / "acc", "1700000001500 0.75\n");
    writeText(m / "1" / "aaaa1111bbbb" / "metrics" / "bad", "1700000001000 x 0\n1700000001000 1 2 3 4\n\n"
                                                            "1700000001000 2.5 7\n" +
                                                                std::string(5000, '9') + "\n");
    writeText(m / "1" / "broken000000" / "meta.yaml", "run_id: [unclosed\n"); // not YAML: warned, skipped
    writeText(m / "1" / "aaaa1111bbbb" / "params" / "lr", "0.01");
    writeText(m / "1" / "aaaa1111bbbb" / "tags" / "mlflow.runName", "dup");
    writeText(m / "1" / "aaaa1111bbbb" / "tags" / "mlflow.source.git.commit", "abc123");
    writeText(m / "1" / "cccc2222dddd" / "meta.yaml", runMeta("cccc2222dddd", "dup", 4, "active"));
    writeText(m / "1" / "cccc2222dddd" / "tags" / "mlflow.runName", "dup");
    writeText(m / "1" / "cccc2222dddd" / "metrics" / "loss", "1700000001000 1.5 10\n");
    writeText(m / "1" / "eeee3333ffff" / "meta.yaml", runMeta("eeee3333ffff", "gone", 3, "deleted"));
    writeText(m / "1" / "eeee3333ffff" / "metrics" / "loss", "1700000001000 9 0\n");
    writeText(m / "2" / "meta.yaml", "experiment_id: '2'\nlifecycle_stage: active\nname: other\n");
    writeText(m / "2" / "1234567890ab" / "meta.yaml", runMeta("1234567890ab", "solo", 1, "active"));
    writeText(m / ".trash" / "3" / "meta.yaml", "experiment_id: '3'\nname: trashed\n");
    writeText(m / "models" / "M" / "meta.yaml", "name: M\n");
    return m;
}

} // namespace

class TestMlflowReader : public QObject {
    Q_OBJECT

  private slots:
    void syntheticFileStore();
    void damagedExperimentMetaKeepsItsRuns();
    void realFileStores();
    void sqlStore();
    void sqlConfidenceRejectsOtherSqlite();
    void unchangedReimportCounts();
};

void TestMlflowReader::syntheticFileStore() {
    QTemporaryDir tmp;
    const fs::path store = makeStore(tmp.path().toStdString());
    MlflowFileStoreReader reader;
    QCOMPARE(reader.confidence(store), 95);
    QCOMPARE(reader.confidence(store / "1" / "aaaa1111bbbb"), 0);
    MemoryTarget target;
    const ReadReport r = reader.read(store, {}, target);
    QVERIFY2(!r.hasErrors(), qPrintable(describe(r)));
    // "x" is not a number (line 1), 5 fields (line 2), a 5000-byte line (line 5): three skipped rows, the
    // good line 4 still read; plus the broken meta.yaml.
    QCOMPARE(int(r.warningCount()), 4);
    QCOMPARE(r.rowsSkipped, qint64(3));
    QCOMPARE(
        std::count_if(r.issues.begin(), r.issues.end(),
                      [](const ReadIssue& i) { return i.kind == IssueKind::LineTooLong && i.line == 5; }),
        std::ptrdiff_t(1));

    QStringList names;
    for (const auto& [name, run] : target.runs())
        names << QString::fromStdString(name);
    QCOMPARE(names, (QStringList{"other/solo", "sweep/dup-aaaa1111", "sweep/dup-cccc2222"}));
    QCOMPARE(target.commits(), qint64(3)); // one transaction per run directory

    const MemoryRun* a = target.run("sweep/dup-aaaa1111");
    QVERIFY(a);
    QCOMPARE(a->params.at("lr"), std::string("0.01"));
    QCOMPARE(a->provenance.codeVersion, std::string("abc123"));
    QCOMPARE(a->provenance.status, std::string("FINISHED"));
    QCOMPARE(a->provenance.startTime, 1700000000.25);
    QCOMPARE(a->provenance.endTime, 1700000009.5);
    QCOMPARE(target.run("sweep/dup-cccc2222")->provenance.status, std::string("FAILED"));
    QCOMPARE(target.run("other/solo")->provenance.status, std::string("RUNNING"));

    const SeriesData* loss = target.series("sweep/dup-aaaa1111", "loss");
    QVERIFY(loss);
    QCOMPARE(loss->size(), std::size_t(5));
    QCOMPARE(loss->values[0], 0.5);
    QVERIFY(std::isnan(loss->values[2]));
    QCOMPARE(loss->values[3], std::numeric_limits<double>::infinity());
    QCOMPARE(loss->values[4], -std::numeric_limits<double>::infinity());
    QCOMPARE(loss->steps, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
    QCOMPARE(loss->wallTimes[1], 1700000002.0);
    const SeriesData* acc = target.series("sweep/dup-aaaa1111", "val/acc"); // nested key, 2-field line
    QVERIFY(acc);
    QCOMPARE(acc->steps, (std::vector<std::int64_t>{0}));
    QCOMPARE(acc->values, (std::vector<double>{0.75}));
    QCOMPARE(target.series("sweep/dup-aaaa1111", "bad")->values, (std::vector<double>{2.5}));

    // A second import of an unchanged store opens no transaction.
    reader.read(store, {}, target);
    QCOMPARE(target.commits(), qint64(3));
}

// A crash while MLflow rewrote an experiment's meta.yaml leaves it cut or empty: that experiment's runs are
// still imported (under the folder name, with a warning naming the file), and the other experiments too.
void TestMlflowReader::damagedExperimentMetaKeepsItsRuns() {
    for (const std::string& damaged : {std::string("experiment_id: '2'\nname: [oth"), std::string()}) {
        QTemporaryDir tmp;
        const fs::path store = makeStore(tmp.path().toStdString());
        writeText(store / "2" / "meta.yaml", damaged);
        MlflowFileStoreReader reader;
        QCOMPARE(reader.confidence(store), 95);
        MemoryTarget target;
        const ReadReport r = reader.read(store, {}, target);
        QStringList names;
        for (const auto& [name, run] : target.runs())
            names << QString::fromStdString(name);
        QCOMPARE(names, (QStringList{"2/solo", "sweep/dup-aaaa1111", "sweep/dup-cccc2222"}));
        const QString issues = describe(r);
        QVERIFY2(issues.contains(QString::fromStdString((store / "2" / "meta.yaml").string())) &&
                     issues.contains("cannot be read"),
                 qPrintable(issues));
    }
    // A store whose only experiment is damaged is still recognised as a store.
    QTemporaryDir tmp;
    const fs::path store = makeStore(tmp.path().toStdString());
    fs::remove_all(store / "1");
    writeText(store / "2" / "meta.yaml", "\x01\x02");
    QCOMPARE(MlflowFileStoreReader().confidence(store), 95);
}

void TestMlflowReader::realFileStores() {
    const QString root = QStringLiteral(RUNLENS_REAL_DATA) + "/mlflow";
    if (!QFileInfo(root).isDir()) QSKIP("real data folder /work/shared/data/real/mlflow is absent");
    int storesSeen = 0, runsChecked = 0, paramsChecked = 0, pointsChecked = 0;
    for (const QString& store : QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString mlruns = root + "/" + store + "/mlruns";
        MlflowFileStoreReader reader;
        QCOMPARE(reader.confidence(mlruns.toStdString()), 95);
        MemoryTarget target;
        const ReadReport r = reader.read(mlruns.toStdString(), {}, target);
        QVERIFY2(r.issues.empty(), qPrintable(describe(r)));
        ++storesSeen;

        // Expected runs, found by walking the raw tree by hand.
        std::map<QString, QStringList> runDirsByName; // "<exp>/<name>" -> run dirs
        for (const QString& exp : QDir(mlruns).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QString expMeta = mlruns + "/" + exp + "/meta.yaml";
            if (yamlField(expMeta, "experiment_id").isEmpty()) continue; // e.g. the model registry
            const QString expName = yamlField(expMeta, "name");
            for (const QString& run : QDir(mlruns + "/" + exp).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                const QString dir = mlruns + "/" + exp + "/" + run;
                if (yamlField(dir + "/meta.yaml", "lifecycle_stage") != "active") continue;
                QString name = readText(dir + "/tags/mlflow.runName").trimmed();
                if (name.isEmpty()) name = yamlField(dir + "/meta.yaml", "run_name");
                runDirsByName[expName + "/" + name] << dir;
            }
        }
        std::size_t expectedRuns = 0;
        for (const auto& [name, dirs] : runDirsByName) {
            for (const QString& dir : dirs) {
                ++expectedRuns;
                QString runName = name;
                if (dirs.size() > 1) runName += "-" + QFileInfo(dir).fileName().left(8);
                const MemoryRun* got = target.run(runName.toStdString());
                QVERIFY2(got, qPrintable("missing run " + runName));
                ++runsChecked;
                for (const QString& p : QDir(dir + "/params").entryList(QDir::Files)) {
                    QCOMPARE(QString::fromStdString(got->params.at(p.toStdString())),
                             readText(dir + "/params/" + p));
                    ++paramsChecked;
                }
                QCOMPARE(QString::fromStdString(got->tags.at("mlflow.user")),
                         readText(dir + "/tags/mlflow.user"));
                // MLflow's RunStatus enum: 1 RUNNING, 2 SCHEDULED, 3 FINISHED, 4 FAILED, 5 KILLED.
                const QStringList statusNames{"", "RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"};
                QCOMPARE(QString::fromStdString(got->provenance.status),
                         statusNames.value(yamlField(dir + "/meta.yaml", "status").toInt()));
                QCOMPARE(got->provenance.startTime,
                         yamlField(dir + "/meta.yaml", "start_time").toDouble() / 1000.0);
                const QString commit = readText(dir + "/tags/mlflow.source.git.commit");
                QCOMPARE(QString::fromStdString(got->provenance.codeVersion), commit);
                QDirIterator metrics(dir + "/metrics", QDir::Files, QDirIterator::Subdirectories);
                std::size_t metricFiles = 0;
                while (metrics.hasNext()) {
                    const QString file = metrics.next();
                    const QString key = QDir(dir + "/metrics").relativeFilePath(file);
                    const SeriesData* s = target.series(runName.toStdString(), key.toStdString());
                    QVERIFY2(s, qPrintable(runName + " lacks " + key));
                    ++metricFiles;
                    const QStringList lines = readText(file).split('\n', Qt::SkipEmptyParts);
                    QCOMPARE(s->size(), std::size_t(lines.size()));
                    for (int i = 0; i < lines.size(); ++i) {
                        const QStringList f = lines[i].split(' ');
                        QCOMPARE(s->wallTimes[i], f[0].toLongLong() / 1000.0);
                        QCOMPARE(s->values[i], f[1].toDouble());
                        QCOMPARE(s->steps[i], f.size() > 2 ? f[2].toLongLong() : 0);
                        ++pointsChecked;
                    }
                }
                QCOMPARE(got->series.size(), metricFiles);
            }
        }
        QCOMPARE(target.runs().size(), expectedRuns);
    }
    QCOMPARE(storesSeen, 2);
    QVERIFY(runsChecked >= 20);
    QVERIFY(paramsChecked > 0);
    QVERIFY(pointsChecked > 40);
}

namespace {

void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const QString msg = QString::fromUtf8(err ? err : "?");
        sqlite3_free(err);
        QFAIL(qPrintable(msg));
    }
}

} // namespace

void TestMlflowReader::sqlStore() {
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("mlflow.db").toStdString();
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // The subset of MLflow's SQLAlchemy schema (mlflow/store/tracking/dbmodels/models.py) the reader uses.
    exec(
        db,
        "CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256) NOT NULL UNIQUE,"
        " artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT,"
        " last_update_time BIGINT);"
        "CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20),"
        " source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9),"
        " start_time BIGINT, end_time BIGINT, deleted_time BIGINT, source_version VARCHAR(50),"
        " lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER);"
        "CREATE TABLE metrics (key VARCHAR(250), value FLOAT NOT NULL, timestamp BIGINT, run_uuid "
        "VARCHAR(32),"
        " step BIGINT DEFAULT 0 NOT NULL, is_nan BOOLEAN DEFAULT 0 NOT NULL,"
        " PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));"
        "CREATE TABLE params (key VARCHAR(250), value VARCHAR(8000), run_uuid VARCHAR(32),"
        " PRIMARY KEY (key, run_uuid));"
        "CREATE TABLE tags (key VARCHAR(250), value VARCHAR(5000), run_uuid VARCHAR(32),"
        " PRIMARY KEY (key, run_uuid));"
        "INSERT INTO experiments VALUES (0, 'Default', '', 'active', 0, 0), (1, 'exp', '', 'active', 0, 0);"
        "INSERT INTO runs VALUES"
        " ('r1aaaaaaaaaa', 'alpha', 'LOCAL', '', '', 'u', 'FINISHED', 1700000000000, 1700000060000, NULL, '',"
        "  'active', '', 1),"
        " ('r2bbbbbbbbbb', 'alpha', 'LOCAL', '', '', 'u', 'FAILED', 1700000100000, NULL, NULL, '', 'active', "
        "'', 1),"
        " ('r3cccccccccc', 'gone', 'LOCAL', '', '', 'u', 'FINISHED', 1, 2, 3, '', 'deleted', '', 1),"
        " ('r4dddddddddd', 'plain', 'LOCAL', '', '', 'u', 'RUNNING', 5000, NULL, NULL, '', 'active', '', 0);"
        "INSERT INTO metrics VALUES ('loss', 0.5, 1700000001000, 'r1aaaaaaaaaa', 1, 0),"
        " ('loss', 0.25, 1700000002000, 'r1aaaaaaaaaa', 2, 0), ('loss', 0, 1700000003000, 'r1aaaaaaaaaa', 3, "
        "1),"
        " ('val/acc', 0.9, 1700000002000, 'r1aaaaaaaaaa', 2, 0), ('loss', 7, 1, 'r3cccccccccc', 0, 0),"
        " ('loss', 1.5, 1700000101000, 'r2bbbbbbbbbb', 0, 0);"
        "INSERT INTO params VALUES ('lr', '0.001', 'r1aaaaaaaaaa'), ('layers', '3', 'r1aaaaaaaaaa'),"
        " ('lr', '0.1', 'r2bbbbbbbbbb');"
        "INSERT INTO tags VALUES ('mlflow.runName', 'alpha', 'r1aaaaaaaaaa'),"
        " ('mlflow.source.git.commit', 'deadbeef', 'r1aaaaaaaaaa'), ('mlflow.runName', 'renamed', "
        "'r4dddddddddd');");
    sqlite3_close(db);

    MlflowSqlReader reader;
    QCOMPARE(reader.confidence(FileProbe::fromFile(path)), 90);
    MemoryTarget target;
    ReadReport r;
    {
        auto tx = target.beginSource(path, "mlflow-sql", true);
        r = reader.read(path, {}, *tx);
        tx->commit({"mlflow-sql", 0, 0, r.endOffset});
    }
    QVERIFY2(r.issues.empty(), qPrintable(describe(r)));
    QStringList names;
    for (const auto& [name, run] : target.runs())
        names << QString::fromStdString(name);
    QCOMPARE(names, (QStringList{"Default/renamed", "exp/alpha-r1aaaaaa", "exp/alpha-r2bbbbbb"}));
    const MemoryRun* a = target.run("exp/alpha-r1aaaaaa");
    QCOMPARE(a->params.at("lr"), std::string("0.001"));
    QCOMPARE(a->params.at("layers"), std::string("3"));
    QCOMPARE(a->provenance.codeVersion, std::string("deadbeef"));
    QCOMPARE(a->provenance.status, std::string("FINISHED"));
    QCOMPARE(a->provenance.startTime, 1700000000.0);
    QCOMPARE(a->provenance.endTime, 1700000060.0);
    const SeriesData* loss = target.series("exp/alpha-r1aaaaaa", "loss");
    QVERIFY(loss);
    QCOMPARE(loss->steps, (std::vector<std::int64_t>{1, 2, 3}));
    QCOMPARE(loss->values[0], 0.5);
    QCOMPARE(loss->values[1], 0.25);
    QVERIFY(std::isnan(loss->values[2])); // is_nan = 1
    QCOMPARE(loss->wallTimes[2], 1700000003.0);
    QCOMPARE(target.series("exp/alpha-r1aaaaaa", "val/acc")->values, (std::vector<double>{0.9}));
    QCOMPARE(target.series("exp/alpha-r2bbbbbb", "loss")->values, (std::vector<double>{1.5}));
    QCOMPARE(target.run("exp/alpha-r2bbbbbb")->provenance.status, std::string("FAILED"));
    QCOMPARE(r.points, qint64(5));
    // The reader never wrote: no journal or WAL files appeared next to the database.
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path + "-wal")));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path + "-journal")));
}

void TestMlflowReader::sqlConfidenceRejectsOtherSqlite() {
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("other.db").toStdString();
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    exec(db, "CREATE TABLE runs (id INTEGER, name TEXT); CREATE TABLE metrics (x);");
    sqlite3_close(db);
    MlflowSqlReader reader;
    QCOMPARE(reader.confidence(FileProbe::fromFile(path)), 0);
    FileProbe text;
    text.path = tmp.filePath("notes.txt").toStdString();
    text.head = "hello";
    QCOMPARE(reader.confidence(text), 0);
    MemoryTarget target;
    auto tx = target.beginSource(path, "mlflow-sql", true);
    const ReadReport r = reader.read(path, {}, *tx);
    QVERIFY(r.hasErrors());
}

// Re-importing an unchanged store reads nothing and counts every run directory as unchanged, so the CLI's
// "N unchanged" line and exit status 0 follow (app/cmd_import.cpp: nothing imported = no file read and none
// unchanged). One run that grows is the only one read again. Issue 15, class 6.
void TestMlflowReader::unchangedReimportCounts() {
    QTemporaryDir tmp;
    const fs::path store = makeStore(tmp.path().toStdString());
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const std::vector<fs::path> paths{store};
    MemoryTarget target;
    const ImportSummary first = importPaths(paths, registry, target);
    QVERIFY(first.filesRead > 0);
    const ImportSummary again = importPaths(paths, registry, target);
    QCOMPARE(again.filesRead, std::int64_t(0));
    QCOMPARE(again.filesUnchanged, first.filesRead);
    // aaaa1111bbbb's metrics/loss grows by one line: that run is read, the others stay unchanged.
    std::ofstream(store / "1" / "aaaa1111bbbb" / "metrics" / "loss", std::ios::app)
        << "1700000006000 0.125 5\n";
    const ImportSummary grown = importPaths(paths, registry, target);
    QCOMPARE(grown.filesRead, std::int64_t(1));
    QCOMPARE(grown.filesUnchanged, first.filesRead - 1);

    const QString real = QString(RUNLENS_REAL_DATA) + "/mlflow/16aryan-mlflow-wine/mlruns";
    if (!QFileInfo(real).isDir()) QSKIP("real MLflow store absent (../shared/data/real)");
    const std::vector<fs::path> realPaths{real.toStdString()};
    MemoryTarget realTarget;
    const ImportSummary realFirst = importPaths(realPaths, registry, realTarget);
    const ImportSummary realAgain = importPaths(realPaths, registry, realTarget);
    QVERIFY(realFirst.filesRead > 0);
    QCOMPARE(realAgain.filesRead, std::int64_t(0));
    QCOMPARE(realAgain.filesUnchanged, realFirst.filesRead);
}

QTEST_GUILESS_MAIN(TestMlflowReader)
#include "test_mlflow_reader.moc"
