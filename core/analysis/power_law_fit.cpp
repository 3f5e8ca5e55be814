// Power-law learning-curve fit by Levenberg-Marquardt (Eigen unsupported) with prediction intervals.
#include "core/analysis/power_law_fit.h"

#include "core/analysis/group_bands.h"

#include <algorithm>
#include <cmath>
#include <Eigen/Dense>
#include <limits>
#include <random>
#include <set>
#include <unsupported/Eigen/NonLinearOptimization>

namespace runlens {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Residuals f_i = a' * exp(b * log u_i) + c - y_i over p = (a', b, c), with the analytic Jacobian.
struct PowerLawFunctor {
    using Scalar = double;
    using InputType = Eigen::VectorXd;
    using ValueType = Eigen::VectorXd;
    using JacobianType = Eigen::MatrixXd;
    enum { InputsAtCompileTime = Eigen::Dynamic, ValuesAtCompileTime = Eigen::Dynamic };

    const std::vector<double>& logU;
    const std::vector<double>& y;

    int inputs() const { return 3; }
    int values() const { return static_cast<int>(y.size()); }

    int operator()(const Eigen::VectorXd& p, Eigen::VectorXd& f) const {
        for (std::size_t i = 0; i < y.size(); ++i)
            f[static_cast<Eigen::Index>(i)] = p[0] * std::exp(p[1] * logU[i]) + p[2] - y[i];
        return 0;
    }
    int df(const Eigen::VectorXd& p, Eigen::MatrixXd& jac) const {
        for (std::size_t i = 0; i < y.size(); ++i) {
            const auto r = static_cast<Eigen::Index>(i);
            const double power = std::exp(p[1] * logU[i]);
            jac(r, 0) = power;
            jac(r, 1) = p[0] * power * logU[i];
            jac(r, 2) = 1.0;
        }
        return 0;
    }
};

double sumOfSquares(const PowerLawFunctor& f, const Eigen::VectorXd& p) {
    Eigen::VectorXd r(f.values());
    f(p, r);
    return r.squaredNorm();
}

// Least-squares line z = intercept + slope * t.
bool fitLine(const std::vector<double>& t, const std::vector<double>& z, double& slope, double& intercept) {
    const double n = static_cast<double>(t.size());
    double mt = 0, mz = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        mt += t[i];
        mz += z[i];
    }
    mt /= n;
    mz /= n;
    double stt = 0, stz = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        stt += (t[i] - mt) * (t[i] - mt);
        stz += (t[i] - mt) * (z[i] - mz);
    }
    if (!(stt > 0)) return false;
    slope = stz / stt;
    intercept = mz - slope * mt;
    return std::isfinite(slope) && std::isfinite(intercept);
}

// Start values from a log-log line through |y - c0| with c0 just beyond the best observed value.
std::vector<Eigen::Vector3d> startValues(const std::vector<double>& logU, const std::vector<double>& y) {
    const auto [mnIt, mxIt] = std::minmax_element(y.begin(), y.end());
    const double mn = *mnIt, mx = *mxIt, range = mx - mn;
    std::vector<Eigen::Vector3d> starts;
    std::vector<double> z(y.size());
    for (int direction : {+1, -1}) {
        std::vector<double> offsets{0.01, 0.05, 0.2, 1.0};
        for (double k : offsets) {
            // direction +1: values above the asymptote (falling error); -1: below it (rising score).
            const double c0 = direction > 0 ? mn - k * range : mx + k * range;
            for (std::size_t i = 0; i < y.size(); ++i)
                z[i] = std::log(direction * (y[i] - c0));
            double slope = 0, intercept = 0;
            if (!fitLine(logU, z, slope, intercept)) continue;
            starts.emplace_back(direction * std::exp(intercept), slope, c0);
        }
        if (direction > 0 && mn > 0) starts.emplace_back(mx, -0.5, 0.0); // asymptote at zero
    }
    return starts;
}

PowerLawFit failure(std::string why) {
    PowerLawFit fit;
    fit.error = std::move(why);
    return fit;
}

void fillCovariance(PowerLawFit& fit, const PowerLawFunctor& functor, const Eigen::Vector3d& p) {
    Eigen::MatrixXd jac(functor.values(), 3);
    functor.df(p, jac);
    const Eigen::Matrix3d jtj = jac.transpose() * jac;
    Eigen::FullPivLU<Eigen::Matrix3d> lu(jtj);
    const bool invertible = lu.isInvertible() && lu.rcond() > 1e-14;
    const Eigen::Matrix3d covScaled =
        invertible ? Eigen::Matrix3d(fit.residualVariance * lu.inverse()) : Eigen::Matrix3d::Constant(kNan);
    // (a, b, c) from (a', b, c): a = a' * S^-b, so da/da' = S^-b and da/db = -a' ln(S) S^-b.
    const double sNegB = std::pow(fit.sizeScale, -p[1]);
    Eigen::Matrix3d t = Eigen::Matrix3d::Identity();
    t(0, 0) = sNegB;
    t(0, 1) = -p[0] * std::log(fit.sizeScale) * sNegB;
    const Eigen::Matrix3d cov = t * covScaled * t.transpose();
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) {
            fit.covarianceScaled[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = covScaled(r, c);
            fit.covariance[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = cov(r, c);
        }
}

// Percentile with linear interpolation between order statistics (numpy's default).
double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

} // namespace

double PowerLawFit::valueAt(double m) const {
    if (!ok || !(m > 0)) return kNan;
    return aScaled * std::exp(b * std::log(m / sizeScale)) + c;
}

