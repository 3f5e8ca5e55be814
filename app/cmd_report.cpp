// `runlens report`: the ship-decision report over prediction logs or workspace runs, as JSON, HTML or PDF.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "app/power_law_json.h"
#include "app/prediction_input.h"
#include "core/analysis/behaviour_log.h"
#include "core/analysis/cost_quality.h"
#include "core/analysis/ship_report.h"
#include "core/store/workspace.h"
#include "ui/report/ship_report_document.h"

#include <algorithm>
#include <filesystem>
#include <memory>

namespace runlens::cli {

namespace {

struct Candidate {
    std::unique_ptr<LoadedPredictions> loaded;
    std::optional<RunInfo> run;
    std::string source;
    std::optional<BehaviourReport> behaviour;
};

// The behavioural tests of a candidate run: the first of its other evaluation sets that is a test log.
std::optional<BehaviourReport> runBehaviour(const Workspace& ws, const Candidate& c, const Args& args) {
    for (const auto& info : ws.predictionTables(c.run->id)) {
        if (info.name == c.loaded->table.name) continue;
        try {
            const auto loaded = loadRunPredictions(ws, c.run->id, c.run->name, args, info.name);
            if (!loaded || !looksLikeBehaviourTable(loaded->table)) continue;
            std::string error;
            if (auto report = selfContainedBehaviourReport(loaded->table, loaded->eval,
                                                           args.number("--threshold", 0.5, 0, 1), error))
                return report;
        } catch (const InputError&) {
            // a set that cannot be read as predictions is no test log
        }
    }
    return std::nullopt;
}

// --tests LOG[,LOG...]: one behavioural-test log per candidate, in the candidates' order ("" skips one).
void attachTestLogs(std::vector<Candidate>& candidates, const std::string& list, const Args& args) {
    std::vector<std::string> logs;
    std::string item;
    for (const char ch : list + ",") {
        if (ch != ',') {
            item += ch;
            continue;
        }
        logs.push_back(item);
        item.clear();
    }
    if (logs.size() != candidates.size())
        throw UsageError("--tests names " + std::to_string(logs.size()) + " log(s) for " +
                         std::to_string(candidates.size()) +
                         " candidate(s): give one per candidate, in order");
    for (std::size_t i = 0; i < logs.size(); ++i) {
        if (logs[i].empty()) continue;
        const auto loaded = loadPredictions(logs[i], args);
        std::string error;
        candidates[i].behaviour = selfContainedBehaviourReport(loaded->table, loaded->eval,
                                                               args.number("--threshold", 0.5, 0, 1), error);
        if (!candidates[i].behaviour)
            throw InputError(error.empty() ? logs[i] + ": no behavioural tests" : error);
    }
}

void writeBehaviourJson(JsonWriter& json, const BehaviourReport& b) {
    json.key("behaviour").beginArray();
    for (const auto& p : b.perturbations)
        json.beginObject()
            .field("perturbation", p.name)
            .field("n", p.n)
            .field("flip_rate", p.flipRate)
            .field("failure_rate", p.failureRate)
            .field("severity", std::string(behaviourSeverityName(p.severity)))
            .field("sentence", p.sentence)
            .endObject();
    json.endArray();
}

void writeLearningCurvesJson(JsonWriter& json, const CandidateLearningCurves& lc) {
    json.key("learning_curves").beginObject();
    if (!lc.error.empty()) {
        json.field("error", lc.error).endObject();
        return;
    }
    json.field("size_param", lc.sizeKey)
        .field("metric", lc.metric)
        .field("higher_is_better", lc.higherIsBetter)
        .field("target_size", lc.targetSize);
    json.key("families").beginArray();
    for (std::size_t k = 0; k < lc.families.size(); ++k) {
        const auto& f = lc.families[k];
        json.beginObject().field("candidate", f.name);
        json.key("runs").beginArray();
        for (const auto& run : f.runs)
            json.value(run);
        json.endArray();
        json.key("fit");
        writePowerLawFit(json, f.fit);
        if (f.fit.ok) {
            json.key("at_target").beginObject();
            writePowerLawPrediction(json, lc.atTarget[k]);
            json.endObject();
        }
        json.endObject();
    }
    json.endArray();
    const auto nameOf = [&](int k) {
        return k < 0 ? std::string() : lc.families[static_cast<std::size_t>(k)].name;
    };
    json.field("leader", nameOf(lc.outlook.leader)).field("overtaker", nameOf(lc.outlook.overtaker));
    json.field("overtake_size", lc.outlook.overtakeSize).field("sentence", lc.sentence);
    json.key("notes").beginArray();
    for (const auto& n : lc.notes)
        json.value(n);
    json.endArray().endObject();
}

Candidate fromRun(const Workspace& ws, const std::string& name, const Args& args) {
    const auto id = ws.runId(name);
    if (!id) throw InputError(ws.path().string() + ": no run named '" + name + "'");
    Candidate c;
    c.run = ws.run(*id);
    c.loaded = loadRunPredictions(ws, *id, name, args, args.get("--eval-set", ""));
    if (!c.loaded) throw InputError(name + ": the run has no evaluation set");
    c.source = "run " + name + " (" + c.loaded->table.name + ")";
    return c;
}

Candidate fromFile(const std::string& path, const Args& args) {
    Candidate c;
    c.loaded = loadPredictions(path, args);
    c.source = path;
    return c;
}

void writeJson(std::ostream& out, const ShipReport& r) {
    JsonWriter json(out);
    json.beginObject()
        .field("kind", "ship_report")
        .field("primary_metric", std::string(sliceMetricInfo(r.primary).name))
        .field("leader", r.candidates[r.leader].name)
        .field("recommendation", r.recommendation);
    json.key("candidates").beginArray();
    for (const auto& c : r.candidates) {
        json.beginObject().field("name", c.name).field("n", c.n);
        json.key("metrics").beginArray();
        for (const auto& m : c.metrics)
            json.beginObject()
                .field("name", m.name)
                .field("value", m.cell.value)
                .field("ci_low", m.cell.ciLow)
                .field("ci_high", m.cell.ciHigh)
                .endObject();
        json.endArray().field("zero_rule", c.zeroRule);
        if (c.calibration.available)
            json.field("ece", c.calibration.report.ece)
                .field("ece_after_platt", c.calibration.eceAfterPlatt)
                .field("ece_after_isotonic", c.calibration.eceAfterIsotonic)
                .field("calibration", c.calibration.sentence);
        json.key("worst_slices").beginArray();
        for (const auto& s : c.worstSlices) {
            std::string key;
            for (const auto& [f, v] : s.key)
                key += (key.empty() ? "" : ", ") + f + " = " + v;
            json.beginObject()
                .field("slice", key)
                .field("n", s.n)
                .field("error_rate", s.errorRate)
                .field("rest_error_rate", s.restErrorRate)
                .field("q", s.qValue)
                .endObject();
        }
        json.endArray();
        if (c.fairness)
            json.field("demographic_parity_ratio", c.fairness->demographicParityRatio)
                .field("equalized_odds_difference", c.fairness->equalizedOddsDifference);
        if (c.behaviour) writeBehaviourJson(json, *c.behaviour);
        json.endObject();
    }
    json.endArray();
    json.key("pairs").beginArray();
    for (const auto& p : r.pairs) {
        json.beginObject().field("leader", p.leader).field("other", p.other).field("sentence", p.sentence);
        if (p.paired) {
            json.field("test", p.test).field("p", p.p).field("significant", p.significant);
            json.field("delta", p.paired->bootstrap.delta);
            json.key("delta_ci")
                .beginArray()
                .value(p.paired->bootstrap.ciLow)
                .value(p.paired->bootstrap.ciHigh)
                .endArray();
        } else {
            json.field("error", p.error);
        }
        json.endObject();
    }
    json.endArray();
    json.key("slices").beginArray();
    for (const auto& s : r.slices) {
        json.beginObject().field("feature", s.feature);
        if (s.report)
            json.field("reversal", std::string(reversalName(s.report->simpson.reversal)))
                .field("explanation", s.report->simpson.explanation);
        else
            json.field("error", s.error);
        json.endObject();
    }
    json.endArray();
    json.key("recommendations").beginArray();
    for (const auto& rec : r.recommendations)
        json.beginObject()
            .field("candidate", rec.candidate)
            .field("verdict", rec.verdict)
            .field("reason", rec.reason)
            .endObject();
    json.endArray();
    json.key("caveats").beginArray();
    for (const auto& c : r.caveats)
        json.value(c);
    json.endArray();
    json.key("seed_noise").beginArray();
    for (const auto& n : r.seedNoise) {
        json.beginObject().field("candidate", n.candidate);
        json.key("runs").beginArray();
        for (const auto& run : n.runs)
            json.value(run);
        json.endArray()
            .field("mean", n.mean)
            .field("std", n.std)
            .field("min", n.min)
            .field("max", n.max)
            .field("sentence", n.sentence)
            .endObject();
    }
    json.endArray();
    json.key("comparability").beginArray();
    for (const auto& c : r.comparability)
        json.value(c);
    json.endArray();
    if (r.learningCurves) writeLearningCurvesJson(json, *r.learningCurves);
    json.endObject();
    json.finish();
}

void writeText(std::ostream& out, const ShipReport& r) {
    out << r.recommendation << "\n\n";
    for (const auto& rec : r.recommendations)
        out << "  " << rec.candidate << ": " << rec.verdict
            << (rec.reason.empty() ? "" : " (" + rec.reason + ")") << '\n';
    for (const auto& p : r.pairs)
        out << '\n' << p.sentence;
    if (!r.pairs.empty()) out << '\n';
    if (!r.caveats.empty()) {
        out << "\nCaveats:\n";
        for (const auto& c : r.caveats)
            out << "  - " << c << '\n';
    }
}

// What `runlens report --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens report CANDIDATE... [-w WS] [--baseline NAME] [-o report.html|report.pdf] [--json]

Which model to ship, in one document a reviewer can sign: every candidate's evaluation set through the
checklist, ending in a recommendation table and every caveat in plain words.
  1. each candidate's metrics with 95% intervals beside the zero rule;
  2. whether the leader's lead over each other candidate is real (DeLong for AUC, McNemar otherwise, paired
     bootstrap interval of the lead);
  3. calibration (ECE, MCE, Brier) and whether Platt or isotonic recalibration helps, out of fold;
  4. slices per feature with Simpson's-paradox verdicts, and where each candidate errs most;
  5. fairness across --fairness COL;
  6. behavioural tests (perturbation flip and failure rates) where logged: --tests, or with -w a candidate
     run's other evaluation set that is a test log (perturbation and original-id columns);
  7. who wins with more data (with -w): each candidate's configuration (every param but the training-set
     size and the seed) at the sizes it was run with, its metric fitted by a * size^b + c, projected, and the
     size where another candidate's fit overtakes the leader;
  8. cost against quality with the Pareto front (with -w, when the runs log a cost);
  9. comparability: different evaluation sets, data versions or training budgets.
