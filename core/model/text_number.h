// Fast, locale-free parsing of the numbers, missing markers and timestamps that text logs hold.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fast_float/fast_float.h>
#include <limits>
#include <string_view>
#include <system_error>

namespace runlens::textnum {

enum class Parsed { Number, Missing, Text };

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

inline bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

// "", "NA", "N/A", "nan", "NaN", "null", "None" (any case) mean "no value here".
inline bool isMissing(std::string_view s) {
    s = trim(s);
    if (s.empty()) return true;
    if (s.size() > 4) return false;
    return equalsIgnoreCase(s, "na") || equalsIgnoreCase(s, "n/a") || equalsIgnoreCase(s, "nan") ||
           equalsIgnoreCase(s, "null") || equalsIgnoreCase(s, "none") || s == "-nan";
}

// Parses a plain decimal integer (optional sign, digits only, no overflow). The common case for steps.
inline bool parseIntFast(std::string_view s, std::int64_t& out) {
    if (s.empty() || s.size() > (s[0] == '-' || s[0] == '+' ? 19u : 18u)) return false;
    std::size_t i = 0;
    bool negative = false;
    if (s[0] == '-' || s[0] == '+') {
        negative = s[0] == '-';
        i = 1;
        if (s.size() == 1) return false;
    }
    std::int64_t v = 0;
    for (; i < s.size(); ++i) {
        const unsigned d = static_cast<unsigned char>(s[i]) - '0';
        if (d > 9) return false;
        v = v * 10 + d; // at most 18 digits: cannot overflow
    }
    out = negative ? -v : v;
    return true;
}

namespace detail {
inline bool isDigit(char c) {
    return static_cast<unsigned>(c - '0') < 10;
}

// The one decimal parser for text cells: an optional sign, then digits with an optional point and
// exponent ("1.", ".5", "+3", "1e-320"), correctly rounded by fast_float (the same double strtod gives,
// including subnormals; past the double range it gives +-inf or +-0 as strtod does). False for anything
// else, including "inf"/"nan" spellings, which callers decide on themselves.
inline bool parseDecimal(std::string_view s, double& out) {
    const char* p = s.data();
    const char* const end = p + s.size();
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    // fast_float takes its own '-' and "inf"/"nan": only a digit or a point may follow our sign.
    if (p == end || !(isDigit(*p) || *p == '.')) return false;
    double v = 0;
    const auto result = fast_float::from_chars(p, end, v);
    if (result.ec != std::errc() || result.ptr != end) return false;
    out = negative ? -v : v;
    return true;
}
} // namespace detail

// A double from text: a plain decimal (surrounding blanks allowed), "inf"/"Infinity" with a sign; "nan" and
// the missing markers are Missing, anything else Text.
inline Parsed parseDouble(std::string_view s, double& out) {
    if (detail::parseDecimal(s, out)) return Parsed::Number; // the common case: no blanks to trim
    s = trim(s);
    if (s.empty()) return Parsed::Missing;
    // Past this only a sign, digit or point (numbers), n/N (the missing markers) or i/I (inf) can start
    // anything but text: a category such as "east" leaves here.
    const char first = s.front();
    if (!(first == '+' || first == '-' || first == '.' || detail::isDigit(first) || first == 'n' ||
          first == 'N' || first == 'i' || first == 'I'))
        return Parsed::Text;
    if (isMissing(s)) return Parsed::Missing;
    bool negative = false;
    std::string_view body = s;
    if (body.front() == '+' || body.front() == '-') {
        negative = body.front() == '-';
        body.remove_prefix(1);
    }
    if (equalsIgnoreCase(body, "inf") || equalsIgnoreCase(body, "infinity")) {
        out = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        return Parsed::Number;
    }
    if (body.empty() || equalsIgnoreCase(body, "nan")) return body.empty() ? Parsed::Text : Parsed::Missing;
    return detail::parseDecimal(s, out) ? Parsed::Number : Parsed::Text;
}

// A metric cell written by a CSV/TSV logger (Lightning, Keras, DVCLive, pandas): like parseDouble, except
// that "nan" / "NaN" / "-nan" are the value NaN (a loss that diverged), not a gap. An empty cell, "NA",
// "N/A", "null" and "None" stay missing (Keras writes "NA" for an epoch without that metric).
inline Parsed parseLoggedValue(std::string_view s, double& out) {
    if (detail::parseDecimal(s, out)) return Parsed::Number;
    const std::string_view t = trim(s);
    std::string_view body = t;
    if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
    if (equalsIgnoreCase(body, "nan")) {
        out = std::numeric_limits<double>::quiet_NaN();
        return Parsed::Number;
    }
    return parseDouble(t, out);
}

// A step: an integer, or a float that holds an integral value ("100.0" as pandas writes it).
inline Parsed parseStep(std::string_view s, std::int64_t& out) {
    if (parseIntFast(s, out)) return Parsed::Number;
    double d = 0;
    const Parsed p = parseDouble(s, d);
    if (p != Parsed::Number) return p;
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e18) return Parsed::Text;
    out = static_cast<std::int64_t>(d);
    return Parsed::Number;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-date arithmetic).
