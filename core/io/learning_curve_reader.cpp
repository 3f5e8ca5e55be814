// scikit-learn learning-curve logs (long or wide CSV/TSV) to a run's train and validation score series.
#include "core/io/learning_curve_reader.h"

#include "core/io/csv_reader.h"
#include "core/io/csv_tokenizer.h"
#include "core/model/series.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <cctype>
#include <span>
#include <string>
#include <vector>

namespace runlens {
namespace {

enum class Column { Other, Size, Step, Train, Validation };

constexpr std::string_view kSizeNames[] = {"train_size", "train_sizes", "training_size",
                                           "n_train",    "n_samples",   "train_examples"};
constexpr std::string_view kTrainNames[] = {"train_score", "train_scores"};
constexpr std::string_view kValidationNames[] = {"test_score", "test_scores",      "val_score",
                                                 "val_scores", "validation_score", "validation_scores",
                                                 "cv_score",   "cv_scores"};

std::string lowered(std::string_view text) {
    std::string out(textnum::trim(text));
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool isDigits(std::string_view s) {
    return !s.empty() && s.size() <= 6 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool oneOf(std::string_view name, std::span<const std::string_view> options) {
    return std::find(options.begin(), options.end(), name) != options.end();
}

// "<plain name>_<k>" for one of the plain names: a wide-layout fold column.
bool isIndexed(std::string_view name, std::span<const std::string_view> plainNames) {
    for (const std::string_view plain : plainNames) {
        if (name.size() > plain.size() + 1 && name.substr(0, plain.size()) == plain &&
            name[plain.size()] == '_' && isDigits(name.substr(plain.size() + 1)))
            return true;
    }
    return false;
}

// sklearn's cv_results_ naming "split<k>_train_score" / "split<k>_test_score".
Column splitColumn(std::string_view name) {
    if (name.substr(0, 5) != "split") return Column::Other;
    const std::size_t underscore = name.find('_');
    if (underscore == std::string_view::npos || !isDigits(name.substr(5, underscore - 5)))
        return Column::Other;
    const std::string_view rest = name.substr(underscore + 1);
    if (rest == "train_score") return Column::Train;
    if (rest == "test_score") return Column::Validation;
    return Column::Other;
}

Column classify(std::string_view raw) {
    const std::string name = lowered(raw);
    if (oneOf(name, kSizeNames)) return Column::Size;
    if (columns::stepRank(name) >= 0) return Column::Step;
    if (oneOf(name, kTrainNames) || isIndexed(name, kTrainNames)) return Column::Train;
    if (oneOf(name, kValidationNames) || isIndexed(name, kValidationNames)) return Column::Validation;
    return splitColumn(name);
}

struct ScoreColumn {
    std::size_t index = 0;
    bool train = false;
    std::string name;
};

struct HeaderPlan {
    int sizeColumn = -1;
    bool hasStep = false;
    std::vector<ScoreColumn> scores;

    bool recognised() const { return sizeColumn >= 0 && !scores.empty() && !hasStep; }
};

HeaderPlan planHeader(std::span<const std::string_view> header) {
    HeaderPlan plan;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const Column column = classify(header[i]);
        if (column == Column::Size && plan.sizeColumn < 0) plan.sizeColumn = static_cast<int>(i);
        if (column == Column::Step) plan.hasStep = true;
        if (column == Column::Train || column == Column::Validation)
            plan.scores.push_back({i, column == Column::Train, std::string(textnum::trim(header[i]))});
    }
    return plan;
}

std::string shortText(std::string_view text) {
    return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 40)) + "...";
}

std::string lowerExtension(const std::filesystem::path& path) {
    return lowered(path.extension().string());
}

// The row's training size, or a reason it has none.
bool parseSize(std::string_view cell, std::int64_t& size, std::string& reason) {
    const textnum::Parsed parsed = textnum::parseStep(cell, size);
    if (parsed == textnum::Parsed::Missing) {
        reason = "no training size";
        return false;
    }
    if (parsed == textnum::Parsed::Text) {
        double value = 0;
        reason = textnum::parseDouble(cell, value) == textnum::Parsed::Number
                     ? "training size \"" + shortText(textnum::trim(cell)) + "\" is not an integer"
                     : "training size \"" + shortText(textnum::trim(cell)) + "\" is not a number";
        return false;
    }
    if (size <= 0) {
        reason = "training size " + std::to_string(size) + " is not positive";
        return false;
    }
    return true;
}

struct CellValue {
    bool train = false;
    double value = 0;
};

} // namespace

