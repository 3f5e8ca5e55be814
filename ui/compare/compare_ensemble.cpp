// The Compare tab's Ensemble page: core's ensemble what-if of the compared runs, its correlation matrices and
// metrics table, and their CSV export.
#include "ui/compare/compare_ensemble.h"

#include "core/analysis/ensemble_members.h"
#include "ui/compare/compare_common.h"
#include "ui/compare/compare_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <QColor>
#include <QFont>
#include <QHBoxLayout>
#include <QLabel>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

using compare::makeTable;
using compare::num;
using compare::readOnlyItem;
using compare::writeRows;

namespace {

constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();

QColor correlationColor(double r) {
    if (std::isnan(r)) return {};
    // Stronger error correlation means less to gain from averaging: warmer colour.
    const int alpha = static_cast<int>(std::clamp(std::abs(r), 0.0, 1.0) * 150.0);
    return r >= 0 ? QColor(220, 80, 60, alpha) : QColor(60, 120, 220, alpha);
}

void fillMatrix(QTableWidget* table, const QStringList& names, const CorrelationMatrix& m) {
    table->clear();
    table->setRowCount(static_cast<int>(m.k));
    table->setColumnCount(static_cast<int>(m.k));
    table->setHorizontalHeaderLabels(names);
    table->setVerticalHeaderLabels(names);
    for (std::size_t i = 0; i < m.k; ++i) {
        for (std::size_t j = 0; j < m.k; ++j) {
            auto* item = readOnlyItem(num(m.at(i, j), 3));
            item->setTextAlignment(Qt::AlignCenter);
            if (const QColor c = correlationColor(m.at(i, j)); c.isValid()) item->setBackground(c);
            table->setItem(static_cast<int>(i), static_cast<int>(j), item);
        }
    }
}

const QStringList kMetricHeaders{"accuracy", "precision", "recall",  "f1",
                                 "log_loss", "brier",     "roc_auc", "average_precision"};

QStringList metricCells(const BinaryMetrics& m) {
    const double v[] = {m.accuracy, m.precision, m.recall, m.f1,
                        m.logLoss,  m.brier,     m.rocAuc, m.averagePrecision};
    QStringList out;
    for (double x : v)
        out << num(x, 6);
    return out;
}

// Multiclass in the same columns: macro precision, recall and F1, one-vs-rest macro AUC, no average
// precision.
QStringList metricCells(const MulticlassMetrics& m) {
    const double v[] = {m.accuracy, m.macro.precision, m.macro.recall,   m.macro.f1,
                        m.logLoss,  m.brier,           m.rocAucOvrMacro, kNaNd};
    QStringList out;
    for (double x : v)
        out << num(x, 6);
    return out;
}

// The ensemble panel's table, whichever kind the members are: one row per member, then the average and
// the vote.
struct EnsembleTable {
    std::vector<QStringList> rows;
    std::size_t members = 0;
    const CorrelationMatrix* errors = nullptr;
    const CorrelationMatrix* residuals = nullptr;
};

EnsembleTable ensembleTable(const PairedAnalysis& p) {
    EnsembleTable t;
    const auto fill = [&t](const auto& report) {
        for (const auto& m : report.members)
            t.rows.push_back(metricCells(m));
        t.members = report.members.size();
        t.rows.push_back(metricCells(report.average));
        t.rows.push_back(metricCells(report.majorityVote));
        t.errors = &report.errorCorrelation;
        t.residuals = &report.residualCorrelation;
    };
    if (p.ensembleMulticlass)
        fill(p.ensembleOfClasses);
    else
        fill(p.ensemble);
    return t;
}

} // namespace

// The ensemble what-if of core's ensembleOfRuns, with the note the Ensemble page shows above it.
void computeEnsemble(const std::vector<QString>& names,
                     const std::vector<std::shared_ptr<const PredictionTable>>& tables,
                     const std::vector<const EvaluationSet*>& sets, PairedAnalysis& out) {
    std::vector<EnsembleCandidate> candidates;
    for (std::size_t m = 0; m < sets.size(); ++m)
        candidates.push_back({names[m].toStdString(), tables[m].get(), sets[m]});
    EnsembleOfRuns result = ensembleOfRuns(candidates);
    out.ensembleMulticlass = result.multiclass;
    for (const auto& name : result.members)
        out.ensembleMembers << QString::fromStdString(name);
    out.ensemble = std::move(result.binary);
    out.ensemble.error = result.error;
    out.ensembleOfClasses = std::move(result.ofClasses);
    const QString kind = out.ensembleMulticlass ? QStringLiteral("class probabilities over the same classes")
                                                : QStringLiteral("binary scores");
    QStringList skipped;
    for (const auto& name : result.leftOut)
        skipped << QString::fromStdString(name);
    if (!skipped.isEmpty())
        out.ensembleNote =
            QStringLiteral("Left out (no %1, or unreadable): %2. ").arg(kind, skipped.join(", "));
    if (result.members.size() < 2) {
        out.ensembleNote +=
            QStringLiteral("An ensemble needs two or more runs with %1 on this set.").arg(kind);
        return;
    }
    if (out.ensembleMulticlass)
        out.ensembleNote +=
            QStringLiteral("Correct = the top class is the label; precision, recall and F1 are "
                           "macro averages, roc_auc one-vs-rest. ");
    out.ensembleNote +=
        QStringLiteral("%1 examples shared by all %2 members.").arg(result.shared).arg(result.members.size());
    if (result.labelDisagreements > 0)
        out.ensembleNote +=
            QStringLiteral(" Warning: %1 labels differ between members (the first run's are used).")
                .arg(result.labelDisagreements);
}

// ---------------------------------------------------------------------------------------------------------------

