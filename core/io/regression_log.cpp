// Pulls the regression columns out of a prediction table, and lines two regression logs up by id or row.
#include "core/io/regression_log.h"

#include "core/model/number_text.h"
#include "core/model/regression_columns.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace runlens {

namespace {

// "0.05" for names: the shortest text of a level.
std::string levelText(double level) {
    return numberText(std::round(level * 1e6) / 1e6);
}

// The first finite value of a training-statistic column, and whether every finite value equals it.
std::optional<double> constantOf(const PredictionColumn& column, bool& constant) {
    std::optional<double> first;
    constant = true;
    for (double v : column.numbers) {
        if (!std::isfinite(v)) continue;
        if (!first)
            first = v;
        else if (v != *first)
            constant = false;
    }
    return first;
}

struct Quantile {
    double level;
    const PredictionColumn* column;
};

// q05 with q95, q10 with q90, ...: the i-th lowest level below 0.5 with the level 1 - it above, when present.
void pairQuantiles(std::vector<Quantile> quantiles, RegressionLog& log) {
    std::sort(quantiles.begin(), quantiles.end(),
              [](const Quantile& x, const Quantile& y) { return x.level < y.level; });
    for (const auto& low : quantiles) {
        if (low.level >= 0.5) break;
        const auto high = std::find_if(quantiles.begin(), quantiles.end(), [&](const Quantile& q) {
            return std::fabs(q.level - (1 - low.level)) < 1e-9;
        });
        if (high == quantiles.end()) {
            log.notes.push_back("quantile column '" + low.column->name + "' has no partner at level " +
                                levelText(1 - low.level) + "; not scored as an interval");
            continue;
        }
        RegressionIntervalColumns interval;
        interval.name = low.column->name + "-" + high->column->name;
        interval.lowerColumn = low.column->name;
        interval.upperColumn = high->column->name;
        interval.nominal = high->level - low.level;
        interval.lower = low.column->numbers;
        interval.upper = high->column->numbers;
        log.intervals.push_back(std::move(interval));
    }
}

struct Bound {
    IntervalBoundName name;
    const PredictionColumn* column;
};

// lower with upper of the same level (or both without one).
void pairBounds(const std::vector<Bound>& bounds, const RegressionLogOptions& options, RegressionLog& log) {
    for (const auto& low : bounds) {
        if (low.name.bound != IntervalBound::Lower) continue;
        const auto high = std::find_if(bounds.begin(), bounds.end(), [&](const Bound& b) {
            return b.name.bound == IntervalBound::Upper && b.name.level == low.name.level;
        });
        if (high == bounds.end()) {
            log.notes.push_back("interval column '" + low.column->name + "' has no upper bound; not scored");
            continue;
        }
        RegressionIntervalColumns interval;
        interval.name = low.column->name + "-" + high->column->name;
        interval.lowerColumn = low.column->name;
        interval.upperColumn = high->column->name;
        interval.nominalAssumed = !low.name.level;
        interval.nominal = low.name.level.value_or(options.assumedLevel);
        if (interval.nominalAssumed)
            log.notes.push_back("interval " + interval.name +
                                " names no level: its nominal coverage is taken as " +
                                levelText(options.assumedLevel));
        interval.lower = low.column->numbers;
        interval.upper = high->column->numbers;
        log.intervals.push_back(std::move(interval));
    }
}

} // namespace

std::optional<RegressionLog> regressionLogFrom(const PredictionTable& table, std::string& error,
                                               const RegressionLogOptions& options) {
    const PredictionColumn* label = table.find(ColumnRole::Label);
    const PredictionColumn* prediction = table.find(ColumnRole::Prediction);
    if (!label) {
        error = "no label column (expected one named label, target, y or y_true; or choose it with --label)";
        return std::nullopt;
    }
    if (!prediction) {
        error = "no prediction column (expected y_pred, prediction, pred, yhat or predicted; or choose it "
                "with --prediction)";
        return std::nullopt;
    }
    for (const PredictionColumn* column : {label, prediction})
        if (!column->numeric) {
            error = "column '" + column->name +
                    "' holds text: a regression log needs numbers in its label and prediction columns";
            return std::nullopt;
        }
    if (!options.weightColumn.empty() && !table.column(options.weightColumn)) {
        error = "no column named '" + options.weightColumn + "'";
        return std::nullopt;
    }

    RegressionLog log;
    log.labelColumn = label->name;
    log.predictionColumn = prediction->name;
    log.labels = label->numbers;
    log.predictions = prediction->numbers;
    std::vector<Quantile> quantiles;
    std::vector<Bound> bounds;
    for (const auto& column : table.columns) {
        if (column.role == ColumnRole::Id) {
            log.idColumn = column.name;
            log.ids.reserve(column.size());
            for (std::size_t r = 0; r < column.size(); ++r)
                log.ids.push_back(cellText(column, r));
            continue;
        }
        if (column.role != ColumnRole::Feature || !column.numeric) continue;
        const bool chosenWeight = options.weightColumn.empty() ? isWeightColumnName(column.name)
                                                               : column.name == options.weightColumn;
        if (chosenWeight && log.weightColumn.empty()) {
            log.weightColumn = column.name;
            log.weights = column.numbers;
        } else if (const auto level = quantileOfColumnName(column.name)) {
            quantiles.push_back({*level, &column});
        } else if (const auto bound = intervalBoundOfColumnName(column.name)) {
            bounds.push_back({*bound, &column});
        } else if (const auto statistic = trainingStatisticOfColumnName(column.name)) {
            bool constant = true;
            const auto value = constantOf(column, constant);
            if (!constant)
                log.notes.push_back("column '" + column.name + "' is not constant: its first value is used");
            (*statistic == TrainingStatistic::Mean ? log.trainingMean : log.trainingMedian) = value;
        } else {
            log.featureColumns.push_back(column.name);
            log.featureValues.push_back(column.numbers);
        }
    }
    pairQuantiles(std::move(quantiles), log);
    pairBounds(bounds, options, log);
    return log;
}

