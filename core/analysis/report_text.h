// Number formatting shared by the plain-language sentences of the analysis results.
#pragma once

#include <string>

namespace runlens {

// Significant digits for sentences: significantText (core/model/number_text.h) with the plain non-finite
// spelling: 0.000123 -> "0.000123", 1234567 -> "1.23e+06".
std::string formatNumber(double value, int digits = 3);
// A share as a percentage with one decimal: 0.1234 -> "12.3%".
std::string formatPercent(double share);

} // namespace runlens
