// Streaming RFC-4180 tokenizer: block reads, a fast path for unquoted records and a careful quoted path.
#include "core/io/csv_tokenizer.h"

#include "core/io/reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace runlens {

CsvTokenizer::CsvTokenizer(CsvOptions options) : m_options(options) {
    if (m_options.blockBytes < 4096) m_options.blockBytes = 4096;
    if (m_options.maxLineBytes < 16) m_options.maxLineBytes = 16;
    if (m_options.maxFields < 1) m_options.maxFields = 1;
    m_sep = m_options.separator;
    m_sepKnown = m_sep != 0;
}

CsvTokenizer::~CsvTokenizer() {
    if (m_fd >= 0) ::close(m_fd);
}

bool CsvTokenizer::openWithHeader(const std::filesystem::path& path, ReadReport& report, CsvRow& header) {
    const std::string file = path.string();
    if (!open(path, &report, file)) return false;
    if (next(header)) return true;
    report.error(IssueKind::Empty, file, 0, "empty file: no header");
    return false;
}

bool CsvTokenizer::open(const std::filesystem::path& path, ReadReport* report, std::string fileLabel) {
    m_report = report;
    m_label = std::move(fileLabel);
    std::string reason;
    m_fd = openRegularFile(path, reason); // never blocks on a FIFO or device
    struct stat st {};
    if (m_fd < 0 || ::fstat(m_fd, &st) != 0) {
        if (m_fd >= 0) reason = std::strerror(errno);
        if (m_report)
            m_report->error(IssueKind::Unreadable, m_label, 0,
                            "cannot read " + path.string() + ": " + reason);
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
        m_eof = true;
        return false;
    }
    m_fileSize = static_cast<std::int64_t>(st.st_size);
    m_buffer.resize(m_options.blockBytes);
    m_data = m_buffer.data();
    return true;
}

void CsvTokenizer::openMemory(std::string_view bytes, ReadReport* report, std::string fileLabel) {
    m_report = report;
    m_label = std::move(fileLabel);
    m_memoryMode = true;
    m_data = bytes.data();
    m_begin = 0;
    m_end = bytes.size();
    m_fileSize = static_cast<std::int64_t>(bytes.size());
    m_eof = true;
}

void CsvTokenizer::report(IssueKind kind, std::int64_t line, std::string message) {
    if (!m_report) return;
    m_report->warn(kind, m_label, line, std::move(message));
    ++m_report->rowsSkipped;
}

void CsvTokenizer::compact() {
    if (m_memoryMode || m_begin == 0) return;
    const std::size_t tail = m_end - m_begin;
    if (tail > 0) std::memmove(m_buffer.data(), m_buffer.data() + m_begin, tail);
    m_bufferOffset += static_cast<std::int64_t>(m_begin);
    m_begin = 0;
    m_end = tail;
}

bool CsvTokenizer::fill() {
    if (m_memoryMode || m_eof || m_fd < 0) {
        m_eof = true;
        return false;
    }
    compact();
    const std::size_t want = m_end + m_options.blockBytes;
    if (m_buffer.size() < want) {
        m_buffer.resize(want);
        m_data = m_buffer.data();
    }
    for (;;) {
        const ssize_t n = ::read(m_fd, m_buffer.data() + m_end, m_buffer.size() - m_end);
        if (n > 0) {
            m_end += static_cast<std::size_t>(n);
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && m_report)
            m_report->error(IssueKind::Unreadable, m_label, m_line,
                            std::string("read failed: ") + std::strerror(errno));
        m_eof = true;
        return false;
    }
}

char CsvTokenizer::detectSeparator(std::string_view firstLine) {
    constexpr char candidates[] = {',', '\t', ';', '|'};
    std::size_t counts[4] = {0, 0, 0, 0};
    bool quoted = false;
    for (char c : firstLine) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') break;
        for (int i = 0; i < 4; ++i)
            if (c == candidates[i]) ++counts[i];
    }
    int best = 0;
    for (int i = 1; i < 4; ++i)
        if (counts[i] > counts[best]) best = i;
    return candidates[best];
}

bool CsvTokenizer::isValidUtf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

