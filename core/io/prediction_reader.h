// Reader for per-example prediction logs (CSV, TSV, JSONL) that become a run's evaluation set.
#pragma once

#include "core/io/csv_parallel.h"
#include "core/io/reader.h"
#include "core/model/prediction_table.h"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runlens {

// Explicit column roles, for the UI/CLI; an empty field keeps recognition by name for that role.
struct PredictionRoles {
    std::string label, score, prediction, id;
    std::vector<std::pair<std::string, std::string>> classScores; // column -> class name
    std::vector<std::string> ignore;                              // columns to leave out of the table
    std::string positiveClass;                                    // binary with text labels
    std::vector<std::string> features; // kept as slice features even when the name suggests a role

    bool empty() const {
        return label.empty() && score.empty() && prediction.empty() && id.empty() && classScores.empty() &&
               ignore.empty() && positiveClass.empty() && features.empty();
    }
};

class PredictionLogReader : public Reader {
  public:
    PredictionLogReader() = default;
    explicit PredictionLogReader(PredictionRoles roles) : m_roles(std::move(roles)) {}
    // Names the evaluation set instead of tableNameFor(path) (the dialog's set name); empty: derive it.
    void setTableName(std::string tableName) { m_tableName = std::move(tableName); }

    // The whole table is held while parsing (8-12 bytes a cell), so a log over kMaxCells cells (256 Mi, about
    // 2-3 GiB) or kMaxRows rows (one column's blob must stay under SQLite's 1e9-byte limit) is refused with
    // one Unsupported error, and the importer keeps nothing of it.
    static constexpr std::size_t kMaxCells = std::size_t(256) << 20;
    static constexpr std::size_t kMaxRows = 100'000'000;
    // A smaller cell budget, for tests; 0 restores kMaxCells.
    void setMaxCells(std::size_t cells) { m_maxCells = cells == 0 ? kMaxCells : cells; }
    std::size_t maxCells() const { return m_maxCells; }
    // How a CSV/TSV log is split over threads (tests choose small chunks).
    void setParallel(CsvParallelOptions parallel) { m_parallel = parallel; }

    std::string_view name() const override { return "predictions"; }
    std::string_view description() const override { return "prediction log (one row per example)"; }
    // 80 when the header has a label and a score or per-class score columns, 90 for predictions*.{csv,...}.
    int confidence(const FileProbe& probe) const override;
    // Delivers one PredictionTable (named by tableNameFor) to ctx.runName, or nothing when the file has
    // errors: a missing label/score column, scores outside [0, 1] or not numbers, labels outside the
    // class set, columns mixing numbers and text. Errors name the column and the line.
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;

    // The same parsing without a sink (for commands that analyse a log directly). nullopt on errors.
    std::optional<PredictionTable> readTable(const std::filesystem::path& path, ReadReport& report,
                                             const ReadContext& ctx = {}) const;

    // Role of a column recognised by its name; for prob_<class>/score_<class> className gets <class>.
    static ColumnRole roleForName(std::string_view columnName, std::string* className = nullptr);
    // "predictions_val.csv" -> "val"; "predictions.jsonl" -> "predictions"; "test.tsv" -> "test".
    static std::string tableNameFor(const std::filesystem::path& path);

  private:
    PredictionRoles m_roles;
    std::string m_tableName;
    std::size_t m_maxCells = kMaxCells;
    CsvParallelOptions m_parallel;
};

} // namespace runlens
