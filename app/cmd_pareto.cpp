// `runlens pareto`: cost against quality over a workspace's runs, with the Pareto front and the cheapest run
// within a tolerance of the best.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "core/analysis/cost_quality.h"
#include "core/analysis/evaluation_set.h"
#include "core/store/workspace.h"
#include "ui/cost/cost_chart.h"

#include <cmath>
#include <cstdlib>

namespace runlens::cli {

namespace {

// "1%" -> 0.01 relative, "0.02" -> 0.02 absolute.
void parseWithin(const std::string& text, CostQualityRequest& request) {
    std::string number = text;
    request.toleranceKind = ToleranceKind::Absolute;
    if (!number.empty() && number.back() == '%') {
        number.pop_back();
        request.toleranceKind = ToleranceKind::Relative;
    }
    char* end = nullptr;
    const double v = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !(v >= 0) || !std::isfinite(v))
        throw UsageError("--within is a number >= 0, or a percentage such as 1%");
    request.tolerance = request.toleranceKind == ToleranceKind::Relative ? v / 100 : v;
}

std::string costKindOf(const std::string& name) {
    const auto m = runCostMetric(name);
    return m ? std::string(costKindName(m->kind)) : "cost";
}

void writeJson(std::ostream& out, const CostQualityStudy& s, const CostQualityRequest& request) {
    JsonWriter json(out);
    json.beginObject().field("kind", "pareto");
    json.key("quality")
        .beginObject()
        .field("name", s.axes.qualityName)
        .field("higher_is_better", s.axes.qualityHigherIsBetter)
        .endObject();
    json.key("costs").beginArray();
    for (std::size_t j = 0; j < s.axes.costNames.size(); ++j)
        json.beginObject()
            .field("name", s.axes.costNames[j])
            .field("kind", costKindOf(s.axes.costNames[j]))
            .field("higher_is_better", bool(s.axes.costHigherIsBetter[j]))
            .endObject();
    json.endArray();
    json.key("points").beginArray();
    for (std::size_t i = 0; i < s.points.size(); ++i) {
        const auto& p = s.points[i];
        json.beginObject()
            .field("run", p.name)
            .field("quality", p.quality)
            .field("quality_low", p.qualityLow)
            .field("quality_high", p.qualityHigh);
        json.key("costs").beginArray();
        for (double c : p.costs)
            json.value(c);
        json.endArray().field("on_front", bool(s.front.onFront[i]));
        json.key("dominated_by").beginArray();
        for (std::size_t d : s.dominatedBy[i])
            json.value(s.points[d].name);
        json.endArray().endObject();
    }
    json.endArray();
    json.key("front").beginArray();
    for (std::size_t i : s.front.front)
        json.value(s.points[i].name);
    json.endArray();
    json.key("left_out").beginArray();
    for (const auto& l : s.left)
        json.value(l);
    json.endArray();
    const auto& c = s.cheapest;
    json.key("cheapest")
        .beginObject()
        .field("within", request.tolerance)
        .field("relative", request.toleranceKind == ToleranceKind::Relative)
        .field("best", s.points[c.best].name)
        .field("chosen", s.points[c.chosen].name)
        .field("quality_gap", c.qualityGap)
        .field("cost_best", c.costBest)
        .field("cost_chosen", c.costChosen)
        .field("cost_factor", c.costFactor)
        .field("intervals_overlap", c.intervalsOverlap)
        .field("sentence", c.sentence)
        .endObject();
    json.endObject();
    json.finish();
}

void writeText(std::ostream& out, const CostQualityStudy& s) {
    out << s.axes.qualityName << " (" << (s.axes.qualityHigherIsBetter ? "higher" : "lower")
        << " is better) against";
    for (const auto& c : s.axes.costNames)
        out << ' ' << c;
    out << ": " << s.points.size() << " runs, " << s.front.front.size() << " on the front\n\n";
    for (std::size_t i : s.front.front) {
        const auto& p = s.points[i];
        out << "  * " << p.name << "  " << formatNumber(p.quality);
        if (std::isfinite(p.qualityLow))
            out << " [" << formatNumber(p.qualityLow) << ", " << formatNumber(p.qualityHigh) << "]";
        for (std::size_t j = 0; j < p.costs.size(); ++j)
            out << "  " << s.axes.costNames[j] << ' ' << formatNumber(p.costs[j]);
        out << '\n';
    }
    for (std::size_t i = 0; i < s.points.size(); ++i) {
        if (s.front.onFront[i]) continue;
        out << "    " << s.points[i].name << "  " << formatNumber(s.points[i].quality) << "  dominated by";
        for (std::size_t d : s.dominatedBy[i])
            out << ' ' << s.points[d].name;
        out << '\n';
    }
    if (!s.left.empty()) out << '\n' << s.left.size() << " run(s) left out, e.g. " << s.left.front() << '\n';
    out << '\n' << s.cheapest.sentence << '\n';
}

// What `runlens pareto --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens pareto -w WS [--quality Q] [--cost C[,C...]] [--within X|X%] [--eval-set NAME] [--json]
                      [-o chart.png]

Cost against quality per run: the Pareto front (the runs no other run beats on quality and every cost at
once), who dominates whom, and the cheapest run within X of the best, in one sentence.

Quality is a run's number by name (its summary, its series' last value, or a numeric param) or a metric of
its evaluation set with an interval: eval:accuracy (default when runs have evaluation sets), eval:error_rate,
eval:auc, eval:f1, eval:precision, eval:recall, eval:log_loss, eval:brier. Costs are numbers by name too;
names such as latency, throughput (higher is better), params / num_parameters, model_size, flops / macs,
train_time / runtime and peak_memory are recognised, and wall_clock_seconds (each run's first to last
logged time) is always there. Without --cost the recognised cost most runs have is used.

