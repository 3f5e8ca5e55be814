// Regression slices for `runlens slices`: the report as a text table or JSON, and --find's slices with the
// highest absolute error.
#include "app/slices_regression.h"

#include "app/json_writer.h"
#include "app/paired_regression_output.h"
#include "core/analysis/number_format.h"
#include "core/analysis/regression_slices.h"
#include "core/analysis/slice_finder.h"
#include "core/analysis/slices.h"
#include "core/io/regression_log.h"
#include "core/model/regression_columns.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>

namespace runlens::cli {

namespace {

struct NamedMetric {
    const char* key;
    const char* header;
    double RegressionMetrics::*point;
    MetricInterval RegressionBootstrap::*interval;
};

// The per-slice metrics, in the order of the text columns and the JSON fields.
constexpr NamedMetric kMetrics[] = {
    {"mae", "MAE", &RegressionMetrics::mae, &RegressionBootstrap::mae},
    {"rmse", "RMSE", &RegressionMetrics::rmse, &RegressionBootstrap::rmse},
    {"mse", "MSE", &RegressionMetrics::mse, &RegressionBootstrap::mse},
    {"r2", "R^2", &RegressionMetrics::r2, &RegressionBootstrap::r2},
    {"mean_error", "BIAS", &RegressionMetrics::meanError, &RegressionBootstrap::meanError},
    {"median_ae", "MEDIAN AE", &RegressionMetrics::medianAe, &RegressionBootstrap::medianAe}};

struct LossFinding {
    std::string cohort;
    LossSliceFinderResult result;
};

void writeCell(JsonWriter& json, const RegressionSliceCell& cell) {
    json.beginObject().field("n", cell.n).field("share", cell.share);
    for (const auto& m : kMetrics) {
        const auto& i = cell.metrics.*m.interval;
        json.key(m.key);
        if (cell.n == 0)
            json.null();
        else
            json.beginObject()
                .field("value", cell.metrics.point.*m.point)
                .field("ci_low", i.low)
                .field("ci_high", i.high)
                .endObject();
    }
    json.endObject();
}

void writeKey(JsonWriter& json, const std::vector<std::pair<std::string, std::string>>& key) {
    json.key("key").beginObject();
    for (const auto& [feature, value] : key)
        json.field(feature, value);
    json.endObject();
}

void writeSimpson(JsonWriter& json, const RegressionSimpson& r) {
    const auto& s = r.verdict;
    json.beginObject().field("overall_delta", r.overallDelta).key("slice_deltas").beginArray();
    for (double d : r.sliceDelta)
        std::isfinite(d) ? json.value(d) : json.null();
    json.endArray();
    writeSimpsonVerdictFields(json, s);
    json.field("explanation", s.explanation).endObject();
}

void writeFinding(JsonWriter& json, const LossSliceFinderResult& f) {
    json.beginObject()
        .field("loss", "absolute_error")
        .field("overall_mean_loss", f.overallMeanLoss)
        .field("slices_evaluated", f.slicesEvaluated)
        .field("skipped_rows", f.skippedRows);
    json.key("skipped_features").beginArray();
    for (const auto& s : f.skippedFeatures)
        json.value(s);
    json.endArray().key("slices").beginArray();
    for (const auto& s : f.slices) {
        json.beginObject();
        writeKey(json, s.key);
        json.field("n", s.n)
            .field("mean_loss", s.meanLoss)
            .field("rest_mean_loss", s.restMeanLoss)
            .field("score", s.score)
            .field("effect_size", s.effectSize)
            .field("t", s.t)
            .field("df", s.df)
            .field("p", s.pValue)
            .field("q", s.qValue)
            .endObject();
    }
    json.endArray().endObject();
}

void writeJson(std::ostream& out, const RegressionSliceReport& r, const std::vector<LossFinding>& findings) {
    JsonWriter json(out);
    json.beginObject().field("kind", "regression_slices").key("by").beginArray();
    for (const auto& b : r.by)
        json.value(b);
    json.endArray().key("cohorts").beginArray();
    for (const auto& c : r.cohorts)
        json.value(c);
    json.endArray();
    json.key("bootstrap")
        .beginObject()
        .field("resamples", r.resamples)
        .field("seed", static_cast<std::int64_t>(r.seed))
        .field("level", 0.95)
        .endObject();
    json.field("identical_examples", r.identicalExamples).field("same_strata", r.sameStrata);
    if (!r.examplesNote.empty()) json.field("examples_note", r.examplesNote);
    json.key("overall").beginObject();
    for (std::size_t c = 0; c < r.cohorts.size(); ++c) {
        json.key(r.cohorts[c]);
        writeCell(json, r.overall[c]);
    }
    json.endObject().key("slices").beginArray();
    for (const auto& row : r.slices) {
        json.beginObject();
        writeKey(json, row.key);
        json.key("cohorts").beginObject();
        for (std::size_t c = 0; c < r.cohorts.size(); ++c) {
            json.key(r.cohorts[c]);
            writeCell(json, row.cohorts[c]);
        }
        json.endObject().endObject();
    }
    json.endArray().key("simpson");
    if (r.simpson.empty()) {
        json.null();
    } else {
        json.beginObject();
        for (const auto& s : r.simpson) {
            json.key(s.metric);
            writeSimpson(json, s);
        }
        json.field("not_decomposable", r.nonDecomposableNote).endObject();
    }
    if (!findings.empty()) {
        json.key("finder").beginObject();
        for (const auto& f : findings) {
            json.key(f.cohort);
            writeFinding(json, f.result);
        }
        json.endObject();
    }
    json.endObject();
    json.finish();
}

std::string keyText(const std::vector<std::pair<std::string, std::string>>& key) {
    std::string text;
    for (const auto& [f, v] : key)
        text += (text.empty() ? "" : ", ") + f + "=" + v;
    return text;
}

void printTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
            out << std::left << std::setw(int(widths[i] + 2)) << row[i];
        out << '\n';
    }
}

