// Typed warnings and errors a reader reports instead of skipping input silently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

enum class Severity { Info, Warning, Error };

enum class IssueKind {
    Unreadable,    // cannot open or read the file
    Empty,         // no bytes or no data rows
    NotALog,       // no reader understands the file
    GitLfsPointer, // a Git-LFS pointer stub instead of the real file
    RaggedRow,     // wrong number of fields
    BadNumber,     // a number column holds text
    BadValue,      // a value outside what the format allows
    NulByte,       // NUL byte inside a text format
    LineTooLong,   // a line longer than the reader accepts
    InvalidUtf8,   // bytes that are not UTF-8 where text was expected
    Truncated,     // the file ends inside a record
    BadChecksum,   // a CRC does not match
    BadRecord,     // a record that cannot be decoded
    MissingColumn, // a required column is absent
    Unsupported,   // a valid construct this reader does not read
    StepsRestart,  // a series' steps go back (a resumed run, or several trials written into one place)
    Cancelled,     // the user cancelled
};

std::string_view issueKindName(IssueKind kind);

struct ReadIssue {
    Severity severity = Severity::Warning;
    IssueKind kind = IssueKind::BadRecord;
    std::string file;
    std::int64_t line = 0; // 1-based line or record number; 0 when not about one place
    std::string message;

    // "file:line: message" (without ":line" when line is 0).
    std::string toString() const;
};

struct ReadReport {
    static constexpr std::size_t kMaxIssues = 200; // further issues are only counted

    std::vector<ReadIssue> issues;
    std::int64_t suppressedIssues = 0; // issues beyond kMaxIssues
    std::int64_t points = 0;           // scalar points delivered to the sink
    std::int64_t rowsSkipped = 0;
    std::int64_t endOffset = 0; // first byte not consumed; a later read resumes here
    std::string format;         // name of the reader that produced this report
    // A last line without its line end (the writer may be mid-line): held back and not delivered
    // (partialTailHeld, endOffset stops before it), or delivered (partialTailRead: the next change of the
    // file must read it whole again, as the line may have been cut).
    bool partialTailHeld = false;
    bool partialTailRead = false;

    void add(Severity severity, IssueKind kind, std::string file, std::int64_t line, std::string message);
    void warn(IssueKind kind, std::string file, std::int64_t line, std::string message) {
        add(Severity::Warning, kind, std::move(file), line, std::move(message));
    }
    void error(IssueKind kind, std::string file, std::int64_t line, std::string message) {
        add(Severity::Error, kind, std::move(file), line, std::move(message));
    }
    bool hasErrors() const;
    std::size_t warningCount() const;
    void merge(const ReadReport& other);
};

// What a non-regular file is, for messages from readers and the store: "a FIFO (named pipe)", "a
// character device", "a socket", ...
std::string fileKindName(unsigned mode);

} // namespace runlens
