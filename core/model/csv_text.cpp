// RFC 4180 quoting: the only place that decides when a CSV field is quoted and how.
#include "core/model/csv_text.h"

namespace runlens {

namespace {

bool needsQuotes(std::string_view text) {
    return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

} // namespace

void appendCsvField(std::string& out, std::string_view text, CsvQuoting quoting) {
    if (quoting == CsvQuoting::WhenNeeded && !needsQuotes(text)) {
        out += text;
        return;
    }
    out += '"';
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string csvField(std::string_view text, CsvQuoting quoting) {
    std::string out;
    appendCsvField(out, text, quoting);
    return out;
}

std::string csvRow(std::span<const std::string> fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        appendCsvField(out, fields[i]);
    }
    out += '\n';
    return out;
}

std::string csvRow(std::initializer_list<std::string_view> fields) {
    std::string out;
    bool first = true;
    for (const std::string_view field : fields) {
        if (!first) out += ',';
        first = false;
        appendCsvField(out, field);
    }
    out += '\n';
    return out;
}

} // namespace runlens
