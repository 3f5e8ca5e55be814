// `runlens chart`: draws one metric across runs, or groups of runs with spread bands, as PNG, SVG or PDF.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "core/analysis/curve_prep.h"
#include "core/analysis/group_bands.h"
#include "core/analysis/smoothing.h"
#include "core/model/csv_text.h"
#include "core/model/name_pattern.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/chart_export.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <memory>
#include <optional>
#include <QString>

namespace runlens::cli {

namespace {

struct ChartRequest {
    std::string workspacePath;
    std::string tag;
    std::string output;
    std::optional<NamePattern> runs; // linear time: a long run name or a nested repeat cannot hang it
    std::string runsText;
    CurveOptions curve;
    bool logY = false;
    bool robustY = false;
    int width = 1200;
    int height = 700;
    std::string title;
    std::vector<std::string> groupBy; // empty: one line per run
    BandKind band = BandKind::Std;
    CenterKind center = CenterKind::Mean;
    std::string dataOutput; // CSV of the group lines, when asked
};

std::vector<std::string> splitParams(const std::string& text) {
    std::vector<std::string> keys;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string key = text.substr(start, comma - start);
        if (key.empty()) throw UsageError("option --group-by needs PARAM[,PARAM...], not '" + text + "'");
        keys.push_back(key);
        start = comma + 1;
    }
    return keys;
}

BandKind parseBand(const std::string& text) {
    if (text == "minmax") return BandKind::MinMax;
    if (text == "std") return BandKind::Std;
    if (text == "stderr") return BandKind::StdErr;
    if (text == "ci95") return BandKind::CI95;
    throw UsageError("option --band must be minmax, std, stderr or ci95, not '" + text + "'");
}

CenterKind parseCenter(const std::string& text) {
    if (text == "mean") return CenterKind::Mean;
    if (text == "median") return CenterKind::Median;
    throw UsageError("option --center must be mean or median, not '" + text + "'");
}

std::string bandName(BandKind band) {
    switch (band) {
    case BandKind::MinMax:
        return "min-max";
    case BandKind::Std:
        return "mean +/- std";
    case BandKind::StdErr:
        return "mean +/- std error";
    case BandKind::CI95:
        return "95% CI of the mean";
    }
    return "";
}

void checkOutputFormat(const std::string& output) {
    std::string ext = std::filesystem::path(output).extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".png" && ext != ".svg" && ext != ".pdf")
        throw UsageError("output '" + output + "' must end in .png, .svg or .pdf");
}

ChartRequest parseRequest(const Args& parsed) {
    if (!parsed.positionals().empty())
        throw UsageError("unexpected argument '" + parsed.positionals().front() + "'");
    ChartRequest request;
    request.workspacePath = parsed.require("--workspace");
    request.tag = parsed.require("--tag");
    request.output = parsed.require("--output");
    checkOutputFormat(request.output);
    if (const auto pattern = parsed.get("--runs")) {
        std::string error;
        request.runs = NamePattern::compile(*pattern, false, error);
        if (!request.runs)
            throw UsageError("option --runs: invalid regular expression '" + *pattern + "': " + error);
        request.runsText = *pattern;
    }
    request.curve.smoothing = parsed.number("--smoothing", 0.0, 0.0, 1.0);
    if (request.curve.smoothing >= 1.0) throw UsageError("option --smoothing must be below 1");
    const std::string smoother = parsed.get("--smoother", "ema");
    if (!parseSmoother(smoother, request.curve.smoother))
        throw UsageError("unknown smoother '" + smoother + "' (use ema, twema, gaussian or average)");
    const std::string axis = parsed.get("--x", "step");
    if (!parseXAxis(axis, request.curve.xAxis))
        throw UsageError("option --x must be step, relative or wall, not '" + axis + "'");
    if (const auto size = parsed.get("--size")) {
        const QSize parsedSize = parseChartSize(*size);
        request.width = parsedSize.width();
        request.height = parsedSize.height();
    }
    request.curve.pixels = request.width;
    request.logY = parsed.has("--log-y");
    request.robustY = parsed.has("--robust-y");
    request.title = parsed.get("--title", request.tag);
    if (const auto group = parsed.get("--group-by")) request.groupBy = splitParams(*group);
    const bool groupOption = parsed.has("--band") || parsed.has("--center") || parsed.has("--data");
    if (groupOption && request.groupBy.empty())
        throw UsageError("options --band, --center and --data need --group-by");
    request.band = parseBand(parsed.get("--band", "std"));
    request.center = parseCenter(parsed.get("--center", "mean"));
    request.dataOutput = parsed.get("--data", "");
    return request;
}