inline std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace detail {
inline bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        const unsigned d = static_cast<unsigned char>(s[i]) - '0';
        if (d > 9) return false;
        out = out * 10 + d;
    }
    return true;
}
} // namespace detail

// ISO-8601 "YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM]" (or a bare date) to Unix seconds.
inline bool parseIsoTime(std::string_view s, double& out) {
    using detail::digits;
    s = trim(s);
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
    std::size_t pos = 10;
    double frac = 0;
    std::int64_t offsetSec = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != ' ') return false;
        if (!digits(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, mi))
            return false;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, sec)) return false;
            pos += 3;
            if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
                double scale = 0.1;
                ++pos;
                const std::size_t start = pos;
                while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                    frac += (s[pos] - '0') * scale;
                    scale *= 0.1;
                    ++pos;
                }
                if (pos == start) return false;
            }
        }
        if (h > 23 || mi > 59 || sec > 60) return false;
        if (pos < s.size()) {
            if (s[pos] == 'Z' || s[pos] == 'z') {
                ++pos;
            } else if (s[pos] == '+' || s[pos] == '-') {
                const int sign = s[pos] == '-' ? -1 : 1;
                unsigned oh = 0, om = 0;
                if (!digits(s, pos + 1, 2, oh)) return false;
                pos += 3;
                if (pos < s.size() && s[pos] == ':') ++pos;
                if (pos < s.size()) {
                    if (!digits(s, pos, 2, om)) return false;
                    pos += 2;
                }
                offsetSec = sign * static_cast<std::int64_t>(oh * 3600 + om * 60);
            }
        }
        if (pos != s.size()) return false;
    }
    const std::int64_t days = daysFromCivil(y, mo, d);
    out = static_cast<double>(days * 86400 + h * 3600 + mi * 60 + sec - offsetSec) + frac;
    return true;
}

// Scales a numeric timestamp to seconds: > 1e14 is microseconds, > 1e11 milliseconds.
inline double timestampSeconds(double v) {
    if (std::fabs(v) > 1e14) return v / 1e6;
    if (std::fabs(v) > 1e11) return v / 1e3;
    return v;
}

// A wall-time cell: a number (seconds, ms or us) or ISO-8601 text.
inline Parsed parseTimestamp(std::string_view s, double& out) {
    const Parsed p = parseDouble(s, out);
    if (p == Parsed::Number) {
        out = timestampSeconds(out);
        return p;
    }
    if (p == Parsed::Missing) return p;
    return parseIsoTime(s, out) ? Parsed::Number : Parsed::Text;
}

} // namespace runlens::textnum