QWidget* CompareView::buildEnsemblePage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* bar = new QHBoxLayout;
    m_ensembleNote = new QLabel(page);
    m_ensembleNote->setWordWrap(true);
    bar->addWidget(m_ensembleNote, 1);
    bar->addWidget(exportButton(tr("ensemble"), nullptr,
                                [this](const QString& p, QString* e) { return exportEnsembleCsv(p, e); }));
    layout->addLayout(bar);
    auto* matrices = new QHBoxLayout;
    auto* errBox = new QVBoxLayout;
    m_errorCorrLabel = new QLabel(page);
    m_errorCorrLabel->setWordWrap(true);
    errBox->addWidget(m_errorCorrLabel);
    m_errorCorr = makeTable(page);
    errBox->addWidget(m_errorCorr);
    auto* resBox = new QVBoxLayout;
    m_residualCorrLabel = new QLabel(page);
    m_residualCorrLabel->setWordWrap(true);
    resBox->addWidget(m_residualCorrLabel);
    m_residualCorr = makeTable(page);
    resBox->addWidget(m_residualCorr);
    matrices->addLayout(errBox);
    matrices->addLayout(resBox);
    layout->addLayout(matrices, 1);
    m_ensembleMetricsLabel = new QLabel(page);
    m_ensembleMetricsLabel->setWordWrap(true);
    layout->addWidget(m_ensembleMetricsLabel);
    setEnsembleCaptions(false);
    m_ensembleMetrics = makeTable(page);
    layout->addWidget(m_ensembleMetrics, 1);
    return page;
}

void CompareView::clearEnsemble(const QString& note) {
    m_ensembleNote->setText(note);
    m_errorCorr->clear();
    m_residualCorr->clear();
    m_ensembleMetrics->clear();
    m_ensembleMetrics->setRowCount(0);
}

void CompareView::showEnsemble(const PairedAnalysis& p) {
    if (!p.ensemble.error.empty()) {
        clearEnsemble(p.ensembleNote);
        return;
    }
    m_ensembleNote->setText(
        tr("Ensemble of %1 on '%2'. %3").arg(p.ensembleMembers.join(", "), p.evalSet, p.ensembleNote));
    setEnsembleCaptions(p.ensembleMulticlass);
    const EnsembleTable table = ensembleTable(p);
    fillMatrix(m_errorCorr, p.ensembleMembers, *table.errors);
    fillMatrix(m_residualCorr, p.ensembleMembers, *table.residuals);
    m_ensembleMetrics->clear();
    m_ensembleMetrics->setColumnCount(static_cast<int>(kMetricHeaders.size()));
    m_ensembleMetrics->setHorizontalHeaderLabels(kMetricHeaders);
    QStringList rowNames = p.ensembleMembers;
    rowNames << (p.ensembleMulticlass ? tr("average of probabilities") : tr("average of scores"))
             << tr("majority vote");
    m_ensembleMetrics->setRowCount(static_cast<int>(rowNames.size()));
    m_ensembleMetrics->setVerticalHeaderLabels(rowNames);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const QStringList& cells = table.rows[r];
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = readOnlyItem(cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (r >= table.members) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_ensembleMetrics->setItem(static_cast<int>(r), c, item);
        }
    }
}

// What the matrices and the table are computed on, for binary or multiclass members.
void CompareView::setEnsembleCaptions(bool multiclass) {
    m_errorCorrLabel->setText(multiclass
                                  ? tr("Correlation of errors (Pearson on 0/1 indicators that the top class "
                                       "is wrong): low is good for averaging")
                                  : tr("Correlation of errors (Pearson on 0/1 error indicators at 0.5): low "
                                       "is good for averaging"));
    m_residualCorrLabel->setText(multiclass
                                     ? tr("Correlation of residuals (1 − probability of the true class)")
                                     : tr("Correlation of residuals (label − score)"));
    m_ensembleMetricsLabel->setText(
        multiclass
            ? tr("Metrics of each member, their averaged class probabilities and their plurality vote (a "
                 "tie goes to the class the average ranks first; the vote's probability metrics use the "
                 "share of votes per class)")
            : tr("Metrics of each member, their averaged scores and their majority vote (a tie goes to the "
                 "average; the vote's score metrics use the share of votes)"));
}

bool CompareView::exportEnsembleCsv(const QString& path, QString* error) const {
    if (!m_paired || !m_paired->ensemble.error.empty()) {
        if (error) *error = tr("no ensemble to export");
        return false;
    }
    const PairedAnalysis& p = *m_paired;
    std::vector<QStringList> rows;
    QStringList header{QStringLiteral("model")};
    header << kMetricHeaders;
    rows.push_back(header);
    const EnsembleTable table = ensembleTable(p);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const QString name = r < table.members    ? p.ensembleMembers[static_cast<int>(r)]
                             : r == table.members ? QStringLiteral("average")
                                                  : QStringLiteral("majority_vote");
        rows.push_back(QStringList{name} + table.rows[r]);
    }
    const std::pair<const char*, const CorrelationMatrix*> matrices[] = {
        {"error_correlation", table.errors}, {"residual_correlation", table.residuals}};
    for (const auto& [name, m] : matrices) {
        rows.push_back({});
        rows.push_back(QStringList{QString::fromLatin1(name)} + p.ensembleMembers);
        for (std::size_t i = 0; i < m->k; ++i) {
            QStringList cells{p.ensembleMembers[static_cast<int>(i)]};
            for (std::size_t j = 0; j < m->k; ++j)
                cells << QString::number(m->at(i, j), 'g', 17);
            rows.push_back(cells);
        }
    }
    return writeRows(path, rows, error);
}

} // namespace runlens::ui
