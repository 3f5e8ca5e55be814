// Builds the ship-decision report from the existing analyses: metric intervals, paired tests, calibration
// with out-of-fold recalibration, slices and Simpson verdicts, the slice finder, fairness and comparability.
#include "core/analysis/ship_report.h"

#include "core/analysis/cost_quality.h"
#include "core/analysis/curve_diagnostics.h"
#include "core/analysis/recalibration.h"
#include "core/analysis/report_text.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace runlens {

namespace {

constexpr std::size_t kMaxSliceColumns = 6;
constexpr std::size_t kMaxSliceValues = 50;

std::string metricName(SliceMetric m) {
    return std::string(sliceMetricInfo(m).name);
}

std::vector<std::size_t> allRows(std::size_t n) {
    std::vector<std::size_t> rows(n);
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    return rows;
}

// The metrics a candidate can give: binary with scores all of them, hard predictions the rates, multiclass
// sets (scored as right or wrong) accuracy only.
std::vector<SliceMetric> metricsFor(const EvaluationSet& set) {
    if (set.multiclass) return {SliceMetric::Accuracy};
    if (!set.hasScores())
        return {SliceMetric::Accuracy, SliceMetric::F1, SliceMetric::Precision, SliceMetric::Recall};
    return {SliceMetric::Auc, SliceMetric::Accuracy, SliceMetric::LogLoss, SliceMetric::Brier,
            SliceMetric::F1};
}

bool better(double a, double b, bool higherIsBetter) {
    return higherIsBetter ? a > b : a < b;
}

ShipCalibration calibrationOf(const EvaluationSet& set, const ShipOptions& o) {
    ShipCalibration c;
    if (set.multiclass || !set.hasScores() || set.rows() < 10) return c;
    c.available = true;
    c.report = calibrationReport(set.labels, set.scores);
    const auto platt = crossFittedScores(set.labels, set.scores, RecalibrationMethod::Platt, 5, o.seed);
    const auto isotonic = crossFittedScores(set.labels, set.scores, RecalibrationMethod::Isotonic, 5, o.seed);
    c.eceAfterPlatt = calibrationReport(set.labels, platt).ece;
    c.eceAfterIsotonic = calibrationReport(set.labels, isotonic).ece;
    const double bestAfter = std::min(c.eceAfterPlatt, c.eceAfterIsotonic);
    const std::string method =
        c.eceAfterPlatt <= c.eceAfterIsotonic ? "Platt scaling" : "isotonic regression";
    // Recalibration helps when it removes at least a third of the error and the model is not already fine.
    c.recalibrationHelps = c.report.ece > o.eceLimit && bestAfter < c.report.ece * (2.0 / 3.0);
    if (c.report.ece <= o.eceLimit)
        c.sentence = "well calibrated: ECE " + formatNumber(c.report.ece) + " (at most " +
                     formatNumber(o.eceLimit) + ")";
    else if (c.recalibrationHelps)
        c.sentence = "miscalibrated: ECE " + formatNumber(c.report.ece) + "; " + method + " brings it to " +
                     formatNumber(bestAfter) + " out of fold, so recalibrate before shipping";
    else
        c.sentence = "miscalibrated: ECE " + formatNumber(c.report.ece) +
                     ", and recalibration does not fix it (" + formatNumber(bestAfter) + " out of fold)";
    return c;
}

std::vector<std::uint8_t> wrongRows(const EvaluationSet& set, double threshold) {
    const auto correct = correctPerRow(set, threshold);
    std::vector<std::uint8_t> wrong(correct.size());
    for (std::size_t i = 0; i < correct.size(); ++i)
        wrong[i] = correct[i] ? 0 : 1;
    return wrong;
}

ShipCandidateResult candidateResult(const ShipCandidate& c, SliceMetric primary, const ShipOptions& o) {
    ShipCandidateResult r;
    r.name = c.name;
    r.n = std::int64_t(c.set->rows());
    r.multiclass = c.set->multiclass;
    r.hasScores = c.set->hasScores();
    const CohortInput cohort = cohortFromEvaluation(c.name, *c.table, *c.set);
    const auto rows = allRows(c.set->rows());
    SliceOptions options;
    options.threshold = o.threshold;
    options.bootstrapResamples = o.resamples;
    options.seed = o.seed;
    for (SliceMetric m : metricsFor(*c.set)) {
        options.metric = m;
        r.metrics.push_back(
            {metricName(m), sliceMetricInfo(m).higherIsBetter, estimateMetric(m, cohort, rows, options)});
    }
    r.zeroRule = zeroRuleValue(primary, cohort, rows, o.threshold);
    r.calibration = calibrationOf(*c.set, o);
    SliceFinderOptions finder;
    finder.topK = 3;
    finder.maxLevel = 2;
    auto found = findSlices(*c.table, wrongRows(*c.set, o.threshold), {}, finder);
    for (auto& s : found.slices)
        if (s.qValue < 0.05 && r.worstSlices.size() < 3) r.worstSlices.push_back(std::move(s));
    if (!o.fairnessColumn.empty()) {
        r.fairness = fairnessOfEvaluation(*c.table, *c.set, o.fairnessColumn, o.threshold, r.fairnessError);
    }
    if (c.behaviour) r.behaviour = *c.behaviour;
    return r;
}

ShipPair pairOf(const ShipCandidate& leader, const ShipCandidate& other, SliceMetric primary,
                const ShipOptions& o) {
    ShipPair p;
    p.leader = leader.name;
    p.other = other.name;
    PairedOptions options;
    options.metric = primary;
    options.threshold = o.threshold;
    options.resamples = o.resamples;
    options.seed = o.seed;
    p.paired = comparePaired(*leader.table, *leader.set, *other.table, *other.set, options, &p.error);
    if (!p.paired) {
        p.sentence = leader.name + " and " + other.name + " cannot be compared pair by pair: " + p.error;
        return p;
    }
    const auto& e = *p.paired;
    if (primary == SliceMetric::Auc && e.delong) {
        p.test = "DeLong";
        p.p = e.delong->p;
    } else {
        p.test = "McNemar";
        p.p = e.mcnemar.exactP;
    }
    p.significant = p.p < 0.05;
    // The bootstrap delta is metric(other) - metric(leader); the leader's lead is its negation.
    const double lead = -e.bootstrap.delta;
    const bool higher = sliceMetricInfo(primary).higherIsBetter;
    const double shownLead = higher ? lead : -lead;
    p.sentence = leader.name + " leads " + other.name + " on " + metricName(primary) + " by " +
                 formatNumber(shownLead) + " (95% CI " +
                 formatNumber(higher ? -e.bootstrap.ciHigh : e.bootstrap.ciLow) + " to " +
                 formatNumber(higher ? -e.bootstrap.ciLow : e.bootstrap.ciHigh) + "; " + p.test +
                 " p = " + formatNumber(p.p) + ", " + std::to_string(e.alignment.summary.used) +
                 " shared examples): " + (p.significant ? "a real difference." : "within noise.");
    return p;
}

// Feature columns every candidate has, without id-like text columns, at most kMaxSliceColumns.
std::vector<std::string> defaultSliceColumns(std::span<const ShipCandidate> candidates) {
    std::vector<std::string> out;
    for (const auto& column : candidates.front().table->columns) {
        if (column.role != ColumnRole::Feature) continue;
        if (!column.numeric && column.dictionary.size() > kMaxSliceValues) continue;
        const bool everywhere =
            std::all_of(candidates.begin(), candidates.end(), [&](const ShipCandidate& c) {
                const auto* other = c.table->column(column.name);
                return other && other->role == ColumnRole::Feature;
            });
        if (everywhere) out.push_back(column.name);
        if (out.size() == kMaxSliceColumns) break;
    }
    return out;
}

std::vector<ShipSlices> slicesOf(std::span<const ShipCandidate> candidates, const ShipOptions& o) {
    std::vector<CohortInput> cohorts;
    for (const auto& c : candidates)
        cohorts.push_back(cohortFromEvaluation(c.name, *c.table, *c.set));
    std::vector<ShipSlices> out;
    const auto columns = o.sliceColumns.empty() ? defaultSliceColumns(candidates) : o.sliceColumns;
    for (const auto& column : columns) {
        ShipSlices s;
        s.feature = column;
        SliceOptions options;
        options.by = {column};
        options.metric = SliceMetric::Accuracy;
        options.threshold = o.threshold;
        options.seed = o.seed;
        s.report = compareSlices(cohorts, options, &s.error);
        out.push_back(std::move(s));
    }
    return out;
}

double lastStepOf(const RunInfo& run) {
    double last = -1;
    for (const auto& s : run.series)
        last = std::max(last, double(s.lastStep));
    return last;
}

std::vector<std::string> comparabilityOf(std::span<const ShipCandidate> candidates,
                                         const std::vector<ShipPair>& pairs) {
    std::vector<std::string> out;
    std::set<std::string> setNames;
    for (const auto& c : candidates)
        setNames.insert(c.table->name);
    if (setNames.size() > 1) {
        std::string names;
        for (const auto& n : setNames)
            names += (names.empty() ? "" : ", ") + n;
        out.push_back("The candidates are scored on differently named evaluation sets (" + names +
                      "); compare them only on the examples they share.");
    }
    for (const auto& p : pairs)
        if (p.paired && !p.paired->alignment.summary.clean())
            out.push_back(p.leader + " and " + p.other + ": " + p.paired->alignment.summary.warning() + ".");
    std::map<std::string, std::vector<std::string>> byDataVersion;
    std::vector<std::pair<double, std::string>> budgets;
    for (const auto& c : candidates) {
        if (!c.run) continue;
        if (!c.run->provenance.dataVersion.empty())
            byDataVersion[c.run->provenance.dataVersion].push_back(c.name);
        const double steps = lastStepOf(*c.run);
        if (steps > 0) budgets.emplace_back(steps, c.name);
    }
    if (byDataVersion.size() > 1) {
        std::string text = "The candidates were trained on different data versions:";
        for (const auto& [version, names] : byDataVersion)
            for (const auto& n : names)
                text += " " + n + " on " + version + ";";
        text.back() = '.';
        out.push_back(text);
    }
    if (budgets.size() > 1) {
        const auto [lo, hi] = std::minmax_element(budgets.begin(), budgets.end());
        if (hi->first > 1.5 * lo->first)
            out.push_back("Different training budgets: " + hi->second + " ran to step " +
                          formatNumber(hi->first) + ", " + lo->second + " to step " +
                          formatNumber(lo->first) +
                          "; the longer run's lead may be its budget, not its design.");
    }
    return out;
}

// The params that make a configuration: all but the seed keys.
std::map<std::string, std::string> configurationOf(const RunInfo& run) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : run.params)
        if (!isSeedKey(k)) out.emplace(k, v);
    return out;
}

} // namespace

