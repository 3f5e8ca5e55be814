// Tokenizes and parses a delimited file's records on worker threads and hands them back in file order.
#pragma once

#include "core/io/csv_tokenizer.h"
#include "core/model/text_number.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace runlens {

// A cell as a row parser left it: what number or integer means is the parser's choice.
struct CsvCell {
    textnum::Parsed kind = textnum::Parsed::Text;
    union {
        double number = 0;
        std::int64_t integer;
    };
};

// Parses the cells of a row as wide as the header. Runs on worker threads: it may only read shared state.
class CsvRowParser {
  public:
    virtual ~CsvRowParser() = default;
    virtual void parse(std::span<const std::string_view> fields, CsvCell* cells) const = 0;
};

// A record with its cells. Views stay valid only until the next call of CsvRowStream::next().
struct CsvParsedRow {
    std::span<const std::string_view> fields;
    std::span<const CsvCell> cells; // one per field when the row is as wide as the header, else empty
    std::int64_t line = 0;
    std::int64_t endOffset = 0;
    bool terminated = true;
};

struct CsvParallelOptions {
    unsigned threads = 2;                       // parse threads; below 2 everything runs on the caller
    std::size_t chunkBytes = 1u << 20;          // bytes a thread takes at a time (at most maxLineBytes);
                                                // small enough that its rows are still cached when read
    std::int64_t minParallelBytes = 16ll << 20; // less than this left to read: parsed on the caller
    std::size_t chunksInFlight = 4;             // read but not yet consumed: bounds the memory held
};

// The data rows after a header, as CsvTokenizer::next() would give them, each with its cells parsed by
// `parser`. Files big enough are split into chunks that end at record ends (found with the tokenizer's own
// quote rules, so quoted fields may hold line ends); worker threads tokenize and parse the chunks while the
// caller consumes them in order. Issues land in the report in the order, and with the line numbers, the
// single-threaded tokenizer gives. A chunk with no record end in it (a record longer than a chunk) sends
// the rest of the file through the caller's tokenizer.
class CsvRowStream {
  public:
    // tok: opened with `path`, header read (and seeked): the stream continues at tok.completeOffset() with
    // line tok.line(). width: the header's field count. report: the one tok reports into.
    CsvRowStream(CsvTokenizer& tok, const std::filesystem::path& path, std::size_t width,
                 const CsvRowParser& parser, ReadReport& report, CsvParallelOptions options = {});
    ~CsvRowStream();
    CsvRowStream(const CsvRowStream&) = delete;
    CsvRowStream& operator=(const CsvRowStream&) = delete;

    bool next(CsvParsedRow& row);
    // Offset after the last terminated record read so far, as CsvTokenizer::completeOffset().
    std::int64_t completeOffset() const;
    bool parallel() const { return !m_workers.empty(); }

  private:
    struct Chunk;

    void work();
    bool readChunk(Chunk& chunk); // under m_mutex: bytes at m_nextOffset, cut at the last record end
    void tokenize(Chunk& chunk) const;
    void forwardIssues(const Chunk& chunk, std::size_t issuesEnd, std::int64_t skippedEnd);
    bool nextSerial(CsvParsedRow& row);
    void stop();

    CsvTokenizer& m_tok;
    std::size_t m_width;
    const CsvRowParser& m_parser;
    ReadReport& m_report;
    CsvParallelOptions m_options;
    CsvOptions m_chunkOptions;
    int m_fd = -1;
    std::vector<CsvCell> m_serialCells;
    bool m_serial = true;

    // Shared with the workers, under m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_readyCv; // a chunk was published
    std::condition_variable m_spaceCv; // a chunk was consumed, or stop
    std::vector<std::unique_ptr<Chunk>> m_pool;
    std::vector<Chunk*> m_free;
    std::map<std::int64_t, Chunk*> m_ready;
    std::int64_t m_nextIndex = 0;  // next chunk a worker takes
    std::int64_t m_nextOffset = 0; // where it starts
    std::int64_t m_consumedIndex = 0;
    bool m_inputDone = false;
    bool m_stop = false;
    std::exception_ptr m_failure;
    std::vector<std::thread> m_workers;

    // The consumer's position.
    Chunk* m_current = nullptr;
    std::size_t m_rowPos = 0;
    std::size_t m_issuePos = 0;
    std::int64_t m_skippedPos = 0;
    std::int64_t m_baseLine = 1;
    std::int64_t m_complete = 0;
    bool m_finished = false;
};

} // namespace runlens
