// Loads the committed evaluation fixtures (tests/data/eval/*.csv) for the metric tests.
#pragma once

#include <cmath>
#include <fstream>
#include <QtTest>
#include <sstream>
#include <string>
#include <vector>

namespace runlens::testutil {

struct BinaryFixture {
    std::vector<int> labels;
    std::vector<double> scores;
};

struct IrisFixture {
    std::vector<int> labels; // 0 setosa, 1 versicolor, 2 virginica
    std::vector<double> probs;
    static constexpr std::size_t k = 3;
};

inline std::vector<std::string> splitComma(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    std::string cell;
    while (std::getline(in, cell, ','))
        out.push_back(cell);
    return out;
}

// The fixture files are plain comma-separated without quotes (written by tests/tools/gen_sklearn_refs.py).
inline BinaryFixture loadBreastCancer() {
    BinaryFixture f;
    std::ifstream in(RUNLENS_TEST_DATA "/eval/breast_cancer_predictions.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        const auto cells = splitComma(line);
        f.labels.push_back(std::stoi(cells.at(1)));
        f.scores.push_back(std::strtod(cells.at(2).c_str(), nullptr));
    }
    return f;
}

inline IrisFixture loadIris() {
    IrisFixture f;
    std::ifstream in(RUNLENS_TEST_DATA "/eval/iris_predictions.csv");
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> names = {"setosa", "versicolor", "virginica"};
    while (std::getline(in, line)) {
        const auto cells = splitComma(line);
        f.labels.push_back(int(std::find(names.begin(), names.end(), cells.at(1)) - names.begin()));
        for (int c = 0; c < 3; ++c)
            f.probs.push_back(std::strtod(cells.at(2 + c).c_str(), nullptr));
    }
    return f;
}

// |actual - expected| <= tol (default 1e-9, the agreement the brief asks of scikit-learn's values).
inline bool near(double actual, double expected, double tol = 1e-9) {
    if (std::isnan(expected)) return std::isnan(actual);
    return std::fabs(actual - expected) <= tol;
}

} // namespace runlens::testutil

#define RL_COMPARE_NEAR(actual, expected, tol)                                                               \
    do {                                                                                                     \
        const double a_ = (actual), e_ = (expected);                                                         \
        if (!runlens::testutil::near(a_, e_, (tol)))                                                         \
            QFAIL(qPrintable(QStringLiteral("%1 = %2, expected %3 (tol %4)")                                 \
                                 .arg(#actual)                                                               \
                                 .arg(a_, 0, 'g', 17)                                                        \
                                 .arg(e_, 0, 'g', 17)                                                        \
                                 .arg(double(tol))));                                                        \
    } while (0)
