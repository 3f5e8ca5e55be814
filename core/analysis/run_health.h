// A run's health at a glance: the diagnostics of curve_diagnostics turned into short badges for the run
// table.
#pragma once

#include "core/analysis/curve_diagnostics.h"
#include "core/model/series.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace runlens {

struct HealthBadge {
    enum class Kind { NonFinite, Diverging, Overfitting, Plateau, SeedSpread };
    Kind kind = Kind::NonFinite;
    std::string tag;       // the series it was found in; empty for the seed spread
    std::int64_t step = 0; // where it began (0 when it has no onset)
    std::string label;     // short, for a table cell: "NaN@1200", "diverging@1400", "overfit@800"
    std::string detail;    // one or two sentences for a tooltip
};

// Badges of one run from its series by tag (worker tags "<tag>/worker_<N>" are judged like their base tag):
//  - the earliest NaN/Inf after finite values (one badge, naming every tag affected);
//  - divergence of each loss- or accuracy-like tag (direction from the name, core/model/tag_names.h);
//  - overfitting for each train/validation pair of one metric ("train/loss" with "val/loss", "loss" with
//    "val_loss");
//  - a plateau of a training (or unmarked) loss-like tag over the last fifth of its steps.
// Series of a learning-curve log ("learning_curve/...": steps are training sizes) are not training curves and
// are only checked for NaN/Inf.
// Worst first: NaN, divergence, overfitting, plateau.
std::vector<HealthBadge> diagnoseRun(const std::map<std::string, SeriesData>& seriesByTag);

// The metric a run's final value is compared by for the seed spread: the first validation loss-like tag,
// else the first loss-like tag, else the first accuracy-like tag; empty when there is none.
std::string primaryMetric(const std::vector<std::string>& tags);

// For every run in a seed-only group of at least two runs with a final value: a SeedSpread badge with the
// group's std and range of `metric`, the noise floor its configuration shows. Keyed by index into runs.
std::map<std::size_t, HealthBadge> seedSpreadBadges(std::span<const RunOutcome> runs,
                                                    const std::string& metric);

} // namespace runlens
