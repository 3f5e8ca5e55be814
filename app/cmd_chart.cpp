// `runlens chart`: draws one metric across runs headlessly and writes it as PNG, SVG or PDF.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "core/analysis/curve_prep.h"
#include "core/store/workspace.h"
#include "ui/chart_export.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <QString>
#include <regex>

namespace runlens::cli {

namespace {

constexpr int kMinSide = 200;
constexpr int kMaxSide = 4000; // the PNG is twice this per side: 8000 x 8000 x 4 bytes at most

struct ChartRequest {
    std::string workspacePath;
    std::string tag;
    std::string output;
    std::optional<std::regex> runs;
    std::string runsText;
    CurveOptions curve;
    bool logY = false;
    bool robustY = false;
    int width = 1200;
    int height = 700;
    std::string title;
};

void parseSize(const std::string& text, ChartRequest& request) {
    const auto x = text.find_first_of("xX");
    const auto parseSide = [&](std::string_view part, int& side) {
        const char* end = part.data() + part.size();
        const auto result = std::from_chars(part.data(), end, side);
        return result.ec == std::errc() && result.ptr == end && !part.empty();
    };
    if (x == std::string::npos || !parseSide(std::string_view(text).substr(0, x), request.width) ||
        !parseSide(std::string_view(text).substr(x + 1), request.height))
        throw UsageError("option --size needs WIDTHxHEIGHT, e.g. 1200x700, not '" + text + "'");
    const auto inRange = [](int side) { return side >= kMinSide && side <= kMaxSide; };
    if (!inRange(request.width) || !inRange(request.height))
        throw UsageError("option --size: each side must be between " + std::to_string(kMinSide) + " and " +
                         std::to_string(kMaxSide) + " pixels");
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
        try {
            request.runs = std::regex(*pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            throw UsageError("option --runs: invalid regular expression '" + *pattern + "'");
        }
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
    if (const auto size = parsed.get("--size")) parseSize(*size, request);
    request.curve.pixels = request.width;
    request.logY = parsed.has("--log-y");
    request.robustY = parsed.has("--robust-y");
    request.title = parsed.get("--title", request.tag);
    return request;
}

// Legend names without the leading path components every drawn run shares ("tfevents/exp1/run-0/train" and
// "tfevents/exp1/run-1/train" become "run-0/train" and "run-1/train"), so a bottom legend is not a row
// of identical elided prefixes. Each name keeps at least its last component.
void shortenRunNames(std::vector<ui::CurveLine>& lines) {
    if (lines.size() < 2) return;
    std::vector<QStringList> parts;
    qsizetype shortest = std::numeric_limits<qsizetype>::max();
    for (const auto& line : lines) {
        parts.push_back(line.runName.split(QLatin1Char('/')));
        shortest = std::min(shortest, parts.back().size());
    }
    qsizetype common = 0;
    while (common + 1 < shortest && std::all_of(parts.begin(), parts.end(), [&](const QStringList& p) {
               return p[common] == parts[0][common];
           }))
        ++common;
    if (common == 0) return;
    for (std::size_t i = 0; i < lines.size(); ++i)
        lines[i].runName = parts[i].mid(common).join(QLatin1Char('/'));
}

// Reads and prepares each selected run's series; colours follow the run's place in the workspace's sorted
// run list so a run keeps its colour whatever --runs selects.
ui::CurveChartSpec buildSpec(const Workspace& workspace, const ChartRequest& request) {
    ui::CurveChartSpec spec;
    spec.title = QString::fromStdString(request.title);
    spec.xLabel = QString::fromUtf8(xAxisName(request.curve.xAxis).data(),
                                    static_cast<qsizetype>(xAxisName(request.curve.xAxis).size()));
    spec.yLabel = QString::fromStdString(request.tag);
    spec.logY = request.logY;
    spec.robustYRange = request.robustY;
    spec.xIsWallTime = request.curve.xAxis == XAxis::WallTime;

    const std::vector<RunInfo> runs = workspace.runs();
    bool anyWithTag = false;
    for (std::size_t index = 0; index < runs.size(); ++index) {
        const RunInfo& run = runs[index];
        if (request.runs && !std::regex_search(run.name, *request.runs)) continue;
        const bool hasTag = std::any_of(run.series.begin(), run.series.end(),
                                        [&](const SeriesSummary& s) { return s.tag == request.tag; });
        if (!hasTag) continue;
        anyWithTag = true;
        const PreparedCurve curve = prepareCurve(workspace.readSeries(run.id, request.tag), request.curve);
        if (curve.smoothed.size() == 0) continue;
        ui::CurveLine line;
        line.runName = QString::fromStdString(run.name);
        line.color = ui::runColor(static_cast<int>(index));
        if (request.curve.smoothing > 0) {
            line.rawX = curve.raw.x;
            line.rawY = curve.raw.y;
        }
        line.smoothX = curve.smoothed.x;
        line.smoothY = curve.smoothed.y;
        spec.lines.push_back(std::move(line));
    }
    shortenRunNames(spec.lines);
    const std::string selection = request.runs ? " among runs matching '" + request.runsText + "'" : "";
    if (!anyWithTag) throw InputError("no run has a series '" + request.tag + "'" + selection);
    if (spec.lines.empty())
        throw InputError("no points to draw for '" + request.tag + "'" + selection +
                         (request.curve.xAxis == XAxis::Step ? "" : " (no wall times recorded?)"));
    return spec;
}

} // namespace

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
                             {"--title", "", true}});
    const ChartRequest request = parseRequest(parsed);
    requireReadable(request.workspacePath);
    const auto workspace = Workspace::open(request.workspacePath, Workspace::Mode::ReadOnly);
    const ui::CurveChartSpec spec = buildSpec(*workspace, request);

    writeChartFile([&] { return ui::buildCurveChart(spec); }, QSize(request.width, request.height), request.output);
    out << "wrote " << request.output << '\n';
    return kExitOk;
}

} // namespace runlens::cli
