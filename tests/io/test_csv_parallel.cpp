// Tests of the parallel CSV path (CsvRowStream) against the single-threaded tokenizer and the generator's own
// record of what it wrote, and of the decimal parser against strtod.
#include "core/import/memory_target.h"
#include "core/io/csv_parallel.h"
#include "core/io/csv_reader.h"
#include "core/io/prediction_reader.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <QtTest>
#include <random>
#include <thread>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

fs::path writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const fs::path p = fs::path(dir.path().toStdString()) / name;
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    return p;
}

std::uint64_t bitsOf(double v) {
    std::uint64_t b = 0;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

// Small chunks and no size threshold, so a file of a few hundred kilobytes is split into many chunks.
CsvParallelOptions smallChunks() {
    CsvParallelOptions o;
    o.threads = 2;
    o.chunkBytes = 4096;
    o.minParallelBytes = 0;
    return o;
}

CsvParallelOptions serialOnly() {
    CsvParallelOptions o;
    o.threads = 1;
    return o;
}

struct Imported {
    ReadReport report;
    MemoryTarget target;
};

void importWith(const fs::path& path, const CsvParallelOptions& options, Imported& out) {
    CsvReader reader(options);
    ReadContext ctx;
    ctx.runName = "r";
    auto txn = out.target.beginSource(path.string(), "csv", true);
    out.report = reader.read(path, ctx, *txn);
    txn->commit(SourceState{"csv", 0, 0, out.report.endOffset});
}

QString issuesText(const ReadReport& report) {
    QStringList out;
    for (const auto& i : report.issues)
        out << QString::fromStdString(std::string(issueKindName(i.kind)) + " " + i.toString());
    out << QString("suppressed %1 skipped %2 end %3")
               .arg(report.suppressedIssues)
               .arg(report.rowsSkipped)
               .arg(report.endOffset);
    return out.join("\n");
}

// Every point as "tag step value-bits wall-bits", in series order.
QStringList pointsText(const MemoryTarget& target) {
    QStringList out;
    for (const auto& [run, data] : target.runs())
        for (const auto& [tag, s] : data.series)
            for (std::size_t i = 0; i < s.size(); ++i)
                out << QString("%1 %2 %3 %4 %5")
                           .arg(QString::fromStdString(run), QString::fromStdString(tag))
                           .arg(s.steps[i])
                           .arg(bitsOf(s.values[i]))
                           .arg(bitsOf(s.wallTimes[i]));
    return out;
}

// A wide metrics log with what makes splitting hard: quoted notes holding line ends, commas and "" escapes,
// CRLF rows, blank lines, nan/inf/NA cells, and in its second half a ragged row and a text cell in a number
// column. The generator records the line it wrote each of those on and the loss values, as the truth.
struct Generated {
    std::string bytes;
    std::int64_t raggedLine = 0;
    std::int64_t textLine = 0;
    std::vector<std::int64_t> lossSteps;
    std::vector<double> lossValues;
    std::size_t accNonFinite = 0;
};

Generated generate(int rows, std::uint64_t seed) {
    Generated g;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::int64_t line = 1;
    auto put = [&](const std::string& text) {
        g.bytes += text;
        line += std::count(text.begin(), text.end(), '\n');
    };
    put("step,wall_time,loss,acc,note\n");
    char buf[64];
    for (int i = 0; i < rows; ++i) {
        if (i == rows * 3 / 4) {
            g.raggedLine = line;
            put(std::to_string(i) + ",1.0,2.0\n"); // 3 fields, not 5
            continue;
        }
        if (i == rows * 2 / 3) {
            g.textLine = line;
            put(std::to_string(i) + ",1700000000.5,oops,0.5,x\n");
            continue;
        }
        if (i % 97 == 0) put("\n"); // a blank line carries nothing
        const double loss = std::exp(-unit(rng) * 50.0) * (unit(rng) < 0.5 ? 1.0 : 1e-300);
        std::snprintf(buf, sizeof buf, "%.17g", loss);
        std::string row = std::to_string(i) + "," + std::to_string(1700000000 + i) + ".25," + buf + ",";
        g.lossSteps.push_back(i);
        g.lossValues.push_back(std::strtod(buf, nullptr));
        switch (i % 11) {
        case 0:
            row += "nan";
            ++g.accNonFinite;
            break;
        case 1:
            row += "-inf";
            ++g.accNonFinite;
            break;
        case 2:
            row += "NA"; // missing, not a value
            break;
        case 3:
            row += ""; // missing
            break;
        default:
            row += "0." + std::to_string(i % 1000);
        }
        row += ",";
        if (i % 7 == 0)
            row += "\"first line\nsecond, with a comma and \"\"quotes\"\"\r\nthird\""; // 3 lines in one field
        else if (i % 13 == 0)
            row += "\"plain quoted\"";
        else
            row += "n" + std::to_string(i % 5);
        row += i % 5 == 0 ? "\r\n" : "\n";
        put(row);
    }
    return g;
}

} // namespace

