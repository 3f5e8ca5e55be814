// The Compare tab's Curves page: the runs' curves of one metric against step or another metric, or B - A on
// a common grid (core's curve_difference), drawn decimated.
#include "core/analysis/curve_difference.h"
#include "core/analysis/decimation.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/compare/compare_common.h"
#include "ui/compare/compare_view.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace runlens::ui {

using compare::writeRows;

namespace {

constexpr int kDrawPixels = 1600;

} // namespace

QWidget* CompareView::buildCurvesPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* bar = new QHBoxLayout;
    m_tagBox = new QComboBox(page);
    m_tagBox->setMinimumContentsLength(24);
    m_xBox = new QComboBox(page);
    m_xBox->setMinimumContentsLength(16);
    m_difference = new QCheckBox(tr("Difference &B − A"), page);
    m_difference->setToolTip(tr("Draw B minus A on a common grid (linear interpolation)"));
    auto* tagLabel = new QLabel(tr("&Metric:"), page);
    tagLabel->setBuddy(m_tagBox);
    auto* xLabel = new QLabel(tr("&X axis:"), page);
    xLabel->setBuddy(m_xBox);
    bar->addWidget(tagLabel);
    bar->addWidget(m_tagBox);
    bar->addWidget(xLabel);
    bar->addWidget(m_xBox);
    bar->addWidget(m_difference);
    bar->addStretch(1);
    bar->addWidget(exportButton(
        tr("curves"), [this](const QString& p, QString* e) { return exportCurveChart(p, e); },
        [this](const QString& p, QString* e) { return exportCurveCsv(p, e); }));
    layout->addLayout(bar);
    m_curveNote = new QLabel(page);
    m_curveNote->setWordWrap(true);
    m_curveNote->hide();
    layout->addWidget(m_curveNote);
    m_curveView = new InteractiveChartView(page);
    layout->addWidget(m_curveView, 1);
    connect(m_tagBox, &QComboBox::currentIndexChanged, this, &CompareView::refreshCurves);
    connect(m_xBox, &QComboBox::currentIndexChanged, this, &CompareView::refreshCurves);
    connect(m_difference, &QCheckBox::toggled, this, &CompareView::refreshCurves);
    return page;
}

void CompareView::refreshCurveChoices() {
    std::set<QString> tags;
    for (const auto& r : m_runs)
        for (const auto& s : r.series)
            tags.insert(QString::fromStdString(s.tag));
    const QString tag = m_tagBox->currentText(), x = m_xBox->currentData().toString();
    {
        const QSignalBlocker blockTag(m_tagBox), blockX(m_xBox);
        m_tagBox->clear();
        m_xBox->clear();
        m_xBox->addItem(tr("step"), QString());
        for (const QString& t : tags) {
            m_tagBox->addItem(t);
            m_xBox->addItem(t, t);
        }
        if (const int i = m_tagBox->findText(tag); i >= 0) m_tagBox->setCurrentIndex(i);
        if (const int i = m_xBox->findData(x); i >= 0) m_xBox->setCurrentIndex(i);
    }
    refreshCurves();
}

XYPoints CompareView::curveOf(std::int64_t runId, const QString& tag, const QString& xTag) const {
    XYPoints out;
    Workspace* ws = m_context->workspace();
    if (!ws) return out;
    try {
        const SeriesData y = ws->readSeries(runId, tag.toStdString());
        if (xTag.isEmpty()) return againstStep(y);
        // Another metric as x: pair the points logged at the same step (the last value of a step wins).
        out = pairByStep(ws->readSeries(runId, xTag.toStdString()), y);
    } catch (const WorkspaceError&) {
        out = {};
    }
    return out;
}

void CompareView::refreshCurves() {
    m_curveLines.clear();
    const QString tag = m_tagBox->currentText();
    const QString xTag = m_xBox->currentData().toString();
    m_curveXLabel = xTag.isEmpty() ? tr("step") : xTag;
    if (tag.isEmpty() || m_runs.size() < 2) {
        m_curveView->replaceChart(new QChart);
        return;
    }
    QString note;
    if (m_difference->isChecked()) {
        const XYPoints a = curveOf(m_runs[0].id, tag, xTag), b = curveOf(m_runs[1].id, tag, xTag);
        XYPoints diff = differenceOnGrid(a, b);
        if (diff.size() == 0)
            note = tr("A and B have no overlapping range of %1 for '%2'.").arg(m_curveXLabel, tag);
        m_curveLines.emplace_back(QStringLiteral("%1 − %2").arg(QString::fromStdString(m_runs[1].name),
                                                                QString::fromStdString(m_runs[0].name)),
                                  std::move(diff));
    } else {
        QStringList missing;
        for (const auto& r : m_runs) {
            XYPoints p = curveOf(r.id, tag, xTag);
            if (p.size() == 0) missing << QString::fromStdString(r.name);
            m_curveLines.emplace_back(QString::fromStdString(r.name), std::move(p));
        }
        if (!missing.isEmpty()) note = tr("No '%1' points in: %2").arg(tag, missing.join(", "));
    }
    m_curveNote->setText(note);
    m_curveNote->setVisible(!note.isEmpty());
    m_curveView->replaceChart(makeCurveChart(kDrawPixels));
}

QChart* CompareView::makeCurveChart(int pixels) const {
    CurveChartSpec spec;
    const QString tag = m_tagBox->currentText();
    const bool diff = m_difference->isChecked();
    spec.title = diff ? tr("%1: B − A").arg(tag) : tag;
    spec.xLabel = m_curveXLabel;
    spec.yLabel = diff ? tr("Δ %1").arg(tag) : tag;
    for (std::size_t i = 0; i < m_curveLines.size(); ++i) {
        const auto& [name, points] = m_curveLines[i];
        CurveLine line;
        line.runName = name;
        const std::size_t runIndex = diff ? 1 : i;
        line.color =
            runIndex < m_runs.size() ? m_context->runModel()->colorOf(m_runs[runIndex].id) : runColor(int(i));
        XYPoints drawn;
        if (points.size() > 0 && std::is_sorted(points.x.begin(), points.x.end()))
            drawn = decimateMinMax(points.x, points.y, points.x.front(), points.x.back(), pixels);
        else
            drawn =
                strideCurve(points, static_cast<std::size_t>(pixels) * 2); // a metric-vs-metric trajectory
        line.smoothX = std::move(drawn.x);
        line.smoothY = std::move(drawn.y);
        spec.lines.push_back(std::move(line));
    }
    return buildCurveChart(spec);
}

QChart* CompareView::curveChart() const {
    return m_curveView->chart();
}

bool CompareView::exportCurveChart(const QString& path, QString* error) const {
    if (m_curveLines.empty()) {
        if (error) *error = tr("no curve to export");
        return false;
    }
    std::unique_ptr<QChart> chart(makeCurveChart(1200));
    return exportChart(chart.get(), QSize(1200, 750), path, error);
}

bool CompareView::exportCurveCsv(const QString& path, QString* error) const {
    std::vector<QStringList> rows{{QStringLiteral("line"), m_curveXLabel, m_tagBox->currentText()}};
    for (const auto& [name, p] : m_curveLines)
        for (std::size_t i = 0; i < p.size(); ++i)
            rows.push_back({name, QString::number(p.x[i], 'g', 17), QString::number(p.y[i], 'g', 17)});
    return writeRows(path, rows, error);
}

} // namespace runlens::ui