void CsvTokenizer::prepareStart() {
    m_atStart = false;
    // Make sure the first line (or the cap) is buffered so the BOM and separator can be seen.
    for (;;) {
        const char* p = m_data + m_begin;
        const std::size_t n = m_end - m_begin;
        const bool haveLine = std::find_if(p, p + n, [](char c) { return c == '\n' || c == '\r'; }) != p + n;
        if (haveLine || n >= m_options.maxLineBytes || !fill()) break;
    }
    if (m_options.skipBom && m_end - m_begin >= 3 && std::memcmp(m_data + m_begin, "\xEF\xBB\xBF", 3) == 0) {
        m_begin += 3;
        if (m_bufferOffset == 0 && m_begin == 3) m_completeOffset = 3;
    }
    if (!m_sepKnown && !m_options.rawLines) {
        const std::size_t n = std::min(m_end - m_begin, m_options.maxLineBytes);
        m_sep = detectSeparator(std::string_view(m_data + m_begin, n));
        m_sepKnown = true;
    }
    std::memset(m_special, 0, sizeof(m_special));
    m_special[static_cast<unsigned char>(m_sep ? m_sep : ',')] = true;
    m_special[static_cast<unsigned char>('\n')] = true;
    m_special[static_cast<unsigned char>('\r')] = true;
    m_special[static_cast<unsigned char>('"')] = true;
    m_special[0] = true;
}

bool CsvTokenizer::seek(std::int64_t offset) {
    if (offset < 0 || offset > m_fileSize) return false;
    if (m_atStart) prepareStart();
    std::int64_t lines = 0, crs = 0;
    if (m_memoryMode) {
        const char* p = m_data;
        lines = std::count(p, p + offset, '\n');
        if (lines == 0) crs = std::count(p, p + offset, '\r');
        m_begin = static_cast<std::size_t>(offset);
    } else {
        // Count line ends before offset so issues after a resume carry true line numbers.
        std::vector<char> block(m_options.blockBytes);
        std::int64_t pos = 0;
        while (pos < offset) {
            const auto want = static_cast<std::size_t>(std::min<std::int64_t>(offset - pos, block.size()));
            const ssize_t n = ::pread(m_fd, block.data(), want, pos);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            lines += std::count(block.data(), block.data() + n, '\n');
            crs += std::count(block.data(), block.data() + n, '\r');
            pos += n;
        }
        if (lines > 0) crs = 0;
        if (::lseek(m_fd, offset, SEEK_SET) < 0) return false;
        m_begin = m_end = 0;
        m_bufferOffset = offset;
        m_eof = false;
    }
    m_line = 1 + lines + crs;
    m_completeOffset = offset;
    return true;
}

bool CsvTokenizer::resumeAt(std::int64_t offset, std::int64_t line) {
    if (m_memoryMode || m_fd < 0 || offset < 0) return false; // a growing file may be past m_fileSize
    if (m_atStart) prepareStart();
    if (::lseek(m_fd, offset, SEEK_SET) < 0) return false;
    m_begin = m_end = 0;
    m_bufferOffset = offset;
    m_eof = false;
    m_line = line;
    m_completeOffset = offset;
    return true;
}

CsvTokenizer::Scan CsvTokenizer::finishRow(CsvRow& row, std::size_t recordEnd, std::int64_t linesInRecord,
                                           bool terminated) {
    if (recordEnd - m_begin > m_options.maxLineBytes) {
        report(IssueKind::LineTooLong, m_line,
               "record longer than " + std::to_string(m_options.maxLineBytes) + " bytes skipped");
        return skipRecord(recordEnd, linesInRecord, terminated);
    }
    if (m_fields.size() > m_options.maxFields) {
        report(IssueKind::BadRecord, m_line,
               "record with more than " + std::to_string(m_options.maxFields) + " fields skipped");
        return skipRecord(recordEnd, linesInRecord, terminated);
    }
    row.fields = std::span<const std::string_view>(m_fields.data(), m_fields.size());
    row.line = m_line;
    row.endOffset = m_bufferOffset + static_cast<std::int64_t>(recordEnd);
    row.terminated = terminated;
    const bool blank = m_fields.size() == 1 && m_fields[0].empty();
    m_begin = recordEnd;
    m_line += linesInRecord;
    if (terminated) m_completeOffset = row.endOffset;
    return blank ? Scan::Skip : Scan::Row; // blank lines carry nothing; skip without a report
}

