// Turns a PredictionTable into validated label/score arrays, naming column and row for every bad value.
#include "core/analysis/evaluation_set.h"

#include "core/model/number_text.h"
#include "core/model/regression_columns.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

namespace runlens {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::optional<double> parseNumber(const std::string& text) {
    double v = 0;
    const char* first = text.data();
    const char* last = first + text.size();
    while (first < last && *first == ' ')
        ++first;
    if (first < last && *first == '+') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || ptr != last) return std::nullopt;
    return v;
}

class Collector {
  public:
    Collector(EvaluationResult& result, std::size_t maxIssues) : m_result(result), m_max(maxIssues) {}
    void add(const std::string& column, std::int64_t row, std::string message) {
        if (m_result.errors.size() >= m_max) {
            ++m_result.suppressedErrors;
            return;
        }
        m_result.errors.push_back({column, row, std::move(message)});
    }

  private:
    EvaluationResult& m_result;
    std::size_t m_max;
};

// Cell text of a column at a row ("" when missing), used to match labels against class names.
std::optional<std::string> presentCellText(const PredictionColumn& col, std::size_t row) {
    auto text = cellText(col, row);
    if (text.empty()) return std::nullopt;
    return text;
}

// Reads a probability column: numeric, present and inside [0, 1] on every row.
std::vector<double> readProbabilities(const PredictionColumn& col, std::size_t rows, Collector& errors) {
    std::vector<double> out(rows, 0.0);
    if (!col.numeric) {
        for (std::size_t r = 0; r < rows; ++r) {
            const auto text = presentCellText(col, r);
            if (!text) {
                errors.add(col.name, std::int64_t(r), "missing score");
                continue;
            }
            const auto v = parseNumber(*text);
            if (!v) {
                errors.add(col.name, std::int64_t(r),
                           "'" + *text + "' is not a number (a score column must be numeric)");
                return {};
            }
            out[r] = *v;
        }
    } else {
        std::copy_n(col.numbers.begin(), rows, out.begin());
    }
    for (std::size_t r = 0; r < rows; ++r) {
        const double v = out[r];
        if (std::isnan(v))
            errors.add(col.name, std::int64_t(r), "missing score");
        else if (!(v >= 0.0 && v <= 1.0))
            errors.add(col.name, std::int64_t(r), "score " + numberText(v) + " is outside [0, 1]");
    }
    return out;
}

// Maps every row's value of a label-like column to a class index; -1 where missing or unknown.
std::vector<int> mapToClasses(const PredictionColumn& col, std::size_t rows,
                              const std::vector<std::string>& classes,
                              const std::vector<std::string>& aliases0,
                              const std::vector<std::string>& aliases1, Collector& errors, const char* what) {
    std::vector<int> out(rows, -1);
    std::string classList;
    for (const auto& c : classes)
        classList += (classList.empty() ? "" : ", ") + c;
    for (std::size_t r = 0; r < rows; ++r) {
        const auto text = presentCellText(col, r);
        if (!text) {
            errors.add(col.name, std::int64_t(r), std::string("missing ") + what);
            continue;
        }
        const auto it = std::find(classes.begin(), classes.end(), *text);
        if (it != classes.end()) {
            out[r] = static_cast<int>(it - classes.begin());
            continue;
        }
        const std::string low = lower(*text);
        if (std::find(aliases0.begin(), aliases0.end(), low) != aliases0.end())
            out[r] = 0;
        else if (std::find(aliases1.begin(), aliases1.end(), low) != aliases1.end())
            out[r] = 1;
        else
            errors.add(col.name, std::int64_t(r),
                       std::string(what) + " '" + *text + "' is not in the class set {" + classList + "}");
    }
    return out;
}

std::vector<std::string> distinctValues(const PredictionColumn& col, std::size_t rows) {
    std::vector<std::string> values;
    for (std::size_t r = 0; r < rows && values.size() <= 1000; ++r) {
        const auto text = presentCellText(col, r);
        if (text && std::find(values.begin(), values.end(), *text) == values.end()) values.push_back(*text);
    }
    return values;
}

