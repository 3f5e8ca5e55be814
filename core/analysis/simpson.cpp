// Simpson-aware comparison: who wins overall, who wins the strata, and the stratum mix that explains the gap.
#include "core/analysis/simpson.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace runlens {

namespace {

bool better(double a, double b, bool higherIsBetter) {
    return higherIsBetter ? a > b : a < b;
}

bool comparable(const SimpsonInput& in, std::size_t stratum) {
    for (std::size_t c = 0; c < in.cohorts.size(); ++c) {
        const auto& cell = in.cells[c][stratum];
        if (cell.n < in.minN || !std::isfinite(cell.value)) return false;
    }
    return true;
}

std::size_t overallWinnerIndex(const SimpsonInput& in) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < in.cohorts.size(); ++c)
        if (better(in.overall[c].value, in.overall[best].value, in.higherIsBetter)) best = c;
    return best;
}

// Strata (comparable) the challenger wins against the winner, and how many were compared.
std::pair<int, int> headToHead(const SimpsonInput& in, std::size_t winner, std::size_t challenger) {
    int won = 0;
    int compared = 0;
    for (std::size_t s = 0; s < in.strata.size(); ++s) {
        if (!comparable(in, s)) continue;
        ++compared;
        if (better(in.cells[challenger][s].value, in.cells[winner][s].value, in.higherIsBetter)) ++won;
    }
    return {won, compared};
}

Reversal classify(int won, int compared) {
    if (compared >= 2 && won == compared) return Reversal::Complete;
    if (compared >= 1 && 2 * won > compared) return Reversal::Partial;
    return Reversal::None;
}

int severity(Reversal r) {
    switch (r) {
    case Reversal::Complete:
        return 2;
    case Reversal::Partial:
        return 1;
    default:
        return 0;
    }
}

void fillMixAndStandardized(const SimpsonInput& in, SimpsonVerdict& out) {
    std::vector<double> pooled(in.strata.size(), 0.0);
    for (std::size_t c = 0; c < in.cohorts.size(); ++c) {
        double total = 0;
        for (const auto& cell : in.cells[c])
            total += static_cast<double>(cell.n);
        for (std::size_t s = 0; s < in.strata.size(); ++s) {
            const double n = static_cast<double>(in.cells[c][s].n);
            out.mix[in.cohorts[c]][in.strata[s]] = total > 0 ? n / total : 0.0;
            pooled[s] += n;
        }
    }
    // Standardise over strata where every cohort has a value, reweighted to the pooled sizes.
    double weightSum = 0;
    std::vector<double> sums(in.cohorts.size(), 0.0);
    for (std::size_t s = 0; s < in.strata.size(); ++s) {
        bool all = true;
        for (std::size_t c = 0; c < in.cohorts.size(); ++c)
            all = all && in.cells[c][s].n > 0 && std::isfinite(in.cells[c][s].value);
        if (!all) continue;
        weightSum += pooled[s];
        for (std::size_t c = 0; c < in.cohorts.size(); ++c)
            sums[c] += pooled[s] * in.cells[c][s].value;
    }
    std::size_t best = 0;
    for (std::size_t c = 0; c < in.cohorts.size(); ++c) {
        const double v = weightSum > 0 ? sums[c] / weightSum : std::numeric_limits<double>::quiet_NaN();
        out.standardized[in.cohorts[c]] = v;
        if (c > 0 && better(v, sums[best] / weightSum, in.higherIsBetter)) best = c;
    }
    if (weightSum > 0) out.standardizedWinner = in.cohorts[best];
}

void countStrataWon(const SimpsonInput& in, SimpsonVerdict& out) {
    for (const auto& cohort : in.cohorts)
        out.strataWon[cohort] = 0;
    for (std::size_t s = 0; s < in.strata.size(); ++s) {
        if (!comparable(in, s)) continue;
        ++out.comparableStrata;
        std::size_t best = 0;
        bool tie = false;
        for (std::size_t c = 1; c < in.cohorts.size(); ++c) {
            const double v = in.cells[c][s].value;
            const double b = in.cells[best][s].value;
            if (better(v, b, in.higherIsBetter)) {
                best = c;
                tie = false;
            } else if (v == b) {
                tie = true;
            }
        }
        if (!tie) ++out.strataWon[in.cohorts[best]];
    }
}

