// `runlens series`: prints one series' points with the smoothed value beside each, as text, CSV or JSON.
#include "app/cli.h"
#include "app/json_writer.h"
#include "core/analysis/smoothing.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <cmath>

namespace runlens::cli {

namespace {

struct SeriesRequest {
    std::string workspacePath;
    std::string run;
    std::string tag;
    Smoother smoother = Smoother::Ema;
    double smoothing = 0.0;
};

SeriesRequest parseRequest(const Args& parsed) {
    if (!parsed.positionals().empty())
        throw UsageError("unexpected argument '" + parsed.positionals().front() + "'");
    if (parsed.has("--csv") && parsed.has("--json")) throw UsageError("--csv and --json cannot be combined");
    SeriesRequest request;
    request.workspacePath = parsed.require("--workspace");
    request.run = parsed.require("--run");
    request.tag = parsed.require("--tag");
    request.smoothing = parsed.number("--smoothing", 0.0, 0.0, 1.0);
    if (request.smoothing >= 1.0) throw UsageError("option --smoothing must be below 1");
    const std::string smootherText = parsed.get("--smoother", "ema");
    if (!parseSmoother(smootherText, request.smoother))
        throw UsageError("unknown smoother '" + smootherText + "' (use ema, twema, gaussian or average)");
    return request;
}

std::string knownTags(const RunInfo& run) {
    std::string list;
    for (const auto& s : run.series)
        list += (list.empty() ? "" : ", ") + s.tag;
    return list.empty() ? "none" : list;
}

// The time-weighted EMA decays with elapsed time: wall time when every point has one in order, else steps.
std::vector<double> smoothingX(const SeriesData& data) {
    const bool wallUsable = std::all_of(data.wallTimes.begin(), data.wallTimes.end(),
                                        [](double t) { return std::isfinite(t); }) &&
                            std::is_sorted(data.wallTimes.begin(), data.wallTimes.end());
    if (wallUsable && data.wallTimes.size() == data.size()) return data.wallTimes;
    std::vector<double> x(data.steps.begin(), data.steps.end());
    return x;
}

void writeCsv(std::ostream& out, const SeriesData& data, const std::vector<double>& smoothed) {
    out << "step,wall_time,value,smoothed\n";
    for (std::size_t i = 0; i < data.size(); ++i)
        out << data.steps[i] << ',' << formatNumber(data.wallTimes[i]) << ',' << formatNumber(data.values[i])
            << ',' << formatNumber(smoothed[i]) << '\n';
}

void writeText(std::ostream& out, const SeriesData& data, const std::vector<double>& smoothed) {
    out << "step\twall_time\tvalue\tsmoothed\n";
    const auto cell = [](double v) { return std::isnan(v) ? std::string("nan") : formatNumber(v); };
    for (std::size_t i = 0; i < data.size(); ++i)
        out << data.steps[i] << '\t' << cell(data.wallTimes[i]) << '\t' << cell(data.values[i]) << '\t'
            << cell(smoothed[i]) << '\n';
}

void writeJson(std::ostream& out, const SeriesRequest& request, const SeriesData& data,
               const std::vector<double>& smoothed) {
    JsonWriter json(out);
    json.beginObject()
        .field("run", request.run)
        .field("tag", request.tag)
        .field("smoother", smootherName(request.smoother))
        .field("smoothing", request.smoothing);
    json.key("points").beginArray();
    for (std::size_t i = 0; i < data.size(); ++i)
        json.beginObject()
            .field("step", data.steps[i])
            .field("wall_time", data.wallTimes[i])
            .field("value", data.values[i])
            .field("smoothed", smoothed[i])
            .endObject();
    json.endArray().endObject();
    json.finish();
}

// What `runlens series --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens series -w WS --run NAME --tag TAG [--smoothing W] [--smoother KIND] [--csv|--json]

Prints the points of one series: step, wall_time, value and the smoothed value.

Options:
  -w, --workspace WS   workspace file (required)
  --run NAME           run name as `runlens runs` lists it (required)
  --tag TAG            series tag, e.g. val_loss (required)
  --smoothing W        smoothing weight in [0, 1); 0 (default) leaves values unchanged
  --smoother KIND      ema (TensorBoard's, default), twema (time-weighted), gaussian, average
  --csv                comma-separated values with a header line
  --json               JSON: run, tag, smoother, smoothing, points[] {step, wall_time, value, smoothed}
  -h, --help           show this help

Empty CSV cells and JSON nulls mean "not a number" (or no wall time recorded).
)";

int runSeriesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    const Args parsed(args, {{"--workspace", "-w", true},
                             {"--run", "", true},
                             {"--tag", "", true},
                             {"--smoothing", "", true},
                             {"--smoother", "", true},
                             {"--csv", "", false},
                             {"--json", "", false}});
    const SeriesRequest request = parseRequest(parsed);
    requireReadable(request.workspacePath);
    const auto workspace = Workspace::open(request.workspacePath, Workspace::Mode::ReadOnly);
    const auto runId = workspace->runId(request.run);
    if (!runId) throw InputError("no run named '" + request.run + "' in " + request.workspacePath);
    const auto run = workspace->run(*runId);
    const bool hasTag = run && std::any_of(run->series.begin(), run->series.end(),
                                           [&](const SeriesSummary& s) { return s.tag == request.tag; });
    if (!hasTag)
        throw InputError("run '" + request.run + "' has no series '" + request.tag +
                         "' (it has: " + (run ? knownTags(*run) : std::string("none")) + ")");

    SeriesData data = workspace->readSeries(*runId, request.tag);
    // Columns of unequal length would mean a store bug; never index past the shortest.
    const std::size_t n = std::min({data.steps.size(), data.wallTimes.size(), data.values.size()});
    data.steps.resize(n);
    data.wallTimes.resize(n);
    data.values.resize(n);
    const std::vector<double> x = smoothingX(data);
    std::vector<double> smoothed =
        request.smoothing > 0 ? smooth(request.smoother, x, data.values, request.smoothing) : data.values;
    if (smoothed.size() != n) smoothed.resize(n, kNaN);

    if (parsed.has("--json"))
        writeJson(out, request, data, smoothed);
    else if (parsed.has("--csv"))
        writeCsv(out, data, smoothed);
    else
        writeText(out, data, smoothed);
    return kExitOk;
}

} // namespace

const Command kSeriesCommand{"series", "print the points of one series", kUsage, &runSeriesCommand};

} // namespace runlens::cli
