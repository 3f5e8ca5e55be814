// End-to-end imports of the real Lightning, Keras, Hugging Face and DVCLive logs, checked against parses the
// test does itself with Qt (QFile + split for text, QJsonDocument for JSON).
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/hparams_yaml_reader.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

const QString kReal = QStringLiteral(RUNLENS_REAL_DATA);

QByteArray slurp(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.readAll();
}

QStringList textLines(const QString& path) {
    QString text = QString::fromUtf8(slurp(path));
    text.replace("\r\n", "\n");
    QStringList lines = text.split('\n');
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

ImportSummary importOne(const QString& path, MemoryTarget& target) {
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const std::vector<fs::path> paths{fs::path(path.toStdString())};
    return importPaths(paths, registry, target);
}

struct Expected {
    std::vector<std::int64_t> steps;
    std::vector<double> values;
};

// Compares a series with what the test parsed itself (values to 1e-12 relative: both are decimal parses).
void compareSeries(const MemoryTarget& target, const std::string& run, const std::string& tag,
                   const Expected& e) {
    const SeriesData* s = target.series(run, tag);
    QVERIFY2(s, (run + " / " + tag + " missing").c_str());
    QCOMPARE(s->steps, e.steps);
    QCOMPARE(s->values.size(), e.values.size());
    for (std::size_t i = 0; i < e.values.size(); ++i) {
        QVERIFY2(std::fabs(s->values[i] - e.values[i]) <= 1e-12 * std::max(1.0, std::fabs(e.values[i])),
                 (run + " / " + tag + " value " + std::to_string(i)).c_str());
    }
}

// Wide CSV: one tag per column except the step column; empty cells absent.
std::map<std::string, Expected> parseWideCsv(const QString& path, const QString& stepColumn,
                                             QChar sep = ',') {
    const QStringList lines = textLines(path);
    const QStringList header = lines.first().split(sep);
    const int stepIndex = header.indexOf(stepColumn);
    std::map<std::string, Expected> out;
    for (int r = 1; r < lines.size(); ++r) {
        const QStringList cells = lines[r].split(sep);
        const std::int64_t step = cells[stepIndex].toLongLong();
        for (int c = 0; c < header.size(); ++c) {
            if (c == stepIndex || cells[c].isEmpty()) continue;
            Expected& e = out[header[c].toStdString()];
            e.steps.push_back(step);
            e.values.push_back(cells[c].toDouble());
        }
    }
    return out;
}

// "key: value" lines of a flat YAML file.
std::map<std::string, std::string> parseFlatYaml(const QString& path) {
    std::map<std::string, std::string> out;
    for (const QString& line : textLines(path)) {
        const int colon = line.indexOf(": ");
        if (colon > 0) out[line.left(colon).toStdString()] = line.mid(colon + 2).trimmed().toStdString();
    }
    return out;
}

// What trainer_state.json's log_history gives per tag, by the documented rule (epoch once per step).
std::map<std::string, Expected> parseHistory(const QJsonObject& state) {
    std::map<std::string, Expected> out;
    bool haveEpochStep = false;
    qint64 lastEpochStep = 0;
    for (const QJsonValue& v : state.value("log_history").toArray()) {
        const QJsonObject entry = v.toObject();
        const qint64 step = entry.value("step").toInteger();
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            if (it.key() == "step" || !it.value().isDouble()) continue;
            if (it.key() == "epoch") {
                if (haveEpochStep && lastEpochStep == step) continue;
                haveEpochStep = true;
                lastEpochStep = step;
            }
            Expected& e = out[it.key().toStdString()];
            e.steps.push_back(step);
            e.values.push_back(it.value().toDouble());
        }
    }
    return out;
}

} // namespace

