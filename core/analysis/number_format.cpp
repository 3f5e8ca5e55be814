// Digits from uncertainty: the interval's half-width sets how many decimals an estimate shows.
#include "core/analysis/number_format.h"

#include "core/model/number_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace runlens {

namespace {

std::string fixed(double v, int decimals, bool percent) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, percent ? "%.*f%%" : "%.*f", decimals, percent ? v * 100.0 : v);
    return buffer;
}

} // namespace

int decimalsForInterval(double low, double high, bool percent) {
    const double scale = percent ? 100.0 : 1.0;
    const double half = (high - low) / 2.0 * scale;
    if (!std::isfinite(half)) return percent ? 1 : 4;
    if (half <= 0) return percent ? 1 : 4; // a degenerate interval says nothing about digits
    const int decimals = 1 - static_cast<int>(std::floor(std::log10(half)));
    return std::clamp(decimals, 0, 6);
}

std::string formatEstimate(double value, double low, double high, bool percent) {
    if (!std::isfinite(value)) return std::string(kReportNonFinite.nan);
    const int d = decimalsForInterval(low, high, percent);
    if (!std::isfinite(low) || !std::isfinite(high)) return fixed(value, d, percent);
    return fixed(value, d, percent) + " [" + fixed(low, d, percent) + ", " + fixed(high, d, percent) + "]";
}

std::string formatPValue(double p) {
    if (std::isnan(p)) return std::string(kReportNonFinite.nan);
    if (p < 1e-4) return "< 0.0001";
    const int decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(p))), 1, 5);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, p);
    return buffer;
}

} // namespace runlens
