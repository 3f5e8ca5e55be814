// FileProbe, the reader registry's choice by confidence, and run-name joining.
#include "core/io/reader.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace runlens {

int openRegularFile(const std::filesystem::path& path, std::string& reason) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        reason = std::strerror(errno);
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        reason = std::strerror(errno);
        ::close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        reason = S_ISDIR(st.st_mode) ? std::strerror(EISDIR)
                                     : fileKindName(st.st_mode) + ", not a regular file; not read";
        ::close(fd);
        return -1;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

FileProbe FileProbe::fromFile(const std::filesystem::path& path) {
    FileProbe probe;
    probe.path = path;
    std::string reason;
    const int fd = openRegularFile(path, reason);
    if (fd < 0) return probe;
    struct stat st {};
    if (::fstat(fd, &st) == 0) probe.size = static_cast<std::uintmax_t>(st.st_size);
    probe.head.resize(kProbeBytes);
    std::size_t got = 0;
    while (got < kProbeBytes) {
        const ssize_t n = ::read(fd, probe.head.data() + got, kProbeBytes - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    probe.head.resize(got);
    return probe;
}

void ReaderRegistry::add(std::unique_ptr<Reader> reader) {
    if (reader) m_readers.push_back(std::move(reader));
}

void ReaderRegistry::add(std::unique_ptr<DirectoryReader> reader) {
    if (reader) m_directoryReaders.push_back(std::move(reader));
}

const Reader* ReaderRegistry::pick(const FileProbe& probe) const {
    const Reader* best = nullptr;
    int bestScore = 0;
    // Strictly greater: on a tie the reader registered first wins, which keeps the choice stable.
    for (const auto& r : m_readers) {
        const int score = r->confidence(probe);
        if (score > bestScore) {
            bestScore = score;
            best = r.get();
        }
    }
    return best;
}

const DirectoryReader* ReaderRegistry::pickDirectory(const std::filesystem::path& dir) const {
    const DirectoryReader* best = nullptr;
    int bestScore = 0;
    for (const auto& r : m_directoryReaders) {
        const int score = r->confidence(dir);
        if (score > bestScore) {
            bestScore = score;
            best = r.get();
        }
    }
    return best;
}

const Reader* ReaderRegistry::byName(std::string_view name) const {
    for (const auto& r : m_readers)
        if (r->name() == name) return r.get();
    return nullptr;
}

std::string joinRunName(std::string_view parent, std::string_view child) {
    while (!parent.empty() && parent.back() == '/')
        parent.remove_suffix(1);
    while (!child.empty() && child.front() == '/')
        child.remove_prefix(1);
    if (parent.empty()) return std::string(child);
    if (child.empty()) return std::string(parent);
    std::string out;
    out.reserve(parent.size() + 1 + child.size());
    out.append(parent).append(1, '/').append(child);
    return out;
}

std::string stepsRestartMessage(std::string_view run, std::string_view tag, std::int64_t step,
                                std::int64_t previousMax) {
    return "steps go back in '" + std::string(tag) + "' of run '" + std::string(run) + "': step " +
           std::to_string(step) + " after step " + std::to_string(previousMax) +
           " (a resumed run or several trials in one place); the summary's last value is the one at the "
           "highest step";
}

} // namespace runlens