int orient(const SimpsonInput& in) {
    return in.higherIsBetter ? 1 : -1;
}

std::string percentText(double share) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f%%", share * 100.0);
    return buffer;
}

// Examples per stratum over all cohorts, and the n-weighted mean of the cohorts' values there (how easy the
// stratum is, whoever is scored on it).
struct PooledStrata {
    std::vector<double> n;
    std::vector<double> value;
    double total = 0;
    double overallValue = 0; // the same over all strata
};

PooledStrata pooledStrata(const SimpsonInput& in) {
    PooledStrata p;
    p.n.assign(in.strata.size(), 0.0);
    p.value.assign(in.strata.size(), std::numeric_limits<double>::quiet_NaN());
    double overallSum = 0;
    double overallWeight = 0;
    for (std::size_t s = 0; s < in.strata.size(); ++s) {
        double sum = 0;
        double weight = 0;
        for (std::size_t c = 0; c < in.cohorts.size(); ++c) {
            const auto& cell = in.cells[c][s];
            p.n[s] += static_cast<double>(cell.n);
            if (cell.n > 0 && std::isfinite(cell.value)) {
                sum += static_cast<double>(cell.n) * cell.value;
                weight += static_cast<double>(cell.n);
            }
        }
        if (weight > 0) p.value[s] = sum / weight;
        p.total += p.n[s];
        overallSum += sum;
        overallWeight += weight;
    }
    p.overallValue =
        overallWeight > 0 ? overallSum / overallWeight : std::numeric_limits<double>::quiet_NaN();
    return p;
}

// Share of all examples that sit in strata too small to compare.
double excludedShare(const SimpsonInput& in, const PooledStrata& pooled) {
    double excluded = 0;
    for (std::size_t s = 0; s < in.strata.size(); ++s)
        if (!comparable(in, s)) excluded += pooled.n[s];
    return pooled.total > 0 ? excluded / pooled.total : 0.0;
}

std::string withinText(const SimpsonInput& in, std::size_t winner, std::size_t challenger) {
    const auto [won, compared] = headToHead(in, winner, challenger);
    const auto& l = in.cohorts[challenger];
    if (won == compared) return "within each comparable " + in.stratumName + " stratum " + l + " is better";
    return "within " + std::to_string(won) + " of " + std::to_string(compared) + " comparable " +
           in.stratumName + " strata " + l + " is better";
}

std::string exclusionText(const SimpsonInput& in, const PooledStrata& pooled) {
    const double share = excludedShare(in, pooled);
    if (share <= 0) return {};
    return " " + percentText(share) + " of the cases are in strata with fewer than " +
           std::to_string(in.minN) + " cases of a cohort and are not compared.";
}

