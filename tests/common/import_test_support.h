// What the tests that import files as a user drops them share: writing a file (and its folders), and
// importing a path through every built-in reader.
#pragma once

#include "core/import/importer.h"
#include "core/io/reader.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace runlens::test {

// Writes bytes to path, creating the folders on the way.
inline void writeFileAt(const std::filesystem::path& path, const std::string& bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// Imports path (a file or a folder) into target with the built-in readers, as a drop does.
inline ImportSummary importWithBuiltins(const std::filesystem::path& path, ImportTarget& target) {
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const std::vector<std::filesystem::path> paths{path};
    return importPaths(paths, registry, target);
}

} // namespace runlens::test
