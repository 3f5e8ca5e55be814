// Comparability warnings for a set of runs, shared by the Compare tab and `runlens diff`.
#include "core/analysis/run_comparability.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>
#include <utility>

namespace runlens {

namespace {

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// Six significant digits, as the tab has always shown a seed spread.
std::string sixDigits(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
    return buffer;
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i ? separator : std::string()) + parts[i];
    return out;
}

// Runs grouped by what describe() says of them, each value once with up to three run names, so comparing
// dozens of runs gives a sentence, not a wall of text.
std::string runList(std::span<const RunInfo> runs, const std::function<std::string(std::size_t)>& describe) {
    constexpr std::size_t kNamesPerValue = 3;
    std::vector<std::pair<std::string, std::vector<std::string>>> byValue;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string value = describe(i);
        auto it = std::find_if(byValue.begin(), byValue.end(),
                               [&](const auto& entry) { return entry.first == value; });
        if (it == byValue.end()) it = byValue.insert(byValue.end(), {value, {}});
        it->second.push_back(runs[i].name);
    }
    std::vector<std::string> parts;
    for (const auto& [value, names] : byValue) {
        const std::vector<std::string> shown(
            names.begin(), names.begin() + std::ptrdiff_t(std::min(names.size(), kNamesPerValue)));
        std::string listed = joined(shown, ", ");
        if (names.size() > kNamesPerValue)
            listed += " and " + std::to_string(names.size() - kNamesPerValue) + " more";
        parts.push_back(value + ": " + listed);
    }
    return joined(parts, "; ");
}

std::string paramOr(const RunInfo& run, const std::string& key, const std::string& missing) {
    const auto it = run.params.find(key);
    return it == run.params.end() ? missing : it->second;
}

void warnEvaluationSets(std::span<const RunInfo> runs,
                        const std::vector<std::vector<EvaluationSetSize>>& evalSets,
                        std::vector<std::string>& warnings) {
    // Same names and sizes, or the paired numbers compare different examples.
    auto evalText = [&](std::size_t i) {
        std::vector<std::string> parts;
        if (i < evalSets.size())
            for (const auto& t : evalSets[i])
                parts.push_back(t.name + " (" + std::to_string(t.rows) + " rows)");
        return parts.empty() ? std::string("none") : joined(parts, ", ");
    };
    bool anyEval = false, evalDiffers = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        anyEval = anyEval || (i < evalSets.size() && !evalSets[i].empty());
        evalDiffers = evalDiffers || evalText(i) != evalText(0);
    }
    if (anyEval && evalDiffers)
        warnings.push_back("Different evaluation sets (" + runList(runs, evalText) +
                           "): their metrics are not measured on the same examples.");
}

void warnBudgets(std::span<const RunInfo> runs, std::vector<std::string>& warnings) {
    const std::string loss = mainLossTag(runs);
    if (!loss.empty()) {
        std::set<std::int64_t> lastSteps;
        for (const auto& r : runs)
            lastSteps.insert(findSeries(r, loss)->lastStep);
        if (lastSteps.size() > 1)
            warnings.push_back(
                "Different training budgets: last step of '" + loss + "' is " +
                runList(runs,
                        [&](std::size_t i) { return std::to_string(findSeries(runs[i], loss)->lastStep); }) +
                ".");
    }
    std::set<std::string> budgetKeys;
    for (const auto& r : runs)
        for (const auto& [k, v] : r.params)
            if (isBudgetKey(k)) budgetKeys.insert(k);
    for (const auto& key : budgetKeys) {
        std::set<std::string> values;
        for (const auto& r : runs)
            values.insert(paramOr(r, key, "(unset)"));
        if (values.size() > 1)
            warnings.push_back("Different training budgets: " + key + " is " +
                               runList(runs, [&](std::size_t i) { return paramOr(runs[i], key, "unset"); }) +
                               ".");
    }
}

