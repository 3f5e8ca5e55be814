// Lists and loads the evaluation sets (prediction tables) of the visible runs for the evaluation views.
#pragma once

#include "core/analysis/evaluation_set.h"
#include "core/model/prediction_table.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <QColor>
#include <QPoint>
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

class QChart;
class QComboBox;
class QLabel;
class QMenu;
class QObject;
class QTimer;
class QToolButton;
class QWidget;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class RunTableModel;

// One prediction table of one run; table and set are filled by EvaluationSource::load.
struct EvaluationEntry {
    std::int64_t runId = 0;
    QString runName;
    QColor color;
    std::int64_t tableId = 0;
    QString tableName; // evaluation set name, e.g. "val"
    std::int64_t rows = 0;
    std::shared_ptr<const PredictionTable> table;
    std::shared_ptr<const EvaluationSet> set; // empty (no rows) when extraction failed
    QString errors;                           // extraction problems, one per line; empty when fine

    QString label() const { return runName + " / " + tableName; } // "run / set", for combo boxes
    bool loaded() const { return table != nullptr; }
    bool usable() const { return set && set->rows() > 0 && set->hasScores(); }
};

// Reads prediction tables through the workspace on the GUI thread and caches them by table id, so
// switching views or controls does not read the same blobs again.
class EvaluationSource {
  public:
    EvaluationSource() = default;

    void setWorkspace(const Workspace* workspace); // drops the cache
    const Workspace* workspace() const { return m_workspace; }
    void invalidate(); // the workspace's runs changed

    // The evaluation sets of the visible runs (run table order), not yet loaded.
    std::vector<EvaluationEntry> list(const RunTableModel& runs) const;
    // Fills table/set/errors; returns false (with errors set) when the table cannot be read.
    bool load(EvaluationEntry& entry);
    // list + load in one go.
    std::vector<EvaluationEntry> loadVisible(const RunTableModel& runs);

    // Distinct set names among entries, in first-seen order.
    static QStringList setNames(const std::vector<EvaluationEntry>& entries);
    // The one-line hint views show when no evaluation set is available.
    static QString emptyHint();
    // The entries' extraction errors for a notice: up to five lines, then "… and N more"; empty when none.
    static QString errorSummary(const std::vector<EvaluationEntry>& entries);

  private:
    struct Cached {
        std::shared_ptr<const PredictionTable> table;
        std::shared_ptr<const EvaluationSet> set;
        QString errors;
    };
    const Workspace* m_workspace = nullptr;
    std::map<std::int64_t, Cached> m_cache;
};

class ViewContext;

// The centred, wrapping label a view shows instead of its content while there is nothing to show.
QLabel* newEmptyHint(const QString& text, const QString& objectName);
// Replaces combo's items without emitting its change signals, keeping the chosen text when it is still among
// them (else the first item), so a reload of the runs keeps what the user picked.
void refillCombo(QComboBox* combo, const QStringList& items);

// Keeps source on the window's workspace and calls reload whenever the workspace, its runs or the visible
// runs change (dropping the source's cache when the runs change), and once now. receiver ends the
// connections.
void followVisibleEvaluations(ViewContext* viewContext, QObject* receiver, EvaluationSource& source,
                              const std::function<void()>& reload);
// followVisibleEvaluations for a view whose controls restart a computation, called once its widgets are
// built: debounce (made single-shot, 40 ms) calls start.
void followEvaluationsDebounced(ViewContext* viewContext, QObject* receiver, EvaluationSource& source,
                                QTimer* debounce, const std::function<void()>& start,
                                const std::function<void()>& reload);

// Text of an extraction result's problems: one described issue per line plus a count of the rest.
QString describeEvaluationErrors(const EvaluationResult& result, const QString& where);

// What an evaluation chart can export: a fresh chart (deleted after writing) and its data as CSV files.
struct ChartExportSpec {
    QString baseName;                                              // suggested file name without suffix
    std::function<QChart*()> buildChart;                           // a new chart of what is shown
    std::vector<std::pair<QString, std::function<QString()>>> csv; // menu text -> CSV text
};
// The menu of an export button or context menu: PNG / SVG / PDF of the chart and each CSV, via file dialogs.
QMenu* buildExportMenu(QWidget* parent, const ChartExportSpec& spec);
// Shows that menu at globalPos. Every export popup goes through here: a menu deleted on close is freed while
// its entry's file dialog still runs (heap corruption after the file was written), so the previous popup is
// deleted only when the next one opens.
void popupExportMenu(QWidget* anchor, const ChartExportSpec& spec, const QPoint& globalPos);
// Makes button an "Export…" button of that menu, which also pops up on a right click on chartView; the menu
// is built from spec when asked for, so it always exports what is shown now. owner ends the connections.
void attachExportMenu(QToolButton* button, QWidget* chartView, QWidget* owner,
                      std::function<ChartExportSpec()> spec);
// A view's "Export…" button, disabled until the view enables it; a click pops that menu up under it for the
// spec as it is then. context ends the connection.
QToolButton* newExportButton(const QString& toolTip, QObject* context, std::function<ChartExportSpec()> spec);
// Writes the spec's chart to path (.png/.svg/.pdf) at 1200x800; false with error on failure.
bool exportSpecImage(const ChartExportSpec& spec, const QString& path, QString* error);
// A view's exportImage: exportSpecImage while the view shows a result (shown), else false with nothing
// ("no regression chart to export") as the error.
bool exportShownImage(bool shown, const ChartExportSpec& spec, const QString& nothing, const QString& path,
                      QString* error);
bool writeTextFile(const QString& path, const QString& text, QString* error);
// csvField of a core (UTF-8) string, such as a run or group name.
QString csvText(const std::string& text);
// A number for tables and CSV: fixed digits, "n/a" when not finite.
QString formatMetric(double value, int digits = 4);
// A rate as a percentage with one decimal ("12.5%"), "n/a" when not finite; with its interval
// ("12.5% [4.6%, 29.9%]").
QString percentText(double rate);
QString rateWithInterval(double rate, double low, double high);

} // namespace runlens::ui
