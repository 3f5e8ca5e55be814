// W&B CSV exports: a history export to one run's series, a chart export to one run per "<run> - <metric>"
// prefix.
#include "core/io/wandb_csv_reader.h"

#include "core/io/csv_tokenizer.h"
#include "core/model/series.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <span>

namespace runlens {
namespace {

constexpr std::size_t kBatch = 4096;
constexpr std::string_view kRunSeparator = " - ";

enum class Layout { None, History, Chart };
enum class Role { Skip, Step, WallTime, Metric };

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool hasColumn(std::span<const std::string_view> header, std::string_view name) {
    return std::any_of(header.begin(), header.end(),
                       [&](std::string_view h) { return textnum::trim(h) == name; });
}

Layout detectLayout(std::span<const std::string_view> header) {
    if (hasColumn(header, "_step") && (hasColumn(header, "_runtime") || hasColumn(header, "_timestamp")))
        return Layout::History;
    if (header.size() < 2 || header[0].find(kRunSeparator) != std::string_view::npos) return Layout::None;
    const bool allChart = std::all_of(header.begin() + 1, header.end(), [](std::string_view h) {
        return parseWandbChartColumn(h).has_value();
    });
    return allChart ? Layout::Chart : Layout::None;
}

struct ColumnPlan {
    Role role = Role::Skip;
    std::string run;
    std::string tag;
    SeriesData batch;
    bool warned = false;
};

std::vector<ColumnPlan> planColumns(std::span<const std::string_view> header, Layout layout,
                                    const ReadContext& ctx) {
    std::vector<ColumnPlan> plan(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string_view name = textnum::trim(header[i]);
        ColumnPlan& c = plan[i];
        if (layout == Layout::History) {
            if (name == "_step") {
                c.role = Role::Step;
            } else if (name == "_timestamp") {
                c.role = Role::WallTime;
            } else if (!name.empty() && name.front() != '_') {
                c.role = Role::Metric;
                c.run = ctx.runName;
                c.tag = std::string(name);
            }
            continue;
        }
        if (i == 0) {
            c.role = Role::Step;
            continue;
        }
        if (const auto column = parseWandbChartColumn(name)) {
            c.role = Role::Metric;
            c.run = joinRunName(ctx.runName, column->run);
            c.tag = column->tag;
        }
    }
    return plan;
}

class ColumnFlusher {
  public:
    ColumnFlusher(ImportSink& sink, ReadReport& report) : m_sink(sink), m_report(report) {}
    void flush(ColumnPlan& c) {
        if (c.batch.empty()) return;
        m_sink.appendPoints(c.run, c.tag, c.batch.steps, c.batch.wallTimes, c.batch.values);
        m_report.points += static_cast<std::int64_t>(c.batch.size());
        c.batch.clear();
    }

  private:
    ImportSink& m_sink;
    ReadReport& m_report;
};

std::string shortText(std::string_view text) {
    return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 40)) + "...";
}

} // namespace

std::string wandbBandTag(std::string_view tag, bool upper) {
    std::string out(tag);
    out.append(upper ? kWandbMaxSuffix : kWandbMinSuffix);
    return out;
}

std::optional<std::string> wandbBandBase(std::string_view tag) {
    for (const std::string_view suffix : {kWandbMinSuffix, kWandbMaxSuffix}) {
        if (tag.size() > suffix.size() && endsWith(tag, suffix))
            return std::string(tag.substr(0, tag.size() - suffix.size()));
    }
    return std::nullopt;
}

std::optional<WandbChartColumn> parseWandbChartColumn(std::string_view header) {
    header = textnum::trim(header);
    const std::size_t split = header.rfind(kRunSeparator);
    if (split == std::string_view::npos || split == 0) return std::nullopt;
    std::string_view run = textnum::trim(header.substr(0, split));
    std::string_view metric = textnum::trim(header.substr(split + kRunSeparator.size()));
    if (run.empty() || metric.empty()) return std::nullopt;
    WandbChartColumn column{std::string(run), std::string(metric)};
    if (endsWith(metric, "__MIN") && metric.size() > 5) {
        column.tag = wandbBandTag(metric.substr(0, metric.size() - 5), false);
    } else if (endsWith(metric, "__MAX") && metric.size() > 5) {
        column.tag = wandbBandTag(metric.substr(0, metric.size() - 5), true);
    }
    return column;
}