namespace {

// warmStart (scaled parameters) replaces the multi-start search when it converges: bootstrap refits start
// from the original optimum, which is close, instead of trying every start again.
PowerLawFit fitImpl(std::span<const double> sizes, std::span<const double> values,
                    const Eigen::Vector3d* warmStart) {
    PowerLawFit fit;
    const std::size_t n = std::min(sizes.size(), values.size());
    std::set<double> distinct;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(sizes[i]) || !std::isfinite(values[i]) || !(sizes[i] > 0)) continue;
        fit.sizes.push_back(sizes[i]);
        fit.values.push_back(values[i]);
        distinct.insert(sizes[i]);
    }
    if (distinct.size() < 4)
        return failure("a power-law fit needs finite values at >= 4 distinct positive sizes, got " +
                       std::to_string(distinct.size()));
    const auto [mnIt, mxIt] = std::minmax_element(fit.values.begin(), fit.values.end());
    if (*mnIt == *mxIt) return failure("all values are equal: there is no learning curve to fit");

    double logSum = 0;
    for (double m : fit.sizes)
        logSum += std::log(m);
    fit.sizeScale = std::exp(logSum / static_cast<double>(fit.sizes.size()));
    std::vector<double> logU(fit.sizes.size());
    for (std::size_t i = 0; i < logU.size(); ++i)
        logU[i] = std::log(fit.sizes[i] / fit.sizeScale);

    PowerLawFunctor functor{logU, fit.values};
    Eigen::VectorXd best;
    double bestSse = std::numeric_limits<double>::infinity();
    std::vector<Eigen::Vector3d> starts;
    if (warmStart) starts.push_back(*warmStart);
    for (int round = 0; round < 2 && best.size() != 3; ++round) {
        if (round == 1) starts = startValues(logU, fit.values);
        for (const Eigen::Vector3d& start : starts) {
            Eigen::VectorXd p = start;
            Eigen::LevenbergMarquardt<PowerLawFunctor> lm(functor);
            lm.parameters.ftol = 1e-15;
            lm.parameters.xtol = 1e-15;
            lm.parameters.maxfev = 2000;
            lm.minimize(p);
            const double sse = sumOfSquares(functor, p);
            if (p.allFinite() && std::isfinite(sse) && sse < bestSse) {
                bestSse = sse;
                best = p;
            }
        }
    }
    if (best.size() != 3) return failure("the power-law fit did not converge to finite parameters");

    const auto count = static_cast<double>(fit.values.size());
    fit.ok = true;
    fit.aScaled = best[0];
    fit.b = best[1];
    fit.c = best[2];
    fit.a = best[0] * std::pow(fit.sizeScale, -best[1]);
    fit.rmse = std::sqrt(bestSse / count);
    fit.dof = static_cast<int>(fit.values.size()) - 3;
    fit.residualVariance = bestSse / static_cast<double>(fit.dof);
    fillCovariance(fit, functor, best);
    return fit;
}

} // namespace

PowerLawFit fitPowerLaw(std::span<const double> sizes, std::span<const double> values) {
    return fitImpl(sizes, values, nullptr);
}

PowerLawPrediction predictPowerLaw(const PowerLawFit& fit, double size) {
    PowerLawPrediction pred;
    pred.size = size;
    pred.value = fit.valueAt(size);
    pred.lower = pred.upper = pred.predictionLower = pred.predictionUpper = kNan;
    if (!std::isfinite(pred.value)) return pred;
    const double logU = std::log(size / fit.sizeScale);
    const double power = std::exp(fit.b * logU);
    const std::array<double, 3> g{power, fit.aScaled * power * logU, 1.0};
    double var = 0;
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t c = 0; c < 3; ++c)
            var += g[r] * fit.covarianceScaled[r][c] * g[c];
    const double t = studentTQuantile(0.975, fit.dof);
    const double half = t * std::sqrt(std::max(var, 0.0));
    pred.lower = pred.value - half;
    pred.upper = pred.value + half;
    const double predictionHalf = t * std::sqrt(std::max(var, 0.0) + fit.residualVariance);
    pred.predictionLower = pred.value - predictionHalf;
    pred.predictionUpper = pred.value + predictionHalf;
    return pred;
}

PowerLawPrediction predictPowerLawBootstrap(const PowerLawFit& fit, double size, int resamples,
                                            std::uint64_t seed) {
    PowerLawPrediction pred = predictPowerLaw(fit, size);
    pred.bootSeed = seed;
    if (!fit.ok || resamples <= 0 || !std::isfinite(pred.value)) return pred;
    const std::size_t n = fit.values.size();
    std::vector<double> fitted(n), residuals(n), resampled(n);
    for (std::size_t i = 0; i < n; ++i) {
        fitted[i] = fit.valueAt(fit.sizes[i]);
        residuals[i] = fit.values[i] - fitted[i];
    }
    const Eigen::Vector3d warm(fit.aScaled, fit.b, fit.c);
    std::mt19937_64 rng(seed);
    std::vector<double> predictions;
    predictions.reserve(static_cast<std::size_t>(resamples));
    for (int r = 0; r < resamples; ++r) {
        for (std::size_t i = 0; i < n; ++i)
            resampled[i] = fitted[i] + residuals[rng() % n];
        const PowerLawFit refit = fitImpl(fit.sizes, resampled, &warm);
        const double v = refit.valueAt(size);
        if (refit.ok && std::isfinite(v)) predictions.push_back(v);
    }
    // Too many failed refits would make the percentiles meaningless.
    if (predictions.size() * 2 < static_cast<std::size_t>(resamples)) return pred;
    pred.hasBootstrap = true;
    pred.bootResamples = static_cast<int>(predictions.size());
    pred.bootLower = percentile(predictions, 0.025);
    pred.bootUpper = percentile(predictions, 0.975);
    return pred;
}

} // namespace runlens
