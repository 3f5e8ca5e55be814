// `runlens diff A B`: what differs between two runs (params, tags, metrics) and whether prediction
// differences are real.
#include "app/cli.h"
#include "app/json_writer.h"
#include "app/paired_regression_output.h"
#include "app/prediction_input.h"
#include "core/analysis/binary_metrics.h"
#include "core/analysis/multiclass_report.h"
#include "core/analysis/number_format.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/run_comparability.h"
#include "core/analysis/run_diff.h"
#include "core/analysis/slice_finder.h"
#include "core/model/csv_text.h"
#include "core/store/workspace.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace runlens::cli {

namespace {

// A key of the diff as the CLI prints it: core's KeyDiff of two runs.
struct DiffEntry {
    std::string key;
    std::optional<std::string> a, b;
    bool differs = false;
    double delta = std::nan("");
};

std::optional<double> asNumber(const std::optional<std::string>& text) {
    return text ? wholeNumber(*text) : std::nullopt;
}

std::vector<DiffEntry> diffMaps(const std::map<std::string, std::string>& a,
                                const std::map<std::string, std::string>& b) {
    const std::map<std::string, std::string>* maps[] = {&a, &b};
    std::vector<DiffEntry> out;
    for (const KeyDiff& k : diffKeyedValues(maps))
        out.push_back({k.key, k.values[0], k.values[1], k.differs, k.delta()});
    return out;
}

struct Side {
    std::string name;
    std::map<std::string, std::string> params, tags, metrics;
    std::unique_ptr<LoadedPredictions> predictions; // may be null
    std::optional<RunInfo> run;                     // a workspace run, with its prediction tables
    std::vector<EvaluationSetSize> evalSets;
};

// The Compare tab's comparability warnings for two workspace runs; none for two log files, which hold no
// params, provenance or training curves to compare.
std::vector<std::string> warningsOf(const Side& a, const Side& b) {
    if (!a.run || !b.run) return {};
    const RunInfo runs[] = {*a.run, *b.run};
    return comparabilityWarnings(runs, {a.evalSets, b.evalSets});
}

std::vector<std::string> idsOf(const PredictionTable& table) {
    return exampleIds(table);
}

void addEvalMetrics(Side& side) {
    if (!side.predictions) return;
    const auto& e = side.predictions->eval;
    if (e.multiclass) return;
    if (!e.hasScores()) {
        const auto cm = confusionFromPredictions(e.labels, e.predictions);
        side.metrics["eval/accuracy"] = formatNumber(accuracyOf(cm));
        side.metrics["eval/precision"] = formatNumber(precisionOf(cm));
        side.metrics["eval/recall"] = formatNumber(recallOf(cm));
        side.metrics["eval/f1"] = formatNumber(f1Of(cm));
        return;
    }
    const auto m = binaryMetrics(e.labels, e.scores, 0.5, e.predictions);
    const std::pair<const char*, double> values[] = {
        {"eval/accuracy", m.accuracy}, {"eval/precision", m.precision},
        {"eval/recall", m.recall},     {"eval/f1", m.f1},
        {"eval/log_loss", m.logLoss},  {"eval/brier", m.brier},
        {"eval/roc_auc", m.rocAuc},    {"eval/average_precision", m.averagePrecision}};
    for (const auto& [k, v] : values)
        side.metrics[k] = formatNumber(v);
}

PairedEvaluation pairedAnalysis(const LoadedPredictions& a, const LoadedPredictions& b, SliceMetric metric,
                                int resamples, std::uint64_t seed) {
    PairedOptions options;
    options.metric = metric;
    options.resamples = resamples;
    options.seed = seed;
    std::string error;
    auto paired = comparePaired(a.table, a.eval, b.table, b.eval, options, &error);
    if (!paired) throw InputError(a.path + " vs " + b.path + ": " + error);
    return std::move(*paired);
}

// core's pinnedOnPairs on the loaded logs.
PinnedOnPairs pinnedOnPairs(const LoadedPredictions& a, const LoadedPredictions& b,
                            const LoadedPredictions& pinned, const PairedEvaluation& p, SliceMetric metric) {
    return runlens::pinnedOnPairs(a.table, a.eval, b.table, b.eval, pinned.table, pinned.eval, p, metric);
}

Side sideFromPredictions(std::unique_ptr<LoadedPredictions> predictions) {
    Side side;
    side.predictions = std::move(predictions);
    side.name = side.predictions->name;
    addEvalMetrics(side);
    return side;
}

Side sideFromFile(const std::string& path, const Args& args) {
    return sideFromPredictions(loadPredictions(path, args));
}

// Two regression logs: the paired comparison of regression A B, in diff's formats (Markdown by default).
int diffRegressionLogs(LoadedRegressionLog& a, LoadedRegressionLog& b, const Args& args, std::ostream& out) {
    for (const char* option : {"--baseline", "--flips-csv", "--metric", "--all"})
        if (args.has(option)) throw UsageError(std::string(option) + " is for classification logs");
    disambiguateNames({{&a.name, a.path}, {&b.name, b.path}});
    return writePairedRegression(
        {a.path, a.name, &a.log}, {b.path, b.name, &b.log}, args,
        args.has("--json") ? PairedRegressionFormat::Json : PairedRegressionFormat::Markdown, out);
}

Side sideFromRun(const Workspace& ws, const std::string& runName, const Args& args,
                 const std::string& evalSet) {
    const auto id = ws.runId(runName);
    if (!id) throw InputError("no run named '" + runName + "' in " + ws.path().string());
    const auto run = ws.run(*id);
    Side side;
    side.name = runName;
    side.params = run->params;
    side.tags = run->tags;
    for (const auto& s : run->series)
        side.metrics[s.tag] = formatNumber(s.last);
    const auto& p = run->provenance;
    const std::pair<const char*, std::string> prov[] = {{"provenance.code_version", p.codeVersion},
                                                        {"provenance.data_version", p.dataVersion},
                                                        {"provenance.seed", p.seed},
                                                        {"provenance.status", p.status},
                                                        {"provenance.source_path", p.sourcePath}};
    for (const auto& [k, v] : prov)
        if (!v.empty()) side.tags[k] = v;
    side.run = run;
    for (const auto& table : ws.predictionTables(*id))
        side.evalSets.push_back({table.name, table.rows});
    side.predictions = loadRunPredictions(ws, *id, runName, args, evalSet);
    addEvalMetrics(side);
    return side;
}

void writeEntries(JsonWriter& json, std::string_view name, const std::vector<DiffEntry>& entries,
                  bool onlyDiffs) {
    json.key(name).beginArray();
    for (const auto& e : entries) {
        if (onlyDiffs && !e.differs) continue;
        json.beginObject().field("key", e.key);
        json.key("a");
        e.a ? json.value(*e.a) : json.null();
        json.key("b");
        e.b ? json.value(*e.b) : json.null();
        json.field("differs", e.differs);
        if (std::isfinite(e.delta)) json.field("delta", e.delta);
        json.endObject();
    }
    json.endArray();
}

std::string cellOf(const LoadedPredictions& p, std::size_t row) {
    const auto& e = p.eval;
    std::ostringstream s;
    if (!e.predictions.empty())
        s << e.classes[static_cast<std::size_t>(e.predictions[row])];
    else if (!e.multiclass)
        s << formatNumber(e.scores[row]);
    else
        s << topClassText(e, row);
    return s.str();
}

void writePerClassFlips(JsonWriter& json, const LoadedPredictions& a, const PairedEvaluation& p) {
    const auto& flips = p.classFlips;
    if (flips.empty()) return;
    const auto& ea = a.eval;
    json.key("per_class_flips").beginArray();
    for (const auto& f : flips)
        json.beginObject()
            .field("class", ea.classes[std::size_t(f.classIndex)])
            .field("n", f.n)
            .field("both_correct", f.bothCorrect)
            .field("fixed", f.fixed)
            .field("broken", f.broken)
            .field("both_wrong", f.bothWrong)
            .field("wrong_changed", f.wrongChanged)
            .field("mcnemar_p", f.mcnemar.exactP)
            .endObject();
    json.endArray();
}

void writeJson(std::ostream& out, const Side& a, const Side& b, const std::vector<DiffEntry>& params,
               const std::vector<DiffEntry>& tags, const std::vector<DiffEntry>& metrics,
               const std::optional<PairedEvaluation>& paired, bool onlyDiffs, const Side* pinned,
               const std::optional<PinnedOnPairs>& pinnedPairs) {
    JsonWriter json(out);
    json.beginObject().field("a", a.name).field("b", b.name);
    json.key("warnings").beginArray();
    for (const auto& warning : warningsOf(a, b))
        json.value(warning);
    json.endArray();
    if (pinned) {
        // A pinned baseline (--baseline): its evaluation metrics and each model's lift over them.
        json.key("baseline").beginObject().field("name", pinned->name).key("metrics").beginObject();
        for (const auto& [key, value] : pinned->metrics)
            if (const auto v = asNumber(value)) json.field(key, *v);
        json.endObject().key("lift_a").beginObject();
        for (const auto& [key, value] : pinned->metrics) {
            const auto it = a.metrics.find(key);
            const auto v = asNumber(value);
            if (it != a.metrics.end() && v)
                if (const auto va = asNumber(it->second)) json.field(key, *va - *v);
        }
        json.endObject().key("lift_b").beginObject();
        for (const auto& [key, value] : pinned->metrics) {
            const auto it = b.metrics.find(key);
            const auto v = asNumber(value);
            if (it != b.metrics.end() && v)
                if (const auto vb = asNumber(it->second)) json.field(key, *vb - *v);
        }
        json.endObject().endObject();
    }
    writeEntries(json, "params", params, onlyDiffs);
    writeEntries(json, "tags", tags, onlyDiffs);
    writeEntries(json, "metrics", metrics, false);
    json.key("paired");
    if (!paired) {
        json.null();
    } else {
        const auto& p = *paired;
        const auto& al = p.alignment.summary;
        json.beginObject()
            .field("n", p.mcnemar.n)
            .field("aligned_by", std::string(al.byId ? "id" : "row"))
            .field("unmatched_a", p.alignment.pairs.unmatchedA)
            .field("unmatched_b", p.alignment.pairs.unmatchedB);
        json.key("alignment")
            .beginObject()
            .field("by", std::string(al.byId ? "id" : "row"))
            .field("matched", al.matched)
            .field("only_a", al.onlyA)
            .field("only_b", al.onlyB)
            .field("label_conflicts", al.labelConflicts)
            .field("duplicates", al.duplicates)
            .field("used", al.used)
            .endObject();
        json.field("both_correct", p.mcnemar.bothCorrect)
            .field("a_only_correct", p.mcnemar.aOnlyCorrect)
            .field("b_only_correct", p.mcnemar.bOnlyCorrect)
            .field("both_wrong", p.mcnemar.bothWrong);
        json.key("mcnemar")
            .beginObject()
            .field("exact_p", p.mcnemar.exactP)
            .field("chi2", p.mcnemar.chi2)
            .field("chi2_p", p.mcnemar.chi2P)
            .endObject();
        json.key("bootstrap")
            .beginObject()
            .field("metric", p.bootstrap.metric)
            .field("delta", p.bootstrap.delta)
            .field("ci_low", p.bootstrap.ciLow)
            .field("ci_high", p.bootstrap.ciHigh)
            .field("resamples", p.bootstrap.resamples)
            .field("seed", static_cast<std::int64_t>(p.bootstrap.seed))
            .endObject();
        json.key("delong");
        if (p.delong)
            json.beginObject()
                .field("auc_a", p.delong->aucA)
                .field("auc_b", p.delong->aucB)
                .field("z", p.delong->z)
                .field("p", p.delong->p)
                .endObject();
        else
            json.null();
        if (!p.delong) json.field("delong_skipped", p.delongSkipped);
        json.key("baselines")
            .beginObject()
            .key("zero_rule")
            .beginObject()
            .field("metric", p.bootstrap.metric)
            .field("value", p.zeroRule)
            .field("a", p.metricA)
            .field("b", p.metricB)
            .field("lift_a", p.metricA - p.zeroRule)
            .field("lift_b", p.metricB - p.zeroRule)
            .endObject();
        if (pinnedPairs) {
            const auto& q = *pinnedPairs;
            json.key("pinned")
                .beginObject()
                .field("name", pinned->name)
                .field("metric", p.bootstrap.metric)
                .field("n", q.n)
                .field("value", q.value)
                .field("a", q.a)
                .field("b", q.b)
                .field("lift_a", q.a - q.value)
                .field("lift_b", q.b - q.value);
            if (!q.skipped.empty()) json.field("skipped", q.skipped);
            json.endObject();
        }
        json.endObject();
        json.field("flips_total", static_cast<std::int64_t>(p.flips.size()));
        json.key("flips").beginArray();
        const auto idsA = idsOf(a.predictions->table);
        for (std::size_t k = 0; k < p.flips.size() && k < 1000; ++k) {
            const std::size_t i = p.flips[k];
            const auto ra = p.alignment.pairs.rowsA[i], rb = p.alignment.pairs.rowsB[i];
            json.beginObject();
            if (!idsA.empty())
                json.field("id", idsA[ra]);
            else
                json.field("row", static_cast<std::int64_t>(ra));
            json.field("label",
                       a.predictions->eval.classes[static_cast<std::size_t>(a.predictions->eval.labels[ra])]);
            json.field("a", cellOf(*a.predictions, ra)).field("b", cellOf(*b.predictions, rb));
            json.endObject();
        }
        json.endArray();
        writePerClassFlips(json, *a.predictions, p);
        json.key("slice_changes").beginArray();
        for (const auto& c : p.sliceChanges) {
            json.beginObject().key("key").beginObject();
            for (const auto& [f, v] : c.key)
                json.field(f, v);
            json.endObject()
                .field("n", c.n)
                .field("accuracy_a", c.accuracyA)
                .field("accuracy_b", c.accuracyB)
                .field("delta", c.delta)
                .field("p", c.pValue)
                .field("q", c.qValue)
                .endObject();
        }
        json.endArray();
        json.endObject();
    }
    json.endObject();
    json.finish();
}

std::string md(const std::optional<std::string>& v) {
    return v ? "`" + *v + "`" : "—";
}

// Four significant digits are what a reader of a report compares; --json keeps full precision.
std::string short4(double v) {
    if (!std::isfinite(v)) return std::isnan(v) ? "n/a" : (v > 0 ? "inf" : "-inf");
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", v);
    return buffer;
}

void writeMarkdown(std::ostream& out, const Side& a, const Side& b, const std::vector<DiffEntry>& params,
                   const std::vector<DiffEntry>& tags, const std::vector<DiffEntry>& metrics,
                   const std::optional<PairedEvaluation>& paired, bool onlyDiffs, const Side* pinned,
                   const std::optional<PinnedOnPairs>& pinnedPairs) {
    out << "## Runlens diff: " << a.name << " → " << b.name << "\n\n";
    for (const auto& warning : warningsOf(a, b))
        out << "> **Warning:** " << warning << "\n\n";
    auto table = [&](const char* title, const std::vector<DiffEntry>& entries, bool onlyDiffs) {
        std::size_t shown = 0;
        for (const auto& e : entries)
            shown += !onlyDiffs || e.differs;
        if (shown == 0) return;
        out << "### " << title << "\n\n| key | " << a.name << " | " << b.name
            << " | Δ |\n|---|---|---|---|\n";
        for (const auto& e : entries) {
            if (onlyDiffs && !e.differs) continue;
            auto cell = [](const std::optional<std::string>& v) {
                if (const auto n = asNumber(v)) return "`" + short4(*n) + "`";
                return md(v);
            };
            out << "| " << e.key << " | " << cell(e.a) << " | " << cell(e.b) << " | "
                << (std::isfinite(e.delta) ? short4(e.delta) : "") << " |\n";
        }
        out << '\n';
    };
    table(onlyDiffs ? "Parameters that differ" : "Parameters", params, onlyDiffs);
    table(onlyDiffs ? "Tags that differ" : "Tags", tags, onlyDiffs);
    table("Metrics", metrics, false);
    if (pinned) {
        // The report is the default output, so --baseline must show here too, not only in --json.
        out << "### Pinned baseline " << pinned->name << "\n\n| metric | " << pinned->name << " | lift of "
            << a.name << " | lift of " << b.name << " |\n|---|---|---|---|\n";
        auto lift = [](const Side& side, const std::string& key, double base) {
            const auto it = side.metrics.find(key);
            const auto v = it == side.metrics.end() ? std::nullopt : asNumber(it->second);
            return v ? short4(*v - base) : std::string("—");
        };
        for (const auto& [key, value] : pinned->metrics)
            if (const auto v = asNumber(value))
                out << "| " << key << " | `" << short4(*v) << "` | " << lift(a, key, *v) << " | "
                    << lift(b, key, *v) << " |\n";
        out << '\n';
    }
    if (!paired) return;
    const auto& p = *paired;
    const auto& al = p.alignment.summary;
    out << "### Paired comparison on " << p.mcnemar.n << " shared examples (aligned by "
        << (al.byId ? "id" : "row") << ")\n\n";
    if (!al.clean()) out << "> " << al.warning() << "\n\n";
    out << "| | B correct | B wrong |\n|---|---|---|\n| **A correct** | " << p.mcnemar.bothCorrect << " | "
        << p.mcnemar.aOnlyCorrect << " |\n| **A wrong** | " << p.mcnemar.bOnlyCorrect << " | "
        << p.mcnemar.bothWrong << " |\n\n- McNemar exact p = " << formatPValue(p.mcnemar.exactP)
        << "; χ² (continuity corrected) = " << short4(p.mcnemar.chi2)
        << ", p = " << formatPValue(p.mcnemar.chi2P) << "\n- " << p.bootstrap.metric
        << " B − A = " << formatEstimate(p.bootstrap.delta, p.bootstrap.ciLow, p.bootstrap.ciHigh, false)
        << " (95% paired bootstrap interval, " << p.bootstrap.resamples << " resamples, seed "
        << p.bootstrap.seed << ")\n";
    if (!p.delong) out << "- DeLong not run: " << p.delongSkipped << "\n";
    if (p.delong)
        out << "- ROC AUC " << short4(p.delong->aucA) << " → " << short4(p.delong->aucB)
            << ", DeLong z = " << short4(p.delong->z) << ", p = " << formatPValue(p.delong->p) << "\n";
    out << "- zero-rule baseline (always the majority label) " << p.bootstrap.metric << " = "
        << short4(p.zeroRule) << "; lift of A " << short4(p.metricA - p.zeroRule) << ", of B "
        << short4(p.metricB - p.zeroRule) << "\n";
    if (pinnedPairs && pinnedPairs->skipped.empty())
        out << "- pinned baseline " << pinned->name << " " << p.bootstrap.metric << " = "
            << short4(pinnedPairs->value) << " on the " << pinnedPairs->n << " pairs it shares; lift of A "
            << short4(pinnedPairs->a - pinnedPairs->value) << ", of B "
            << short4(pinnedPairs->b - pinnedPairs->value) << "\n";
    else if (pinnedPairs)
        out << "- pinned baseline " << pinned->name << " not scored on the pairs: " << pinnedPairs->skipped
            << "\n";
    out << "- " << p.flips.size() << " examples flipped between right and wrong\n";
    if (const auto& flips = p.classFlips; !flips.empty()) {
        out << "\n### Per class (true class: fixed and broken by B)\n\n| class | n | fixed | broken | both "
               "wrong | "
               "McNemar p |\n|---|---|---|---|---|---|\n";
        for (const auto& f : flips)
            out << "| " << a.predictions->eval.classes[std::size_t(f.classIndex)] << " | " << f.n << " | "
                << f.fixed << " | " << f.broken << " | " << f.bothWrong << " | " << short4(f.mcnemar.exactP)
                << " |\n";
    }
    if (!p.sliceChanges.empty()) {
        out << "\n### Slices that changed significantly (BH q < 0.05)\n\n| slice | n | A | B | Δ | q "
               "|\n|---|---|---|---|---|---|\n";
        for (const auto& c : p.sliceChanges) {
            std::string key;
            for (const auto& [f, v] : c.key)
                key += (key.empty() ? "" : ", ") + f + "=" + v;
            out << "| " << key << " | " << c.n << " | " << short4(c.accuracyA) << " | " << short4(c.accuracyB)
                << " | " << short4(c.delta) << " | " << short4(c.qValue) << " |\n";
        }
    }
}

void writeFlipsCsv(const std::string& path, const Side& a, const Side& b, const PairedEvaluation& p) {
    std::ofstream out(path);
    if (!out) throw InputError("cannot write " + path);
    const auto& table = a.predictions->table;
    const auto ids = idsOf(table);
    // Ids, class names, column names and categorical values are the log's own text: a comma or a quote in
    // one must not shift the columns after it, so every field goes through the CSV writer.
    std::vector<std::string> row{"id", "label", "a", "b"};
    for (const auto& c : table.columns)
        if (c.role == ColumnRole::Feature) row.push_back(c.name);
    out << csvRow(row);
    for (auto i : p.flips) {
        const auto ra = p.alignment.pairs.rowsA[i], rb = p.alignment.pairs.rowsB[i];
        row = {ids.empty() ? std::to_string(ra) : ids[ra],
               a.predictions->eval.classes[static_cast<std::size_t>(a.predictions->eval.labels[ra])],
               cellOf(*a.predictions, ra), cellOf(*b.predictions, rb)};
        for (const auto& c : table.columns) {
            if (c.role != ColumnRole::Feature) continue;
            if (c.numeric)
                row.push_back(formatNumber(c.numbers[ra]));
            else
                row.push_back(c.codes[ra] >= 0 ? c.dictionary[static_cast<std::size_t>(c.codes[ra])] : "");
        }
        out << csvRow(row);
    }
}

// What `runlens diff --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens diff A B [-w WS] [--json] [--markdown]

What differs between two runs of a workspace (params, tags, provenance, last metric values) or two prediction
logs, and whether the difference in predictions is real: the 2x2 table of right/wrong on shared examples
(aligned by id when both logs have one; without ids, by row only when both have the same rows with the same
labels, else refused), McNemar's test (exact and continuity-corrected chi-square), a paired bootstrap
interval of the metric difference, DeLong's test of the two ROC AUCs, the flipped examples and the slices that
changed significantly (Benjamini-Hochberg q < 0.05).

Options:
  -w, --workspace WS   A and B are run names in this workspace (their evaluation sets are compared), and
                       the Compare tab's comparability warnings are printed first (different evaluation
                       sets, data versions or training budgets; runs that differ only by seed)
  --eval-set NAME      which evaluation set of the runs to compare (default: the first)
  --metric M           metric for the paired bootstrap (default accuracy; see runlens slices --help)
  --resamples N        bootstrap resamples (default 1000), --seed S (default 20261126)
  --flips-csv FILE     write every flipped example with its features to FILE
  --baseline RUN_OR_FILE  pin a baseline model (a run of -w WS, else a prediction log): JSON baseline {name,
                       metrics, lift_a, lift_b} over each log's own rows (lift = model minus baseline, so
                       negative is better for log_loss, brier and error_rate), and paired.baselines.pinned on
                       the shared pairs; the Markdown report adds a "Pinned baseline" table and line
  --label C, --score C, --positive CLASS   choose columns of prediction logs
  --json               JSON: warnings[] (sentences, empty for two log files), params[], tags[], metrics[]
                       {key, a, b, differs, delta}, paired {n, alignment
                       {by, matched, only_a, only_b, label_conflicts, duplicates, used}, both_correct,
                       a_only_correct, b_only_correct, both_wrong, mcnemar, bootstrap, delong (null with
                       delong_skipped when a model has no scores or the pairs hold fewer than two of a
                       class), baselines {zero_rule {metric, value, a, b, lift_a, lift_b}, with --baseline
                       pinned {name, metric, n, value, a, b, lift_a, lift_b}: on the n pairs the baseline's
                       log shares (by id, else by row), skipped says why when none}, flips[],
                       per_class_flips[] (multiclass logs with one class set: class, n, both_correct,
                       fixed, broken, both_wrong, wrong_changed, mcnemar_p), slice_changes[]}. Ids in one file only, ids repeated within a file
                       and ids whose labels differ are counted and left out (a one-line warning in the
                       Markdown report); the tests use the remaining `used` pairs.
  --markdown           a Markdown report (the default output), e.g. for a CI comment
  --all                list equal params and tags too in the Markdown report
  -h, --help           show this help

