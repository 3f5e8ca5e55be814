// What the workspace tests (test_store*.cpp) share: series with NaN/Inf and int64 extremes, imports in
// uneven batches, bit-exact comparison, raw SQL on the workspace file and a fresh temporary folder per test.
#pragma once

#include "core/store/store_access.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <QTemporaryDir>
#include <QtTest>
#include <span>
#include <sqlite3.h>
#include <string>

namespace runlens::test {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

inline bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// A series with NaN/Inf values, NaN wall times and int64 extremes at both ends.
inline SeriesData makeSeries(std::size_t n) {
    SeriesData d;
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t step = std::int64_t(i) * 7 - 1000;
        if (i == 0) step = kMin;
        if (i + 1 == n && n > 1) step = kMax;
        if (i == n / 2) step = kMax - 1; // a jump of ~2^63 inside a chunk
        double value = std::sin(double(i) * 0.01) * 100.0;
        if (i % 97 == 5) value = kNaN;
        if (i % 101 == 7) value = kInf;
        if (i % 103 == 9) value = -kInf;
        const double wall = i % 50 == 3 ? kNaN : 1.7e9 + double(i) * 0.25;
        d.push(step, wall, value);
    }
    return d;
}

// Feeds the data in uneven batches so batch and chunk boundaries do not line up.
inline void append(SourceTransaction& tx, const std::string& run, const std::string& tag, const SeriesData& d,
                   std::size_t batch = 777) {
    for (std::size_t i = 0; i < d.size(); i += batch) {
        const std::size_t n = std::min(batch, d.size() - i);
        tx.appendPoints(run, tag, std::span(d.steps).subspan(i, n), std::span(d.wallTimes).subspan(i, n),
                        std::span(d.values).subspan(i, n));
    }
}

inline void importSeries(Workspace& ws, const std::string& source, const std::string& run,
                         const std::string& tag, const SeriesData& d, bool replace = false) {
    auto tx = ws.beginSource(source, "test", replace);
    append(*tx, run, tag, d);
    tx->commit({"test", 1, 2, 3});
}

inline void compareSeries(const SeriesData& got, const SeriesData& want) {
    QCOMPARE(got.size(), want.size());
    QCOMPARE(got.steps.size(), want.size());
    QCOMPARE(got.wallTimes.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (got.steps[i] != want.steps[i] || !sameBits(got.wallTimes[i], want.wallTimes[i]) ||
            !sameBits(got.values[i], want.values[i]))
            QFAIL(qPrintable(QString("point %1 differs").arg(i)));
    }
}

inline SeriesData slice(const SeriesData& d, std::size_t from, std::size_t to) {
    SeriesData out;
    for (std::size_t i = from; i < to; ++i)
        out.push(d.steps[i], d.wallTimes[i], d.values[i]);
    return out;
}

inline std::int64_t queryInt(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return -999;
    const std::int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -998;
    sqlite3_finalize(st);
    return v;
}

inline std::string queryText(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return "<prepare failed>";
    std::string v = "<no row>";
    if (sqlite3_step(st) == SQLITE_ROW) {
        const auto* p = sqlite3_column_text(st, 0);
        v = p ? reinterpret_cast<const char*>(p) : "<null>";
    }
    sqlite3_finalize(st);
    return v;
}

// Runs SQL on a separate connection, e.g. to damage a workspace the way a foreign tool might.
inline void rawExec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, message.c_str());
}

inline QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const WorkspaceError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// The base of the workspace test classes (each adds Q_OBJECT and its slots): a temporary folder made anew for
// each test function by resetDir(), called from init(); file() names a file in it.
class StoreTestCase : public QObject {
  protected:
    bool resetDir() {
        m_dir = std::make_unique<QTemporaryDir>();
        return m_dir->isValid();
    }
    std::string file(const char* name) const { return (m_dir->path() + "/" + name).toStdString(); }

  private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace runlens::test