CsvTokenizer::Scan CsvTokenizer::skipRecord(std::size_t recordEnd, std::int64_t linesInRecord,
                                            bool terminated) {
    m_begin = recordEnd;
    m_line += linesInRecord;
    if (terminated) m_completeOffset = m_bufferOffset + static_cast<std::int64_t>(recordEnd);
    return Scan::Skip;
}

namespace {

// First byte in [p, end) that is the separator, a line end, a quote or NUL; 16 bytes per step with SSE2.
const char* findSpecial(const char* p, const char* end, char sep, const bool* special) {
#if defined(__SSE2__)
    const __m128i vSep = _mm_set1_epi8(sep);
    const __m128i vLf = _mm_set1_epi8('\n');
    const __m128i vCr = _mm_set1_epi8('\r');
    const __m128i vQuote = _mm_set1_epi8('"');
    const __m128i vZero = _mm_setzero_si128();
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hits =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vSep), _mm_cmpeq_epi8(v, vLf)),
                         _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vCr), _mm_cmpeq_epi8(v, vQuote)),
                                      _mm_cmpeq_epi8(v, vZero)));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
        if (mask) return p + __builtin_ctz(mask);
        p += 16;
    }
#else
    (void)sep;
#endif
    while (p < end && !special[static_cast<unsigned char>(*p)])
        ++p;
    return p;
}

} // namespace

CsvTokenizer::Scan CsvTokenizer::scanFast(CsvRow& row) {
    const char* base = m_data;
    const char* p = base + m_begin;
    const char* end = base + m_end;
    const char sep = m_sep;
    const bool* special = m_special;
    m_fields.clear();
    const char* fieldStart = p;
    for (;;) {
        p = findSpecial(p, end, sep, special);
        if (p == end) {
            if (!m_eof) return Scan::NeedMore;
            m_fields.emplace_back(fieldStart, static_cast<std::size_t>(p - fieldStart));
            return finishRow(row, m_end, 1, false);
        }
        const char c = *p;
        if (c == sep) {
            m_fields.emplace_back(fieldStart, static_cast<std::size_t>(p - fieldStart));
            if (m_fields.size() > m_options.maxFields) return scanQuoted(row); // slow path reports it
            fieldStart = ++p;
            continue;
        }
        if (c == '\n') {
            m_fields.emplace_back(fieldStart, static_cast<std::size_t>(p - fieldStart));
            return finishRow(row, static_cast<std::size_t>(p + 1 - base), 1, true);
        }
        if (c == '\r') {
            if (p + 1 == end && !m_eof) return Scan::NeedMore;
            m_fields.emplace_back(fieldStart, static_cast<std::size_t>(p - fieldStart));
            const char* next = (p + 1 < end && p[1] == '\n') ? p + 2 : p + 1;
            return finishRow(row, static_cast<std::size_t>(next - base), 1, true);
        }
        return scanQuoted(row); // a quote or a NUL byte: take the careful path from the record start
    }
}

