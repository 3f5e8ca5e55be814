// Typed reader warnings and errors: formatting and bookkeeping.
#include "core/model/read_report.h"

#include <algorithm>
#include <sys/stat.h>

namespace runlens {

std::string_view issueKindName(IssueKind kind) {
    switch (kind) {
    case IssueKind::Unreadable:
        return "unreadable";
    case IssueKind::Empty:
        return "empty";
    case IssueKind::NotALog:
        return "not_a_log";
    case IssueKind::GitLfsPointer:
        return "git_lfs_pointer";
    case IssueKind::RaggedRow:
        return "ragged_row";
    case IssueKind::BadNumber:
        return "bad_number";
    case IssueKind::BadValue:
        return "bad_value";
    case IssueKind::NulByte:
        return "nul_byte";
    case IssueKind::LineTooLong:
        return "line_too_long";
    case IssueKind::InvalidUtf8:
        return "invalid_utf8";
    case IssueKind::Truncated:
        return "truncated";
    case IssueKind::BadChecksum:
        return "bad_checksum";
    case IssueKind::BadRecord:
        return "bad_record";
    case IssueKind::MissingColumn:
        return "missing_column";
    case IssueKind::Unsupported:
        return "unsupported";
    case IssueKind::StepsRestart:
        return "steps_restart";
    case IssueKind::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

std::string ReadIssue::toString() const {
    std::string out = file;
    if (line > 0) out.append(":").append(std::to_string(line));
    out += ": ";
    out += message;
    return out;
}

void ReadReport::add(Severity severity, IssueKind kind, std::string file, std::int64_t line,
                     std::string message) {
    if (issues.size() >= kMaxIssues) {
        ++suppressedIssues;
        return;
    }
    issues.push_back(ReadIssue{severity, kind, std::move(file), line, std::move(message)});
}

bool ReadReport::hasErrors() const {
    return std::any_of(issues.begin(), issues.end(),
                       [](const ReadIssue& i) { return i.severity == Severity::Error; });
}

std::size_t ReadReport::warningCount() const {
    return static_cast<std::size_t>(
               std::count_if(issues.begin(), issues.end(),
                             [](const ReadIssue& i) { return i.severity == Severity::Warning; })) +
           static_cast<std::size_t>(suppressedIssues);
}

void ReadReport::merge(const ReadReport& other) {
    for (const auto& issue : other.issues)
        add(issue.severity, issue.kind, issue.file, issue.line, issue.message);
    suppressedIssues += other.suppressedIssues;
    points += other.points;
    rowsSkipped += other.rowsSkipped;
}

std::string fileKindName(unsigned mode) {
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISDIR(mode)) return "a folder";
    return "not a regular file";
}

} // namespace runlens
