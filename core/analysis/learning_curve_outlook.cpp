// Power-law fits per model family compared over training-set size, and the candidates' families found by
// their configuration.
#include "core/analysis/learning_curve_outlook.h"

#include "core/analysis/curve_diagnostics.h"
#include "core/model/number_text.h"
#include "core/model/tag_names.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace runlens {

namespace {

std::optional<double> parseNumber(const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string number(double value) {
    return significantText(value, 4);
}

// A training-set size as people write it: three significant digits with thousands separators (251,000),
// %.4g below 1,000 or beyond 10^12.
std::string sizeText(double value) {
    if (!(std::abs(value) >= 1000 && std::abs(value) < 1e12)) return number(value);
    const double magnitude = std::pow(10.0, std::floor(std::log10(std::abs(value))) - 2);
    const long long rounded = std::llround(std::round(value / magnitude) * magnitude);
    std::string digits = std::to_string(rounded < 0 ? -rounded : rounded), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (rounded < 0 ? "-" : "") + out;
}

// "4.2x", "12x", "350x": how many times the largest observed size.
std::string ratioText(double ratio) {
    char text[32];
    std::snprintf(text, sizeof text, ratio < 10 ? "%.1fx" : "%.0fx", ratio);
    return text;
}

int bestAt(std::span<const LearningCurveFamilyFit> families, double m, bool higherIsBetter) {
    int best = -1;
    double bestValue = 0;
    for (std::size_t k = 0; k < families.size(); ++k) {
        if (!families[k].fit.ok) continue;
        const double value = families[k].fit.valueAt(m);
        if (!std::isfinite(value)) continue;
        if (best < 0 || (higherIsBetter ? value > bestValue : value < bestValue)) {
            best = static_cast<int>(k);
            bestValue = value;
        }
    }
    return best;
}

// Every param equal except the size key and seed keys, on both sides.
bool sameConfiguration(const RunInfo& a, const RunInfo& b, const std::string& sizeKey) {
    const auto relevant = [&](const std::string& key) { return key != sizeKey && !isSeedKey(key); };
    auto ia = a.params.begin(), ib = b.params.begin();
    while (true) {
        while (ia != a.params.end() && !relevant(ia->first))
            ++ia;
        while (ib != b.params.end() && !relevant(ib->first))
            ++ib;
        if (ia == a.params.end() || ib == b.params.end()) return ia == a.params.end() && ib == b.params.end();
        if (ia->first != ib->first || ia->second != ib->second) return false;
        ++ia, ++ib;
    }
}

std::string chooseSizeKey(std::span<const CurveCandidate> candidates) {
    std::string best;
    int bestScore = 0;
    for (const auto& c : candidates) {
        if (!c.run) continue;
        for (const auto& [key, value] : c.run->params) {
            const int score = trainingSizeKeyScore(key);
            if (score > bestScore && parseNumber(value)) best = key, bestScore = score;
        }
    }
    return best;
}

// The runs of each candidate's configuration that have a positive size (the candidate first).
std::vector<std::vector<const RunInfo*>> configurationRuns(std::span<const CurveCandidate> candidates,
                                                           std::span<const RunInfo> pool,
                                                           const std::string& sizeKey) {
    std::vector<std::vector<const RunInfo*>> out(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const RunInfo* run = candidates[i].run;
        if (!run) continue;
        const auto size = trainingSizeOf(*run, sizeKey);
        if (size && *size > 0) out[i].push_back(run);
        for (const auto& other : pool) {
            if (other.id == run->id || !sameConfiguration(*run, other, sizeKey)) continue;
            const auto otherSize = trainingSizeOf(other, sizeKey);
            if (otherSize && *otherSize > 0) out[i].push_back(&other);
        }
    }
    return out;
}

// The validation series with a direction in its name that most configuration runs log (alphabetical on ties).
std::string chooseMetric(const std::vector<std::vector<const RunInfo*>>& families) {
    std::map<std::string, int> count;
    for (const auto& family : families)
        for (const RunInfo* run : family)
            for (const auto& series : run->series)
                if (splitOf(series.tag) == Split::Validation && lowerIsBetter(series.tag) &&
                    std::isfinite(series.last))
                    ++count[series.tag];
    std::string best;
    int bestCount = 0;
    for (const auto& [tag, n] : count)
        if (n > bestCount) best = tag, bestCount = n;
    return best;
}

std::string intervalText(const PowerLawPrediction& p) {
    return number(p.value) + " [" + number(p.lower) + ", " + number(p.upper) + "]";
}

std::string projectionSentence(const CandidateLearningCurves& r) {
    std::vector<std::size_t> fitted;
    for (std::size_t k = 0; k < r.families.size(); ++k)
        if (r.families[k].fit.ok) fitted.push_back(k);
    if (fitted.empty())
        return "No candidate's runs at several sizes could be fitted, so there is no projection.";
    std::string text = r.outlook.sentence.empty() ? "" : r.outlook.sentence + " ";
    text += "Projected " + r.metric + " at size " + sizeText(r.targetSize) +
            " (95% interval of the mean curve): ";
    for (std::size_t i = 0; i < fitted.size(); ++i)
        text += (i ? "; " : "") + r.families[fitted[i]].name + " " + intervalText(r.atTarget[fitted[i]]);
    text += ".";
    if (fitted.size() < 2) return text;
    // Two intervals that overlap do not separate the families at that size.
    bool separated = true;
    for (std::size_t i = 0; i < fitted.size(); ++i)
        for (std::size_t j = i + 1; j < fitted.size(); ++j) {
            const auto& a = r.atTarget[fitted[i]];
            const auto& b = r.atTarget[fitted[j]];
            if (a.lower <= b.upper && b.lower <= a.upper) separated = false;
        }
    text += separated ? " The intervals do not overlap."
                      : " The intervals overlap, so the projection does not "
                        "separate them at that size.";
    return text;
}

} // namespace

std::optional<double> trainingSizeOf(const RunInfo& run, const std::string& key) {
    if (const auto it = run.params.find(key); it != run.params.end()) return parseNumber(it->second);
    if (const auto* series = findSeries(run, key))
        return std::isfinite(series->last) ? std::optional(series->last) : std::nullopt;
    return std::nullopt;
}

int trainingSizeKeyScore(std::string_view key) {
    const std::string k = lower(key);
    if (k.find("batch") != std::string::npos) return 0;
    if (k.find("train") != std::string::npos || k.find("samples") != std::string::npos ||
        k.find("dataset") != std::string::npos)
        return 2;
    return k.find("size") != std::string::npos ? 1 : 0;
}

std::vector<LearningCurveFamilyFit> learningCurveFamilies(std::span<const RunInfo* const> runs,
                                                          const std::string& metric,
                                                          const std::string& sizeKey,
                                                          const std::string& familyKey, SeriesReduction how) {
    std::map<std::string, LearningCurveFamilyFit> byName;
    for (const RunInfo* run : runs) {
        const SeriesSummary* series = findSeries(*run, metric);
        const auto size = trainingSizeOf(*run, sizeKey);
        if (!series || !size || !(*size > 0)) continue;
        std::string name = metric;
        if (!familyKey.empty()) {
            const auto it = run->params.find(familyKey);
            name = it == run->params.end() ? "(none)" : it->second;
        }
        LearningCurveFamilyFit& family = byName[name];
        family.name = name;
        family.runs.push_back(run->name);
        family.sizes.push_back(*size);
        family.values.push_back(reducedValue(*series, how));
    }
    std::vector<LearningCurveFamilyFit> out;
    for (auto& [name, family] : byName) {
        family.fit = fitPowerLaw(family.sizes, family.values);
        out.push_back(std::move(family));
    }
    return out;
}

bool learningCurveHigherIsBetter(std::string_view metric, std::span<const PowerLawFit> fits) {
    if (const auto lowerBetter = lowerIsBetter(metric)) return !*lowerBetter;
    // value = a m^b + c with b < 0: a < 0 rises towards c (a score), a > 0 falls (a loss).
    int rising = 0, falling = 0;
    for (const auto& fit : fits)
        if (fit.ok) (fit.a * fit.b > 0 ? rising : falling) += 1;
    return rising > falling;
}

LearningCurveOutlook compareLearningCurveFits(std::span<const LearningCurveFamilyFit> families,
                                              bool higherIsBetter) {
    LearningCurveOutlook out;
    int fitted = 0;
    for (const auto& family : families) {
        if (!family.fit.ok) continue;
        ++fitted;
        for (const double size : family.sizes)
            if (std::isfinite(size)) out.largestSize = std::max(out.largestSize, size);
    }
    if (fitted < 2 || !(out.largestSize > 0)) return out;
    out.leader = bestAt(families, out.largestSize, higherIsBetter);
    if (out.leader < 0) return out;
    const std::string& leaderName = families[static_cast<std::size_t>(out.leader)].name;
    for (int step = 1; step <= LearningCurveOutlook::kScanSteps; ++step) {
        const double ratio = std::pow(LearningCurveOutlook::kScanFactor,
                                      static_cast<double>(step) / LearningCurveOutlook::kScanSteps);
        const int best = bestAt(families, out.largestSize * ratio, higherIsBetter);
        if (best < 0 || best == out.leader) continue;
        out.overtaker = best;
        out.overtakeRatio = ratio;
        out.overtakeSize = out.largestSize * ratio;
        out.sentence = leaderName + " leads now; " + families[static_cast<std::size_t>(best)].name +
                       " overtakes at " + ratioText(ratio) + " data (size " + sizeText(out.overtakeSize) +
                       ").";
        return out;
    }
    out.sentence = leaderName + " leads now and its fit stays ahead up to " +
                   ratioText(LearningCurveOutlook::kScanFactor) + " data.";
    return out;
}

CandidateLearningCurves candidateLearningCurves(std::span<const CurveCandidate> candidates,
                                                std::span<const RunInfo> pool,
                                                const CandidateCurveRequest& request) {
    CandidateLearningCurves out;
    out.sizeKey = request.sizeKey.empty() ? chooseSizeKey(candidates) : request.sizeKey;
    if (out.sizeKey.empty()) {
        out.error = "no candidate has a training-set size param (such as train_size or n_train), so there is "
                    "no learning curve to project";
        return out;
    }
    const auto runs = configurationRuns(candidates, pool, out.sizeKey);
    out.metric = request.metric.empty() ? chooseMetric(runs) : request.metric;
    if (out.metric.empty()) {
        out.error = "the candidates' runs log no validation metric to fit against " + out.sizeKey;
        return out;
    }
    double largest = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        LearningCurveFamilyFit family;
        family.name = candidates[i].name;
        std::set<double> distinct;
        for (const RunInfo* run : runs[i]) {
            const SeriesSummary* series = findSeries(*run, out.metric);
            if (!series || !std::isfinite(series->last)) continue;
            const double size = *trainingSizeOf(*run, out.sizeKey);
            family.runs.push_back(run->name);
            family.sizes.push_back(size);
            family.values.push_back(series->last);
            distinct.insert(size);
        }
        if (distinct.size() < 2) {
            out.notes.push_back(family.name + ": no runs of its configuration at other values of " +
                                out.sizeKey + " with " + out.metric);
            continue;
        }
        family.fit = fitPowerLaw(family.sizes, family.values);
        if (!family.fit.ok) out.notes.push_back(family.name + ": no fit: " + family.fit.error);
        largest = std::max(largest, *distinct.rbegin());
        out.families.push_back(std::move(family));
    }
    std::vector<PowerLawFit> fits;
    for (const auto& family : out.families)
        fits.push_back(family.fit);
    out.higherIsBetter = learningCurveHigherIsBetter(out.metric, fits);
    out.targetSize = request.targetSize > 0 ? request.targetSize : 10 * largest;
    for (const auto& family : out.families) {
        PowerLawPrediction p;
        p.size = out.targetSize;
        p.value = p.lower = p.upper = p.predictionLower = p.predictionUpper = kNaN;
        out.atTarget.push_back(family.fit.ok ? predictPowerLaw(family.fit, out.targetSize) : p);
    }
    out.outlook = compareLearningCurveFits(out.families, out.higherIsBetter);
    out.sentence = out.families.empty()
                       ? "No candidate's configuration was run at several values of " + out.sizeKey +
                             ", so there is no projection of who wins with more data."
                       : projectionSentence(out);
    return out;
}

} // namespace runlens
