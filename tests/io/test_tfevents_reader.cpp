// Tests of the TensorBoard event-file reader against files built by the spec-based test writer and real logs.
#include "core/io/crc32c.h"
#include "core/io/protobuf_wire.h"
#include "core/io/tfevents_reader.h"
#include "core/io/worker_runs.h"
#include "tests/common/tfevents_writer.h"

#include <cmath>
#include <fstream>
#include <map>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>
#include <random>

using namespace runlens;

namespace {

struct Recorded {
    std::vector<std::int64_t> steps;
    std::vector<double> wallTimes;
    std::vector<double> values;
};

// Keeps everything a reader delivers, keyed by run and tag.
class RecordingSink : public ImportSink {
  public:
    std::map<std::string, std::map<std::string, Recorded>> points;
    std::map<std::string, std::map<std::string, std::string>> params;
    std::map<std::string, std::map<std::string, std::string>> tags;
    std::size_t maxBatch = 0;

    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        QVERIFY(steps.size() == values.size() && wallTimes.size() == values.size());
        auto& r = points[std::string(run)][std::string(tag)];
        r.steps.insert(r.steps.end(), steps.begin(), steps.end());
        r.wallTimes.insert(r.wallTimes.end(), wallTimes.begin(), wallTimes.end());
        r.values.insert(r.values.end(), values.begin(), values.end());
        maxBatch = std::max(maxBatch, values.size());
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        params[std::string(run)][std::string(key)] = std::string(value);
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        tags[std::string(run)][std::string(key)] = std::string(value);
    }
    void setProvenance(std::string_view, ProvenanceField, std::string_view) override {}
    void addPredictions(std::string_view, PredictionTable) override {}
};

std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int countIssues(const ReadReport& r, Severity s, IssueKind k) {
    int n = 0;
    for (const auto& i : r.issues)
        n += (i.severity == s && i.kind == k);
    return n;
}

int countAtLeastWarnings(const ReadReport& r) {
    int n = 0;
    for (const auto& i : r.issues)
        n += i.severity != Severity::Info;
    return n;
}

ReadReport readPath(const std::string& path, RecordingSink& sink, std::int64_t from = 0,
                    const std::string& run = "run") {
    ReadContext ctx;
    ctx.runName = run;
    ctx.fromOffset = from;
    return TfEventsReader().read(path, ctx, sink);
}

QString describe(const ReadReport& r) {
    QStringList out;
    for (const auto& i : r.issues)
        out << QString::fromStdString(i.toString());
    return out.join(" | ");
}

using tfw::TensorKind;

} // namespace

class TestTfEventsReader : public QObject {
    Q_OBJECT

  private slots:
    void crcKnownAnswers();
    void wireCursorRejectsOverlongLengths();
    void wireVarintsAndKeys();
    void formats_data();
    void formats();
    void badCrcInMiddleSkipsOneRecord();
    void hugeLengthIsNotAllocated();
    void truncatedLastRecordResumes();
    void emptyRandomAndLfs();
    void hparamsBecomeParams();
    void batchesOfAtMost4096();
    void workerRunsFold();
    void confidenceByName();
    void realEventFiles();
};

