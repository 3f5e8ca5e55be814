// Fits and applies recalibration maps; each one can write its parameters as JSON.
#include "core/analysis/recalibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <Eigen/Dense>
#include <numeric>
#include <random>

namespace runlens {

namespace {

std::string jsonNumber(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string jsonArray(const std::vector<double>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        out += jsonNumber(values[i]);
    }
    return out + "]";
}

// log(1 + e^z) without overflow.
double softplus(double z) {
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

double plattLoss(const std::vector<double>& f, const std::vector<double>& t, double a, double b) {
    double loss = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
        const double z = a * f[i] + b;
        loss += softplus(z) - (1.0 - t[i]) * z; // -[t log p + (1-t) log(1-p)] with p = 1/(1+e^z)
    }
    return loss;
}

// Row-wise log-sum-exp of u*z and the softmax mean/variance of z, for the temperature objective.
struct TemperatureTerms {
    double value = 0, slope = 0, curvature = 0;
};

TemperatureTerms temperatureTerms(std::span<const double> z, std::span<const int> labels, std::size_t k,
                                  double u) {
    TemperatureTerms t;
    const std::size_t n = labels.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = z.subspan(i * k, k);
        const double top = *std::max_element(row.begin(), row.end()) * u;
        double sum = 0, mean = 0, second = 0;
        for (double v : row) {
            const double e = std::exp(u * v - top);
            sum += e;
            mean += e * v;
            second += e * v * v;
        }
        mean /= sum;
        second /= sum;
        const double zy = row[std::size_t(labels[i])];
        t.value += top + std::log(sum) - u * zy;
        t.slope += mean - zy;
        t.curvature += std::max(second - mean * mean, 0.0);
    }
    return t;
}

} // namespace

double clippedLogit(double score) {
    const double p = std::clamp(score, kRecalibrationClip, 1.0 - kRecalibrationClip);
    return std::log(p / (1.0 - p));
}

double PlattFit::apply(double score) const {
    return 1.0 / (1.0 + std::exp(a * clippedLogit(score) + b));
}

std::vector<double> PlattFit::apply(std::span<const double> scores) const {
    std::vector<double> out(scores.size());
    std::transform(scores.begin(), scores.end(), out.begin(), [this](double s) { return apply(s); });
    return out;
}

std::string PlattFit::toJson() const {
    return "{\"method\":\"platt\",\"a\":" + jsonNumber(a) + ",\"b\":" + jsonNumber(b) + "}";
}

PlattFit fitPlatt(std::span<const int> labels, std::span<const double> scores) {
    const std::size_t n = std::min(labels.size(), scores.size());
    PlattFit fit;
    if (n == 0) return fit;
    const double positives = double(std::count(labels.begin(), labels.begin() + std::ptrdiff_t(n), 1));
    const double negatives = double(n) - positives;
    const double hi = (positives + 1.0) / (positives + 2.0), lo = 1.0 / (negatives + 2.0);
    std::vector<double> f(n), t(n);
    for (std::size_t i = 0; i < n; ++i) {
        f[i] = clippedLogit(scores[i]);
        t[i] = labels[i] == 1 ? hi : lo;
    }
    fit.b = std::log((negatives + 1.0) / (positives + 1.0)); // Platt's starting point
    double loss = plattLoss(f, t, fit.a, fit.b);
    for (fit.iterations = 1; fit.iterations <= 200; ++fit.iterations) {
        Eigen::Vector2d g = Eigen::Vector2d::Zero();
        Eigen::Matrix2d h = Eigen::Matrix2d::Zero();
        for (std::size_t i = 0; i < n; ++i) {
            const double p = 1.0 / (1.0 + std::exp(fit.a * f[i] + fit.b));
            const double w = p * (1.0 - p);
            const double r = t[i] - p;
            g += Eigen::Vector2d(r * f[i], r);
            h(0, 0) += w * f[i] * f[i];
            h(0, 1) += w * f[i];
            h(1, 1) += w;
        }
        h(1, 0) = h(0, 1);
        h.diagonal().array() += 1e-12; // keeps the solve defined when every logit is equal
        const Eigen::Vector2d step = h.ldlt().solve(g);
        // Backtracking keeps each Newton step a descent step far from the optimum.
        double scale = 1.0, next = loss;
        for (int k = 0; k < 60; ++k, scale *= 0.5) {
            next = plattLoss(f, t, fit.a - scale * step(0), fit.b - scale * step(1));
            if (next <= loss + 1e-12 * std::fabs(loss)) break;
        }
        fit.a -= scale * step(0);
        fit.b -= scale * step(1);
        const bool small = std::fabs(scale * step(0)) < 1e-13 * (1 + std::fabs(fit.a)) &&
                           std::fabs(scale * step(1)) < 1e-13 * (1 + std::fabs(fit.b));
        loss = next;
        if (small || g.norm() < 1e-13 * double(n)) {
            fit.converged = true;
            break;
        }
    }
    return fit;
}