bool seedSiblings(const RunInfo& a, const RunInfo& b) {
    const auto config = configurationOf(a);
    return config.size() < a.params.size() && configurationOf(b) == config;
}

namespace {

std::vector<ShipSeedNoise> seedNoiseOf(std::span<const ShipCandidate> candidates,
                                       std::span<const ShipCandidate> pool, SliceMetric primary) {
    std::vector<ShipSeedNoise> out;
    for (const auto& c : candidates) {
        if (!c.run || !seedSiblings(*c.run, *c.run)) continue; // no seed param: seeds cannot be told apart
        ShipSeedNoise noise;
        noise.candidate = c.name;
        std::vector<double> values;
        std::set<std::int64_t> seen;
        auto add = [&](const ShipCandidate& s) {
            if (!s.run || !seedSiblings(*c.run, *s.run) || !seen.insert(s.run->id).second) return;
            const double v = evaluationMetricValue(*s.table, *s.set, primary);
            if (!std::isfinite(v)) return;
            noise.runs.push_back(s.run->name);
            values.push_back(v);
        };
        add(c);
        for (const auto& s : pool)
            add(s);
        if (values.size() < 2) continue;
        noise.mean = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
        double ss = 0;
        for (double v : values)
            ss += (v - noise.mean) * (v - noise.mean);
        noise.std = std::sqrt(ss / double(values.size() - 1));
        const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        noise.min = *lo;
        noise.max = *hi;
        noise.sentence = std::to_string(values.size()) + " runs of " + c.name +
                         "'s configuration that differ only by seed give " + metricName(primary) + " " +
                         formatNumber(noise.mean) + " +/- " + formatNumber(noise.std) + " (" +
                         formatNumber(noise.min) + " to " + formatNumber(noise.max) +
                         "): a lead smaller than that range is seed luck.";
        out.push_back(std::move(noise));
    }
    return out;
}

void recommend(ShipReport& r, const ShipOptions& o) {
    const auto& leader = r.candidates[r.leader];
    const std::string metric = metricName(r.primary);
    std::vector<std::string> tied, untestable;
    const ShipPair* againstBaseline = nullptr;
    for (const auto& p : r.pairs) {
        if (p.paired && !p.significant) tied.push_back(p.other);
        if (!p.paired) untestable.push_back(p.other);
        if (p.other == o.baseline) againstBaseline = &p;
    }
    auto list = [](const std::vector<std::string>& names) {
        std::string s;
        for (std::size_t i = 0; i < names.size(); ++i)
            s += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
        return s;
    };
    const bool baselineLeads = !o.baseline.empty() && leader.name == o.baseline;
    std::string leaderVerdict = "ship", leaderReason;
    if (baselineLeads) {
        leaderVerdict = "keep baseline";
        r.recommendation = "Keep " + leader.name + ": no candidate beats the baseline on " + metric + ".";
        leaderReason = "best " + metric + " of all";
    } else if (againstBaseline && !againstBaseline->paired) {
        leaderVerdict = "not comparable";
        r.recommendation =
            leader.name + " leads on " + metric + ", but it was not evaluated on the baseline " + o.baseline +
            "'s examples, so the lead cannot be tested; score both on one evaluation set before "
            "shipping.";
        leaderReason = "no examples shared with the baseline";
    } else if (againstBaseline && !againstBaseline->significant) {
        leaderVerdict = "no clear gain";
        r.recommendation = leader.name + " leads on " + metric +
                           " but is not significantly better than the baseline " + o.baseline + " (" +
                           againstBaseline->test + " p = " + formatNumber(againstBaseline->p) + "); keep " +
                           o.baseline + " unless " + leader.name + " wins on cost or calibration.";
        leaderReason = "within noise of the baseline";
    } else if (!tied.empty()) {
        leaderVerdict = "ship (tied)";
        r.recommendation = leader.name + " leads on " + metric + ", but " + list(tied) +
                           (tied.size() == 1 ? " is" : " are") +
                           " within noise of it; choose among them on cost, calibration and slices.";
        leaderReason = "best " + metric + "; not significantly better than " + list(tied);
    } else if (!r.pairs.empty() && untestable.size() == r.pairs.size()) {
        leaderVerdict = "untested lead";
        r.recommendation =
            leader.name + " has the best " + metric +
            ", but no other candidate shares its examples, so its lead is untested; score them on "
            "one evaluation set before shipping.";
        leaderReason = "best " + metric + "; no shared examples to test the lead";
    } else {
        const bool all = untestable.empty();
        r.recommendation =
            "Ship " + leader.name + ": the best " + metric +
            (r.pairs.empty() ? "."
             : all           ? ", significantly better than every other candidate."
                             : ", significantly better than every candidate it could be tested against.");
        leaderReason = "best " + metric + (r.pairs.empty() ? "" : ", significantly ahead");
    }
    if (!untestable.empty() && leaderVerdict != "not comparable" && leaderVerdict != "untested lead")
        r.recommendation += " " + list(untestable) + (untestable.size() == 1 ? " shares" : " share") +
                            " no examples with " + leader.name + " and could not be tested against it.";
    for (std::size_t i = 0; i < r.candidates.size(); ++i) {
        ShipRecommendation rec;
        rec.candidate = r.candidates[i].name;
        if (i == r.leader) {
            rec.verdict = leaderVerdict;
            rec.reason = leaderReason;
        } else {
            const bool isTied = std::find(tied.begin(), tied.end(), rec.candidate) != tied.end();
            const bool isUntestable =
                std::find(untestable.begin(), untestable.end(), rec.candidate) != untestable.end();
            rec.verdict = isUntestable ? "not comparable"
                          : rec.candidate == o.baseline
                              ? (isTied ? "baseline, tied" : "baseline, behind")
                              : (isTied ? "tied with the leader" : "behind the leader");
            for (const auto& p : r.pairs)
                if (p.other == rec.candidate)
                    rec.reason = p.paired ? p.test + " p = " + formatNumber(p.p) : p.error;
        }
        if (r.candidates[i].calibration.available && r.candidates[i].calibration.report.ece > o.eceLimit)
            rec.reason += (rec.reason.empty() ? "" : "; ") + std::string("ECE ") +
                          formatNumber(r.candidates[i].calibration.report.ece);
        r.recommendations.push_back(std::move(rec));
    }
}

void collectCaveats(ShipReport& r, const ShipOptions& o) {
    for (const auto& c : r.candidates) {
        if (c.calibration.available && c.calibration.report.ece > o.eceLimit)
            r.caveats.push_back(c.name + " is " + c.calibration.sentence + ".");
        if (c.n < o.smallN)
            r.caveats.push_back(c.name + " is judged on only " + std::to_string(c.n) +
                                " examples: its intervals are wide and small differences are noise.");
        if (c.fairness && c.fairness->severity != FairnessSeverity::None)
            r.caveats.push_back(c.name + " across " + o.fairnessColumn + ": " + c.fairness->sentence);
        if (c.behaviour)
            for (const auto& p : c.behaviour->perturbations)
                if (p.severity == BehaviourSeverity::Major)
                    r.caveats.push_back(c.name + " fails a behavioural test: " + p.sentence);
    }
    // The ranking at today's data size may not hold with more data.
    if (r.learningCurves && r.learningCurves->outlook.overtaker >= 0)
        r.caveats.push_back("With more data the ranking may change (" + r.learningCurves->metric +
                            " against " + r.learningCurves->sizeKey +
                            "): " + r.learningCurves->outlook.sentence);
    const auto& leader = r.candidates[r.leader];
    for (const auto& s : leader.worstSlices) {
        std::string key;
        for (const auto& [f, v] : s.key)
            key += (key.empty() ? "" : ", ") + f + " = " + v;
        r.caveats.push_back(leader.name + " errs most where " + key + ": error rate " +
                            formatPercent(s.errorRate) + " against " + formatPercent(s.restErrorRate) +
                            " elsewhere (n = " + std::to_string(s.n) + ").");
    }
    for (const auto& s : r.slices)
        if (s.report && (s.report->simpson.reversal == Reversal::Complete ||
                         s.report->simpson.reversal == Reversal::Partial))
            r.caveats.push_back("By " + s.feature + ": " + s.report->simpson.explanation);
    // A lead inside the seed range of either side is luck of the draw, whatever the paired test says.
    for (const auto& p : r.pairs) {
        if (!p.paired) continue;
        const double lead = std::abs(p.paired->bootstrap.delta);
        for (const auto& n : r.seedNoise)
            if ((n.candidate == p.leader || n.candidate == p.other) && lead < n.max - n.min)
                r.caveats.push_back(p.leader + "'s lead over " + p.other + " (" + formatNumber(lead) +
                                    ") is smaller than the spread of " + n.candidate + "'s seeds (" +
                                    formatNumber(n.max - n.min) + "): it may not survive another seed.");
    }
    for (const auto& w : r.comparability)
        r.caveats.push_back(w);
}

} // namespace

