// Runs each training diagnostic on the series whose names say what they measure, and words the findings.
#include "core/analysis/run_health.h"

#include "core/model/tag_names.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace runlens {
namespace {

// Trend badges compare changes with the series' own noise (noiseScale, sigma), so a noisy flat loss is not
// called diverging or overfitting. The smoothed curves (EMA 0.6 for a loss, 0.8 for validation) keep noise of
// sd sigma/2 and sigma/3; over a few thousand points their extremes reach about 3.7 of those sds, under
// 2 sigma. A rise or drop of 4 sigma measured from the smoothed minimum is therefore beyond what noise alone
// makes, while a real rise of 10 sigma is found well before its end.
constexpr double kTrendNoiseSigmas = 4.0;
// A plateau when the line fitted through the smoothed last fifth moves by less than one sigma: the loss did
// not move by more than its own noise. The fit's own error is about sigma * sqrt(12 / n) (n points in the
// window), a tenth of sigma for a few hundred points, so a flat noisy loss is reliably called a plateau and a
// loss still falling by several sigma over the window is not.
constexpr double kPlateauNoiseSigmas = 1.0;

std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::optional<HealthBadge> nonFiniteBadge(const std::map<std::string, SeriesData>& seriesByTag) {
    std::optional<HealthBadge> earliest;
    std::vector<std::string> affected;
    for (const auto& [tag, series] : seriesByTag) {
        const NonFiniteFinding f = findFirstNonFinite(series);
        if (!f.found) continue;
        affected.push_back(tag);
        if (earliest && earliest->step <= f.step) continue;
        HealthBadge badge;
        badge.kind = HealthBadge::Kind::NonFinite;
        badge.tag = tag;
        badge.step = f.step;
        badge.label = (std::isnan(f.value) ? "NaN@" : "Inf@") + std::to_string(f.step);
        badge.detail = tag + ": " + f.message;
        earliest = badge;
    }
    if (earliest && affected.size() > 1) {
        std::string list;
        for (const std::string& tag : affected)
            list += (list.empty() ? "" : ", ") + tag;
        earliest->detail += " Non-finite values also in: " + list + ".";
    }
    return earliest;
}

} // namespace

std::vector<HealthBadge> diagnoseRun(const std::map<std::string, SeriesData>& seriesByTag) {
    std::vector<HealthBadge> badges;
    if (auto badge = nonFiniteBadge(seriesByTag)) badges.push_back(std::move(*badge));

    std::vector<HealthBadge> diverging, overfitting, plateaus;
    for (const auto& [tag, series] : seriesByTag) {
        const std::string base = foldWorkerTag(tag);
        const std::optional<bool> lower = lowerIsBetter(base);
        if (!lower || series.size() < 10) continue;
        // A learning-curve log's steps are training sizes with one point per fold, not a training run.
        if (base.starts_with("learning_curve/")) continue;
        DivergenceOptions options;
        options.higherIsBetter = !*lower;
        options.noiseSigmas = kTrendNoiseSigmas;
        const DivergenceFinding d = detectDivergence(series, options);
        if (d.diverging)
            diverging.push_back({HealthBadge::Kind::Diverging, tag, d.onsetStep,
                                 "diverging@" + std::to_string(d.onsetStep), tag + ": " + d.message});
        const Split split = splitOf(base);
        if (*lower && (split == Split::Train || split == Split::Unmarked) && !d.diverging) {
            PlateauOptions plateau;
            plateau.noiseSigmas = kPlateauNoiseSigmas;
            const PlateauFinding p = detectPlateau(series, plateau);
            if (p.plateau)
                plateaus.push_back({HealthBadge::Kind::Plateau, tag, p.fromStep,
                                    "plateau@" + std::to_string(p.fromStep), tag + ": " + p.message});
        }
        if (split != Split::Validation) continue;
        // The training series of the same metric: "val/loss" pairs with "train/loss" or plain "loss".
        const std::string key = stripSplit(base);
        for (const auto& [trainTag, train] : seriesByTag) {
            const std::string trainBase = foldWorkerTag(trainTag);
            const Split trainSplit = splitOf(trainBase);
            if (trainTag == tag || stripSplit(trainBase) != key) continue;
            if (trainSplit != Split::Train && !(trainSplit == Split::Unmarked && trainBase == key)) continue;
            // Validation curves are noisy: judged on a smoothed curve and a 5% rise, so one lucky dip in
            // the validation loss is not called overfitting; both changes must also beat the curves' noise.
            OverfitOptions overfit;
            overfit.higherIsBetter = !*lower;
            overfit.valSmoothing = 0.8;
            overfit.minRise = 0.05;
            overfit.noiseSigmas = kTrendNoiseSigmas;
            const OverfitFinding o = detectOverfitting(train, series, overfit);
            if (o.overfitting)
                overfitting.push_back({HealthBadge::Kind::Overfitting, tag, o.onsetStep,
                                       "overfit@" + std::to_string(o.onsetStep),
                                       trainTag + " / " + tag + ": " + o.message});
            break;
        }
    }
    // One badge per kind keeps the cell short: the earliest onset, the others named in its detail.
    for (std::vector<HealthBadge>* kind : {&diverging, &overfitting, &plateaus}) {
        if (kind->empty()) continue;
        std::stable_sort(kind->begin(), kind->end(),
                         [](const HealthBadge& a, const HealthBadge& b) { return a.step < b.step; });
        HealthBadge first = kind->front();
        for (std::size_t i = 1; i < kind->size(); ++i)
            first.detail += " " + (*kind)[i].detail;
        badges.push_back(std::move(first));
    }
    return badges;
}

