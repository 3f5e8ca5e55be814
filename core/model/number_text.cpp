// Round-trip number text through std::to_chars, which is locale-free and exact, unlike printf("%g").
#include "core/model/number_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace runlens {

std::string numberText(double value, const NonFiniteText& nonFinite, Notation notation) {
    if (std::isnan(value)) return std::string(nonFinite.nan);
    if (std::isinf(value)) return std::string(value > 0 ? nonFinite.infinity : nonFinite.negativeInfinity);
    const double magnitude = std::fabs(value);
    const bool fixed =
        notation == Notation::PlainInEverydayRange && (value == 0 || (magnitude >= 1e-5 && magnitude < 1e15));
    // 1e15 in fixed form is 16 digits plus a sign and up to 20 decimals: 64 characters hold every case, and
    // the shortest form of any double is at most 24.
    std::array<char, 64> buffer{};
    const auto result =
        fixed ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed)
              : std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

std::string significantText(double value, int digits, const NonFiniteText& nonFinite) {
    if (std::isnan(value)) return std::string(nonFinite.nan);
    if (std::isinf(value)) return std::string(value > 0 ? nonFinite.infinity : nonFinite.negativeInfinity);
    // snprintf, as the sentences always used (to_chars has no "%g"-style precision that drops trailing
    // zeros); 48 characters hold "%.17g" of any double.
    std::array<char, 48> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.*g", digits, value);
    return buffer.data();
}

} // namespace runlens
