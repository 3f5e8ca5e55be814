// The versions of the libraries Runlens was built with and runs on, for the About dialog and `--version`.
#pragma once

#include <string>

namespace runlens {

// One line per library: "SQLite 3.40.1", "Eigen 3.4.0", "simdjson 3.1.5", "yaml-cpp", "compiler GCC 12.2.0".
std::string libraryVersions();

} // namespace runlens
