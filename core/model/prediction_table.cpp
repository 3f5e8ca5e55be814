// Cell text of prediction-table columns, shared by everything that matches ids and class names, and which
// columns identify examples.
#include "core/model/prediction_table.h"

#include "core/model/number_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

namespace runlens {

std::string cellText(const PredictionColumn& column, std::size_t row) {
    if (column.numeric)
        return row >= column.numbers.size() || std::isnan(column.numbers[row])
                   ? std::string()
                   : numberText(column.numbers[row]);
    if (row >= column.codes.size()) return {};
    const auto code = column.codes[row];
    return code < 0 || std::size_t(code) >= column.dictionary.size() ? std::string()
                                                                     : column.dictionary[std::size_t(code)];
}

bool looksLikeIdColumn(const PredictionColumn& column) {
    const std::string& name = column.name;
    std::string lower(name);
    for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* exact : {"id", "uuid", "guid", "key", "idx", "index", "example", "row"})
        if (lower == exact) return true;
    for (const char* suffix : {"_id", "-id", ".id", " id", "_uuid", "_key", "_idx", "_index"})
        if (lower.size() > std::strlen(suffix) && lower.ends_with(suffix)) return true;
    if (name.size() > 2 && name.ends_with("Id") &&
        std::islower(static_cast<unsigned char>(name[name.size() - 3])))
        return true; // userId, exampleId
    constexpr std::size_t kManyValues = 50;
    const std::size_t rows = column.size();
    if (!column.numeric) return column.dictionary.size() > kManyValues && column.dictionary.size() * 2 > rows;
    if (rows <= kManyValues) return false;
    std::vector<double> values;
    values.reserve(rows);
    for (const double v : column.numbers) {
        if (!std::isfinite(v) || v != std::floor(v)) return false;
        values.push_back(v);
    }
    std::sort(values.begin(), values.end());
    return std::adjacent_find(values.begin(), values.end()) == values.end();
}

} // namespace runlens