int WandbCsvReader::confidence(const FileProbe& probe) const {
    std::string ext = probe.path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext != ".csv" || probe.head.empty()) return 0;
    CsvTokenizer tokenizer;
    tokenizer.openMemory(probe.head, nullptr, probe.path.string());
    CsvRow row;
    if (!tokenizer.next(row)) return 0;
    return detectLayout(row.fields) == Layout::None ? 0 : 85;
}

ReadReport WandbCsvReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string file = path.string();
    CsvTokenizer tokenizer;
    CsvRow row;
    if (!tokenizer.openWithHeader(path, report, row)) return report;
    const Layout layout = detectLayout(row.fields);
    if (layout == Layout::None) {
        report.error(
            IssueKind::MissingColumn, file, row.line,
            "not a W&B export: no _step/_runtime/_timestamp columns and no \"<run> - <metric>\" columns");
        return report;
    }
    std::vector<ColumnPlan> plan = planColumns(row.fields, layout, ctx);
    const auto stepColumn =
        std::find_if(plan.begin(), plan.end(), [](const ColumnPlan& c) { return c.role == Role::Step; });
    const bool hasStep = stepColumn != plan.end();
    const std::size_t width = plan.size();
    ColumnFlusher flusher(sink, report);

    std::int64_t rowIndex = 0;
    while (tokenizer.next(row)) {
        const std::int64_t index = rowIndex++;
        if ((index & 1023) == 0 && ctx.cancelled()) {
            report.warn(IssueKind::Cancelled, file, row.line, "import cancelled");
            break;
        }
        if (row.fields.size() != width) {
            report.warn(IssueKind::RaggedRow, file, row.line,
                        std::to_string(row.fields.size()) + " fields where the header has " +
                            std::to_string(width));
            ++report.rowsSkipped;
            continue;
        }
        std::int64_t step = index;
        double wallTime = kNaN;
        bool stepOk = true;
        for (std::size_t i = 0; i < width; ++i) {
            if (plan[i].role == Role::Step &&
                textnum::parseStep(row.fields[i], step) != textnum::Parsed::Number)
                stepOk = false;
            if (plan[i].role == Role::WallTime &&
                textnum::parseTimestamp(row.fields[i], wallTime) != textnum::Parsed::Number)
                wallTime = kNaN;
        }
        if (!stepOk) {
            report.warn(IssueKind::BadNumber, file, row.line, "the step is not an integer; row skipped");
            ++report.rowsSkipped;
            continue;
        }
        for (std::size_t i = 0; i < width; ++i) {
            ColumnPlan& c = plan[i];
            if (c.role != Role::Metric) continue;
            double value = 0;
            const textnum::Parsed parsed = textnum::parseDouble(row.fields[i], value);
            if (parsed == textnum::Parsed::Missing) continue;
            if (parsed == textnum::Parsed::Text) {
                if (!c.warned) {
                    report.warn(IssueKind::BadNumber, file, row.line,
                                "column \"" + shortText(c.tag) + "\" holds text \"" +
                                    shortText(row.fields[i]) +
                                    "\" where a number belongs; such cells are skipped");
                    c.warned = true;
                }
                continue;
            }
            c.batch.push(step, wallTime, value);
            if (c.batch.size() >= kBatch) flusher.flush(c);
        }
    }
    for (ColumnPlan& c : plan)
        flusher.flush(c);
    if (!hasStep) report.warn(IssueKind::MissingColumn, file, 0, "no step column: row numbers are the steps");
    if (rowIndex == 0) report.warn(IssueKind::Empty, file, 0, "header only: no data rows");
    report.endOffset = tokenizer.completeOffset();
    return report;
}

} // namespace runlens
