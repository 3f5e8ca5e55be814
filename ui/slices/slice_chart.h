// The Simpson chart: each cohort's metric per stratum (markers sized by the stratum's share) beside its
// overall value.
#pragma once

#include "core/analysis/slices.h"

#include <QChart>

namespace runlens::ui {

// A new chart (caller owns it): per-stratum points with 95% interval whiskers, marker area proportional to
// the stratum's share of the cohort, and a dashed line per cohort at its overall value, so a reversal is
// visible.
QChart* buildSliceChart(const SliceReport& report);

} // namespace runlens::ui
