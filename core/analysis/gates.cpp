// Release gates: parsing the gates file (yaml-cpp) and evaluating each gate with the existing analyses.
#include "core/analysis/gates.h"

#include "core/analysis/calibration.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/report_text.h"
#include "core/model/number_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <span>
#include <yaml-cpp/yaml.h>

namespace runlens {

namespace {

// Rounding slack for comparisons against a limit, so 0.80 - 0.75 (0.0500000000000000444) is not "more than
// 0.05".
constexpr double kSlack = 1e-9;

// A parse problem; caught at the top and turned into the one-line error.
struct GateError {
    std::string message;
};

[[noreturn]] void fail(std::size_t gate, std::string_view key, const std::string& message) {
    std::string text = "gate " + std::to_string(gate);
    if (!key.empty()) text += ", " + std::string(key);
    throw GateError{text + ": " + message};
}

std::string scalarText(const YAML::Node& node) {
    if (node.IsScalar()) return node.Scalar();
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    return "nothing";
}

// A value as an error message shows it: a scalar quoted, anything else by its shape.
std::string shown(const YAML::Node& node) {
    return node.IsScalar() ? "'" + node.Scalar() + "'" : scalarText(node);
}

double numberOf(const YAML::Node& node, std::size_t gate, std::string_view key) {
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value))
        fail(gate, key, shown(node) + " is not a number");
    return value;
}

double numberIn(const YAML::Node& node, std::size_t gate, std::string_view key, double lo, double hi) {
    const double value = numberOf(node, gate, key);
    if (value < lo || value > hi)
        fail(gate, key,
             formatNumber(value, 6) + " is outside [" + formatNumber(lo, 6) + ", " + formatNumber(hi, 6) +
                 "]");
    return value;
}

std::string textOf(const YAML::Node& node, std::size_t gate, std::string_view key) {
    if (!node.IsScalar() || node.Scalar().empty()) fail(gate, key, "needs a name, not " + scalarText(node));
    return node.Scalar();
}

bool flagOf(const YAML::Node& node, std::size_t gate, std::string_view key) {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
        fail(gate, key, shown(node) + " is not true or false");
    return value;
}

// The metrics a gate can name; SliceMetric covers all but ECE.
void readMetric(Gate& gate, const YAML::Node& node, bool allowEce) {
    std::string name = textOf(node, gate.index, "metric");
    if (name == "roc_auc") name = "auc";
    if (name == "error") name = "error_rate";
    gate.metric = name;
    if (name == "ece") {
        if (!allowEce) fail(gate.index, "metric", "ece is not measured per slice; use accuracy, auc, ...");
        gate.ece = true;
        return;
    }
    static const std::set<std::string, std::less<>> known{"accuracy",  "error_rate", "auc",      "f1",
                                                          "precision", "recall",     "log_loss", "brier"};
    if (!known.contains(name) || !parseSliceMetric(name, gate.sliceMetric))
        fail(gate.index, "metric",
             "unknown metric '" + name +
                 "' (accuracy, error_rate, auc, f1, precision, recall, log_loss, brier, ece)");
}

// slices: region | [region, device] | [[region, device], age]: each entry one slicing, a list a cross.
std::vector<std::vector<std::string>> readSlicings(const YAML::Node& node, std::size_t gate) {
    auto columns = [&](const YAML::Node& entry) {
        std::vector<std::string> out;
        if (entry.IsSequence())
            for (const auto& c : entry)
                out.push_back(textOf(c, gate, "slices"));
        else
            out.push_back(textOf(entry, gate, "slices"));
        if (out.empty() || out.size() > 3) fail(gate, "slices", "a cross needs one to three columns");
        return out;
    };
    std::vector<std::vector<std::string>> out;
    if (!node.IsSequence()) {
        out.push_back(columns(node));
        return out;
    }
    for (const auto& entry : node)
        out.push_back(columns(entry));
    if (out.empty()) fail(gate, "slices", "needs at least one column");
    return out;
}

