// Release gates, the evaluation: each gate checked on the prediction logs with the existing analyses, and
// what it needs from them (the gates file is read in gates_parse.cpp, worded in gates_text.cpp).
#include "core/analysis/gates.h"

#include "core/analysis/calibration.h"
#include "core/analysis/gates_text.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/report_text.h"

#include <algorithm>
#include <cmath>
#include <span>

namespace runlens {

using gate_text::describe;
using gate_text::dropText;
using gate_text::intervalText;
using gate_text::isRatio;
using gate_text::limitText;
using gate_text::measureName;
using gate_text::num;
using gate_text::signedNum;
using gate_text::thresholdTextOf;

namespace {

// Rounding slack for comparisons against a limit, so 0.80 - 0.75 (0.0500000000000000444) is not "more than
// 0.05".
constexpr double kSlack = 1e-9;

constexpr double kZ95 = 1.959963984540054; // standard normal 97.5% quantile

bool higherIsBetter(const Gate& g) {
    return !g.ece && sliceMetricInfo(g.sliceMetric).higherIsBetter;
}

// The binary outcome and confidence ECE is computed on: the label and P(positive) of a binary set, whether
// the top class is right and its probability for a multiclass set (top-label calibration).
struct CalibrationInput {
    std::vector<int> outcome;
    std::vector<double> confidence;
};

CalibrationInput calibrationInput(const EvaluationSet& e) {
    if (!e.multiclass) return {e.labels, e.scores};
    CalibrationInput out;
    const std::size_t k = e.classCount();
    for (std::size_t i = 0; i < e.rows(); ++i) {
        const auto row = e.probs.begin() + std::ptrdiff_t(i * k);
        const auto best = std::max_element(row, row + std::ptrdiff_t(k)); // first maximum, as numpy
        out.confidence.push_back(*best);
        out.outcome.push_back(int(best - row) == e.labels[i] ? 1 : 0);
    }
    return out;
}

double eceOf(const CalibrationInput& c, std::span<const std::size_t> rows, int bins) {
    std::vector<int> outcome;
    std::vector<double> confidence;
    outcome.reserve(rows.size());
    confidence.reserve(rows.size());
    for (auto r : rows) {
        outcome.push_back(c.outcome[r]);
        confidence.push_back(c.confidence[r]);
    }
    CalibrationOptions options;
    options.bins = bins;
    return calibrationReport(outcome, confidence, options).ece;
}

std::vector<std::size_t> allRows(const EvaluationSet& e) {
    std::vector<std::size_t> rows(e.rows());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = i;
    return rows;
}

std::string metricProblem(const Gate& g, const EvaluationSet& e, const std::string& name) {
    const bool needsScores = g.ece || sliceMetricInfo(g.sliceMetric).needsScores;
    if (needsScores && !e.hasScores())
        return g.metric + " needs scores, and " + name + " holds hard predictions only";
    const bool correctness =
        g.ece || g.sliceMetric == SliceMetric::Accuracy || g.sliceMetric == SliceMetric::ErrorRate;
    if (e.multiclass && !correctness)
        return g.metric + " needs a binary log, and " + name +
               " is multiclass (accuracy, error_rate and ece work)";
    return {};
}

std::string slicesProblem(const Gate& g, const GateInputs& in) {
    for (const auto& [table, name] :
         {std::pair{in.candidateTable, in.candidateName}, std::pair{in.baselineTable, in.baselineName}}) {
        if (!table) continue;
        for (const auto& cross : g.slicings)
            for (const auto& column : cross)
                if (!table->column(column)) return name + " has no column '" + column + "'";
    }
    return {};
}

std::string pairingProblem(const GateInputs& in) {
    std::string error;
    const auto aligned =
        alignEvaluations(*in.baselineTable, *in.baseline, *in.candidateTable, *in.candidate, &error);
    if (!aligned) return "cannot pair " + in.candidateName + " with " + in.baselineName + ": " + error;
    if (aligned->pairs.rowsA.empty())
        return in.candidateName + " and " + in.baselineName + " share no example";
    return {};
}

std::string perturbationProblem(const Gate& g, const GateInputs& in) {
    if (!in.behaviour) return "a perturbation gate needs the behavioural test log (--tests FILE)";
    std::string names;
    for (const auto& p : in.behaviour->perturbations) {
        if (p.name == g.perturbation) return {};
        names += (names.empty() ? "" : ", ") + p.name;
    }
    return "the tests have no perturbation '" + g.perturbation + "' (they have " + names + ")";
}

std::string problemOf(const Gate& g, const GateInputs& in) {
    switch (g.kind) {
    case GateKind::Metric:
        return metricProblem(g, *in.candidate, in.candidateName);
    case GateKind::Baseline: {
        if (!in.baseline) return "a baseline gate needs --baseline B";
        if (auto p = metricProblem(g, *in.candidate, in.candidateName); !p.empty()) return p;
        if (auto p = metricProblem(g, *in.baseline, in.baselineName); !p.empty()) return p;
        return pairingProblem(in);
    }
    case GateKind::Slices: {
        if (auto p = metricProblem(g, *in.candidate, in.candidateName); !p.empty()) return p;
        if (in.baseline)
            if (auto p = metricProblem(g, *in.baseline, in.baselineName); !p.empty()) return p;
        return slicesProblem(g, in);
    }
    case GateKind::Perturbation:
        return perturbationProblem(g, in);
    case GateKind::Fairness:
        if (in.candidate->multiclass)
            return "a fairness gate needs a binary log, and " + in.candidateName + " is multiclass";
        if (!in.candidateTable->column(g.fairnessColumn))
            return in.candidateName + " has no column '" + g.fairnessColumn + "'";
        return {};
    }
    return {};
}

GateResult startResult(const Gate& g) {
    GateResult r;
    r.index = g.index;
    r.kind = g.kind;
    r.name = g.name;
    r.description = describe(g);
    r.metric = g.metric;
    return r;
}

GateResult metricGate(const Gate& g, const GateInputs& in) {
    GateResult r = startResult(g);
    const auto rows = allRows(*in.candidate);
    r.n = std::int64_t(rows.size());
    if (g.ece) {
        r.value = eceOf(calibrationInput(*in.candidate), rows, g.bins);
    } else {
        const CohortInput cohort = cohortFromEvaluation(in.candidateName, *in.candidateTable, *in.candidate);
        SliceOptions options;
        options.threshold = in.threshold;
        options.bootstrapResamples = in.resamples;
        options.seed = in.seed;
        const SliceCell cell = estimateMetric(g.sliceMetric, cohort, rows, options);
        r.value = cell.value;
        if (std::isfinite(cell.ciLow) && std::isfinite(cell.ciHigh))
            r.ci = stats::Interval{cell.ciLow, cell.ciHigh};
        r.intervalMethod = sliceMetricInfo(g.sliceMetric).rate ? "wilson" : "bootstrap percentile";
    }
    r.direction = g.min ? "min" : "max";
    r.threshold = g.min ? *g.min : *g.max;
    r.passed =
        std::isfinite(r.value) && (g.min ? r.value >= r.threshold - kSlack : r.value <= r.threshold + kSlack);
    r.valueText = num(r.value) + intervalText(r.ci);
    if (!std::isfinite(r.value))
        r.sentence =
            g.metric + " is undefined on " + in.candidateName + " (e.g. one class only), so the gate fails.";
    else
        r.sentence = g.metric + " of " + in.candidateName + " is " + num(r.value) +
                     (r.passed ? ", within " : ", outside ") + "the limit " + (g.min ? ">= " : "<= ") +
                     limitText(r.threshold) + ".";
    return r;
}

// Fills the verdict of a baseline gate from the paired difference (candidate - baseline), its interval and
// the test's p. Worse means below for higher-is-better metrics. With no margin the test decides (DeLong,
// McNemar) where there is one; otherwise the interval must lie wholly beyond the margin on the worse side.
void baselineVerdict(GateResult& r, const Gate& g) {
    const double sign = higherIsBetter(g) ? 1.0 : -1.0;
    const double gain = sign * r.value;
    const double gainHigh = r.ci ? (sign > 0 ? r.ci->high : -r.ci->low) : gain;
    bool significantlyWorse = false;
    if (g.margin == 0 && std::isfinite(r.p))
        significantlyWorse = gain < 0 && r.p < 0.05;
    else
        significantlyWorse = gainHigh < -g.margin - kSlack;
    r.threshold = g.margin == 0 ? 0.0 : -sign * g.margin; // never -0 in the output
    r.direction = sign > 0 ? "min" : "max";
    r.passed = std::isfinite(r.value) && !significantlyWorse;
}

void baselineText(GateResult& r, const GateInputs& in) {
    r.valueText = num(r.candidateValue) + " against " + num(r.baselineValue) + " (" + signedNum(r.value) +
                  intervalText(r.ci);
    if (std::isfinite(r.p))
        r.valueText += ", " + std::string(r.test == "delong" ? "DeLong" : "McNemar") + " p = " + num(r.p);
    r.valueText += ", n " + std::to_string(r.n) + ")";
    if (!std::isfinite(r.value)) {
        r.sentence =
            "The difference in " + r.metric + " is undefined on the shared examples, so the gate fails.";
        return;
    }
    r.sentence = in.candidateName + "'s " + r.metric + " " + num(r.candidateValue) + " against " +
                 in.baselineName + "'s " + num(r.baselineValue) + " on " + std::to_string(r.n) +
                 " shared examples: " + (r.passed ? "not significantly worse." : "significantly worse.");
}

GateResult eceBaselineGate(const Gate& g, const GateInputs& in) {
    GateResult r = startResult(g);
    std::string error;
    const auto aligned =
        alignEvaluations(*in.baselineTable, *in.baseline, *in.candidateTable, *in.candidate, &error);
    const auto& rowsA = aligned->pairs.rowsA;
    const auto& rowsB = aligned->pairs.rowsB;
    const CalibrationInput base = calibrationInput(*in.baseline), cand = calibrationInput(*in.candidate);
    const PairedMetric ece = [&](std::span<const std::size_t> idx, int model) {
        std::vector<std::size_t> rows;
        rows.reserve(idx.size());
        for (auto i : idx)
            rows.push_back(model == 0 ? rowsA[i] : rowsB[i]);
        return eceOf(model == 0 ? base : cand, rows, g.bins);
    };
    const BootstrapDelta boot = pairedBootstrap(ece, rowsA.size(), in.resamples, in.seed, "ece");
    r.n = std::int64_t(rowsA.size());
    r.test = "bootstrap";
    r.baselineValue = eceOf(base, rowsA, g.bins);
    r.candidateValue = eceOf(cand, rowsB, g.bins);
    r.value = boot.delta;
    r.ci = stats::Interval{boot.ciLow, boot.ciHigh};
    baselineVerdict(r, g);
    baselineText(r, in);
    return r;
}

GateResult baselineGate(const Gate& g, const GateInputs& in) {
    if (g.ece) return eceBaselineGate(g, in);
    GateResult r = startResult(g);
    PairedOptions options;
    options.metric = g.sliceMetric;
    options.threshold = in.threshold;
    options.resamples = in.resamples;
    options.seed = in.seed;
    options.sliceLevels = 1; // the slice changes are not gated; keep them cheap
    std::string error;
    const auto paired =
        comparePaired(*in.baselineTable, *in.baseline, *in.candidateTable, *in.candidate, options, &error);
    if (!paired) {
        r.sentence = "Cannot compare with the baseline: " + error;
        r.valueText = "n/a";
        return r;
    }
    r.n = std::int64_t(paired->alignment.pairs.rowsA.size());
    r.baselineValue = paired->metricA;
    r.candidateValue = paired->metricB;
    if (g.sliceMetric == SliceMetric::Auc) {
        r.test = "delong";
        if (paired->delong) {
            const double se = std::sqrt(paired->delong->variance);
            r.value = paired->delong->aucB - paired->delong->aucA;
            r.ci = stats::Interval{r.value - kZ95 * se, r.value + kZ95 * se};
            r.p = paired->delong->p;
        }
    } else {
        r.value = paired->bootstrap.delta;
        r.ci = stats::Interval{paired->bootstrap.ciLow, paired->bootstrap.ciHigh};
        r.test = "bootstrap";
        if (g.sliceMetric == SliceMetric::Accuracy || g.sliceMetric == SliceMetric::ErrorRate) {
            r.test = "mcnemar";
            r.p = paired->mcnemar.exactP;
        }
    }
    baselineVerdict(r, g);
    baselineText(r, in);
    if (g.sliceMetric == SliceMetric::Auc && !paired->delong)
        r.sentence = "DeLong's test did not run (" + paired->delongSkipped + "), so the gate fails.";
    return r;
}

std::string keyText(const std::vector<std::pair<std::string, std::string>>& key) {
    std::string out;
    for (const auto& [f, v] : key)
        out += (out.empty() ? "" : ", ") + f + "=" + v;
    return out;
}

// Adds the slices of one slicing that are large enough in the candidate (and the baseline) to `r`.
void addSlices(GateResult& r, const Gate& g, const GateInputs& in, const std::vector<std::string>& by,
               std::string& error) {
    std::vector<CohortInput> cohorts;
    if (in.baseline)
        cohorts.push_back(cohortFromEvaluation(in.baselineName, *in.baselineTable, *in.baseline));
    cohorts.push_back(cohortFromEvaluation(in.candidateName, *in.candidateTable, *in.candidate));
    SliceOptions options;
    options.by = by;
    options.metric = g.sliceMetric;
    options.threshold = in.threshold;
    options.minN = g.minN;
    options.bootstrapResamples = 200; // the intervals are not gated; keep them cheap
    options.seed = in.seed;
    const auto report = compareSlices(cohorts, options, &error);
    if (!report) return;
    const double overall = report->overall.back().value;
    const bool hib = higherIsBetter(g);
    for (const auto& row : report->slices) {
        const SliceCell& cell = row.cohorts.back();
        const SliceCell* ref = in.baseline ? &row.cohorts.front() : nullptr;
        if (cell.n < g.minN || (ref && ref->n < g.minN)) {
            ++r.smallSlices;
            continue;
        }
        SliceDrop d;
        d.key = row.key;
        d.n = cell.n;
        d.referenceN = ref ? ref->n : r.n;
        d.value = cell.value;
        d.reference = ref ? ref->value : overall;
        if (!std::isfinite(d.value) || !std::isfinite(d.reference)) {
            ++r.undefinedSlices;
            continue;
        }
        d.drop = hib ? d.reference - d.value : d.value - d.reference;
        d.failed = d.drop > g.maxDrop + kSlack;
        r.slices.push_back(std::move(d));
    }
}

GateResult slicesGate(const Gate& g, const GateInputs& in) {
    GateResult r = startResult(g);
    r.n = std::int64_t(in.candidate->rows());
    r.reference = in.baseline ? "baseline" : "overall";
    r.threshold = g.maxDrop;
    r.direction = "max";
    std::string error;
    for (const auto& by : g.slicings) {
        addSlices(r, g, in, by, error);
        if (!error.empty()) {
            r.sentence = "Cannot slice: " + error;
            r.valueText = "n/a";
            return r;
        }
    }
    std::stable_sort(r.slices.begin(), r.slices.end(),
                     [](const SliceDrop& a, const SliceDrop& b) { return a.drop > b.drop; });
    std::int64_t failed = 0;
    for (const auto& s : r.slices)
        failed += s.failed;
    r.passed = failed == 0;
    if (r.slices.empty()) {
        r.valueText = "no slice has n >= " + std::to_string(g.minN);
        r.sentence =
            "No slice is large enough to check (n >= " + std::to_string(g.minN) + "), so nothing fails.";
        return r;
    }
    const SliceDrop& worst = r.slices.front();
    r.value = worst.drop;
    r.valueText = (worst.failed ? "" : "worst ") + keyText(worst.key) + " " + num(worst.value) + " against " +
                  num(worst.reference) + " (" + (worst.drop > 0 ? "-" : "+") +
                  dropText(g, std::abs(worst.drop)) + ")";
    r.valueText += "; " + std::to_string(failed) + " of " + std::to_string(r.slices.size()) + " slices fail";
    r.sentence =
        std::to_string(failed) + " of " + std::to_string(r.slices.size()) +
        " slices with n >= " + std::to_string(g.minN) + " are worse than " +
        (in.baseline ? std::string("the baseline's same slice") : std::string("the overall ") + g.metric) +
        " by more than " + dropText(g, g.maxDrop) + "; the worst is " + keyText(worst.key) + " (n " +
        std::to_string(worst.n) + ").";
    if (r.undefinedSlices > 0)
        r.sentence += " " + std::to_string(r.undefinedSlices) + " slice(s) with an undefined " + g.metric +
                      " were not checked.";
    return r;
}

GateResult perturbationGate(const Gate& g, const GateInputs& in) {
    GateResult r = startResult(g);
    r.metric = g.failureRate ? "failure_rate" : "flip_rate";
    r.threshold = g.maxRate;
    r.direction = "max";
    for (const auto& p : in.behaviour->perturbations)
        if (p.name == g.perturbation) r.tests = p;
    const PerturbationResult& p = *r.tests;
    r.n = g.failureRate ? p.tested : p.n;
    r.value = r.n > 0 ? (g.failureRate ? p.failureRate : p.flipRate) : GateResult::kNaN;
    r.ci = g.failureRate ? p.failureCi : p.flipCi;
    r.passed = std::isfinite(r.value) && r.value <= g.maxRate + kSlack;
    const std::int64_t count = g.failureRate ? p.failures : p.flips;
    if (r.n == 0) {
        r.valueText = "n/a (no test has its original)";
        r.sentence = "No " + g.perturbation + " test could be joined to its original, so the gate fails.";
        return r;
    }
    r.valueText = formatPercent(r.value) + " [" + formatPercent(r.ci->low) + ", " +
                  formatPercent(r.ci->high) + "] (" + std::to_string(count) + " of " + std::to_string(r.n) +
                  " tests)";
    r.sentence = std::to_string(count) + " of " + std::to_string(r.n) + " " + g.perturbation + " tests " +
                 (g.failureRate ? "failed" : "flipped the prediction") + " (" + formatPercent(r.value) +
                 "), " + (r.passed ? "within" : "above") + " the limit " + formatPercent(g.maxRate) + ".";
    return r;
}

double measureOf(const FairnessReport& f, FairnessMeasure m) {
    switch (m) {
    case FairnessMeasure::DemographicParityRatio:
        return f.demographicParityRatio;
    case FairnessMeasure::EqualizedOddsRatio:
        return f.equalizedOddsRatio;
    case FairnessMeasure::DemographicParityDifference:
        return f.demographicParityDifference;
    case FairnessMeasure::EqualizedOddsDifference:
        return f.equalizedOddsDifference;
    }
    return GateResult::kNaN;
}

GateResult fairnessGate(const Gate& g, const GateInputs& in) {
    GateResult r = startResult(g);
    r.metric = std::string(measureName(g.measure));
    std::replace(r.metric.begin(), r.metric.end(), ' ', '_');
    r.threshold = g.limit;
    r.direction = isRatio(g.measure) ? "min" : "max";
    std::string error;
    const auto report =
        fairnessOfEvaluation(*in.candidateTable, *in.candidate, g.fairnessColumn, in.threshold, error);
    if (!report) {
        r.valueText = "n/a";
        r.sentence = "Cannot measure fairness: " + error;
        return r;
    }
    r.groups = report->groups;
    r.n = std::int64_t(in.candidate->rows());
    r.value = measureOf(*report, g.measure);
    r.passed = std::isfinite(r.value) &&
               (isRatio(g.measure) ? r.value >= g.limit - kSlack : r.value <= g.limit + kSlack);
    const bool odds = g.measure == FairnessMeasure::EqualizedOddsRatio ||
                      g.measure == FairnessMeasure::EqualizedOddsDifference;
    std::string groups;
    for (const auto& group : report->groups)
        groups += (groups.empty() ? "" : ", ") + group.group + " " +
                  (odds ? "TPR " + num(group.tpr) + " FPR " + num(group.fpr) : num(group.selectionRate));
    r.valueText = num(r.value) + " (" + std::string(odds ? "" : "selection rate ") + groups + ")";
    if (!std::isfinite(r.value))
        r.sentence = "The " + std::string(measureName(g.measure)) +
                     " is undefined (no group is selected), so the gate fails.";
    else
        r.sentence = "The " + std::string(measureName(g.measure)) + " across " + g.fairnessColumn + " is " +
                     num(r.value) + (r.passed ? ", within" : ", outside") + " the limit " +
                     (isRatio(g.measure) ? ">= " : "<= ") + limitText(g.limit) + ".";
    return r;
}

} // namespace

std::string gateInputProblem(const Gate& gate, const GateInputs& inputs) {
    const std::string problem = problemOf(gate, inputs);
    if (problem.empty()) return problem;
    return "gate " + std::to_string(gate.index) + " (" + describe(gate) + "): " + problem;
}

GateResult evaluateGate(const Gate& gate, const GateInputs& inputs) {
    GateResult r;
    switch (gate.kind) {
    case GateKind::Metric:
        r = metricGate(gate, inputs);
        break;
    case GateKind::Baseline:
        r = baselineGate(gate, inputs);
        break;
    case GateKind::Slices:
        r = slicesGate(gate, inputs);
        break;
    case GateKind::Perturbation:
        r = perturbationGate(gate, inputs);
        break;
    case GateKind::Fairness:
        r = fairnessGate(gate, inputs);
        break;
    }
    r.thresholdText = thresholdTextOf(gate, r);
    return r;
}

} // namespace runlens
