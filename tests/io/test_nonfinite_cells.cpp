// NaN and Inf written by CSV loggers (Lightning, Keras, plain CSV, DVCLive TSV) are values, not gaps, and
// reach the Health badge; empty cells and "NA" stay missing (issue 15, class 1).
#include "core/analysis/run_health.h"
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/reader.h"
#include "core/model/text_number.h"
#include "tests/common/import_test_support.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <QtTest>
#include <sstream>

using namespace runlens;
namespace fs = std::filesystem;
using test::importWithBuiltins;
using test::writeFileAt;

namespace {

// "step:value" for every point, values printed by printf %g (nan, inf, -inf as C prints them).
QString render(const SeriesData& s) {
    QStringList out;
    for (std::size_t i = 0; i < s.size(); ++i)
        out << QString("%1:%2").arg(s.steps[i]).arg(QString::asprintf("%g", s.values[i]));
    return out.join(" ");
}

std::map<std::string, SeriesData> seriesOf(const MemoryRun& run) {
    return {run.series.begin(), run.series.end()};
}

} // namespace

class TestNonFiniteCells : public QObject {
    Q_OBJECT

  private slots:
    void parseLoggedValueSpellings_data() {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<QString>("expected"); // "missing", "text" or the value by %g
        // What Python's str(float) writes (nan, inf, -inf), what numpy/pandas/R write (NaN, Inf, NA), and
        // the blanks csv.DictWriter leaves for keys a row lacks.
        QTest::newRow("python nan") << "nan"
                                    << "nan";
        QTest::newRow("pandas NaN") << "NaN"
                                    << "nan";
        QTest::newRow("C -nan") << "-nan"
                                << "nan";
        QTest::newRow("python inf") << "inf"
                                    << "inf";
        QTest::newRow("python -inf") << "-inf"
                                     << "-inf";
        QTest::newRow("R Inf") << "Inf"
                               << "inf";
        QTest::newRow("Infinity") << "-Infinity"
                                  << "-inf";
        QTest::newRow("empty") << ""
                               << "missing";
        QTest::newRow("blank") << "  "
                               << "missing";
        QTest::newRow("Keras NA") << "NA"
                                  << "missing";
        QTest::newRow("N/A") << "N/A"
                             << "missing";
        QTest::newRow("None") << "None"
                              << "missing";
        QTest::newRow("null") << "null"
                              << "missing";
        QTest::newRow("number") << "0.25"
                                << "0.25";
        QTest::newRow("text") << "nanometre"
                              << "text";
    }
    void parseLoggedValueSpellings() {
        QFETCH(QString, cell);
        QFETCH(QString, expected);
        const std::string text = cell.toStdString();
        double v = 0;
        const textnum::Parsed parsed = textnum::parseLoggedValue(text, v);
        const QString got = parsed == textnum::Parsed::Missing ? QString("missing")
                            : parsed == textnum::Parsed::Text  ? QString("text")
                                                               : QString::asprintf("%g", v);
        QCOMPARE(got, expected);
    }

    // Lightning CSVLogger: csv.DictWriter over a dict of floats, so a diverged loss is str(nan) = "nan"
    // and a metric not logged in that row is an empty cell.
    void lightningMetricsCsvKeepsNaN() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "lightning_logs";
        writeFileAt(root / "version_0" / "metrics.csv", "epoch,step,train_loss,val_loss\n"
                                                        "0,0,0.9,\n"
                                                        "0,1,0.7,\n"
                                                        "0,1,,0.8\n"
                                                        "1,2,nan,\n"
                                                        "1,3,nan,\n"
                                                        "1,3,,nan\n");
        writeFileAt(root / "version_0" / "hparams.yaml", "lr: 0.1\n");
        MemoryTarget target;
        importWithBuiltins(root, target);
        const MemoryRun* run = target.run("version_0"); // runs are named relative to the imported root
        QVERIFY(run);
        QCOMPARE(render(run->series.at("train_loss")), QString("0:0.9 1:0.7 2:nan 3:nan"));
        QCOMPARE(render(run->series.at("val_loss")), QString("1:0.8 3:nan"));

