// Round ticks for chart axes: nice linear steps, decades and compact step counts (see axis_ticks.h).
#include "core/analysis/axis_ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace runlens {

double niceTickStep(double span, int targetTicks) {
    const double raw = span / std::max(targetTicks, 1);
    if (!(raw > 0) || !std::isfinite(raw)) return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    // 1e-9 relative slack: a raw step of 0.2 computed as 0.2000000001 must stay 0.2, not jump to 0.25.
    for (const double factor : {1.0, 2.0, 2.5, 5.0})
        if (factor * magnitude >= raw * (1 - 1e-9)) return factor * magnitude;
    return 10 * magnitude;
}

std::vector<double> niceTicks(double lo, double hi, int targetTicks) {
    std::vector<double> ticks;
    if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return ticks;
    const double step = niceTickStep(hi - lo, targetTicks);
    const double slack = step * 1e-9;
    // Counting multiples from an integer index (not by repeated addition) keeps 0.1 * 3 from drifting.
    for (double k = std::ceil((lo - slack) / step); k * step <= hi + slack && ticks.size() < 1000; ++k) {
        const double value = k * step;
        ticks.push_back(std::abs(value) < slack ? 0.0 : value);
    }
    return ticks;
}

int tickTargetFor(double pixels, double minSpacing) {
    if (!(pixels > 0) || !(minSpacing > 0)) return 5;
    return std::clamp(static_cast<int>(pixels / minSpacing), 2, 10);
}

std::pair<double, double> decadeRange(double lo, double hi) {
    if (!(lo > 0) || !(hi > 0) || !std::isfinite(lo) || !std::isfinite(hi)) return {0.1, 1};
    if (hi < lo) std::swap(lo, hi);
    // 1e-9 slack: log10(0.001) is -2.9999999999999996, which must still count as the decade 0.001.
    double first = std::floor(std::log10(lo) + 1e-9);
    double last = std::ceil(std::log10(hi) - 1e-9);
    if (last <= first) last = first + 1;
    return {std::pow(10.0, first), std::pow(10.0, last)};
}

std::vector<double> decadeTicks(double lo, double hi) {
    std::vector<double> ticks;
    if (!(lo > 0) || !(hi > 0) || hi < lo) return ticks;
    for (double e = std::ceil(std::log10(lo) - 1e-9); e <= std::floor(std::log10(hi) + 1e-9); ++e)
        ticks.push_back(std::pow(10.0, e));
    return ticks;
}

int tickDecimals(double step) {
    if (!(step > 0) || !std::isfinite(step)) return 0;
    int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 12);
    // Steps of 2.5 x 10^k need one decimal more than their power of ten (0.25, 0.025).
    const double scaled = step * std::pow(10.0, decimals);
    if (std::abs(scaled - std::round(scaled)) > 1e-6) decimals = std::min(decimals + 1, 12);
    return decimals;
}

std::string plainTickLabel(double value, double step) {
    if (!std::isfinite(value)) return value != value ? "nan" : (value > 0 ? "inf" : "-inf");
    const int decimals = tickDecimals(step);
    if (std::abs(value) < 0.5 * std::pow(10.0, -decimals)) value = 0; // no "-0.00"
    char buffer[400];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string compactCount(double value) {
    if (!std::isfinite(value)) return value != value ? "nan" : (value > 0 ? "inf" : "-inf");
    const double magnitude = std::abs(value);
    char buffer[400]; // "%.0f" of 1e308 has 309 digits
    if (magnitude < 10000) {
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
        return buffer;
    }
    struct Unit {
        double size;
        const char* suffix;
    };
    static constexpr Unit units[] = {{1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
    for (const Unit& unit : units) {
        if (magnitude < unit.size) continue;
        // Two decimals at most, trailing zeros dropped: 1.25M, 1.5M, 2M, 250k.
        std::snprintf(buffer, sizeof buffer, "%.2f", value / unit.size);
        std::string text = buffer;
        while (text.back() == '0')
            text.pop_back();
        if (text.back() == '.') text.pop_back();
        return text + unit.suffix;
    }
    return "0";
}

} // namespace runlens
