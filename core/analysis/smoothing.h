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
std::string_view smootherName(Smoother smoother);

// TensorBoard's smoothing: weight in [0, 1); for each finite y: last = last*w + (1-w)*y, n += 1,
// out = last / (1 - w^n); a non-finite y is output unchanged and does not update last or n;
// a constant (finite) series is returned unchanged.
std::vector<double> smoothEma(std::span<const double> values, double weight);

// EMA whose decay follows elapsed x (wall time or step) rather than point count. weight is the decay per
// median x-gap, so evenly spaced points give the same result as smoothEma. x must be non-decreasing.
std::vector<double> smoothTimeWeightedEma(std::span<const double> x, std::span<const double> values, double weight);

// Gaussian kernel over neighbouring points; the window (sigma in points) grows with weight.
std::vector<double> smoothGaussian(std::span<const double> values, double weight);

// Centred running average; the window grows with weight (weight 0 returns the input).
std::vector<double> smoothRunningAverage(std::span<const double> values, double weight);

// Dispatches on the smoother; x is used by the time-weighted EMA only.
std::vector<double> smooth(Smoother smoother, std::span<const double> x, std::span<const double> values, double weight);

} // namespace runlens
