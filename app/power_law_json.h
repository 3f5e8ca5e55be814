// The JSON of a learning curve's power-law fit and of a projection from it, shared by `runlens
// learning-curve` and `runlens report`.
#pragma once

#include "app/json_writer.h"
#include "core/analysis/power_law_fit.h"

namespace runlens::cli {

// {a, b, c, rmse}, or {error} when there is no fit.
inline void writePowerLawFit(JsonWriter& json, const PowerLawFit& fit) {
    if (!fit.ok) {
        json.beginObject().field("error", fit.error).endObject();
        return;
    }
    json.beginObject()
        .field("a", fit.a)
        .field("b", fit.b)
        .field("c", fit.c)
        .field("rmse", fit.rmse)
        .endObject();
}

// value, ci_low, ci_high (the fitted mean curve), prediction_low, prediction_high (one new run), as fields of
// the object being written.
inline void writePowerLawPrediction(JsonWriter& json, const PowerLawPrediction& p) {
    json.field("value", p.value)
        .field("ci_low", p.lower)
        .field("ci_high", p.upper)
        .field("prediction_low", p.predictionLower)
        .field("prediction_high", p.predictionUpper);
}

} // namespace runlens::cli
