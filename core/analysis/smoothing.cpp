// Curve smoothers over full-resolution series; definitions are documented in smoothing.h.
#include "core/analysis/smoothing.h"

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

// Caps the Gaussian's cost: the kernel spans 3 sigma on each side, so at most 1,201 taps per point.
constexpr double kMaxGaussianSigma = 200.0;

// Weight outside [0, 1) or NaN would make the filters meaningless; 0.999 keeps them well defined.
double clampWeight(double weight) {
    if (!(weight > 0.0)) return 0.0;
    return std::min(weight, 0.999);
}

// TensorBoard leaves a series alone when all its finite values are equal (smoothing cannot change it).
bool finiteValuesAllEqual(std::span<const double> values) {
    bool seen = false;
    double first = 0.0;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        if (!seen) {
            first = v;
            seen = true;
        } else if (v != first) {
            return false;
        }
    }
    return true;
}

// Points per side of a window derived from the weight: w / (1 - w), so 0.5 -> 1, 0.9 -> 9, 0.99 -> 99.
double pointsForWeight(double weight) {
    return weight / (1.0 - weight);
}

double medianPositiveGap(std::span<const double> x, std::span<const double> values) {
    std::vector<double> gaps;
    double previous = 0.0;
    bool havePrevious = false;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i]) || !std::isfinite(x[i])) continue;
        if (havePrevious && x[i] > previous) gaps.push_back(x[i] - previous);
        previous = x[i];
        havePrevious = true;
    }
    if (gaps.empty()) return 0.0;
    auto middle = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
    std::nth_element(gaps.begin(), middle, gaps.end());
    return *middle;
}

} // namespace

bool parseSmoother(std::string_view text, Smoother& out) {
    if (text == "ema")
        out = Smoother::Ema;
    else if (text == "twema")
        out = Smoother::TimeWeightedEma;
    else if (text == "gaussian")
        out = Smoother::Gaussian;
    else if (text == "average")
        out = Smoother::RunningAverage;
    else
        return false;
    return true;
}

std::string_view smootherName(Smoother smoother) {
    switch (smoother) {
    case Smoother::Ema:
        return "ema";
    case Smoother::TimeWeightedEma:
        return "twema";
    case Smoother::Gaussian:
        return "gaussian";
    case Smoother::RunningAverage:
        return "average";
    }
    return "ema";
}

namespace {

// The EMA of an all-finite series as two interleaved recurrences (first and second half), so the CPU overlaps
// their multiply-add chains; the second half is then corrected by the first half's carry, w^(j+1) * last,
// which is exact algebra (results differ from the serial loop by rounding only, ~1 ulp).
void emaAllFinite(std::span<const double> values, double w, std::vector<double>& out) {
    const std::size_t n = values.size();
    const double a = 1.0 - w;
    const std::size_t half = n / 2;
    double lastA = 0.0, lastB = 0.0;
    for (std::size_t k = 0; k < half; ++k) {
        lastA = lastA * w + a * values[k];
        out[k] = lastA;
        lastB = lastB * w + a * values[half + k];
        out[half + k] = lastB;
    }
    if (n % 2) out[n - 1] = lastB * w + a * values[n - 1];
    // Stopping before the carry turns subnormal keeps the loop fast; below 1e-300 it no longer matters.
    double carry = lastA * w;
    for (std::size_t i = half; i < n && std::abs(carry) > 1e-300; ++i) {
        out[i] += carry;
        carry *= w;
    }
    // Debiasing divides by 1 - w^(i+1) until w^(i+1) is too small to change anything.
    double decay = w;
    for (std::size_t i = 0; i < n && decay > 1e-300; ++i) {
        out[i] /= 1.0 - decay;
        decay *= w;
    }
}

} // namespace

std::vector<double> smoothEma(std::span<const double> values, double weight) {
    const double w = clampWeight(weight);
    if (w == 0.0 || finiteValuesAllEqual(values)) return std::vector<double>(values.begin(), values.end());
    const bool allFinite =
        std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
    if (allFinite) {
        std::vector<double> out(values.size());
        emaAllFinite(values, w, out);
        return out;
    }
    std::vector<double> out(values.begin(), values.end());
    double last = 0.0;
    double decay = 1.0; // w^n, kept as a running product rather than pow() per point
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double y = values[i];
        if (!std::isfinite(y)) continue;
        last = last * w + (1.0 - w) * y;
        // Once w^n no longer changes 1 - w^n it is set to 0: w^n otherwise sticks at the smallest subnormal
        // (round-to-nearest), and subnormal multiplies made the whole pass ~20x slower.
        decay = decay < 1e-300 ? 0.0 : decay * w;
        out[i] = last / (1.0 - decay);
    }
    return out;
}

