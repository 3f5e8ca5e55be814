// Collects compile-time and run-time versions of the libraries linked into runlens_core.
#include "core/library_versions.h"

#include <Eigen/Core>
#include <simdjson.h>
#include <sqlite3.h>

namespace runlens {

std::string libraryVersions() {
    std::string out;
    out += "SQLite " + std::string(sqlite3_libversion()) + "\n";
    out += "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
           std::to_string(EIGEN_MINOR_VERSION) + "\n";
    out += "simdjson " + std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." +
           std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
           std::to_string(simdjson::SIMDJSON_VERSION_REVISION) + "\n";
    out += "yaml-cpp (Debian 12)\n";
#if defined(__clang__)
    out += "compiler clang " + std::string(__clang_version__) + "\n";
#elif defined(__GNUC__)
    out += "compiler GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
           std::to_string(__GNUC_PATCHLEVEL__) + "\n";
#endif
    return out;
}

} // namespace runlens