void TestTfEventsReader::crcKnownAnswers() {
    // CRC-32C check value from the Castagnoli/iSCSI spec (RFC 3720 B.4): crc32c("123456789") = 0xE3069283.
    const std::string check = "123456789";
    QCOMPARE(crc32c({reinterpret_cast<const unsigned char*>(check.data()), check.size()}), 0xE3069283u);
    QCOMPARE(tfw::crc32cBitwise(check), 0xE3069283u);
    // RFC 3720 B.4: 32 bytes of zeros -> 0x8A9136AA; 32 bytes of 0xFF -> 0x62A8AB43.
    const std::string zeros(32, '\0'), ones(32, '\xff');
    QCOMPARE(crc32c({reinterpret_cast<const unsigned char*>(zeros.data()), 32}), 0x8A9136AAu);
    QCOMPARE(crc32c({reinterpret_cast<const unsigned char*>(ones.data()), 32}), 0x62A8AB43u);
    // Table-driven and bitwise agree on odd lengths and split computations.
    std::mt19937 rng(7);
    std::string data(1000, '\0');
    for (auto& c : data)
        c = static_cast<char>(rng());
    // Every length up to 24 (each tail of 0-7 bytes after whole words), and longer ones.
    std::vector<std::size_t> lengths{63u, 1000u};
    for (std::size_t n = 0; n <= 24; ++n)
        lengths.push_back(n);
    for (const std::size_t n : lengths) {
        const auto* p = reinterpret_cast<const unsigned char*>(data.data());
        QCOMPARE(crc32c({p, n}), tfw::crc32cBitwise(std::string_view(data).substr(0, n)));
        if (n > 3) QCOMPARE(crc32c({p + 3, n - 3}, crc32c({p, 3})), crc32c({p, n}));
        // The hardware and the table path (whichever crc32c chose) agree with the bitwise definition.
        QCOMPARE(crc32cPortable({p, n}), tfw::crc32cBitwise(std::string_view(data).substr(0, n)));
        if (n > 3) QCOMPARE(crc32cPortable({p + 3, n - 3}, crc32cPortable({p, 3})), crc32c({p, n}));
    }
    QCOMPARE(maskCrc32c(0x12345678u), tfw::masked(0x12345678u));
}

void TestTfEventsReader::wireCursorRejectsOverlongLengths() {
    // Field 1, length-delimited, claims 2^60 bytes but holds 3: must fail without allocating.
    std::string msg;
    tfw::putKey(msg, 1, 2);
    tfw::putVarint(msg, 1ull << 60);
    msg += "abc";
    WireCursor c(msg);
    QVERIFY(!c.next());
    QVERIFY(c.failed());
    // An 11-byte varint is invalid.
    const std::string elevenBytes(11, '\xff');
    WireCursor v(elevenBytes);
    QVERIFY(!v.readVarint());
    // Truncated fixed64.
    std::string f;
    tfw::putKey(f, 1, 1);
    f += "1234";
    WireCursor fc(f);
    QVERIFY(!fc.next());
}

