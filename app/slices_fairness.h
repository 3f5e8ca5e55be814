// `runlens slices --fairness COL`: group fairness of a binary classifier across a sensitive column.
#pragma once

#include "app/cli.h"

#include <ostream>
#include <string>

namespace runlens::cli {

// Loads the one prediction log of `args`, reports per-group rates and Fairlearn's disparities across the
// values of `column` (text or JSON with --json); returns the exit code.
int runFairnessReport(const Args& args, const std::string& column, std::ostream& out);

} // namespace runlens::cli
