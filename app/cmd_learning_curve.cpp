// `runlens learning-curve`: a metric against training-set size across runs, the power-law fit and
// extrapolation.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "app/power_law_json.h"
#include "core/analysis/learning_curve_outlook.h"
#include "core/store/workspace.h"
#include "ui/learning_curve/learning_curve_chart.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace runlens::cli {

namespace {

SeriesReduction reductionOf(const std::string& how) {
    if (how == "min") return SeriesReduction::Min;
    if (how == "max") return SeriesReduction::Max;
    return SeriesReduction::Last;
}

void writeFit(JsonWriter& json, const PowerLawFit& fit, double extrapolate) {
    json.key("fit");
    writePowerLawFit(json, fit);
    json.key("extrapolated");
    if (!fit.ok || !(extrapolate > 0)) {
        json.null();
        return;
    }
    const auto p = predictPowerLawBootstrap(fit, extrapolate);
    json.beginObject().field("size", extrapolate);
    writePowerLawPrediction(json, p);
    json.field("interval", std::string("fitted mean curve: delta method, t quantile"))
        .field("prediction_interval", std::string("one new run: mean curve plus residual variance"))
        .field("bootstrap_ci_low", p.bootLower)
        .field("bootstrap_ci_high", p.bootUpper)
        .field("bootstrap_resamples", p.bootResamples)
        .field("bootstrap_seed", static_cast<std::int64_t>(p.bootSeed))
        .endObject();
}

// What `runlens learning-curve --help` prints (the dispatcher in app/cli.cpp prints it, never the run
// function).
constexpr std::string_view kUsage =
    R"(Usage: runlens learning-curve -w WS --metric M --size-param P [--extrapolate N] [--json] [-o IMG]

A metric against training-set size across runs, the power-law fit value = a*size^b + c (Levenberg-Marquardt)
and its extrapolation to a larger size with a 95% interval (delta method; a residual bootstrap in JSON).

Options:
  -w, --workspace WS   workspace file (required)
  --metric M           series tag whose value per run is fitted, e.g. val_loss (required)
  --size-param P       the param (or series) holding each run's training-set size (required)
  --reduce R           the run's value of the metric: last (default), min or max
  --family-param F     fit one curve per value of this param (e.g. model) to compare families
  --extrapolate N      predict the metric at size N
  --json               JSON: points[] {run, size, value}, fit {a, b, c, rmse}, extrapolated {size, value,
                       ci_low, ci_high (95% interval of the fitted mean curve), prediction_low,
                       prediction_high (95% prediction interval for one new run: adds the residual
                       variance), bootstrap_ci_low, bootstrap_ci_high}, and families[] with --family-param
  -o, --output IMG     the chart as .png, .svg or .pdf (--size WxH, default 1100x700)
  -h, --help           show this help
)";

int runLearningCurveCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    const Args parsed(args, {{"--workspace", "-w", true},
                             {"--metric", "", true},
                             {"--size-param", "", true},
                             {"--extrapolate", "", true},
                             {"--family-param", "", true},
                             {"--reduce", "", true},
                             {"--json", "", false},
                             {"--output", "-o", true},
                             {"--size", "", true}});
    if (!parsed.positionals().empty())
        throw UsageError("unexpected argument '" + parsed.positionals().front() + "'");
    const std::string wsPath = parsed.require("--workspace");
    const std::string metric = parsed.require("--metric");
    const std::string sizeKey = parsed.require("--size-param");
    const std::string how = parsed.get("--reduce", "last");
    if (how != "last" && how != "min" && how != "max") throw UsageError("--reduce is last, min or max");
    const double extrapolate = parsed.number("--extrapolate", 0, 0, 1e18);
    requireReadable(wsPath);
    const auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
    const auto family = parsed.get("--family-param");

    // core's gathering, the one the Learning curve tab draws.
    const auto runs = ws->runs();
    std::vector<const RunInfo*> pointers;
    for (const auto& run : runs)
        pointers.push_back(&run);
    const auto fitted =
        learningCurveFamilies(pointers, metric, sizeKey, family.value_or(""), reductionOf(how));
    if (fitted.empty())
        throw InputError("no run has both a series '" + metric + "' and a positive size '" + sizeKey + "'");
    std::vector<ui::LearningCurveFamily> families;
    for (const auto& f : fitted)
        families.push_back({QString::fromStdString(f.name), f.sizes, f.values, f.fit});

    if (parsed.has("--json")) {
        JsonWriter json(out);
        json.beginObject().field("metric", metric).field("size_param", sizeKey).field("reduce", how);
        json.key("points").beginArray();
        for (const auto& f : fitted)
            for (std::size_t i = 0; i < f.sizes.size(); ++i) {
                json.beginObject()
                    .field("run", f.runs[i])
                    .field("size", f.sizes[i])
                    .field("value", f.values[i]);
                if (family) json.field("family", f.name);
                json.endObject();
            }
        json.endArray();
        writeFit(json, families.front().fit, extrapolate);
        if (family) {
            json.key("families").beginArray();
            for (const auto& f : fitted) {
                json.beginObject()
                    .field("family", f.name)
                    .field("runs", static_cast<std::int64_t>(f.sizes.size()));
                writeFit(json, f.fit, extrapolate);
                json.endObject();
            }
            json.endArray();
        }
        json.endObject();
        json.finish();
    } else {
        for (const auto& f : fitted) {
            const auto& fit = f.fit;
            out << f.name << ": " << f.sizes.size() << " runs\n";
            if (!fit.ok) {
                out << "  no fit: " << fit.error << '\n';
                continue;
            }
            char line[256];
            std::snprintf(line, sizeof line, "  %s = %.6g * size^%.4f + %.6g   (rmse %.4g)\n", metric.c_str(),
                          fit.a, fit.b, fit.c, fit.rmse);
            out << line;
            if (extrapolate > 0) {
                const auto p = predictPowerLaw(fit, extrapolate);
                std::snprintf(line, sizeof line,
                              "  at size %.6g: %.4g; 95%% interval of the mean curve [%.4g, %.4g]; 95%% "
                              "prediction interval for one new run [%.4g, %.4g]\n",
                              extrapolate, p.value, p.lower, p.upper, p.predictionLower, p.predictionUpper);
                out << line;
            }
        }
    }
    if (auto output = parsed.get("--output")) {
        const QSize size = parseChartSize(parsed.get("--size", "1100x700"));
        writeChartFile(
            [&] {
                return ui::buildLearningCurveChart(families, QString::fromStdString(metric),
                                                   QString::fromStdString(sizeKey), extrapolate);
            },
            size, *output);
        if (!parsed.has("--json")) out << "wrote " << *output << '\n';
    }
    return kExitOk;
}

} // namespace

const Command kLearningCurveCommand{"learning-curve",
                                    "metric against training-set size, with a power-law fit", kUsage,
                                    &runLearningCurveCommand};

} // namespace runlens::cli