void TestTfEventsReader::wireVarintsAndKeys() {
    // Hand-encoded varints (protobuf encoding guide: 150 is 96 01, 300 is AC 02), at every length the inline
    // paths (one and two bytes) and the loop (three and more) take, and a two-byte one cut after its first
    // byte.
    const std::vector<std::pair<std::string, std::uint64_t>> cases = {
        {std::string("\x00", 1), 0},
        {"\x7f", 127},
        {"\x80\x01", 128},
        {"\x96\x01", 150},
        {"\xac\x02", 300},
        {"\xff\x7f", 16383},
        {"\x80\x80\x01", 16384},
        {"\xff\xff\xff\xff\x0f", 0xffffffffull},
        {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", ~0ull},
    };
    for (const auto& [bytes, expected] : cases) {
        WireCursor c(bytes);
        std::uint64_t value = 0;
        QVERIFY(c.varintInto(value));
        QCOMPARE(value, expected);
        QCOMPARE(c.position(), bytes.size());
        QVERIFY(!c.failed());
    }
    WireCursor cut(std::string_view("\x96", 1));
    std::uint64_t value = 0;
    QVERIFY(!cut.varintInto(value));
    QVERIFY(cut.failed());
    // A field's key is (number << 3) | type: field 2 as a varint is 0x10, field 5 length-delimited 0x2a, and
    // field 300 fixed32 is 300 * 8 + 5 = 2405 (a two-byte key, E5 12).
    QCOMPARE(wireKey(2, WireType::Varint), 0x10ull);
    QCOMPARE(wireKey(5, WireType::LengthDelimited), 0x2aull);
    const std::string msg("\xe5\x12\x01\x02\x03\x04", 6);
    WireCursor f(msg);
    WireField field;
    QVERIFY(f.nextInto(field));
    QCOMPARE(field.key, 2405ull);
    QCOMPARE(field.number, 300u);
    QVERIFY(field.type == WireType::Fixed32);
    QCOMPARE(field.bits, 0x04030201ull);
}

void TestTfEventsReader::formats_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<QList<qint64>>("steps");
    QTest::addColumn<int>("infos");

    auto events = [](auto makeValue, const std::vector<double>& values) {
        std::string file = tfw::fileVersionRecord(1.5e9);
        for (std::size_t i = 0; i < values.size(); ++i)
            file += tfw::eventRecord(1.5e9 + double(i), std::int64_t(i * 10), {makeValue(values[i], i)});
        return QByteArray::fromStdString(file);
    };
    // Values chosen exactly representable as float so float encodings compare exactly.
    const std::vector<double> v{0.5, 0.25, -0.125, 1024.0};
    const QList<double> vq(v.begin(), v.end());
    const QList<qint64> steps{0, 10, 20, 30};

    QTest::newRow("simple_value") << events([](double x,
                                               std::size_t) { return tfw::simpleValue("loss", float(x)); },
                                            v)
                                  << "loss" << vq << steps << 0;
    QTest::newRow("float tensor packed")
        << events([](double x,
                     std::size_t i) { return tfw::tensorValue("acc", x, TensorKind::FloatPacked, i == 0); },
                  v)
        << "acc" << vq << steps << 0;
    QTest::newRow("float tensor unpacked")
        << events([](double x, std::size_t) { return tfw::tensorValue("acc", x, TensorKind::FloatUnpacked); },
                  v)
        << "acc" << vq << steps << 0;
    // Doubles keep their full precision: 0.1 is not a float.
    const std::vector<double> d{0.1, 1e-300, 3.141592653589793, -2.5};
    QTest::newRow("double tensor")
        << events([](double x, std::size_t) { return tfw::tensorValue("lr", x, TensorKind::DoublePacked); },
                  d)
        << "lr" << QList<double>(d.begin(), d.end()) << steps << 0;
    QTest::newRow("float tensor_content")
        << events([](double x, std::size_t) { return tfw::tensorValue("x", x, TensorKind::FloatContent); }, v)
        << "x" << vq << steps << 0;
    QTest::newRow("double tensor_content")
        << events([](double x, std::size_t) { return tfw::tensorValue("y", x, TensorKind::DoubleContent); },
                  d)
        << "y" << QList<double>(d.begin(), d.end()) << steps << 0;
    const std::vector<double> ints{3, -7, 1ll << 40, 0};
    QTest::newRow("int64 tensor")
        << events([](double x, std::size_t) { return tfw::tensorValue("n", x, TensorKind::Int64); }, ints)
        << "n" << QList<double>(ints.begin(), ints.end()) << steps << 0;
    // Every event also carries an image: the image is skipped and counted in one Info.
    QTest::newRow("images skipped") << events(
                                           [](double x, std::size_t) {
                                               std::string summaryValues = tfw::simpleValue("loss", float(x));
                                               return summaryValues;
                                           },
                                           v) +
                                           QByteArray::fromStdString(
                                               tfw::eventRecord(2e9, 40, {tfw::imageValue("img")}))
                                    << "loss" << vq << steps << 1;
}

void TestTfEventsReader::formats() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, tag);
    QFETCH(QList<double>, values);
    QFETCH(QList<qint64>, steps);
    QFETCH(int, infos);
    QTemporaryDir dir;
    const auto path = writeFile(dir, "events.out.tfevents.1.host", bytes.toStdString());
    RecordingSink sink;
    const ReadReport r = readPath(path, sink);
    QVERIFY2(countAtLeastWarnings(r) == 0, qPrintable(describe(r)));
    QCOMPARE(countIssues(r, Severity::Info, IssueKind::Unsupported), infos);
    QCOMPARE(r.endOffset, qint64(bytes.size()));
    QCOMPARE(sink.points.size(), std::size_t(1));
    const auto& series = sink.points["run"];
    QCOMPARE(series.size(), std::size_t(1));
    const auto& rec = series.at(tag.toStdString());
    QCOMPARE(rec.values.size(), std::size_t(values.size()));
    QCOMPARE(r.points, qint64(values.size()));
    for (qsizetype i = 0; i < values.size(); ++i) {
        QCOMPARE(rec.values[i], values[i]);
        QCOMPARE(rec.steps[i], steps[i]);
        QCOMPARE(rec.wallTimes[i], 1.5e9 + double(i));
    }
}

