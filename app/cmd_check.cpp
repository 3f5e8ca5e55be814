// `runlens check CANDIDATE --gates GATES.yaml`: release gates for CI, one PASS/FAIL line each, exit 1 when
// any fails.
#include "app/cli.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/behaviour_log.h"
#include "core/analysis/gates.h"
#include "core/store/workspace.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <new>
#include <optional>
#include <sstream>

namespace runlens::cli {

namespace {

// 1 is kept for "a gate failed", so everything that stops the gates from being checked is 2.
constexpr int kExitGateFailed = 1;
constexpr int kExitCannotCheck = 2;

// Thrown for a gates file that cannot be read or used.
struct GatesFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::vector<Gate> readGatesFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path)) throw GatesFileError("cannot read gates file " + path);
    std::ostringstream text;
    text << in.rdbuf();
    std::string error;
    auto gates = parseGates(text.str(), error);
    if (!gates) throw GatesFileError(path + ": " + error);
    return std::move(*gates);
}

struct Inputs {
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<LoadedPredictions> candidate, baseline, tests;
    std::optional<BehaviourReport> behaviour;
};

std::unique_ptr<LoadedPredictions> loadSide(const Inputs& in, const std::string& spec, const Args& args) {
    if (!in.ws) return loadPredictions(spec, args);
    const auto id = in.ws->runId(spec);
    if (!id) throw InputError("no run named '" + spec + "' in " + in.ws->path().string());
    auto loaded = loadRunPredictions(*in.ws, *id, spec, args, args.get("--eval-set", ""));
    if (!loaded) throw InputError("run " + spec + " has no evaluation set");
    return loaded;
}

// The candidate's behavioural tests: perturbed rows and their originals in one log (runlens behaviour).
BehaviourReport behaviourOf(const LoadedPredictions& log, double threshold) {
    if (!log.eval.hasScores())
        throw InputError(log.path +
                         ": behavioural tests measure score changes: the log needs a score or class "
                         "probability columns");
    std::string error;
    auto report = selfContainedBehaviourReport(log.table, log.eval, threshold, error);
    if (!report) throw InputError(error.empty() ? log.path + ": no behavioural tests" : error);
    return std::move(*report);
}

Inputs loadInputs(const Args& args) {
    Inputs in;
    if (auto wsPath = args.get("--workspace")) {
        requireReadable(*wsPath);
        in.ws = Workspace::open(*wsPath, Workspace::Mode::ReadOnly);
    }
    in.candidate = loadSide(in, args.positionals().front(), args);
    if (auto b = args.get("--baseline")) {
        in.baseline = loadSide(in, *b, args);
        if (!in.ws) disambiguateNames(*in.candidate, *in.baseline);
    }
    if (auto t = args.get("--tests")) {
        in.tests = loadPredictions(*t, args);
        in.behaviour = behaviourOf(*in.tests, args.number("--threshold", 0.5, 0, 1));
    }
    return in;
}

GateInputs gateInputs(const Inputs& in, const Args& args) {
    GateInputs g;
    g.candidateName = in.candidate->name;
    g.candidateTable = &in.candidate->table;
    g.candidate = &in.candidate->eval;
    if (in.baseline) {
        g.baselineName = in.baseline->name;
        g.baselineTable = &in.baseline->table;
        g.baseline = &in.baseline->eval;
    }
    if (in.behaviour) g.behaviour = &*in.behaviour;
    g.threshold = args.number("--threshold", 0.5, 0, 1);
    g.resamples = static_cast<int>(args.number("--resamples", 1000, 10, 1e6));
    g.seed = static_cast<std::uint64_t>(args.number("--seed", 20261126, 0, 9.0e15));
    return g;
}

std::string titleOf(const GateResult& r) {
    return r.name.empty() ? r.description : r.name + " (" + r.description + ")";
}

std::string lineOf(const GateResult& r) {
    return std::string(r.passed ? "PASS" : "FAIL") + "  " + titleOf(r) + ": " + r.valueText;
}

std::size_t failedCount(const std::vector<GateResult>& results) {
    std::size_t failed = 0;
    for (const auto& r : results)
        failed += !r.passed;
    return failed;
}

std::string summaryOf(const Inputs& in, const std::vector<GateResult>& results) {
    const std::size_t failed = failedCount(results);
    std::string text = in.candidate->name;
    if (in.baseline) text += " against " + in.baseline->name;
    text += ": " + std::to_string(results.size() - failed) + " of " + std::to_string(results.size()) +
            " gates passed";
    if (failed == 0) return text + ".";
    text += "; failed:";
    for (const auto& r : results)
        if (!r.passed) text += " " + std::to_string(r.index);
    return text + ".";
}

void writeText(std::ostream& out, const Inputs& in, const std::vector<GateResult>& results) {
    for (const auto& r : results)
        out << lineOf(r) << '\n';
    out << summaryOf(in, results) << '\n';
}