double IsotonicFit::apply(double score) const {
    if (x.empty()) return std::nan("");
    if (x.size() == 1) return y.front();
    const double v = std::clamp(score, x.front(), x.back());
    if (v >= x.back()) return y.back();
    const std::size_t j = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), v) - x.begin()) - 1;
    const double slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]); // numpy.interp's formula
    return slope * (v - x[j]) + y[j];
}

std::vector<double> IsotonicFit::apply(std::span<const double> scores) const {
    std::vector<double> out(scores.size());
    std::transform(scores.begin(), scores.end(), out.begin(), [this](double s) { return apply(s); });
    return out;
}

std::string IsotonicFit::toJson() const {
    return "{\"method\":\"isotonic\",\"x\":" + jsonArray(x) + ",\"y\":" + jsonArray(y) + "}";
}

IsotonicFit fitIsotonic(std::span<const double> scores, std::span<const double> targets) {
    const std::size_t n = std::min(scores.size(), targets.size());
    IsotonicFit fit;
    if (n == 0) return fit;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) {
        return scores[l] != scores[r] ? scores[l] < scores[r] : targets[l] < targets[r];
    });
    // Average the targets of equal scores (scikit-learn merges scores closer than float64 resolution, 1e-15).
    struct Block {
        double x, sumWy, sumW;
        std::size_t firstPoint, lastPoint;
    };
    std::vector<double> ux, uy, uw;
    for (std::size_t idx : order) {
        const double s = scores[idx];
        if (ux.empty() || s - ux.back() >= 1e-15) {
            ux.push_back(s);
            uy.push_back(0.0);
            uw.push_back(0.0);
        }
        uy.back() += targets[idx];
        uw.back() += 1.0;
    }
    // Pool adjacent violators; equal neighbours are pooled too, so block values strictly increase.
    std::vector<Block> blocks;
    for (std::size_t i = 0; i < ux.size(); ++i) {
        blocks.push_back({ux[i], uy[i], uw[i], i, i});
        while (blocks.size() > 1) {
            auto& prev = blocks[blocks.size() - 2];
            const auto& last = blocks.back();
            if (prev.sumWy / prev.sumW < last.sumWy / last.sumW) break;
            prev.sumWy += last.sumWy;
            prev.sumW += last.sumW;
            prev.lastPoint = last.lastPoint;
            blocks.pop_back();
        }
    }
    // Keep the first and last point of each block: interpolation between them is the same step function.
    for (const auto& b : blocks) {
        const double value = b.sumWy / b.sumW;
        fit.x.push_back(ux[b.firstPoint]);
        fit.y.push_back(value);
        if (b.lastPoint != b.firstPoint) {
            fit.x.push_back(ux[b.lastPoint]);
            fit.y.push_back(value);
        }
    }
    return fit;
}

IsotonicFit fitIsotonic(std::span<const int> labels, std::span<const double> scores) {
    std::vector<double> targets(labels.size());
    std::transform(labels.begin(), labels.end(), targets.begin(), [](int l) { return l == 1 ? 1.0 : 0.0; });
    return fitIsotonic(scores, targets);
}