// Binary class names {negative, positive} from a single-score table's label values.
std::optional<std::vector<std::string>> binaryClasses(const PredictionColumn& label, std::size_t rows,
                                                      const EvaluationOptions& options, Collector& errors) {
    auto values = distinctValues(label, rows);
    if (!options.positiveClass.empty()) {
        std::string negative;
        for (const auto& v : values)
            if (v != options.positiveClass) negative = v;
        return std::vector<std::string>{negative.empty() ? "not " + options.positiveClass : negative,
                                        options.positiveClass};
    }
    if (label.numeric) return std::vector<std::string>{"0", "1"}; // -1 is accepted as an alias of 0
    static const std::vector<std::pair<std::string, std::string>> pairs = {
        {"0", "1"}, {"false", "true"}, {"no", "yes"}, {"neg", "pos"}, {"negative", "positive"}};
    for (const auto& pair : pairs) {
        // Named copies: clang 14 cannot capture structured bindings in a lambda.
        const std::string& neg = pair.first;
        const std::string& pos = pair.second;
        const bool fits = std::all_of(values.begin(), values.end(), [&neg, &pos](const std::string& v) {
            const auto l = lower(v);
            return l == neg || l == pos;
        });
        if (fits) return std::vector<std::string>{neg, pos};
    }
    if (values.size() > 2) {
        errors.add(label.name, -1,
                   "has " + std::to_string(values.size()) +
                       " distinct labels but the table has one score column; "
                       "add one probability column per class or name the positive class");
        return std::nullopt;
    }
    std::sort(values.begin(), values.end()); // like scikit-learn: the greater label is the positive one
    if (values.size() == 1) values.insert(values.begin(), "not " + values.front());
    if (values.empty()) values = {"0", "1"};
    return values;
}

} // namespace

std::string EvaluationIssue::describe() const {
    std::string out = column.empty() ? std::string("table") : "column '" + column + "'";
    if (row >= 0) out += ", row " + std::to_string(row + 1);
    return out + ": " + message;
}

EvaluationResult extractEvaluationSet(const PredictionTable& table, const EvaluationOptions& options) {
    EvaluationResult result;
    Collector errors(result, std::max<std::size_t>(options.maxIssues, 1));
    const std::size_t rows = table.rows();
    for (const auto& c : table.columns)
        if (c.size() != rows)
            errors.add(c.name, -1,
                       "has " + std::to_string(c.size()) + " rows, expected " + std::to_string(rows));
    const PredictionColumn* label = table.find(ColumnRole::Label);
    std::vector<const PredictionColumn*> classCols;
    for (const auto& c : table.columns)
        if (c.role == ColumnRole::ClassScore) classCols.push_back(&c);
    const PredictionColumn* score = table.find(ColumnRole::Score);
    if (!label) errors.add("", -1, "no label column (expected one named label, target, y or y_true)");
    const PredictionColumn* prediction = table.find(ColumnRole::Prediction);
    if (!score && classCols.empty() && !prediction)
        errors.add("", -1,
                   "no score or prediction column (expected score, prob, probability, y_prob, y_score, p, "
                   "prob_<class>, pred, prediction or y_pred)");
    if (!result.ok()) return result;
    if (isRegressionTable(table)) {
        errors.add("", -1, std::string(kRegressionLogRefusal));
        return result;
    }

    EvaluationSet& set = result.set;
    const std::vector<std::string> aliases0 = {"false", "no", "neg", "negative", "-1"};
    const std::vector<std::string> aliases1 = {"true", "yes", "pos", "positive"};
    if (!score && classCols.empty()) {
        // Hard predictions only (a classifier without scores): classes from the labels and predictions.
        auto values = distinctValues(*label, rows);
        for (const auto& v : distinctValues(*prediction, rows))
            if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
        const bool zeroOne = std::all_of(values.begin(), values.end(), [](const std::string& v) {
            return v == "0" || v == "1" || v == "-1";
        });
        if (zeroOne || values.size() <= 2) {
            if (zeroOne) {
                set.classes = {"0", "1"};
            } else {
                auto classes = binaryClasses(*label, rows, options, errors);
                if (!classes) return result;
                set.classes = *classes;
                for (const auto& v : values)
                    if (std::find(set.classes.begin(), set.classes.end(), v) == set.classes.end() &&
                        set.classes.front().rfind("not ", 0) == 0)
                        set.classes.front() = v; // the other class appears only among the predictions
            }
            set.labels = mapToClasses(*label, rows, set.classes, aliases0, aliases1, errors, "label");
            set.predictions =
                mapToClasses(*prediction, rows, set.classes, aliases0, aliases1, errors, "prediction");
        } else {
            set.multiclass = true;
            std::sort(values.begin(), values.end());
            set.classes = values;
            set.labels = mapToClasses(*label, rows, set.classes, {}, {}, errors, "label");
            set.predictions = mapToClasses(*prediction, rows, set.classes, {}, {}, errors, "prediction");
        }
    } else if (score || classCols.size() == 2) {
        if (score) {
            auto classes = binaryClasses(*label, rows, options, errors);
            if (!classes) return result;
            set.classes = *classes;
            set.scores = readProbabilities(*score, rows, errors);
        } else {
            for (const auto* c : classCols)
                set.classes.push_back(c->className);
            int positive = 1;
            if (!options.positiveClass.empty() && options.positiveClass == set.classes[0]) positive = 0;
            auto probs = readProbabilities(*classCols[static_cast<std::size_t>(positive)], rows, errors);
            if (positive == 0) std::swap(set.classes[0], set.classes[1]);
            set.scores = std::move(probs);
        }
        const bool aliases = !options.positiveClass.empty() ? false : true;
        set.labels = mapToClasses(*label, rows, set.classes, aliases ? aliases0 : std::vector<std::string>{},
                                  aliases ? aliases1 : std::vector<std::string>{}, errors, "label");
        if (const auto* pred = table.find(ColumnRole::Prediction))
            set.predictions =
                mapToClasses(*pred, rows, set.classes, aliases0, aliases1, errors, "prediction");
    } else {
        set.multiclass = true;
        const std::size_t k = classCols.size();
        for (const auto* c : classCols)
            set.classes.push_back(c->className.empty() ? c->name : c->className);
        set.probs.assign(rows * k, 0.0);
        for (std::size_t j = 0; j < k; ++j) {
            const auto column = readProbabilities(*classCols[j], rows, errors);
            if (column.size() != rows) continue;
            for (std::size_t r = 0; r < rows; ++r)
                set.probs[r * k + j] = column[r];
        }
        set.labels = mapToClasses(*label, rows, set.classes, {}, {}, errors, "label");
        if (const auto* pred = table.find(ColumnRole::Prediction))
            set.predictions = mapToClasses(*pred, rows, set.classes, {}, {}, errors, "prediction");
    }
    if (rows == 0) errors.add("", -1, "has no rows");
    if (!result.ok()) result.set = EvaluationSet{};
    return result;
}

