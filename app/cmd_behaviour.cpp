// `runlens behaviour`: invariance and directional-expectation tests (CheckList style) from a test-result
// log, per perturbation with Wilson intervals, the worst examples and per-slice rates.
#include "app/cli.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/behaviour_log.h"
#include "core/analysis/report_text.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace runlens::cli {

namespace {

void writeInterval(JsonWriter& json, std::string_view key, const stats::Interval& ci) {
    json.key(key).beginArray().value(ci.low).value(ci.high).endArray();
}

// One model's behaviour on the tests, and B's paired comparison when --compare gave one.
struct Comparison {
    std::string fileB;
    std::size_t matched = 0;
    std::vector<RobustnessComparison> perturbations;
};

void writeComparison(JsonWriter& json, const Comparison& c) {
    json.key("comparison")
        .beginObject()
        .field("file_b", c.fileB)
        .field("matched_tests", std::int64_t(c.matched));
    json.key("perturbations").beginArray();
    for (const auto& p : c.perturbations) {
        json.beginObject()
            .field("perturbation", p.perturbation)
            .field("n", p.n)
            .field("flips_a", p.flipsA)
            .field("flips_b", p.flipsB)
            .field("flip_rate_a", p.flipRateA)
            .field("flip_rate_b", p.flipRateB)
            .field("difference", p.difference);
        writeInterval(json, "difference_ci", p.differenceCi);
        json.key("mcnemar")
            .beginObject()
            .field("a_only_stable", p.mcnemar.aOnlyCorrect)
            .field("b_only_stable", p.mcnemar.bOnlyCorrect)
            .field("exact_p", p.mcnemar.exactP)
            .endObject();
        json.field("violations_a", p.violationsA).field("violations_b", p.violationsB);
        json.field("violation_mcnemar_p", p.violationMcnemar.exactP)
            .field("sentence", p.sentence)
            .endObject();
    }
    json.endArray().endObject();
}

void writeJson(std::ostream& out, const std::string& path, const BehaviourReport& report,
               const BehaviourLog& log, const Comparison* comparison) {
    const OriginalJoin& join = log.join;
    JsonWriter json(out);
    json.beginObject()
        .field("kind", "behaviour")
        .field("file", path)
        .field("rows", report.rows)
        .field("missing_original", report.missingOriginal)
        .field("duplicate_original_ids", join.duplicateOriginalIds)
        .field("sentence", report.sentence);
    json.key("perturbations").beginArray();
    for (const auto& p : report.perturbations) {
        json.beginObject()
            .field("name", p.name)
            .field("expected", std::string(expectedDirectionName(p.expected)))
            .field("mixed_expectations", p.mixedExpectations)
            .field("n", p.n)
            .field("missing_original", p.missingOriginal)
            .field("flips", p.flips)
            .field("flip_rate", p.flipRate);
        writeInterval(json, "flip_ci", p.flipCi);
        json.field("mean_change", p.meanChange).field("mean_abs_change", p.meanAbsChange);
        json.key("change_quantiles")
            .beginObject()
            .field("q05", p.q05)
            .field("q25", p.q25)
            .field("median", p.median)
            .field("q75", p.q75)
            .field("q95", p.q95)
            .endObject();
        json.field("directional", p.directional)
            .field("violations", p.violations)
            .field("violation_rate", p.violationRate);
        writeInterval(json, "violation_ci", p.violationCi);
        json.field("tested", p.tested).field("failures", p.failures).field("failure_rate", p.failureRate);
        writeInterval(json, "failure_ci", p.failureCi);
        json.field("severity", std::string(behaviourSeverityName(p.severity))).field("sentence", p.sentence);
        json.key("worst").beginArray();
        for (const auto& w : p.worst) {
            json.beginObject().field("row", log.perturbedRows[w.row] + 1);
            if (!log.ids.empty()) json.field("id", log.ids[log.perturbedRows[w.row]]);
            json.field("original", log.originalKey[w.row])
                .field("original_score", w.originalScore)
                .field("perturbed_score", w.perturbedScore)
                .field("change", w.change)
                .field("flipped", w.flipped)
                .field("violated", w.violated)
                .endObject();
        }
        json.endArray();
        json.key("slices").beginArray();
        for (const auto& s : p.slices) {
            json.beginObject()
                .field("slice", s.slice)
                .field("n", s.n)
                .field("flips", s.flips)
                .field("flip_rate", s.flipRate);
            writeInterval(json, "flip_ci", s.flipCi);
            json.field("directional", s.directional)
                .field("violations", s.violations)
                .field("violation_rate", s.violationRate);
            writeInterval(json, "violation_ci", s.violationCi);
            json.endObject();
        }
        json.endArray().endObject();
    }
    json.endArray();
    if (comparison) writeComparison(json, *comparison);
    json.endObject();
    json.finish();
}

void writeText(std::ostream& out, const std::string& name, const BehaviourReport& report,
               const Comparison* comparison) {
    out << name << ": " << report.rows << " perturbed rows";
    if (report.missingOriginal > 0)
        out << " (" << report.missingOriginal << " without their original, left out)";
    out << "\n\n";
    for (const auto& p : report.perturbations) {
        out << p.name << " (expect " << expectedDirectionName(p.expected) << ", n " << p.n << "): flips "
            << formatPercent(p.flipRate) << " [" << formatPercent(p.flipCi.low) << ", "
            << formatPercent(p.flipCi.high) << "], mean score change "
            << runlens::formatNumber(p.meanChange, 3);
        if (p.directional > 0)
            out << ", direction violations " << formatPercent(p.violationRate) << " ["
                << formatPercent(p.violationCi.low) << ", " << formatPercent(p.violationCi.high) << "]";
        out << "; severity " << behaviourSeverityName(p.severity) << "\n  " << p.sentence << '\n';
    }
    if (!report.sentence.empty()) out << '\n' << report.sentence << '\n';
    if (!comparison) return;
    out << "\nA = " << name << ", B = " << comparison->fileB << " (" << comparison->matched
        << " of the tests in both):\n";
    for (const auto& c : comparison->perturbations)
        out << "  " << c.sentence << '\n';
}

// A loaded test-result log: its table and evaluation set, the tests and the two models' outputs.
struct LoadedTests {
    std::unique_ptr<LoadedPredictions> perturbedLog, originalLog;
    BehaviourLog log;
    BehaviourModel perturbed, original;
};

LoadedTests loadTests(const std::string& path, const std::optional<std::string>& originalPath,
                      const Args& args) {
    LoadedTests t;
    t.perturbedLog = loadPredictions(path, args);
    if (!t.perturbedLog->eval.hasScores())
        throw InputError(t.perturbedLog->path +
                         ": behavioural tests measure score changes: the log needs a score "
                         "or class probability columns");
    if (originalPath) t.originalLog = loadPredictions(*originalPath, args);
    BehaviourColumnChoice choice;
    choice.perturbation = args.get("--perturbation", "");
    choice.originalId = args.get("--orig-id", "");
    choice.expectation = args.get("--expect", "");
    choice.slice = args.get("--slice", "");
    std::string error;
    auto log = behaviourLogFrom(t.perturbedLog->table, t.originalLog ? &t.originalLog->table : nullptr,
                                choice, error);
    if (!log) throw InputError(error);
    t.log = std::move(*log);
    const BehaviourModel all = behaviourModelOf(t.perturbedLog->eval);
    t.perturbed = behaviourRows(all, t.log.perturbedRows);
    t.original = t.originalLog ? behaviourModelOf(t.originalLog->eval) : all;
    if (t.original.classes != t.perturbed.classes)
        throw InputError("the original and perturbed logs have different class sets");
    return t;
}

// What `runlens behaviour --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens behaviour FILE [--original ORIG] [--slice COL] [--compare FILE_B] [--json]

Behavioural tests in the style of CheckList: invariance (the predicted class should not flip) and
directional expectations (the score should go up / down) per perturbation, each rate with a Wilson 95%
interval, the distribution of the score change, the worst examples, per-slice rates and a severity.

A test-result log is a prediction log (label and score or class probability columns) with a column naming
each row's original example (orig_id, original_id or example_id), the perturbation (perturbation or test;
rows with an empty value or "original" are the originals, found by their id column) and optionally the
expected direction (expect: same, up, down or none). With --original ORIG the originals are another log
joined on its id column, and every row of FILE is a perturbed row.

