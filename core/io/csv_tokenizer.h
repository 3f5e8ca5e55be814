// A streaming RFC-4180 tokenizer that splits delimited text into rows of fields with large block reads.
#pragma once

#include "core/model/read_report.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runlens {

struct CsvOptions {
    char separator = 0;                   // 0 = detect from the first line among , ; TAB |
    std::size_t maxLineBytes = 16u << 20; // a longer record is reported (LineTooLong) and skipped
    std::size_t maxFields = 65536;        // a row with more fields is reported and skipped
    std::size_t blockBytes = 2u << 20;    // size of each read() from the file
    bool rawLines = false;                // true: every line is one field, quotes have no meaning
    bool skipBom = true; // false for bytes that start inside a file (a parallel read's chunk)
};

// One record. The views point into the tokenizer's buffer and stay valid only until the next call.
struct CsvRow {
    std::span<const std::string_view> fields;
    std::int64_t line = 0;      // 1-based line number where the record starts
    std::int64_t endOffset = 0; // file offset just after the record's line end
    bool terminated = true;     // false for a last record that has no line end (the file may still grow)
};

// Splits a file (or a memory buffer) into records. Quoted fields may hold separators, "" escapes and line
// ends; LF, CRLF and CR all end a line; a UTF-8 BOM at the start is skipped. Records that cannot be used
// (too long, NUL bytes, an unterminated quote, too many fields) are reported into the report given to
// open() and skipped, so next() only ever returns well-formed rows; report->rowsSkipped counts them.
class CsvTokenizer {
  public:
    explicit CsvTokenizer(CsvOptions options = {});
    ~CsvTokenizer();
    CsvTokenizer(const CsvTokenizer&) = delete;
    CsvTokenizer& operator=(const CsvTokenizer&) = delete;

    // Opens a file. On failure returns false and records an Unreadable error in report (when given).
    // fileLabel names the file in issues. report may be null (issues then go nowhere).
    bool open(const std::filesystem::path& path, ReadReport* report, std::string fileLabel);
    // Tokenizes bytes held by the caller (must outlive the tokenizer); used by tests and fuzzers.
    void openMemory(std::string_view bytes, ReadReport* report, std::string fileLabel);
    // open() and the first record as the header: false with the reason in report when the file cannot be
    // read or holds no record ("empty file: no header", an error).
    bool openWithHeader(const std::filesystem::path& path, ReadReport& report, CsvRow& header);

    // Continues at byte offset (a record start found by an earlier read). Line numbers are recounted from
    // the start of the file so reports stay accurate. Call after reading the header. Returns false when
    // the offset lies beyond the end of the input.
    bool seek(std::int64_t offset);
    // Continues at byte offset, a record start whose line number the caller knows (no recount). File
    // mode only.
    bool resumeAt(std::int64_t offset, std::int64_t line);

    // The next well-formed record; false at the end of the input (or after a read error).
    bool next(CsvRow& row);

    // The separator in use: the one given in the options, else detected from the first record read.
    char separator() const { return m_sep; }
    const CsvOptions& options() const { return m_options; }
    // 1-based line number where the next record starts.
    std::int64_t line() const { return m_line; }
    // Offset after the last terminated record returned so far (where an appending writer continues).
    std::int64_t completeOffset() const { return m_completeOffset; }
    std::int64_t fileSize() const { return m_fileSize; }
    const std::string& fileLabel() const { return m_label; }

    // Chooses among , ; TAB | by counting them (outside quotes) in the first line of text.
    static char detectSeparator(std::string_view firstLine);
    static bool isValidUtf8(std::string_view text);

  private:
    enum class Scan { Row, NeedMore, Skip };

    bool fill();    // reads more input after what is buffered; false at end of input
    void compact(); // moves the unconsumed tail to the front of the buffer
    Scan scanFast(CsvRow& row);
    Scan scanQuoted(CsvRow& row);
    Scan scanRaw(CsvRow& row);
    void prepareStart();   // skips a BOM and detects the separator from the first line
    void skipLongRecord(); // drops bytes up to and including the next line end
    Scan finishRow(CsvRow& row, std::size_t recordEnd, std::int64_t linesInRecord, bool terminated);
    Scan skipRecord(std::size_t recordEnd, std::int64_t linesInRecord, bool terminated);
    void report(IssueKind kind, std::int64_t line, std::string message);

    CsvOptions m_options;
    int m_fd = -1;
    bool m_memoryMode = false;
    bool m_eof = false;
    std::vector<char> m_buffer; // holds [m_begin, m_end) unconsumed bytes plus padding
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::int64_t m_bufferOffset = 0; // file offset of m_buffer[0]
    std::int64_t m_fileSize = 0;
    std::int64_t m_line = 1;
    std::int64_t m_completeOffset = 0;
    bool m_atStart = true; // BOM and separator detection still to do
    char m_sep = 0;
    std::vector<std::string_view> m_fields;
    std::string m_scratch;                                    // unescaped quoted fields of the current record
    std::vector<std::pair<std::size_t, std::size_t>> m_spans; // (start, length) of fields in m_scratch
    const char* m_data = nullptr;                             // m_buffer.data() or the caller's memory
    bool m_sepKnown = false;
    bool m_special[256] = {};
    ReadReport* m_report = nullptr;
    std::string m_label;
};

} // namespace runlens
