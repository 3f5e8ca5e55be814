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
    // The conditions under which a COMPLETE reversal cannot happen (DESIGN §4); the fourth, that no example
    // sits in a stratum too small to compare, is checked from the cells. The caller proves the first two:
    bool identicalExamples = false; // the cohorts hold the identical examples, proven by ids
    bool sameStrata = false;        // each example is in the same stratum in every cohort
    bool decomposable = false;      // the metric is an average over examples (accuracy, error, mean loss)
    std::string examplesNote;       // why the first two do not hold ("B has no id column"), for the text
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
    // The four conditions of DESIGN §4, as checked; a complete reversal is impossible when all hold.
    bool identicalExamples = false;
    bool sameStrata = false;
    bool allStrataComparable = false; // min_n excluded no example
    bool decomposable = false;
    bool mixExplains = false; // the mix-standardised comparison has another winner than the overall one
    std::string explanation;
};

// Applies DESIGN §4: the overall winner has the better overall metric; against each other cohort, the
// reversal is complete when that cohort wins every comparable stratum (at least two), partial when it wins a
// strict majority. The most severe reversal over the other cohorts is reported. When all four conditions
// hold a complete reversal cannot happen and the verdict is "impossible", unless a partial reversal is seen
// (that one can happen, and is reported as partial). The explanation is built from the numbers: it blames
// the mix only when the mix-standardised comparison changes the winner.
SimpsonVerdict compareAcrossStrata(const SimpsonInput& input);

// Formats a metric value for sentences: "82.6%" or "0.1234".
std::string formatMetricValue(double value, bool percent);

} // namespace runlens