int LearningCurveReader::confidence(const FileProbe& probe) const {
    const std::string ext = lowerExtension(probe.path);
    if ((ext != ".csv" && ext != ".tsv") || probe.head.empty()) return 0;
    CsvTokenizer tokenizer;
    tokenizer.openMemory(probe.head, nullptr, probe.path.string());
    CsvRow row;
    if (!tokenizer.next(row)) return 0;
    return planHeader(row.fields).recognised() ? 85 : 0;
}

ReadReport LearningCurveReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                     ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string file = path.string();
    CsvTokenizer tokenizer;
    CsvRow row;
    if (!tokenizer.openWithHeader(path, report, row)) return report;
    const HeaderPlan plan = planHeader(row.fields);
    if (plan.sizeColumn < 0) {
        report.error(IssueKind::MissingColumn, file, row.line,
                     "no training-size column (train_size, train_sizes, training_size, n_train, n_samples or "
                     "train_examples)");
        return report;
    }
    if (plan.scores.empty()) {
        report.error(IssueKind::MissingColumn, file, row.line,
                     "no score column (train_score, test_score, val_score, train_score_0, split0_test_score, "
                     "...)");
        return report;
    }
    const std::size_t width = row.fields.size();
    const auto sizeColumn = static_cast<std::size_t>(plan.sizeColumn);
    SeriesBatcher batcher(sink);
    SeriesBatcher::Buffer& train = batcher.buffer(ctx.runName, kLearningCurveTrainTag);
    SeriesBatcher::Buffer& validation = batcher.buffer(ctx.runName, kLearningCurveValidationTag);
    std::vector<CellValue> cells;
    std::int64_t rows = 0;
    while (tokenizer.next(row)) {
        if ((rows++ & 1023) == 0 && ctx.cancelled()) {
            report.warn(IssueKind::Cancelled, file, row.line, "import cancelled");
            break;
        }
        if (row.fields.size() != width) {
            report.warn(IssueKind::RaggedRow, file, row.line,
                        std::to_string(row.fields.size()) + " fields where the header has " +
                            std::to_string(width) + "; row skipped");
            ++report.rowsSkipped;
            continue;
        }
        std::int64_t size = 0;
        std::string reason;
        if (!parseSize(row.fields[sizeColumn], size, reason)) {
            report.warn(IssueKind::BadValue, file, row.line, reason + "; row skipped");
            ++report.rowsSkipped;
            continue;
        }
        cells.clear();
        bool bad = false;
        for (const ScoreColumn& column : plan.scores) {
            double value = 0;
            const textnum::Parsed parsed = textnum::parseDouble(row.fields[column.index], value);
            if (parsed == textnum::Parsed::Missing) continue;
            if (parsed == textnum::Parsed::Text) {
                report.warn(IssueKind::BadNumber, file, row.line,
                            "column \"" + shortText(column.name) + "\" holds \"" +
                                shortText(textnum::trim(row.fields[column.index])) +
                                "\" where a score belongs; row skipped");
                bad = true;
                break;
            }
            cells.push_back({column.train, value});
        }
        if (bad) {
            ++report.rowsSkipped;
            continue;
        }
        for (const CellValue& cell : cells)
            batcher.push(cell.train ? train : validation, size, kNaN, cell.value);
    }
    batcher.flushAll();
    report.points = batcher.points();
    if (rows == 0) report.warn(IssueKind::Empty, file, 0, "header only: no data rows");
    report.endOffset = tokenizer.completeOffset();
    return report;
}

} // namespace runlens