class TestCsvParallel : public QObject {
    Q_OBJECT

  private slots:
    void decimalsMatchStrtod_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("0.1") << "0.1";
        QTest::newRow("subnormal 1e-320") << "1e-320";
        QTest::newRow("smallest subnormal") << "4.9406564584124654e-324";
        QTest::newRow("2^53 + 1") << "9007199254740993";
        QTest::newRow("trailing point") << "1.";
        QTest::newRow("leading point") << ".5";
        QTest::newRow("plus sign") << "+3";
        QTest::newRow("overflow to inf") << "1e400";
        QTest::newRow("negative overflow") << "-1e400";
        QTest::newRow("underflow to zero") << "1e-400";
        QTest::newRow("negative zero") << "-0";
        QTest::newRow("largest double") << "1.7976931348623157e308";
        QTest::newRow("past largest rounds to inf") << "1.7976931348623159e308";
        QTest::newRow("smallest normal") << "2.2250738585072014e-308";
        QTest::newRow("halfway, ties to even") << "9007199254740993.0";
        QTest::newRow("many digits") << "3.14159265358979323846264338327950288419716939937510";
        QTest::newRow("long integer") << "123456789012345678901234567890";
        QTest::newRow("0.30000000000000004") << "0.30000000000000004";
        QTest::newRow("exponent sign") << "2.5E+3";
        QTest::newRow("blanks around") << "  -7.25\t";
    }
    void decimalsMatchStrtod() {
        QFETCH(QString, text);
        const std::string s = text.toStdString();
        double got = 0;
        QCOMPARE(textnum::parseDouble(s, got), textnum::Parsed::Number);
        const double want = std::strtod(s.c_str(), nullptr); // glibc's strtod is correctly rounded
        QCOMPARE(bitsOf(got), bitsOf(want));
        double logged = 0;
        QCOMPARE(textnum::parseLoggedValue(s, logged), textnum::Parsed::Number);
        QCOMPARE(bitsOf(logged), bitsOf(want));
    }

    // Random decimals of every length and exponent, each compared bit for bit with strtod.
    void randomDecimalsMatchStrtod() {
        std::mt19937_64 rng(12345);
        char buf[80];
        for (int i = 0; i < 200000; ++i) {
            const int digits = 1 + static_cast<int>(rng() % 25);
            std::string s = rng() % 2 ? "-" : "";
            const int point = static_cast<int>(rng() % (digits + 1));
            for (int d = 0; d < digits; ++d) {
                if (d == point) s += '.';
                s += static_cast<char>('0' + rng() % 10);
            }
            if (rng() % 2) {
                std::snprintf(buf, sizeof buf, "e%d", static_cast<int>(rng() % 700) - 350);
                s += buf;
            }
            double got = 0;
            if (textnum::parseDouble(s, got) != textnum::Parsed::Number)
                QFAIL(("not a number: " + s).c_str());
            const double want = std::strtod(s.c_str(), nullptr);
            if (bitsOf(got) != bitsOf(want)) QFAIL(("differs from strtod: " + s).c_str());
        }
    }

    void nonNumbers() {
        double v = 0;
        QCOMPARE(textnum::parseDouble("nan", v), textnum::Parsed::Missing);
        QCOMPARE(textnum::parseLoggedValue("NaN", v), textnum::Parsed::Number);
        QVERIFY(std::isnan(v));
        QCOMPARE(textnum::parseDouble("-inf", v), textnum::Parsed::Number);
        QVERIFY(std::isinf(v) && v < 0);
        QCOMPARE(textnum::parseDouble("", v), textnum::Parsed::Missing);
        QCOMPARE(textnum::parseDouble("NA", v), textnum::Parsed::Missing);
        for (const char* text : {"+-3", "--3", "1e", "e5", ".", "-", "0x10", "1,5", "east", "12abc", "1 2"})
            QCOMPARE(textnum::parseDouble(text, v), textnum::Parsed::Text);
    }

    // The parallel import of a tricky file stores the same points and reports the same issues, at the same
    // lines, as the single-threaded one; both agree with what the generator wrote.
    void parallelImportMatchesSerial() {
        if (std::thread::hardware_concurrency() < 2) QSKIP("one core: the parallel path is not taken");
        QTemporaryDir dir;
        const Generated g = generate(6000, 7);
        const fs::path path = writeFile(dir, "metrics.csv", g.bytes);
        QVERIFY(g.bytes.size() > 50 * 4096); // many chunks

        Imported serial, parallel;
        importWith(path, serialOnly(), serial);
        importWith(path, smallChunks(), parallel);
        QCOMPARE(issuesText(parallel.report), issuesText(serial.report));
        QCOMPARE(pointsText(parallel.target), pointsText(serial.target));
        QCOMPARE(parallel.report.points, serial.report.points);

        // Against the generator: the ragged row and the text cell are named at the lines they were written
        // on.
        bool ragged = false, text = false;
        for (const auto& i : parallel.report.issues) {
            ragged = ragged || (i.kind == IssueKind::RaggedRow && i.line == g.raggedLine);
            text = text || (i.kind == IssueKind::BadNumber && i.line == g.textLine);
        }
        QVERIFY2(ragged, qPrintable(issuesText(parallel.report)));
        QVERIFY2(text, qPrintable(issuesText(parallel.report)));
        QCOMPARE(parallel.report.rowsSkipped, std::int64_t(1));
        QCOMPARE(parallel.report.endOffset, std::int64_t(g.bytes.size()));

        const MemoryRun* run = parallel.target.run("r");
        QVERIFY(run);
        const SeriesData& loss = run->series.at("loss");
        QCOMPARE(loss.steps, g.lossSteps);
        QCOMPARE(loss.values.size(), g.lossValues.size());
        for (std::size_t i = 0; i < loss.values.size(); ++i)
            QCOMPARE(bitsOf(loss.values[i]), bitsOf(g.lossValues[i]));
        const SeriesData& acc = run->series.at("acc");
        const auto nonFinite =
            std::count_if(acc.values.begin(), acc.values.end(), [](double v) { return !std::isfinite(v); });
        QCOMPARE(std::size_t(nonFinite), g.accNonFinite);
    }

    // A quoted field longer than a chunk has no record end in it: the rest of the file is read by the
    // caller's tokenizer, and lines after it are still numbered right.
    void recordLongerThanAChunkFallsBack() {
        QTemporaryDir dir;
        std::string bytes = "step,value,note\n";
        std::int64_t line = 2;
        for (int i = 0; i < 2000; ++i, ++line)
            bytes += std::to_string(i) + "," + std::to_string(i) + ".5,a\n";
        bytes += "2000,1.0,\"" + std::string(9000, 'x') + "\n" + std::string(9000, 'y') + "\"\n";
        line += 2;
        bytes += "2001,2.0\n"; // ragged, after the long record
        const std::int64_t raggedLine = line;
        for (int i = 2002; i < 3000; ++i)
            bytes += std::to_string(i) + "," + std::to_string(i) + ".5,b\n";
        const fs::path path = writeFile(dir, "long.csv", bytes);
        Imported serial, parallel;
        importWith(path, serialOnly(), serial);
        importWith(path, smallChunks(), parallel);
        QCOMPARE(issuesText(parallel.report), issuesText(serial.report));
        QCOMPARE(pointsText(parallel.target), pointsText(serial.target));
        const auto ragged = std::find_if(parallel.report.issues.begin(), parallel.report.issues.end(),
                                         [](const ReadIssue& i) { return i.kind == IssueKind::RaggedRow; });
        QVERIFY(ragged != parallel.report.issues.end());
        QCOMPARE(ragged->line, raggedLine);
        QCOMPARE(parallel.target.run("r")->series.at("value").size(), std::size_t(2999));
    }

    // Bytes a parallel chunk holds pass through the tokenizer unchanged: a BOM only counts at the file start,
    // a NUL byte and a field over the limit are reported at their lines, an unterminated last line is held.
    void rowStreamMatchesTokenizer() {
        QTemporaryDir dir;
        std::string bytes = "\xEF\xBB\xBF"
                            "a,b\n";
        for (int i = 0; i < 3000; ++i) {
            if (i == 1500) bytes += std::string("1,\0z\n", 5);
            if (i == 2500) bytes += "\"unclosed\n\",\"q\"\r";
            bytes += std::to_string(i) + "," + (i % 3 ? "x" : "\"y\"\"z\"") + "\n";
        }
        bytes += "last,no-end";
        const fs::path path = writeFile(dir, "rows.csv", bytes);
        class Parser final : public CsvRowParser {
          public:
            void parse(std::span<const std::string_view> fields, CsvCell* cells) const override {
                for (std::size_t c = 0; c < fields.size(); ++c)
                    cells[c].kind = textnum::parseDouble(fields[c], cells[c].number);
            }
        } parser;
        auto rowsOf = [&](const CsvParallelOptions& options, ReadReport& report, bool& parallelUsed) {
            CsvTokenizer tok;
            QStringList out;
            if (!tok.open(path, &report, "rows.csv")) return out;
            CsvRow header;
            if (!tok.next(header)) return out;
            CsvRowStream stream(tok, path, 2, parser, report, options);
            parallelUsed = stream.parallel();
            CsvParsedRow row;
            while (stream.next(row)) {
                QStringList fields;
                for (auto f : row.fields)
                    fields << QString::fromStdString(std::string(f));
                out << QString("%1@%2-%3%4:%5")
                           .arg(row.line)
                           .arg(row.endOffset)
                           .arg(row.terminated ? "" : "open")
                           .arg(row.cells.empty() ? "" : "cells")
                           .arg(fields.join("|"));
            }
            out << QString("complete %1").arg(stream.completeOffset());
            return out;
        };
        ReadReport serialReport, parallelReport;
        bool serialUsed = true, parallelUsed = false;
        const QStringList serial = rowsOf(serialOnly(), serialReport, serialUsed);
        const QStringList parallel = rowsOf(smallChunks(), parallelReport, parallelUsed);
        QVERIFY(!serialUsed);
        if (std::thread::hardware_concurrency() >= 2) QVERIFY(parallelUsed);
        QCOMPARE(parallel, serial);
        QCOMPARE(issuesText(parallelReport), issuesText(serialReport));
        QVERIFY(serialReport.rowsSkipped >= 1); // the NUL row
    }

    // A prediction log read in parallel gives the same table, text columns and their codes included.
    void parallelPredictionsMatchSerial() {
        QTemporaryDir dir;
        std::mt19937_64 rng(3);
        std::string bytes = "id,region,note,label,score\n";
        const char* regions[] = {"north", "south", "east", "west"};
        for (int i = 0; i < 8000; ++i) {
            bytes += std::to_string(i) + "," + regions[rng() % 4] + ",";
            bytes += i % 9 == 0 ? "\"two\nlines\"" : (i % 4 ? "" : "NA");
            char score[32];
            std::snprintf(score, sizeof score, "%.6f", static_cast<double>(rng() % 1000000) / 1e6);
            bytes += "," + std::to_string(rng() % 2) + "," + score + (i % 3 ? "\n" : "\r\n");
        }
        const fs::path path = writeFile(dir, "predictions.csv", bytes);
        auto tableOf = [&](const CsvParallelOptions& options, ReadReport& report) {
            PredictionLogReader reader;
            reader.setParallel(options);
            return reader.readTable(path, report);
        };
        ReadReport serialReport, parallelReport;
        const auto serial = tableOf(serialOnly(), serialReport);
        const auto parallel = tableOf(smallChunks(), parallelReport);
        QVERIFY2(serial && parallel, qPrintable(issuesText(serialReport)));
        QCOMPARE(issuesText(parallelReport), issuesText(serialReport));
        QCOMPARE(parallel->rows(), std::size_t(8000));
        QCOMPARE(parallel->columns.size(), serial->columns.size());
        for (std::size_t c = 0; c < serial->columns.size(); ++c) {
            const auto& a = parallel->columns[c];
            const auto& b = serial->columns[c];
            QCOMPARE(a.name, b.name);
            QCOMPARE(a.numeric, b.numeric);
            QCOMPARE(a.codes, b.codes);
            QCOMPARE(a.dictionary, b.dictionary);
            QCOMPARE(a.numbers.size(), b.numbers.size());
            for (std::size_t r = 0; r < a.numbers.size(); ++r)
                QCOMPARE(bitsOf(a.numbers[r]), bitsOf(b.numbers[r]));
        }
    }
};

QTEST_GUILESS_MAIN(TestCsvParallel)
#include "test_csv_parallel.moc"