std::vector<std::string> regressionSliceColumns(const PredictionTable& table, const RegressionLog& log) {
    std::vector<std::string> out;
    for (const auto& column : table.columns) {
        if (column.role != ColumnRole::Feature || column.name == log.weightColumn ||
            trainingStatisticOfColumnName(column.name))
            continue;
        const bool interval = std::any_of(log.intervals.begin(), log.intervals.end(), [&](const auto& i) {
            return i.lowerColumn == column.name || i.upperColumn == column.name;
        });
        if (!interval) out.push_back(column.name);
    }
    return out;
}

RegressionReportInput reportInputOf(const RegressionLog& log) {
    RegressionReportInput in;
    in.labels = log.labels;
    in.predictions = log.predictions;
    in.weights = log.weights;
    in.trainingMean = log.trainingMean;
    in.trainingMedian = log.trainingMedian;
    for (const auto& interval : log.intervals)
        in.intervals.push_back({interval.name, interval.lower, interval.upper, interval.nominal});
    for (std::size_t f = 0; f < log.featureColumns.size(); ++f)
        in.features.push_back({log.featureColumns[f], log.featureValues[f]});
    return in;
}

std::optional<RegressionLog> readRegressionLog(const std::filesystem::path& path,
                                               const PredictionRoles& roles, ReadReport& report,
                                               const RegressionLogOptions& options) {
    const PredictionLogReader reader(roles);
    auto table = reader.readTable(path, report);
    if (!table) return std::nullopt;
    std::string error;
    auto log = regressionLogFrom(*table, error, options);
    if (!log) report.error(IssueKind::MissingColumn, path.string(), 0, error);
    return log;
}

RegressionAlignment alignRegressionLogs(const RegressionLog& a, const RegressionLog& b,
                                        double labelTolerance) {
    RegressionAlignment out;
    const auto sameLabel = [&](double x, double y) {
        if (std::isnan(x) && std::isnan(y)) return true;
        return std::fabs(x - y) <= labelTolerance * std::max(1.0, std::fabs(x));
    };
    if (a.ids.empty() || b.ids.empty()) {
        if (a.rows() != b.rows()) {
            out.refusal = "the logs have no id columns and different row counts (" +
                          std::to_string(a.rows()) + " and " + std::to_string(b.rows()) +
                          "): add an id column to align them";
            return out;
        }
        for (std::size_t r = 0; r < a.rows(); ++r)
            if (!sameLabel(a.labels[r], b.labels[r])) {
                out.refusal = "the logs have no id columns and their labels differ at row " +
                              std::to_string(r + 1) + " (" + numberText(a.labels[r]) + " and " +
                              numberText(b.labels[r]) + "): rows are not the same examples; add an id column";
                return out;
            }
        out.labels = a.labels;
        out.predictionsA = a.predictions;
        out.predictionsB = b.predictions;
        out.matched = std::int64_t(a.rows());
        return out;
    }
    out.byId = true;
    // First row of each id in each file; later rows with the same id are counted as duplicates.
    auto firstRows = [&](const RegressionLog& log) {
        std::unordered_map<std::string, std::size_t> rows;
        for (std::size_t r = 0; r < log.ids.size(); ++r)
            if (!log.ids[r].empty() && !rows.emplace(log.ids[r], r).second) ++out.duplicates;
        return rows;
    };
    const auto rowsA = firstRows(a);
    const auto rowsB = firstRows(b);
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    for (const auto& [id, ra] : rowsA) {
        const auto it = rowsB.find(id);
        if (it == rowsB.end()) {
            ++out.onlyA;
            continue;
        }
        if (!sameLabel(a.labels[ra], b.labels[it->second])) {
            ++out.labelConflicts;
            continue;
        }
        matches.emplace_back(ra, it->second);
    }
    for (const auto& [id, rb] : rowsB)
        out.onlyB += !rowsA.count(id);
    std::sort(matches.begin(), matches.end()); // A's row order, so results do not depend on hashing
    for (const auto& [ra, rb] : matches) {
        out.labels.push_back(a.labels[ra]);
        out.predictionsA.push_back(a.predictions[ra]);
        out.predictionsB.push_back(b.predictions[rb]);
        out.ids.push_back(a.ids[ra]);
    }
    out.matched = std::int64_t(matches.size());
    if (out.matched == 0) out.refusal = "no id is in both logs with the same label";
    return out;
}

} // namespace runlens