// The mix explains the gap: the stratum that contributes most to it is one the winner has more of and that is
// easier (or one it has less of that is harder).
std::string explainByMix(const SimpsonInput& in, const SimpsonVerdict& v, std::size_t winner,
                         std::size_t challenger, const PooledStrata& pooled) {
    const auto& w = in.cohorts[winner];
    const auto& l = in.cohorts[challenger];
    // Among the strata the winner has more of (all strata when there is none), the one contributing most.
    std::size_t key = 0;
    double strongest = -std::numeric_limits<double>::infinity();
    bool anyOverRepresented = false;
    for (std::size_t s = 0; s < in.strata.size(); ++s)
        anyOverRepresented =
            anyOverRepresented || v.mix.at(w).at(in.strata[s]) > v.mix.at(l).at(in.strata[s]);
    for (std::size_t s = 0; s < in.strata.size(); ++s) {
        if (!std::isfinite(pooled.value[s])) continue;
        const double shareGap = v.mix.at(w).at(in.strata[s]) - v.mix.at(l).at(in.strata[s]);
        if (anyOverRepresented && shareGap <= 0) continue;
        const double contribution = shareGap * orient(in) * (pooled.value[s] - pooled.overallValue);
        if (contribution > strongest) {
            strongest = contribution;
            key = s;
        }
    }
    const double shareW = v.mix.at(w).at(in.strata[key]);
    const double shareL = v.mix.at(l).at(in.strata[key]);
    const bool easier = orient(in) * (pooled.value[key] - pooled.overallValue) > 0;
    return w + " looks better overall (" + formatMetricValue(in.overall[winner].value, in.percent) + " vs " +
           formatMetricValue(in.overall[challenger].value, in.percent) +
           ") because of the mix: " + percentText(shareW) + " of " + w + "'s cases are " + in.stratumName +
           " = " + in.strata[key] + " against " + percentText(shareL) + " of " + l + "'s, and those are " +
           (easier ? "easier" : "harder") + " (" + in.metricName + " " +
           formatMetricValue(pooled.value[key], in.percent) + " there vs " +
           formatMetricValue(pooled.overallValue, in.percent) + " over all cases); " +
           withinText(in, winner, challenger) + ". Weighted to the same mix, " + l + " scores " +
           formatMetricValue(v.standardized.at(l), in.percent) + " vs " +
           formatMetricValue(v.standardized.at(w), in.percent) + " for " + w + "." +
           exclusionText(in, pooled);
}

// The mix does not explain it: weighted to the same mix the overall winner still leads, so its lead where it
// wins (or in strata too small to compare) outweighs the challenger's smaller leads.
std::string explainByGaps(const SimpsonInput& in, const SimpsonVerdict& v, std::size_t winner,
                          std::size_t challenger, const PooledStrata& pooled) {
    const auto& w = in.cohorts[winner];
    const auto& l = in.cohorts[challenger];
    std::string text = w + " is better overall (" + formatMetricValue(in.overall[winner].value, in.percent) +
                       " vs " + formatMetricValue(in.overall[challenger].value, in.percent) + ") while " +
                       withinText(in, winner, challenger) +
                       ", yet the mix does not explain it: weighted to " + "the same mix " + w +
                       " still leads (" + formatMetricValue(v.standardized.at(w), in.percent) + " vs " +
                       formatMetricValue(v.standardized.at(l), in.percent) + ").";
    std::size_t key = in.strata.size();
    double largest = 0;
    for (std::size_t s = 0; s < in.strata.size(); ++s) {
        const auto& a = in.cells[winner][s];
        const auto& b = in.cells[challenger][s];
        if (a.n == 0 || b.n == 0 || !std::isfinite(a.value) || !std::isfinite(b.value)) continue;
        const double lead = pooled.n[s] * orient(in) * (a.value - b.value);
        if (lead > largest) {
            largest = lead;
            key = s;
        }
    }
    if (key < in.strata.size()) {
        text += " " + w + "'s lead in " + in.stratumName + " = " + in.strata[key] + " (" +
                formatMetricValue(in.cells[winner][key].value, in.percent) + " vs " +
                formatMetricValue(in.cells[challenger][key].value, in.percent) + ", " +
                percentText(pooled.total > 0 ? pooled.n[key] / pooled.total : 0.0) + " of all cases" +
                (comparable(in, key) ? "" : ", a stratum too small to compare") + ") outweighs " + l +
                "'s smaller leads elsewhere.";
    }
    return text + exclusionText(in, pooled);
}

std::string impossibilityText(const SimpsonInput& in) {
    return "A complete reversal cannot happen here: both cohorts hold the same examples (matched by id), "
           "each "
           "in the same " +
           in.stratumName + " stratum, every stratum is comparable, and " + in.metricName +
           " is an average over examples, so each overall value is its strata's values weighted by the same "
           "mix.";
}

} // namespace

std::string_view reversalName(Reversal reversal) {
    switch (reversal) {
    case Reversal::None:
        return "none";
    case Reversal::Partial:
        return "partial";
    case Reversal::Complete:
        return "complete";
    case Reversal::Impossible:
        return "impossible";
    }
    return "none";
}