// Legend names without the leading path components every drawn run shares ("tfevents/exp1/run-0/train" and
// "tfevents/exp1/run-1/train" become "run-0/train" and "run-1/train"), so a bottom legend is not a row
// of identical elided prefixes. Each name keeps at least its last component.
void shortenRunNames(std::vector<ui::CurveLine>& lines) {
    QStringList names;
    for (const auto& line : lines)
        names << line.runName;
    names = ui::shortRunNames(names);
    for (std::size_t i = 0; i < lines.size(); ++i)
        lines[i].runName = names[static_cast<qsizetype>(i)];
}

// The drawing options of a card showing `lines` lines: decimated to the image's device pixels, each column's
// extremes only and no faint raw lines above ChartCard::kMaxRawLines, as the Curves tab draws them.
CurveOptions cardOptions(const ChartRequest& request, std::size_t lines) {
    CurveOptions options = request.curve;
    options.pixels = request.width * 2; // the PNG's device pixels (exported at twice the logical size)
    options.extremaOnly = lines > static_cast<std::size_t>(ui::ChartCard::kMaxRawLines);
    return options;
}

// Reads and prepares each selected run's series; colours follow the run's place in the workspace's sorted
// run list so a run keeps its colour whatever --runs selects. Reading and decimating are most of the work
// left once drawing is fast, so the runs are split between two threads, each on its own read-only
// connection (a SQLite connection is not shared between threads).
ui::CurveChartSpec buildSpec(const Workspace& workspace, const ChartRequest& request) {
    ui::CurveChartSpec spec;
    spec.title = QString::fromStdString(request.title);
    spec.xLabel = QString::fromUtf8(xAxisName(request.curve.xAxis).data(),
                                    static_cast<qsizetype>(xAxisName(request.curve.xAxis).size()));
    spec.yLabel = QString::fromStdString(request.tag);
    spec.logY = request.logY;
    spec.robustYRange = request.robustY;
    spec.xIsWallTime = request.curve.xAxis == XAxis::WallTime;
    spec.xIsStepCount = request.curve.xAxis == XAxis::Step;

    const std::vector<RunInfo> runs = workspace.runs();
    std::vector<std::size_t> selected; // indices into runs
    for (std::size_t index = 0; index < runs.size(); ++index) {
        const RunInfo& run = runs[index];
        if (request.runs && !request.runs->search(run.name)) continue;
        const bool hasTag = std::any_of(run.series.begin(), run.series.end(),
                                        [&](const SeriesSummary& s) { return s.tag == request.tag; });
        if (hasTag) selected.push_back(index);
    }
    const std::string selection = request.runs ? " among runs matching '" + request.runsText + "'" : "";
    if (selected.empty()) throw InputError("no run has a series '" + request.tag + "'" + selection);

    const CurveOptions options = cardOptions(request, selected.size());
    const bool drawRaw = options.smoothing > 0 && !options.extremaOnly;
    std::vector<PreparedCurve> curves(selected.size());
    // Thread `part` of `parts` prepares every parts-th run (interleaved: run sizes often grow with the
    // index).
    const auto prepare = [&](const Workspace& source, std::size_t part, std::size_t parts) {
        for (std::size_t k = part; k < selected.size(); k += parts) {
            const CurveInput input =
                curveInput(source.readSeries(runs[selected[k]].id, request.tag), options.xAxis);
            if (drawRaw)
                curves[k] = prepareCurve(input, options);
            else // the raw decimation would be thrown away
                curves[k].smoothed = smoothedPoints(input, options);
        }
    };
    if (selected.size() < 4) {
        prepare(workspace, 0, 1);
    } else {
        auto second = std::async(std::launch::async, [&] {
            const auto own = Workspace::open(request.workspacePath, Workspace::Mode::ReadOnly);
            prepare(*own, 1, 2);
        });
        prepare(workspace, 0, 2);
        second.get(); // rethrows what the other thread threw
    }
    for (std::size_t k = 0; k < selected.size(); ++k) {
        PreparedCurve& curve = curves[k];
        if (curve.smoothed.size() == 0) continue;
        ui::CurveLine line;
        line.runName = QString::fromStdString(runs[selected[k]].name);
        line.color = ui::runColor(static_cast<int>(selected[k]));
        if (drawRaw) {
            line.rawX = std::move(curve.raw.x);
            line.rawY = std::move(curve.raw.y);
        }
        line.smoothX = std::move(curve.smoothed.x);
        line.smoothY = std::move(curve.smoothed.y);
        spec.lines.push_back(std::move(line));
    }
    shortenRunNames(spec.lines);
    if (spec.lines.empty())
        throw InputError("no points to draw for '" + request.tag + "'" + selection +
                         (request.curve.xAxis == XAxis::Step ? "" : " (no wall times recorded?)"));
    return spec;
}

