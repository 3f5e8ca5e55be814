// Fast, locale-free parsing of the numbers, missing markers and timestamps that text logs hold.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
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
inline constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

// True when all eight bytes of a little-endian load are ASCII digits (SWAR test).
inline bool isEightDigits(std::uint64_t v) {
    return ((v & 0xF0F0F0F0F0F0F0F0ull) | (((v + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) ==
           0x3333333333333333ull;
}

// The value of eight ASCII digits loaded little-endian: pairs, then quads, then the whole, by multiplies.
inline std::uint32_t parseEightDigits(std::uint64_t v) {
    v -= 0x3030303030303030ull;
    v = v * 10 + (v >> 8); // each 16-bit lane: two-digit value in its low byte
    const std::uint64_t pairsA = v & 0x000000FF000000FFull;
    const std::uint64_t pairsB = (v >> 16) & 0x000000FF000000FFull;
    v = (pairsA * (100 + (1000000ull << 32)) + pairsB * (1 + (10000ull << 32))) >> 32;
    return static_cast<std::uint32_t>(v);
}

// Up to 19 digits (m < 2^64) in x87 extended precision: m and 10^|e| (|e| <= 22) are exact there and one
// divide or multiply rounds correctly to 64 bits. Rounding that on to double is wrong only when the
// extended result sits exactly on a midpoint between two doubles (low 11 mantissa bits 10000000000);
// that rare case goes to the slow path.
inline bool extendedFastPath(std::uint64_t m, int exponent, double& out) {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__LDBL_MANT_DIG__) && __LDBL_MANT_DIG__ == 64
    static constexpr long double kPow10L[] = {1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,
                                              1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L,
                                              1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L};
    long double x = static_cast<long double>(m);
    x = exponent < 0 ? x / kPow10L[-exponent] : x * kPow10L[exponent];
    std::uint64_t mantissa = 0;
    std::memcpy(&mantissa, &x, sizeof mantissa);
    if ((mantissa & 0x7FF) == 0x400) return false;
    out = static_cast<double>(x);
    return true;
#else
    (void)m;
    (void)exponent;
    (void)out;
    return false;
#endif
}
} // namespace detail

// Clinger's fast path: a decimal whose digits fit in 2^53 and whose power of ten is at most 22 converts
// exactly with one correctly rounded multiply or divide. Returns false for anything else.
inline bool parseDecimalFast(std::string_view s, double& out) {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = s.data();
    const char* const end = p + s.size();
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    std::uint64_t m = 0;
    int significant = 0, exponent = 0;
    bool any = false;
    // Appends a run of digits to m (eight at a time where possible); false past 19 significant digits.
    auto digitRun = [&](int& count) {
        while (detail::kLittleEndian && end - p >= 8) {
            std::uint64_t chunk = 0;
            std::memcpy(&chunk, p, 8);
            if (!detail::isEightDigits(chunk)) break;
            if (significant + 8 > 19) return false;
            m = m * 100000000 + detail::parseEightDigits(chunk);
            significant += 8;
            count += 8;
            p += 8;
        }
        for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p) {
            if (++significant > 19) return false;
            m = m * 10 + static_cast<unsigned>(*p - '0');
            ++count;
        }
        return true;
    };
    for (; p < end && *p == '0'; ++p)
        any = true; // leading zeros are not significant
    int intDigits = 0;
    if (!digitRun(intDigits)) return false;
    any = any || intDigits > 0;
    if (p < end && *p == '.') {
        ++p;
        if (m == 0)
            for (; p < end && *p == '0'; ++p) {
                any = true;
                --exponent;
            }
        int fracDigits = 0;
        if (!digitRun(fracDigits)) return false;
        any = any || fracDigits > 0;
        exponent -= fracDigits;
    }
    if (!any) return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool expNegative = false;
        if (p < end && (*p == '-' || *p == '+')) expNegative = *p++ == '-';
        const char* digitsStart = p;
        int e = 0;
        for (; p < end && static_cast<unsigned>(*p - '0') < 10 && e < 10000; ++p)
            e = e * 10 + (*p - '0');
        if (p == digitsStart) return false;
        exponent += expNegative ? -e : e;
    }
    if (p != end) return false;
    if (m == 0) {
        out = negative ? -0.0 : 0.0;
        return true;
    }
    if (exponent < -22 || exponent > 22) return false;
    double d = 0;
    if (m <= (std::uint64_t(1) << 53)) {
        d = static_cast<double>(m);
        d = exponent < 0 ? d / kPow10[-exponent] : d * kPow10[exponent];
    } else if (!detail::extendedFastPath(m, exponent, d)) {
        return false;
    }
    out = negative ? -d : d;
    return true;
}

// A double from text: a fast exact path for plain decimals, the rest through std::from_chars;
// "inf"/"Infinity" with a sign.
inline Parsed parseDouble(std::string_view s, double& out) {
    if (parseDecimalFast(s, out)) return Parsed::Number;
    s = trim(s);
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
    double v = 0;
    const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
    // Out-of-range values are rejected by from_chars; treat them as text rather than guessing.
    if (ec != std::errc() || end != body.data() + body.size()) return Parsed::Text;
    out = negative ? -v : v;
    return Parsed::Number;
}

// A metric cell written by a CSV/TSV logger (Lightning, Keras, DVCLive, pandas): like parseDouble, except
// that "nan" / "NaN" / "-nan" are the value NaN (a loss that diverged), not a gap. An empty cell, "NA",
// "N/A", "null" and "None" stay missing (Keras writes "NA" for an epoch without that metric).
inline Parsed parseLoggedValue(std::string_view s, double& out) {
    if (parseDecimalFast(s, out)) return Parsed::Number;
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
