// Aligning runs' key-value maps for the run diff.
#include "core/analysis/run_diff.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace runlens {

std::optional<double> wholeNumber(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (!end || *end != '\0') return std::nullopt;
    return v;
}

double KeyDiff::delta() const {
    if (numbers.size() < 2) return std::numeric_limits<double>::quiet_NaN();
    return numbers[1] - numbers[0]; // NaN when either is
}

std::vector<KeyDiff> diffKeyedValues(std::span<const std::map<std::string, std::string>* const> maps) {
    const std::size_t runs = maps.size();
    std::map<std::string, KeyDiff> merged;
    for (std::size_t i = 0; i < runs; ++i) {
        for (const auto& [key, value] : *maps[i]) {
            KeyDiff& row = merged[key];
            if (row.values.empty()) {
                row.key = key;
                row.values.resize(runs);
                row.numbers.assign(runs, std::numeric_limits<double>::quiet_NaN());
            }
            row.values[i] = value;
            if (const auto number = wholeNumber(value)) row.numbers[i] = *number;
        }
    }
    std::vector<KeyDiff> out;
    out.reserve(merged.size());
    for (auto& [key, row] : merged) {
        row.differs =
            std::any_of(row.values.begin(), row.values.end(),
                        [&](const std::optional<std::string>& v) { return v != row.values.front(); });
        out.push_back(std::move(row));
    }
    return out;
}

} // namespace runlens