std::string formatMetricValue(double value, bool percent) {
    if (!std::isfinite(value)) return "n/a";
    char buffer[64];
    if (percent)
        std::snprintf(buffer, sizeof buffer, "%.1f%%", value * 100.0);
    else
        std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return buffer;
}

SimpsonVerdict compareAcrossStrata(const SimpsonInput& in) {
    SimpsonVerdict out;
    if (in.cohorts.empty() || in.overall.size() != in.cohorts.size() || in.cells.size() != in.cohorts.size())
        return out;
    for (const auto& row : in.cells)
        if (row.size() != in.strata.size()) return out;

    const std::size_t winner = overallWinnerIndex(in);
    out.overallWinner = in.cohorts[winner];
    fillMixAndStandardized(in, out);
    countStrataWon(in, out);

    const PooledStrata pooled = pooledStrata(in);
    out.identicalExamples = in.identicalExamples;
    out.sameStrata = in.sameStrata;
    out.decomposable = in.decomposable;
    out.allStrataComparable = excludedShare(in, pooled) == 0;
    out.mixExplains = !out.standardizedWinner.empty() && out.standardizedWinner != out.overallWinner;
    const bool completeImpossible =
        out.identicalExamples && out.sameStrata && out.allStrataComparable && out.decomposable;

    std::size_t worstChallenger = winner;
    for (std::size_t c = 0; c < in.cohorts.size(); ++c) {
        if (c == winner) continue;
        const auto [won, compared] = headToHead(in, winner, c);
        const Reversal r = classify(won, compared);
        if (severity(r) > severity(out.reversal)) {
            out.reversal = r;
            worstChallenger = c;
        }
    }
    if (out.reversal == Reversal::None) {
        if (completeImpossible) {
            out.reversal = Reversal::Impossible;
            out.explanation = out.overallWinner + " is better overall (" +
                              formatMetricValue(in.overall[winner].value, in.percent) + "). " +
                              impossibilityText(in);
            return out;
        }
        // The runner-up overall is the cohort the sentence compares with.
        std::size_t runnerUp = winner == 0 ? 1 : 0;
        for (std::size_t c = 0; c < in.cohorts.size(); ++c)
            if (c != winner && better(in.overall[c].value, in.overall[runnerUp].value, in.higherIsBetter))
                runnerUp = c;
        out.explanation = out.overallWinner + " is better overall (" +
                          formatMetricValue(in.overall[winner].value, in.percent) + " vs " +
                          formatMetricValue(in.overall[runnerUp].value, in.percent) + " for " +
                          in.cohorts[runnerUp] + ") and ";
        if (out.comparableStrata == 0)
            out.explanation += "no " + in.stratumName + " stratum has " + std::to_string(in.minN) +
                               " or more cases in every cohort, so nothing is compared within strata.";
        else
            out.explanation += "no other cohort wins a majority of the " +
                               std::to_string(out.comparableStrata) + " comparable " + in.stratumName +
                               " strata: the overall comparison is not reversed within strata.";
        if (out.mixExplains)
            out.explanation += " Weighted to the same mix, " + out.standardizedWinner + " leads (" +
                               formatMetricValue(out.standardized.at(out.standardizedWinner), in.percent) +
                               " vs " +
                               formatMetricValue(out.standardized.at(out.overallWinner), in.percent) +
                               "), so " + out.overallWinner + "'s overall lead comes from the mix.";
        return out;
    }
    out.reversedAgainst = in.cohorts[worstChallenger];
    const double stdWinner = out.standardized.at(in.cohorts[winner]);
    const double stdChallenger = out.standardized.at(in.cohorts[worstChallenger]);
    const bool mixFlipsPair = better(stdChallenger, stdWinner, in.higherIsBetter);
    out.explanation = mixFlipsPair ? explainByMix(in, out, winner, worstChallenger, pooled)
                                   : explainByGaps(in, out, winner, worstChallenger, pooled);
    if (completeImpossible) out.explanation += " " + impossibilityText(in);
    return out;
}

} // namespace runlens
