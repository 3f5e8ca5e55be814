// How prediction tables are stored: column role names, and the blobs of numbers, category codes and
// dictionaries that hold a column's cells (written by the import transaction, read by Workspace).
#pragma once

#include "core/model/prediction_table.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace runlens::store {

const char* roleName(ColumnRole role);
std::optional<ColumnRole> roleFromName(std::string_view name);

std::vector<std::uint8_t> doublesBlob(const std::vector<double>& values);
std::vector<std::uint8_t> codesBlob(const std::vector<std::int32_t>& codes);
// Dictionary blob: for each entry a u32 byte length followed by the UTF-8 bytes.
std::vector<std::uint8_t> dictionaryBlob(const std::vector<std::string>& dictionary);
// Throws WorkspaceError naming `where` when the blob is cut short or an entry runs past it.
std::vector<std::string> parseDictionary(std::span<const std::uint8_t> blob, const std::string& where);

// One stored column back as a PredictionColumn: sizes checked against `rows` before anything is allocated,
// codes checked against the dictionary. Throws WorkspaceError naming `where`.
struct StoredColumn {
    std::string name;
    std::string role;
    bool numeric = false;
    std::string className;
    std::span<const std::uint8_t> data;
    std::span<const std::uint8_t> dictionary;
};
PredictionColumn decodeColumn(const StoredColumn& stored, std::int64_t rows, const std::string& where);

} // namespace runlens::store