std::string markdownCell(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

void writeMarkdown(std::ostream& out, const Inputs& in, const std::vector<GateResult>& results) {
    out << "## Runlens check: " << in.candidate->name;
    if (in.baseline) out << " against " << in.baseline->name;
    out << "\n\n| | gate | value | threshold | result |\n|---|---|---|---|---|\n";
    for (const auto& r : results)
        out << "| " << (r.passed ? "✅" : "❌") << " | " << markdownCell(titleOf(r)) << " | "
            << markdownCell(r.valueText) << " | " << markdownCell(r.thresholdText) << " | "
            << (r.passed ? "pass" : "**fail**") << " |\n";
    const std::size_t failed = failedCount(results);
    out << "\n" << (failed == 0 ? "✅ " : "❌ ") << "**" << summaryOf(in, results) << "**\n";
}

void writeDetails(JsonWriter& json, const GateResult& r) {
    json.key("details").beginObject().field("metric", r.metric).field("n", r.n);
    switch (r.kind) {
    case GateKind::Metric:
        json.field("interval_method", r.intervalMethod);
        break;
    case GateKind::Baseline:
        json.field("candidate", r.candidateValue)
            .field("baseline", r.baselineValue)
            .field("test", r.test)
            .field("p", r.p);
        break;
    case GateKind::Slices:
        json.field("reference", r.reference)
            .field("small_slices", r.smallSlices)
            .field("undefined_slices", r.undefinedSlices)
            .key("slices")
            .beginArray();
        for (const auto& s : r.slices) {
            json.beginObject().key("key").beginObject();
            for (const auto& [f, v] : s.key)
                json.field(f, v);
            json.endObject()
                .field("n", s.n)
                .field("reference_n", s.referenceN)
                .field("value", s.value)
                .field("reference", s.reference)
                .field("drop", s.drop)
                .field("failed", s.failed)
                .endObject();
        }
        json.endArray();
        break;
    case GateKind::Perturbation:
        if (r.tests)
            json.field("perturbation", r.tests->name)
                .field("tests", r.tests->n)
                .field("flips", r.tests->flips)
                .field("tested", r.tests->tested)
                .field("failures", r.tests->failures);
        break;
    case GateKind::Fairness:
        json.key("groups").beginArray();
        for (const auto& g : r.groups)
            json.beginObject()
                .field("group", g.group)
                .field("n", g.n)
                .field("selection_rate", g.selectionRate)
                .field("tpr", g.tpr)
                .field("fpr", g.fpr)
                .endObject();
        json.endArray();
        break;
    }
    json.endObject();
}

void writeJson(std::ostream& out, const Inputs& in, const std::vector<GateResult>& results) {
    JsonWriter json(out);
    const std::size_t failed = failedCount(results);
    json.beginObject().field("kind", "check").field("candidate", in.candidate->path).key("baseline");
    in.baseline ? json.value(in.baseline->path) : json.null();
    json.key("tests");
    in.tests ? json.value(in.tests->path) : json.null();
    json.field("passed", failed == 0)
        .field("passed_count", results.size() - failed)
        .field("failed_count", failed)
        .key("gates")
        .beginArray();
    for (const auto& r : results) {
        json.beginObject()
            .field("index", r.index)
            .field("kind", std::string(gateKindName(r.kind)))
            .field("name", r.name)
            .field("description", r.description)
            .field("passed", r.passed)
            .field("value", r.value)
            .key("ci");
        r.ci ? json.beginArray().value(r.ci->low).value(r.ci->high).endArray() : json.null();
        json.field("threshold", r.threshold)
            .field("direction", r.direction)
            .field("line", lineOf(r))
            .field("sentence", r.sentence);
        writeDetails(json, r);
        json.endObject();
    }
    json.endArray().field("summary", summaryOf(in, results)).endObject();
    json.finish();
}

int runCheck(const std::vector<std::string>& args, std::ostream& out) {
    std::vector<OptionSpec> specs{{"--gates", "", true},     {"--baseline", "", true},
                                  {"--tests", "", true},     {"--workspace", "-w", true},
                                  {"--eval-set", "", true},  {"--json", "", false},
                                  {"--markdown", "", false}, {"--threshold", "", true},
                                  {"--resamples", "", true}, {"--seed", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().size() != 1)
        throw UsageError("give one CANDIDATE (a prediction log or, with -w, a run)");
    if (parsed.has("--json") && parsed.has("--markdown"))
        throw UsageError("give --json or --markdown, not both");
    const std::string gatesPath = parsed.require("--gates");
    parsed.number("--threshold", 0.5, 0, 1);
    parsed.number("--resamples", 1000, 10, 1e6);
    parsed.number("--seed", 20261126, 0, 9.0e15);
    const std::vector<Gate> gates = readGatesFile(gatesPath); // a bad gates file fails before any log is read
    const Inputs in = loadInputs(parsed);
    const GateInputs gateIn = gateInputs(in, parsed);
    for (const auto& gate : gates)
        if (const auto problem = gateInputProblem(gate, gateIn); !problem.empty())
            throw GatesFileError(gatesPath + ": " + problem);
    std::vector<GateResult> results;
    for (const auto& gate : gates)
        results.push_back(evaluateGate(gate, gateIn));
    if (parsed.has("--json"))
        writeJson(out, in, results);
    else if (parsed.has("--markdown"))
        writeMarkdown(out, in, results);
    else
        writeText(out, in, results);
    return failedCount(results) == 0 ? kExitOk : kExitGateFailed;
}

std::string oneLine(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

// What `runlens check --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens check CANDIDATE --gates GATES.yaml [--baseline B] [--tests FILE] [--json | --markdown]
                     [-w WS [--eval-set NAME]] [--threshold T] [--resamples N] [--seed S]
                     [--label C --score C --positive CLASS]

Release gates for CI: every gate in GATES.yaml is checked on CANDIDATE (a prediction log, or with -w a run of
the workspace, as is --baseline B) and prints one line, PASS or FAIL, then a summary line.

GATES.yaml holds `gates:` and a list; each gate is one of
  - metric: auc          min: 0.80 (or max:)     accuracy, error_rate, auc, f1, precision, recall, log_loss,
                                                 brier, ece (uniform bins, `bins: 10`; multiclass: top-label)
    The point value is held to the limit; its 95% interval (Wilson for rates, bootstrap otherwise) is shown.
  - metric: auc          not_worse_than_baseline: true   [margin: 0.01]
    Paired on the examples both logs share (by id, else by row): fails when the candidate is significantly
    worse (alpha 0.05). Without a margin the test decides: DeLong for auc, exact McNemar for accuracy and
    error_rate; other metrics, and any gate with a margin, fail when the whole 95% interval of
    candidate - baseline (DeLong's normal interval for auc, the paired bootstrap otherwise) is worse than
    the margin.
  - slices: [region, device, [region, device]]   min_n: 100   max_drop: 0.05   [metric: accuracy]
    Each entry is a slicing (a list is a cross of up to three columns; numeric columns in quartiles). Fails
    when a slice with n >= min_n (in both logs with a baseline) is worse by more than max_drop (0.05 = 5
    points) than the baseline's same slice, or, without --baseline, than the candidate's overall metric.
  - perturbation: typo   max_flip_rate: 0.02 (or max_failure_rate:)
    From the behavioural test log --tests FILE (see runlens behaviour --help): the share of tests whose
    predicted class flipped (or that failed their expectation) must stay at or under the limit.
  - fairness: gender     min_ratio: 0.8 (or max_difference:)   [measure: demographic_parity | equalized_odds]
    Fairlearn's ratio (or difference) across the column's groups, from score >= --threshold.
Any gate may have `name: TEXT`, shown before its description. A value that cannot be computed (an AUC on one
class) fails its gate.

Options:
  --gates FILE         the gates file (required)
  --baseline B         the model to compare with (a prediction log, or a run with -w)
  --tests FILE         the candidate's behavioural test-result log, for perturbation gates
  -w WS                CANDIDATE and B are runs of this workspace (their evaluation set; --eval-set NAME)
  --threshold T        score >= T predicts the positive class without a prediction column (default 0.5)
  --resamples N        bootstrap resamples (default 1000); --seed S (default 20261126)
  --label C, --score C, --positive CLASS   choose columns
  --json               JSON for CI: kind "check", candidate, baseline (or null), tests (or null), passed,
                       passed_count, failed_count, gates[] {index, kind (metric, baseline, slices,
                       perturbation, fairness), name, description, passed, value, ci [low, high] or null,
                       threshold, direction (min: value >= threshold passes; max: <=), line, sentence,
                       details {metric, n, ...: interval_method; candidate, baseline, test, p; reference,
                       slices[] {key, n, reference_n, value, reference, drop, failed}, small_slices,
                       undefined_slices; perturbation, tested, flips, failures; column, groups[]}}
  --markdown           a GitHub-flavoured summary: a table | | gate | value | threshold | result | and a line

Exit status: 0 every gate passed; 1 at least one gate failed (the report is still printed); 2 the gates could
not be checked: a usage error, a gates file that cannot be read or used (its error names the gate and key),
or an input log that cannot be read, so that 1 always means the model failed a gate.
)";

int runCheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        return runCheck(args, out);
    } catch (const UsageError&) {
        throw; // the shared handler prints it with the pointer to --help (exit 2)
    } catch (const std::bad_alloc&) {
        err << "runlens: out of memory\n";
    } catch (const std::exception& e) {
        err << "runlens: " << oneLine(e.what()) << '\n';
    }
    return kExitCannotCheck;
}

} // namespace

const Command kCheckCommand{
    "check", "release gates: PASS/FAIL per gate on a candidate's predictions, exit 1 when one fails", kUsage,
    &runCheckCommand};

} // namespace runlens::cli
