// Gathers per-run cost and quality numbers by name for the Pareto view and `runlens pareto`.
#include "core/analysis/cost_quality.h"

#include "core/model/tag_names.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>

namespace runlens {

namespace {

std::optional<double> numberIn(const std::string& text) {
    double v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<double> finite(double v) {
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::optional<double> wallClockSeconds(const RunInfo& run) {
    double first = INFINITY, last = -INFINITY;
    for (const auto& s : run.series) {
        if (std::isfinite(s.firstWallTime)) first = std::min(first, s.firstWallTime);
        if (std::isfinite(s.lastWallTime)) last = std::max(last, s.lastWallTime);
    }
    if (std::isfinite(first) && std::isfinite(last) && last > first) return last - first;
    if (std::isfinite(run.provenance.startTime) && std::isfinite(run.provenance.endTime) &&
        run.provenance.endTime > run.provenance.startTime)
        return run.provenance.endTime - run.provenance.startTime;
    return std::nullopt;
}

constexpr SliceMetric kEvaluationMetrics[] = {
    SliceMetric::Accuracy,  SliceMetric::ErrorRate, SliceMetric::Auc,     SliceMetric::F1,
    SliceMetric::Precision, SliceMetric::Recall,    SliceMetric::LogLoss, SliceMetric::Brier};

} // namespace

std::optional<CostMetric> runCostMetric(std::string_view name) {
    if (name == kWallClockName) return CostMetric{CostKind::Runtime, true};
    return costMetricOf(name);
}

std::optional<double> runNumber(const RunInfo& run, std::string_view name) {
    const std::string key(name);
    if (const auto it = run.summaryMetrics.find(key); it != run.summaryMetrics.end())
        if (auto v = finite(it->second)) return v;
    for (const auto& s : run.series)
        if (s.tag == key)
            if (auto v = finite(s.last)) return v;
    if (const auto it = run.params.find(key); it != run.params.end())
        if (auto v = numberIn(it->second)) return v;
    if (name == kWallClockName) return wallClockSeconds(run);
    return std::nullopt;
}

std::vector<RunNumberName> runNumberNames(std::span<const RunInfo> runs) {
    std::map<std::string, std::size_t> counts;
    for (const auto& run : runs) {
        std::vector<std::string> names;
        for (const auto& [k, v] : run.summaryMetrics)
            if (std::isfinite(v)) names.push_back(k);
        for (const auto& s : run.series)
            if (std::isfinite(s.last)) names.push_back(s.tag);
        for (const auto& [k, v] : run.params)
            if (numberIn(v)) names.push_back(k);
        if (wallClockSeconds(run)) names.emplace_back(kWallClockName);
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        for (auto& n : names)
            ++counts[n];
    }
    std::vector<RunNumberName> out;
    for (const auto& [name, n] : counts) {
        RunNumberName r;
        r.name = name;
        r.runs = n;
        r.cost = runCostMetric(name);
        r.lowerIsBetter = lowerIsBetter(name);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<RunNumberName> costNames(std::span<const RunNumberName> names) {
    std::vector<RunNumberName> out;
    for (const auto& n : names)
        if (n.cost) out.push_back(n);
    // Recognised costs most runs have first; the derived wall-clock time is the fallback, last.
    std::stable_sort(out.begin(), out.end(), [](const RunNumberName& a, const RunNumberName& b) {
        const bool aWall = a.name == kWallClockName, bWall = b.name == kWallClockName;
        if (aWall != bWall) return bWall;
        return a.runs > b.runs;
    });
    return out;
}

std::vector<RunNumberName> qualityNames(std::span<const RunNumberName> names) {
    std::vector<RunNumberName> out;
    for (const auto& n : names)
        if (n.lowerIsBetter && !n.cost) out.push_back(n);
    std::stable_sort(out.begin(), out.end(),
                     [](const RunNumberName& a, const RunNumberName& b) { return a.runs > b.runs; });
    return out;
}

std::vector<std::string> evaluationQualityNames() {
    std::vector<std::string> out;
    for (SliceMetric m : kEvaluationMetrics)
        out.push_back(std::string(kEvalPrefix) + std::string(sliceMetricInfo(m).name));
    return out;
}

bool parseEvaluationQuality(std::string_view name, SliceMetric& metric) {
    if (!name.starts_with(kEvalPrefix)) return false;
    return parseSliceMetric(name.substr(kEvalPrefix.size()), metric);
}

namespace {

bool supports(const EvaluationSet& set, SliceMetric metric) {
    if (set.rows() == 0) return false;
    if (set.multiclass) return metric == SliceMetric::Accuracy || metric == SliceMetric::ErrorRate;
    return !sliceMetricInfo(metric).needsScores || set.hasScores();
}

} // namespace

double evaluationMetricValue(const PredictionTable& table, const EvaluationSet& set, SliceMetric metric) {
    if (!supports(set, metric)) return std::nan("");
    const CohortInput cohort = cohortFromEvaluation("", table, set);
    std::vector<std::size_t> rows(set.rows());
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    return sliceMetricValue(metric, cohort, rows);
}

SliceCell evaluationQuality(const PredictionTable& table, const EvaluationSet& set, SliceMetric metric,
                            int bootstrapResamples) {
    // A multiclass set is scored as "correct or not", which carries accuracy and error rate only.
    if (!supports(set, metric)) return {};
    const CohortInput cohort = cohortFromEvaluation("", table, set);
    std::vector<std::size_t> rows(set.rows());
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    SliceOptions options;
    options.metric = metric;
    options.bootstrapResamples = bootstrapResamples;
    return estimateMetric(metric, cohort, rows, options);
}

CostQualityStudy costQualityStudy(std::span<const RunInfo> runs, const CostQualityRequest& request,
                                  const EvaluationQualityOf& evaluationQualityOf) {
    CostQualityStudy study;
    if (runs.empty()) {
        study.error = "no runs";
        return study;
    }
    SliceMetric metric = SliceMetric::Accuracy;
    const bool fromEvaluation = parseEvaluationQuality(request.quality, metric);
    if (request.quality.starts_with(kEvalPrefix) && !fromEvaluation) {
        study.error = "unknown evaluation metric '" + request.quality +
                      "' (eval:accuracy, eval:auc, eval:log_loss, ...)";
        return study;
    }
    std::optional<bool> lower = request.qualityLowerIsBetter;
    if (!lower)
        lower = fromEvaluation ? std::optional<bool>(!sliceMetricInfo(metric).higherIsBetter)
                               : lowerIsBetter(request.quality);
    if (!lower) {
        study.error = "cannot tell whether higher or lower '" + request.quality +
                      "' is better; say which (--higher-is-better or --lower-is-better)";
        return study;
    }
    std::vector<std::string> costs = request.costs;
    if (costs.empty()) {
        const auto names = runNumberNames(runs);
        const auto candidates = costNames(names);
        if (candidates.empty()) {
            study.error =
                "no run has a cost (latency, throughput, parameters, model size, FLOPs, run time) or timed "
                "points";
            return study;
        }
        costs.push_back(candidates.front().name);
    }
    study.axes.qualityName = request.quality;
    study.axes.qualityHigherIsBetter = !*lower;
    for (const auto& c : costs) {
        const auto metricOfCost = runCostMetric(c);
        study.axes.costNames.push_back(c);
        study.axes.costHigherIsBetter.push_back(metricOfCost && !metricOfCost->lowerIsBetter);
    }

    for (const auto& run : runs) {
        ParetoPoint p;
        p.name = run.name;
        if (fromEvaluation) {
            const auto cell = evaluationQualityOf ? evaluationQualityOf(run, metric) : std::nullopt;
            if (!cell || cell->n == 0 || !std::isfinite(cell->value)) {
                study.left.push_back(run.name + ": no evaluation set for " + request.quality);
                continue;
            }
            p.quality = cell->value;
            p.qualityLow = cell->ciLow;
            p.qualityHigh = cell->ciHigh;
        } else if (const auto v = runNumber(run, request.quality)) {
            p.quality = *v;
        } else {
            study.left.push_back(run.name + ": no " + request.quality);
            continue;
        }
        bool complete = true;
        for (const auto& c : costs) {
            const auto v = runNumber(run, c);
            if (!v) {
                study.left.push_back(run.name + ": no " + c);
                complete = false;
                break;
            }
            p.costs.push_back(*v);
        }
        if (complete) study.points.push_back(std::move(p));
    }
    if (study.points.empty()) {
        study.error = "no run has both " + request.quality + " and " + costs.front();
        return study;
    }
    study.front = paretoFront(study.points, study.axes);
    study.dominatedBy = dominatedBy(study.points, study.axes);
    study.cheapest = cheapestWithin(study.points, study.axes, request.tolerance, request.toleranceKind, 0);
    return study;
}

} // namespace runlens
