// Optuna studies (SQLite storage and JournalStorage file) read as sweeps, checked against what Optuna itself
// reads back from the same storages (issue 15, class 10). The studies are written at test time by
// tests/tools/gen_optuna_studies.py with Debian's python3-optuna; the test skips when that is absent.
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/optuna_journal_reader.h"
#include "core/io/optuna_sql_reader.h"
#include "core/io/optuna_study.h"
#include "core/io/reader.h"
#include "tests/common/import_test_support.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include <sqlite3.h>

using namespace runlens;
namespace fs = std::filesystem;
using test::importWithBuiltins;

namespace {

// float.hex() text ("0x1.8p+1", "inf", "-inf", "nan") to the double it names, exactly.
double fromHex(const QJsonValue& v) {
    if (v.isNull()) return std::nan("");
    return std::strtod(v.toString().toStdString().c_str(), nullptr);
}

bool sameDouble(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

const char* kPython = "/usr/bin/python3"; // Debian's, where python3-optuna installs

} // namespace

class TestOptunaReader : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_dir;
    QJsonObject m_expected;  // storage file name -> Optuna's own description of its studies
    QByteArray m_skipReason; // set when the studies could not be generated

  private slots:
    // Generates the studies once; the tests that need them skip when python3-optuna is absent.
    void initTestCase() {
        m_dir = fs::path(m_tmp.path().toStdString()) / "sweeps";
        fs::create_directories(m_dir);
        if (!fs::exists(kPython)) {
            m_skipReason = "no /usr/bin/python3 (Debian python3-optuna needed)";
            return;
        }
        QProcess gen;
        gen.start(kPython, {QString(RUNLENS_SOURCE_DIR) + "/tests/tools/gen_optuna_studies.py",
                            QString::fromStdString(m_dir.string())});
        QVERIFY(gen.waitForFinished(120000));
        if (gen.exitCode() == 3) {
            m_skipReason = "python3-optuna is not installed (apt-get install python3-optuna)";
            return;
        }
        QCOMPARE(gen.exitCode(), 0);
        const QJsonDocument doc = QJsonDocument::fromJson(gen.readAllStandardOutput());
        QVERIFY(doc.isObject());
        m_expected = doc.object();
    }

    void confidenceNamesEachStorage() {
        if (!m_skipReason.isEmpty()) QSKIP(m_skipReason.constData());
        const ReaderRegistry registry = ReaderRegistry::withBuiltins();
        const Reader* sql = registry.pick(FileProbe::fromFile(m_dir / "optuna.db"));
        const Reader* journal = registry.pick(FileProbe::fromFile(m_dir / "journal.log"));
        QVERIFY(sql && journal);
        QCOMPARE(std::string(sql->name()), std::string("optuna-sql"));
        QCOMPARE(std::string(journal->name()), std::string("optuna-journal"));
    }

    void trialsMatchOptuna_data() {
        QTest::addColumn<QString>("storage");
        QTest::newRow("sqlite") << "optuna.db";
        QTest::newRow("journal") << "journal.log";
    }

