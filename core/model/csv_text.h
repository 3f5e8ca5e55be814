// The one CSV writer: RFC 4180 field quoting and rows, for every CSV file the command line and the GUI write.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace runlens {

enum class CsvQuoting {
    // Quote only a field that needs it (RFC 4180 section 2.6): one holding a comma, a double quote, a CR or
    // an LF. Spaces and non-ASCII UTF-8 are part of the field and stay as they are (section 2.4).
    WhenNeeded,
    // Quote every field: for a name column that a spreadsheet must never read as a number or a date
    // ("001", "1e5", "2024-01"), and so the exports that always did keep doing so.
    Always,
};

// text as one CSV field: enclosed in double quotes with each inner double quote doubled (RFC 4180 section
// 2.7) when quoting asks for it, else unchanged.
std::string csvField(std::string_view text, CsvQuoting quoting = CsvQuoting::WhenNeeded);

// csvField appended to out, without a temporary string per field (a curve export writes millions).
void appendCsvField(std::string& out, std::string_view text, CsvQuoting quoting = CsvQuoting::WhenNeeded);

// One record: the fields quoted as needed, separated by commas and ended by "\n". RFC 4180 ends records with
// CRLF, but every reader the exports meet (pandas, R, spreadsheets, our own csv reader) takes LF, and LF is
// what every export has always written.
std::string csvRow(std::span<const std::string> fields);
std::string csvRow(std::initializer_list<std::string_view> fields);

} // namespace runlens