const ShipMetric* findMetric(const ShipCandidateResult& candidate, std::string_view name) {
    for (const auto& m : candidate.metrics)
        if (m.name == name) return &m;
    return nullptr;
}

ShipReport shipReport(std::span<const ShipCandidate> candidates, const ShipOptions& o,
                      std::span<const ShipCandidate> seedPool, std::span<const RunInfo> workspaceRuns) {
    ShipReport r;
    if (candidates.empty()) {
        r.error = "no candidate";
        return r;
    }
    for (const auto& c : candidates)
        if (!c.table || !c.set || c.set->rows() == 0) {
            r.error = c.name + ": no evaluation set to judge";
            return r;
        }
    if (!o.baseline.empty() && std::none_of(candidates.begin(), candidates.end(),
                                            [&](const ShipCandidate& c) { return c.name == o.baseline; })) {
        r.error = "the baseline '" + o.baseline + "' is not one of the candidates";
        return r;
    }
    const bool allScored = std::all_of(candidates.begin(), candidates.end(), [](const ShipCandidate& c) {
        return !c.set->multiclass && c.set->hasScores();
    });
    r.primary = allScored ? SliceMetric::Auc : SliceMetric::Accuracy;
    for (const auto& c : candidates)
        r.candidates.push_back(candidateResult(c, r.primary, o));
    const bool higher = sliceMetricInfo(r.primary).higherIsBetter;
    for (std::size_t i = 1; i < r.candidates.size(); ++i) {
        const double v = findMetric(r.candidates[i], metricName(r.primary))->cell.value;
        const double best = findMetric(r.candidates[r.leader], metricName(r.primary))->cell.value;
        if (better(v, best, higher)) r.leader = i;
    }
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (i != r.leader) r.pairs.push_back(pairOf(candidates[r.leader], candidates[i], r.primary, o));
    r.slices = slicesOf(candidates, o);
    r.seedNoise = seedNoiseOf(candidates, seedPool, r.primary);
    r.comparability = comparabilityOf(candidates, r.pairs);
    if (!workspaceRuns.empty()) {
        std::vector<CurveCandidate> curveCandidates;
        for (const auto& c : candidates)
            curveCandidates.push_back({c.name, c.run});
        r.learningCurves = candidateLearningCurves(curveCandidates, workspaceRuns, o.curves);
    }
    recommend(r, o);
    collectCaveats(r, o);
    return r;
}

} // namespace runlens
