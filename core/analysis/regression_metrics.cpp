// Regression metrics, bootstrap intervals over shared resamples, and the baselines that sit beside them.
#include "core/analysis/regression_metrics.h"

#include "core/analysis/report_text.h"
#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <future>

namespace runlens {

namespace {

constexpr double kMapeEpsilon = 2.220446049250313e-16; // np.finfo(np.float64).eps, as scikit-learn's MAPE

// The rows that can be scored, copied out so the bootstrap reads contiguous arrays.
struct CleanRows {
    std::vector<double> y, p, w; // w empty when unweighted
    std::int64_t skipped = 0;
};

CleanRows cleanRows(std::span<const double> labels, std::span<const double> predictions,
                    std::span<const double> weights) {
    CleanRows rows;
    const std::size_t n = std::min(labels.size(), predictions.size());
    const bool weighted = !weights.empty();
    rows.skipped = std::int64_t(std::max(labels.size(), predictions.size()) - n);
    rows.y.reserve(n);
    rows.p.reserve(n);
    if (weighted) rows.w.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double w = weighted ? (i < weights.size() ? weights[i] : -1.0) : 1.0;
        if (!std::isfinite(labels[i]) || !std::isfinite(predictions[i]) || !std::isfinite(w) || w < 0) {
            ++rows.skipped;
            continue;
        }
        rows.y.push_back(labels[i]);
        rows.p.push_back(predictions[i]);
        if (weighted) rows.w.push_back(w);
    }
    return rows;
}

double absolutePercentageError(double y, double p) {
    return std::abs(p - y) / std::max(std::abs(y), kMapeEpsilon);
}

double symmetricPercentageError(double y, double p) {
    const double den = std::abs(y) + std::abs(p);
    return den > 0 ? 2.0 * std::abs(p - y) / den : 0.0;
}

// scikit-learn's force_finite R^2 from the residual and total sums of squares.
double r2FromSums(double residual, double total) {
    if (total != 0) return residual != 0 ? 1.0 - residual / total : 1.0;
    return residual == 0 ? 1.0 : 0.0;
}

void flagMape(RegressionMetrics& m, const CleanRows& rows, double nearZeroFraction) {
    const std::size_t n = rows.y.size();
    const bool weighted = !rows.w.empty();
    double absSum = 0;
    for (std::size_t i = 0; i < n; ++i)
        absSum += (weighted ? rows.w[i] : 1.0) * std::abs(rows.y[i]);
    const double meanAbs = absSum / m.weightSum;
    const double nearLimit = nearZeroFraction * meanAbs;
    double apeTotal = 0, apeNear = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double ay = std::abs(rows.y[i]);
        const double ape = (weighted ? rows.w[i] : 1.0) * absolutePercentageError(rows.y[i], rows.p[i]);
        apeTotal += ape;
        if (ay < kMapeEpsilon) ++m.labelsAtZero;
        if (ay < nearLimit || ay < kMapeEpsilon) {
            ++m.labelsNearZero;
            apeNear += ape;
        }
    }
    m.mapeShareFromNearZero = apeTotal > 0 ? apeNear / apeTotal : 0.0;
    if (m.labelsAtZero > 0) {
        m.mapeMeaningful = false;
        m.mapeNote = "MAPE is not meaningful: " + std::to_string(m.labelsAtZero) +
                     " label(s) are 0, and each divides its error by 2.2e-16; use MAE, RMSE or sMAPE";
    } else if (m.mapeShareFromNearZero > 0.5) {
        m.mapeMeaningful = false;
        m.mapeNote = "MAPE is dominated by " + std::to_string(m.labelsNearZero) +
                     " label(s) near 0 (|label| < " + formatNumber(nearLimit) + "), which make up " +
                     formatNumber(100.0 * m.mapeShareFromNearZero) + "% of it; use MAE, RMSE or sMAPE";
    }
}

