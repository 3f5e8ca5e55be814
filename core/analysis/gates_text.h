// Release gates, the wording: how a gate, its limit and its numbers read in results and sentences, shared
// by the evaluation and its input checks in gates.cpp.
#pragma once

#include "core/analysis/gates.h"

#include <optional>
#include <string>
#include <string_view>

namespace runlens::gate_text {

// Three significant digits, "n/a" when not finite: the numbers of the sentences.
std::string num(double v);

// A limit as the gates file gives it (up to six digits).
std::string limitText(double v);

// num with a "+" on positive values: a difference.
std::string signedNum(double v);

// A slice drop in percentage points for proportions, else in the metric's units.
std::string dropText(const Gate& g, double drop);

// " [low, high]", empty without an interval.
std::string intervalText(const std::optional<stats::Interval>& ci);

std::string_view measureName(FairnessMeasure m);

bool isRatio(FairnessMeasure m);

// The gate as a one-line rule: "auc >= 0.8".
std::string describe(const Gate& g);

// The limit in the units the gate's description uses (slice drops in points, rates in percent).
std::string thresholdTextOf(const Gate& g, const GateResult& r);

} // namespace runlens::gate_text
