// The Compare tab's Runs page: the keyed diff of the compared runs' params, tags, provenance and metrics, and
// the comparability warnings above it.
#pragma once

#include "core/model/run.h"
#include "core/store/workspace.h"

#include <optional>
#include <QAbstractTableModel>
#include <QStringList>
#include <vector>

namespace runlens::ui {

// One key of the run diff with each run's value (missing: nullopt) and its number when it parses.
struct DiffRow {
    QString section; // "Provenance", "Param", "Tag" or "Metric"
    QString key;
    std::vector<std::optional<QString>> values;
    std::vector<double> numbers; // NaN when missing or not a number
    bool differs = false;
};

// Params, tags, provenance and per-series last/min/max of the runs, keyed and aligned.
std::vector<DiffRow> buildRunDiff(const std::vector<RunInfo>& runs);

// core's comparabilityWarnings (the same sentences `runlens diff` prints) for the tab's banner; evalSets[i]
// are run i's prediction tables.
QStringList comparabilityWarnings(const std::vector<RunInfo>& runs,
                                  const std::vector<std::vector<PredictionTableInfo>>& evalSets);

class RunDiffModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    static constexpr int kSectionColumn = 0;
    static constexpr int kKeyColumn = 1;
    static constexpr int kFirstRunColumn = 2;

    explicit RunDiffModel(QObject* parent = nullptr);
    void setDiff(std::vector<DiffRow> rows, QStringList runNames);
    void setOnlyDifferences(bool only);
    bool onlyDifferences() const { return m_onlyDiffs; }
    bool hasDeltaColumns() const { return m_runNames.size() == 2; }
    const DiffRow& rowAt(int row) const { return m_rows[m_shown[static_cast<std::size_t>(row)]]; }
    int rowOf(const QString& section, const QString& key) const; // -1 when not shown
    bool writeCsv(const QString& path, QString* error) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    void refilter();
    QString cellText(const DiffRow& row, int column) const;

    std::vector<DiffRow> m_rows;
    std::vector<std::size_t> m_shown;
    QStringList m_runNames;
    bool m_onlyDiffs = true;
};

} // namespace runlens::ui