GateKind kindOf(const YAML::Node& node, std::size_t index) {
    std::vector<std::pair<std::string_view, GateKind>> found;
    for (const auto& [key, kind] : {std::pair{std::string_view("slices"), GateKind::Slices},
                                    {"perturbation", GateKind::Perturbation},
                                    {"fairness", GateKind::Fairness},
                                    {"not_worse_than_baseline", GateKind::Baseline}})
        if (node[std::string(key)]) found.emplace_back(key, kind);
    if (found.size() > 1)
        fail(index, found[1].first,
             "a gate checks one thing; '" + std::string(found[0].first) + "' and '" +
                 std::string(found[1].first) + "' belong in separate gates");
    if (!found.empty()) return found.front().second;
    if (node["metric"]) return GateKind::Metric;
    // Without a kind the likeliest cause is a misspelt key: name it.
    static const std::set<std::string, std::less<>> known{
        "name",    "metric",    "min",           "max",           "bins",
        "margin",  "min_n",     "max_drop",      "max_flip_rate", "max_failure_rate",
        "measure", "min_ratio", "max_difference"};
    for (const auto& entry : node) {
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
        if (!known.contains(key))
            fail(index, key,
                 "unknown key, and the gate has no kind (metric, "
                 "not_worse_than_baseline, slices, perturbation or fairness)");
    }
    fail(index, "",
         "no kind: give metric (with min or max), not_worse_than_baseline, slices, perturbation "
         "or fairness");
}

const std::set<std::string, std::less<>>& allowedKeys(GateKind kind) {
    static const std::set<std::string, std::less<>> metric{"name", "metric", "min", "max", "bins"};
    static const std::set<std::string, std::less<>> baseline{"name", "metric", "not_worse_than_baseline",
                                                             "margin", "bins"};
    static const std::set<std::string, std::less<>> slices{"name", "slices", "metric", "min_n", "max_drop"};
    static const std::set<std::string, std::less<>> perturbation{"name", "perturbation", "max_flip_rate",
                                                                 "max_failure_rate"};
    static const std::set<std::string, std::less<>> fairness{"name", "fairness", "measure", "min_ratio",
                                                             "max_difference"};
    switch (kind) {
    case GateKind::Metric:
        return metric;
    case GateKind::Baseline:
        return baseline;
    case GateKind::Slices:
        return slices;
    case GateKind::Perturbation:
        return perturbation;
    case GateKind::Fairness:
        return fairness;
    }
    return metric;
}

void checkKeys(const YAML::Node& node, const Gate& gate) {
    const auto& allowed = allowedKeys(gate.kind);
    for (const auto& entry : node) {
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
        if (allowed.contains(key)) continue;
        std::string list;
        for (const auto& k : allowed)
            list += (list.empty() ? "" : ", ") + k;
        fail(gate.index, key,
             "unknown key for a " + std::string(gateKindName(gate.kind)) + " gate (allowed: " + list + ")");
    }
}

void readMetricGate(Gate& gate, const YAML::Node& node) {
    readMetric(gate, node["metric"], true);
    if (node["min"]) gate.min = numberOf(node["min"], gate.index, "min");
    if (node["max"]) gate.max = numberOf(node["max"], gate.index, "max");
    if (gate.min && gate.max)
        fail(gate.index, "max", "give min or max, not both (write two gates for a range)");
    if (!gate.min && !gate.max) fail(gate.index, "metric", "a metric gate needs min or max");
}

void readBaselineGate(Gate& gate, const YAML::Node& node) {
    if (!flagOf(node["not_worse_than_baseline"], gate.index, "not_worse_than_baseline"))
        fail(gate.index, "not_worse_than_baseline", "false checks nothing; remove the gate instead");
    if (!node["metric"]) fail(gate.index, "metric", "a baseline gate needs a metric");
    readMetric(gate, node["metric"], true);
    if (node["margin"]) gate.margin = numberIn(node["margin"], gate.index, "margin", 0, 1e9);
}

void readSlicesGate(Gate& gate, const YAML::Node& node) {
    gate.slicings = readSlicings(node["slices"], gate.index);
    if (node["metric"]) readMetric(gate, node["metric"], false);
    if (node["min_n"]) {
        const double n = numberIn(node["min_n"], gate.index, "min_n", 1, 1e12);
        if (n != std::floor(n)) fail(gate.index, "min_n", formatNumber(n, 6) + " is not a whole number");
        gate.minN = static_cast<std::int64_t>(n);
    }
    if (node["max_drop"]) gate.maxDrop = numberIn(node["max_drop"], gate.index, "max_drop", 0, 1e9);
}

