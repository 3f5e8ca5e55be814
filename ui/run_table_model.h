// Item model of the run table: colour, visibility, name, chosen params and last metric values per run.
#pragma once

#include "core/model/run.h"

#include <cstdint>
#include <map>
#include <optional>
#include <QAbstractTableModel>
#include <QColor>
#include <QString>
#include <QStringList>
#include <set>
#include <vector>

namespace runlens::ui {

// A column after the name: a param value or the last value of a metric series.
struct RunColumn {
    enum class Kind { Param, Metric };
    Kind kind = Kind::Param;
    QString key;
    bool operator==(const RunColumn& other) const { return kind == other.kind && key == other.key; }
};

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Role {
        RunIdRole = Qt::UserRole + 1,
        SortRole,       // double for numbers, QString otherwise, invalid when missing
        FilterTextRole, // name plus "key=value" of every param, for the regex filter
        ColorRole,
    };
    static constexpr int kNameColumn = 0;
    static constexpr int kMaxDefaultParams = 6;
    static constexpr int kMaxDefaultMetrics = 4;

    explicit RunTableModel(QObject* parent = nullptr);

    // Replaces the runs. Visibility and colours stay with run names across reloads; new runs are visible.
    void setRuns(std::vector<RunInfo> runs);
    const std::vector<RunInfo>& runs() const { return m_runs; }
    const RunInfo* runAt(int row) const;
    int rowOfRun(std::int64_t runId) const;

    QColor colorOf(std::int64_t runId) const;
    bool isVisible(std::int64_t runId) const;
    void setRunVisible(std::int64_t runId, bool visible);
    void setAllVisible(bool visible);
    std::vector<const RunInfo*> visibleRuns() const; // in model order

    // Columns the user can show: every param key and every metric tag of any run.
    QStringList paramKeys() const { return m_paramKeys; }
    QStringList metricTags() const { return m_metricTags; }
    const std::vector<RunColumn>& columns() const { return m_columns; }
    bool hasColumn(const RunColumn& column) const;
    void setColumnShown(const RunColumn& column, bool shown);

    // A param value or last metric value by (normalised) name, for the expression filter.
    static QString normalizedKey(const QString& key);
    std::optional<double> numericValue(const RunInfo& run, const QString& normalized) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  signals:
    void visibilityChanged();

  private:
    QVariant cellValue(const RunInfo& run, const RunColumn& column, int role) const;
    void chooseDefaultColumns();

    std::vector<RunInfo> m_runs;
    std::vector<QColor> m_colors;
    std::set<std::string> m_hidden;              // by run name, so hiding survives a reload
    std::map<std::string, QColor> m_colorByName; // a run keeps its colour across reloads
    int m_nextColor = 0;
    QStringList m_paramKeys;
    QStringList m_metricTags;
    std::vector<RunColumn> m_columns;
    bool m_userChoseColumns = false;
};

} // namespace runlens::ui
