// Sort and filter proxy of the run table: numeric sorting that keeps worker rows under their run, and a regex
// or `lr < 0.01 and val_loss < 0.3` filter.
#pragma once

#include "core/model/name_pattern.h"

#include <optional>
#include <QSortFilterProxyModel>
#include <QString>
#include <vector>

namespace runlens::ui {

class RunTableModel;

// One comparison of the expression filter, e.g. `lr < 0.01`.
struct RunCondition {
    QString key; // normalised (RunTableModel::normalizedKey)
    QString op;  // < <= > >= == !=
    double value = 0;
};

// Parses `key op number [and key op number]...`; false when the text is not such an expression.
bool parseRunConditions(const QString& text, std::vector<RunCondition>& out);

class RunFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit RunFilterProxy(RunTableModel* source, QObject* parent = nullptr);

    // An expression when the text parses as one, else a case-insensitive regular expression over names
    // and params. Returns false (and keeps every row) when the text is an invalid regular expression.
    bool setFilterText(const QString& text);
    QString filterError() const { return m_error; }

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

  private:
    bool valueLess(const QModelIndex& left, const QModelIndex& right) const;

    RunTableModel* m_source;
    std::optional<NamePattern> m_regex; // linear time, so no name or pattern can freeze the window
    std::vector<RunCondition> m_conditions;
    QString m_error;
};

} // namespace runlens::ui
