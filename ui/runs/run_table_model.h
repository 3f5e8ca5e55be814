// Item model of the run table (colour, visibility, name, chosen params and last metric values per run, with
// expandable rows for the workers of a distributed run) and the delegate that draws and toggles them.
#pragma once

#include "core/analysis/run_health.h"
#include "core/model/run.h"

#include <cstdint>
#include <map>
#include <optional>
#include <QAbstractTableModel>
#include <QColor>
#include <QString>
#include <QStringList>
#include <QStyledItemDelegate>
#include <set>
#include <utility>
#include <vector>

class QTableView;

namespace runlens::ui {

// A column after the name: a param value or the last value of a metric series.
// The disclosure marks before a distributed run's name: the model writes them, the name delegate sizes its
// click target by them.
inline const QString kCollapsedRunMark = QStringLiteral("\u25B8 "); // ▸
inline const QString kExpandedRunMark = QStringLiteral("\u25BE ");  // ▾

struct RunColumn {
    enum class Kind { Param, Metric, Health };
    Kind kind = Kind::Param;
    QString key;
    bool operator==(const RunColumn& other) const { return kind == other.kind && key == other.key; }
};

// The model stays flat: one row per run, plus one row per worker directly below an expanded distributed run
// (core/io/worker_runs.h folds workers into one run with params "worker_<N>" and tags "<tag>/worker_<N>").
// runs() and visibleRuns() stay run-level; runAt() maps a worker row to its run.
class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Role {
        RunIdRole = Qt::UserRole + 1,
        SortRole,       // double for numbers, QString otherwise, invalid when missing
        FilterTextRole, // name plus "key=value" of every param, for the regex filter
        ColorRole,
        WorkerRole, // int: the worker number of a worker row, -1 for a run row
    };
    static constexpr int kNameColumn = 0;
    static constexpr int kMaxDefaultParams = 6;
    static constexpr int kMaxDefaultMetrics = 4;

    explicit RunTableModel(QObject* parent = nullptr);

    // Replaces the runs. Visibility, colours and expansion stay with run names across reloads; new runs are
    // visible and collapsed.
    void setRuns(std::vector<RunInfo> runs);
    const std::vector<RunInfo>& runs() const { return m_runs; }
    const RunInfo* runAt(int row) const; // the parent run for a worker row
    int rowOfRun(std::int64_t runId) const;

    QColor colorOf(std::int64_t runId) const;
    // The run's name cut to the part that tells it from the other runs ("…/gbm_n002000_seed0"); the name
    // itself when nothing shorter does.
    QString distinctName(std::int64_t runId) const;
    bool isVisible(std::int64_t runId) const;
    void setRunVisible(std::int64_t runId, bool visible);
    void setAllVisible(bool visible);
    std::vector<const RunInfo*> visibleRuns() const; // in model order, without the ones filtered out
    // Runs the run filter keeps out of the charts and views (their check boxes are untouched); emits
    // visibilityChanged() when the set changes.
    void setFilteredOut(std::set<std::string> names);

    // Workers of a distributed run. A worker's own check box is independent of its run's: a worker curve
    // is meant to be drawn when both are checked.
    bool hasWorkers(std::int64_t runId) const;
    std::vector<int> workersOf(std::int64_t runId) const; // sorted worker numbers
    bool isExpanded(std::int64_t runId) const;
    void setExpanded(std::int64_t runId, bool expanded); // emits visibilityChanged()
    bool isWorkerVisible(std::int64_t runId, int worker) const;
    void setWorkerVisible(std::int64_t runId, int worker, bool visible); // emits visibilityChanged()
    QColor workerColor(std::int64_t runId, int worker) const;
    int workerAt(int row) const; // worker number of a worker row, -1 for run rows
    int
    parentRowOf(int row) const; // the row of a worker row's run; a run row's own row; -1 when out of range

