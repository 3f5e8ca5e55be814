// A sweep param's value as a number, shared by the ranking (sweep_view.cpp) and the charts
// (sweep_charts.cpp).
#pragma once

#include "core/model/text_number.h"

#include <cmath>
#include <optional>
#include <QString>

namespace runlens::ui {

// A param value that is a finite number, read by core's one text-number parser as the readers read cells.
inline std::optional<double> sweepParamNumber(const QString& text) {
    double value = 0;
    if (textnum::parseDouble(text.toStdString(), value) != textnum::Parsed::Number || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace runlens::ui
