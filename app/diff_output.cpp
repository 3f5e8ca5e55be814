// The report of `runlens diff A B` as JSON, Markdown and the flipped examples' CSV (split from cmd_diff.cpp,
// which loads the two sides and compares them).
#include "app/diff_output.h"

#include "app/json_writer.h"
#include "core/analysis/multiclass_report.h"
#include "core/analysis/number_format.h"
#include "core/analysis/run_diff.h"
#include "core/analysis/slice_finder.h"
#include "core/model/csv_text.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace runlens::cli {

namespace {

std::optional<double> asNumber(const std::optional<std::string>& text) {
    return text ? wholeNumber(*text) : std::nullopt;
}

// The Compare tab's comparability warnings for two workspace runs; none for two log files, which hold no
// params, provenance or training curves to compare.
std::vector<std::string> warningsOf(const DiffSide& a, const DiffSide& b) {
    if (!a.run || !b.run) return {};
    const RunInfo runs[] = {*a.run, *b.run};
    return comparabilityWarnings(runs, {a.evalSets, b.evalSets});
}

std::vector<std::string> idsOf(const PredictionTable& table) {
    return exampleIds(table);
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

} // namespace

void writeDiffJson(std::ostream& out, const DiffSide& a, const DiffSide& b,
                   const std::vector<DiffEntry>& params, const std::vector<DiffEntry>& tags,
                   const std::vector<DiffEntry>& metrics, const std::optional<PairedEvaluation>& paired,
                   bool onlyDiffs, const DiffSide* pinned, const std::optional<PinnedOnPairs>& pinnedPairs) {
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

void writeDiffMarkdown(std::ostream& out, const DiffSide& a, const DiffSide& b,
                       const std::vector<DiffEntry>& params, const std::vector<DiffEntry>& tags,
                       const std::vector<DiffEntry>& metrics, const std::optional<PairedEvaluation>& paired,
                       bool onlyDiffs, const DiffSide* pinned,
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
        auto lift = [](const DiffSide& side, const std::string& key, double base) {
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

void writeFlipsCsv(const std::string& path, const DiffSide& a, const DiffSide& b, const PairedEvaluation& p) {
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

} // namespace runlens::cli
