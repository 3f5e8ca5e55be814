// JSON as Python's json module writes it (bare NaN, Infinity, -Infinity), read with simdjson.
#pragma once

#include <simdjson.h>
#include <string>
#include <string_view>

namespace runlens {

// When line holds NaN / Infinity / -Infinity outside strings, writes to out a copy where they are sentinel
// strings jsonNumber() turns back into numbers, and returns true; false (out unspecified) otherwise.
bool repairPythonJson(std::string_view line, std::string& out);

// A JSON number (int64, uint64, double) or a sentinel of repairPythonJson (NaN, +-Inf) as a double.
bool jsonNumber(simdjson::dom::element e, double& out);

} // namespace runlens