Two regression logs (a continuous label and prediction): the paired comparison of runlens regression A B
(aligned by id, else by row when the labels agree): paired bootstrap interval of the MAE and RMSE difference
B - A, Wilcoxon signed-rank and paired t p-values on the per-example errors (--error absolute|squared),
the share of examples where B is better and the --top N (default 10) largest increases in |error| with their
ids, as the Markdown report or --json: kind "paired_regression", a, b, alignment {by, matched, only_a,
only_b, label_conflicts, duplicates}, n, skipped, error, metrics_a, metrics_b {mae, mse, rmse, r2,
median_ae}, mae_delta, rmse_delta {delta, ci_low, ci_high, resamples, seed}, bootstrap_exact, wilcoxon
{statistic, r_plus, r_minus, zeros, z, p, exact, note}, t_test {mean_difference, t, df, p}, b_better,
a_better, ties, share_b_better, share_b_better_ci [low, high], largest_regressions[],
largest_improvements[] {row, id, error_a, error_b, change}, sentence. --prediction C chooses the prediction
column. A regression log and a classification log are refused with one line.
)";

int runDiffCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{
        {"--workspace", "-w", true}, {"--json", "", false},      {"--markdown", "", false},
        {"--all", "", false},        {"--metric", "", true},     {"--resamples", "", true},
        {"--seed", "", true},        {"--eval-set", "", true},   {"--flips-csv", "", true},
        {"--baseline", "", true},    {"--prediction", "", true}, {"--error", "", true},
        {"--top", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().size() != 2)
        throw UsageError("give exactly two runs or two prediction logs: A B");
    SliceMetric metric = SliceMetric::Accuracy;
    if (auto m = parsed.get("--metric"); m && !parseSliceMetric(*m, metric))
        throw UsageError("unknown metric '" + *m + "'");
    const int resamples = static_cast<int>(parsed.number("--resamples", 1000, 10, 1e6));
    const auto seed = static_cast<std::uint64_t>(parsed.number("--seed", 20261126, 0, 9.0e15));
    const auto& pos = parsed.positionals();

    Side a, b;
    std::unique_ptr<Workspace> ws;
    if (auto wsPath = parsed.get("--workspace")) {
        requireReadable(*wsPath);
        ws = Workspace::open(*wsPath, Workspace::Mode::ReadOnly);
        a = sideFromRun(*ws, pos[0], parsed, parsed.get("--eval-set", ""));
        b = sideFromRun(*ws, pos[1], parsed, parsed.get("--eval-set", ""));
    } else {
        auto logA = loadAnyLog(pos[0], parsed);
        auto logB = loadAnyLog(pos[1], parsed);
        requireSameKind(logA, logB);
        if (logA.regression) return diffRegressionLogs(*logA.regression, *logB.regression, parsed, out);
        for (const char* option : {"--error", "--top"})
            if (parsed.has(option)) throw UsageError(std::string(option) + " is for two regression logs");
        a = sideFromPredictions(std::move(logA.classification));
        b = sideFromPredictions(std::move(logB.classification));
        disambiguateNames(*a.predictions, *b.predictions);
        a.name = a.predictions->name;
        b.name = b.predictions->name;
    }
    std::optional<Side> pinned;
    if (auto spec = parsed.get("--baseline")) {
        // A run of the workspace when one is named so, else a prediction log.
        if (ws && ws->runId(*spec))
            pinned = sideFromRun(*ws, *spec, parsed, parsed.get("--eval-set", ""));
        else
            pinned = sideFromFile(*spec, parsed);
        if (!pinned->predictions) throw InputError("baseline " + *spec + " has no evaluation set");
    }
    const auto params = diffMaps(a.params, b.params);
    const auto tags = diffMaps(a.tags, b.tags);
    const auto metrics = diffMaps(a.metrics, b.metrics);
    std::optional<PairedEvaluation> paired;
    if (a.predictions && b.predictions)
        paired = pairedAnalysis(*a.predictions, *b.predictions, metric, resamples, seed);
    if (auto flips = parsed.get("--flips-csv")) {
        if (!paired) throw InputError("no shared evaluation set to list flipped examples from");
        writeFlipsCsv(*flips, a, b, *paired);
    }
    std::optional<PinnedOnPairs> pinnedPairs;
    if (paired && pinned)
        pinnedPairs = pinnedOnPairs(*a.predictions, *b.predictions, *pinned->predictions, *paired, metric);
    const Side* pinnedSide = pinned ? &*pinned : nullptr;
    if (parsed.has("--json"))
        writeJson(out, a, b, params, tags, metrics, paired, false, pinnedSide, pinnedPairs); // every key
    else
        writeMarkdown(out, a, b, params, tags, metrics, paired, !parsed.has("--all"), pinnedSide,
                      pinnedPairs);
    return kExitOk;
}

} // namespace

const Command kDiffCommand{"diff", "differences between two runs or two prediction logs", kUsage,
                           &runDiffCommand};

} // namespace runlens::cli
