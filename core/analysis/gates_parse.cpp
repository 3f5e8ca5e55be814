// Release gates, the reading: the gates file parsed with yaml-cpp into Gate values, each mistake a one-line
// error naming the gate and the key (split from gates.cpp, which evaluates the gates on the logs).
#include "core/analysis/gates.h"
#include "core/analysis/report_text.h"

#include <cmath>
#include <set>
#include <yaml-cpp/yaml.h>

namespace runlens {

namespace {

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

} // namespace runlens
