// Lists the visible runs' prediction tables and loads them as validated evaluation sets, with a cache.
#include "ui/common/evaluation_source.h"

#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"

#include <cmath>
#include <exception>
#include <memory>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>
#include <unordered_map>

namespace runlens::ui {

void EvaluationSource::setWorkspace(const Workspace* workspace) {
    m_workspace = workspace;
    m_cache.clear();
}

void EvaluationSource::invalidate() {
    m_cache.clear();
}

std::vector<EvaluationEntry> EvaluationSource::list(const RunTableModel& runs) const {
    std::vector<EvaluationEntry> entries;
    if (!m_workspace) return entries;
    // One query for every run's tables, then the visible runs in table order.
    std::unordered_map<std::int64_t, std::vector<PredictionTableInfo>> byRun;
    try {
        for (PredictionTableInfo& info : m_workspace->allPredictionTables())
            byRun[info.runId].push_back(std::move(info));
    } catch (const std::exception&) {
        return entries; // tables that cannot be listed are simply not offered
    }
    for (const RunInfo* run : runs.visibleRuns()) {
        const auto tables = byRun.find(run->id);
        if (tables == byRun.end()) continue;
        for (const auto& info : tables->second) {
            EvaluationEntry entry;
            entry.runId = run->id;
            entry.runName = QString::fromStdString(run->name);
            entry.color = runs.colorOf(run->id);
            entry.tableId = info.id;
            entry.tableName = QString::fromStdString(info.name);
            entry.rows = info.rows;
            entries.push_back(std::move(entry));
        }
    }
    return entries;
}

QLabel* newEmptyHint(const QString& text, const QString& objectName) {
    auto* label = new QLabel(text);
    label->setObjectName(objectName);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    return label;
}

void refillCombo(QComboBox* combo, const QStringList& items) {
    const QString current = combo->currentText();
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItems(items);
    const int keep = combo->findText(current);
    combo->setCurrentIndex(keep >= 0 ? keep : 0);
}

void followVisibleEvaluations(ViewContext* viewContext, QObject* receiver, EvaluationSource& source,
                              const std::function<void()>& reload) {
    QObject::connect(viewContext, &ViewContext::workspaceChanged, receiver,
                     [&source, reload](Workspace* workspace) {
                         source.setWorkspace(workspace);
                         reload();
                     });
    QObject::connect(viewContext, &ViewContext::runsChanged, receiver, [&source, reload] {
        source.invalidate();
        reload();
    });
    QObject::connect(viewContext->runModel(), &RunTableModel::visibilityChanged, receiver, reload);
    QObject::connect(viewContext->runModel(), &QAbstractItemModel::modelReset, receiver, reload);
    source.setWorkspace(viewContext->workspace());
    reload();
}

void followEvaluationsDebounced(ViewContext* viewContext, QObject* receiver, EvaluationSource& source,
                                QTimer* debounce, const std::function<void()>& start,
                                const std::function<void()>& reload) {
    debounce->setSingleShot(true);
    debounce->setInterval(40);
    QObject::connect(debounce, &QTimer::timeout, receiver, start);
    followVisibleEvaluations(viewContext, receiver, source, reload);
}

QString describeEvaluationErrors(const EvaluationResult& result, const QString& where) {
    QStringList lines;
    for (const auto& issue : result.errors)
        lines << QString("%1: %2").arg(where, QString::fromStdString(issue.describe()));
    if (result.suppressedErrors > 0)
        lines << QString("%1: %2 more problems not shown").arg(where).arg(result.suppressedErrors);
    return lines.join('\n');
}

bool EvaluationSource::load(EvaluationEntry& entry) {
    if (!m_workspace) return false;
    if (auto it = m_cache.find(entry.tableId); it != m_cache.end()) {
        entry.table = it->second.table;
        entry.set = it->second.set;
        entry.errors = it->second.errors;
        return entry.errors.isEmpty();
    }
    Cached cached;
    try {
        auto table = std::make_shared<PredictionTable>(m_workspace->readPredictions(entry.tableId));
        auto result = extractEvaluationSet(*table);
        cached.errors = describeEvaluationErrors(result, entry.label());
        cached.set = std::make_shared<const EvaluationSet>(std::move(result.set));
        cached.table = std::move(table);
    } catch (const std::exception& e) {
        cached.errors = QString("%1: cannot read the table: %2").arg(entry.label(), e.what());
        cached.table = std::make_shared<const PredictionTable>();
        cached.set = std::make_shared<const EvaluationSet>();
    }
    if (cached.errors.isEmpty() && !cached.set->hasScores())
        cached.errors = QString("%1: has no score or probability column").arg(entry.label());
    entry.table = cached.table;
    entry.set = cached.set;
    entry.errors = cached.errors;
    m_cache.emplace(entry.tableId, std::move(cached));
    return entry.errors.isEmpty();
}

std::vector<EvaluationEntry> EvaluationSource::loadVisible(const RunTableModel& runs) {
    auto entries = list(runs);
    for (auto& entry : entries)
        load(entry);
    return entries;
}

QStringList EvaluationSource::setNames(const std::vector<EvaluationEntry>& entries) {
    QStringList names;
    for (const auto& e : entries)
        if (!names.contains(e.tableName)) names << e.tableName;
    return names;
}

QString EvaluationSource::errorSummary(const std::vector<EvaluationEntry>& entries) {
    QStringList errors;
    for (const auto& e : entries)
        if (!e.errors.isEmpty()) errors << e.errors;
    if (errors.size() > 6) {
        const auto more = errors.size() - 5;
        errors = errors.mid(0, 5);
        errors << QString("… and %1 more").arg(more);
    }
    return errors.join('\n');
}

QString EvaluationSource::emptyHint() {
    return "No evaluation sets yet: drop a predictions_*.csv onto a run, or import a run folder that holds "
           "one.";
}

bool writeTextFile(const QString& path, const QString& text, QString* error) {
    return writeWholeFile(path, text.toUtf8(), error);
}

bool exportSpecImage(const ChartExportSpec& spec, const QString& path, QString* error) {
    if (!spec.buildChart) {
        if (error) *error = "nothing to export";
        return false;
    }
    const std::unique_ptr<QChart> chart(spec.buildChart());
    return exportChart(chart.get(), QSize(1200, 800), path, error);
}

bool exportShownImage(bool shown, const ChartExportSpec& spec, const QString& nothing, const QString& path,
                      QString* error) {
    if (!shown) {
        if (error) *error = nothing;
        return false;
    }
    return exportSpecImage(spec, path, error);
}

QMenu* buildExportMenu(QWidget* parent, const ChartExportSpec& spec) {
    auto* menu = new QMenu(parent);
    auto report = [parent](const QString& error) { QMessageBox::warning(parent, "Export failed", error); };
    for (const char* format : {"png", "svg", "pdf"}) {
        const QString suffix = QString::fromLatin1(format);
        menu->addAction(QString("Export chart as %1…").arg(suffix.toUpper()), parent, [=] {
            const QString path =
                QFileDialog::getSaveFileName(parent, "Export chart", spec.baseName + "." + suffix,
                                             QString("%1 (*.%2)").arg(suffix.toUpper(), suffix));
            if (path.isEmpty()) return;
            QString error;
            if (!exportSpecImage(spec, path, &error)) report(error);
        });
    }
    if (!spec.csv.empty()) menu->addSeparator();
    for (const auto& [text, make] : spec.csv) {
        menu->addAction(text, parent, [=, make = make] {
            const QString path =
                QFileDialog::getSaveFileName(parent, "Export data", spec.baseName + ".csv", "CSV (*.csv)");
            if (path.isEmpty()) return;
            QString error;
            if (!writeTextFile(path, make(), &error)) report(error);
        });
    }
    return menu;
}

void popupExportMenu(QWidget* anchor, const ChartExportSpec& spec, const QPoint& globalPos) {
    for (QMenu* old : anchor->findChildren<QMenu*>("exportPopup", Qt::FindDirectChildrenOnly))
        old->deleteLater();
    QMenu* menu = buildExportMenu(anchor, spec);
    menu->setObjectName("exportPopup");
    menu->popup(globalPos);
}

namespace {

// A click on button pops the export menu up under it, for the spec as it is then.
void popupOnClick(QToolButton* button, QObject* context, std::function<ChartExportSpec()> spec) {
    QObject::connect(button, &QToolButton::clicked, context, [button, spec = std::move(spec)] {
        popupExportMenu(button, spec(), button->mapToGlobal(QPoint(0, button->height())));
    });
}

} // namespace

void attachExportMenu(QToolButton* button, QWidget* chartView, QWidget* owner,
                      std::function<ChartExportSpec()> spec) {
    button->setText(QObject::tr("Export…"));
    button->setToolTip(QObject::tr("Export the chart as PNG, SVG or PDF, or its data as CSV"));
    popupOnClick(button, owner, spec);
    chartView->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(chartView, &QWidget::customContextMenuRequested, owner,
                     [chartView, spec = std::move(spec)](const QPoint& pos) {
                         popupExportMenu(chartView, spec(), chartView->mapToGlobal(pos));
                     });
}

QToolButton* newExportButton(const QString& toolTip, QObject* context,
                             std::function<ChartExportSpec()> spec) {
    auto* button = new QToolButton;
    button->setEnabled(false);
    button->setText(QObject::tr("Export…"));
    button->setToolTip(toolTip);
    popupOnClick(button, context, std::move(spec));
    return button;
}

QString csvText(const std::string& text) {
    return csvField(QString::fromStdString(text));
}

QString formatMetric(double value, int digits) {
    if (!std::isfinite(value)) return "n/a";
    return QString::number(value, 'f', digits);
}

QString percentText(double rate) {
    return std::isfinite(rate) ? QString::number(100.0 * rate, 'f', 1) + '%' : QStringLiteral("n/a");
}

QString rateWithInterval(double rate, double low, double high) {
    return QString("%1 [%2, %3]").arg(percentText(rate), percentText(low), percentText(high));
}

} // namespace runlens::ui