// "lr=0.1, model=mlp": the run's values of the group-by params, "(none)" for a param it does not have.
std::string groupKey(const RunInfo& run, const std::vector<std::string>& keys) {
    std::string key;
    for (const auto& param : keys) {
        if (!key.empty()) key += ", ";
        const auto it = run.params.find(param);
        key += param + "=" + (it == run.params.end() ? std::string("(none)") : it->second);
    }
    return key;
}

// A run's full-resolution points on the chosen axis, smoothed as asked: the group statistics are taken
// before any decimation so every run contributes all its points.
XYPoints runPoints(const SeriesData& series, const CurveOptions& curve) {
    XYPoints points;
    points.x = xValues(series, curve.xAxis);
    points.y = curve.smoothing > 0 ? smooth(curve.smoother, points.x, series.values, curve.smoothing)
                                   : series.values;
    return points;
}

struct GroupLines {
    std::string name;
    std::size_t runs = 0;
    GroupBands stats;
    BandLines lines;
};

// One entry per group of selected runs that have the tag, in key order.
std::vector<GroupLines> collectGroups(const Workspace& workspace, const ChartRequest& request) {
    std::map<std::string, std::vector<XYPoints>> byGroup;
    for (const RunInfo& run : workspace.runs()) {
        if (request.runs && !request.runs->search(run.name)) continue;
        const bool hasTag = std::any_of(run.series.begin(), run.series.end(),
                                        [&](const SeriesSummary& s) { return s.tag == request.tag; });
        if (!hasTag) continue;
        byGroup[groupKey(run, request.groupBy)].push_back(
            runPoints(workspace.readSeries(run.id, request.tag), request.curve));
    }
    std::vector<GroupLines> groups;
    for (auto& [name, runs] : byGroup) {
        GroupLines group;
        group.name = name;
        group.runs = runs.size();
        group.stats = computeGroupBands(runs);
        if (!group.stats.error.empty()) continue; // no finite point in any of its runs
        group.lines = selectBand(group.stats, request.center, request.band);
        groups.push_back(std::move(group));
    }
    return groups;
}

void writeGroupCsv(const std::vector<GroupLines>& groups, const std::string& path) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) throw InputError("cannot write " + path);
    file << "group,x,runs,center,lower,upper\n";
    for (const auto& group : groups) {
        const std::string name = csvField(group.name, CsvQuoting::Always);
        for (std::size_t i = 0; i < group.lines.x.size(); ++i)
            file << name << ',' << formatNumber(group.lines.x[i]) << ',' << group.stats.count[i] << ','
                 << formatNumber(group.lines.center[i]) << ',' << formatNumber(group.lines.lower[i]) << ','
                 << formatNumber(group.lines.upper[i]) << '\n';
    }
    if (!file) throw InputError("cannot write " + path);
}

ui::CurveChartSpec buildGroupSpec(const std::vector<GroupLines>& groups, const ChartRequest& request) {
    ui::CurveChartSpec spec;
    spec.title = QString::fromStdString(request.title);
    spec.xLabel = QString::fromUtf8(xAxisName(request.curve.xAxis).data(),
                                    static_cast<qsizetype>(xAxisName(request.curve.xAxis).size()));
    const std::string centre = request.center == CenterKind::Mean ? "mean" : "median";
    spec.yLabel =
        QString::fromStdString(request.tag + " (" + centre + ", band: " + bandName(request.band) + ")");
    spec.logY = request.logY;
    spec.robustYRange = request.robustY;
    spec.xIsWallTime = request.curve.xAxis == XAxis::WallTime;
    spec.xIsStepCount = request.curve.xAxis == XAxis::Step;
    for (std::size_t k = 0; k < groups.size(); ++k) {
        const GroupLines& group = groups[k];
        const QString name = QString::fromStdString(group.name + " (" + std::to_string(group.runs) +
                                                    (group.runs == 1 ? " run)" : " runs)"));
        const QColor color = ui::runColor(static_cast<int>(k));
        spec.bands.push_back({name, color, group.lines.x, group.lines.lower, group.lines.upper});
        ui::CurveLine line;
        line.runName = name;
        line.color = color;
        line.smoothX = group.lines.x;
        line.smoothY = group.lines.center;
        spec.lines.push_back(std::move(line));
    }
    return spec;
}