    // Every trial Optuna lists is one run "<folder>/<study>/trial_<n>" with Optuna's params, state, values
    // and intermediate values, and the study's directions; nothing else becomes a run.
    void trialsMatchOptuna() {
        if (!m_skipReason.isEmpty()) QSKIP(m_skipReason.constData());
        QFETCH(QString, storage);
        const fs::path file = m_dir / storage.toStdString();
        MemoryTarget target;
        const ImportSummary summary = importWithBuiltins(file, target);
        QVERIFY2(!summary.report.hasErrors(),
                 summary.report.issues.empty() ? "" : summary.report.issues.front().toString().c_str());
        QCOMPARE(summary.report.warningCount(), std::size_t(0));
        const std::string prefix = file.stem().string(); // a file imported alone names its runs' prefix
        std::size_t trials = 0;
        const QJsonArray studies = m_expected.value(storage).toArray();
        QCOMPARE(studies.size(), 2);
        for (const auto& sv : studies) {
            const QJsonObject study = sv.toObject();
            const std::string name = study.value("name").toString().toStdString();
            QStringList directions;
            for (const auto& d : study.value("directions").toArray())
                directions << d.toString();
            for (const auto& tv : study.value("trials").toArray()) {
                ++trials;
                const QJsonObject t = tv.toObject();
                const std::string runName =
                    prefix + "/" + name + "/trial_" + std::to_string(t.value("number").toInt());
                const MemoryRun* run = target.run(runName);
                QVERIFY2(run, runName.c_str());
                QCOMPARE(QString::fromStdString(run->tags.at("optuna.state")), t.value("state").toString());
                QCOMPARE(QString::fromStdString(run->tags.at("optuna.direction")), directions.join(","));
                QCOMPARE(QString::fromStdString(run->provenance.format), QString("optuna"));
                // Params: floats exactly, others as Python's str() prints them.
                const QJsonObject params = t.value("params").toObject();
                QCOMPARE(run->params.size(), static_cast<std::size_t>(params.size()));
                for (auto it = params.begin(); it != params.end(); ++it) {
                    const std::string got = run->params.at(it.key().toStdString());
                    const QJsonObject p = it.value().toObject();
                    if (p.contains("float"))
                        QCOMPARE(std::strtod(got.c_str(), nullptr), fromHex(p.value("float")));
                    else
                        QCOMPARE(QString::fromStdString(got), p.value("text").toString());
                }
                // Values: summary metrics "value" or "value_<i>", none for a failed trial.
                const QJsonArray values = t.value("values").toArray();
                QCOMPARE(run->summaryMetrics.size(), static_cast<std::size_t>(values.size()));
                for (int i = 0; i < values.size(); ++i) {
                    const std::string key = values.size() == 1 ? "value" : "value_" + std::to_string(i);
                    QVERIFY2(sameDouble(run->summaryMetrics.at(key), fromHex(values[i])), key.c_str());
                }
                // Intermediate values: one series by step.
                const QJsonObject inter = t.value("intermediate").toObject();
                const auto series = run->series.find("intermediate_value");
                if (inter.isEmpty()) {
                    QVERIFY(series == run->series.end());
                    continue;
                }
                QVERIFY(series != run->series.end());
                QCOMPARE(series->second.size(), static_cast<std::size_t>(inter.size()));
                for (std::size_t i = 0; i < series->second.size(); ++i) {
                    const QString step = QString::number(series->second.steps[i]);
                    QVERIFY2(inter.contains(step), qPrintable(step));
                    QVERIFY(sameDouble(series->second.values[i], fromHex(inter.value(step))));
                }
            }
        }
        QCOMPARE(target.runs().size(), trials);
        QCOMPARE(trials, std::size_t(10)); // 7 of "demo" (one added whole) and 3 of "pareto"
    }

    // A journal whose last line is still being written: the complete operations are read, the cut one is left
    // for the next import (endOffset stops before it) and is not reported as bad.
    void journalCutLastLineWaits() {
        if (!m_skipReason.isEmpty()) QSKIP(m_skipReason.constData());
        const fs::path copy = m_dir.parent_path() / "cut" / "journal.log";
        fs::create_directories(copy.parent_path());
        fs::copy_file(m_dir / "journal.log", copy);
        const auto fullSize = static_cast<std::int64_t>(fs::file_size(copy));
        {
            std::ofstream out(copy, std::ios::binary | std::ios::app);
            out << "{\"op_code\": 4, \"worker_id\": \"w\", \"study_id\": 0, \"datetime_st";
        }
        OptunaJournalReader reader;
        MemoryTarget target;
        ReadContext ctx;
        ctx.runName = "cut";
        auto txn = target.beginSource(copy.string(), "optuna-journal", true);
        const ReadReport report = reader.read(copy, ctx, *txn);
        txn->commit(SourceState{"optuna-journal", 0, 0, report.endOffset});
        QCOMPARE(report.warningCount(), std::size_t(0));
        QCOMPARE(report.endOffset, fullSize);
        QCOMPARE(target.runs().size(), std::size_t(10));
    }

