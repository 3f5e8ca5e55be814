// Simpson-aware comparison of cohorts across strata: reversal verdict, mix-standardised values, explanation.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// One cohort's metric in one stratum (or overall).
struct StratumValue {
    std::int64_t n = 0;
    double value = 0;
    double ciLow = 0;
    double ciHigh = 0;
};

enum class Reversal { None, Partial, Complete, Impossible };
std::string_view reversalName(Reversal reversal); // "none", "partial", "complete", "impossible"

struct SimpsonInput {
    std::string metricName;  // "accuracy"
    std::string stratumName; // what the strata are, e.g. "size" (used in the explanation)
    bool higherIsBetter = true;
    bool percent = true;    // format values as percentages in the explanation
    std::int64_t minN = 10; // a stratum is comparable when every cohort has at least this many examples
    // A decomposable metric (accuracy, error, mean loss) on the identical examples cannot reverse.
    bool identicalExamplesDecomposable = false;
    std::vector<std::string> cohorts;
    std::vector<std::string> strata;
    std::vector<StratumValue> overall;            // per cohort
    std::vector<std::vector<StratumValue>> cells; // cells[cohort][stratum]
};

struct SimpsonVerdict {
    Reversal reversal = Reversal::None;
    std::string overallWinner;
    std::string reversedAgainst; // the cohort that wins the strata against the overall winner
    int comparableStrata = 0;
    std::map<std::string, int> strataWon; // per cohort: comparable strata where it is best
    std::map<std::string, double>
        standardized; // each cohort's strata values weighted by pooled stratum sizes
    std::string standardizedWinner;
    std::map<std::string, std::map<std::string, double>>
        mix; // cohort -> stratum -> share of the cohort's examples
    std::string explanation;
};

// Applies DESIGN §4: the overall winner has the better overall metric; against each other cohort, the
// reversal is complete when that cohort wins every comparable stratum (at least two), partial when it wins a
// strict majority. The most severe reversal over the other cohorts is reported.
SimpsonVerdict compareAcrossStrata(const SimpsonInput& input);

// Formats a metric value for sentences: "82.6%" or "0.1234".
std::string formatMetricValue(double value, bool percent);

} // namespace runlens
