// Tests of the chunk blob codec: exact round trips, per-chunk statistics, and refusal of corrupt blobs.
#include "core/store/chunk_codec.h"
#include "core/store/workspace.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <QtTest>
#include <random>

using namespace runlens;
using namespace runlens::store;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

std::vector<std::uint8_t> encode(const SeriesData& d) {
    std::vector<std::uint8_t> blob;
    encodeChunk(d.steps, d.wallTimes, d.values, blob);
    return blob;
}

} // namespace

class TestChunkCodec : public QObject {
    Q_OBJECT

  private slots:
    void roundTrip_data();
    void roundTrip();
    void codingsAreCompact_data();
    void codingsAreCompact();
    void stats();
    void truncatedBlobsAreRefused();
    void corruptHeadersAreRefused_data();
    void corruptHeadersAreRefused();
    void randomDamageNeverCrashes();
};

void TestChunkCodec::roundTrip_data() {
    QTest::addColumn<QVector<qint64>>("steps");
    QTest::addColumn<QVector<double>>("walls");
    QTest::addColumn<QVector<double>>("values");
    QTest::newRow("empty") << QVector<qint64>{} << QVector<double>{} << QVector<double>{};
    QTest::newRow("one") << QVector<qint64>{7} << QVector<double>{1.5} << QVector<double>{-2.25};
    QTest::newRow("int64 extremes") << QVector<qint64>{kMin, kMax, 0, kMin, -1, kMax, kMax}
                                    << QVector<double>{kNaN, 1, 2, 3, 4, 5, 6}
                                    << QVector<double>{kNaN, kInf, -kInf, 0.0, -0.0, 1e308, 5e-324};
    QTest::newRow("float32 values, varint walls")
        << QVector<qint64>{0, 1, 2, 3} << QVector<double>{1e9, 1e9 + 1, 1e9 + 2, 1e9 + 4}
        << QVector<double>{0.5, -0.25, kInf, kNaN};
    QTest::newRow("backwards steps") << QVector<qint64>{100, 50, 51, 0, 200}
                                     << QVector<double>{kNaN, kNaN, kNaN, kNaN, kNaN}
                                     << QVector<double>{1, 2, 3, 4, 5};
}

void TestChunkCodec::roundTrip() {
    QFETCH(QVector<qint64>, steps);
    QFETCH(QVector<double>, walls);
    QFETCH(QVector<double>, values);
    SeriesData in;
    for (int i = 0; i < steps.size(); ++i)
        in.push(steps[i], walls[i], values[i]);
    const auto blob = encode(in);

    SeriesData out;
    out.push(99, 99, 99); // decode appends after what is already there
    decodeChunk(blob, out);
    QCOMPARE(out.size(), in.size() + 1);
    for (std::size_t i = 0; i < in.size(); ++i) {
        QCOMPARE(out.steps[i + 1], in.steps[i]);
        QVERIFY(sameBits(out.wallTimes[i + 1], in.wallTimes[i]));
        QVERIFY(sameBits(out.values[i + 1], in.values[i]));
    }
}

void TestChunkCodec::codingsAreCompact_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("wallBytes");  // expected size of the wall time section
    QTest::addColumn<int>("valueBytes"); // expected size of the value section
    // 4,096 points, steps 0..4095: every step delta is 1 -> one varint byte each (4,096 bytes).
    // kind 0: NaN walls (one float64 stored once), values i/2 (exact in float32: 4 bytes each).
    QTest::newRow("constant walls, float32 values") << 0 << 8 << 4096 * 4;
    // kind 1: walls 1.7e9 + i/4 have a constant bit-pattern difference (same binade, exact quarters),
    // so the second differences are 0 after the first two points: 1 byte each except the first two
    // (first = the whole bit pattern, 9 bytes as a zigzag varint of 0x41D954FC40000000 ... up to 10;
    // second = one difference); values sin(i) are noise and stay raw float64.
    QTest::newRow("regular walls, noisy values") << 1 << -1 << 4096 * 8;
}

void TestChunkCodec::codingsAreCompact() {
    QFETCH(int, kind);
    QFETCH(int, wallBytes);
    QFETCH(int, valueBytes);
    SeriesData d;
    for (int i = 0; i < 4096; ++i) {
        if (kind == 0)
            d.push(i, kNaN, i * 0.5);
        else
            d.push(i, 1.7e9 + i * 0.25, std::sin(double(i)));
    }
    const auto blob = encode(d);
    std::uint32_t sections[3];
    std::memcpy(sections, blob.data() + 12, sizeof sections);
    QCOMPARE(sections[0], 4096u);
    if (wallBytes >= 0)
        QCOMPARE(int(sections[1]), wallBytes);
    else
        QVERIFY2(sections[1] <= 4094 + 20, qPrintable(QString::number(sections[1])));
    QCOMPARE(int(sections[2]), valueBytes);
    QCOMPARE(blob.size(), std::size_t(24) + sections[0] + sections[1] + sections[2]);
    SeriesData back;
    decodeChunk(blob, back);
    QCOMPARE(back.size(), d.size());
    for (std::size_t i = 0; i < d.size(); ++i) {
        QCOMPARE(back.steps[i], d.steps[i]);
        QVERIFY(sameBits(back.wallTimes[i], d.wallTimes[i]));
        QVERIFY(sameBits(back.values[i], d.values[i]));
    }
}