void TestTfEventsReader::badCrcInMiddleSkipsOneRecord() {
    std::string r1 = tfw::eventRecord(1.0, 1, {tfw::simpleValue("loss", 1.0f)});
    std::string r2 = tfw::eventRecord(2.0, 2, {tfw::simpleValue("loss", 2.0f)});
    const std::string r3 = tfw::eventRecord(3.0, 3, {tfw::simpleValue("loss", 3.0f)});
    r2[r2.size() - 6] ^= 0x40; // flip a bit in record 2's float value, leaving its CRC stale
    QTemporaryDir dir;
    const auto path = writeFile(dir, "events.out.tfevents.2", r1 + r2 + r3);
    RecordingSink sink;
    const ReadReport r = readPath(path, sink);
    QCOMPARE(countIssues(r, Severity::Warning, IssueKind::BadChecksum), 1);
    const auto it = std::find_if(r.issues.begin(), r.issues.end(),
                                 [](const ReadIssue& i) { return i.kind == IssueKind::BadChecksum; });
    QCOMPARE(it->line, qint64(2));
    // The message names the byte offset where record 2 starts (= size of record 1).
    QVERIFY2(it->message.find("byte " + std::to_string(r1.size())) != std::string::npos, it->message.c_str());
    QCOMPARE(sink.points["run"]["loss"].values, (std::vector<double>{1.0, 3.0}));
    QCOMPARE(r.endOffset, qint64(r1.size() + r2.size() + r3.size()));
}

void TestTfEventsReader::hugeLengthIsNotAllocated() {
    const std::string r1 = tfw::eventRecord(1.0, 1, {tfw::simpleValue("loss", 1.0f)});
    // A header claiming 2^60 bytes with a correct length checksum, then a few bytes.
    std::string len;
    tfw::putLe(len, 1ull << 60, 8);
    std::string bad = len;
    tfw::putLe(bad, tfw::masked(tfw::crc32cBitwise(len)), 4);
    bad += "garbage";
    QTemporaryDir dir;
    const auto path = writeFile(dir, "events.out.tfevents.3", r1 + bad);
    RecordingSink sink;
    const ReadReport r = readPath(path, sink);
    QCOMPARE(countIssues(r, Severity::Error, IssueKind::BadRecord), 1);
    QCOMPARE(sink.points["run"]["loss"].values, (std::vector<double>{1.0}));
    QCOMPARE(r.endOffset, qint64(r1.size()));
}

void TestTfEventsReader::truncatedLastRecordResumes() {
    std::string all = tfw::fileVersionRecord(1.0);
    for (int i = 0; i < 5; ++i)
        all += tfw::eventRecord(10.0 + i, i, {tfw::simpleValue("loss", float(i))});
    const std::size_t firstFour =
        all.size() - tfw::eventRecord(14.0, 4, {tfw::simpleValue("loss", 4.0f)}).size();
    // Cut at each position inside the last record: the header, the data and the footer.
    for (const std::size_t cut : {firstFour + 5, firstFour + 12, firstFour + 20, all.size() - 1}) {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "events.out.tfevents.4", all.substr(0, cut));
        RecordingSink sink;
        const ReadReport first = readPath(path, sink);
        QVERIFY2(!first.hasErrors() && first.warningCount() == 0, qPrintable(describe(first)));
        QCOMPARE(countIssues(first, Severity::Info, IssueKind::Truncated), 1);
        QCOMPARE(first.endOffset, qint64(firstFour));
        QCOMPARE(sink.points["run"]["loss"].values.size(), std::size_t(4));
        // The writer finishes the record; reading on from endOffset delivers exactly the last point.
        writeFile(dir, "events.out.tfevents.4", all);
        const ReadReport second = readPath(path, sink, first.endOffset);
        QVERIFY2(second.issues.empty(), qPrintable(describe(second)));
        QCOMPARE(second.endOffset, qint64(all.size()));
        QCOMPARE(sink.points["run"]["loss"].values, (std::vector<double>{0, 1, 2, 3, 4}));
        QCOMPARE(sink.points["run"]["loss"].steps, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
    }
}

