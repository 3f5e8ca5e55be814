// `runlens checks`: assumption checks on prediction logs (feature drift and label shift against a reference,
// an accuracy trend over time, single-feature leakage hints), each with a severity and a plain sentence.
#include "app/cli.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/drift_checks.h"
#include "core/analysis/report_text.h"
#include "core/model/number_text.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>

namespace runlens::cli {

namespace {

using Features = std::vector<const PredictionColumn*>;

DriftSeverity worse(DriftSeverity a, DriftSeverity b) {
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

std::string severityText(DriftSeverity s) {
    return std::string(driftSeverityName(s));
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// --features C1,C2: the names, trimmed; an empty name is a typo, not a column.
std::vector<std::string> requestedFeatures(const Args& args) {
    std::vector<std::string> names;
    const auto text = args.get("--features");
    if (!text) return names;
    std::size_t start = 0;
    while (start <= text->size()) {
        const std::size_t comma = std::min(text->find(',', start), text->size());
        const std::string name(textnum::trim(std::string_view(*text).substr(start, comma - start)));
        if (name.empty()) throw UsageError("--features needs column names separated by commas");
        names.push_back(name);
        start = comma + 1;
    }
    return names;
}

// The x of the trend: a time column's values (seconds for ISO-8601 text) or the row index.
struct TimeAxis {
    std::string column; // empty for row order
    std::string source; // "option", "auto" or "row_order"
    std::string note;   // why a time-named column was not used
    std::vector<double> values;

    std::string label() const { return column.empty() ? std::string("row order") : column; }
};

// A column's cells as times: a numeric column as it is, text as ISO-8601 (or numbers in seconds, ms or us,
// which a column mixing both holds as text); the first bad row otherwise.
std::optional<std::size_t> readTimes(const PredictionColumn& column, std::vector<double>& out) {
    out.assign(column.size(), std::numeric_limits<double>::quiet_NaN());
    if (column.numeric) {
        out = column.numbers;
        return std::nullopt;
    }
    for (std::size_t r = 0; r < column.size(); ++r) {
        if (column.codes[r] < 0) continue; // missing: left out of the trend
        const auto& text = column.dictionary[std::size_t(column.codes[r])];
        if (textnum::parseTimestamp(text, out[r]) != textnum::Parsed::Number) return r;
    }
    return std::nullopt;
}

TimeAxis optionTime(const LoadedPredictions& log, const std::string& name) {
    const PredictionColumn* column = log.table.column(name);
    if (!column) throw InputError(log.path + ": no column '" + name + "' for --time");
    TimeAxis axis{name, "option", "", {}};
    if (const auto bad = readTimes(*column, axis.values))
        throw InputError(log.path + ": column '" + name + "', row " + std::to_string(*bad + 1) + ": '" +
                         cellText(*column, *bad) + "' is not a number or an ISO-8601 time");
    return axis;
}

TimeAxis timeAxis(const LoadedPredictions& log, const std::optional<std::string>& option) {
    if (option) return optionTime(log, *option);
    TimeAxis axis{"", "row_order", "", {}};
    for (std::string_view wanted : {"timestamp", "time", "date", "created_at"})
        for (const auto& column : log.table.columns) {
            if (column.role != ColumnRole::Feature || lower(column.name) != wanted) continue;
            std::vector<double> values;
            if (!readTimes(column, values)) return {column.name, "auto", "", std::move(values)};
            if (axis.note.empty()) axis.note = "column '" + column.name + "' holds text that is not a time";
        }
    axis.values.resize(log.table.rows());
    for (std::size_t r = 0; r < axis.values.size(); ++r)
        axis.values[r] = double(r);
    return axis;
}

// --features when given (each must be in the log), else every feature column but the one used as time.
Features featureColumns(const LoadedPredictions& log, const std::vector<std::string>& requested,
                        const std::string& timeColumn) {
    Features out;
    for (const auto& name : requested) {
        const PredictionColumn* column = log.table.column(name);
        if (!column) throw InputError(log.path + ": no column '" + name + "' (from --features)");
        out.push_back(column);
    }
    if (!requested.empty()) return out;
    for (const auto& column : log.table.columns)
        if (column.role == ColumnRole::Feature && column.name != timeColumn) out.push_back(&column);
    return out;
}

const PredictionColumn* byName(const Features& features, const std::string& name) {
    for (const auto* f : features)
        if (f->name == name) return f;
    return nullptr;
}

std::vector<std::string> textsOf(const PredictionColumn& column) {
    std::vector<std::string> out(column.size());
    for (std::size_t r = 0; r < out.size(); ++r)
        out[r] = cellText(column, r);
    return out;
}

// The drift inputs of the features both logs have; the spans point into the tables and into `texts`.
struct DriftData {
    std::deque<std::vector<std::string>> texts; // a deque: growing it moves no element the spans point to
    std::vector<DriftFeatureInput> inputs;
    std::vector<std::pair<std::string, std::string>> skipped; // feature, why
};

void addDriftInput(DriftData& data, const PredictionColumn& reference, const PredictionColumn& current) {
    DriftFeatureInput in;
    in.name = current.name;
    in.numeric = reference.numeric && current.numeric; // a text column in either compares as categories
    if (in.numeric) {
        in.referenceNumbers = reference.numbers;
        in.currentNumbers = current.numbers;
    } else {
        in.referenceCategories = data.texts.emplace_back(textsOf(reference));
        in.currentCategories = data.texts.emplace_back(textsOf(current));
    }
    data.inputs.push_back(in);
}

DriftData driftData(const Features& reference, const Features& current) {
    DriftData data;
    for (const auto* c : current) {
        if (const auto* r = byName(reference, c->name))
            addDriftInput(data, *r, *c);
        else
            data.skipped.emplace_back(c->name, "not in the reference");
    }
    for (const auto* r : reference)
        if (!byName(current, r->name)) data.skipped.emplace_back(r->name, "not in the current log");
    return data;
}

// Class counts of both logs over the union of their class names (reference's order first).
LabelShift labelShiftOf(const LoadedPredictions& reference, const LoadedPredictions& current,
                        std::vector<std::string>& classes) {
    classes = reference.eval.classes;
    for (const auto& c : current.eval.classes)
        if (std::find(classes.begin(), classes.end(), c) == classes.end()) classes.push_back(c);
    std::vector<std::vector<std::int64_t>> counts;
    for (const auto* log : {&reference, &current}) {
        std::vector<std::int64_t> n(classes.size(), 0);
        for (int label : log->eval.labels) {
            const auto& name = log->eval.classes[std::size_t(label)];
            ++n[std::size_t(std::find(classes.begin(), classes.end(), name) - classes.begin())];
        }
        counts.push_back(std::move(n));
    }
    const std::vector<std::string> sets{reference.name, current.name};
    return labelShift(sets, counts, classes);
}

// 1 where the predicted class is the label: the prediction column, else score >= threshold, else argmax.
std::vector<double> correctness(const EvaluationSet& e, double threshold) {
    const auto correct = correctPerRow(e, threshold);
    return std::vector<double>(correct.begin(), correct.end());
}

struct Leak {
    std::string set;
    bool auc = false; // judged by AUC (numeric feature, binary label), else by purity
    LeakageHint hint;
    DriftSeverity severity() const { return hint.suspicious ? DriftSeverity::Major : DriftSeverity::None; }
};

void addLeakage(const LoadedPredictions& log, const Features& features, std::vector<Leak>& out) {
    const auto& e = log.eval;
    for (const auto* f : features) {
        Leak leak{log.name, f->numeric && e.classCount() == 2, {}};
        leak.hint = f->numeric ? numericLeakage(f->name, f->numbers, e.labels, e.classCount())
                               : categoricalLeakage(f->name, textsOf(*f), e.labels, e.classCount());
        out.push_back(std::move(leak));
    }
}

struct Report {
    std::string file, reference;
    std::optional<DriftReport> drift;
    std::vector<std::pair<std::string, std::string>> skipped;
    std::optional<LabelShift> labelShift;
    std::vector<std::string> classes;
    TimeAxis axis;
    PerformanceTrend trend;
    std::vector<Leak> leakage;
    DriftSeverity severity = DriftSeverity::None;
    std::string sentence;
};

DriftSeverity driftSeverity(const DriftReport& d) {
    return d.major > 0 ? DriftSeverity::Major : d.minor > 0 ? DriftSeverity::Minor : DriftSeverity::None;
}

// The worst severity and one sentence listing what the checks found.
void summarise(Report& r) {
    std::vector<std::string> findings;
    if (r.drift) {
        r.severity = worse(r.severity, driftSeverity(*r.drift));
        if (r.drift->major + r.drift->minor > 0)
            findings.push_back("drift in " + std::to_string(r.drift->major + r.drift->minor) +
                               " feature(s) (" + std::to_string(r.drift->major) + " major)");
    }
    if (r.labelShift) {
        r.severity = worse(r.severity, r.labelShift->severity);
        if (r.labelShift->severity != DriftSeverity::None)
            findings.push_back(severityText(r.labelShift->severity) + " label shift");
    }
    r.severity = worse(r.severity, r.trend.severity);
    if (r.trend.severity != DriftSeverity::None)
        findings.push_back(severityText(r.trend.severity) + " accuracy trend against " + r.axis.label());
    std::string leaks;
    for (const auto& l : r.leakage) {
        r.severity = worse(r.severity, l.severity());
        if (l.hint.suspicious) leaks += (leaks.empty() ? "" : ", ") + l.hint.feature + " (" + l.set + ")";
    }
    if (!leaks.empty()) findings.push_back("possible leakage in " + leaks);
    if (findings.empty()) {
        r.sentence = "No check found a problem.";
        return;
    }
    r.sentence = "Found ";
    for (std::size_t i = 0; i < findings.size(); ++i)
        r.sentence += (i == 0 ? "" : "; ") + findings[i];
    r.sentence += ".";
}

Report runChecks(const LoadedPredictions& current, const LoadedPredictions* reference, const Args& args) {
    Report r;
    r.file = current.path;
    r.axis = timeAxis(current, args.get("--time"));
    const auto requested = requestedFeatures(args);
    const Features currentFeatures = featureColumns(current, requested, r.axis.column);
    if (currentFeatures.empty())
        throw InputError(current.path + ": no feature columns to check (every column is a label, score, "
                                        "class probability, prediction, id or the time)");
    if (reference) {
        r.reference = reference->path;
        const Features referenceFeatures = featureColumns(*reference, requested, r.axis.column);
        const DriftData data = driftData(referenceFeatures, currentFeatures);
        r.drift = driftChecks(data.inputs);
        r.skipped = data.skipped;
        r.labelShift = labelShiftOf(*reference, current, r.classes);
        addLeakage(*reference, referenceFeatures, r.leakage);
    }
    addLeakage(current, currentFeatures, r.leakage);
    const double threshold = args.number("--threshold", 0.5, 0, 1);
    r.trend = performanceTrend(r.axis.values, correctness(current.eval, threshold), "accuracy");
    summarise(r);
    return r;
}

void writeDriftJson(JsonWriter& json, const Report& r) {
    json.key("drift");
    if (!r.drift) {
        json.null();
        return;
    }
    json.beginObject().key("features").beginArray();
    for (const auto& f : r.drift->features) {
        json.beginObject()
            .field("feature", f.feature)
            .field("numeric", f.numeric)
            .field("n_reference", f.nReference)
            .field("n_current", f.nCurrent)
            .field("psi", f.psi.psi)
            .field("test", f.test)
            .field("statistic", f.test == "ks" ? f.ks.statistic : f.chi2.statistic)
            .field("p", f.p)
            .field("p_adjusted", f.pAdjusted)
            .field("severity", severityText(f.severity))
            .field("sentence", f.sentence)
            .endObject();
    }
    json.endArray().key("skipped").beginArray();
    for (const auto& [feature, reason] : r.skipped)
        json.beginObject().field("feature", feature).field("reason", reason).endObject();
    json.endArray()
        .field("major", r.drift->major)
        .field("minor", r.drift->minor)
        .field("severity", severityText(driftSeverity(*r.drift)))
        .field("sentence", r.drift->sentence)
        .endObject();
}

void writeLabelShiftJson(JsonWriter& json, const Report& r) {
    json.key("label_shift");
    if (!r.labelShift) {
        json.null();
        return;
    }
    const LabelShift& s = *r.labelShift;
    json.beginObject().key("sets").beginArray();
    for (const auto& name : s.sets)
        json.value(name);
    json.endArray().key("classes").beginArray();
    for (const auto& name : r.classes)
        json.value(name);
    json.endArray().key("priors").beginArray();
    for (const auto& priors : s.priors) {
        json.beginArray();
        for (double p : priors)
            json.value(p);
        json.endArray();
    }
    json.endArray()
        .field("chi2", s.chi2.statistic)
        .field("dof", s.chi2.dof)
        .field("p", s.chi2.p)
        .field("psi", s.psiFromFirst.size() > 1 ? s.psiFromFirst[1] : 0.0)
        .field("severity", severityText(s.severity))
        .field("sentence", s.sentence)
        .endObject();
}

void writeTrendJson(JsonWriter& json, const Report& r) {
    const PerformanceTrend& t = r.trend;
    json.key("trend").beginObject().field("x", r.axis.label()).field("x_source", r.axis.source);
    if (!r.axis.note.empty()) json.field("x_note", r.axis.note);
    json.field("metric", "accuracy")
        .field("n", t.fit.n)
        .field("slope", t.fit.slope)
        .field("intercept", t.fit.intercept)
        .field("p", t.fit.p)
        .field("change_over_range", t.changeOverRange)
        .field("mean", t.mean)
        .field("severity", severityText(t.severity))
        .field("sentence", t.sentence)
        .key("windows")
        .beginArray();
    for (const auto& w : t.windows)
        json.beginObject()
            .field("x_low", w.xLow)
            .field("x_high", w.xHigh)
            .field("n", w.n)
            .field("mean", w.mean)
            .field("ci_low", w.ciLow)
            .field("ci_high", w.ciHigh)
            .endObject();
    json.endArray().endObject();
}

void writeLeakageJson(JsonWriter& json, const Report& r) {
    json.key("leakage").beginArray();
    for (const auto& l : r.leakage) {
        json.beginObject()
            .field("feature", l.hint.feature)
            .field("set", l.set)
            .field("numeric", l.hint.numeric);
        if (l.auc)
            json.field("auc", l.hint.auc);
        else
            json.field("purity", l.hint.purity).field("majority_share", l.hint.majorityShare);
        json.field("suspicious", l.hint.suspicious)
            .field("severity", severityText(l.severity()))
            .field("sentence", l.hint.sentence)
            .endObject();
    }
    json.endArray();
}

void writeJson(std::ostream& out, const Report& r) {
    JsonWriter json(out);
    json.beginObject().field("kind", "checks").field("file", r.file).key("reference");
    if (r.reference.empty())
        json.null();
    else
        json.value(r.reference);
    json.field("severity", severityText(r.severity)).field("sentence", r.sentence);
    writeDriftJson(json, r);
    writeLabelShiftJson(json, r);
    writeTrendJson(json, r);
    writeLeakageJson(json, r);
    json.endObject();
    json.finish();
}

std::string num(double v) {
    return significantText(v, 4, kReportNonFinite);
}

void writeDriftText(std::ostream& out, const Report& r) {
    if (!r.drift) return;
    out << "Drift against the reference:\n";
    for (const auto& f : r.drift->features)
        out << "  " << f.feature << " (" << (f.numeric ? "numeric" : "categorical") << ", n " << f.nReference
            << " / " << f.nCurrent << "): PSI " << num(f.psi.psi) << ", "
            << (f.numeric ? "KS D " : "chi-square ")
            << num(f.test == "ks" ? f.ks.statistic : f.chi2.statistic) << ", p " << num(f.p) << ", BH "
            << num(f.pAdjusted) << "; severity " << driftSeverityName(f.severity) << "\n    " << f.sentence
            << '\n';
    for (const auto& [feature, reason] : r.skipped)
        out << "  " << feature << ": skipped, " << reason << '\n';
    out << "  " << r.drift->sentence << " Severity " << driftSeverityName(driftSeverity(*r.drift)) << ".\n\n";
}

void writeLabelShiftText(std::ostream& out, const Report& r) {
    if (!r.labelShift) return;
    const LabelShift& s = *r.labelShift;
    out << "Label shift:\n";
    for (std::size_t k = 0; k < r.classes.size(); ++k) {
        out << "  " << r.classes[k] << ":";
        for (std::size_t i = 0; i < s.priors.size(); ++i)
            out << ' ' << s.sets[i] << ' ' << formatPercent(s.priors[i][k]);
        out << '\n';
    }
    out << "  " << s.sentence << " Severity " << driftSeverityName(s.severity) << ".\n\n";
}

void writeTrendText(std::ostream& out, const Report& r) {
    const PerformanceTrend& t = r.trend;
    out << "Accuracy trend against " << r.axis.label() << " (" << t.fit.n << " rows";
    if (!r.axis.note.empty()) out << "; " << r.axis.note;
    out << "): slope " << num(t.fit.slope) << ", p " << num(t.fit.p) << ", change over the range "
        << num(t.changeOverRange) << '\n';
    for (const auto& w : t.windows)
        out << "  " << num(w.xLow) << " .. " << num(w.xHigh) << ": " << formatPercent(w.mean) << " ["
            << formatPercent(w.ciLow) << ", " << formatPercent(w.ciHigh) << "] of " << w.n << '\n';
    out << "  " << t.sentence << " Severity " << driftSeverityName(t.severity) << ".\n\n";
}

void writeLeakageText(std::ostream& out, const Report& r) {
    out << "Leakage hints:\n";
    for (const auto& l : r.leakage)
        out << "  [" << l.set << "] " << l.hint.sentence << " Severity " << driftSeverityName(l.severity())
            << ".\n";
    out << '\n';
}

void writeText(std::ostream& out, const Report& r) {
    out << r.file;
    if (!r.reference.empty()) out << " against " << r.reference;
    out << "\n\n";
    writeDriftText(out, r);
    writeLabelShiftText(out, r);
    writeTrendText(out, r);
    writeLeakageText(out, r);
    out << r.sentence << " Severity " << driftSeverityName(r.severity) << ".\n";
}

// What `runlens checks --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens checks CURRENT [REFERENCE] [--json] [--time COL] [--features C1,C2,...]
                      [--label C --score C --positive CLASS]

Assumption checks on logged predictions, each ending in a plain sentence and a severity (none, minor, major):
  drift        with REFERENCE (e.g. the training set or an earlier evaluation set): per feature in both
               logs, PSI (10 bins at the reference's quantiles) and the two-sample KS test for numeric
               features, PSI over the categories and the chi-square test otherwise; p-values are
               Benjamini-Hochberg adjusted across the features. Major: PSI >= 0.25 and adjusted p < 0.05;
               minor: PSI >= 0.1 and adjusted p < 0.05, or PSI >= 0.25 without significance
  label shift  with REFERENCE: the class priors of both logs and their chi-square homogeneity test
  trend        on CURRENT: accuracy (right or wrong per row) against time, by the slope of a least-squares
               line and its t-test; the x is --time COL, else a column named timestamp, time, date or
               created_at, else the row order (said which). Numbers are taken as they are, ISO-8601 text as
               Unix seconds
  leakage      on CURRENT and REFERENCE: a feature that alone predicts the label (numeric with a binary
               label: AUC >= 0.98 in either direction; otherwise leave-one-out purity >= 0.98 that halves
               the majority class's error); a suspicious feature counts as major

Features are the columns that are not the label, score, class probabilities, prediction or id (and not the
column used as time), or those --features names. A row is right when its prediction column says the label,
else (binary) when score >= --threshold says it, else (multiclass) when the most probable class is the label.

Options:
  --time COL           the column holding each row's time (number, or ISO-8601 text)
  --features C1,C2     check only these columns
  --threshold T        binary logs without a prediction column (default 0.5)
  --label C, --score C, --positive CLASS   choose columns
  --json               JSON: kind "checks", file, reference (null without one), severity, sentence,
                       drift (null without REFERENCE) {features[] {feature, numeric, n_reference,
                       n_current, psi, test (ks or chi2), statistic, p, p_adjusted, severity, sentence},
                       skipped[] {feature, reason}, major, minor, severity, sentence},
                       label_shift (null without REFERENCE) {sets[], classes[], priors[][] (per set, per
                       class), chi2, dof, p, psi (current against reference), severity, sentence},
                       trend {x (the column or "row order"), x_source (option, auto or row_order), metric,
                       n, slope, intercept, p, change_over_range, mean, severity, sentence, windows[]
                       {x_low, x_high, n, mean, ci_low, ci_high}},
                       leakage[] {feature, set, numeric, auc (numeric feature, binary label) or purity and
                       majority_share, suspicious, severity, sentence}

Exit status: 0 when the checks ran, whatever they found; 1 bad input; 2 usage error.
)";

int runChecksCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{
        {"--json", "", false}, {"--time", "", true}, {"--features", "", true}, {"--threshold", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    const auto& files = parsed.positionals();
    if (files.empty() || files.size() > 2) throw UsageError("give CURRENT and optionally REFERENCE");
    if (parsed.has("--time") && parsed.get("--time", "").empty())
        throw UsageError("--time needs a column name");
    requestedFeatures(parsed); // a malformed list is a usage error before any file is read
    parsed.number("--threshold", 0.5, 0, 1);
    const auto current = loadPredictions(files[0], parsed);
    std::unique_ptr<LoadedPredictions> reference;
    if (files.size() == 2) {
        reference = loadPredictions(files[1], parsed);
        disambiguateNames(*current, *reference);
    }
    const Report report = runChecks(*current, reference.get(), parsed);
    if (parsed.has("--json"))
        writeJson(out, report);
    else
        writeText(out, report);
    return kExitOk;
}

} // namespace

const Command kChecksCommand{"checks",
                             "drift, label shift, accuracy trend and leakage checks on prediction logs",
                             kUsage, &runChecksCommand};

} // namespace runlens::cli
