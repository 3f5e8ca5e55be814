// Group rates and disparity measures across a sensitive column, wired from core/analysis/fairness.
#include "app/slices_fairness.h"

#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/fairness.h"
#include "core/analysis/report_text.h"

#include <cmath>

namespace runlens::cli {

namespace {

void writeRate(JsonWriter& json, std::string_view key, double rate, const stats::Interval& ci, bool defined) {
    if (defined)
        json.field(key, rate);
    else
        json.key(key).null();
    json.key(std::string(key) + "_ci").beginArray().value(ci.low).value(ci.high).endArray();
}

void writeJson(std::ostream& out, const std::string& path, const std::string& column,
               const FairnessReport& r) {
    JsonWriter json(out);
    json.beginObject().field("kind", "fairness").field("file", path).field("column", column);
    json.key("groups").beginArray();
    for (const auto& g : r.groups) {
        json.beginObject().field("group", g.group).field("n", g.n).field("weight", g.weight);
        writeRate(json, "selection_rate", g.selectionRate, g.selectionCi, true);
        writeRate(json, "tpr", g.tpr, g.tprCi, g.tprDefined);
        writeRate(json, "fpr", g.fpr, g.fprCi, g.fprDefined);
        writeRate(json, "precision", g.precision, g.precisionCi, g.precisionDefined);
        json.endObject();
    }
    json.endArray();
    json.field("demographic_parity_difference", r.demographicParityDifference)
        .field("demographic_parity_ratio", r.demographicParityRatio)
        .field("equalized_odds_difference", r.equalizedOddsDifference)
        .field("equalized_odds_ratio", r.equalizedOddsRatio)
        .field("tpr_difference", r.tprDifference)
        .field("fpr_difference", r.fprDifference)
        .field("severity", std::string(fairnessSeverityName(r.severity)))
        .field("sentence", r.sentence)
        .endObject();
    json.finish();
}

std::string rateText(double rate, const stats::Interval& ci, bool defined) {
    if (!defined) return "n/a";
    return formatPercent(rate) + " [" + formatPercent(ci.low) + ", " + formatPercent(ci.high) + "]";
}

void writeText(std::ostream& out, const std::string& name, const std::string& column,
               const FairnessReport& r) {
    out << name << ": fairness across '" << column << "'\n\n";
    for (const auto& g : r.groups)
        out << g.group << " (n " << g.n << "): selection " << rateText(g.selectionRate, g.selectionCi, true)
            << ", TPR " << rateText(g.tpr, g.tprCi, g.tprDefined) << ", FPR "
            << rateText(g.fpr, g.fprCi, g.fprDefined) << ", precision "
            << rateText(g.precision, g.precisionCi, g.precisionDefined) << '\n';
    out << "\ndemographic parity: difference " << runlens::formatNumber(r.demographicParityDifference, 3)
        << ", ratio " << runlens::formatNumber(r.demographicParityRatio, 3) << "\nequalized odds: difference "
        << runlens::formatNumber(r.equalizedOddsDifference, 3) << ", ratio "
        << runlens::formatNumber(r.equalizedOddsRatio, 3) << '\n'
        << r.sentence << '\n';
}

} // namespace

int runFairnessReport(const Args& args, const std::string& column, std::ostream& out) {
    const auto& files = args.positionals();
    if (files.size() != 1) throw UsageError("--fairness takes one prediction log");
    const auto loaded = loadPredictions(files.front(), args);
    std::string error;
    const auto report = fairnessOfEvaluation(loaded->table, loaded->eval, column,
                                             args.number("--threshold", 0.5, 0, 1), error);
    if (!report) throw InputError(error);
    if (args.has("--json"))
        writeJson(out, loaded->path, column, *report);
    else
        writeText(out, loaded->name, column, *report);
    return kExitOk;
}

} // namespace runlens::cli
