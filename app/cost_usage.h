// The --help text of `runlens pareto` (cost against quality).
#pragma once

#include <string_view>

namespace runlens::cli {

inline constexpr std::string_view kParetoUsage =
    R"(Usage: runlens pareto -w WS [--quality Q] [--cost C[,C...]] [--within X|X%] [--eval-set NAME] [--json]
                      [-o chart.png]

Cost against quality per run: the Pareto front (the runs no other run beats on quality and every cost at
once), who dominates whom, and the cheapest run within X of the best, in one sentence.

Quality is a run's number by name (its summary, its series' last value, or a numeric param) or a metric of
its evaluation set with an interval: eval:accuracy (default when runs have evaluation sets), eval:error_rate,
eval:auc, eval:f1, eval:precision, eval:recall, eval:log_loss, eval:brier. Costs are numbers by name too;
names such as latency, throughput (higher is better), params / num_parameters, model_size, flops / macs,
train_time / runtime and peak_memory are recognised, and wall_clock_seconds (each run's first to last
logged time) is always there. Without --cost the recognised cost most runs have is used.

Options:
  -w, --workspace WS   workspace file (required)
  --quality Q          the quality axis (see above)
  --higher-is-better, --lower-is-better   the quality's direction when its name does not tell
  --cost C[,C...]      one or more cost axes (the first is the one "cheapest" is judged on)
  --within X           tolerance from the best quality: absolute (0.01) or relative with % (1%, default)
  --eval-set NAME      the evaluation set to score (default: each run's first)
  -o, --output FILE    write the scatter with the front (.png, .svg or .pdf); --size WxH (default 1200x800)
  --json               JSON: kind "pareto", quality {name, higher_is_better}, costs[] {name, kind,
                       higher_is_better}, points[] {run, quality, quality_low, quality_high, costs[],
                       on_front, dominated_by[]}, front[] (runs, cheapest first), left_out[], cheapest {within,
                       relative, best, chosen, quality_gap, cost_best, cost_chosen, cost_factor,
                       intervals_overlap, sentence}
  -h, --help           show this help
)";

} // namespace runlens::cli
