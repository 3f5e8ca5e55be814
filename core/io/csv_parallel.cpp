// Parallel CSV rows: chunks cut at record ends, tokenized and parsed by workers, consumed in file order.
#include "core/io/csv_parallel.h"

#include "core/io/reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <system_error>
#include <unistd.h>

namespace runlens {

namespace {

// Where the last record ending with a line feed ends in bytes that start at a record start, by the
// tokenizer's rules (CsvTokenizer::scanQuoted): a quote opens a quoted field only at a field's start, ""
// inside one is a quote, and line ends inside one belong to the field. 0 when no record ends in the bytes.
std::size_t lastRecordEnd(const char* p, std::size_t n, char sep, bool rawLines) {
    if (rawLines || !std::memchr(p, '"', n)) {
        const auto* nl = static_cast<const char*>(::memrchr(p, '\n', n));
        return nl ? static_cast<std::size_t>(nl - p) + 1 : 0;
    }
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };
    State state = State::FieldStart;
    std::size_t cut = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = p[i];
        if (state == State::Quoted) {
            if (c == '"') state = State::QuoteInQuoted;
            continue;
        }
        if (c == '\n' || c == '\r') {
            // A CR ends a record too; the cut is only made after an LF so CRLF is never split.
            state = State::FieldStart;
            if (c == '\n') cut = i + 1;
            continue;
        }
        switch (state) {
        case State::FieldStart:
            if (c == '"')
                state = State::Quoted;
            else if (c != sep)
                state = State::Unquoted;
            break;
        case State::Unquoted:
            if (c == sep) state = State::FieldStart;
            break;
        case State::QuoteInQuoted:
            state = c == '"' ? State::Quoted : c == sep ? State::FieldStart : State::Unquoted;
            break;
        case State::Quoted:
            break;
        }
    }
    return cut;
}

} // namespace

struct CsvRowStream::Chunk {
    // Compact (a chunk holds under 1 GiB): rows are written by one core and read by another, and the
    // bytes moved between them are much of the cost of a parallel read.
    struct Row {
        std::uint32_t firstField = 0;
        std::uint32_t fieldCount = 0;
        std::uint32_t issues = 0;  // report.issues.size() when the row was returned
        std::uint32_t skipped = 0; // report.rowsSkipped then
        std::uint32_t line = 0;    // lines, offsets: relative to the chunk
        std::uint32_t endOffset = 0;
        std::uint32_t complete = 0;
        bool terminated = true;
    };

    std::int64_t index = 0;
    std::int64_t offset = 0; // file offset of bytes[0]
    std::vector<char> bytes;
    std::size_t size = 0;
    bool final = false;          // the end of the input is in this chunk
    bool serialFromHere = false; // no record end in a whole chunk: the caller's tokenizer reads on
    std::string readError;
    std::vector<std::string_view> fields;
    std::vector<CsvCell> cells;
    std::vector<Row> rows;
    ReadReport report;
    std::int64_t lines = 0;    // line ends the chunk holds, as the tokenizer counts them
    std::int64_t complete = 0; // relative completeOffset after the last record
    // Unescaped quoted fields (the tokenizer's scratch changes per record), in blocks that never move.
    std::vector<std::unique_ptr<char[]>> arena;
    std::size_t arenaUsed = 0;
    std::size_t arenaCap = 0;

    void reset() {
        size = 0;
        final = serialFromHere = false;
        readError.clear();
        fields.clear();
        cells.clear();
        rows.clear();
        report = ReadReport();
        lines = complete = 0;
        arena.clear();
        arenaUsed = arenaCap = 0;
    }

    std::string_view keep(std::string_view text) {
        if (text.empty()) return {};
        if (arena.empty() || arenaUsed + text.size() > arenaCap) {
            arenaCap = std::max<std::size_t>(64u << 10, text.size());
            arena.push_back(std::make_unique<char[]>(arenaCap));
            arenaUsed = 0;
        }
        char* at = arena.back().get() + arenaUsed;
        std::memcpy(at, text.data(), text.size());
        arenaUsed += text.size();
        return {at, text.size()};
    }
};

