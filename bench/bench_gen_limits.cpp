// Writes the big inputs of bench/limits.sh fast: a long-form CSV log, a wide prediction log, many small runs.
//
//   bench_gen_limits longcsv <file> <bytes>               run,tag,step,wall_time,value; 20 runs x 10 tags
//   bench_gen_limits predictions <file> <rows> <features>  id,label,score,f1..fN
//   bench_gen_limits smallruns <dir> <runs> <rows>         <dir>/run_NNNNN/metrics.csv (step,loss,accuracy)
//
// Rows are formatted by hand into an 8 MiB buffer written with one fwrite per block, so the 8 GB prediction
// log takes about a minute instead of the hours a per-row Python loop would.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;

// A file written through one large buffer; closes (and reports a failed write) on destruction.
class BlockWriter {
  public:
    explicit BlockWriter(const fs::path& path) : m_file(std::fopen(path.c_str(), "wb")) {
        if (!m_file) {
            std::perror(path.c_str());
            std::exit(1);
        }
        m_buffer = std::make_unique<char[]>(kBlock + kSlack);
    }
    ~BlockWriter() {
        flush();
        if (std::fclose(m_file) != 0) std::perror("close");
    }
    BlockWriter(const BlockWriter&) = delete;
    BlockWriter& operator=(const BlockWriter&) = delete;

    // Room for one row of at most kSlack bytes; flushes a full block first.
    char* reserve() {
        if (m_used >= kBlock) flush();
        return m_buffer.get() + m_used;
    }
    void commit(char* end) { m_used = std::size_t(end - m_buffer.get()); }
    std::uint64_t written() const { return m_written + m_used; }

    static constexpr std::size_t kSlack = 64 * 1024; // longest row any mode writes

  private:
    static constexpr std::size_t kBlock = 8u << 20;

    void flush() {
        if (m_used == 0) return;
        if (std::fwrite(m_buffer.get(), 1, m_used, m_file) != m_used) {
            std::perror("write");
            std::exit(1);
        }
        m_written += m_used;
        m_used = 0;
    }

    std::FILE* m_file;
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_used = 0;
    std::uint64_t m_written = 0;
};

// xorshift64*: cheap deterministic values, so a rerun writes the same bytes.
struct Random {
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    std::uint64_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1Dull;
    }
};

char* put(char* out, std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
}

char* putInt(char* out, std::uint64_t v) {
    return std::to_chars(out, out + 24, v).ptr;
}

// "0.ddddd" from the top bits of r: a value in [0, 1) with five decimals, no floating-point formatting.
char* putFraction(char* out, std::uint64_t r) {
    std::uint64_t digits = (r >> 20) % 100000;
    out[0] = '0';
    out[1] = '.';
    for (int i = 6; i >= 2; --i) {
        out[i] = char('0' + digits % 10);
        digits /= 10;
    }
    return out + 7;
}

int longCsv(const fs::path& path, std::uint64_t bytes) {
    constexpr int kRuns = 20, kTags = 10;
    BlockWriter out(path);
    char* p = put(out.reserve(), "run,tag,step,wall_time,value\n");
    out.commit(p);
    Random random;
    std::uint64_t rows = 0;
    // Step by step over all 200 series, as a logger of 20 parallel runs would interleave them, so every
    // series stays open for the whole file.
    for (std::uint64_t step = 0; out.written() < bytes; ++step) {
        for (int run = 0; run < kRuns; ++run) {
            for (int tag = 0; tag < kTags; ++tag) {
                p = out.reserve();
                p = put(p, "run_");
                *p++ = char('0' + run / 10);
                *p++ = char('0' + run % 10);
                p = put(p, ",metric_");
                *p++ = char('0' + tag);
                *p++ = ',';
                p = putInt(p, step);
                p = put(p, ",17000");
                p = putInt(p, 10000 + step % 90000); // wall time 1700010000.. seconds
                *p++ = '.';
                *p++ = char('0' + step % 10);
                *p++ = ',';
                p = putFraction(p, random.next());
                *p++ = '\n';
                out.commit(p);
                ++rows;
            }
        }
    }
    std::printf("wrote %s: %llu rows, %llu bytes\n", path.c_str(), (unsigned long long)rows,
                (unsigned long long)out.written());
    return 0;
}

int predictions(const fs::path& path, std::uint64_t rows, int features) {
    if (features < 0 || features > 4000) {
        std::fprintf(stderr, "features must be 0..4000\n");
        return 2;
    }
    BlockWriter out(path);
    char* p = put(out.reserve(), "id,label,score");
    for (int f = 1; f <= features; ++f) {
        p = put(p, ",f");
        p = putInt(p, std::uint64_t(f));
    }
    *p++ = '\n';
    out.commit(p);
    Random random;
    for (std::uint64_t r = 0; r < rows; ++r) {
        p = putInt(out.reserve(), r);
        const std::uint64_t x = random.next();
        *p++ = ',';
        *p++ = char('0' + (x & 1));
        *p++ = ',';
        p = putFraction(p, x);
        for (int f = 0; f < features; ++f) {
            *p++ = ',';
            p = putFraction(p, random.next());
        }
        *p++ = '\n';
        out.commit(p);
    }
    std::printf("wrote %s: %llu rows x %d columns, %llu bytes\n", path.c_str(), (unsigned long long)rows,
                features + 3, (unsigned long long)out.written());
    return 0;
}

int smallRuns(const fs::path& dir, int runs, int rows) {
    if (rows < 0 || rows > 1000) { // one file is formatted in a single reserve() of kSlack bytes
        std::fprintf(stderr, "rows must be 0..1000\n");
        return 2;
    }
    Random random;
    char name[32];
    for (int run = 0; run < runs; ++run) {
        std::snprintf(name, sizeof name, "run_%05d", run);
        const fs::path runDir = dir / name;
        fs::create_directories(runDir);
        BlockWriter out(runDir / "metrics.csv");
        char* p = put(out.reserve(), "step,loss,accuracy\n");
        for (int step = 0; step < rows; ++step) {
            p = putInt(p, std::uint64_t(step));
            *p++ = ',';
            p = putFraction(p, random.next());
            *p++ = ',';
            p = putFraction(p, random.next());
            *p++ = '\n';
        }
        out.commit(p);
    }
    std::printf("wrote %d run folders of %d rows under %s\n", runs, rows, dir.c_str());
    return 0;
}

int usage() {
    std::fprintf(stderr, "usage: bench_gen_limits longcsv <file> <bytes>\n"
                         "       bench_gen_limits predictions <file> <rows> <features>\n"
                         "       bench_gen_limits smallruns <dir> <runs> <rows>\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) return usage();
    const std::string mode = argv[1];
    const fs::path target = argv[2];
    const auto number = [&](int i) { return std::strtoull(argv[i], nullptr, 10); };
    if (mode == "longcsv" && argc == 4) return longCsv(target, number(3));
    if (mode == "predictions" && argc == 5) return predictions(target, number(3), int(number(4)));
    if (mode == "smallruns" && argc == 5) return smallRuns(target, int(number(3)), int(number(4)));
    return usage();
}
