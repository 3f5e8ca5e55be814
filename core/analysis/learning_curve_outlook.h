// Who wins with more data: each model family's metric against training-set size fitted by a power law, the
// leader at the largest size tried, and the size where another family's fit overtakes it.
#pragma once

#include "core/analysis/power_law_fit.h"
#include "core/model/run.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// A run's training-set size: the numeric param `key`, else the last value of a series of that name.
std::optional<double> trainingSizeOf(const RunInfo& run, const std::string& key);

// How much a param name looks like a training-set size: 2 for train/samples/dataset words (train_size,
// n_train, num_samples, dataset_size), 1 for another "size", 0 for a batch size or anything else.
int trainingSizeKeyScore(std::string_view key);

// One family's observed points and their fit.
struct LearningCurveFamilyFit {
    std::string name;
    std::vector<std::string> runs;     // the run of each point
    std::vector<double> sizes, values; // observed points, one per run
    PowerLawFit fit;                   // may be !ok
};

// The learning curves of `runs` (the Learning curve tab's visible runs, `runlens learning-curve`'s
// workspace): each run with the series `metric` and a positive training-set size (trainingSizeOf) is a
// point (its size, the series reduced by `how`) of its family: the value of param familyKey ("(none)" when
// the run has none), or one family named after the metric when familyKey is empty. Families in name order,
// points in run order, each family fitted by fitPowerLaw.
std::vector<LearningCurveFamilyFit> learningCurveFamilies(std::span<const RunInfo* const> runs,
                                                          const std::string& metric,
                                                          const std::string& sizeKey,
                                                          const std::string& familyKey, SeriesReduction how);

// The scan looks for a crossing up to kScanFactor times the largest size any family ran, in kScanSteps
// log-spaced steps (10^(3/300) = 2.3% apart).
struct LearningCurveOutlook {
    static constexpr double kScanFactor = 1000.0;
    static constexpr int kScanSteps = 300;

    int leader = -1;    // index into the families: best fitted value at largestSize (-1: fewer than 2 fits)
    int overtaker = -1; // the first family whose fit becomes best beyond it, -1 when none within the scan
    double largestSize = 0;
    double overtakeSize = kNaN; // the first scanned size where the overtaker is best
    double overtakeRatio = kNaN;
    std::string sentence; // "gbm leads now; mlp overtakes at 4.2x data (size 2.1e+05)." or "" (< 2 fits)
};

LearningCurveOutlook compareLearningCurveFits(std::span<const LearningCurveFamilyFit> families,
                                              bool higherIsBetter);

// Whether higher values of `metric` are better, for comparing learning curves: its name decides when it
// tells (lowerIsBetter of core/model/tag_names); otherwise the successful fits vote, a fit value = a m^b + c
// with a b > 0 rising towards c (a score) and the others falling (a loss), and a tie counts as lower is
// better.
bool learningCurveHigherIsBetter(std::string_view metric, std::span<const PowerLawFit> fits);

// The report's learning-curve projection: for each candidate run, the runs of its configuration at other
// training-set sizes (every param equal but the size key and seed keys), their metric's last value fitted
// and extrapolated.
struct CurveCandidate {
    std::string name;
    const RunInfo* run = nullptr;
};

struct CandidateCurveRequest {
    std::string sizeKey;   // "" = the candidates' param with the highest trainingSizeKeyScore
    std::string metric;    // "" = the validation series (lower- or higher-is-better by its name) most
                           // family runs have
    double targetSize = 0; // size to project to; 0 = 10x the largest size any family ran
};

struct CandidateLearningCurves {
    std::string sizeKey, metric;
    bool higherIsBetter = false;
    double targetSize = 0;
    std::vector<LearningCurveFamilyFit> families; // one per candidate with runs at 2 or more sizes
    std::vector<PowerLawPrediction> atTarget;     // per family; value NaN when its fit failed
    std::vector<std::string> notes;               // candidates without a family, in plain words
    LearningCurveOutlook outlook;
    std::string sentence; // the section's answer in one or two sentences
    std::string error;    // why there is no projection at all
};

CandidateLearningCurves candidateLearningCurves(std::span<const CurveCandidate> candidates,
                                                std::span<const RunInfo> pool,
                                                const CandidateCurveRequest& request = {});

} // namespace runlens
