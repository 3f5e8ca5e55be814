// The Trade-offs tab's charts: ROC, precision-recall, expected cost and risk-coverage with the threshold
// markers, and each chart's data as CSV and as an export (split from tradeoff_view.cpp).
#include "core/analysis/multiclass_metrics.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"
#include "ui/tradeoffs/tradeoff_cost.h"
#include "ui/tradeoffs/tradeoff_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMenu>
#include <QPushButton>
#include <QScatterSeries>
#include <QSlider>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QTimer>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

namespace runlens::ui {
namespace {

constexpr std::size_t kMaxDrawnPoints = 2000;
constexpr int kCostGridSteps = 500;

// Every index when small, else an even stride that keeps the first and last point.
std::vector<std::size_t> strideIndices(std::size_t size, std::size_t maxPoints) {
    std::vector<std::size_t> out;
    if (size == 0) return out;
    if (size <= maxPoints) {
        out.resize(size);
        for (std::size_t i = 0; i < size; ++i)
            out[i] = i;
        return out;
    }
    const double step = double(size - 1) / double(maxPoints - 1);
    for (std::size_t i = 0; i < maxPoints; ++i)
        out.push_back(static_cast<std::size_t>(std::llround(i * step)));
    return out;
}

// An axis title in the regular weight the curve cards use: Qt's bold default elides "true positive rate" on
// the ROC chart's short y axis at 1280x800.
void setPlainTitle(QAbstractAxis* axis, const QString& title) {
    QFont font = axis->titleFont();
    font.setBold(false);
    axis->setTitleFont(font);
    axis->setTitleText(title);
}

QValueAxis* unitAxis(const QString& title) {
    auto* axis = new QValueAxis;
    axis->setRange(0, 1);
    axis->setTickCount(6);
    axis->setLabelFormat("%.1f");
    setPlainTitle(axis, title);
    return axis;
}

void addSeries(QChart* chart, QAbstractSeries* series, bool inLegend) {
    chart->addSeries(series);
    for (QAbstractAxis* axis : chart->axes())
        series->attachAxis(axis);
    if (!inLegend)
        for (auto* m : chart->legend()->markers(series))
            m->setVisible(false);
}

QScatterSeries* markerSeries(const QColor& color, int runIndex) {
    auto* marker = new QScatterSeries;
    marker->setColor(color);
    marker->setBorderColor(QColor(30, 30, 30));
    marker->setMarkerSize(12);
    marker->setProperty("runIndex", runIndex);
    return marker;
}

} // namespace

QPointF TradeoffView::markerPoint(ChartKind kind, int runIndex) const {
    if (runIndex < 0 || runIndex >= static_cast<int>(m_runs.size())) return {};
    const TradeoffRun& run = m_runs[static_cast<std::size_t>(runIndex)];
    switch (kind) {
    case ChartKind::Roc: {
        const auto p = pointAt(run, m_threshold);
        return {p.fpr, p.recall};
    }
    case ChartKind::Pr: {
        const auto p = pointAt(run, m_threshold);
        // With nothing predicted positive precision is undefined; scikit-learn's curve ends at precision 1.
        const bool none = p.confusion.tp + p.confusion.fp == 0;
        return {p.recall, none ? 1.0 : p.precision};
    }
    case ChartKind::Cost: {
        const auto p = pointAt(run, m_threshold);
        return {m_threshold,
                costPerExample(p, m_costFp->value(), m_costFn->value(), run.positives + run.negatives)};
    }
    case ChartKind::RiskCoverage: {
        const auto r = accuracyAtCoverage(run.riskCoverage, m_coverage->value() / 100.0);
        return r ? QPointF(r->coverage, 1.0 - r->accuracy) : QPointF();
    }
    }
    return {};
}

void TradeoffView::updateMarkers() {
    for (int k = 0; k < 4; ++k)
        for (QScatterSeries* marker : m_markers[static_cast<std::size_t>(k)])
            marker->replace(
                QList<QPointF>{markerPoint(static_cast<ChartKind>(k), marker->property("runIndex").toInt())});
}

QChart* TradeoffView::makeChart(ChartKind kind, std::vector<QScatterSeries*>* markers) const {
    auto* chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    const int focus = focusIndex();
    auto addMarker = [&](const QColor& color, int runIndex) {
        auto* marker = markerSeries(color, runIndex);
        marker->append(markerPoint(kind, runIndex));
        addSeries(chart, marker, false);
        if (markers) markers->push_back(marker);
    };
    if (kind == ChartKind::Roc || kind == ChartKind::Pr) {
        const bool roc = kind == ChartKind::Roc;
        chart->setTitle(roc ? "ROC curve" : "Precision-recall curve");
        chart->addAxis(unitAxis(roc ? "false positive rate" : "recall"), Qt::AlignBottom);
        chart->addAxis(unitAxis(roc ? "true positive rate" : "precision"), Qt::AlignLeft);
        // A bottom row of "evaluation/churn_v1 (AUC 0.812)" entries elided every name to "evaluation/…": the
        // legend stands on the right, and the runs' shared leading path is left out of their names.
        chart->legend()->setAlignment(Qt::AlignRight);
        QStringList shortNames;
        for (const auto& run : m_runs)
            shortNames << run.name;
        shortNames = shortRunNames(shortNames);
        // Baselines beside the curves, in the legend, so a curve is read against what a useless model gets:
        // random scores trace the diagonal on ROC (AUC 0.5); on PR any constant score has precision equal to
        // the prevalence at every recall, so AP of the prior is the prevalence.
        if (roc) {
            auto* chance = new QLineSeries;
            chance->setObjectName("rocRandomBaseline");
            chance->setName("random (AUC 0.5)");
            chance->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
            chance->append(0, 0);
            chance->append(1, 1);
            addSeries(chart, chance, true);
        } else {
            // One line per distinct prevalence: runs on the same examples share it, and the run is named only
            // when the runs' priors differ.
            std::vector<std::pair<double, std::size_t>> priors; // prevalence, index of its first run
            for (std::size_t k = 0; k < m_runs.size(); ++k) {
                const TradeoffRun& run = m_runs[k];
                const std::int64_t n = run.positives + run.negatives;
                if (!run.binary || n == 0) continue;
                const double prior = double(run.positives) / double(n);
                if (std::none_of(priors.begin(), priors.end(),
                                 [&](const auto& p) { return p.first == prior; }))
                    priors.emplace_back(prior, k);
            }
            for (const auto& [prior, k] : priors) {
                auto* line = new QLineSeries;
                line->setObjectName("prPriorBaseline");
                line->setProperty("prior", prior);
                const QString value = QString::number(prior, 'g', 3);
                line->setName(priors.size() > 1
                                  ? QString("prior %1 (%2)").arg(value, shortNames.value(int(k)))
                                  : QString("prior %1").arg(value));
                line->setPen(
                    QPen(priors.size() > 1 ? m_runs[k].color : QColor(120, 120, 120), 1, Qt::DashLine));
                line->append(0, prior);
                line->append(1, prior);
                addSeries(chart, line, true);
            }
        }
        for (int i = 0; i < static_cast<int>(m_runs.size()); ++i) {
            const auto& run = m_runs[static_cast<std::size_t>(i)];
            if (!run.binary) continue;
            auto* line = new QLineSeries;
            line->setPen(QPen(run.color, i == focus ? 2.5 : 1.5));
            const auto& xs = roc ? run.roc.fpr : run.pr.recall;
            const auto& ys = roc ? run.roc.tpr : run.pr.precision;
            QList<QPointF> points;
            for (auto idx : strideIndices(xs.size(), kMaxDrawnPoints))
                points.append({xs[idx], ys[idx]});
            line->replace(points);
            const QString name = shortNames.value(i, run.name);
            line->setName(roc ? QString("%1 (AUC %2)").arg(name).arg(run.rocAuc, 0, 'f', 3)
                              : QString("%1 (AP %2)").arg(name).arg(run.averagePrecision, 0, 'f', 3));
            line->setProperty("runName", run.name); // the full name, for tooltips and tests
            addSeries(chart, line, true);
        }
        for (int i = 0; i < static_cast<int>(m_runs.size()); ++i)
            if (m_runs[static_cast<std::size_t>(i)].binary)
                addMarker(m_runs[static_cast<std::size_t>(i)].color, i);
        return chart;
    }
    if (kind == ChartKind::Cost) {
        chart->setTitle(QString("Expected cost per example (false positive %1, false negative %2)")
                            .arg(m_costFp->value())
                            .arg(m_costFn->value()));
        chart->addAxis(unitAxis("threshold"), Qt::AlignBottom);
        auto* y = new QValueAxis;
        setPlainTitle(y,
                      "cost"); // the chart title says "per example": the full text elides on its short axis
        chart->addAxis(y, Qt::AlignLeft);
        const TradeoffRun* run = focusRun();
        if (!run || !run->binary) return chart;
        auto* line = new QLineSeries;
        line->setName(run->name);
        line->setPen(QPen(run->color, 2));
        const std::int64_t n = run->positives + run->negatives;
        double maxCost = 0;
        QList<QPointF> points;
        for (int s = 0; s <= kCostGridSteps; ++s) {
            const double t = double(s) / kCostGridSteps;
            const double cost = costPerExample(pointAt(*run, t), m_costFp->value(), m_costFn->value(), n);
            maxCost = std::max(maxCost, cost);
            points.append({t, cost});
        }
        line->replace(points);
        y->setRange(0, maxCost > 0 ? maxCost * 1.05 : 1);
        y->applyNiceNumbers();
        addSeries(chart, line, true);
        if (const auto choice = cheapest()) {
            auto* best = new QScatterSeries;
            best->setName("cheapest threshold");
            best->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            best->setColor(QColor(40, 160, 60));
            best->setMarkerSize(11);
            best->append(std::isfinite(choice->threshold) ? std::min(choice->threshold, 1.0) : 1.0,
                         choice->costPerExample);
            addSeries(chart, best, true);
        }
        addMarker(run->color, focus);
        return chart;
    }
    chart->setTitle("Risk-coverage (answer the most confident first)");
    chart->addAxis(unitAxis("coverage (share answered)"), Qt::AlignBottom);
    auto* y = new QValueAxis;
    setPlainTitle(y, "risk (error rate of the answered)");
    y->setLabelFormat("%.2f");
    chart->addAxis(y, Qt::AlignLeft);
    double maxRisk = 0;
    for (const auto& run : m_runs) {
        auto* line = new QLineSeries;
        line->setPen(QPen(run.color, 2));
        line->setName(QString("%1 (AURC %2)").arg(run.name).arg(run.riskCoverage.aurc, 0, 'f', 4));
        const auto& pts = run.riskCoverage.points;
        QList<QPointF> points;
        for (auto idx : strideIndices(pts.size(), kMaxDrawnPoints)) {
            points.append({pts[idx].coverage, pts[idx].risk});
            maxRisk = std::max(maxRisk, pts[idx].risk);
        }
        line->replace(points);
        addSeries(chart, line, true);
    }
    y->setRange(0, maxRisk > 0 ? maxRisk * 1.1 : 1);
    y->applyNiceNumbers();
    if (focus >= 0) addMarker(m_runs[static_cast<std::size_t>(focus)].color, focus);
    return chart;
}

void TradeoffView::rebuildCharts() {
    const std::pair<ChartKind, InteractiveChartView*> views[] = {{ChartKind::Roc, m_rocView},
                                                                 {ChartKind::Pr, m_prView},
                                                                 {ChartKind::Cost, m_costView},
                                                                 {ChartKind::RiskCoverage, m_rcView}};
    for (const auto& [kind, view] : views) {
        auto& markers = m_markers[static_cast<std::size_t>(kind)];
        markers.clear();
        view->replaceChart(makeChart(kind, &markers));
    }
}

void TradeoffView::updateCostChart() {
    auto& markers = m_markers[static_cast<std::size_t>(ChartKind::Cost)];
    markers.clear();
    m_costView->replaceChart(makeChart(ChartKind::Cost, &markers));
}

QString TradeoffView::chartCsv(ChartKind kind) const {
    QString csv;
    auto num = [](double v) { return std::isfinite(v) ? QString::number(v, 'g', 17) : QString(); };
    switch (kind) {
    case ChartKind::Roc:
        csv = "run,threshold,fpr,tpr\n";
        for (const auto& run : m_runs)
            for (std::size_t i = 0; i < run.roc.fpr.size(); ++i)
                csv += QString("%1,%2,%3,%4\n")
                           .arg(csvField(run.name), num(run.roc.thresholds[i]), num(run.roc.fpr[i]),
                                num(run.roc.tpr[i]));
        break;
    case ChartKind::Pr:
        csv = "run,threshold,precision,recall\n";
        for (const auto& run : m_runs)
            for (std::size_t i = 0; i < run.pr.precision.size(); ++i)
                csv += QString("%1,%2,%3,%4\n")
                           .arg(csvField(run.name),
                                i < run.pr.thresholds.size() ? num(run.pr.thresholds[i]) : QString(),
                                num(run.pr.precision[i]), num(run.pr.recall[i]));
        break;
    case ChartKind::Cost: {
        csv = "run,threshold,false_positives,false_negatives,cost_per_example\n";
        const TradeoffRun* run = focusRun();
        if (!run || !run->binary) break;
        for (int s = 0; s <= kCostGridSteps; ++s) {
            const double t = double(s) / kCostGridSteps;
            const auto p = pointAt(*run, t);
            csv += QString("%1,%2,%3,%4,%5\n")
                       .arg(csvField(run->name), num(t))
                       .arg(p.confusion.fp)
                       .arg(p.confusion.fn)
                       .arg(num(costPerExample(p, m_costFp->value(), m_costFn->value(),
                                               run->positives + run->negatives)));
        }
        break;
    }
    case ChartKind::RiskCoverage:
        csv = "run,threshold,answered,errors,coverage,risk\n";
        for (const auto& run : m_runs)
            for (const auto& p : run.riskCoverage.points)
                csv += QString("%1,%2,%3,%4,%5,%6\n")
                           .arg(csvField(run.name), num(p.threshold))
                           .arg(p.answered)
                           .arg(p.errors)
                           .arg(num(p.coverage), num(p.risk));
        break;
    }
    return csv;
}

ChartExportSpec TradeoffView::exportSpec(ChartKind kind) const {
    static const char* names[] = {"roc", "precision-recall", "expected-cost", "risk-coverage"};
    ChartExportSpec spec;
    spec.baseName = QString("%1-%2").arg(names[static_cast<int>(kind)], m_setCombo->currentText());
    spec.buildChart = [this, kind] { return makeChart(kind); };
    const QString csv = chartCsv(kind);
    spec.csv.emplace_back("Export data as CSV…", [csv] { return csv; });
    return spec;
}

bool TradeoffView::exportChartImage(ChartKind kind, const QString& path, QString* error) const {
    if (m_runs.empty()) {
        if (error) *error = "no chart to export";
        return false;
    }
    return exportSpecImage(exportSpec(kind), path, error);
}

} // namespace runlens::ui