void TestTfEventsReader::emptyRandomAndLfs() {
    QTemporaryDir dir;
    {
        RecordingSink sink;
        const ReadReport r = readPath(writeFile(dir, "events.out.tfevents.empty", ""), sink);
        QVERIFY2(!r.hasErrors() && r.warningCount() == 0, qPrintable(describe(r)));
        QCOMPARE(r.points, qint64(0));
        QCOMPARE(r.endOffset, qint64(0));
    }
    {
        std::mt19937 rng(42);
        for (int trial = 0; trial < 20; ++trial) {
            std::string junk(std::size_t(rng() % 5000), '\0');
            for (auto& c : junk)
                c = static_cast<char>(rng());
            RecordingSink sink;
            const ReadReport r = readPath(writeFile(dir, "events.out.tfevents.junk", junk), sink);
            if (junk.size() >= 12) QVERIFY2(r.hasErrors(), qPrintable(describe(r)));
            QCOMPARE(r.points, qint64(0));
        }
    }
    {
        const std::string pointer =
            "version https://git-lfs.github.com/spec/v1\n"
            "oid sha256:0b142ce1efde0000000000000000000000000000000000000000000000000000\n"
            "size 5892\n";
        RecordingSink sink;
        const ReadReport r = readPath(writeFile(dir, "events.out.tfevents.lfs", pointer), sink);
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].kind, IssueKind::GitLfsPointer);
        QCOMPARE(r.issues[0].severity, Severity::Warning);
        QVERIFY(r.issues[0].message.find("git lfs pull") != std::string::npos);
        QVERIFY(sink.points.empty());
    }
}

void TestTfEventsReader::hparamsBecomeParams() {
    using H = tfw::HParam;
    std::string file = tfw::fileVersionRecord(1.0);
    file += tfw::eventRecord(
        1.0, 0,
        {tfw::hparamsValue({H{"lr", H::Number, 0.001}, H{"optimizer", H::String, 0, "adam"},
                            H{"batch_size", H::Number, 32}, H{"augment", H::Bool, 0, "", true}})});
    file += tfw::eventRecord(2.0, 1, {tfw::simpleValue("hp_metric", 0.75f)});
    QTemporaryDir dir;
    RecordingSink sink;
    const ReadReport r = readPath(writeFile(dir, "events.out.tfevents.hp", file), sink);
    QVERIFY2(r.issues.empty(), qPrintable(describe(r)));
    const auto& p = sink.params["run"];
    QCOMPARE(p.size(), std::size_t(4));
    QCOMPARE(p.at("lr"), std::string("0.001"));
    QCOMPARE(p.at("optimizer"), std::string("adam"));
    QCOMPARE(p.at("batch_size"), std::string("32"));
    QCOMPARE(p.at("augment"), std::string("true"));
    QCOMPARE(sink.points["run"]["hp_metric"].values, (std::vector<double>{0.75}));
}

void TestTfEventsReader::batchesOfAtMost4096() {
    std::string file;
    const int n = 10000;
    for (int i = 0; i < n; ++i)
        file += tfw::eventRecord(i, i, {tfw::simpleValue("a", float(i)), tfw::simpleValue("b", 1.0f)});
    QTemporaryDir dir;
    RecordingSink sink;
    const ReadReport r = readPath(writeFile(dir, "events.out.tfevents.big", file), sink);
    QCOMPARE(r.points, qint64(2 * n));
    QCOMPARE(sink.maxBatch, std::size_t(4096));
    const auto& a = sink.points["run"]["a"];
    QCOMPARE(a.values.size(), std::size_t(n));
    for (int i = 0; i < n; ++i)
        QCOMPARE(a.values[i], double(i));
}

