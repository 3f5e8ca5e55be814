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

// The stratum whose share differs most between the winner and the challenger, and whether it is "easier"
// (its pooled metric is better than the rest's).
std::string explainReversal(const SimpsonInput& in, const SimpsonVerdict& v, std::size_t winner,
                            std::size_t challenger) {
    std::size_t key = 0;
    double widest = -1;
    for (std::size_t s = 0; s < in.strata.size(); ++s) {
        const double diff =
            v.mix.at(in.cohorts[winner]).at(in.strata[s]) - v.mix.at(in.cohorts[challenger]).at(in.strata[s]);
        if (diff > widest) {
            widest = diff;
            key = s;
        }
    }
    const auto& w = in.cohorts[winner];
    const auto& l = in.cohorts[challenger];
    const double share = v.mix.at(w).at(in.strata[key]);
    const auto [won, compared] = headToHead(in, winner, challenger);
    char buffer[1024];
    const std::string within = won == compared
                                   ? "within each " + in.stratumName + " " + l + " is better"
                                   : "within " + std::to_string(won) + " of " + std::to_string(compared) +
                                         " comparable " + in.stratumName + " strata " + l + " is better";
    std::snprintf(
        buffer, sizeof buffer,
        "%s looks better overall (%s vs %s) only because %.0f%% of %s's cases are %s = %s, which are "
        "easier; %s. Weighted to the same mix, %s scores %s vs %s for %s.",
        w.c_str(), formatMetricValue(in.overall[winner].value, in.percent).c_str(),
        formatMetricValue(in.overall[challenger].value, in.percent).c_str(), share * 100.0, w.c_str(),
        in.stratumName.c_str(), in.strata[key].c_str(), within.c_str(), l.c_str(),
        formatMetricValue(v.standardized.at(l), in.percent).c_str(),
        formatMetricValue(v.standardized.at(w), in.percent).c_str(), w.c_str());
    return buffer;
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

    if (in.identicalExamplesDecomposable) {
        out.reversal = Reversal::Impossible;
        out.explanation =
            "Both cohorts were scored on the same examples and " + in.metricName +
            " is an average over examples, so the overall result is the strata's results weighted by "
            "the same mix: a reversal cannot happen here.";
        return out;
    }

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
        out.explanation = out.overallWinner + " is better overall (" +
                          formatMetricValue(in.overall[winner].value, in.percent) +
                          ") and no other cohort wins a majority of the comparable " + in.stratumName +
                          " strata: the overall comparison is not reversed within strata.";
        return out;
    }
    out.reversedAgainst = in.cohorts[worstChallenger];
    out.explanation = explainReversal(in, out, winner, worstChallenger);
    return out;
}

} // namespace runlens