    // Broken operations are skipped one by one with their line, the rest of the study still arrives.
    void journalBadLinesAreReported() {
        const fs::path file = m_dir.parent_path() / "bad" / "journal.log";
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary)
            << "{\"op_code\": 0, \"worker_id\": \"w\", \"study_name\": \"s\", \"directions\": [2]}\n"
               "{\"op_code\": 4, \"worker_id\": \"w\", \"study_id\": 0, \"datetime_start\": "
               "\"2024-01-02T03:04:05\"}\n"
               "not json\n"
               "{\"op_code\": 5, \"worker_id\": \"w\", \"trial_id\": 9, \"param_name\": \"x\"}\n"
               "{\"op_code\": 7, \"worker_id\": \"w\", \"trial_id\": 0, \"step\": 3, \"intermediate_value\": "
               "NaN}\n"
               "{\"op_code\": 6, \"worker_id\": \"w\", \"trial_id\": 0, \"state\": 1, \"values\": "
               "[Infinity], "
               "\"datetime_complete\": \"2024-01-02T03:04:06\"}\n"
               "{\"op_code\": 7, \"worker_id\": \"w\", \"trial_id\": 0, \"step\": 4, \"intermediate_value\": "
               "1.0}\n";
        MemoryTarget target;
        const ImportSummary summary = importWithBuiltins(file, target);
        std::vector<std::int64_t> badLines;
        for (const auto& i : summary.report.issues)
            if (i.kind == IssueKind::BadRecord) badLines.push_back(i.line);
        QCOMPARE(badLines, (std::vector<std::int64_t>{3, 4}));
        const MemoryRun* run = target.run("journal/s/trial_0");
        QVERIFY(run);
        QCOMPARE(run->tags.at("optuna.direction"), std::string("maximize"));
        QCOMPARE(run->tags.at("optuna.state"), std::string("COMPLETE"));
        QVERIFY(std::isinf(run->summaryMetrics.at("value")));
        // 2024-01-02T03:04:05 UTC = 1704164645 (python3 -c "import
        // calendar;print(calendar.timegm((2024,1,2,3,4,5)))")
        QCOMPARE(run->provenance.startTime, 1704164645.0);
        // The update after the trial finished is ignored, as Optuna ignores it: only step 3 (NaN) is kept.
        const SeriesData& inter = run->series.at("intermediate_value");
        QCOMPARE(inter.size(), std::size_t(1));
        QCOMPARE(inter.steps[0], std::int64_t(3));
        QVERIFY(std::isnan(inter.values[0]));
    }

    void paramTextFromDistribution() {
        std::string why;
        QCOMPARE(
            optunaParamText(
                1, R"({"name": "CategoricalDistribution", "attributes": {"choices": ["a", 2, null]}})", why),
            std::string("2"));
        QCOMPARE(
            optunaParamText(
                2, R"({"name": "CategoricalDistribution", "attributes": {"choices": ["a", 2, null]}})", why),
            std::string("None"));
        QVERIFY(why.empty());
        QCOMPARE(optunaParamText(
                     3, R"({"name": "CategoricalDistribution", "attributes": {"choices": ["a"]}})", why),
                 std::string());
        QVERIFY(!why.empty());
        why.clear();
        QCOMPARE(optunaParamText(
                     4.0, R"({"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 8}})", why),
                 std::string("4"));
        QCOMPARE(optunaParamText(0.125, R"({"name": "LogUniformDistribution", "attributes": {}})", why),
                 std::string("0.125"));
        QCOMPARE(optunaParamText(1, "{not json", why), std::string());
        QVERIFY(!why.empty());
    }

    // Optuna's schema with damaged rows, written here with plain SQL: a distribution that is not JSON and a
    // categorical index outside its choices keep the stored number with a warning naming the trial; value
    // types INF_NEG and NAN become -inf and NaN; a study of the 2.x schema (direction in studies) still
    // gives its direction.
    void sqlDamagedRowsAreReported() {
        const fs::path path = m_dir.parent_path() / "damaged" / "optuna.db";
        fs::create_directories(path.parent_path());
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.string().c_str(), &db), SQLITE_OK);
        const char* sql =
            "CREATE TABLE studies (study_id INTEGER PRIMARY KEY, study_name TEXT, direction TEXT);"
            "CREATE TABLE trials (trial_id INTEGER PRIMARY KEY, number INTEGER, study_id INTEGER, state TEXT,"
            " datetime_start DATETIME, datetime_complete DATETIME);"
            "CREATE TABLE trial_params (param_id INTEGER PRIMARY KEY, trial_id INTEGER, param_name TEXT,"
            " param_value FLOAT, distribution_json TEXT);"
            "CREATE TABLE trial_values (trial_value_id INTEGER PRIMARY KEY, trial_id INTEGER, objective "
            "INTEGER,"
            " value FLOAT, value_type TEXT);"
            "CREATE TABLE trial_intermediate_values (trial_intermediate_value_id INTEGER PRIMARY KEY, "
            "trial_id"
            " INTEGER, step INTEGER, intermediate_value FLOAT, intermediate_value_type TEXT);"
            "INSERT INTO studies VALUES (1, 'old', 'MAXIMIZE');"
            "INSERT INTO trials VALUES (1, 0, 1, 'COMPLETE', '2024-01-02 03:04:05.5', NULL);"
            "INSERT INTO trial_params VALUES (1, 1, 'opt', 7, "
            "'{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"a\", \"b\"]}}');"
            "INSERT INTO trial_params VALUES (2, 1, 'lr', 0.5, 'not json');"
            "INSERT INTO trial_values VALUES (1, 1, 0, NULL, 'INF_NEG');"
            "INSERT INTO trial_intermediate_values VALUES (1, 1, 3, NULL, 'NAN');";
        QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
        OptunaSqlReader reader;
        QCOMPARE(reader.confidence(FileProbe::fromFile(path)), 90);
        MemoryTarget target;
        ReadContext ctx;
        ctx.runName = "damaged";
        auto txn = target.beginSource(path.string(), "optuna-sql", true);
        const ReadReport report = reader.read(path, ctx, *txn);
        txn->commit(SourceState{"optuna-sql", 0, 0, report.endOffset});
        QCOMPARE(report.warningCount(), std::size_t(2));
        for (const auto& issue : report.issues)
            if (issue.severity == Severity::Warning)
                QVERIFY2(issue.message.find("trial 0") != std::string::npos, issue.message.c_str());
        const MemoryRun* run = target.run("damaged/old/trial_0");
        QVERIFY(run);
        QCOMPARE(run->params.at("opt"), std::string("7"));
        QCOMPARE(run->params.at("lr"), std::string("0.5"));
        QCOMPARE(run->tags.at("optuna.direction"), std::string("maximize"));
        QCOMPARE(run->summaryMetrics.at("value"), -std::numeric_limits<double>::infinity());
        QVERIFY(std::isnan(run->series.at("intermediate_value").values[0]));
        // 2024-01-02 03:04:05 UTC = 1704164645 (see journalBadLinesAreReported), plus half a second.
        QCOMPARE(run->provenance.startTime, 1704164645.5);
    }

    // A file that only looks like SQLite, and an SQLite file without Optuna's tables, are not studies.
    void otherSqliteIsNotOptuna() {
        const fs::path fake = m_dir.parent_path() / "fake.db";
        std::ofstream(fake, std::ios::binary) << std::string("SQLite format 3\0", 16) << "garbage";
        OptunaSqlReader reader;
        QCOMPARE(reader.confidence(FileProbe::fromFile(fake)), 0);
        MemoryTarget target;
        ReadContext ctx;
        auto txn = target.beginSource(fake.string(), "optuna-sql", true);
        const ReadReport report = reader.read(fake, ctx, *txn);
        QVERIFY(report.hasErrors());
        QCOMPARE(target.runs().size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestOptunaReader)
#include "test_optuna_reader.moc"
