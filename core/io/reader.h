// The interface every log reader implements, and the registry that picks one by confidence score.
#pragma once

#include "core/model/import_sink.h"
#include "core/model/read_report.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// The first bytes of a file (up to kProbeBytes) and its name, which is all a reader may look at to score.
struct FileProbe {
    static constexpr std::size_t kProbeBytes = 64 * 1024;
    std::filesystem::path path;
    std::string head;
    std::uintmax_t size = 0;

    static FileProbe fromFile(const std::filesystem::path& path); // head empty when unreadable
};

struct ReadContext {
    std::string runName;         // run that data without a run of its own goes to
    std::filesystem::path root;  // the imported root, for naming nested runs
    std::int64_t fromOffset = 0; // resume point from an earlier import of this file
    // The file is known to grow (a live log): a last line without its line end is left for the next read
    // instead of being imported half-written (ReadReport::partialTailHeld).
    bool holdPartialTail = false;
    const std::atomic<bool>* cancel = nullptr;
    // Told now and then how far into the file a reader is (bytes from its start), so a progress bar moves
    // during one big file; readers call advanced() where they check cancelled().
    std::function<void(std::int64_t)> onProgress;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    void advanced(std::int64_t offset) const {
        if (onProgress) onProgress(offset);
    }
};

class Reader {
  public:
    virtual ~Reader() = default;
    virtual std::string_view name() const = 0;        // short id: "csv", "jsonl", "tfevents"
    virtual std::string_view description() const = 0; // for reports and the UI
    // 0 = not mine, 100 = certainly mine. Looks only at the probe, never reads further.
    virtual int confidence(const FileProbe& probe) const = 0;
    // True when a grown file can be read on from ReadReport::endOffset (append-only logs).
    virtual bool appendable() const { return false; }
    virtual ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                            ImportSink& sink) const = 0;
};

// A format that is a directory tree rather than a file (MLflow's mlruns/, DVCLive's dvclive/).
class DirectoryReader {
  public:
    virtual ~DirectoryReader() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view description() const = 0;
    virtual int confidence(const std::filesystem::path& dir) const = 0;
    // Reads the tree under dir, one transaction per source it consumes.
    virtual ReadReport read(const std::filesystem::path& dir, const ReadContext& ctx,
                            ImportTarget& target) const = 0;
};

class ReaderRegistry {
  public:
    // A registry holding every built-in reader (the one place they are all listed).
    static ReaderRegistry withBuiltins();

    void add(std::unique_ptr<Reader> reader);
    void add(std::unique_ptr<DirectoryReader> reader);

    // The file reader with the highest confidence above zero, or nullptr.
    const Reader* pick(const FileProbe& probe) const;
    const DirectoryReader* pickDirectory(const std::filesystem::path& dir) const;
    const Reader* byName(std::string_view name) const;
    const std::vector<std::unique_ptr<Reader>>& readers() const { return m_readers; }
    const std::vector<std::unique_ptr<DirectoryReader>>& directoryReaders() const {
        return m_directoryReaders;
    }

  private:
    std::vector<std::unique_ptr<Reader>> m_readers;
    std::vector<std::unique_ptr<DirectoryReader>> m_directoryReaders;
};

// The sentence of a steps_restart warning: series tag of run went back from previousMax to step.
std::string stepsRestartMessage(std::string_view run, std::string_view tag, std::int64_t step,
                                std::int64_t previousMax);

// Opens path read-only for a reader without ever blocking: a FIFO, device or socket (given directly, through
// a symbolic link, or found in a folder) would hang a plain open() or read(), so the file is opened with
// O_NONBLOCK and checked with fstat on the opened descriptor. Returns the descriptor (O_CLOEXEC, blocking
// again) or -1 with a short reason ("a FIFO (named pipe), not a regular file", "No such file or directory").
int openRegularFile(const std::filesystem::path& path, std::string& reason);

// Joins a parent run name and a child part with '/', skipping empty parts.
std::string joinRunName(std::string_view parent, std::string_view child);

} // namespace runlens