void TestChunkCodec::stats() {
    // Hand-worked: finite values are 3, -1, 2.5 -> min -1, max 3; NaN and two Infs -> 3 non-finite;
    // the last value is the one at the largest step (10): -1, though NaN was read last; step bounds are the
    // smallest (-4) and largest (10) step; walls skip NaN.
    const std::vector<std::int64_t> steps{5, -4, 10, 7, 8, 9};
    const std::vector<double> walls{kNaN, 100, 101, 102, 103, kNaN};
    const std::vector<double> values{3, kInf, -1, -kInf, 2.5, kNaN};
    const ChunkStats s = computeChunkStats(steps, walls, values);
    QCOMPARE(s.count, std::int64_t(6));
    QCOMPARE(s.minStep, std::int64_t(-4));
    QCOMPARE(s.maxStep, std::int64_t(10));
    QCOMPARE(s.min, -1.0);
    QCOMPARE(s.max, 3.0);
    QCOMPARE(s.nonFinite, std::int64_t(3));
    QCOMPARE(s.last, -1.0);
    QCOMPARE(s.firstWall, 100.0);
    QCOMPARE(s.lastWall, 103.0);

    const std::vector<double> allBad{kNaN, kInf};
    const ChunkStats bad = computeChunkStats(std::vector<std::int64_t>{1, 2}, allBad, allBad);
    QVERIFY(std::isnan(bad.min));
    QVERIFY(std::isnan(bad.max));
    QCOMPARE(bad.nonFinite, std::int64_t(2));
}

void TestChunkCodec::truncatedBlobsAreRefused() {
    SeriesData d;
    for (int i = 0; i < 300; ++i)
        d.push(std::int64_t(i) * 1000003, 1e9 + i, std::sin(i));
    const auto blob = encode(d);
    for (std::size_t len = 0; len < blob.size(); ++len) {
        SeriesData out;
        QVERIFY_THROWS_EXCEPTION(WorkspaceError, decodeChunk(std::span(blob.data(), len), out));
        QVERIFY(out.empty());
    }
    auto longer = blob;
    longer.push_back(0);
    SeriesData out;
    QVERIFY_THROWS_EXCEPTION(WorkspaceError, decodeChunk(longer, out));
}

void TestChunkCodec::corruptHeadersAreRefused_data() {
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("byte");
    QTest::newRow("magic") << 0 << int('X');
    QTest::newRow("huge count") << 7 << 0x7f;
    QTest::newRow("count off by one") << 4 << 4;
    QTest::newRow("step coding") << 8 << 3;
    QTest::newRow("wall coding") << 9 << 9;
    QTest::newRow("reserved") << 11 << 1;
    QTest::newRow("huge step bytes") << 15 << 0xff;
    QTest::newRow("wall bytes") << 16 << 0x33;
    QTest::newRow("value bytes") << 23 << 0x01;
}

void TestChunkCodec::corruptHeadersAreRefused() {
    QFETCH(int, offset);
    QFETCH(int, byte);
    SeriesData d;
    for (int i = 0; i < 3; ++i)
        d.push(i, 1.0 + i, 2.0 * i);
    auto blob = encode(d);
    blob[std::size_t(offset)] = std::uint8_t(byte);
    SeriesData out;
    QVERIFY_THROWS_EXCEPTION(WorkspaceError, decodeChunk(blob, out));
}

void TestChunkCodec::randomDamageNeverCrashes() {
    // Flipped bytes either decode to exactly `count` points or throw; they never read out of bounds
    // (run under RUNLENS_ASAN to make that visible).
    SeriesData d;
    for (int i = 0; i < 500; ++i)
        d.push(i * (i % 7 == 0 ? 100000 : 1), 1.7e9 + i, std::cos(i));
    const auto blob = encode(d);
    std::mt19937 rng(12345);
    int refused = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        auto damaged = blob;
        const int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f)
            damaged[rng() % damaged.size()] ^= std::uint8_t(1u << (rng() % 8));
        SeriesData out;
        try {
            decodeChunk(damaged, out);
            std::uint32_t count;
            std::memcpy(&count, damaged.data() + 4, 4);
            QCOMPARE(out.size(), std::size_t(count));
        } catch (const WorkspaceError&) {
            ++refused;
            QVERIFY(out.empty());
        }
    }
    QVERIFY(refused > 0);
}

QTEST_APPLESS_MAIN(TestChunkCodec)
#include "test_chunk_codec.moc"
