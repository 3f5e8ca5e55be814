// Writes the benchmark data sets: a 10M-row scalar CSV, a large tfevents file, many-run workspaces' logs.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

// Bitwise CRC32C (Castagnoli), written here so the generator does not depend on the reader under test.
std::uint32_t crc32c(const unsigned char* data, std::size_t n) {
    std::uint32_t crc = 0xffffffffu;
    for (std::size_t i = 0; i < n; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
    }
    return crc ^ 0xffffffffu;
}

std::uint32_t maskedCrc(const unsigned char* data, std::size_t n) {
    const std::uint32_t c = crc32c(data, n);
    return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

void putVarint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

template <typename T> void putRaw(std::string& out, T v) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));
    out.append(bytes, sizeof(T));
}

// Event{wall_time=1 double, step=2 int64, summary=5 {value=1 {tag=1, simple_value=2 float}}}.
std::string scalarEvent(double wallTime, std::int64_t step, const std::string& tag, float value) {
    std::string val;
    putVarint(val, (1 << 3) | 2);
    putVarint(val, tag.size());
    val += tag;
    putVarint(val, (2 << 3) | 5);
    putRaw(val, value);
    std::string summary;
    putVarint(summary, (1 << 3) | 2);
    putVarint(summary, val.size());
    summary += val;
    std::string event;
    putVarint(event, (1 << 3) | 1);
    putRaw(event, wallTime);
    putVarint(event, (2 << 3) | 0);
    putVarint(event, static_cast<std::uint64_t>(step));
    putVarint(event, (5 << 3) | 2);
    putVarint(event, summary.size());
    event += summary;
    return event;
}

void writeRecord(std::ofstream& out, const std::string& data) {
    std::string frame;
    putRaw(frame, static_cast<std::uint64_t>(data.size()));
    putRaw(frame, maskedCrc(reinterpret_cast<const unsigned char*>(frame.data()), 8));
    frame += data;
    putRaw(frame, maskedCrc(reinterpret_cast<const unsigned char*>(data.data()), data.size()));
    out.write(frame.data(), static_cast<std::streamsize>(frame.size()));
}

void writeCsv(const std::filesystem::path& path, std::int64_t rows) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + path.string());
    std::mt19937_64 rng(42);
    std::normal_distribution<double> noise(0.0, 0.05);
    std::fputs("step,wall_time,value\n", f);
    std::vector<char> buf(1 << 20);
    std::size_t used = 0;
    for (std::int64_t i = 0; i < rows; ++i) {
        const double wall = 1700000000.0 + 0.0123 * static_cast<double>(i);
        const double value = 2.0 / std::sqrt(1.0 + static_cast<double>(i) * 1e-4) + noise(rng);
        char line[96];
        const int n =
            std::snprintf(line, sizeof line, "%lld,%.4f,%.17g\n", static_cast<long long>(i), wall, value);
        if (used + static_cast<std::size_t>(n) > buf.size()) {
            std::fwrite(buf.data(), 1, used, f);
            used = 0;
        }
        std::memcpy(buf.data() + used, line, static_cast<std::size_t>(n));
        used += static_cast<std::size_t>(n);
    }
    std::fwrite(buf.data(), 1, used, f);
    std::fclose(f);
}

void writeTfEvents(const std::filesystem::path& path, std::int64_t steps) {
    std::ofstream out(path, std::ios::binary);
    std::string version;
    putVarint(version, (1 << 3) | 1);
    putRaw(version, 1700000000.0);
    putVarint(version, (3 << 3) | 2);
    putVarint(version, 13);
    version += "brain.Event:2";
    writeRecord(out, version);
    const char* tags[] = {"train/loss", "train/accuracy", "val/loss", "learning_rate"};
    for (std::int64_t s = 0; s < steps; ++s)
        for (int t = 0; t < 4; ++t)
            writeRecord(out,
                        scalarEvent(1700000000.0 + 0.01 * static_cast<double>(s), s, tags[t],
                                    static_cast<float>(1.0 / (1.0 + 1e-3 * static_cast<double>(s)) + t)));
}

// runs x tags x points as wide CSV files, one directory per run, plus hparams.yaml.
void writeManyRuns(const std::filesystem::path& dir, int runs, int tags, int points) {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0.0, 0.02);
    for (int r = 0; r < runs; ++r) {
        const auto runDir = dir / ("run_" + std::to_string(r));
        std::filesystem::create_directories(runDir);
        std::ofstream params(runDir / "hparams.yaml");
        params << "lr: " << 1e-4 * (1 + r % 10) << "\nbatch_size: " << (32 << (r % 3)) << "\nseed: " << r % 5
               << "\n";
        std::FILE* f = std::fopen((runDir / "metrics.csv").c_str(), "wb");
        std::fputs("step,wall_time", f);
        for (int t = 0; t < tags; ++t)
            std::fprintf(f, ",metric_%d", t);
        std::fputc('\n', f);
        for (int p = 0; p < points; ++p) {
            std::fprintf(f, "%d,%.3f", p, 1700000000.0 + p * 0.5);
            for (int t = 0; t < tags; ++t)
                std::fprintf(f, ",%.6g", (1.0 + t) / std::sqrt(1.0 + p * 0.01) + noise(rng));
            std::fputc('\n', f);
        }
        std::fclose(f);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: bench_gen_data csv ROWS FILE | tfevents STEPS FILE | runs N TAGS POINTS DIR\n");
        return 2;
    }
    const std::string what = argv[1];
    try {
        if (what == "csv" && argc == 4)
            writeCsv(argv[3], std::stoll(argv[2]));
        else if (what == "tfevents" && argc == 4)
            writeTfEvents(argv[3], std::stoll(argv[2]));
        else if (what == "runs" && argc == 6)
            writeManyRuns(argv[5], std::stoi(argv[2]), std::stoi(argv[3]), std::stoi(argv[4]));
        else {
            std::fprintf(stderr, "bench_gen_data: bad arguments\n");
            return 2;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_gen_data: %s\n", e.what());
        return 1;
    }
    return 0;
}
