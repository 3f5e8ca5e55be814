// What the line-based reader tests (CSV, JSONL) share: a file written into a temporary folder, and the
// points, params and issues a read left, rendered as text to compare in one QCOMPARE.
#pragma once

#include "core/import/memory_target.h"
#include "core/io/reader.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <QStringList>
#include <QTemporaryDir>
#include <string>

namespace runlens::test {

inline std::filesystem::path writeFile(const QTemporaryDir& dir, const std::string& name,
                                       const std::string& bytes) {
    const std::filesystem::path p = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    return p;
}

// Renders every point as "run|tag|step|value|wall" (wall "-" when unknown), sorted by run and tag.
inline QString renderPoints(const MemoryTarget& target) {
    QStringList out;
    for (const auto& [run, data] : target.runs())
        for (const auto& [tag, s] : data.series)
            for (std::size_t i = 0; i < s.size(); ++i) {
                const double w = s.wallTimes[i];
                out << QString("%1|%2|%3|%4|%5")
                           .arg(QString::fromStdString(run), QString::fromStdString(tag))
                           .arg(s.steps[i])
                           .arg(s.values[i], 0, 'g', 10)
                           .arg(std::isnan(w) ? QString("-") : QString::number(w, 'f', 3));
            }
    return out.join(";");
}

// Every param as "run:key=value", sorted by run and key.
inline QString renderParams(const MemoryTarget& target) {
    QStringList out;
    for (const auto& [run, data] : target.runs())
        for (const auto& [k, v] : data.params)
            out << QString::fromStdString(run + ":" + k + "=" + v);
    return out.join(";");
}

// Whether the report holds an issue of this kind (on this line when line >= 0).
inline bool hasIssue(const ReadReport& report, IssueKind kind, std::int64_t line = -1) {
    for (const auto& i : report.issues)
        if (i.kind == kind && (line < 0 || i.line == line)) return true;
    return false;
}

} // namespace runlens::test