CsvRowStream::CsvRowStream(CsvTokenizer& tok, const std::filesystem::path& path, std::size_t width,
                           const CsvRowParser& parser, ReadReport& report, CsvParallelOptions options)
    : m_tok(tok), m_width(width), m_parser(parser), m_report(report), m_options(options),
      m_chunkOptions(tok.options()) {
    m_chunkOptions.separator = tok.separator();
    m_chunkOptions.skipBom = false;
    m_options.chunkBytes = std::clamp<std::size_t>(
        m_options.chunkBytes, 4096, std::min<std::size_t>(m_chunkOptions.maxLineBytes, 1u << 30));
    m_options.chunksInFlight = std::max<std::size_t>(m_options.chunksInFlight, m_options.threads + 1);
    // More parse threads than cores would only take turns.
    m_options.threads = std::min(m_options.threads, std::max(1u, std::thread::hardware_concurrency()));
    m_complete = tok.completeOffset();
    m_baseLine = tok.line();
    const std::int64_t left = tok.fileSize() - m_complete;
    if (m_options.threads < 2 || left < m_options.minParallelBytes) return;
    std::string reason;
    m_fd = openRegularFile(path, reason);
    if (m_fd < 0) return; // the caller's tokenizer still reads it
    m_serial = false;
    m_nextOffset = m_complete;
    try {
        for (unsigned i = 0; i < m_options.threads; ++i)
            m_workers.emplace_back([this] { work(); });
    } catch (const std::system_error&) {
        // No thread to be had: the caller's tokenizer has not moved, so it reads everything after all.
        stop();
        m_serial = true;
    }
}

CsvRowStream::~CsvRowStream() {
    stop();
    if (m_fd >= 0) ::close(m_fd);
}

void CsvRowStream::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_spaceCv.notify_all();
    for (auto& t : m_workers)
        t.join();
    m_workers.clear();
}

std::int64_t CsvRowStream::completeOffset() const {
    return m_serial ? m_tok.completeOffset() : m_complete;
}

bool CsvRowStream::readChunk(Chunk& chunk) {
    chunk.offset = m_nextOffset;
    if (chunk.bytes.size() < m_options.chunkBytes) chunk.bytes.resize(m_options.chunkBytes);
    std::size_t n = 0;
    bool eof = false;
    while (n < m_options.chunkBytes) {
        const ssize_t got = ::pread(m_fd, chunk.bytes.data() + n, m_options.chunkBytes - n,
                                    chunk.offset + static_cast<std::int64_t>(n));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            chunk.readError = std::strerror(errno);
            return false;
        }
        if (got == 0) {
            eof = true;
            break;
        }
        n += static_cast<std::size_t>(got);
    }
    if (eof) {
        chunk.size = n;
        chunk.final = true;
        return false;
    }
    chunk.size = lastRecordEnd(chunk.bytes.data(), n, m_chunkOptions.separator, m_chunkOptions.rawLines);
    if (chunk.size == 0) {
        chunk.serialFromHere = true;
        return false;
    }
    m_nextOffset = chunk.offset + static_cast<std::int64_t>(chunk.size);
    return true;
}

void CsvRowStream::tokenize(Chunk& chunk) const {
    CsvTokenizer tok(m_chunkOptions);
    const char* base = chunk.bytes.data();
    tok.openMemory(std::string_view(base, chunk.size), &chunk.report, m_tok.fileLabel());
    const std::less<const char*> before;
    CsvRow row;
    while (tok.next(row)) {
        // Filled in place: a Row built on the stack and copied in stalls on store forwarding.
        Chunk::Row& r = chunk.rows.emplace_back();
        r.firstField = static_cast<std::uint32_t>(chunk.fields.size());
        r.fieldCount = static_cast<std::uint32_t>(row.fields.size());
        for (std::string_view f : row.fields) {
            const bool inBytes = !before(f.data(), base) && !before(base + chunk.size, f.data() + f.size());
            chunk.fields.push_back(inBytes ? f : chunk.keep(f));
        }
        chunk.cells.resize(chunk.fields.size());
        if (row.fields.size() == m_width)
            m_parser.parse(
                std::span<const std::string_view>(chunk.fields.data() + r.firstField, r.fieldCount),
                chunk.cells.data() + r.firstField);
        r.line = static_cast<std::uint32_t>(row.line);
        r.endOffset = static_cast<std::uint32_t>(row.endOffset);
        r.terminated = row.terminated;
        r.complete = static_cast<std::uint32_t>(tok.completeOffset());
        r.issues = static_cast<std::uint32_t>(chunk.report.issues.size());
        r.skipped = static_cast<std::uint32_t>(chunk.report.rowsSkipped);
    }
    chunk.lines = tok.line() - 1;
    chunk.complete = tok.completeOffset();
}