std::vector<std::string> cellColumns(const RegressionSliceCell& cell) {
    std::vector<std::string> out{std::to_string(cell.n)};
    for (const auto& m : kMetrics) {
        const auto& i = cell.metrics.*m.interval;
        const double v = cell.metrics.point.*m.point;
        out.push_back(cell.n == 0 || !std::isfinite(v) ? "-" : formatEstimate(v, i.low, i.high, false));
    }
    return out;
}

void writeText(std::ostream& out, const RegressionSliceReport& r, const std::vector<LossFinding>& findings) {
    out << "regression metrics by ";
    for (std::size_t i = 0; i < r.by.size(); ++i)
        out << (i ? " x " : "") << r.by[i];
    out << " (95% bootstrap percentile intervals, " << r.resamples << " resamples, seed " << r.seed
        << "; BIAS = mean of prediction - label)\n";
    for (std::size_t c = 0; c < r.cohorts.size(); ++c) {
        out << '\n' << r.cohorts[c] << '\n';
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> header{"SLICE", "N"};
        for (const auto& m : kMetrics)
            header.push_back(m.header);
        rows.push_back(header);
        for (const auto& row : r.slices) {
            std::vector<std::string> line{keyText(row.key)};
            for (auto& s : cellColumns(row.cohorts[c]))
                line.push_back(std::move(s));
            rows.push_back(std::move(line));
        }
        std::vector<std::string> overall{"(overall)"};
        for (auto& s : cellColumns(r.overall[c]))
            overall.push_back(std::move(s));
        rows.push_back(std::move(overall));
        printTable(out, rows);
    }
    for (const auto& s : r.simpson) {
        const std::string name = s.metric == "mae" ? "MAE" : "MSE";
        out << "\nSimpson (" << name << "): " << reversalName(s.verdict.reversal) << ". " << name << ' '
            << r.cohorts[1] << " - " << r.cohorts[0] << " overall " << regressionNumber(s.overallDelta)
            << "; per slice:";
        for (std::size_t i = 0; i < r.slices.size(); ++i)
            out << (i ? ";" : "") << ' ' << keyText(r.slices[i].key) << ' '
                << regressionNumber(s.sliceDelta[i]);
        out << ".\n  " << s.verdict.explanation << '\n';
    }
    if (!r.simpson.empty()) out << '\n' << r.nonDecomposableNote << '\n';
    for (const auto& f : findings) {
        out << "\nslices of " << f.cohort << " with the highest absolute error (overall mean "
            << regressionNumber(f.result.overallMeanLoss) << "; " << f.result.slicesEvaluated
            << " slices tested, one-sided Welch t-test, BH q)\n";
        std::vector<std::vector<std::string>> rows{
            {"SLICE", "N", "MEAN |ERR|", "REST", "SCORE", "COHEN D", "P", "Q"}};
        for (const auto& s : f.result.slices)
            rows.push_back({keyText(s.key), std::to_string(s.n), regressionNumber(s.meanLoss),
                            regressionNumber(s.restMeanLoss), regressionNumber(s.score),
                            regressionNumber(s.effectSize), formatPValue(s.pValue), formatPValue(s.qValue)});
        if (f.result.slices.empty())
            out << "  no slice has a mean absolute error above the whole set's\n";
        else
            printTable(out, rows);
        for (const auto& skipped : f.result.skippedFeatures)
            out << "  skipped " << skipped << '\n';
    }
}

