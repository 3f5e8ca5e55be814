// Reads the CSV files Weights & Biases exports: a run's history, and a chart's data with several runs.
#pragma once

#include "core/io/reader.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// Two layouts, told apart by the header:
//  - history export: "_step", "_runtime", "_timestamp" and one column per metric. Wide form into ctx.runName:
//    _step is the step, _timestamp the wall time (seconds; ms/us scaled), _runtime and other "_*" columns are
//    bookkeeping and skipped; every other column is a tag named as in the header.
//  - chart export: "Step" (or any first column without " - ") then "<run> - <metric>" columns, with optional
//    "<run> - <metric>__MIN" and "<run> - <metric>__MAX". Each <run> becomes joinRunName(ctx.runName, run)
//    with tag <metric>; the __MIN/__MAX columns become tags "<metric>__min" and "<metric>__max" of that run.
//    The header is split at the LAST " - " (W&B run names may hold " - ", metric keys rarely do).
// Band pairing for the UI: a tag T of a run has a min/max band when the same run also has the tags
// wandbBandTag(T, false) and wandbBandTag(T, true); wandbBandBase() maps a band tag back to T, so a curves
// view can hide the band tags from the tag list and draw them as an area around T. Empty cells are absent;
// text in a number column is reported once per column (first line and text) and those cells are skipped.
// Confidence 85 when the header shows either layout, else 0.
class WandbCsvReader : public Reader {
  public:
    std::string_view name() const override { return "wandb_csv"; }
    std::string_view description() const override { return "Weights & Biases CSV export (history or chart)"; }
    int confidence(const FileProbe& probe) const override;
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

inline constexpr std::string_view kWandbMinSuffix = "__min";
inline constexpr std::string_view kWandbMaxSuffix = "__max";

// "loss" -> "loss__min" (upper = false) or "loss__max" (upper = true).
std::string wandbBandTag(std::string_view tag, bool upper);
// "loss__min" / "loss__max" -> "loss"; nothing for other tags.
std::optional<std::string> wandbBandBase(std::string_view tag);

// One parsed chart-export header cell: "<run> - <metric>[__MIN|__MAX]".
struct WandbChartColumn {
    std::string run;
    std::string tag; // metric, or metric + "__min" / "__max"
};
std::optional<WandbChartColumn> parseWandbChartColumn(std::string_view header);

} // namespace runlens
