// `runlens slices` on regression logs: per-slice regression metrics with intervals, the Simpson verdict for
// MAE and MSE between two logs, and the absolute-error slice finder.
#pragma once

#include "app/cli.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/simpson.h"

#include <ostream>
#include <vector>

namespace runlens::cli {

// A Simpson verdict's fields inside an open JSON object (reversal, winners, strata won, standardised values,
// mix, the conditions checked), as both slices reports write them.
void writeSimpsonVerdictFields(JsonWriter& json, const SimpsonVerdict& s);

// The slices report of one or two regression logs (or one split by --compare); returns the exit code.
int runRegressionSlices(const Args& args, std::vector<LoadedRegressionLog*> logs, std::ostream& out);

} // namespace runlens::cli