void TestTfEventsReader::workerRunsFold() {
    const auto p = parseWorkerRun("exp/rank_1");
    QVERIFY(p);
    QCOMPARE(p->baseRun, std::string("exp"));
    QCOMPARE(p->worker, 1);
    QCOMPARE(parseWorkerRun("a/b/worker-12")->baseRun, std::string("a/b"));
    QCOMPARE(parseWorkerRun("a/b/worker-12")->worker, 12);
    QCOMPARE(parseWorkerRun("exp/node3")->worker, 3);
    QCOMPARE(parseWorkerRun("exp/train_rank_2")->baseRun, std::string("exp/train"));
    QVERIFY(!parseWorkerRun("rank_0"));              // nothing to fold into
    QVERIFY(!parseWorkerRun("hparam_tuning/run-0")); // "run" is not a worker word
    QVERIFY(!parseWorkerRun("exp/ranking"));
    QCOMPARE(workerTag("loss", 3), std::string("loss/worker_3"));

    QTemporaryDir dir;
    const auto path =
        writeFile(dir, "events.out.tfevents.w", tfw::eventRecord(1.0, 5, {tfw::simpleValue("loss", 2.0f)}));
    RecordingSink sink;
    readPath(path, sink, 0, "exp/rank_1");
    QCOMPARE(sink.points.size(), std::size_t(1));
    QCOMPARE(sink.points["exp"]["loss/worker_1"].values, (std::vector<double>{2.0}));
    QCOMPARE(sink.params["exp"]["worker_1"], std::string("exp/rank_1"));
}

void TestTfEventsReader::confidenceByName() {
    TfEventsReader reader;
    FileProbe probe;
    probe.path = "/x/events.out.tfevents.123.host.1.v2";
    QCOMPARE(reader.confidence(probe), 95);
    probe.head = "version https://git-lfs.github.com/spec/v1\n";
    QCOMPARE(reader.confidence(probe), 95);
    probe.path = "/x/metrics.csv";
    QCOMPARE(reader.confidence(probe), 0);
}

void TestTfEventsReader::realEventFiles() {
    const QString root = QStringLiteral(RUNLENS_REAL_DATA) + "/tfevents";
    if (!QFileInfo(root).isDir()) QSKIP("real data folder /work/shared/data/real/tfevents is absent");
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    int files = 0, pointers = 0, withPoints = 0, hparamFiles = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        if (!QFileInfo(path).fileName().contains("tfevents")) continue;
        ++files;
        const std::string bytes = readAll(path.toStdString());
        const std::string run = QDir(root).relativeFilePath(QFileInfo(path).path()).toStdString();
        RecordingSink sink;
        const ReadReport r = readPath(path.toStdString(), sink, 0, run);
        if (bytes.rfind("version https://git-lfs.github.com/spec/v1", 0) == 0) {
            ++pointers;
            QCOMPARE(r.issues.size(), std::size_t(1));
            QCOMPARE(r.issues[0].kind, IssueKind::GitLfsPointer);
            QVERIFY(sink.points.empty());
            continue;
        }
        QVERIFY2(!r.hasErrors() && r.warningCount() == 0, qPrintable(path + ": " + describe(r)));
        QCOMPARE(r.endOffset, qint64(bytes.size()));
        const tfw::DecodedFile expected = tfw::decodeFile(bytes);
        QCOMPARE(expected.crcErrors, 0);
        QCOMPARE(sink.points.size(), expected.points.empty() ? std::size_t(0) : std::size_t(1));
        const auto& got = sink.points[run];
        QCOMPARE(got.size(), expected.points.size());
        for (const auto& [tag, values] : expected.points) {
            QVERIFY2(got.count(tag), qPrintable(path + ": missing tag " + QString::fromStdString(tag)));
            QCOMPARE(got.at(tag).values, values);
        }
        QCOMPARE(sink.params[run].size(), expected.hparams.size());
        for (const auto& [key, tag] : expected.hparams)
            QVERIFY2(sink.params[run].count(key), key.c_str());
        hparamFiles += !expected.hparams.empty();
        withPoints += !expected.points.empty();
    }
    QVERIFY(files >= 60);   // 68 event files in the corpus today
    QCOMPARE(pointers, 11); // the whisper-tiny runs/ stubs (PROVENANCE.md)
    QVERIFY(withPoints > 20);
    QVERIFY(hparamFiles > 10);
}

QTEST_GUILESS_MAIN(TestTfEventsReader)
#include "test_tfevents_reader.moc"
