// printf-based formatting, locale-independent for the digits the sentences use.
#include "core/analysis/report_text.h"

#include "core/model/number_text.h"

#include <cstdio>

namespace runlens {

std::string formatNumber(double value, int digits) {
    return significantText(value, digits);
}

std::string formatPercent(double share) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * share);
    return buf;
}

} // namespace runlens
