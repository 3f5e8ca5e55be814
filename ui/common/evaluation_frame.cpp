// The frame of the Calibration and Trade-offs tabs: empty hint, content and the errors notice under it.
#include "ui/common/evaluation_frame.h"

#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace runlens::ui {

EvaluationFrame layOutEvaluationFrame(QWidget* view, QWidget* content, QVBoxLayout* contentLayout,
                                      const QString& emptyHintName) {
    EvaluationFrame frame;
    auto* layout = new QVBoxLayout(view);
    frame.stack = new QStackedWidget;
    frame.emptyHint = newEmptyHint(EvaluationSource::emptyHint(), emptyHintName);
    frame.stack->addWidget(frame.emptyHint);
    frame.errors = new QLabel;
    frame.errors->setWordWrap(true);
    frame.errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    frame.errors->setStyleSheet("color: #b03030;");
    frame.errors->hide();
    contentLayout->addWidget(frame.errors);
    frame.stack->addWidget(content);
    layout->addWidget(frame.stack);
    return frame;
}

void showEvaluationEntries(QLabel* errors, QStackedWidget* stack,
                           const std::vector<EvaluationEntry>& entries) {
    const QString text = EvaluationSource::errorSummary(entries);
    errors->setText(text);
    errors->setVisible(!text.isEmpty());
    stack->setCurrentIndex(entries.empty() ? 0 : 1);
}

} // namespace runlens::ui