void readPerturbationGate(Gate& gate, const YAML::Node& node) {
    gate.perturbation = textOf(node["perturbation"], gate.index, "perturbation");
    const bool flips = bool(node["max_flip_rate"]), failures = bool(node["max_failure_rate"]);
    if (flips == failures)
        fail(gate.index, flips ? "max_failure_rate" : "perturbation",
             "give one of max_flip_rate or max_failure_rate");
    gate.failureRate = failures;
    const char* key = failures ? "max_failure_rate" : "max_flip_rate";
    gate.maxRate = numberIn(node[key], gate.index, key, 0, 1);
}

void readFairnessGate(Gate& gate, const YAML::Node& node) {
    gate.fairnessColumn = textOf(node["fairness"], gate.index, "fairness");
    const bool ratio = bool(node["min_ratio"]), difference = bool(node["max_difference"]);
    if (ratio == difference)
        fail(gate.index, ratio ? "max_difference" : "fairness", "give one of min_ratio or max_difference");
    std::string measure = ratio ? "demographic_parity_ratio" : "demographic_parity_difference";
    if (node["measure"]) {
        measure = textOf(node["measure"], gate.index, "measure");
        if (measure == "demographic_parity")
            measure = ratio ? "demographic_parity_ratio" : "demographic_parity_difference";
        if (measure == "equalized_odds")
            measure = ratio ? "equalized_odds_ratio" : "equalized_odds_difference";
    }
    const bool isRatio = measure.ends_with("_ratio");
    if (measure == "demographic_parity_ratio")
        gate.measure = FairnessMeasure::DemographicParityRatio;
    else if (measure == "equalized_odds_ratio")
        gate.measure = FairnessMeasure::EqualizedOddsRatio;
    else if (measure == "demographic_parity_difference")
        gate.measure = FairnessMeasure::DemographicParityDifference;
    else if (measure == "equalized_odds_difference")
        gate.measure = FairnessMeasure::EqualizedOddsDifference;
    else
        fail(gate.index, "measure",
             "unknown measure '" + measure + "' (demographic_parity or equalized_odds)");
    if (isRatio != ratio)
        fail(gate.index, "measure",
             measure + (ratio ? " is a difference: use max_difference" : " is a ratio: use min_ratio"));
    gate.limit = ratio ? numberIn(node["min_ratio"], gate.index, "min_ratio", 0, 1)
                       : numberIn(node["max_difference"], gate.index, "max_difference", 0, 1);
}

Gate readGate(const YAML::Node& node, std::size_t index) {
    if (!node.IsMap())
        fail(index, "", "a gate is a mapping such as {metric: auc, min: 0.8}, not " + scalarText(node));
    Gate gate;
    gate.index = index;
    gate.kind = kindOf(node, index);
    checkKeys(node, gate);
    if (node["name"]) gate.name = textOf(node["name"], index, "name");
    if (node["bins"]) {
        if (!node["metric"] || node["metric"].Scalar() != "ece")
            fail(index, "bins", "only an ece gate has bins");
        gate.bins = static_cast<int>(numberIn(node["bins"], index, "bins", 1, 1000));
    }
    switch (gate.kind) {
    case GateKind::Metric:
        readMetricGate(gate, node);
        break;
    case GateKind::Baseline:
        readBaselineGate(gate, node);
        break;
    case GateKind::Slices:
        readSlicesGate(gate, node);
        break;
    case GateKind::Perturbation:
        readPerturbationGate(gate, node);
        break;
    case GateKind::Fairness:
        readFairnessGate(gate, node);
        break;
    }
    return gate;
}

YAML::Node gateList(const YAML::Node& root) {
    if (root.IsSequence()) return root;
    if (!root.IsMap()) throw GateError{"a gates file holds 'gates:' and a list of gates"};
    for (const auto& entry : root) {
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
        if (key != "gates")
            throw GateError{"unknown top-level key '" + key + "' (a gates file holds 'gates:')"};
    }
    const YAML::Node list = root["gates"];
    if (!list || !list.IsSequence()) throw GateError{"'gates' must be a list of gates"};
    return list;
}

} // namespace

std::string_view gateKindName(GateKind kind) {
    switch (kind) {
    case GateKind::Metric:
        return "metric";
    case GateKind::Baseline:
        return "baseline";
    case GateKind::Slices:
        return "slices";
    case GateKind::Perturbation:
        return "perturbation";
    case GateKind::Fairness:
        return "fairness";
    }
    return "metric";
}