std::vector<double> TemperatureFit::apply(std::span<const double> values, std::size_t k) const {
    std::vector<double> out(values.size());
    if (k == 0) return out;
    for (std::size_t i = 0; i + k <= values.size(); i += k) {
        double top = -HUGE_VAL;
        for (std::size_t c = 0; c < k; ++c) {
            const double z =
                inputsAreLogits ? values[i + c] : std::log(std::max(values[i + c], kRecalibrationClip));
            out[i + c] = z / temperature;
            top = std::max(top, out[i + c]);
        }
        double sum = 0;
        for (std::size_t c = 0; c < k; ++c)
            sum += (out[i + c] = std::exp(out[i + c] - top));
        for (std::size_t c = 0; c < k; ++c)
            out[i + c] /= sum;
    }
    return out;
}

std::string TemperatureFit::toJson() const {
    return "{\"method\":\"temperature\",\"temperature\":" + jsonNumber(temperature) + "}";
}

TemperatureFit fitTemperature(std::span<const int> labels, std::span<const double> values, std::size_t k,
                              bool inputsAreLogits) {
    TemperatureFit fit;
    fit.inputsAreLogits = inputsAreLogits;
    if (k == 0) return fit;
    const std::size_t n = std::min(labels.size(), values.size() / k);
    if (n == 0) return fit;
    std::vector<double> z(n * k);
    for (std::size_t i = 0; i < n * k; ++i)
        z[i] = inputsAreLogits ? values[i] : std::log(std::max(values[i], kRecalibrationClip));
    const auto rows = labels.first(n);
    // The NLL is convex in u = 1/T (log-sum-exp of u z minus u z_y), so a bracketed Newton search on its
    // slope finds the global minimum.
    double lo = std::exp(-5.0), hi = std::exp(5.0), u = 1.0;
    if (temperatureTerms(z, rows, k, lo).slope >= 0)
        u = lo;
    else if (temperatureTerms(z, rows, k, hi).slope <= 0)
        u = hi;
    else {
        for (fit.iterations = 1; fit.iterations <= 200; ++fit.iterations) {
            const auto t = temperatureTerms(z, rows, k, u);
            if (t.slope > 0)
                hi = u;
            else
                lo = u;
            double next = t.curvature > 0 ? u - t.slope / t.curvature : 0.5 * (lo + hi);
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            const bool done = std::fabs(next - u) <= 1e-15 * u || hi - lo <= 1e-15 * u;
            u = next;
            if (done) break;
        }
    }
    fit.temperature = 1.0 / u;
    return fit;
}

namespace {

// Own Fisher-Yates: std::shuffle's draws differ between standard libraries, mt19937_64's do not.
std::vector<std::size_t> shuffledRows(std::size_t rows, std::uint64_t seed) {
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    for (std::size_t i = rows; i > 1; --i)
        std::swap(order[i - 1], order[rng() % i]);
    return order;
}

template <typename T>
std::vector<T> gatherRows(std::span<const T> values, std::span<const std::size_t> rows, std::size_t width) {
    std::vector<T> out;
    out.reserve(rows.size() * width);
    for (const std::size_t r : rows)
        out.insert(out.end(), values.begin() + static_cast<std::ptrdiff_t>(r * width),
                   values.begin() + static_cast<std::ptrdiff_t>((r + 1) * width));
    return out;
}

// [1 - s, s] per score, so binary scores can be temperature-scaled as two classes.
std::vector<double> twoColumns(std::span<const double> scores) {
    std::vector<double> probs;
    probs.reserve(scores.size() * 2);
    for (const double s : scores) {
        probs.push_back(1.0 - s);
        probs.push_back(s);
    }
    return probs;
}

template <typename Fit>
std::vector<double> applied(const Fit& fit, std::span<const double> values, std::string* mappingJson) {
    if (mappingJson) *mappingJson = fit.toJson();
    return fit.apply(values);
}

} // namespace