// "val/acc last 0.81 to 0.83 (spread 0.02)" for up to three series every run logs with a finite last value.
std::vector<std::string> seedSpreads(std::span<const RunInfo> runs) {
    std::vector<std::string> spreads;
    for (const auto& s : runs.front().series) {
        if (spreads.size() >= 3) break;
        double lo = INFINITY, hi = -INFINITY;
        bool all = true;
        for (const auto& r : runs) {
            const SeriesSummary* mine = findSeries(r, s.tag);
            if (!mine || !std::isfinite(mine->last)) {
                all = false;
                break;
            }
            lo = std::min(lo, mine->last);
            hi = std::max(hi, mine->last);
        }
        if (all)
            spreads.push_back(s.tag + " last " + sixDigits(lo) + " to " + sixDigits(hi) + " (spread " +
                              sixDigits(hi - lo) + ")");
    }
    return spreads;
}

void warnSeedOnly(std::span<const RunInfo> runs, std::vector<std::string>& warnings) {
    // Seed only: every non-seed param equal, the same code and data, and some seed differs.
    std::set<std::string> keys;
    for (const auto& r : runs)
        for (const auto& [k, v] : r.params)
            keys.insert(k);
    bool otherDiffers = false, seedDiffers = false;
    for (const auto& key : keys) {
        std::set<std::string> values;
        for (const auto& r : runs)
            values.insert(paramOr(r, key, "\x01unset"));
        if (values.size() < 2) continue;
        (isSeedKey(key) ? seedDiffers : otherDiffers) = true;
    }
    std::set<std::string> seeds, codes, dataVersions;
    for (const auto& r : runs) {
        seeds.insert(r.provenance.seed);
        codes.insert(r.provenance.codeVersion);
        if (!r.provenance.dataVersion.empty()) dataVersions.insert(r.provenance.dataVersion);
    }
    seedDiffers = seedDiffers || seeds.size() > 1;
    otherDiffers = otherDiffers || codes.size() > 1 || dataVersions.size() > 1;
    if (!seedDiffers || otherDiffers) return;
    std::string text = "These runs differ only by seed: their difference is noise.";
    if (const auto spreads = seedSpreads(runs); !spreads.empty())
        text += " Seed spread: " + joined(spreads, "; ") + ".";
    warnings.push_back(text);
}

} // namespace

bool isBudgetKey(const std::string& key) {
    std::string base = key;
    const auto cut = base.find_last_of("./");
    if (cut != std::string::npos) base = base.substr(cut + 1);
    static const std::set<std::string> kBudget{"max_steps",   "max_epochs", "epochs",   "num_train_epochs",
                                               "n_epochs",    "num_epochs", "max_iter", "total_steps",
                                               "train_steps", "num_steps"};
    return kBudget.count(lowered(base)) > 0;
}

bool isSeedKey(const std::string& key) {
    const std::string lower = lowered(key);
    return lower.find("seed") != std::string::npos || lower.find("random_state") != std::string::npos;
}

std::string mainLossTag(std::span<const RunInfo> runs) {
    if (runs.empty()) return {};
    auto inAll = [&](const std::string& tag) {
        return std::all_of(runs.begin(), runs.end(),
                           [&](const RunInfo& r) { return findSeries(r, tag) != nullptr; });
    };
    for (const char* tag :
         {"loss", "train/loss", "train_loss", "training_loss", "train/loss_step", "train_loss_step"})
        if (inAll(tag)) return tag;
    for (const auto& s : runs.front().series) {
        const std::string& t = s.tag;
        if (t.find("loss") == std::string::npos) continue;
        if (t.find("val") != std::string::npos || t.find("eval") != std::string::npos ||
            t.find("test") != std::string::npos)
            continue;
        if (inAll(t)) return t;
    }
    return {};
}

std::vector<std::string> comparabilityWarnings(std::span<const RunInfo> runs,
                                               const std::vector<std::vector<EvaluationSetSize>>& evalSets) {
    std::vector<std::string> warnings;
    if (runs.size() < 2) return warnings;
    warnEvaluationSets(runs, evalSets, warnings);
    std::set<std::string> dataVersions;
    for (const auto& r : runs)
        if (!r.provenance.dataVersion.empty()) dataVersions.insert(r.provenance.dataVersion);
    if (dataVersions.size() > 1)
        warnings.push_back("Different data versions (" +
                           runList(runs,
                                   [&](std::size_t i) {
                                       const std::string& v = runs[i].provenance.dataVersion;
                                       return v.empty() ? std::string("unknown") : v;
                                   }) +
                           ").");
    warnBudgets(runs, warnings);
    warnSeedOnly(runs, warnings);
    return warnings;
}

} // namespace runlens
