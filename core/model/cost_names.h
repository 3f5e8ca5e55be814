// What a cost metric's name says: latency, throughput, parameter count, model size, FLOPs, run time, memory.
#pragma once

#include <optional>
#include <string_view>

namespace runlens {

enum class CostKind { Latency, Throughput, ParameterCount, ModelSize, Flops, Runtime, PeakMemory };

struct CostMetric {
    CostKind kind = CostKind::Latency;
    bool lowerIsBetter = true; // false only for throughput
};

// Recognises a cost metric by its name's words (split at '/', '_', '.', '-', spaces and camelCase, any case):
// latency, inference_time, time_per_sample -> Latency; throughput, qps, samples_per_second, tokens/s ->
// Throughput (higher is better); params, param_count, num_parameters, n_params -> ParameterCount; model_size,
// size_mb, checkpoint_size, size_bytes -> ModelSize; flops, gflops, macs -> Flops; train_time, training_time,
// runtime, fit_time, time_total_s -> Runtime; peak_memory, max_memory_allocated -> PeakMemory. nullopt
// otherwise.
std::optional<CostMetric> costMetricOf(std::string_view name);

std::string_view costKindName(CostKind kind); // "latency", "throughput", "parameters", "model size", ...

} // namespace runlens
