// Slices regression logs with the classification slices' bucketing and scores each slice with the regression
// metrics and their bootstrap intervals; MAE and MSE get Simpson's verdict.
#include "core/analysis/regression_slices.h"

#include "core/analysis/slices.h"

#include <cmath>
#include <limits>
#include <numeric>

namespace runlens {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::size_t> rowsOf(const RegressionCohort& c) {
    if (!c.rows.empty()) return c.rows;
    std::vector<std::size_t> rows(c.labels.size());
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

RegressionSliceCell estimate(const RegressionCohort& c, const std::vector<std::size_t>& rows,
                             const BootstrapOptions& bootstrap) {
    std::vector<double> labels, predictions, weights;
    labels.reserve(rows.size());
    predictions.reserve(rows.size());
    for (auto r : rows) {
        labels.push_back(c.labels[r]);
        predictions.push_back(c.predictions[r]);
        if (!c.weights.empty()) weights.push_back(c.weights[r]);
    }
    RegressionSliceCell cell;
    cell.metrics = bootstrapRegressionMetrics(labels, predictions, weights, bootstrap);
    cell.n = cell.metrics.point.n;
    return cell;
}

// MAE and MSE are means over examples, so a slice's value weighted by its share is the overall value: those
// are the metrics a reversal can be reasoned about (DESIGN §4).
struct Decomposable {
    const char* name;
    double RegressionMetrics::*field;
    MetricInterval RegressionBootstrap::*interval;
};
constexpr Decomposable kDecomposable[] = {{"mae", &RegressionMetrics::mae, &RegressionBootstrap::mae},
                                          {"mse", &RegressionMetrics::mse, &RegressionBootstrap::mse}};

StratumValue stratumOf(const RegressionSliceCell& cell, const Decomposable& d) {
    const auto& i = cell.metrics.*d.interval;
    return {cell.n, cell.metrics.point.*d.field, i.low, i.high};
}

} // namespace

std::optional<RegressionSliceReport> regressionSlices(const std::vector<RegressionCohort>& cohorts,
                                                      const RegressionSliceOptions& options,
                                                      std::string* error) {
    auto fail = [&](std::string message) -> std::optional<RegressionSliceReport> {
        if (error) *error = std::move(message);
        return std::nullopt;
    };
    if (cohorts.empty()) return fail("no regression log to slice");
    if (options.by.empty() || options.by.size() > 3) return fail("choose one to three features to slice by");
    for (const auto& c : cohorts) {
        if (!c.table) return fail("cohort '" + c.name + "' has no table");
        if (c.labels.size() != c.table->rows() || c.predictions.size() != c.table->rows() ||
            (!c.weights.empty() && c.weights.size() != c.table->rows()))
            return fail("cohort '" + c.name + "': labels and predictions must have one value per table row");
        for (const auto& f : options.by)
            if (!c.table->column(f)) return fail("'" + c.name + "' has no column named '" + f + "'");
    }

    RegressionSliceReport report;
    report.by = options.by;
    report.resamples = options.bootstrap.resamples;
    report.seed = options.bootstrap.seed;
    std::vector<SliceSource> sources;
    for (const auto& c : cohorts) {
        report.cohorts.push_back(c.name);
        sources.push_back({c.name, c.table, rowsOf(c)});
    }
    const auto grouping = groupIntoSlices(sources, options.by, options.edges, options.quantileBuckets);
    report.identicalExamples = grouping.identicalExamples;
    report.sameStrata = grouping.sameStrata;
    report.examplesNote = grouping.examplesNote;

    for (std::size_t ci = 0; ci < cohorts.size(); ++ci) {
        auto cell = estimate(cohorts[ci], sources[ci].rows, options.bootstrap);
        cell.share = 1.0;
        report.overall.push_back(std::move(cell));
    }
    for (const auto& [key, perCohort] : grouping.groups) {
        RegressionSliceRow row;
        for (std::size_t f = 0; f < options.by.size(); ++f)
            row.key.emplace_back(options.by[f], key[f]);
        for (std::size_t ci = 0; ci < cohorts.size(); ++ci) {
            auto cell = estimate(cohorts[ci], perCohort[ci], options.bootstrap);
            const auto total = report.overall[ci].n;
            cell.share = total > 0 ? double(cell.n) / double(total) : 0.0;
            row.cohorts.push_back(std::move(cell));
        }
        report.slices.push_back(std::move(row));
    }

    if (cohorts.size() == 2) {
        std::string byName;
        for (const auto& f : options.by)
            byName += (byName.empty() ? "" : " x ") + f;
        for (const auto& d : kDecomposable) {
            SimpsonInput input;
            input.metricName = d.name == std::string("mae") ? "MAE" : "MSE";
            input.stratumName = byName;
            input.higherIsBetter = false;
            input.percent = false;
            input.minN = options.minN;
            input.identicalExamples = grouping.identicalExamples;
            input.sameStrata = grouping.sameStrata;
            input.decomposable = true;
            input.examplesNote = grouping.examplesNote;
            input.cohorts = report.cohorts;
            input.cells.resize(2);
            for (const auto& cell : report.overall)
                input.overall.push_back(stratumOf(cell, d));
            RegressionSimpson s;
            s.metric = d.name;
            s.overallDelta =
                report.overall[1].metrics.point.*d.field - report.overall[0].metrics.point.*d.field;
            for (const auto& row : report.slices) {
                std::string stratum;
                for (const auto& [feature, value] : row.key)
                    stratum += (stratum.empty() ? "" : ", ") + value;
                input.strata.push_back(stratum);
                for (std::size_t ci = 0; ci < 2; ++ci)
                    input.cells[ci].push_back(stratumOf(row.cohorts[ci], d));
                const bool both = row.cohorts[0].n > 0 && row.cohorts[1].n > 0;
                s.sliceDelta.push_back(both ? row.cohorts[1].metrics.point.*d.field -
                                                  row.cohorts[0].metrics.point.*d.field
                                            : kNaN);
            }
            s.verdict = compareAcrossStrata(input);
            report.simpson.push_back(std::move(s));
        }
        report.nonDecomposableNote = "RMSE, R^2 and the median absolute error are not means over examples (a "
                                     "slice's value weighted by its share is not the overall value), so no "
                                     "Simpson verdict is given for them.";
    }
    return report;
}

} // namespace runlens
