// Implements the run table's filter (regex or comparison expression) and its number-aware sort order.
#include "ui/runs/run_filter.h"

#include "ui/runs/run_table_model.h"

#include <cmath>

namespace runlens::ui {

bool parseRunConditions(const QString& text, std::vector<RunCondition>& out) {
    static const QRegularExpression clause(QStringLiteral(
        R"(^\s*([A-Za-z_][\w/.\-]*)\s*(<=|>=|==|!=|<|>|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$)"));
    static const QRegularExpression andSplit(QStringLiteral(R"(\s+and\s+|\s*&&\s*)"),
                                             QRegularExpression::CaseInsensitiveOption);
    out.clear();
    if (text.trimmed().isEmpty()) return false;
    for (const QString& part : text.split(andSplit)) {
        const QRegularExpressionMatch match = clause.match(part);
        if (!match.hasMatch()) return false;
        QString op = match.captured(2);
        if (op == QLatin1String("=")) op = QStringLiteral("==");
        out.push_back({RunTableModel::normalizedKey(match.captured(1)), op, match.captured(3).toDouble()});
    }
    return true;
}

namespace {

bool holds(const RunCondition& condition, double value) {
    if (std::isnan(value)) return false;
    if (condition.op == QLatin1String("<")) return value < condition.value;
    if (condition.op == QLatin1String("<=")) return value <= condition.value;
    if (condition.op == QLatin1String(">")) return value > condition.value;
    if (condition.op == QLatin1String(">=")) return value >= condition.value;
    if (condition.op == QLatin1String("!=")) return value != condition.value;
    return value == condition.value;
}

} // namespace

RunFilterProxy::RunFilterProxy(RunTableModel* source, QObject* parent)
    : QSortFilterProxyModel(parent), m_source(source) {
    setSourceModel(source);
    setSortRole(RunTableModel::SortRole);
    setDynamicSortFilter(true);
}

bool RunFilterProxy::setFilterText(const QString& text) {
    m_error.clear();
    m_conditions.clear();
    m_regex.reset();
    if (!parseRunConditions(text, m_conditions) && !text.isEmpty()) {
        m_conditions.clear();
        std::string error;
        m_regex = NamePattern::compile(text.toStdString(), true, error);
        if (!m_regex) m_error = QString::fromStdString(error);
    }
    invalidateFilter();
    return m_error.isEmpty();
}

// A worker row follows its run: the filter judges runs only.
bool RunFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const RunInfo* run = m_source->runAt(sourceRow);
    if (!run) return false;
    const int parentRow = m_source->parentRowOf(sourceRow);
    if (parentRow != sourceRow) return filterAcceptsRow(parentRow, sourceParent);
    if (!m_conditions.empty()) {
        for (const RunCondition& condition : m_conditions) {
            const auto value = m_source->numericValue(*run, condition.key);
            if (!value || !holds(condition, *value)) return false;
        }
        return true;
    }
    if (!m_regex) return true;
    const QString text = m_source->index(sourceRow, 0).data(RunTableModel::FilterTextRole).toString();
    return m_regex->search(text.toStdString());
}

// Rows of different runs compare by their runs' values (ties keep model order, so a run's rows never
// interleave with another's); within one run the run row comes first and its workers follow in order. The
// descending sort asks lessThan(right, left), hence the flip for rows of one run and for ties.
bool RunFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const bool ascending = sortOrder() == Qt::AscendingOrder;
    const int leftRun = m_source->parentRowOf(left.row());
    const int rightRun = m_source->parentRowOf(right.row());
    if (leftRun == rightRun) {
        const int leftWorker = m_source->workerAt(left.row());
        const int rightWorker = m_source->workerAt(right.row());
        return ascending ? leftWorker < rightWorker : rightWorker < leftWorker;
    }
    const QModelIndex a = left.sibling(leftRun, left.column());
    const QModelIndex b = right.sibling(rightRun, right.column());
    if (valueLess(a, b)) return true;
    if (valueLess(b, a)) return false;
    return ascending ? leftRun < rightRun : rightRun < leftRun;
}

// Numbers sort numerically and before text; missing values and NaN sort last in ascending order.
bool RunFilterProxy::valueLess(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    const bool aNumber = a.typeId() == QMetaType::Double && !std::isnan(a.toDouble());
    const bool bNumber = b.typeId() == QMetaType::Double && !std::isnan(b.toDouble());
    const bool aMissing = !a.isValid() || (a.typeId() == QMetaType::Double && !aNumber);
    const bool bMissing = !b.isValid() || (b.typeId() == QMetaType::Double && !bNumber);
    if (aMissing != bMissing) return bMissing;
    if (aMissing) return false;
    if (aNumber && bNumber) return a.toDouble() < b.toDouble();
    if (aNumber != bNumber) return aNumber;
    return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
}

} // namespace runlens::ui
