// The paired comparison of two regressors on the same examples as text, JSON and Markdown, shared by
// `runlens regression A B` and `runlens diff A B`.
#pragma once

#include "app/cli.h"
#include "core/analysis/bootstrap_sums.h"
#include "core/io/regression_log.h"

#include <ostream>
#include <string>

namespace runlens::cli {

// --resamples N (default 1000) and --seed S (default 20261126) of the regression commands.
BootstrapOptions bootstrapOptionsOf(const Args& args);

// Four significant digits, "n/a" for NaN: the numbers of the regression text reports.
std::string regressionNumber(double v);

struct PairedRegressionSide {
    std::string path, name;
    const RegressionLog* log = nullptr;
};

enum class PairedRegressionFormat { Text, Json, Markdown };

// Aligns the logs (by id, else by row with agreeing labels; InputError when they cannot be), runs
// compareRegressors with --error, --top, --resamples and --seed from args, and writes the result.
int writePairedRegression(const PairedRegressionSide& a, const PairedRegressionSide& b, const Args& args,
                          PairedRegressionFormat format, std::ostream& out);

} // namespace runlens::cli
