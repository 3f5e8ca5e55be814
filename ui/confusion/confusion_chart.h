// The confusion matrix as a chart: one shaded square per (true, predicted) cell with its value written in it.
#pragma once

#include <cstdint>
#include <QChart>
#include <QString>
#include <QStringList>
#include <vector>

namespace runlens::ui {

struct ConfusionChartInput {
    QStringList classes;              // k names, in index order
    std::vector<std::int64_t> counts; // k x k, row = true class
    std::vector<double> shown;        // k x k values drawn and written (counts or a normalisation)
    bool fractions = false;           // write shown values as 0.00 instead of whole numbers
};

// A new chart (caller owns it): true class on the vertical axis (first class at the top), predicted class
// along the bottom, each cell shaded by its share of the largest shown value and labelled with its value.
QChart* buildConfusionChart(const ConfusionChartInput& input, const QString& title);

} // namespace runlens::ui
