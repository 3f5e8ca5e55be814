// Recognises regression logs by their values and their auxiliary columns by name.
#include "core/model/regression_columns.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace runlens {

namespace {

std::string lowerCase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool hasFraction(const PredictionColumn& column) {
    return std::any_of(column.numbers.begin(), column.numbers.end(),
                       [](double v) { return std::isfinite(v) && v != std::floor(v); });
}

bool allDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "05" -> 0.05, "5" -> 0.05, "975" -> 0.975, "0.9" -> 0.9; nullopt outside (0, 1).
std::optional<double> levelOfDigits(std::string_view text) {
    if (text.empty()) return std::nullopt;
    double level = 0;
    if (text.find('.') != std::string_view::npos) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), level);
        if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
        if (level >= 1 && level < 100) level /= 100; // q97.5 -> 0.975
    } else {
        if (!allDigits(text) || text.size() > 3 || text == "100") return std::nullopt; // q100: the maximum
        const double digits = std::stod(std::string(text));
        level = text.size() == 3 ? digits / 1000 : digits / 100;
    }
    if (!(level > 0 && level < 1)) return std::nullopt;
    return level;
}

} // namespace

bool isRegressionTable(const PredictionTable& table) {
    if (table.find(ColumnRole::Score)) return false;
    for (const auto& c : table.columns)
        if (c.role == ColumnRole::ClassScore) return false;
    const PredictionColumn* label = table.find(ColumnRole::Label);
    const PredictionColumn* prediction = table.find(ColumnRole::Prediction);
    if (!label || !prediction || !label->numeric || !prediction->numeric) return false;
    return hasFraction(*label) || hasFraction(*prediction);
}

bool isWeightColumnName(std::string_view name) {
    const std::string n = lowerCase(name);
    return n == "weight" || n == "weights" || n == "sample_weight" || n == "sample_weights";
}

std::optional<double> quantileOfColumnName(std::string_view name) {
    const std::string n = lowerCase(name);
    for (std::string_view prefix : {"quantile_", "quantile", "q_", "q"}) {
        if (n.size() <= prefix.size() || n.rfind(prefix, 0) != 0) continue;
        const std::string_view rest = std::string_view(n).substr(prefix.size());
        if (rest.front() < '0' || rest.front() > '9') continue;
        return levelOfDigits(rest);
    }
    return std::nullopt;
}

std::optional<IntervalBoundName> intervalBoundOfColumnName(std::string_view name) {
    std::string n = lowerCase(name);
    for (std::string_view prefix : {"pred_", "prediction_", "y_", "yhat_"})
        if (n.size() > prefix.size() && n.rfind(prefix, 0) == 0) {
            n.erase(0, prefix.size());
            break;
        }
    const std::pair<std::string_view, IntervalBound> words[] = {{"lower", IntervalBound::Lower},
                                                                {"upper", IntervalBound::Upper},
                                                                {"lo", IntervalBound::Lower},
                                                                {"hi", IntervalBound::Upper}};
    for (const auto& [word, bound] : words) {
        if (n.rfind(word, 0) != 0) continue;
        std::string_view rest = std::string_view(n).substr(word.size());
        if (rest.empty()) return IntervalBoundName{bound, std::nullopt};
        if (rest.front() == '_') rest.remove_prefix(1);
        if (!allDigits(rest) || rest.size() > 2) continue;
        const auto level = levelOfDigits(rest);
        if (level) return IntervalBoundName{bound, level};
    }
    return std::nullopt;
}

std::optional<TrainingStatistic> trainingStatisticOfColumnName(std::string_view name) {
    const std::string n = lowerCase(name);
    for (std::string_view prefix : {"train_", "training_", "y_train_"}) {
        if (n.rfind(prefix, 0) != 0) continue;
        const std::string_view rest = std::string_view(n).substr(prefix.size());
        if (rest == "mean") return TrainingStatistic::Mean;
        if (rest == "median") return TrainingStatistic::Median;
    }
    return std::nullopt;
}

} // namespace runlens