RegressionMetrics metricsOf(const CleanRows& rows, const RegressionOptions& options) {
    RegressionMetrics m;
    const std::size_t n = rows.y.size();
    const bool weighted = !rows.w.empty();
    m.n = std::int64_t(n);
    m.skippedRows = rows.skipped;
    m.weighted = weighted;
    if (n == 0) return m;
    double sw = 0, sAbs = 0, sSq = 0, sApe = 0, sSape = 0, sErr = 0, sY = 0, maxAbs = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = weighted ? rows.w[i] : 1.0;
        const double e = rows.p[i] - rows.y[i];
        sw += w;
        sErr += w * e;
        sAbs += w * std::abs(e);
        sSq += w * e * e;
        sApe += w * absolutePercentageError(rows.y[i], rows.p[i]);
        sSape += w * symmetricPercentageError(rows.y[i], rows.p[i]);
        sY += w * rows.y[i];
        maxAbs = std::max(maxAbs, std::abs(e));
    }
    m.weightSum = sw;
    if (!(sw > 0)) return m; // all weights 0: scikit-learn's np.average raises ZeroDivisionError
    m.meanError = sErr / sw;
    m.mae = sAbs / sw;
    m.mse = sSq / sw;
    m.rmse = std::sqrt(m.mse);
    m.mape = sApe / sw;
    m.smape = sSape / sw;
    m.maxError = maxAbs;
    // R^2 as scikit-learn computes it: residual and total sums of squares around the weighted label mean.
    const double yMean = sY / sw;
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = rows.y[i] - yMean;
        total += (weighted ? rows.w[i] : 1.0) * d * d;
    }
    m.r2 = n < 2 ? RegressionMetrics::kNaN : r2FromSums(sSq, total);
    std::vector<double> absErr(n);
    for (std::size_t i = 0; i < n; ++i)
        absErr[i] = std::abs(rows.p[i] - rows.y[i]);
    m.medianAe = weighted ? stats::weightedPercentile(absErr, rows.w, 0.5) : stats::median(absErr);
    flagMape(m, rows, options.nearZeroFraction);
    return m;
}

MetricInterval intervalOf(double value, std::vector<double> resampled, double alpha) {
    const auto ci = stats::percentileInterval(std::move(resampled), alpha);
    return {value, ci.low, ci.high};
}

} // namespace

RegressionMetrics regressionMetrics(std::span<const double> labels, std::span<const double> predictions,
                                    std::span<const double> weights, const RegressionOptions& options) {
    return metricsOf(cleanRows(labels, predictions, weights), options);
}

RegressionBootstrap bootstrapRegressionMetrics(std::span<const double> labels,
                                               std::span<const double> predictions,
                                               std::span<const double> weights,
                                               const BootstrapOptions& bootstrap,
                                               const RegressionOptions& options) {
    RegressionBootstrap out;
    const CleanRows rows = cleanRows(labels, predictions, weights);
    out.point = metricsOf(rows, options);
    out.resamples = bootstrap.resamples;
    out.seed = bootstrap.seed;
    out.level = 1.0 - bootstrap.alpha;
    const std::size_t n = rows.y.size();
    if (n == 0 || !(out.point.weightSum > 0)) {
        out.method = "no rows to resample";
        return out;
    }
    const bool weighted = !rows.w.empty();
    // Labels centred on their mean keep the resampled total sum of squares free of cancellation.
    const double yMean = [&] {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
            s += (weighted ? rows.w[i] : 1.0) * rows.y[i];
        return s / out.point.weightSum;
    }();
    // Values per row: weight, e, |e|, e^2, APE, sAPE, y - mean, (y - mean)^2, each times the weight.
    constexpr std::size_t dims = 8;
    const RowValues values = [&](std::size_t i, double* v) {
        const double w = weighted ? rows.w[i] : 1.0;
        const double e = rows.p[i] - rows.y[i], yc = rows.y[i] - yMean;
        v[0] = w;
        v[1] = w * e;
        v[2] = w * std::abs(e);
        v[3] = w * e * e;
        v[4] = w * absolutePercentageError(rows.y[i], rows.p[i]);
        v[5] = w * symmetricPercentageError(rows.y[i], rows.p[i]);
        v[6] = w * yc;
        v[7] = w * yc * yc;
    };
    // The median and maximum resamples run on a second core while the sums are drawn.
    std::vector<double> absErr(n);
    for (std::size_t i = 0; i < n; ++i)
        absErr[i] = std::abs(rows.p[i] - rows.y[i]);
    auto orderStatistics = std::async(std::launch::async, [&] {
        return std::pair(resampleMedians(absErr, rows.w, bootstrap), resampleMaxima(absErr, bootstrap));
    });
    const SumResamples sums = resampleSums(n, dims, values, bootstrap);
    out.exact = sums.exact;
    out.method = sums.method;
    const auto count = std::size_t(std::max(bootstrap.resamples, 0));
    std::vector<double> mae(count), mse(count), rmse(count), r2(count), mape(count), smape(count),
        bias(count);
    for (std::size_t b = 0; b < count; ++b) {
        const auto s = sums.resample(int(b));
        const double sw = s[0];
        if (!(sw > 0)) {
            mae[b] = mse[b] = rmse[b] = r2[b] = mape[b] = smape[b] = bias[b] = RegressionMetrics::kNaN;
            continue;
        }
        bias[b] = s[1] / sw;
        mae[b] = s[2] / sw;
        mse[b] = s[3] / sw;
        rmse[b] = std::sqrt(std::max(0.0, mse[b]));
        mape[b] = s[4] / sw;
        smape[b] = s[5] / sw;
        // A resample of constant labels has a total sum of squares of 0 up to rounding.
        double total = s[7] - s[6] * s[6] / sw;
        if (total <= 1e-12 * std::max(s[7], 0.0)) total = 0;
        r2[b] = n < 2 ? RegressionMetrics::kNaN : r2FromSums(s[3] <= 0 ? 0.0 : s[3], total);
    }
    const double alpha = bootstrap.alpha;
    const auto& p = out.point;
    out.mae = intervalOf(p.mae, std::move(mae), alpha);
    out.mse = intervalOf(p.mse, std::move(mse), alpha);
    out.rmse = intervalOf(p.rmse, std::move(rmse), alpha);
    out.r2 = intervalOf(p.r2, std::move(r2), alpha);
    out.mape = intervalOf(p.mape, std::move(mape), alpha);
    out.smape = intervalOf(p.smape, std::move(smape), alpha);
    out.meanError = intervalOf(p.meanError, std::move(bias), alpha);

    auto [medians, maxima] = orderStatistics.get();
    out.medianAe = intervalOf(p.medianAe, std::move(medians), alpha);
    out.maxError = intervalOf(p.maxError, std::move(maxima), alpha);
    return out;
}

