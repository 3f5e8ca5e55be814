// Release gates, the wording: descriptions, limits and numbers as results and sentences show them (split from
// gates.cpp, which evaluates the gates).
#include "core/analysis/gates_text.h"

#include "core/analysis/report_text.h"
#include "core/model/number_text.h"

#include <cmath>
#include <cstdio>

namespace runlens::gate_text {

namespace {

// Metrics that are proportions, whose differences read as percentage points.
bool inPoints(const Gate& g) {
    return !g.ece && g.sliceMetric != SliceMetric::LogLoss && g.sliceMetric != SliceMetric::Brier;
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

} // namespace

std::string num(double v) {
    return significantText(v, 3, kReportNonFinite);
}

std::string limitText(double v) {
    return formatNumber(v, 6);
}

std::string signedNum(double v) {
    return (std::isfinite(v) && v > 0 ? "+" : "") + num(v);
}

std::string dropText(const Gate& g, double drop) {
    if (!inPoints(g)) return num(drop);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f points", drop * 100);
    return buffer;
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

std::string intervalText(const std::optional<stats::Interval>& ci) {
    return ci ? " [" + num(ci->low) + ", " + num(ci->high) + "]" : std::string();
}

} // namespace runlens::gate_text
