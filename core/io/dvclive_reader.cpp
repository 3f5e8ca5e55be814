// DVCLive directories: per-metric TSV histories, metrics.json as final values and params.yaml as params.
#include "core/io/dvclive_reader.h"

#include "core/io/csv_tokenizer.h"
#include "core/io/hparams_yaml_reader.h"
#include "core/model/series.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <simdjson.h>
#include <vector>

namespace runlens {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBatch = 4096;
constexpr std::size_t kMaxFiles = 100000;

bool isDir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// The last non-empty component of a path ("/a/b/" -> "b").
std::string lastName(const fs::path& p) {
    const fs::path normal = p.lexically_normal();
    std::string name = normal.filename().string();
    if (name.empty()) name = normal.parent_path().filename().string();
    return name;
}

fs::path withoutTrailingSlash(const fs::path& p) {
    fs::path normal = p.lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();
    return normal;
}

// True when p is a symbolic link resolving outside root: a log folder must not make us read other files.
bool linksOutside(const fs::path& p, const fs::path& root) {
    std::error_code ec;
    if (!fs::is_symlink(p, ec)) return false;
    const fs::path target = fs::weakly_canonical(p, ec);
    if (ec) return true;
    const std::string rel = target.lexically_relative(fs::weakly_canonical(root, ec)).generic_string();
    return ec || rel.empty() || rel.rfind("..", 0) == 0;
}

// Metric files under base, sorted, with their tag (relative path without ".tsv", '/' separated).
std::vector<std::pair<fs::path, std::string>> metricFiles(const fs::path& base, ReadReport& report) {
    std::vector<std::pair<fs::path, std::string>> files;
    if (!isDir(base)) return files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec) || it->path().extension() != ".tsv") continue;
        if (linksOutside(it->path(), base)) {
            report.warn(IssueKind::Unsupported, it->path().string(), 0,
                        "symbolic link points outside the DVCLive folder; not followed");
            continue;
        }
        if (files.size() >= kMaxFiles) {
            report.warn(IssueKind::Unsupported, base.string(), 0,
                        "more than 100000 metric files; the rest skipped");
            break;
        }
        const fs::path relative = it->path().lexically_relative(base);
        std::string tag = relative.generic_string();
        tag.resize(tag.size() - 4); // ".tsv"
        files.emplace_back(it->path(), std::move(tag));
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::int64_t mtimeNs(const fs::path& p) {
    std::error_code ec;
    const auto t = fs::last_write_time(p, ec);
    if (ec) return 0;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::int64_t fileSize(const fs::path& p) {
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    return ec ? 0 : static_cast<std::int64_t>(size);
}

// One DVCLive source file inside a transaction; unchanged files are skipped.
class SourceScope {
  public:
    SourceScope(ImportTarget& target, const fs::path& path) : m_path(path) {
        m_size = fileSize(path);
        m_mtime = mtimeNs(path);
        const std::optional<SourceState> old = target.sourceState(path.string());
        if (old && old->size == m_size && old->mtimeNs == m_mtime) return; // unchanged since the last import
        m_tx = target.beginSource(path.string(), "dvclive", true);
    }
    bool active() const { return m_tx != nullptr; }
    ImportSink& sink() { return *m_tx; }
    void commit() {
        if (m_tx) m_tx->commit(SourceState{"dvclive", m_size, m_mtime, m_size});
        m_tx.reset();
    }

  private:
    fs::path m_path;
    std::int64_t m_size = 0;
    std::int64_t m_mtime = 0;
    std::unique_ptr<SourceTransaction> m_tx;
};

struct Columns {
    int step = -1;
    int timestamp = -1;
    int value = -1;
};

Columns findColumns(std::span<const std::string_view> header) {
    Columns c;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string_view name = textnum::trim(header[i]);
        if (name == "step" && c.step < 0) {
            c.step = static_cast<int>(i);
        } else if (name == "timestamp" && c.timestamp < 0) {
            c.timestamp = static_cast<int>(i);
        } else if (c.value < 0) {
            c.value = static_cast<int>(i);
        }
    }
    return c;
}

