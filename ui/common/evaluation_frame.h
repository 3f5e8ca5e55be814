// The frame the Calibration and Trade-offs tabs lay their content in: the empty hint or the content, with a
// notice of the evaluation sets that could not be read under it.
#pragma once

#include "ui/common/evaluation_source.h"

#include <QString>
#include <vector>

class QLabel;
class QStackedWidget;
class QVBoxLayout;
class QWidget;

namespace runlens::ui {

struct EvaluationFrame {
    QStackedWidget* stack; // page 0 the empty hint, page 1 the content
    QLabel* emptyHint;
    QLabel* errors; // the red notice under the content, hidden while there are no errors
};

// Lays view out as that frame around content, appending the errors notice to contentLayout (content's).
EvaluationFrame layOutEvaluationFrame(QWidget* view, QWidget* content, QVBoxLayout* contentLayout,
                                      const QString& emptyHintName);
// Shows the entries' extraction errors in the notice, and the empty hint when there are no entries.
void showEvaluationEntries(QLabel* errors, QStackedWidget* stack,
                           const std::vector<EvaluationEntry>& entries);

} // namespace runlens::ui