std::vector<RegressionBaseline> regressionBaselines(std::span<const double> labels,
                                                    std::span<const double> weights,
                                                    std::optional<double> trainingMean,
                                                    std::optional<double> trainingMedian) {
    const CleanRows rows = cleanRows(labels, labels, weights);
    const bool weighted = !rows.w.empty();
    std::vector<RegressionBaseline> out;
    auto constantRow = [&](RegressionBaselineKind kind, std::string name, double constant, std::string note) {
        RegressionBaseline b;
        b.kind = kind;
        b.name = std::move(name);
        b.constant = constant;
        const std::vector<double> predictions(rows.y.size(), constant);
        b.metrics = regressionMetrics(rows.y, predictions, rows.w);
        b.metrics.skippedRows = rows.skipped;
        b.note = std::move(note);
        out.push_back(std::move(b));
    };
    if (rows.y.empty()) return out;
    if (trainingMean && std::isfinite(*trainingMean)) {
        constantRow(RegressionBaselineKind::TrainingMean, "training_mean", *trainingMean,
                    "predicts the training mean taken from the log");
    } else {
        double s = 0, sw = 0;
        for (std::size_t i = 0; i < rows.y.size(); ++i) {
            const double w = weighted ? rows.w[i] : 1.0;
            s += w * rows.y[i];
            sw += w;
        }
        constantRow(
            RegressionBaselineKind::EvaluationMean, "evaluation_mean", sw > 0 ? s / sw : s,
            "no training mean in the log: predicts the mean of the evaluation labels (optimistic, it has "
            "seen them)");
    }
    if (trainingMedian && std::isfinite(*trainingMedian)) {
        constantRow(RegressionBaselineKind::Median, "training_median", *trainingMedian,
                    "predicts the training median taken from the log");
    } else {
        const double median =
            weighted ? stats::weightedPercentile(rows.y, rows.w, 0.5) : stats::median(rows.y);
        constantRow(RegressionBaselineKind::Median, "median", median,
                    "predicts the median of the evaluation labels (optimistic, it has seen them)");
    }
    return out;
}

RegressionBaseline pinnedRunBaseline(std::string runName, std::span<const double> labels,
                                     std::span<const double> pinnedPredictions,
                                     std::span<const double> weights) {
    RegressionBaseline b;
    b.kind = RegressionBaselineKind::PinnedRun;
    b.name = std::move(runName);
    b.metrics = regressionMetrics(labels, pinnedPredictions, weights);
    b.note = "the pinned run's predictions on the same rows";
    return b;
}

double skillOver(double model, double baseline) {
    if (!std::isfinite(model) || !std::isfinite(baseline) || baseline == 0) return RegressionMetrics::kNaN;
    return 1.0 - model / baseline;
}

} // namespace runlens