// Reads one metric TSV into tag; returns the last step read, if any.
std::optional<std::int64_t> readMetricTsv(const fs::path& path, const std::string& run,
                                          const std::string& tag, ImportSink& sink, ReadReport& report) {
    const std::string file = path.string();
    CsvOptions options;
    options.separator = '\t';
    CsvTokenizer tokenizer(options);
    if (!tokenizer.open(path, &report, file)) return std::nullopt;
    CsvRow row;
    if (!tokenizer.next(row)) {
        report.warn(IssueKind::Empty, file, 0, "empty file: no header");
        return std::nullopt;
    }
    const std::size_t width = row.fields.size();
    const Columns cols = findColumns(row.fields);
    if (cols.value < 0) {
        report.warn(IssueKind::MissingColumn, file, row.line, "no value column in the header");
        return std::nullopt;
    }
    if (cols.step < 0)
        report.warn(IssueKind::MissingColumn, file, row.line,
                    "no \"step\" column: row numbers are the steps");

    SeriesData batch;
    std::optional<std::int64_t> lastStep;
    std::int64_t rowIndex = 0;
    auto flush = [&] {
        if (batch.empty()) return;
        sink.appendPoints(run, tag, batch.steps, batch.wallTimes, batch.values);
        report.points += static_cast<std::int64_t>(batch.size());
        batch.clear();
    };
    while (tokenizer.next(row)) {
        const std::int64_t index = rowIndex++;
        if (row.fields.size() != width) {
            report.warn(IssueKind::RaggedRow, file, row.line,
                        std::to_string(row.fields.size()) + " fields where the header has " +
                            std::to_string(width));
            ++report.rowsSkipped;
            continue;
        }
        std::int64_t step = index;
        if (cols.step >= 0 && textnum::parseStep(row.fields[cols.step], step) != textnum::Parsed::Number) {
            report.warn(IssueKind::BadNumber, file, row.line,
                        "step \"" + std::string(row.fields[cols.step]) + "\" is not an integer");
            ++report.rowsSkipped;
            continue;
        }
        double value = 0;
        const textnum::Parsed parsed = textnum::parseLoggedValue(row.fields[cols.value], value);
        if (parsed == textnum::Parsed::Missing) continue;
        if (parsed == textnum::Parsed::Text) {
            report.warn(IssueKind::BadNumber, file, row.line,
                        "value \"" + std::string(row.fields[cols.value]) + "\" is not a number");
            ++report.rowsSkipped;
            continue;
        }
        double wallTime = kNaN;
        if (cols.timestamp >= 0 &&
            textnum::parseTimestamp(row.fields[cols.timestamp], wallTime) != textnum::Parsed::Number)
            wallTime = kNaN;
        batch.push(step, wallTime, value);
        lastStep = step;
        if (batch.size() >= kBatch) flush();
    }
    flush();
    if (rowIndex == 0) report.warn(IssueKind::Empty, file, 0, "header only: no data rows");
    return lastStep;
}

// metrics.json: numbers become one point each at its step; tags that have a TSV history are left to it.
void readMetricsJson(const fs::path& path, const std::string& run, const std::set<std::string>& tsvTags,
                     std::optional<std::int64_t> lastTsvStep, ImportSink& sink, ReadReport& report) {
    const std::string file = path.string();
    std::optional<std::string> text = readStructuredText(path, file, report);
    if (!text) return;
    quotePythonJsonSpecials(*text);
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(*text);
    simdjson::dom::element root;
    if (const simdjson::error_code error = parser.parse(padded).get(root)) {
        reportJsonError(error, *text, file, report);
        return;
    }
    if (!root.is_object()) {
        report.warn(IssueKind::BadValue, file, 0, "the top level is not a JSON object");
        return;
    }
    std::int64_t step = lastTsvStep.value_or(0);
    simdjson::dom::element stepElement;
    if (!root["step"].get(stepElement)) {
        if (stepElement.is_int64()) step = stepElement.get_int64().value_unsafe();
    }
    const FlattenResult flat = flattenJson(root, '/');
    reportFlattenLimits(flat, file, report);
    for (const FlatEntry& entry : flat.entries) {
        if (entry.key == "step" || !entry.number || tsvTags.count(entry.key) > 0) continue;
        const double wallTime = kNaN;
        sink.appendPoints(run, entry.key, {&step, 1}, {&wallTime, 1}, {&*entry.number, 1});
        ++report.points;
    }
}

// DVCLive before 1.0 wrote its summary beside the directory: "dvclive.json" next to "dvclive/".
fs::path oldSummaryOf(const fs::path& dir) {
    const fs::path normal = withoutTrailingSlash(dir);
    return normal.parent_path() / (normal.filename().string() + ".json");
}

} // namespace

