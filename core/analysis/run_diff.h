// What differs between two or more runs' key-value maps (params, tags, metrics): the rows of the Compare
// tab's run diff and of `runlens diff`.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// The number a whole text spells (strtod must consume all of it): "0.1" -> 0.1, "1e-3" -> 0.001; nullopt for
// "", "3x" or "adam".
std::optional<double> wholeNumber(const std::string& text);

// One key with each run's value (nullopt where the run lacks the key) and its number (NaN where missing or
// not a number).
struct KeyDiff {
    std::string key;
    std::vector<std::optional<std::string>> values;
    std::vector<double> numbers;
    bool differs = false; // some run's value, or its absence, differs from the first run's

    // B - A of a two-run diff: numbers[1] - numbers[0], NaN unless both are numbers.
    double delta() const;
};

// Every key of any map, in key order, with each map's value; maps[i] is run i's.
std::vector<KeyDiff> diffKeyedValues(std::span<const std::map<std::string, std::string>* const> maps);

} // namespace runlens
