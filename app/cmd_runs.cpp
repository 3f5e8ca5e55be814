// `runlens runs`: lists a workspace's runs with params, tags, provenance and per-series summaries.
#include "app/cli.h"
#include "app/json_writer.h"
#include "core/model/number_text.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

namespace runlens::cli {

namespace {

void writeTextOrNull(JsonWriter& json, std::string_view key, const std::string& text) {
    json.key(key);
    if (text.empty())
        json.null();
    else
        json.value(text);
}

void writeStringMap(JsonWriter& json, std::string_view key, const std::map<std::string, std::string>& map) {
    json.key(key).beginObject();
    for (const auto& [name, text] : map)
        json.field(name, text);
    json.endObject();
}

void writeProvenance(JsonWriter& json, const Provenance& p) {
    json.key("provenance").beginObject();
    writeTextOrNull(json, "source_path", p.sourcePath);
    writeTextOrNull(json, "format", p.format);
    writeTextOrNull(json, "code_version", p.codeVersion);
    writeTextOrNull(json, "data_version", p.dataVersion);
    writeTextOrNull(json, "seed", p.seed);
    writeTextOrNull(json, "status", p.status);
    json.field("start_time", p.startTime).field("end_time", p.endTime);
    json.endObject();
}

void writeSeries(JsonWriter& json, const SeriesSummary& s) {
    json.beginObject()
        .field("tag", s.tag)
        .field("points", s.points)
        .field("first_step", s.firstStep)
        .field("last_step", s.lastStep)
        .field("min", s.min)
        .field("max", s.max)
        .field("last", s.last)
        .field("non_finite", s.nonFinite)
        .endObject();
}

void writeJson(std::ostream& out, const std::vector<RunInfo>& runs) {
    JsonWriter json(out);
    json.beginObject().key("runs").beginArray();
    for (const auto& run : runs) {
        json.beginObject().field("name", run.name);
        writeStringMap(json, "params", run.params);
        writeStringMap(json, "tags", run.tags);
        writeProvenance(json, run.provenance);
        json.key("summary").beginObject();
        for (const auto& [key, value] : run.summaryMetrics)
            json.field(key, value);
        json.endObject();
        json.key("series").beginArray();
        for (const auto& series : run.series)
            writeSeries(json, series);
        json.endArray().endObject();
    }
    json.endArray().endObject();
    json.finish();
}

// Six significant digits are what a reader of a table compares; --json keeps full precision.
std::string shortNumber(double value) {
    return significantText(value, 6, kTableNonFinite);
}

void writeTable(std::ostream& out, const std::vector<RunInfo>& runs) {
    using Row = std::array<std::string, 7>;
    std::vector<Row> rows = {{"RUN", "TAG", "POINTS", "STEPS", "MIN", "MAX", "LAST"}};
    for (const auto& run : runs) {
        if (run.series.empty()) rows.push_back({run.name, "-", "0", "", "", "", ""});
        for (std::size_t i = 0; i < run.series.size(); ++i) {
            const auto& s = run.series[i];
            rows.push_back({i == 0 ? run.name : "", s.tag, std::to_string(s.points),
                            std::to_string(s.firstStep) + ".." + std::to_string(s.lastStep),
                            shortNumber(s.min), shortNumber(s.max), shortNumber(s.last)});
        }
    }
    Row::size_type columns = Row().size();
    std::vector<std::size_t> widths(columns, 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < columns; ++c)
            widths[c] = std::max(widths[c], row[c].size());
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < columns; ++c) {
            std::string cell = row[c];
            if (c + 1 < columns) cell.resize(widths[c] + 2, ' ');
            line += cell;
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << '\n';
    }
    for (const auto& run : runs) {
        if (run.summaryMetrics.empty()) continue;
        out << "\nsummary of " << run.name << ":";
        for (const auto& [key, value] : run.summaryMetrics)
            out << ' ' << key << '=' << shortNumber(value);
        out << '\n';
    }
    for (const auto& run : runs) {
        if (run.params.empty()) continue;
        out << "\nparams of " << run.name << ":";
        for (const auto& [key, text] : run.params)
            out << ' ' << key << '=' << text;
        out << '\n';
    }
}

// What `runlens runs --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens runs -w WS [--json]

Lists the runs of a workspace with their params, tags, provenance and a summary of each series.

Options:
  -w, --workspace WS   workspace file (required)
  --json               print JSON: runs[] {name, params{}, tags{}, provenance{}, summary{} (final values
                       logged as summaries, e.g. W&B summary, *_results.json), series[] {tag, points,
                       first_step, last_step, min, max, last}}
  -h, --help           show this help
)";

int runRunsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    const Args parsed(args, {{"--workspace", "-w", true}, {"--json", "", false}});
    if (!parsed.positionals().empty())
        throw UsageError("unexpected argument '" + parsed.positionals().front() + "'");
    const std::string workspacePath = parsed.require("--workspace");
    requireReadable(workspacePath);
    const auto workspace = Workspace::open(workspacePath, Workspace::Mode::ReadOnly);
    const std::vector<RunInfo> runs = workspace->runs();
    if (parsed.has("--json")) {
        writeJson(out, runs);
    } else if (runs.empty()) {
        out << "no runs in " << workspacePath << '\n';
    } else {
        writeTable(out, runs);
    }
    return kExitOk;
}

} // namespace

const Command kRunsCommand{"runs", "list the runs of a workspace", kUsage, &runRunsCommand};

} // namespace runlens::cli
