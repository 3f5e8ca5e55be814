// Prediction columns to and from their stored blobs.
#include "core/store/prediction_codec.h"

#include "core/store/workspace.h"

#include <array>
#include <cstring>
#include <utility>

namespace runlens::store {

namespace {

constexpr std::array<std::pair<ColumnRole, const char*>, 7> kRoleNames{{
    {ColumnRole::Id, "id"},
    {ColumnRole::Label, "label"},
    {ColumnRole::Score, "score"},
    {ColumnRole::ClassScore, "class_score"},
    {ColumnRole::Prediction, "prediction"},
    {ColumnRole::Feature, "feature"},
    {ColumnRole::Ignore, "ignore"},
}};

} // namespace

const char* roleName(ColumnRole role) {
    for (const auto& [r, name] : kRoleNames)
        if (r == role) return name;
    return "feature";
}

std::optional<ColumnRole> roleFromName(std::string_view name) {
    for (const auto& [r, roleText] : kRoleNames)
        if (name == roleText) return r;
    return std::nullopt;
}

std::vector<std::uint8_t> doublesBlob(const std::vector<double>& values) {
    std::vector<std::uint8_t> blob(values.size() * sizeof(double));
    if (!blob.empty()) std::memcpy(blob.data(), values.data(), blob.size());
    return blob;
}

std::vector<std::uint8_t> codesBlob(const std::vector<std::int32_t>& codes) {
    std::vector<std::uint8_t> blob(codes.size() * sizeof(std::int32_t));
    if (!blob.empty()) std::memcpy(blob.data(), codes.data(), blob.size());
    return blob;
}

std::vector<std::uint8_t> dictionaryBlob(const std::vector<std::string>& dictionary) {
    std::vector<std::uint8_t> blob;
    for (const auto& entry : dictionary) {
        const auto length = static_cast<std::uint32_t>(entry.size());
        const auto* p = reinterpret_cast<const std::uint8_t*>(&length);
        blob.insert(blob.end(), p, p + 4);
        blob.insert(blob.end(), entry.begin(), entry.end());
    }
    return blob;
}

std::vector<std::string> parseDictionary(std::span<const std::uint8_t> blob, const std::string& where) {
    std::vector<std::string> dictionary;
    std::size_t pos = 0;
    while (pos < blob.size()) {
        if (blob.size() - pos < 4) throw WorkspaceError(where + ": dictionary entry header cut short");
        std::uint32_t length;
        std::memcpy(&length, blob.data() + pos, 4);
        pos += 4;
        if (length > blob.size() - pos) throw WorkspaceError(where + ": dictionary entry runs past the blob");
        dictionary.emplace_back(reinterpret_cast<const char*>(blob.data() + pos), length);
        pos += length;
    }
    return dictionary;
}

PredictionColumn decodeColumn(const StoredColumn& stored, std::int64_t rows, const std::string& where) {
    PredictionColumn c;
    c.name = stored.name;
    const auto role = roleFromName(stored.role);
    if (!role) throw WorkspaceError(where + ": column " + c.name + " has an unknown role");
    c.role = *role;
    c.numeric = stored.numeric;
    c.className = stored.className;
    const auto data = stored.data;
    const std::size_t width = c.numeric ? sizeof(double) : sizeof(std::int32_t);
    // Checking the size against the row count first bounds the allocation by the blob itself.
    if (data.size() != static_cast<std::uint64_t>(rows) * width)
        throw WorkspaceError(where + ": column " + c.name + " does not hold " + std::to_string(rows) +
                             " rows");
    if (c.numeric) {
        c.numbers.resize(static_cast<std::size_t>(rows));
        if (!data.empty()) std::memcpy(c.numbers.data(), data.data(), data.size());
        return c;
    }
    c.codes.resize(static_cast<std::size_t>(rows));
    if (!data.empty()) std::memcpy(c.codes.data(), data.data(), data.size());
    c.dictionary = parseDictionary(stored.dictionary, where + ": column " + c.name);
    const auto dictSize = static_cast<std::int64_t>(c.dictionary.size());
    for (std::int32_t code : c.codes)
        if (code < -1 || code >= dictSize)
            throw WorkspaceError(where + ": column " + c.name + " has a code outside its dictionary");
    return c;
}

} // namespace runlens::store
