// Coverage of logged prediction intervals: share of labels inside, Wilson interval, widths and a verdict.
#include "core/analysis/interval_coverage.h"

#include "core/analysis/report_text.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace runlens {

namespace {} // namespace

std::string_view coverageVerdictName(CoverageVerdict verdict) {
    switch (verdict) {
    case CoverageVerdict::NoData:
        return "no data";
    case CoverageVerdict::Consistent:
        return "consistent";
    case CoverageVerdict::UnderCovers:
        return "under-covers";
    case CoverageVerdict::OverCovers:
        return "over-covers";
    }
    return "";
}

IntervalCoverage intervalCoverage(std::span<const double> labels, std::span<const double> lower,
                                  std::span<const double> upper, double nominal, std::string name,
                                  double alpha) {
    IntervalCoverage c;
    c.name = name.empty() ? "interval" : std::move(name);
    c.nominal = nominal;
    const std::size_t rows = std::min<std::size_t>({labels.size(), lower.size(), upper.size()});
    c.skipped = std::int64_t(std::max<std::size_t>({labels.size(), lower.size(), upper.size()}) - rows);
    std::vector<double> widths;
    widths.reserve(rows);
    double widthSum = 0;
    for (std::size_t i = 0; i < rows; ++i) {
        const double y = labels[i], lo = lower[i], hi = upper[i];
        if (!std::isfinite(y) || !std::isfinite(lo) || !std::isfinite(hi)) {
            ++c.skipped;
            continue;
        }
        if (lo > hi) {
            ++c.crossed;
            continue;
        }
        ++c.n;
        if (y < lo)
            ++c.below;
        else if (y > hi)
            ++c.above;
        else
            ++c.inside;
        widths.push_back(hi - lo);
        widthSum += hi - lo;
    }
    if (c.n == 0) {
        c.sentence = "No row has a label and an ordered " + c.name + " interval to score.";
        return c;
    }
    c.coverage = double(c.inside) / double(c.n);
    c.coverageCi = stats::wilson(c.inside, c.n, alpha);
    c.meanWidth = widthSum / double(c.n);
    c.medianWidth = stats::median(std::move(widths));
    if (c.coverageCi.high < nominal)
        c.verdict = CoverageVerdict::UnderCovers;
    else if (c.coverageCi.low > nominal)
        c.verdict = CoverageVerdict::OverCovers;
    else
        c.verdict = CoverageVerdict::Consistent;
    const std::string level = formatNumber(100.0 * (1.0 - alpha)) + "%";
    c.sentence = "The " + formatPercent(nominal) + " " + c.name + " interval holds " +
                 formatPercent(c.coverage) + " of the labels (" + level + " CI " +
                 formatPercent(c.coverageCi.low) + " to " + formatPercent(c.coverageCi.high) +
                 ", n = " + std::to_string(c.n) + "): ";
    switch (c.verdict) {
    case CoverageVerdict::UnderCovers:
        c.sentence += "it under-covers, the intervals are too narrow";
        break;
    case CoverageVerdict::OverCovers:
        c.sentence += "it over-covers, the intervals are wider than needed";
        break;
    default:
        c.sentence += "consistent with its nominal level";
        break;
    }
    c.sentence += "; mean width " + formatNumber(c.meanWidth) + ", " +
                  formatPercent(double(c.below) / double(c.n)) + " fall below and " +
                  formatPercent(double(c.above) / double(c.n)) + " above.";
    if (c.crossed > 0)
        c.sentence += " " + std::to_string(c.crossed) + " row(s) have the lower bound above the upper one.";
    return c;
}

} // namespace runlens
