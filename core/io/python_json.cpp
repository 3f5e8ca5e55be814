// Python-flavoured JSON: the non-standard NaN and infinities Python's json module writes.
#include "core/io/python_json.h"

#include <limits>

namespace runlens {
namespace {
constexpr std::string_view kPosInf = "__runlens_inf__";
constexpr std::string_view kNegInf = "__runlens_-inf__";
constexpr std::string_view kNaNText = "__runlens_nan__";

// Appends the sentinel as a JSON string.
void putSentinel(std::string& out, std::string_view sentinel) {
    out += '"';
    out += sentinel;
    out += '"';
}
} // namespace

bool repairPythonJson(std::string_view line, std::string& out) {
    out.clear();
    bool inString = false, changed = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inString) {
            out.push_back(c);
            if (c == '\\' && i + 1 < line.size())
                out.push_back(line[++i]);
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') inString = true;
        const std::string_view rest = line.substr(i);
        if (rest.rfind("NaN", 0) == 0) {
            putSentinel(out, kNaNText);
            i += 2;
            changed = true;
        } else if (rest.rfind("-Infinity", 0) == 0) {
            putSentinel(out, kNegInf);
            i += 8;
            changed = true;
        } else if (rest.rfind("Infinity", 0) == 0) {
            putSentinel(out, kPosInf);
            i += 7;
            changed = true;
        } else {
            out.push_back(c);
        }
    }
    return changed;
}

bool jsonNumber(simdjson::dom::element e, double& out) {
    using T = simdjson::dom::element_type;
    switch (e.type()) {
    case T::INT64:
        out = static_cast<double>(int64_t(e));
        return true;
    case T::UINT64:
        out = static_cast<double>(uint64_t(e));
        return true;
    case T::DOUBLE:
        out = double(e);
        return true;
    case T::STRING: {
        const std::string_view s(e);
        if (s == kPosInf)
            out = std::numeric_limits<double>::infinity();
        else if (s == kNegInf)
            out = -std::numeric_limits<double>::infinity();
        else if (s == kNaNText)
            out = std::numeric_limits<double>::quiet_NaN();
        else
            return false;
        return true;
    }
    default:
        return false;
    }
}

} // namespace runlens