void CsvRowStream::work() {
    for (;;) {
        Chunk* chunk = nullptr;
        bool last = false;
        {
            std::unique_lock lock(m_mutex);
            m_spaceCv.wait(lock, [&] {
                return m_stop || m_inputDone ||
                       m_nextIndex - m_consumedIndex < static_cast<std::int64_t>(m_options.chunksInFlight);
            });
            if (m_stop || m_inputDone) return;
            if (m_free.empty()) {
                m_pool.push_back(std::make_unique<Chunk>());
                m_free.push_back(m_pool.back().get());
            }
            chunk = m_free.back();
            m_free.pop_back();
            chunk->reset();
            chunk->index = m_nextIndex++;
            // Reading here keeps the chunks back to back; the tokenizing below is the long part.
            last = !readChunk(*chunk);
            if (last) m_inputDone = true;
        }
        if (last) m_spaceCv.notify_all(); // the other workers: nothing more to take
        try {
            if (!chunk->serialFromHere && chunk->readError.empty()) tokenize(*chunk);
        } catch (...) {
            std::lock_guard lock(m_mutex);
            if (!m_failure) m_failure = std::current_exception();
            m_inputDone = true;
        }
        {
            std::lock_guard lock(m_mutex);
            m_ready.emplace(chunk->index, chunk);
        }
        m_readyCv.notify_all();
    }
}

void CsvRowStream::forwardIssues(const Chunk& chunk, std::size_t issuesEnd, std::int64_t skippedEnd) {
    for (; m_issuePos < issuesEnd; ++m_issuePos) {
        const ReadIssue& issue = chunk.report.issues[m_issuePos];
        const std::int64_t line = issue.line > 0 ? m_baseLine + issue.line - 1 : 0;
        m_report.add(issue.severity, issue.kind, issue.file, line, issue.message);
    }
    m_report.rowsSkipped += skippedEnd - m_skippedPos;
    m_skippedPos = skippedEnd;
}

bool CsvRowStream::nextSerial(CsvParsedRow& row) {
    CsvRow r;
    if (!m_tok.next(r)) return false;
    row.fields = r.fields;
    row.line = r.line;
    row.endOffset = r.endOffset;
    row.terminated = r.terminated;
    if (r.fields.size() == m_width) {
        m_serialCells.assign(m_width, CsvCell{});
        m_parser.parse(r.fields, m_serialCells.data());
        row.cells = m_serialCells;
    } else {
        row.cells = {};
    }
    return true;
}

bool CsvRowStream::next(CsvParsedRow& row) {
    for (;;) {
        if (m_serial) return nextSerial(row);
        if (m_finished) return false;
        if (!m_current) {
            std::unique_lock lock(m_mutex);
            m_readyCv.wait(lock, [&] { return m_failure || m_ready.count(m_consumedIndex); });
            if (m_failure) std::rethrow_exception(m_failure);
            const auto it = m_ready.find(m_consumedIndex);
            m_current = it->second;
            m_ready.erase(it);
            m_rowPos = m_issuePos = 0;
            m_skippedPos = 0;
        }
        Chunk& chunk = *m_current;
        if (!chunk.readError.empty()) {
            m_report.error(IssueKind::Unreadable, m_tok.fileLabel(), m_baseLine,
                           "read failed: " + chunk.readError);
            m_finished = true;
            return false;
        }
        if (chunk.serialFromHere) {
            // A record longer than a chunk: the caller's tokenizer reads on from this record's start.
            if (!m_tok.resumeAt(chunk.offset, m_baseLine)) {
                m_finished = true;
                return false;
            }
            m_serial = true;
            stop();
            continue;
        }
        if (m_rowPos < chunk.rows.size()) {
            const Chunk::Row& r = chunk.rows[m_rowPos++];
            if (r.issues != m_issuePos || r.skipped != m_skippedPos)
                forwardIssues(chunk, r.issues, r.skipped);
            row.fields = std::span<const std::string_view>(chunk.fields.data() + r.firstField, r.fieldCount);
            row.cells = r.fieldCount == m_width
                            ? std::span<const CsvCell>(chunk.cells.data() + r.firstField, r.fieldCount)
                            : std::span<const CsvCell>();
            row.line = m_baseLine + r.line - 1;
            row.endOffset = chunk.offset + r.endOffset;
            row.terminated = r.terminated;
            m_complete = chunk.offset + r.complete;
            return true;
        }
        // The chunk is used up: its trailing issues, then the next chunk.
        forwardIssues(chunk, chunk.report.issues.size(), chunk.report.rowsSkipped);
        m_report.suppressedIssues += chunk.report.suppressedIssues;
        m_complete = chunk.offset + chunk.complete;
        m_baseLine += chunk.lines;
        const bool final = chunk.final;
        {
            std::lock_guard lock(m_mutex);
            m_free.push_back(m_current);
            ++m_consumedIndex;
        }
        m_spaceCv.notify_all();
        m_current = nullptr;
        if (final) {
            m_finished = true;
            return false;
        }
    }
}

} // namespace runlens