std::vector<int> predictedClasses(const EvaluationSet& set, double threshold) {
    if (!set.predictions.empty()) return set.predictions;
    std::vector<int> predicted(set.rows(), 0);
    const std::size_t k = set.classCount();
    for (std::size_t r = 0; r < set.rows(); ++r) {
        if (set.multiclass && k > 0 && (r + 1) * k <= set.probs.size()) {
            const double* p = set.probs.data() + r * k;
            predicted[r] = int(std::max_element(p, p + k) - p);
        } else if (!set.multiclass && r < set.scores.size()) {
            predicted[r] = set.scores[r] >= threshold ? 1 : 0;
        }
    }
    return predicted;
}

EvaluationSet evaluationRows(const EvaluationSet& e, std::span<const std::size_t> rows) {
    EvaluationSet out;
    out.multiclass = e.multiclass;
    out.classes = e.classes;
    const std::size_t k = e.classCount();
    for (const std::size_t r : rows) {
        out.labels.push_back(e.labels[r]);
        if (!e.scores.empty()) out.scores.push_back(e.scores[r]);
        if (!e.probs.empty())
            out.probs.insert(out.probs.end(), e.probs.begin() + std::ptrdiff_t(r * k),
                             e.probs.begin() + std::ptrdiff_t((r + 1) * k));
        if (!e.predictions.empty()) out.predictions.push_back(e.predictions[r]);
    }
    return out;
}

std::vector<double> classProbabilityRows(const EvaluationSet& set) {
    if (set.multiclass) return set.probs;
    std::vector<double> rows;
    rows.reserve(2 * set.scores.size());
    for (const double s : set.scores) {
        rows.push_back(1 - s);
        rows.push_back(s);
    }
    return rows;
}

std::vector<std::uint8_t> correctPerRow(const EvaluationSet& set, double threshold) {
    const auto predicted = predictedClasses(set, threshold);
    std::vector<std::uint8_t> correct(set.rows(), 0);
    for (std::size_t r = 0; r < set.rows(); ++r)
        correct[r] = predicted[r] == set.labels[r] ? 1 : 0;
    return correct;
}

std::string topClassText(const EvaluationSet& set, std::size_t row) {
    const std::size_t k = set.classCount();
    if (!set.multiclass || row >= set.rows() || set.probs.size() != set.rows() * k) return {};
    const double* p = set.probs.data() + row * k;
    const auto top = static_cast<std::size_t>(std::max_element(p, p + k) - p);
    char probability[32];
    std::snprintf(probability, sizeof probability, " (%.2f)", p[top]);
    return set.classes[top] + probability;
}

EvaluationSet oneVsRest(const EvaluationSet& set, std::size_t cls) {
    const std::size_t k = set.classCount();
    if (!set.multiclass || cls >= k) return set;
    EvaluationSet out;
    out.classes = {"not " + set.classes[cls], set.classes[cls]};
    out.labels.resize(set.rows());
    for (std::size_t r = 0; r < set.rows(); ++r)
        out.labels[r] = set.labels[r] == static_cast<int>(cls) ? 1 : 0;
    if (set.probs.size() == set.rows() * k) {
        out.scores.resize(set.rows());
        for (std::size_t r = 0; r < set.rows(); ++r)
            out.scores[r] = set.probs[r * k + cls];
    }
    if (!set.predictions.empty()) {
        out.predictions.resize(set.rows());
        for (std::size_t r = 0; r < set.rows(); ++r)
            out.predictions[r] = set.predictions[r] == static_cast<int>(cls) ? 1 : 0;
    }
    return out;
}

} // namespace runlens
