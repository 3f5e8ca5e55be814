// The run table's name column: the disclosure mark that expands a distributed run into its workers (by
// mouse or the arrow keys), indentation of worker rows, and names elided to the part that tells them apart.
#include "ui/runs/run_table_model.h"

#include <QApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTableView>

namespace runlens::ui {

namespace {

constexpr int kWorkerIndent = 18;

bool isWorkerRow(const QModelIndex& index) {
    return index.data(RunTableModel::WorkerRole).toInt() >= 0;
}

QStyleOptionViewItem indented(const QStyleOptionViewItem& option, const QModelIndex& index) {
    QStyleOptionViewItem shifted = option;
    if (index.column() == RunTableModel::kNameColumn && isWorkerRow(index))
        shifted.rect.adjust(kWorkerIndent, 0, 0, 0);
    return shifted;
}

void toggle(RunTableModel* model, const QModelIndex& index) {
    const qint64 runId = index.data(RunTableModel::RunIdRole).toLongLong();
    model->setExpanded(runId, !model->isExpanded(runId));
}

// Right expands, Left collapses (from a worker row: collapses its run and moves to it), and double-clicking
// a run's name toggles it.
class ExpansionKeys : public QObject {
  public:
    ExpansionKeys(QTableView* view, RunTableModel* model) : QObject(view), m_view(view), m_model(model) {}

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched != m_view || event->type() != QEvent::KeyPress) return false;
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() != Qt::NoModifier && key->modifiers() != Qt::KeypadModifier) return false;
        if (key->key() != Qt::Key_Right && key->key() != Qt::Key_Left) return false;
        const QModelIndex current = m_view->currentIndex();
        if (!current.isValid()) return false;
        const qint64 runId = current.data(RunTableModel::RunIdRole).toLongLong();
        if (!m_model->hasWorkers(runId)) return false;
        const bool expand = key->key() == Qt::Key_Right;
        if (isWorkerRow(current)) {
            if (expand) return false;
            collapseTo(current, runId);
            return true;
        }
        if (m_model->isExpanded(runId) == expand) return false;
        m_model->setExpanded(runId, expand);
        return true;
    }

  private:
    void collapseTo(const QModelIndex& workerIndex, qint64 runId) {
        const int column = workerIndex.column();
        m_model->setExpanded(runId, false);
        QAbstractItemModel* viewModel = m_view->model();
        for (int row = 0; row < viewModel->rowCount(); ++row) {
            const QModelIndex candidate = viewModel->index(row, column);
            if (candidate.data(RunTableModel::RunIdRole).toLongLong() == runId) {
                m_view->setCurrentIndex(candidate);
                return;
            }
        }
    }

    QTableView* m_view;
    RunTableModel* m_model;
};

} // namespace

RunNameDelegate::RunNameDelegate(RunTableModel* model, QObject* parent)
    : QStyledItemDelegate(parent), m_model(model) {}

void RunNameDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() != RunTableModel::kNameColumn || isWorkerRow(index)) return;
    const QString full = index.data(RunTableModel::SortRole).toString(); // the run's name
    const QString shorter = m_model->distinctName(index.data(RunTableModel::RunIdRole).toLongLong());
    if (shorter == full || !option->text.contains(full)) return;
    const QWidget* widget = option->widget;
    const QStyle* style = widget ? widget->style() : QApplication::style();
    const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, option, widget);
    if (option->fontMetrics.horizontalAdvance(option->text) <= text.width()) return;
    option->text.replace(full, QStringLiteral("\u2026/") + shorter);
}

QRect RunNameDelegate::disclosureRect(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    if (index.column() != RunTableModel::kNameColumn || isWorkerRow(index)) return {};
    if (!m_model->hasWorkers(index.data(RunTableModel::RunIdRole).toLongLong())) return {};
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget* widget = opt.widget;
    const QStyle* style = widget ? widget->style() : QApplication::style();
    const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const int width = opt.fontMetrics.horizontalAdvance(kCollapsedRunMark) + 2 * margin;
    return {text.left(), text.top(), width, text.height()};
}

void RunNameDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
    if (index.column() != RunTableModel::kNameColumn || !isWorkerRow(index)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The background (selection, alternate rows) spans the whole cell; only the content moves right.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    background.icon = {};
    background.features &= ~(QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::HasDecoration |
                             QStyleOptionViewItem::HasDisplay);
    const QWidget* widget = option.widget;
    const QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);
    QStyledItemDelegate::paint(painter, indented(option, index), index);
}

bool RunNameDelegate::editorEvent(QEvent* event, QAbstractItemModel* model,
                                  const QStyleOptionViewItem& option, const QModelIndex& index) {
    const bool release = event->type() == QEvent::MouseButtonRelease;
    if ((release || event->type() == QEvent::MouseButtonPress) &&
        static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
        const QPoint pos = static_cast<QMouseEvent*>(event)->position().toPoint();
        if (disclosureRect(option, index).contains(pos)) {
            // Toggle on release, like the check box; the press still selects the row.
            if (release) toggle(m_model, index);
            return release;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, indented(option, index), index);
}

void enableWorkerExpansion(QTableView* view, RunTableModel* model) {
    view->setItemDelegateForColumn(RunTableModel::kNameColumn, new RunNameDelegate(model, view));
    view->installEventFilter(new ExpansionKeys(view, model));
    QObject::connect(view, &QAbstractItemView::doubleClicked, model, [model](const QModelIndex& index) {
        if (index.column() != RunTableModel::kNameColumn || isWorkerRow(index)) return;
        if (model->hasWorkers(index.data(RunTableModel::RunIdRole).toLongLong())) toggle(model, index);
    });
}

} // namespace runlens::ui
