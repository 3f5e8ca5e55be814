// `runlens report`: the ship-decision report over prediction logs or workspace runs, as JSON, HTML or PDF.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
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
};

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
    json.endArray().endObject();
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

} // namespace

int runReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{
        {"--workspace", "-w", true}, {"--eval-set", "", true},  {"--baseline", "", true},
        {"--slice-by", "", true},    {"--fairness", "", true},  {"--cost", "", true},
        {"--threshold", "", true},   {"--resamples", "", true}, {"--seed", "", true},
        {"--output", "-o", true},    {"--json", "", false}};
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

    std::vector<ShipCandidate> inputs;
    for (const auto& c : candidates)
        inputs.push_back({c.loaded->name, &c.loaded->table, &c.loaded->eval, c.run ? &*c.run : nullptr});
    // With a workspace, the candidates' seed siblings (same params but the seed) join the pool, read once.
    std::vector<Candidate> siblings;
    std::vector<ShipCandidate> poolInputs = inputs;
    if (ws) {
        const std::string setName = candidates.front().loaded->table.name;
        for (const auto& run : ws->runs()) {
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
    const ShipReport report = shipReport(inputs, options, poolInputs);
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

} // namespace runlens::cli