    // Columns the user can show: every param key and every metric tag of any run.
    QStringList paramKeys() const { return m_paramKeys; }
    QStringList metricTags() const { return m_metricTags; }
    // metricTags() with worker tags "<tag>/worker_<N>" folded into "<tag>": the metric columns to offer.
    QStringList metricColumnTags() const { return m_columnTags; }
    const std::vector<RunColumn>& columns() const { return m_columns; }
    bool hasColumn(const RunColumn& column) const;
    void setColumnShown(const RunColumn& column, bool shown);

    // A param value or last metric value by (normalised) name, for the expression filter. A distributed run
    // without the metric itself uses the mean of its workers' last values.
    static QString normalizedKey(const QString& key);
    std::optional<double> numericValue(const RunInfo& run, const QString& normalized) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Training diagnostics per run (core/analysis/run_health.h), shown in a "Health" column that appears
    // when some run has a badge (unless the user removed it). Kept by run name across reloads.
    void setHealth(const std::map<std::int64_t, std::vector<HealthBadge>>& health);
    std::vector<HealthBadge> healthOf(std::int64_t runId) const;
    static RunColumn healthColumn() { return {RunColumn::Kind::Health, QStringLiteral("Health")}; }

  signals:
    void visibilityChanged();
    void healthChanged(); // new diagnostics arrived

  private:
    struct RowRef {
        int run = 0;     // index into m_runs
        int worker = -1; // worker number, -1 for the run's own row
    };

    int runIndexOf(std::int64_t runId) const;
    void assignColors(); // m_colors for m_runs, from each run name's palette slot
    void rebuildRows();
    QVariant runData(const QModelIndex& index, int runIndex, int role) const;
    QVariant workerData(const QModelIndex& index, int runIndex, int worker, int role) const;
    QVariant cellValue(const RunInfo& run, const RunColumn& column, int role) const;
    QVariant healthValue(const RunInfo& run, int role) const;
    QVariant metricValue(const RunInfo& run, const std::string& tag, int role) const;
    std::optional<double> workerMean(const RunInfo& run, const std::string& tag) const;
    QString filterText(const RunInfo& run) const;
    void chooseDefaultColumns();

    std::vector<RunInfo> m_runs;
    std::vector<QColor> m_colors;                          // per run
    std::vector<QString> m_distinctNames;                  // per run, see distinctName
    std::vector<std::vector<int>> m_workers;               // per run, sorted worker numbers
    std::vector<RowRef> m_rows;                            // the flat rows
    std::vector<int> m_runRows;                            // per run, its row
    std::set<std::string> m_hidden;                        // by run name, so hiding survives a reload
    std::set<std::string> m_filteredOut;                   // by run name: not matching the run filter
    std::set<std::string> m_expanded;                      // by run name, like m_hidden
    std::set<std::pair<std::string, int>> m_hiddenWorkers; // (run name, worker)
    std::map<std::string, QColor> m_colorByName;           // a run keeps its colour across reloads
    QStringList m_paramKeys;
    QStringList m_metricTags;
    QStringList m_columnTags;
    std::vector<RunColumn> m_columns;
    std::map<std::string, std::vector<HealthBadge>> m_health; // by run name
    bool m_userRemovedHealth = false;
    bool m_userChoseColumns = false;
};

// Draws the name column with worker rows indented, and expands or collapses a run when its disclosure mark
// is clicked. Works on any view whose model is the RunTableModel or a proxy of it.
class RunNameDelegate : public QStyledItemDelegate {
  public:
    RunNameDelegate(RunTableModel* model, QObject* parent = nullptr);

    // Where the disclosure mark of a run row is drawn (empty for rows without one).
    QRect disclosureRect(const QStyleOptionViewItem& option, const QModelIndex& index) const;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

  protected:
    // A name too long for the column shows the part that tells it apart; Qt elides what is still too long.
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

  private:
    RunTableModel* m_model;
};

// Installs the expand/collapse affordances on the run table: the delegate above on the name column,
// Right/Left keys, and double-clicking a run's name.
void enableWorkerExpansion(QTableView* view, RunTableModel* model);

} // namespace runlens::ui