int DvcLiveReader::confidence(const fs::path& dir) const {
    const bool hasPlots = isDir(dir / "plots" / "metrics");
    const bool hasScalars = isDir(dir / "scalars");
    const bool hasMetrics = isFile(dir / "metrics.json");
    if (lastName(dir) == "dvclive" && (hasPlots || hasScalars || hasMetrics)) return 95;
    if (lastName(dir) == "dvclive" && isFile(oldSummaryOf(dir))) return 95; // DVCLive before 1.0
    if (hasPlots && (hasMetrics || isFile(dir / "params.yaml"))) {
        std::error_code ec;
        for (fs::recursive_directory_iterator it(dir / "plots" / "metrics", ec), end; !ec && it != end;
             it.increment(ec)) {
            if (it->path().extension() == ".tsv") return 70;
        }
    }
    return 0;
}

std::string DvcLiveReader::runNameFor(const fs::path& dir, const ReadContext& ctx) {
    const fs::path parent = withoutTrailingSlash(dir).parent_path();
    if (ctx.root.empty()) return ctx.runName.empty() ? lastName(parent) : ctx.runName;
    const fs::path root = withoutTrailingSlash(ctx.root);
    const fs::path relative = parent.lexically_relative(root);
    const std::string rel = relative.generic_string();
    if (rel == ".") return lastName(root);
    if (rel.empty() || rel.rfind("..", 0) == 0)
        return lastName(parent); // the DVCLive dir itself was imported
    return rel;
}

ReadReport DvcLiveReader::read(const fs::path& dir, const ReadContext& ctx, ImportTarget& target) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string run = runNameFor(dir, ctx);

    std::vector<std::pair<fs::path, std::string>> files = metricFiles(dir / "plots" / "metrics", report);
    const auto older = metricFiles(dir / "scalars", report);
    files.insert(files.end(), older.begin(), older.end());
    if (files.empty() && !isDir(dir / "plots") && !isDir(dir / "scalars"))
        files = metricFiles(dir, report); // the oldest layout: dvclive/<metric>.tsv

    std::set<std::string> tsvTags;
    std::optional<std::int64_t> lastStep;
    for (const auto& [path, tag] : files) {
        tsvTags.insert(tag);
        if (ctx.cancelled()) {
            report.warn(IssueKind::Cancelled, path.string(), 0, "import cancelled");
            return report;
        }
        SourceScope source(target, path);
        if (!source.active()) continue;
        ReadReport one;
        const std::optional<std::int64_t> last = readMetricTsv(path, run, tag, source.sink(), one);
        if (last) lastStep = std::max(lastStep.value_or(*last), *last);
        if (!one.hasErrors()) source.commit();
        report.merge(one);
    }

    fs::path metrics = dir / "metrics.json";
    const fs::path oldSummary = oldSummaryOf(dir);
    const bool oldLayout = !isFile(metrics) && isFile(oldSummary);
    if (oldLayout) metrics = oldSummary;
    if (isFile(metrics) && linksOutside(metrics, oldLayout ? withoutTrailingSlash(dir).parent_path() : dir)) {
        report.warn(IssueKind::Unsupported, metrics.string(), 0,
                    "symbolic link points outside the DVCLive folder; not followed");
    } else if (isFile(metrics)) {
        SourceScope source(target, metrics);
        if (source.active()) {
            ReadReport one;
            readMetricsJson(metrics, run, tsvTags, lastStep, source.sink(), one);
            if (!one.hasErrors()) source.commit();
            report.merge(one);
        }
    }

    for (const char* paramsName : {"params.yaml", "params.yml"}) {
        const fs::path params = dir / paramsName;
        if (!isFile(params)) continue;
        if (linksOutside(params, dir)) {
            report.warn(IssueKind::Unsupported, params.string(), 0,
                        "symbolic link points outside the DVCLive folder; not followed");
            continue;
        }
        SourceScope source(target, params);
        if (!source.active()) continue;
        ReadReport one;
        if (std::optional<std::string> text = readStructuredText(params, params.string(), one)) {
            const FlattenResult flat = parseYamlParams(*text, params.string(), one);
            reportFlattenLimits(flat, params.string(), one);
            deliverParams(flat, run, source.sink());
            source.commit();
        }
        report.merge(one);
    }
    if (files.empty() && !isFile(metrics)) {
        report.warn(IssueKind::Empty, dir.string(), 0, "no metrics in this DVCLive directory");
    }
    return report;
}

} // namespace runlens
