// Structured-file text: a JSON or YAML file read whole as UTF-8 (bad bytes replaced), and Python's bare NaN
// and Infinity made parseable JSON (split from hparams_yaml_reader.cpp, which flattens and reads params).
#include "core/io/hparams_yaml_reader.h"

#include <cstdint>
#include <fstream>
#include <limits>
#include <system_error>

namespace runlens {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at p (1..4), or 0 when the bytes there are not valid UTF-8.
std::size_t utf8SequenceLength(const unsigned char* p, std::size_t n) {
    const unsigned char c = p[0];
    if (c < 0x80) return c == 0 ? 0 : 1; // NUL is not text in these formats
    auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < n && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

// Replaces invalid UTF-8 (and NUL) with U+FFFD; returns the 1-based line of the first bad byte, 0 when clean.
std::int64_t repairUtf8(std::string& text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    std::int64_t line = 1;
    while (i < text.size()) {
        const std::size_t len = utf8SequenceLength(bytes + i, text.size() - i);
        if (len == 0) break;
        if (bytes[i] == '\n') ++line;
        i += len;
    }
    if (i == text.size()) return 0;
    const std::int64_t firstBadLine = line;
    std::string fixed(text, 0, i);
    fixed.reserve(text.size() + 16);
    while (i < text.size()) {
        const std::size_t len = utf8SequenceLength(bytes + i, text.size() - i);
        if (len == 0) {
            fixed.append(kReplacementChar);
            ++i;
            continue;
        }
        fixed.append(text, i, len);
        i += len;
    }
    text = std::move(fixed);
    return firstBadLine;
}

} // namespace

std::optional<std::string> readStructuredText(const std::filesystem::path& path, const std::string& file,
                                              ReadReport& report, std::size_t maxBytes) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        report.error(IssueKind::Unreadable, file, 0, "cannot read file: " + ec.message());
        return std::nullopt;
    }
    if (size > maxBytes) {
        report.error(IssueKind::BadValue, file, 0,
                     "file of " + std::to_string(size) + " bytes is larger than the " +
                         std::to_string(maxBytes >> 20) + " MiB this format may have");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        report.error(IssueKind::Unreadable, file, 0, "cannot open file");
        return std::nullopt;
    }
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3); // UTF-8 BOM
    const std::int64_t badLine = repairUtf8(text);
    if (badLine > 0) {
        report.warn(IssueKind::InvalidUtf8, file, badLine,
                    "bytes that are not UTF-8 (or NUL) were replaced by U+FFFD");
    }
    return text;
}

bool quotePythonJsonSpecials(std::string& text) {
    if (text.find("NaN") == std::string::npos && text.find("Infinity") == std::string::npos) return false;
    std::string out;
    out.reserve(text.size() + 64);
    bool inString = false;
    bool changed = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out.push_back(c);
            if (c == '\\' && i + 1 < text.size()) {
                out.push_back(text[++i]);
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') inString = true;
        bool matched = false;
        for (const std::string_view token : {"-Infinity", "Infinity", "NaN"}) {
            if (text.compare(i, token.size(), token) != 0) continue;
            out.push_back('"');
            out.append(token);
            out.push_back('"');
            i += token.size() - 1;
            matched = changed = true;
            break;
        }
        if (!matched) out.push_back(c);
    }
    if (changed) text = std::move(out);
    return changed;
}

std::optional<double> pythonJsonSpecial(std::string_view text) {
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    return std::nullopt;
}

} // namespace runlens
