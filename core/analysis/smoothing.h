// Curve smoothers: TensorBoard's debiased EMA (exact), time-weighted EMA, Gaussian and running average.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace runlens {

enum class Smoother { Ema, TimeWeightedEma, Gaussian, RunningAverage };

// Parses "ema", "twema", "gaussian", "average"; false when unknown.
bool parseSmoother(std::string_view text, Smoother& out);
std::string_view smootherName(Smoother smoother); // the same words parseSmoother accepts

// TensorBoard's smoothing: weight in [0, 1) (<= 0 or NaN: off; >= 1 clamped to 0.999); for each finite y:
// last = last*w + (1-w)*y, n += 1, out = last / (1 - w^n); a non-finite y is output unchanged and does not
// update last or n; a constant (finite) series is returned unchanged.
std::vector<double> smoothEma(std::span<const double> values, double weight);

// EMA whose decay follows elapsed x (wall time or step) rather than point count. weight is the decay per
// median x-gap, so evenly spaced points give the same result as smoothEma. x must be non-decreasing.
// Exactly: g = median of the positive gaps between consecutive usable points (finite x and y);
// out_i = sum_{j<=i} w^((x_i - x_j)/g) y_j / sum_{j<=i} w^((x_i - x_j)/g) over usable j. Unusable points are
// output as is; with no positive gap it falls back to smoothEma. Weight is clamped to [0, 0.999].
std::vector<double> smoothTimeWeightedEma(std::span<const double> x, std::span<const double> values,
                                          double weight);

// Gaussian kernel over neighbouring points; the window (sigma in points) grows with weight.
// Exactly: sigma = w / (1 - w) points (capped at 200), taps k = -ceil(3 sigma)..ceil(3 sigma) with weight
// exp(-k^2 / (2 sigma^2)), normalised over the finite neighbours that exist (edges renormalise).
// Non-finite values are output as is and excluded from their neighbours' averages.
std::vector<double> smoothGaussian(std::span<const double> values, double weight);

// Centred running average; the window grows with weight (weight 0 returns the input).
// Exactly: h = round(w / (1 - w)) points per side (0.5 -> 1, 0.9 -> 9), out_i = mean of the finite values
// in [i - h, i + h] clipped to the series; non-finite values are output as is.
std::vector<double> smoothRunningAverage(std::span<const double> values, double weight);

// Dispatches on the smoother; x is used by the time-weighted EMA only.
std::vector<double> smooth(Smoother smoother, std::span<const double> x, std::span<const double> values,
                           double weight);

} // namespace runlens