std::vector<double> smoothTimeWeightedEma(std::span<const double> x, std::span<const double> values,
                                          double weight) {
    std::vector<double> out(values.begin(), values.end());
    const double w = clampWeight(weight);
    if (w == 0.0 || x.size() != values.size() || finiteValuesAllEqual(values)) return out;
    const double gap = medianPositiveGap(x, values);
    if (gap <= 0.0) return smoothEma(values, weight);
    // Kernel average with weights w^((x_i - x_j) / gap) over earlier points j: evenly spaced points
    // reproduce the debiased EMA exactly, a pause makes older points count less.
    const double logW = std::log(w);
    double sum = 0.0;
    double norm = 0.0;
    double previousX = 0.0;
    bool started = false;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double y = values[i];
        if (!std::isfinite(y) || !std::isfinite(x[i])) continue;
        if (started) {
            const double decay = std::exp(logW * std::max(0.0, x[i] - previousX) / gap);
            sum *= decay;
            norm *= decay;
        }
        sum += (1.0 - w) * y;
        norm += 1.0 - w;
        previousX = x[i];
        started = true;
        out[i] = sum / norm;
    }
    return out;
}

std::vector<double> smoothGaussian(std::span<const double> values, double weight) {
    std::vector<double> out(values.begin(), values.end());
    const double w = clampWeight(weight);
    if (w == 0.0 || finiteValuesAllEqual(values)) return out;
    const double sigma = std::min(pointsForWeight(w), kMaxGaussianSigma);
    const auto radius = static_cast<std::ptrdiff_t>(std::ceil(3.0 * sigma));
    std::vector<double> kernel(static_cast<std::size_t>(radius) + 1);
    for (std::ptrdiff_t k = 0; k <= radius; ++k) {
        const double z = static_cast<double>(k) / sigma;
        kernel[static_cast<std::size_t>(k)] = std::exp(-0.5 * z * z);
    }
    const auto n = static_cast<std::ptrdiff_t>(values.size());
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        if (!std::isfinite(values[static_cast<std::size_t>(i)])) continue;
        double sum = 0.0;
        double norm = 0.0;
        const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, i - radius);
        const std::ptrdiff_t hi = std::min<std::ptrdiff_t>(n - 1, i + radius);
        for (std::ptrdiff_t j = lo; j <= hi; ++j) {
            const double v = values[static_cast<std::size_t>(j)];
            if (!std::isfinite(v)) continue;
            const double k = kernel[static_cast<std::size_t>(j > i ? j - i : i - j)];
            sum += k * v;
            norm += k;
        }
        out[static_cast<std::size_t>(i)] = sum / norm;
    }
    return out;
}

std::vector<double> smoothRunningAverage(std::span<const double> values, double weight) {
    std::vector<double> out(values.begin(), values.end());
    const double w = clampWeight(weight);
    const auto half = static_cast<std::ptrdiff_t>(std::llround(pointsForWeight(w)));
    if (half == 0 || finiteValuesAllEqual(values)) return out;
    // Prefix sums of finite values (long double so 10M-point series keep their precision).
    const auto n = static_cast<std::ptrdiff_t>(values.size());
    std::vector<long double> prefixSum(values.size() + 1, 0.0L);
    std::vector<std::ptrdiff_t> prefixCount(values.size() + 1, 0);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const double v = values[static_cast<std::size_t>(i)];
        const bool finite = std::isfinite(v);
        prefixSum[static_cast<std::size_t>(i) + 1] =
            prefixSum[static_cast<std::size_t>(i)] + (finite ? v : 0.0);
        prefixCount[static_cast<std::size_t>(i) + 1] =
            prefixCount[static_cast<std::size_t>(i)] + (finite ? 1 : 0);
    }
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        if (!std::isfinite(values[static_cast<std::size_t>(i)])) continue;
        const auto lo = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, i - half));
        const auto hi = static_cast<std::size_t>(std::min<std::ptrdiff_t>(n, i + half + 1));
        const auto count = prefixCount[hi] - prefixCount[lo];
        out[static_cast<std::size_t>(i)] = static_cast<double>((prefixSum[hi] - prefixSum[lo]) / count);
    }
    return out;
}

std::vector<double> smooth(Smoother smoother, std::span<const double> x, std::span<const double> values,
                           double weight) {
    switch (smoother) {
    case Smoother::Ema:
        return smoothEma(values, weight);
    case Smoother::TimeWeightedEma:
        return smoothTimeWeightedEma(x, values, weight);
    case Smoother::Gaussian:
        return smoothGaussian(values, weight);
    case Smoother::RunningAverage:
        return smoothRunningAverage(values, weight);
    }
    return {values.begin(), values.end()};
}

} // namespace runlens