CsvTokenizer::Scan CsvTokenizer::scanQuoted(CsvRow& row) {
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };
    const char* base = m_data;
    const std::size_t end = m_end;
    const char sep = m_sep;
    m_scratch.clear();
    m_spans.clear();
    State state = State::FieldStart;
    std::size_t fieldStart = 0;
    std::int64_t lines = 1;
    bool nul = false;
    bool tooMany = false;
    std::size_t recordEnd = 0;
    bool terminated = true;
    auto endField = [&] {
        if (m_spans.size() < m_options.maxFields)
            m_spans.emplace_back(fieldStart, m_scratch.size() - fieldStart);
        else
            tooMany = true;
        fieldStart = m_scratch.size();
    };
    std::size_t i = m_begin;
    for (;; ++i) {
        if (i == end) {
            if (!m_eof) return Scan::NeedMore;
            if (state == State::Quoted) {
                report(IssueKind::Truncated, m_line, "quoted field not closed before the end of the file");
                return skipRecord(end, lines, false);
            }
            endField();
            recordEnd = end;
            terminated = false;
            break;
        }
        // Keep the scratch bounded: a record this long is dropped anyway.
        if (i - m_begin > m_options.maxLineBytes) {
            report(IssueKind::LineTooLong, m_line,
                   "record longer than " + std::to_string(m_options.maxLineBytes) + " bytes skipped");
            skipLongRecord();
            return Scan::Skip;
        }
        const char c = base[i];
        if (c == '\0') nul = true;
        const bool lineEnd = c == '\n' || c == '\r';
        if (lineEnd && state != State::Quoted) {
            if (c == '\r' && i + 1 == end && !m_eof) return Scan::NeedMore;
            endField();
            recordEnd = (c == '\r' && i + 1 < end && base[i + 1] == '\n') ? i + 2 : i + 1;
            break;
        }
        switch (state) {
        case State::FieldStart:
            if (c == '"') {
                state = State::Quoted;
            } else if (c == sep) {
                endField();
            } else {
                m_scratch.push_back(c);
                state = State::Unquoted;
            }
            break;
        case State::Unquoted:
            if (c == sep) {
                endField();
                state = State::FieldStart;
            } else {
                m_scratch.push_back(c); // a stray quote inside an unquoted field is kept literally
            }
            break;
        case State::Quoted:
            if (c == '"') {
                state = State::QuoteInQuoted;
            } else {
                if (c == '\n' || (c == '\r' && !(i + 1 < end && base[i + 1] == '\n'))) ++lines;
                m_scratch.push_back(c);
            }
            break;
        case State::QuoteInQuoted:
            if (c == '"') {
                m_scratch.push_back('"');
                state = State::Quoted;
            } else if (c == sep) {
                endField();
                state = State::FieldStart;
            } else {
                m_scratch.push_back(c); // text after a closing quote: keep it rather than drop the row
                state = State::Unquoted;
            }
            break;
        }
    }
    if (nul) {
        report(IssueKind::NulByte, m_line, "NUL byte in record; record skipped");
        return skipRecord(recordEnd, lines, terminated);
    }
    if (tooMany) {
        report(IssueKind::BadRecord, m_line,
               "record with more than " + std::to_string(m_options.maxFields) + " fields skipped");
        return skipRecord(recordEnd, lines, terminated);
    }
    m_fields.clear();
    for (const auto& [start, len] : m_spans)
        m_fields.emplace_back(m_scratch.data() + start, len);
    return finishRow(row, recordEnd, lines, terminated);
}

CsvTokenizer::Scan CsvTokenizer::scanRaw(CsvRow& row) {
    const char* base = m_data;
    const char* p = base + m_begin;
    const std::size_t n = m_end - m_begin;
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', n));
    std::size_t recordEnd = 0;
    std::size_t lineLen = 0;
    bool terminated = true;
    if (!nl) {
        if (!m_eof) return Scan::NeedMore;
        recordEnd = m_end;
        lineLen = n;
        terminated = false;
    } else {
        recordEnd = static_cast<std::size_t>(nl + 1 - base);
        lineLen = static_cast<std::size_t>(nl - p);
    }
    if (lineLen > 0 && p[lineLen - 1] == '\r') --lineLen;
    if (std::memchr(p, '\0', lineLen)) {
        report(IssueKind::NulByte, m_line, "NUL byte in line; line skipped");
        return skipRecord(recordEnd, 1, terminated);
    }
    m_fields.clear();
    m_fields.emplace_back(p, lineLen);
    return finishRow(row, recordEnd, 1, terminated);
}

void CsvTokenizer::skipLongRecord() {
    // Resynchronise at the next raw line end; quotes are ignored because the record is already broken.
    for (;;) {
        const char* p = m_data + m_begin;
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', m_end - m_begin));
        if (nl) {
            const std::size_t recordEnd = static_cast<std::size_t>(nl + 1 - m_data);
            const std::int64_t lines = 1 + std::count(p, nl, '\n');
            skipRecord(recordEnd, lines, true);
            return;
        }
        m_begin = m_end; // drop what we have: never hold more than one block of a runaway line
        if (!fill()) return;
    }
}

bool CsvTokenizer::next(CsvRow& row) {
    if (m_atStart) prepareStart();
    for (;;) {
        if (m_begin == m_end && (!fill() || m_begin == m_end)) return false;
        Scan scan = m_options.rawLines ? scanRaw(row) : scanFast(row);
        if (scan == Scan::Row) return true;
        if (scan == Scan::Skip) continue;
        // NeedMore: the record runs past the buffered bytes.
        if (m_end - m_begin > m_options.maxLineBytes) {
            report(IssueKind::LineTooLong, m_line,
                   "line longer than " + std::to_string(m_options.maxLineBytes) + " bytes skipped");
            skipLongRecord();
            continue;
        }
        if (!fill()) continue; // at EOF the scanners finish the unterminated record
    }
}

} // namespace runlens