int runGroupedChart(const Workspace& workspace, const ChartRequest& request, std::ostream& out) {
    const std::vector<GroupLines> groups = collectGroups(workspace, request);
    const std::string selection = request.runs ? " among runs matching '" + request.runsText + "'" : "";
    if (groups.empty()) throw InputError("no run has points in a series '" + request.tag + "'" + selection);
    for (const auto& group : groups)
        out << group.name << ": " << group.runs << (group.runs == 1 ? " run" : " runs") << ", "
            << group.lines.x.size() << " grid points" << (group.stats.unionGrid ? "" : " (even grid)")
            << '\n';
    if (!request.dataOutput.empty()) {
        writeGroupCsv(groups, request.dataOutput);
        out << "wrote " << request.dataOutput << '\n';
    }
    const ui::CurveChartSpec spec = buildGroupSpec(groups, request);
    writeChartFile([&] { return ui::buildCurveChart(spec); }, QSize(request.width, request.height),
                   request.output);
    out << "wrote " << request.output << '\n';
    return kExitOk;
}

// Each run's series is read into fresh arrays of a few MB and freed after decimation. glibc would hand that
// memory back to the kernel after every run and fault it in again for the next (a fifth of the command's
// time on 100 runs of 100k points); the command exits after one chart, so it keeps what it freed.
void keepFreedMemory() {
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

// What `runlens chart --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens chart -w WS --tag TAG -o FILE.png|svg|pdf [options]

Writes a chart of one metric across runs. Smoothed curves are drawn solid, the raw values faintly behind.

Options:
  -w, --workspace WS   workspace file (required)
  --tag TAG            series tag to draw (required)
  -o, --output FILE    output file; the extension picks the format: .png, .svg or .pdf (required)
  --runs REGEX         only runs whose name matches (ECMAScript regular expression, searched)
  --smoothing W        smoothing weight in [0, 1) (default 0: no smoothing)
  --smoother KIND      ema (default), twema, gaussian, average
  --x AXIS             step (default), relative (seconds since the run's first point) or wall (clock time)
  --log-y              logarithmic y axis (non-positive values are not drawn)
  --robust-y           y range from the 5th to 95th percentile of the curves, ignoring spikes
  --size WxH           chart size in logical pixels (default 1200x700; PNG is written at twice that)
  --title T            chart title (default: the tag)
  --group-by P[,P]     one line per group of runs sharing these params (mean or median) with a spread band
  --band KIND          minmax, std (default: mean +/- sample std), stderr, ci95 (t interval of the mean)
  --center KIND        mean (default) or median
  --data FILE.csv      also write the group lines: group,x,runs,center,lower,upper
  -h, --help           show this help
)";

int runChartCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    const Args parsed(args, {{"--workspace", "-w", true},
                             {"--tag", "", true},
                             {"--output", "-o", true},
                             {"--runs", "", true},
                             {"--smoothing", "", true},
                             {"--smoother", "", true},
                             {"--x", "", true},
                             {"--log-y", "", false},
                             {"--robust-y", "", false},
                             {"--size", "", true},
                             {"--title", "", true},
                             {"--group-by", "", true},
                             {"--band", "", true},
                             {"--center", "", true},
                             {"--data", "", true}});
    const ChartRequest request = parseRequest(parsed);
    requireReadable(request.workspacePath);
    keepFreedMemory();
    const auto workspace = Workspace::open(request.workspacePath, Workspace::Mode::ReadOnly);
    if (!request.groupBy.empty()) return runGroupedChart(*workspace, request, out);
    const ui::CurveChartSpec spec = buildSpec(*workspace, request);

    writeChartFile([&] { return ui::buildCurveChart(spec); }, QSize(request.width, request.height),
                   request.output);
    out << "wrote " << request.output << '\n';
    return kExitOk;
}

} // namespace

const Command kChartCommand{"chart", "write a chart of one metric as PNG, SVG or PDF", kUsage,
                            &runChartCommand};

} // namespace runlens::cli