        // Health: the earliest NaN after finite values is step 2 of train_loss (val_loss turns at 3).
        const auto badges = diagnoseRun(seriesOf(*run));
        QVERIFY(!badges.empty());
        QCOMPARE(badges.front().kind, HealthBadge::Kind::NonFinite);
        QCOMPARE(badges.front().label, std::string("NaN@2"));
    }

    // Keras CSVLogger: epoch first, "NA" for a metric missing in an epoch, inf as Python prints it.
    void kerasCsvLoggerKeepsInfAndDropsNA() {
        QTemporaryDir tmp;
        const fs::path log = fs::path(tmp.path().toStdString()) / "keras" / "training.log";
        writeFileAt(log, "epoch,loss,val_loss\n0,1.5,NA\n1,inf,1.2\n2,-inf,NA\n");
        MemoryTarget target;
        importWithBuiltins(log.parent_path(), target);
        const MemoryRun* run = target.run("keras");
        QVERIFY(run);
        QCOMPARE(render(run->series.at("loss")), QString("0:1.5 1:inf 2:-inf"));
        QCOMPARE(render(run->series.at("val_loss")), QString("1:1.2"));
        const auto badges = diagnoseRun(seriesOf(*run));
        QVERIFY(!badges.empty());
        QCOMPARE(badges.front().label, std::string("Inf@1"));
    }

    // Long form (tag,step,value) and DVCLive's per-metric TSV take the same rule.
    void longFormAndDvcLiveKeepNaN() {
        QTemporaryDir tmp;
        const fs::path base(tmp.path().toStdString());
        writeFileAt(base / "long" / "scalars.csv", "tag,step,value\nloss,0,0.5\nloss,1,NaN\nloss,2,\n");
        writeFileAt(base / "dvc" / "dvclive" / "plots" / "metrics" / "loss.tsv",
                    "step\tloss\n0\t0.5\n1\tnan\n2\tNA\n");
        MemoryTarget target;
        importWithBuiltins(base / "long", target);
        importWithBuiltins(base / "dvc", target);
        const SeriesData* longLoss = target.series("long", "loss");
        QVERIFY(longLoss);
        QCOMPARE(render(*longLoss), QString("0:0.5 1:nan"));
        bool foundDvc = false;
        for (const auto& [name, run] : target.runs()) {
            if (name.rfind("dvc", 0) != 0) continue;
            const auto it = run.series.find("loss");
            if (it == run.series.end()) continue;
            QCOMPARE(render(it->second), QString("0:0.5 1:nan"));
            foundDvc = true;
        }
        QVERIFY(foundDvc);
    }

    // Real Lightning files hold no NaN (see PROVENANCE.md) but do hold empty cells: every non-empty cell of
    // a metric column becomes one point and no empty cell does. The expected count is a plain split of
    // the file here, not the reader's tokenizer.
    void realLightningEmptyCellsStayMissing() {
        const fs::path file = fs::path(RUNLENS_REAL_DATA) / "lightning_csv" / "macro1027-pendulum-pinn" /
                              "lightning_logs" / "version_7" / "metrics.csv";
        if (!fs::exists(file)) QSKIP("real Lightning metrics.csv absent (../shared/data/real)");
        std::ifstream in(file, std::ios::binary);
        std::string line;
        std::getline(in, line);
        std::vector<std::string> header;
        {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            std::stringstream ss(line);
            for (std::string cell; std::getline(ss, cell, ',');)
                header.push_back(cell);
        }
        std::map<std::string, std::int64_t> expected;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            std::vector<std::string> cells;
            std::size_t start = 0;
            for (std::size_t i = 0; i <= line.size(); ++i)
                if (i == line.size() || line[i] == ',') {
                    cells.push_back(line.substr(start, i - start));
                    start = i + 1;
                }
            for (std::size_t c = 0; c < header.size() && c < cells.size(); ++c)
                if (header[c] != "step" && header[c] != "epoch" && !cells[c].empty()) ++expected[header[c]];
        }
        MemoryTarget target;
        importWithBuiltins(file.parent_path(), target);
        const MemoryRun* run = target.run("version_7");
        QVERIFY(run);
        QVERIFY(!expected.empty());
        for (const auto& [tag, count] : expected) {
            const auto it = run->series.find(tag);
            QVERIFY2(it != run->series.end(), tag.c_str());
            QCOMPARE(static_cast<std::int64_t>(it->second.size()), count);
        }
    }
};

QTEST_GUILESS_MAIN(TestNonFiniteCells)
#include "test_nonfinite_cells.moc"
