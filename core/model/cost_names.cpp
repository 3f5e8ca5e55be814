// Parses cost metric names word by word, as tag_names does for quality metrics.
#include "core/model/cost_names.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

namespace runlens {

namespace {

// Lower-case words: separators split, and so does a lower-to-upper case change ("numParams" -> num, params).
std::vector<std::string> costWords(std::string_view name) {
    std::vector<std::string> out;
    std::string current;
    char previous = 0;
    for (const char c : name) {
        const bool separator = c == '/' || c == '_' || c == '.' || c == '-' || c == ' ' || c == ':';
        const bool camel =
            std::isupper(static_cast<unsigned char>(c)) && std::islower(static_cast<unsigned char>(previous));
        if ((separator || camel) && !current.empty()) out.push_back(current), current.clear();
        if (!separator) current.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        previous = c;
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

bool has(const std::vector<std::string>& words, std::initializer_list<std::string_view> any) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
        return std::find(any.begin(), any.end(), w) != any.end();
    });
}

// "a ... per ... b": a rate of a counted thing per unit of time.
bool perTime(const std::vector<std::string>& w) {
    const auto per = std::find(w.begin(), w.end(), "per");
    return per != w.end() && std::any_of(per + 1, w.end(), [](const std::string& s) {
               return s == "sec" || s == "second" || s == "s" || s == "ms" || s == "minute" || s == "hour";
           });
}

// "time ... per ... sample": a time per counted thing.
bool perCounted(const std::vector<std::string>& w) {
    const auto per = std::find(w.begin(), w.end(), "per");
    return per != w.end() && std::any_of(per + 1, w.end(), [](const std::string& s) {
               return s == "sample" || s == "example" || s == "token" || s == "image" || s == "item" ||
                      s == "batch" || s == "request" || s == "query" || s == "step";
           });
}

} // namespace

std::optional<CostMetric> costMetricOf(std::string_view name) {
    const auto w = costWords(name);
    if (w.empty()) return std::nullopt;
    const bool counted = has(w, {"samples", "sample", "examples", "example", "tokens", "token", "images",
                                 "items", "it", "steps", "step", "batches", "requests", "queries", "frames"});
    if (has(w, {"throughput", "qps", "rps", "fps", "tps"}) || (counted && perTime(w)) ||
        (counted && has(w, {"sec", "s"}) && w.size() >= 2 && w[w.size() - 1].size() <= 3 &&
         std::find(w.begin(), w.end(), "time") == w.end()))
        return CostMetric{CostKind::Throughput, false};
    if (has(w, {"latency"}) ||
        (has(w, {"inference", "predict", "prediction", "forward"}) && has(w, {"time", "ms"})) ||
        (has(w, {"time", "ms", "seconds", "s"}) && perCounted(w)))
        return CostMetric{CostKind::Latency, true};
    if (has(w, {"flops", "gflops", "tflops", "mflops", "flop", "macs", "gmacs", "mmacs"}))
        return CostMetric{CostKind::Flops, true};
    if (has(w, {"params", "parameters", "nparams", "param", "parameter"}) &&
        !has(w, {"lr", "learning", "rate", "norm", "grad"}))
        return CostMetric{CostKind::ParameterCount, true};
    if (has(w, {"size"}) &&
        has(w, {"model", "mb", "kb", "gb", "bytes", "checkpoint", "ckpt", "file", "disk"}))
        return CostMetric{CostKind::ModelSize, true};
    if (has(w, {"peak", "max"}) && has(w, {"memory", "mem"})) return CostMetric{CostKind::PeakMemory, true};
    if (has(w, {"runtime", "duration", "elapsed"}) ||
        (has(w, {"time", "seconds", "secs"}) && has(w, {"train", "training", "fit", "total", "run", "wall"})))
        return CostMetric{CostKind::Runtime, true};
    return std::nullopt;
}

std::string_view costKindName(CostKind kind) {
    switch (kind) {
    case CostKind::Latency:
        return "latency";
    case CostKind::Throughput:
        return "throughput";
    case CostKind::ParameterCount:
        return "parameters";
    case CostKind::ModelSize:
        return "model size";
    case CostKind::Flops:
        return "FLOPs";
    case CostKind::Runtime:
        return "run time";
    case CostKind::PeakMemory:
        return "peak memory";
    }
    return "";
}

} // namespace runlens