std::string primaryMetric(const std::vector<std::string>& tags) {
    const auto find = [&](auto predicate) -> std::string {
        for (const std::string& tag : tags)
            if (predicate(foldWorkerTag(tag))) return foldWorkerTag(tag);
        return {};
    };
    std::string metric = find([](const std::string& t) {
        return splitOf(t) == Split::Validation && lowerIsBetter(t) == std::optional<bool>(true);
    });
    if (metric.empty())
        metric = find([](const std::string& t) { return lowerIsBetter(t) == std::optional<bool>(true); });
    if (metric.empty())
        metric = find([](const std::string& t) { return lowerIsBetter(t) == std::optional<bool>(false); });
    return metric;
}

std::map<std::size_t, HealthBadge> seedSpreadBadges(std::span<const RunOutcome> runs,
                                                    const std::string& metric) {
    std::map<std::size_t, HealthBadge> out;
    // Only runs that record a seed: runs without params would otherwise all look like one seed group.
    std::vector<RunOutcome> seeded;
    std::vector<std::size_t> original;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const bool hasSeed = std::any_of(runs[i].params.begin(), runs[i].params.end(),
                                         [](const auto& param) { return isSeedKey(param.first); });
        if (!hasSeed) continue;
        seeded.push_back(runs[i]);
        original.push_back(i);
    }
    for (const SeedGroup& group : findSeedGroups(seeded)) {
        std::size_t finite = 0;
        for (const std::size_t i : group.members)
            finite += std::isfinite(seeded[i].finalValue) ? 1 : 0;
        if (finite < 2 || !std::isfinite(group.std)) continue;
        HealthBadge badge;
        badge.kind = HealthBadge::Kind::SeedSpread;
        badge.label = "±" + format("%.3g", group.std) + " (" + std::to_string(finite) + " seeds)";
        badge.detail = "Runs that differ only by seed: final " + metric + " spans " +
                       format("%.4g", group.min) + " to " + format("%.4g", group.max) + " (std " +
                       format("%.3g", group.std) +
                       "); differences smaller than this between such configurations are noise.";
        for (const std::size_t i : group.members)
            out[original[i]] = badge;
    }
    return out;
}

} // namespace runlens
