// Writes the demo's evaluation data and training-size sweep as ordinary log files (prediction logs, metrics
// CSVs).
#pragma once

#include <filesystem>
#include <vector>

namespace runlens {

// Under dir/evaluation: three versions of a churn model with prediction logs (predictions_val.csv) and slice
// features (segment, device, tenure_months). v1 is a simple baseline and v2 the current model, both on the
// same 4,000 validation customers; v3 is newer and overconfident, and was evaluated on a sample where 80% of
// customers are returning ones (easier), so it looks better overall while v2 wins within each segment
// (Simpson's paradox). Under dir/size_sweep: two model families (gbm, mlp) trained on 5 training-set sizes x
// 2 seeds, whose final validation loss follows known power laws (gbm leads at every size tried, up to 50,000;
// mlp overtakes near 200,000). Deterministic: the output depends only on the code. Returns the run
// directories written.
std::vector<std::filesystem::path> writeDemoEvaluation(const std::filesystem::path& dir);

} // namespace runlens
