// A per-example evaluation log (one row per example) stored column-wise with each column's role.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace runlens {

enum class ColumnRole { Id, Label, Score, ClassScore, Prediction, Feature, Ignore };

// A numeric column keeps `numbers` (NaN = missing); a text column keeps dictionary codes (-1 = missing).
struct PredictionColumn {
    std::string name;
    ColumnRole role = ColumnRole::Feature;
    bool numeric = true;
    std::vector<double> numbers;
    std::vector<std::int32_t> codes;
    std::vector<std::string> dictionary;
    std::string className; // for ClassScore columns: the class this probability is for

    std::size_t size() const { return numeric ? numbers.size() : codes.size(); }
};

struct PredictionTable {
    std::string name;       // evaluation set, e.g. "val", "test", "predictions"
    std::string sourcePath; // file it was read from
    std::vector<PredictionColumn> columns;

    std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
    const PredictionColumn* find(ColumnRole role) const {
        for (const auto& c : columns)
            if (c.role == role) return &c;
        return nullptr;
    }
    const PredictionColumn* column(const std::string& columnName) const {
        for (const auto& c : columns)
            if (c.name == columnName) return &c;
        return nullptr;
    }
};

// A cell as text (numbers through numberText, as a class name or id is written: 1 -> "1", 0.25 -> "0.25");
// "" when missing.
std::string cellText(const PredictionColumn& column, std::size_t row);

// Whether a feature column identifies examples rather than describing them, so it is no default to slice by:
// its name says so (id, uuid, key, index, *_id, *Id), or it is text with more than 50 values that are mostly
// unique, or whole numbers that are all different (over 50 rows).
bool looksLikeIdColumn(const PredictionColumn& column);

} // namespace runlens
