// Cell text of prediction-table columns, shared by everything that matches ids and class names.
#include "core/model/prediction_table.h"

#include <charconv>
#include <cmath>

namespace runlens {

std::string numberText(double v) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

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

} // namespace runlens