Sections with nothing logged are left out and the rest numbered in order.

CANDIDATE is a prediction log (CSV, TSV, JSONL), or with -w a run of the workspace (its --eval-set, else its
first evaluation set). The primary metric is AUC when every candidate is binary with scores, else accuracy.

Options:
  -w, --workspace WS   candidates are runs of this workspace
  --eval-set NAME      with -w: the evaluation set to judge
  --baseline NAME      the candidate that is in production now (a candidate's name, or another log or run,
                       which is then added as a candidate)
  --slice-by C[,C...]  feature columns to slice by (default: every shared feature column, at most 6)
  --fairness COL       a sensitive column for the fairness section
  --cost C             with -w: the cost axis (default: a recognised cost the runs log)
  --tests LOG[,LOG...] behavioural-test logs (tests and originals in one log), one per candidate in order
                       (the --baseline last when it was added); an empty entry skips a candidate
  --size-param KEY     with -w: the training-set size param (default: the candidates' param named like a
                       size: train_size, n_train, num_samples, dataset_size)
  --curve-metric TAG   with -w: the series whose last value is fitted (default: the validation series with a
                       direction in its name, e.g. val/loss, that most of those runs log)
  --project-to SIZE    with -w: the size to project to (default: 10x the largest size run)
  --threshold T        decision threshold on scores without a prediction column (default 0.5)
  --resamples N        bootstrap resamples (default 1000); --seed S
  -o, --output FILE    write the report: .html (self-contained, charts as inline SVG) or .pdf
  --json               the report's numbers: kind "ship_report", primary_metric, leader, recommendation,
                       candidates[] {name, n, metrics[] {name, value, ci_low, ci_high}, zero_rule, ece,
                       ece_after_platt, ece_after_isotonic, calibration, worst_slices[]}, pairs[] {leader,
                       other, test, p, significant, lead_ci, sentence}, slices[] {feature, reversal,
                       explanation}, recommendations[] {candidate, verdict, reason}, caveats[], comparability[],
                       candidates[].behaviour[] {perturbation, n, flip_rate, failure_rate, severity, sentence},
                       learning_curves {size_param, metric, higher_is_better, target_size, families[]
                       {candidate, runs[], fit {a, b, c, rmse} or {error}, at_target {value, ci_low, ci_high,
                       prediction_low, prediction_high}}, leader, overtaker, overtake_size, sentence, notes[]}
                       (or {error})
  --label C, --score C, --positive CLASS   choose columns of prediction logs
  -h, --help           show this help
)";

int runReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{
        {"--workspace", "-w", true}, {"--eval-set", "", true},     {"--baseline", "", true},
        {"--slice-by", "", true},    {"--fairness", "", true},     {"--cost", "", true},
        {"--threshold", "", true},   {"--resamples", "", true},    {"--seed", "", true},
        {"--output", "-o", true},    {"--json", "", false},        {"--tests", "", true},
        {"--size-param", "", true},  {"--curve-metric", "", true}, {"--project-to", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().empty()) throw UsageError("give one or more candidates");
    std::unique_ptr<Workspace> ws;
    if (auto wsPath = parsed.get("--workspace")) {
        requireReadable(*wsPath);
        ws = Workspace::open(*wsPath, Workspace::Mode::ReadOnly);
    }
    std::vector<Candidate> candidates;
    for (const auto& name : parsed.positionals())
        candidates.push_back(ws ? fromRun(*ws, name, parsed) : fromFile(name, parsed));
    ShipOptions options;
    if (auto baseline = parsed.get("--baseline")) {
        const auto named = std::find_if(candidates.begin(), candidates.end(), [&](const Candidate& c) {
            return c.loaded->name == *baseline || c.source == *baseline;
        });
        if (named == candidates.end())
            candidates.push_back(ws && ws->runId(*baseline) ? fromRun(*ws, *baseline, parsed)
                                                            : fromFile(*baseline, parsed));
    }
    if (!ws) {
        std::vector<LoadedPredictions*> logs;
        for (auto& c : candidates)
            logs.push_back(c.loaded.get());
        disambiguateNames(logs);
    }
    if (auto baseline = parsed.get("--baseline")) {
        for (const auto& c : candidates)
            if (c.loaded->name == *baseline || c.source == *baseline || c.loaded->path == *baseline)
                options.baseline = c.loaded->name;
    }
    if (auto columns = parsed.get("--slice-by")) options.sliceColumns = splitCommaList(*columns);
    options.fairnessColumn = parsed.get("--fairness", "");
    options.threshold = parsed.number("--threshold", 0.5, 0, 1);
    options.resamples = static_cast<int>(parsed.number("--resamples", 1000, 10, 1e6));
    options.seed = static_cast<std::uint64_t>(parsed.number("--seed", 20261126, 0, 9.0e15));
    options.curves.sizeKey = parsed.get("--size-param", "");
    options.curves.metric = parsed.get("--curve-metric", "");
    options.curves.targetSize = parsed.number("--project-to", 0, 0, 1e18);
    if (auto tests = parsed.get("--tests")) attachTestLogs(candidates, *tests, parsed);
    if (ws)
        for (auto& c : candidates)
            if (c.run && !c.behaviour) c.behaviour = runBehaviour(*ws, c, parsed);

    std::vector<ShipCandidate> inputs;
    for (const auto& c : candidates)
        inputs.push_back({c.loaded->name, &c.loaded->table, &c.loaded->eval, c.run ? &*c.run : nullptr,
                          c.behaviour ? &*c.behaviour : nullptr});
    // With a workspace, the candidates' seed siblings (same params but the seed) join the pool, read once.
    std::vector<Candidate> siblings;
    std::vector<ShipCandidate> poolInputs = inputs;
    std::vector<RunInfo> workspaceRuns;
    if (ws) {
        const std::string setName = candidates.front().loaded->table.name;
        workspaceRuns = ws->runs();
        for (const auto& run : workspaceRuns) {
            const bool candidate = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& c) {
                return c.run && c.run->id == run.id;
            });
            const bool sibling = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& c) {
                return c.run && seedSiblings(*c.run, run);
            });
            if (candidate || !sibling) continue;
            try {
                Candidate c;
                c.loaded = loadRunPredictions(*ws, run.id, run.name, parsed, setName);
                c.run = run;
                if (c.loaded) siblings.push_back(std::move(c));
            } catch (const InputError&) {
                // a sibling whose set cannot be judged gives no seed noise
            }
        }
        for (const auto& c : siblings)
            poolInputs.push_back({c.loaded->name, &c.loaded->table, &c.loaded->eval, &*c.run});
    }
    const ShipReport report = shipReport(inputs, options, poolInputs, workspaceRuns);
    if (!report.error.empty()) throw InputError(report.error);

    ui::ShipReportContext context;
    for (const auto& c : candidates)
        context.sources << QString::fromStdString(c.loaded->name + ": " + c.source);
    if (ws) {
        std::vector<RunInfo> runs;
        for (const auto& c : candidates)
            if (c.run) runs.push_back(*c.run);
        CostQualityRequest request;
        request.quality = std::string(kEvalPrefix) + std::string(sliceMetricInfo(report.primary).name);
        if (auto cost = parsed.get("--cost")) request.costs = {*cost};
        const auto evaluationOf = [&](const RunInfo& run, SliceMetric metric) -> std::optional<SliceCell> {
            for (const auto& c : candidates)
                if (c.run && c.run->id == run.id)
                    return evaluationQuality(c.loaded->table, c.loaded->eval, metric);
            return std::nullopt;
        };
        auto study = costQualityStudy(runs, request, evaluationOf);
        if (study.error.empty() || parsed.has("--cost")) context.costStudy = std::move(study);
    }

    if (auto output = parsed.get("--output")) {
        QString error;
        bool written = false;
        withHeadlessApplication(
            [&] { written = ui::writeShipReport(report, context, QString::fromStdString(*output), &error); });
        if (!written) throw InputError(error.toStdString());
    }
    if (parsed.has("--json"))
        writeJson(out, report);
    else if (!parsed.has("--output"))
        writeText(out, report);
    return kExitOk;
}

} // namespace

const Command kReportCommand{"report", "which model to ship: the checklist report as HTML, PDF or JSON",
                             kUsage, &runReportCommand};

} // namespace runlens::cli