std::vector<double> fitAndApplyRecalibration(RecalibrationMethod method, std::span<const int> trainLabels,
                                             std::span<const double> trainValues,
                                             std::span<const double> applyValues, std::size_t classes,
                                             std::string* mappingJson) {
    if (classes > 0) {
        const auto fit = fitTemperature(trainLabels, trainValues, classes);
        if (mappingJson) *mappingJson = fit.toJson();
        return fit.apply(applyValues, classes);
    }
    if (method == RecalibrationMethod::Platt)
        return applied(fitPlatt(trainLabels, trainValues), applyValues, mappingJson);
    if (method == RecalibrationMethod::Isotonic)
        return applied(fitIsotonic(trainLabels, trainValues), applyValues, mappingJson);
    const auto fit = fitTemperature(trainLabels, twoColumns(trainValues), 2);
    if (mappingJson) *mappingJson = fit.toJson();
    const auto probs = fit.apply(twoColumns(applyValues), 2);
    std::vector<double> scores;
    scores.reserve(applyValues.size());
    for (std::size_t i = 1; i < probs.size(); i += 2)
        scores.push_back(probs[i]);
    return scores;
}

std::vector<int> foldAssignment(std::size_t rows, int folds, std::uint64_t seed) {
    folds = std::max(folds, 1);
    const auto order = shuffledRows(rows, seed);
    std::vector<int> fold(rows);
    for (std::size_t pos = 0; pos < rows; ++pos)
        fold[order[pos]] = static_cast<int>(pos % std::size_t(folds));
    return fold;
}

HoldOutSplit holdOutSplit(std::size_t rows, double fraction, std::uint64_t seed) {
    HoldOutSplit out;
    if (rows < 2) return out;
    const auto order = shuffledRows(rows, seed);
    const auto fitRows =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(fraction * double(rows))), 1, rows - 1);
    out.fit.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(fitRows));
    out.held.assign(order.begin() + static_cast<std::ptrdiff_t>(fitRows), order.end());
    return out;
}

std::vector<double> crossFittedValues(std::span<const int> labels, std::span<const double> values,
                                      std::size_t classes, RecalibrationMethod method, int folds,
                                      std::uint64_t seed) {
    const std::size_t width = std::max<std::size_t>(classes, 1);
    const std::size_t n = std::min(labels.size(), values.size() / width);
    folds = std::clamp(folds, 2, std::max(2, int(n)));
    const auto fold = foldAssignment(n, folds, seed);
    std::vector<double> out(n * width, std::nan(""));
    for (int f = 0; f < folds; ++f) {
        std::vector<std::size_t> train, test;
        for (std::size_t r = 0; r < n; ++r)
            (fold[r] == f ? test : train).push_back(r);
        if (test.empty() || train.empty()) continue;
        const auto mapped =
            fitAndApplyRecalibration(method, gatherRows(labels, train, 1), gatherRows(values, train, width),
                                     gatherRows(values, test, width), classes);
        for (std::size_t i = 0; i < test.size(); ++i)
            std::copy_n(mapped.begin() + static_cast<std::ptrdiff_t>(i * width), width,
                        out.begin() + static_cast<std::ptrdiff_t>(test[i] * width));
    }
    return out;
}

std::vector<double> crossFittedScores(std::span<const int> labels, std::span<const double> scores,
                                      RecalibrationMethod method, int folds, std::uint64_t seed) {
    return crossFittedValues(labels, scores, 0, method, folds, seed);
}

RecalibrationPreview previewRecalibration(std::span<const int> labels, std::span<const double> values,
                                          std::size_t classes, const RecalibrationPreviewOptions& options) {
    RecalibrationPreview out;
    const std::size_t width = std::max<std::size_t>(classes, 1);
    const std::size_t n = std::min(labels.size(), values.size() / width);
    if (n < 2) return out;
    if (!options.crossFit) {
        const auto split = holdOutSplit(n, options.fraction, options.seed);
        out.labels = gatherRows(labels, split.held, 1);
        out.before = gatherRows(values, split.held, width);
        out.after = fitAndApplyRecalibration(options.method, gatherRows(labels, split.fit, 1),
                                             gatherRows(values, split.fit, width), out.before, classes,
                                             &out.mappingJson);
        out.fitted = split.fit.size();
        return out;
    }
    out.labels.assign(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(n));
    out.before.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n * width));
    out.after =
        crossFittedValues(out.labels, out.before, classes, options.method, options.folds, options.seed);
    // The mapping to deploy is fitted on every row; the preview shows out-of-fold predictions.
    fitAndApplyRecalibration(options.method, out.labels, out.before, {}, classes, &out.mappingJson);
    out.fitted = n;
    return out;
}

} // namespace runlens