std::optional<std::vector<Gate>> parseGates(const std::string& yaml, std::string& error) {
    try {
        const YAML::Node list = gateList(YAML::Load(yaml));
        std::vector<Gate> gates;
        for (std::size_t i = 0; i < list.size(); ++i)
            gates.push_back(readGate(list[i], i + 1));
        if (gates.empty()) throw GateError{"no gates: the list is empty"};
        return gates;
    } catch (const GateError& e) {
        error = e.message;
    } catch (const YAML::Exception& e) {
        // yaml-cpp's marks are 0-based.
        error = e.mark.is_null() ? e.msg
                                 : "line " + std::to_string(e.mark.line + 1) + ", column " +
                                       std::to_string(e.mark.column + 1) + ": " + e.msg;
    }
    return std::nullopt;
}

namespace {

constexpr double kZ95 = 1.959963984540054; // standard normal 97.5% quantile

std::string num(double v) {
    return significantText(v, 3, kReportNonFinite);
}

std::string limitText(double v) {
    return formatNumber(v, 6);
}

std::string signedNum(double v) {
    return (std::isfinite(v) && v > 0 ? "+" : "") + num(v);
}

bool higherIsBetter(const Gate& g) {
    return !g.ece && sliceMetricInfo(g.sliceMetric).higherIsBetter;
}

// Metrics that are proportions, whose differences read as percentage points.
bool inPoints(const Gate& g) {
    return !g.ece && g.sliceMetric != SliceMetric::LogLoss && g.sliceMetric != SliceMetric::Brier;
}

std::string dropText(const Gate& g, double drop) {
    if (!inPoints(g)) return num(drop);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f points", drop * 100);
    return buffer;
}

std::string slicingsText(const Gate& g) {
    std::string out;
    for (const auto& cross : g.slicings) {
        std::string part;
        for (const auto& c : cross)
            part += (part.empty() ? "" : " x ") + c;
        out += (out.empty() ? "" : ", ") + part;
    }
    return out;
}

std::string_view measureName(FairnessMeasure m) {
    switch (m) {
    case FairnessMeasure::DemographicParityRatio:
        return "demographic parity ratio";
    case FairnessMeasure::EqualizedOddsRatio:
        return "equalized odds ratio";
    case FairnessMeasure::DemographicParityDifference:
        return "demographic parity difference";
    case FairnessMeasure::EqualizedOddsDifference:
        return "equalized odds difference";
    }
    return "demographic parity ratio";
}

bool isRatio(FairnessMeasure m) {
    return m == FairnessMeasure::DemographicParityRatio || m == FairnessMeasure::EqualizedOddsRatio;
}

std::string describe(const Gate& g) {
    switch (g.kind) {
    case GateKind::Metric:
        return g.metric + (g.min ? " >= " + limitText(*g.min) : " <= " + limitText(*g.max));
    case GateKind::Baseline:
        return g.metric + " not significantly worse than the baseline" +
               (g.margin > 0 ? " by more than " + limitText(g.margin) : "");
    case GateKind::Slices:
        return "no " + g.metric + " slice by " + slicingsText(g) + " with n >= " + std::to_string(g.minN) +
               " worse by > " + (inPoints(g) ? limitText(g.maxDrop * 100) + " points" : limitText(g.maxDrop));
    case GateKind::Perturbation:
        return std::string(g.failureRate ? "failure rate" : "flip rate") + " under " + g.perturbation +
               " <= " + limitText(g.maxRate * 100) + "%";
    case GateKind::Fairness:
        return std::string(measureName(g.measure)) + " across " + g.fairnessColumn +
               (isRatio(g.measure) ? " >= " : " <= ") + limitText(g.limit);
    }
    return {};
}

// The limit in the units the gate's description uses (slice drops in points, rates in percent).
std::string thresholdTextOf(const Gate& g, const GateResult& r) {
    if (!std::isfinite(r.threshold)) return "";
    const std::string sign = r.direction == "min" ? "≥ " : "≤ ";
    switch (g.kind) {
    case GateKind::Baseline:
        return (r.direction == "min" ? "Δ not significantly < " : "Δ not significantly > ") +
               limitText(r.threshold);
    case GateKind::Slices:
        return "drop ≤ " + (inPoints(g) ? limitText(g.maxDrop * 100) + " points" : limitText(g.maxDrop));
    case GateKind::Perturbation:
        return "≤ " + limitText(g.maxRate * 100) + "%";
    default:
        return sign + limitText(r.threshold);
    }
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

std::string intervalText(const std::optional<stats::Interval>& ci) {
    return ci ? " [" + num(ci->low) + ", " + num(ci->high) + "]" : std::string();
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