Options:
  -w, --workspace WS   workspace file (required)
  --quality Q          the quality axis (see above)
  --higher-is-better, --lower-is-better   the quality's direction when its name does not tell
  --cost C[,C...]      one or more cost axes (the first is the one "cheapest" is judged on)
  --within X           tolerance from the best quality: absolute (0.01) or relative with % (1%, default)
  --eval-set NAME      the evaluation set to score (default: each run's first)
  -o, --output FILE    write the scatter with the front (.png, .svg or .pdf); --size WxH (default 1200x800)
  --json               JSON: kind "pareto", quality {name, higher_is_better}, costs[] {name, kind,
                       higher_is_better}, points[] {run, quality, quality_low, quality_high, costs[],
                       on_front, dominated_by[]}, front[] (runs, cheapest first), left_out[], cheapest {within,
                       relative, best, chosen, quality_gap, cost_best, cost_chosen, cost_factor,
                       intervals_overlap, sentence}
  -h, --help           show this help
)";

int runParetoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    const Args parsed(args, {{"--workspace", "-w", true},
                             {"--quality", "", true},
                             {"--cost", "", true},
                             {"--within", "", true},
                             {"--eval-set", "", true},
                             {"--higher-is-better", "", false},
                             {"--lower-is-better", "", false},
                             {"--json", "", false},
                             {"--output", "-o", true},
                             {"--size", "", true}});
    if (!parsed.positionals().empty())
        throw UsageError("unexpected argument '" + parsed.positionals().front() + "'");
    if (parsed.has("--higher-is-better") && parsed.has("--lower-is-better"))
        throw UsageError("give --higher-is-better or --lower-is-better, not both");
    const std::string wsPath = parsed.require("--workspace");
    requireReadable(wsPath);
    const auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
    const auto runs = ws->runs();
    const std::string evalSet = parsed.get("--eval-set", "");

    CostQualityRequest request;
    parseWithin(parsed.get("--within", "1%"), request);
    if (parsed.has("--higher-is-better")) request.qualityLowerIsBetter = false;
    if (parsed.has("--lower-is-better")) request.qualityLowerIsBetter = true;
    if (auto costs = parsed.get("--cost")) request.costs = splitCommaList(*costs);
    bool anyEvaluation = false;
    for (const auto& run : runs)
        anyEvaluation = anyEvaluation || !ws->predictionTables(run.id).empty();
    if (auto quality = parsed.get("--quality")) {
        request.quality = *quality;
    } else if (anyEvaluation) {
        request.quality = std::string(kEvalPrefix) + "accuracy";
    } else {
        const auto names = runNumberNames(runs);
        const auto qualities = qualityNames(names);
        if (qualities.empty())
            throw InputError(wsPath +
                             ": no run has a quality metric (accuracy, loss, ...) or an evaluation set; "
                             "choose one with --quality");
        request.quality = qualities.front().name;
    }

    const auto evaluationOf = [&](const RunInfo& run, SliceMetric metric) -> std::optional<SliceCell> {
        for (const auto& info : ws->predictionTables(run.id)) {
            if (!evalSet.empty() && info.name != evalSet) continue;
            const PredictionTable table = ws->readPredictions(info.id);
            auto result = extractEvaluationSet(table);
            if (!result.ok() || result.set.rows() == 0) return std::nullopt;
            if (sliceMetricInfo(metric).needsScores && !result.set.hasScores()) return std::nullopt;
            return evaluationQuality(table, result.set, metric);
        }
        return std::nullopt;
    };
    const auto study = costQualityStudy(runs, request, evaluationOf);
    if (!study.error.empty()) throw InputError(wsPath + ": " + study.error);

    if (auto output = parsed.get("--output")) {
        const QSize size = parseChartSize(parsed.get("--size", "1200x800"));
        writeChartFile([&] { return ui::buildCostQualityChart(ui::costChartInput(study, true)); }, size,
                       *output);
    }
    if (parsed.has("--json"))
        writeJson(out, study, request);
    else if (!parsed.has("--output"))
        writeText(out, study);
    return kExitOk;
}

} // namespace

const Command kParetoCommand{"pareto",
                             "cost against quality: the Pareto front and the cheapest run near the best",
                             kUsage, &runParetoCommand};

} // namespace runlens::cli