class TestRealFormats : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        if (!QDir(kReal).exists())
            QSKIP("real-log corpus /work/shared/data/real is absent; nothing to check");
    }

    void lightningCsvAndHparams() {
        MemoryTarget target;
        const ImportSummary summary = importOne(kReal + "/lightning_csv", target);
        QVERIFY(!summary.report.hasErrors());
        struct Case {
            const char* dir;
            const char* run;
            bool hasHparams;
        };
        for (const Case& c : {Case{"afonsocosta-fap2/lightning_logs/version_0",
                                   "afonsocosta-fap2/lightning_logs/version_0", true},
                              Case{"danyash-mlops-hw/lightning_logs/version_0",
                                   "danyash-mlops-hw/lightning_logs/version_0", true},
                              Case{"macro1027-pendulum-pinn/lightning_logs/version_7",
                                   "macro1027-pendulum-pinn/lightning_logs/version_7", false}}) {
            const QString dir = kReal + "/lightning_csv/" + c.dir;
            const auto expected = parseWideCsv(dir + "/metrics.csv", "step");
            const MemoryRun* run = target.run(c.run);
            QVERIFY2(run, c.run);
            QCOMPARE(run->series.size(), expected.size());
            for (const auto& [tag, e] : expected)
                compareSeries(target, c.run, tag, e);
            if (!c.hasHparams) continue;
            const auto params = parseFlatYaml(dir + "/hparams.yaml");
            QCOMPARE(run->params.size(), params.size());
            for (const auto& [key, value] : params)
                QCOMPARE(run->params.at(key), value);
        }
    }

    void kerasTrainingLog() {
        const QString path = kReal + "/keras_csv/ahmetcakmak-brats2020/training.log";
        MemoryTarget target;
        const ImportSummary summary = importOne(path, target);
        QVERIFY(!summary.report.hasErrors());
        const auto expected = parseWideCsv(path, "epoch");
        QCOMPARE(expected.size(), std::size_t(11));
        const MemoryRun* run = target.run("training");
        QVERIFY(run);
        QCOMPARE(run->series.size(), expected.size());
        for (const auto& [tag, e] : expected)
            compareSeries(target, "training", tag, e);
    }

    void hfTrainerStateNewSchema() {
        const QString dir = kReal + "/hf_trainer_state/aigoncharov-trainer-state-viz";
        MemoryTarget target;
        const ImportSummary summary = importOne(dir, target);
        QVERIFY(!summary.report.hasErrors());
        const QJsonObject state = QJsonDocument::fromJson(slurp(dir + "/trainer_state.json")).object();
        const auto expected = parseHistory(state);
        QVERIFY(expected.count("eval_g5_accuracy") == 1);
        QCOMPARE(expected.at("eval_g5_accuracy").steps.size(), std::size_t(31));
        const std::string runName = "aigoncharov-trainer-state-viz";
        const MemoryRun* run = target.run(runName);
        QVERIFY(run);
        QCOMPARE(run->series.size(), expected.size());
        for (const auto& [tag, e] : expected)
            compareSeries(target, runName, tag, e);
        QCOMPARE(run->params.at("global_step"), std::to_string(state.value("global_step").toInteger()));
        QCOMPARE(run->params.at("num_train_epochs"), std::string("30"));
        QVERIFY(run->params.find("best_metric") == run->params.end()); // null in the file
    }

    void hfWhisperStateAndResults() {
        const QString dir = kReal + "/tfevents/whisper-tiny-nbailab";
        MemoryTarget target;
        importOne(dir, target);
        const QByteArray raw = slurp(dir + "/trainer_state.json");
        const QJsonObject state = QJsonDocument::fromJson(raw).object();
        auto expected = parseHistory(state);
        QCOMPARE(state.value("log_history").toArray().size(), 2101);

        // Results files are final numbers: summary metrics, never points (issue 15, class 4). A key in
        // several results files holds the same number in each.
        std::map<std::string, double> summaries;
        for (const char* name : {"eval_results.json", "train_results.json", "all_results.json"}) {
            const QJsonObject results = QJsonDocument::fromJson(slurp(dir + "/" + name)).object();
            for (auto it = results.begin(); it != results.end(); ++it)
                if (it.value().isDouble()) summaries[it.key().toStdString()] = it.value().toDouble();
        }
        QVERIFY(!summaries.empty());
        const std::string runName = "whisper-tiny-nbailab";
        const MemoryRun* run = target.run(runName);
        QVERIFY(run);
        for (const auto& [tag, e] : expected) {
            // Files are imported in name order: all_results, eval_results, trainer_state, train_results.
            // Series order inside a tag may therefore differ; compare as step/value multisets.
            const SeriesData* s = target.series(runName, tag);
            QVERIFY2(s, tag.c_str());
            std::multiset<std::pair<std::int64_t, double>> got, want;
            for (std::size_t i = 0; i < s->size(); ++i)
                got.insert({s->steps[i], s->values[i]});
            for (std::size_t i = 0; i < e.steps.size(); ++i)
                want.insert({e.steps[i], e.values[i]});
            QVERIFY2(got == want, tag.c_str());
        }
        QCOMPARE(target.series(runName, "loss")->size(), std::size_t(2000));
        QCOMPARE(target.series(runName, "eval_wer")->size(), std::size_t(100)); // as logged, nothing added
        for (const auto& [key, value] : summaries)
            QCOMPARE(run->summaryMetrics.at(key), value);
        // num_train_epochs = int64 max is kept digit for digit, compared with the file's own text.
        const QRegularExpression re(R"("num_train_epochs":\s*(\d+))");
        const QString digits = re.match(QString::fromUtf8(raw)).captured(1);
        QCOMPARE(QString::fromStdString(run->params.at("num_train_epochs")), digits);
        QCOMPARE(digits, QString("9223372036854775807"));
        QCOMPARE(run->params.at("best_model_checkpoint"), std::string("./checkpoint-98000"));
    }

    void dvcLiveProjects() {
        MemoryTarget target;
        const ImportSummary summary = importOne(kReal + "/dvclive", target);
        QVERIFY(!summary.report.hasErrors());
        for (const char* project : {"carocardozo-example-dvc-exp", "coffeemugtwo-dqn"}) {
            const QString base = kReal + "/dvclive/" + project + "/dvclive/plots/metrics";
            const MemoryRun* run = target.run(project);
            QVERIFY2(run, project);
            std::size_t files = 0;
            QDirIterator it(base, {"*.tsv"}, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                ++files;
                QString tag = QDir(base).relativeFilePath(path);
                tag.chop(4);
                const auto expected = parseWideCsv(path, "step", '\t');
                QCOMPARE(expected.size(), std::size_t(1));
                compareSeries(target, project, tag.toStdString(), expected.begin()->second);
            }
            // metrics.json only repeats the last TSV values here, so no extra series.
            QCOMPARE(run->series.size(), files);
        }
        const MemoryRun* dqn = target.run("coffeemugtwo-dqn");
        QCOMPARE(dqn->params.size(), std::size_t(22));
        QCOMPARE(dqn->params.at("params.yaml:training.batch_size"), std::string("128"));
        QCOMPARE(dqn->params.at("dvclive/params.yaml:env.test_param"), std::string("500"));
        QCOMPARE(target.series("coffeemugtwo-dqn", "min_distance")->size(), std::size_t(100));
    }

    // NeuralProphet's hparams.yaml with python tags and anchors: top-level plain scalars come through as
    // written.
    void weatherPredderHparams() {
        for (const char* version : {"version_8", "version_46"}) {
            const QString path =
                kReal + "/tfevents/weather-predder/lightning_logs/" + version + "/hparams.yaml";
            MemoryTarget target;
            HparamsYamlReader reader;
            ReadContext ctx;
            ctx.runName = version;
            auto tx = target.beginSource(path.toStdString(), reader.name(), true);
            const ReadReport report = reader.read(path.toStdString(), ctx, *tx);
            tx->commit(SourceState{"hparams", 0, 0, report.endOffset});
            QVERIFY(!report.hasErrors());
            for (const ReadIssue& issue : report.issues)
                qInfo("%s", issue.toString().c_str());
            QCOMPARE(report.warningCount(), std::size_t(0));
            const MemoryRun* run = target.run(version);
            QVERIFY(run);
            const QRegularExpression plain(R"(^([A-Za-z_][A-Za-z0-9_]*): ([^!&*\s].*)$)");
            int checked = 0;
            for (const QString& line : textLines(path)) {
                const auto m = plain.match(line);
                if (!m.hasMatch()) continue;
                QCOMPARE(QString::fromStdString(run->params.at(m.captured(1).toStdString())), m.captured(2));
                ++checked;
            }
            QVERIFY(checked >= 5);
            QCOMPARE(run->params.at("config_train.batch_size"), std::string("128"));
            QCOMPARE(run->params.at("config_train.optimizer"), std::string("torch.optim.adamw.AdamW"));
            // Scalar attributes of a !!python/object map are kept; the pickled OrderedDicts of numpy scalars
            // and !!binary bytes under config_normalization are dropped, and the report counts them.
            // The file's own text says what n_lags is (0 in version_8, 24 in version_46).
            const QRegularExpression nLags(R"(config_ar: !!python/object:\S+\n(?:  .*\n)*?  n_lags: (\S+))");
            const QString lags = nLags.match(QString::fromUtf8(slurp(path))).captured(1);
            QVERIFY(!lags.isEmpty());
            QCOMPARE(QString::fromStdString(run->params.at("config_ar.n_lags")), lags);
            QCOMPARE(run->params.at("config_normalization.global_normalization"), std::string("true"));
            QCOMPARE(run->params.count("config_normalization.global_data_params"), std::size_t(0));
            QCOMPARE(run->params.count("config_normalization.local_data_params"), std::size_t(0));
            bool counted = false;
            for (const ReadIssue& issue : report.issues)
                counted = counted || issue.message.find("pickled python value(s)") != std::string::npos;
            QVERIFY(counted);
        }
    }
};

QTEST_GUILESS_MAIN(TestRealFormats)
#include "test_real_formats.moc"