With --compare FILE_B, model B's log of the same tests (matched by perturbation, original id and id) is
compared with FILE's, paired: per perturbation both flip rates, their difference with Newcombe's interval
for paired proportions, McNemar's exact test and which model is more robust.

Options:
  --original ORIG      the log of the original examples (a pair of logs aligned by id)
  --compare FILE_B     model B's test-result log of the same tests
  --compare-original O model B's log of the originals (default: B's own original rows)
  --perturbation C, --orig-id C, --expect C   choose those columns
  --slice COL          rates per value of COL too
  --target-class C     multiclass: the class whose score is tracked (default: the original's predicted class)
  --tolerance T        a directional test fails only when the score moves the wrong way by more than T
  --threshold T        binary decisions without a prediction column (default 0.5); --worst N (default 10)
  --label C, --score C, --positive CLASS   choose columns
  --json               JSON: kind "behaviour", rows, missing_original, duplicate_original_ids, sentence,
                       perturbations[] {name, expected, mixed_expectations, n, missing_original, flips,
                       flip_rate, flip_ci [low, high], mean_change, mean_abs_change, change_quantiles {q05,
                       q25, median, q75, q95}, directional, violations, violation_rate, violation_ci, tested,
                       failures, failure_rate, failure_ci, severity (none, minor, major), sentence, worst[]
                       {row, id, original, original_score, perturbed_score, change, flipped, violated},
                       slices[] {slice, n, flips, flip_rate, flip_ci, directional, violations,
                       violation_rate, violation_ci}}; with --compare, comparison {file_b, matched_tests,
                       perturbations[] {perturbation, n, flips_a, flips_b, flip_rate_a, flip_rate_b,
                       difference (B - A), difference_ci, mcnemar {a_only_stable, b_only_stable, exact_p},
                       violations_a, violations_b, violation_mcnemar_p, sentence}}
  -h, --help           show this help
)";

int runBehaviourCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{
        {"--json", "", false},        {"--original", "", true},  {"--perturbation", "", true},
        {"--orig-id", "", true},      {"--expect", "", true},    {"--slice", "", true},
        {"--target-class", "", true}, {"--tolerance", "", true}, {"--threshold", "", true},
        {"--worst", "", true},        {"--compare", "", true},   {"--compare-original", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().size() != 1) throw UsageError("give one test-result log");
    if (parsed.has("--compare-original") && !parsed.has("--compare"))
        throw UsageError("--compare-original needs --compare FILE_B");
    const LoadedTests a = loadTests(parsed.positionals().front(), parsed.get("--original"), parsed);

    BehaviourOptions options;
    options.threshold = parsed.number("--threshold", 0.5, 0, 1);
    options.tolerance = parsed.number("--tolerance", 0, 0, 1e9);
    options.worstK = static_cast<std::size_t>(parsed.number("--worst", 10, 0, 10000));
    if (auto target = parsed.get("--target-class")) {
        const auto& classes = a.perturbedLog->eval.classes;
        const auto it = std::find(classes.begin(), classes.end(), *target);
        if (it == classes.end()) throw InputError("no class named '" + *target + "'");
        options.targetClass = int(it - classes.begin());
    }
    const BehaviourTests tests = a.log.tests();
    const auto report = behaviourReport(tests, a.perturbed.view(), a.original.view(), options);

    std::optional<Comparison> comparison;
    if (auto fileB = parsed.get("--compare")) {
        // B's originals are B's own scores of them: --compare-original, else B's own original rows.
        const LoadedTests b = loadTests(*fileB, parsed.get("--compare-original"), parsed);
        if (b.log.join.missing == std::int64_t(b.log.perturbation.size()))
            throw InputError(*fileB + ": none of its tests has its original in it; give model B's scores of "
                                      "the originals with --compare-original");
        if (b.perturbedLog->eval.classes != a.perturbedLog->eval.classes)
            throw InputError(*fileB + ": its classes differ from " + a.perturbedLog->path +
                             "'s, so the tests cannot be paired");
        const AlignedModel aligned = alignToLog(a.log, b.log, b.perturbed, b.original);
        if (aligned.matched == 0)
            throw InputError(*fileB + ": none of its tests match " + a.perturbedLog->path +
                             "'s (same perturbation, original id and id)");
        comparison =
            Comparison{b.perturbedLog->path, aligned.matched,
                       compareRobustness(tests, a.perturbed.view(), a.original.view(),
                                         aligned.perturbed.view(), aligned.original.view(), options)};
    }
    const Comparison* c = comparison ? &*comparison : nullptr;
    if (parsed.has("--json"))
        writeJson(out, a.perturbedLog->path, report, a.log, c);
    else
        writeText(out, a.perturbedLog->name, report, c);
    return kExitOk;
}

} // namespace

const Command kBehaviourCommand{"behaviour", "invariance and directional behavioural tests per perturbation",
                                kUsage, &runBehaviourCommand};

} // namespace runlens::cli
