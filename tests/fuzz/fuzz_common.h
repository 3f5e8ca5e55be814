// Shared pieces of the libFuzzer targets: a sink that touches every delivered value and a scratch folder.
#pragma once

#include "core/model/import_sink.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>

namespace runlens::fuzz {

// Accepts everything and reads every byte it is given, so the sanitizer checks each span and view.
class DiscardSink : public ImportSink {
  public:
    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        for (std::size_t i = 0; i < values.size(); ++i)
            m_sum += values[i] + wallTimes[i] + double(steps[i]);
        touch(run);
        touch(tag);
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        touch(run);
        touch(key);
        touch(value);
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        touch(run);
        touch(key);
        touch(value);
    }
    void setProvenance(std::string_view run, ProvenanceField, std::string_view value) override {
        touch(run);
        touch(value);
    }
    void addPredictions(std::string_view run, PredictionTable table) override {
        touch(run);
        touch(table.name);
    }

  private:
    void touch(std::string_view text) {
        for (char c : text)
            m_sum += double(static_cast<unsigned char>(c));
    }
    double m_sum = 0;
};

// One scratch folder per fuzzing process (libFuzzer's -fork/-jobs children get their own), removed at exit.
class ScratchDir {
  public:
    explicit ScratchDir(std::string_view label)
        : m_path(std::filesystem::temp_directory_path() /
                 ("runlens_fuzz_" + std::string(label) + "_" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(m_path);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

inline void writeBytes(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

inline void writeText(const std::filesystem::path& path, std::string_view text) {
    writeBytes(path, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

} // namespace runlens::fuzz
