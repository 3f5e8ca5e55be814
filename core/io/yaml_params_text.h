// The text-level work on a YAML params document around yaml-cpp: the summary of a document too large for
// its tree, the split into top-level entries when it does not parse, and the tags it cannot read dropped.
#pragma once

#include "core/io/hparams_yaml_reader.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runlens::yaml_text {

// What dropTagsBeforeBlockScalars leaves in place of a !!binary block scalar.
inline constexpr std::string_view kBinaryMarker = "__runlens_binary_value__";

// One top-level entry of a document and the 1-based line it starts on.
struct Chunk {
    std::string_view text;
    std::int64_t firstLine = 1;
};

// The document cut before each line that starts a top-level entry, so each can be parsed on its own.
std::vector<Chunk> splitTopLevel(std::string_view text);

// The text with the tag before each block scalar dropped (a !!binary one replaced by kBinaryMarker), which
// yaml-cpp 0.7 fails on in a sequence.
std::string dropTagsBeforeBlockScalars(std::string_view text);

// The summary of a document too large to load as a tree (its top-level key: scalar pairs, with a warning),
// or nullopt when it is small enough or the event stream stops at a syntax error before the bound.
std::optional<FlattenResult> summaryOfLargeYaml(std::string_view text, const std::string& file,
                                                ReadReport& report, std::size_t maxEntries);

} // namespace runlens::yaml_text
