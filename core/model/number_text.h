// The one number-to-text function: the shortest text that reads back as the same double, with the text each
// kind of output gives a value that is not a finite number named once here.
#pragma once

#include <string>
#include <string_view>

namespace runlens {

// Which of the round-trip spellings to write. Both read back as exactly the same double.
enum class Notation {
    // std::to_chars' shortest form, fixed or exponent, whichever is shorter: 0.25, 1e+20, 1.5e-05, 100000 is
    // "1e+05". What Python's repr and TensorBoard show, so imported params and GUI exports read as written.
    Shortest,
    // Fixed decimals for everyday magnitudes (1e-5 <= |v| < 1e15, and 0) so a wall time reads 1700000000.5,
    // not 1.7000000005e+09; the shortest form outside them. What the command line prints in JSON and tables.
    PlainInEverydayRange,
};

// What NaN and the infinities are written as. An output kind names one of the sets below instead of
// spelling its own, so the choice is made and documented once.
struct NonFiniteText {
    std::string_view nan;
    std::string_view infinity;
    std::string_view negativeInfinity;
};

// CSV: an empty cell is "no value" to pandas, R and spreadsheets; "inf" and "-inf" read back as infinities
// in pandas and numpy.
inline constexpr NonFiniteText kCsvNonFinite{"", "inf", "-inf"};
// JSON has no NaN or infinity literal (RFC 8259): null.
inline constexpr NonFiniteText kJsonNonFinite{"null", "null", "null"};
// Text for people and for values kept as text (imported params, tags): Python's str() spelling, as the
// logging tools themselves print it. The sign of a NaN is not kept: "-nan" says nothing more.
inline constexpr NonFiniteText kPlainNonFinite{"nan", "inf", "-inf"};
// Reports, sentences and Markdown tables: a metric that cannot be computed (an AUC on one class) is "n/a",
// whichever non-finite value stands for it.
inline constexpr NonFiniteText kReportNonFinite{"n/a", "n/a", "n/a"};
// Aligned terminal tables (`runlens runs`): a dash keeps the column readable where a value is missing.
inline constexpr NonFiniteText kTableNonFinite{"-", "inf", "-inf"};

// value as text: the nonFinite spelling for NaN and the infinities, else the shortest round-trip text in
// notation (-0 keeps its sign: "-0"). Without a set, the plain one: text for people and params.
std::string numberText(double value, const NonFiniteText& nonFinite = kPlainNonFinite,
                       Notation notation = Notation::Shortest);

// value with at most digits significant digits, as printf's "%.*g" writes them (0.000123 -> "0.000123",
// 1234567 at 3 digits -> "1.23e+06"): for text people read, where the last digits are noise. The nonFinite
// spelling for NaN and the infinities.
std::string significantText(double value, int digits, const NonFiniteText& nonFinite = kPlainNonFinite);

} // namespace runlens
