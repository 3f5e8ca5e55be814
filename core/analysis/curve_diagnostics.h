// Training diagnostics: NaN onset, divergence, plateau, overfitting onset, seed noise floor, speed.
#pragma once

#include "core/model/series.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// First NaN/Inf value of a series.
struct NonFiniteFinding {
    bool found = false;
    std::size_t index = 0;
    std::int64_t step = 0;
    double wallTime = kNaN;
    double value = kNaN;
    std::string message;
};
NonFiniteFinding findFirstNonFinite(const SeriesData& series);

// The sd of a series' point-to-point noise, estimated from the series itself so that trend badges can tell a
// change from noise: 1.4826 * median(|d - median(d)|) / sqrt(6) over the second differences d of consecutive
// finite values. Second differences cancel a linear trend (and nearly a smooth curve), the MAD ignores a few
// spikes, and the second difference of white noise of sd sigma has sd sqrt(6) sigma. 0 with fewer than 3
// second differences.
double noiseScale(std::span<const double> values);

// Divergence of a loss-like series (lower is better unless higherIsBetter). s = smoothEma(values, smoothing).
// With s_min the minimum of s at index m and scale = max(|s_min|, 0.01 * (max s - s_min)):
//  - sustained rise: the first j > m with s[j] > s_min + riseFraction * scale such that s stays above that
//    level for the next max(minWindow, windowFraction * n) points (or to the end, at least minWindow points);
//  - or the end gave back most of the progress: (s_end - s_min) / (s_first - s_min) > giveBackFraction.
// With noiseSigmas > 0 both must also beat the noise (sigma = noiseScale of the values): the rise level is
// s_min + max(riseFraction * scale, noiseSigmas * sigma), and the give-back counts only when both the
// progress and the rise from s_min exceed noiseSigmas * sigma (else it is the noise's own excursion from its
// minimum).
struct DivergenceOptions {
    double smoothing = 0.6;
    double riseFraction = 0.2;
    double windowFraction = 0.05;
    std::size_t minWindow = 5;
    double giveBackFraction = 0.5;
    double noiseSigmas = 0.0; // 0: judged on relative changes only
    bool higherIsBetter = false;
};
struct DivergenceFinding {
    bool diverging = false;
    std::size_t minIndex = 0, onsetIndex = 0;
    std::int64_t minStep = 0, onsetStep = 0;
    double minValue = kNaN, endValue = kNaN; // smoothed
    std::string message;
};
DivergenceFinding detectDivergence(const SeriesData& series, const DivergenceOptions& options = {});

// Plateau: over the points whose step is in the last lastFraction of the step range, the smoothed series'
// (max - min) / |mean| is below tolerance (at least 3 points needed). With noiseSigmas > 0 it is also a
// plateau when the least-squares line through those smoothed points changes by less than noiseSigmas * sigma
// across them (sigma = noiseScale of the values): a noisy flat loss whose wiggles exceed the tolerance.
struct PlateauOptions {
    double smoothing = 0.6;
    double lastFraction = 0.2;
    double tolerance = 0.01;
    double noiseSigmas = 0.0; // 0: the relative tolerance only
};
struct PlateauFinding {
    bool plateau = false;
    std::int64_t fromStep = 0;
    double relativeChange = kNaN;
    double trendChange = kNaN,
           noise = kNaN; // the fitted line's change over the window; sigma (noiseSigmas > 0)
    std::string message;
};
PlateauFinding detectPlateau(const SeriesData& series, const PlateauOptions& options = {});

// Overfitting onset from one run's train and validation series (lower is better unless higherIsBetter):
// onset = the step of the smoothed validation minimum, reported when validation ends at least minRise
// (relative) worse than that minimum while smoothed train at the end is at least minTrainDrop (relative)
// better than train at the onset step (last train point at or before it). With noiseSigmas > 0 the rise must
// also exceed noiseSigmas * noiseScale(val values) and the train drop noiseSigmas * noiseScale(train values).
struct OverfitOptions {
    double trainSmoothing = 0.6;
    double valSmoothing = 0.0;
    double minRise = 0.02;
    double minTrainDrop = 0.01;
    double noiseSigmas = 0.0; // 0: judged on relative changes only
    bool higherIsBetter = false;
};
struct OverfitFinding {
    bool overfitting = false;
    std::int64_t onsetStep = 0;
    double valAtOnset = kNaN, valAtEnd = kNaN, trainAtOnset = kNaN, trainAtEnd = kNaN;
    double gapAtOnset = kNaN, gapAtEnd = kNaN; // val - train
    std::string message;
};
OverfitFinding detectOverfitting(const SeriesData& train, const SeriesData& val,
                                 const OverfitOptions& options = {});

// Seed-only groups: runs whose params are equal once seed-like keys are removed; the spread of their final
// metric is the noise floor for comparing runs of that configuration.
bool isSeedKey(std::string_view key); // "seed", "*seed*", "random_state", "rng", "*_rng", "rng_*" (any case)
struct RunOutcome {
    std::string name;
    std::map<std::string, std::string> params;
    double finalValue = kNaN;
};
struct SeedGroup {
    std::map<std::string, std::string> sharedParams;        // params without seed keys
    std::vector<std::size_t> members;                       // indices into the input
    double mean = kNaN, std = kNaN, min = kNaN, max = kNaN; // over finite final values; std has ddof = 1
    std::string message;
};
// Groups of >= 2 runs, in order of their first member.
std::vector<SeedGroup> findSeedGroups(std::span<const RunOutcome> runs);

// Training speed from wall times: the median of per-interval rates (delta step / delta time over consecutive
// points with both increasing), so pauses and restarts do not distort it. An interval slower than a tenth of
// the median rate counts as a pause.
struct TrainingSpeed {
    bool ok = false;
    double stepsPerSecond = kNaN;
    std::optional<double> samplesPerSecond;
    std::size_t intervals = 0;
    std::size_t pauses = 0;
    double elapsedSeconds = kNaN; // last minus first finite wall time
    std::string message;
};
TrainingSpeed trainingSpeed(const SeriesData& series, std::optional<double> batchSize = {});

// The rate behind trainingSpeed as a curve: for each pair of consecutive points with finite wall times and
// both step and time increasing, perStep * delta step / delta time at the later point's step and time
// (perStep = 1: steps per second; the batch size: samples per second).
SeriesData throughputSeries(const SeriesData& series, double perStep = 1.0);
// batch_size, per_device_train_batch_size, train_batch_size, batchsize, bs (any case); a positive number.
std::optional<double> batchSizeFromParams(const std::map<std::string, std::string>& params);

} // namespace runlens