// --compare COL: one cohort per value of COL (numbers as written).
std::vector<RegressionCohort> splitCohort(const LoadedRegressionLog& log, const RegressionCohort& all,
                                          const std::string& column) {
    const auto* col = log.table.column(column);
    if (!col) throw InputError(log.path + ": no column named '" + column + "'");
    const auto labels = featureLabels(*col, {}, {}, 1);
    std::map<std::string, std::vector<std::size_t>> rows;
    for (std::size_t r = 0; r < labels.size(); ++r)
        rows[labels[r]].push_back(r);
    if (rows.size() < 2) throw InputError(log.path + ": column '" + column + "' has fewer than two values");
    if (rows.size() > 20)
        throw InputError(log.path + ": column '" + column + "' has " + std::to_string(rows.size()) +
                         " values; --compare splits into at most 20 cohorts");
    std::vector<RegressionCohort> out;
    for (auto& [value, rs] : rows) {
        auto c = all;
        c.name = column + "=" + value;
        c.rows = std::move(rs);
        out.push_back(std::move(c));
    }
    return out;
}

// The columns the finder slices by (regressionSliceColumns); none is a one-line error.
std::vector<std::string> finderFeatures(const LoadedRegressionLog& l) {
    auto out = regressionSliceColumns(l.table, l.log);
    if (out.empty()) throw InputError(l.path + ": no feature column to search slices in");
    return out;
}

} // namespace

void writeSimpsonVerdictFields(JsonWriter& json, const SimpsonVerdict& s) {
    json.field("reversal", std::string(reversalName(s.reversal)))
        .field("overall_winner", s.overallWinner)
        .field("comparable_strata", s.comparableStrata);
    json.key("strata_won").beginObject();
    for (const auto& [cohort, count] : s.strataWon)
        json.field(cohort, count);
    json.endObject().key("standardized").beginObject();
    for (const auto& [cohort, value] : s.standardized)
        json.field(cohort, value);
    json.key("winner");
    s.standardizedWinner.empty() ? json.null() : json.value(s.standardizedWinner);
    json.endObject().key("mix").beginObject();
    for (const auto& [cohort, strata] : s.mix) {
        json.key(cohort).beginObject();
        for (const auto& [stratum, share] : strata)
            json.field(stratum, share);
        json.endObject();
    }
    json.endObject()
        .field("mix_explains", s.mixExplains)
        .key("conditions")
        .beginObject()
        .field("identical_examples", s.identicalExamples)
        .field("same_strata", s.sameStrata)
        .field("all_strata_comparable", s.allStrataComparable)
        .field("decomposable_metric", s.decomposable)
        .endObject();
}

int runRegressionSlices(const Args& args, std::vector<LoadedRegressionLog*> logs, std::ostream& out) {
    for (const char* option : {"--baseline", "--metric", "--threshold", "--output", "--fairness"})
        if (args.has(option))
            throw UsageError(std::string(option) +
                             " is for classification logs; regression slices report every regression metric");
    RegressionSliceOptions options;
    options.by = splitCommaList(args.require("--by"));
    if (options.by.empty() || options.by.size() > 3) throw UsageError("--by takes one to three column names");
    options.minN = static_cast<std::int64_t>(args.number("--min-n", 10, 1, 1e12));
    options.quantileBuckets = static_cast<int>(args.number("--buckets", 4, 1, 100));
    options.bootstrap.seed = static_cast<std::uint64_t>(args.number("--seed", 20261126, 0, 9.0e15));
    options.bootstrap.resamples = static_cast<int>(args.number("--resamples", 500, 10, 100000));
    if (auto edges = args.get("--edges")) {
        auto [column, values] = parseEdgesOption(*edges);
        options.edges[column] = std::move(values);
    }
    std::vector<RegressionCohort> cohorts;
    for (const auto* l : logs)
        cohorts.push_back({l->name, &l->table, {}, l->log.labels, l->log.predictions, l->log.weights});
    if (auto compare = args.get("--compare")) cohorts = splitCohort(*logs.front(), cohorts.front(), *compare);
    std::string error;
    const auto report = regressionSlices(cohorts, options, &error);
    if (!report) throw InputError(error);

    std::vector<LossFinding> findings;
    if (args.has("--find")) {
        SliceFinderOptions finder;
        finder.maxLevel = static_cast<int>(args.number("--max-level", 2, 1, 3));
        finder.minSupport = static_cast<std::int64_t>(args.number("--min-support", 32, 1, 1e12));
        finder.topK = static_cast<int>(args.number("--top", 10, 1, 1000));
        finder.quantileBuckets = options.quantileBuckets;
        for (std::size_t ci = 0; ci < cohorts.size(); ++ci) {
            const auto& c = cohorts[ci];
            finder.features = finderFeatures(*logs[std::min(ci, logs.size() - 1)]);
            // |label - prediction| per table row; rows outside the cohort are never read.
            std::vector<double> loss(c.labels.size());
            for (std::size_t r = 0; r < loss.size(); ++r)
                loss[r] = std::abs(c.labels[r] - c.predictions[r]);
            findings.push_back({c.name, findLossSlices(*c.table, loss, c.rows, finder)});
        }
    }
    if (args.has("--json"))
        writeJson(out, *report, findings);
    else
        writeText(out, *report, findings);
    return kExitOk;
}

} // namespace runlens::cli
