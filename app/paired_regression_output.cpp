// The paired comparison of two regressors as text, JSON and Markdown, for regression A B and diff A B.
#include "app/paired_regression_output.h"

#include "app/json_writer.h"
#include "core/analysis/number_format.h"
#include "core/analysis/paired_regression.h"
#include "core/analysis/report_text.h"
#include "core/model/number_text.h"

#include <cmath>

namespace runlens::cli {

namespace {

std::string num(double v) {
    return regressionNumber(v);
}

void writeMetricsObject(JsonWriter& json, const RegressionMetrics& m) {
    json.beginObject()
        .field("mae", m.mae)
        .field("mse", m.mse)
        .field("rmse", m.rmse)
        .field("r2", m.r2)
        .field("median_ae", m.medianAe)
        .endObject();
}

std::string exampleName(const RegressionAlignment& aligned, std::size_t row) {
    return aligned.byId ? "id " + aligned.ids[row] : "row " + std::to_string(row + 1);
}

// diff's report format: the same numbers as the text, as tables a CI comment renders.
void writeMarkdown(std::ostream& out, const PairedRegressionSide& a, const PairedRegressionSide& b,
                   const RegressionAlignment& aligned, const PairedRegressionComparison& c,
                   const RegressionMetrics& ma, const RegressionMetrics& mb, const std::string& error) {
    out << "## Runlens diff: " << a.name << " → " << b.name << "\n\n";
    out << "### Paired regression comparison on " << c.n << " shared examples (aligned by "
        << (aligned.byId ? "id" : "row") << ")\n\n";
    if (aligned.onlyA + aligned.onlyB + aligned.labelConflicts + aligned.duplicates > 0)
        out << "> " << aligned.onlyA << " ids only in A, " << aligned.onlyB << " only in B, "
            << aligned.labelConflicts << " with conflicting labels, " << aligned.duplicates
            << " duplicated; left out\n\n";
    out << "| metric | " << a.name << " | " << b.name
        << " | B − A | 95% paired bootstrap interval |\n|---|---|---|---|---|\n";
    out << "| MAE | `" << num(ma.mae) << "` | `" << num(mb.mae) << "` | " << num(c.maeDelta.delta) << " | ["
        << num(c.maeDelta.ciLow) << ", " << num(c.maeDelta.ciHigh) << "] |\n";
    out << "| RMSE | `" << num(ma.rmse) << "` | `" << num(mb.rmse) << "` | " << num(c.rmseDelta.delta)
        << " | [" << num(c.rmseDelta.ciLow) << ", " << num(c.rmseDelta.ciHigh) << "] |\n\n";
    out << "- bootstrap: " << c.maeDelta.resamples << " resamples, seed " << c.maeDelta.seed << "\n";
    out << "- Wilcoxon signed-rank on " << error << " errors: p = " << formatPValue(c.wilcoxon.p)
        << (c.wilcoxon.exact ? " (exact)" : " (normal approximation)") << "\n";
    out << "- paired t: t = " << num(c.tTest.t) << ", p = " << formatPValue(c.tTest.p) << "\n";
    out << "- B better on " << c.bBetter << " examples (" << formatPercent(c.shareBBetter) << "), A on "
        << c.aBetter << ", ties " << c.ties << "\n- " << c.sentence << "\n";
    if (c.largestRegressions.empty()) return;
    // "|error|" would split a Markdown cell: the header names the error kind instead.
    out << "\n### Largest regressions (B worse)\n\n| example | " << error << " error A | " << error
        << " error B | increase |\n|---|---|---|---|\n";
    for (const auto& x : c.largestRegressions)
        out << "| " << exampleName(aligned, x.row) << " | " << num(x.errorA) << " | " << num(x.errorB)
            << " | " << num(x.change) << " |\n";
}

void writeChange(JsonWriter& json, const ExampleChange& c, const RegressionAlignment& aligned) {
    json.beginObject().field("row", c.row);
    if (aligned.byId)
        json.field("id", aligned.ids[c.row]);
    else
        json.key("id").null();
    json.field("error_a", c.errorA).field("error_b", c.errorB).field("change", c.change).endObject();
}

void writeDelta(JsonWriter& json, std::string_view key, const BootstrapDelta& d) {
    json.key(key)
        .beginObject()
        .field("delta", d.delta)
        .field("ci_low", d.ciLow)
        .field("ci_high", d.ciHigh)
        .field("resamples", d.resamples)
        .field("seed", static_cast<std::int64_t>(d.seed))
        .endObject();
}

} // namespace

BootstrapOptions bootstrapOptionsOf(const Args& args) {
    BootstrapOptions options;
    options.resamples = static_cast<int>(args.number("--resamples", 1000, 10, 100000));
    options.seed = static_cast<std::uint64_t>(args.number("--seed", 20261126, 0, 9.0e15));
    return options;
}

std::string regressionNumber(double v) {
    return significantText(v, 4, kReportNonFinite);
}

int writePairedRegression(const PairedRegressionSide& sideA, const PairedRegressionSide& sideB,
                          const Args& args, PairedRegressionFormat format, std::ostream& out) {
    const auto& a = sideA;
    const auto& b = sideB;
    const auto aligned = alignRegressionLogs(*a.log, *b.log);
    if (!aligned.refusal.empty()) throw InputError(a.path + " and " + b.path + ": " + aligned.refusal);
    PairedRegressionOptions options;
    const std::string error = args.get("--error", "absolute");
    if (error == "squared")
        options.kind = PairedErrorKind::Squared;
    else if (error != "absolute")
        throw UsageError("--error is absolute or squared");
    options.topK = static_cast<std::size_t>(args.number("--top", 10, 0, 10000));
    options.bootstrap = bootstrapOptionsOf(args);
    const auto c = compareRegressors(aligned.labels, aligned.predictionsA, aligned.predictionsB, options);
    const auto ma = regressionMetrics(aligned.labels, aligned.predictionsA);
    const auto mb = regressionMetrics(aligned.labels, aligned.predictionsB);
    if (format == PairedRegressionFormat::Markdown) {
        writeMarkdown(out, a, b, aligned, c, ma, mb, error);
        return kExitOk;
    }
    if (format == PairedRegressionFormat::Text) {
        out << "B = " << b.name << " against A = " << a.name << ": " << c.n << " shared examples, aligned by "
            << (aligned.byId ? "id" : "row") << '\n';
        if (aligned.onlyA + aligned.onlyB + aligned.labelConflicts + aligned.duplicates > 0)
            out << "warning: " << aligned.onlyA << " ids only in A, " << aligned.onlyB << " only in B, "
                << aligned.labelConflicts << " with conflicting labels, " << aligned.duplicates
                << " duplicated; left out\n";
        out << "MAE  A " << num(ma.mae) << "  B " << num(mb.mae) << "  B - A " << num(c.maeDelta.delta)
            << " [" << num(c.maeDelta.ciLow) << ", " << num(c.maeDelta.ciHigh) << "]\n";
        out << "RMSE A " << num(ma.rmse) << "  B " << num(mb.rmse) << "  B - A " << num(c.rmseDelta.delta)
            << " [" << num(c.rmseDelta.ciLow) << ", " << num(c.rmseDelta.ciHigh) << "]\n";
        out << "Wilcoxon signed-rank on " << error << " errors: p = " << num(c.wilcoxon.p)
            << (c.wilcoxon.exact ? " (exact)" : " (normal approximation)")
            << "; paired t: t = " << num(c.tTest.t) << ", p = " << num(c.tTest.p) << '\n';
        out << "B better on " << c.bBetter << " examples (" << formatPercent(c.shareBBetter) << "), A on "
            << c.aBetter << ", ties " << c.ties << '\n'
            << c.sentence << '\n';
        if (!c.largestRegressions.empty()) out << "\nlargest regressions (B worse):\n";
        for (const auto& x : c.largestRegressions)
            out << "  " << (aligned.byId ? "id " + aligned.ids[x.row] : "row " + std::to_string(x.row + 1))
                << ": error " << num(x.errorA) << " -> " << num(x.errorB) << '\n';
        return kExitOk;
    }
    JsonWriter json(out);
    json.beginObject().field("kind", "paired_regression").field("a", a.path).field("b", b.path);
    json.key("alignment")
        .beginObject()
        .field("by", aligned.byId ? "id" : "row")
        .field("matched", aligned.matched)
        .field("only_a", aligned.onlyA)
        .field("only_b", aligned.onlyB)
        .field("label_conflicts", aligned.labelConflicts)
        .field("duplicates", aligned.duplicates)
        .endObject();
    json.field("n", c.n).field("skipped", c.skipped).field("error", error);
    json.key("metrics_a");
    writeMetricsObject(json, ma);
    json.key("metrics_b");
    writeMetricsObject(json, mb);
    writeDelta(json, "mae_delta", c.maeDelta);
    writeDelta(json, "rmse_delta", c.rmseDelta);
    json.field("bootstrap_exact", c.bootstrapExact);
    json.key("wilcoxon")
        .beginObject()
        .field("statistic", c.wilcoxon.statistic)
        .field("r_plus", c.wilcoxon.rPlus)
        .field("r_minus", c.wilcoxon.rMinus)
        .field("zeros", c.wilcoxon.zeros)
        .field("z", c.wilcoxon.z)
        .field("p", c.wilcoxon.p)
        .field("exact", c.wilcoxon.exact)
        .field("note", c.wilcoxon.note)
        .endObject();
    json.key("t_test")
        .beginObject()
        .field("mean_difference", c.tTest.meanDifference)
        .field("t", c.tTest.t)
        .field("df", c.tTest.df)
        .field("p", c.tTest.p)
        .endObject();
    json.field("b_better", c.bBetter).field("a_better", c.aBetter).field("ties", c.ties);
    json.field("share_b_better", c.shareBBetter);
    json.key("share_b_better_ci")
        .beginArray()
        .value(c.shareBBetterCi.low)
        .value(c.shareBBetterCi.high)
        .endArray();
    json.key("largest_regressions").beginArray();
    for (const auto& x : c.largestRegressions)
        writeChange(json, x, aligned);
    json.endArray();
    json.key("largest_improvements").beginArray();
    for (const auto& x : c.largestImprovements)
        writeChange(json, x, aligned);
    json.endArray();
    json.field("sentence", c.sentence).endObject();
    json.finish();
    return kExitOk;
}

} // namespace runlens::cli
