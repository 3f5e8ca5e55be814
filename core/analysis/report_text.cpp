// printf-based formatting, locale-independent for the digits the sentences use.
#include "core/analysis/report_text.h"

#include <cstdio>

namespace runlens {

std::string formatNumber(double value, int digits) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    return buf;
}

std::string formatPercent(double share) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * share);
    return buf;
}

} // namespace runlens
