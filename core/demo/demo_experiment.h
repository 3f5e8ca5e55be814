// Writes the bundled demo experiment (a small hyper-parameter sweep) as ordinary log files into a folder.
#pragma once

#include <filesystem>
#include <vector>

namespace runlens {

// Writes a 3 (learning rate) x 2 (batch size) x 2 (seed) sweep, one directory per run holding a wide
// metrics.csv (step, wall_time, train/loss, val/loss, val/accuracy) and an hparams.yaml; one run diverges,
// one overfits, and lengths differ. Also writes writeDemoEvaluation()'s runs (three model versions with
// evaluation sets, a training-size sweep). The output depends only on the code, never on time or randomness.
// Returns the run directories. Throws
// std::filesystem::filesystem_error or std::runtime_error when the folder cannot be written.
std::vector<std::filesystem::path> writeDemoExperiment(const std::filesystem::path& dir);

} // namespace runlens
