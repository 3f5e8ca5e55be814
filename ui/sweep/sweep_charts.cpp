// Sweep tab, the charts and exports: the scatter of the metric against a param, the best-so-far chart, and
// every panel's image and CSV exports (split from sweep_view.cpp, which reduces the runs, ranks them and
// links the brushes).
#include "core/analysis/best_so_far.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/sweep/parallel_coordinates.h"
#include "ui/sweep/sweep_param_number.h"
#include "ui/sweep/sweep_view.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QScatterSeries>
#include <QToolButton>
#include <QValueAxis>

namespace runlens::ui {

namespace {

const QSize kExportSize(1100, 650);
const QColor kSelectedColor(0x4E79A7);
const QColor kFadedColor(190, 190, 190);

// Learning-rate-like params span orders of magnitude: log x when positive over more than two decades, or
// over one decade when the name says learning rate / weight decay.
bool wantsLogX(const QString& name, double lo, double hi) {
    if (!(lo > 0) || !(hi > lo)) return false;
    const double decades = std::log10(hi / lo);
    const QString key = name.toLower();
    const bool rateLike = key == QLatin1String("lr") || key.contains(QLatin1String("learning_rate")) ||
                          key.contains(QLatin1String("weight_decay")) || key.endsWith(QLatin1String("_lr"));
    return decades > 2 || (rateLike && decades >= 1);
}

// Run names always in quotes, so a spreadsheet never reads one as a number or a date.
QString quoted(const QString& text) {
    return csvField(text, CsvQuoting::Always);
}

QString numberText(double value) {
    return QString::number(value, 'g', 17);
}

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

QChart* newChart(const QString& title) {
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setTitle(title);
    chart->setMargins(QMargins(6, 4, 16, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

QValueAxis* valueAxis(double lo, double hi, const QString& title) {
    auto* axis = new QValueAxis;
    const double pad = hi > lo ? (hi - lo) * 0.06 : std::max(std::abs(lo) * 0.1, 0.5);
    axis->setRange(lo - pad, hi + pad);
    axis->applyNiceNumbers();
    axis->setTitleText(title);
    return axis;
}

} // namespace

QChart* SweepView::makeScatterChart() const {
    const QString param = m_param->currentText();
    const QString metric = m_metric->currentText();
    QChart* chart = newChart(param.isEmpty() ? tr("No numeric param varies across these runs")
                                             : tr("%1 against %2").arg(metric, param));
    const qsizetype column = m_paramKeys.indexOf(param);
    const bool brushed = m_parallel->hasBrush();
    auto* inside = new QScatterSeries;
    auto* outside = new QScatterSeries;
    inside->setName(brushed ? tr("brushed runs") : tr("runs"));
    outside->setName(tr("brushed out"));
    inside->setColor(kSelectedColor);
    inside->setBorderColor(kSelectedColor.darker(140));
    inside->setMarkerSize(brushed ? 12 : 10);
    outside->setColor(kFadedColor);
    outside->setBorderColor(kFadedColor);
    outside->setMarkerSize(7);
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (std::size_t r = 0; r < m_runs.size() && column >= 0; ++r) {
        const auto x = sweepParamNumber(m_runs[r].params[static_cast<std::size_t>(column)]);
        if (!x) continue;
        const bool in = r >= m_selected.size() || m_selected[r];
        (in ? inside : outside)->append(*x, m_runs[r].value);
        xlo = std::min(xlo, *x), xhi = std::max(xhi, *x);
        ylo = std::min(ylo, m_runs[r].value), yhi = std::max(yhi, m_runs[r].value);
    }
    if (xlo > xhi) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
    QAbstractAxis* xAxis = nullptr;
    if (wantsLogX(param, xlo, xhi)) {
        auto* log = new QLogValueAxis;
        log->setBase(10);
        log->setLabelFormat(QStringLiteral("%g"));
        // A margin so the extreme points are not cut in half by the plot edge.
        log->setRange(xlo / 1.6, xhi * 1.6);
        log->setMinorTickCount(8);
        log->setTitleText(param + tr(" (log scale)"));
        xAxis = log;
    } else {
        xAxis = valueAxis(xlo, xhi, param);
    }
    QAbstractAxis* yAxis = valueAxis(ylo, yhi, metric);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    // Faded points first so the highlighted ones are drawn over them.
    attach(chart, outside, xAxis, yAxis);
    attach(chart, inside, xAxis, yAxis);
    if (!brushed) chart->legend()->hide();
    return chart;
}

void SweepView::rebuildScatter() {
    m_scatter->replaceChart(makeScatterChart());
}

std::vector<std::pair<double, const SweepRun*>> SweepView::bestOrder() const {
    std::vector<std::pair<double, const SweepRun*>> order;
    if (m_order->currentIndex() == 1) {
        for (const auto& run : m_runs)
            if (std::isfinite(run.startTime)) order.emplace_back(run.startTime, &run);
        std::stable_sort(order.begin(), order.end(),
                         [](const auto& l, const auto& r) { return l.first < r.first; });
        return order;
    }
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        order.emplace_back(static_cast<double>(i + 1), &m_runs[i]);
    return order;
}

QChart* SweepView::makeBestChart() const {
    const auto order = bestOrder();
    const bool byTime = m_order->currentIndex() == 1;
    const QString goal = maximise() ? tr("maximise") : tr("minimise");
    QChart* chart = newChart(order.empty() ? tr("No run has a start time")
                                           : tr("Best %1 so far (%2)").arg(m_metric->currentText(), goal));
    std::vector<double> values;
    for (const auto& [x, run] : order)
        values.push_back(run->value);
    const std::vector<double> best = bestSoFar(values, maximise());
    const double xScale = byTime ? 1000.0 : 1.0; // QDateTimeAxis works in milliseconds
    auto* points = new QScatterSeries;
    points->setName(tr("run"));
    points->setColor(kFadedColor.darker(125));
    points->setBorderColor(kFadedColor.darker(150));
    points->setMarkerSize(7);
    auto* line = new QLineSeries;
    line->setName(tr("best so far"));
    line->setPen(QPen(QColor(0xE15759), 2.2));
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const double x = order[i].first * xScale;
        points->append(x, values[i]);
        // A step line: the best holds until a run improves on it.
        if (i > 0 && std::isfinite(best[i - 1])) line->append(x, best[i - 1]);
        if (std::isfinite(best[i])) line->append(x, best[i]);
        xlo = std::min(xlo, x), xhi = std::max(xhi, x);
        ylo = std::min(ylo, values[i]), yhi = std::max(yhi, values[i]);
    }
    if (xlo > xhi) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
    QAbstractAxis* xAxis = nullptr;
    if (byTime) {
        auto* time = new QDateTimeAxis;
        const double pad = std::max((xhi - xlo) * 0.04, 60000.0);
        time->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(xlo - pad)),
                       QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(xhi + pad)));
        time->setFormat(xhi - xlo < 2 * 86400e3 ? QStringLiteral("HH:mm") : QStringLiteral("MMM d"));
        time->setTickCount(5);
        time->setTitleText(tr("Start time"));
        xAxis = time;
    } else {
        auto* index = new QValueAxis;
        index->setRange(0.5, std::max(1.5, xhi + 0.5));
        index->setLabelFormat(QStringLiteral("%d"));
        index->setTickType(QValueAxis::TicksDynamic);
        index->setTickAnchor(1);
        index->setTickInterval(std::max(1.0, std::ceil((xhi - xlo) / 8)));
        index->setTitleText(tr("Run index"));
        xAxis = index;
    }
    QAbstractAxis* yAxis = valueAxis(ylo, yhi, m_metric->currentText());
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    attach(chart, points, xAxis, yAxis);
    attach(chart, line, xAxis, yAxis);
    return chart;
}

void SweepView::rebuildBest() {
    m_best->replaceChart(makeBestChart());
}

bool SweepView::exportParallel(const QString& path, QString* error) const {
    return m_parallel->exportImage(path, kExportSize, error);
}

bool SweepView::exportScatter(const QString& path, QString* error) {
    const std::unique_ptr<QChart> chart(makeScatterChart());
    return exportChart(chart.get(), kExportSize, path, error);
}

bool SweepView::exportBest(const QString& path, QString* error) {
    const std::unique_ptr<QChart> chart(makeBestChart());
    return exportChart(chart.get(), kExportSize, path, error);
}

bool SweepView::exportCsv(const QString& path, QString* error, bool bestSoFarData) const {
    QByteArray text;
    if (bestSoFarData) {
        const auto order = bestOrder();
        std::vector<double> values;
        for (const auto& entry : order)
            values.push_back(entry.second->value);
        const std::vector<double> best = bestSoFar(values, maximise());
        text =
            (m_order->currentIndex() == 1 ? "start_time" : "index") + QByteArray(",run,value,best_so_far\n");
        for (std::size_t i = 0; i < order.size(); ++i)
            text += QStringLiteral("%1,%2,%3,%4\n")
                        .arg(numberText(order[i].first), quoted(order[i].second->name), numberText(values[i]),
                             numberText(best[i]))
                        .toUtf8();
    } else {
        QStringList header{QStringLiteral("run"), quoted(m_metric->currentText()),
                           QStringLiteral("brushed_in")};
        for (const QString& key : m_paramKeys)
            header << quoted(key);
        text = header.join(QLatin1Char(',')).toUtf8() + '\n';
        for (std::size_t r = 0; r < m_runs.size(); ++r) {
            QStringList cells{quoted(m_runs[r].name), numberText(m_runs[r].value),
                              (r >= m_selected.size() || m_selected[r]) ? QStringLiteral("1")
                                                                        : QStringLiteral("0")};
            for (const QString& value : m_runs[r].params)
                cells << quoted(value);
            text += cells.join(QLatin1Char(',')).toUtf8() + '\n';
        }
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size()) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QToolButton* SweepView::exportButton(const QString& what, QWidget* chartWidget) {
    auto* button = new QToolButton;
    button->setText(tr("Export"));
    button->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(button);
    if (what != QLatin1String("table"))
        for (const QString& suffix : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")})
            menu->addAction(tr("Export chart as %1...").arg(suffix.toUpper()), this,
                            [this, what, suffix] { askAndExport(what, suffix); });
    menu->addAction(tr("Export data as CSV..."), this,
                    [this, what] { askAndExport(what, QStringLiteral("csv")); });
    button->setMenu(menu);
    // Chart views pan with the right button, so only the other panels get the menu on a right click too.
    if (qobject_cast<InteractiveChartView*>(chartWidget)) return button;
    chartWidget->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(chartWidget, &QWidget::customContextMenuRequested, this,
            [menu, chartWidget](const QPoint& pos) { menu->exec(chartWidget->mapToGlobal(pos)); });
    return button;
}

void SweepView::askAndExport(const QString& what, const QString& suffix) {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export"), QStringLiteral("sweep_%1.%2").arg(what, suffix),
                                     suffix.toUpper() + QStringLiteral(" (*.") + suffix + ')');
    if (path.isEmpty()) return;
    QString error;
    bool ok = false;
    if (suffix == QLatin1String("csv"))
        ok = exportCsv(path, &error, what == QLatin1String("best"));
    else if (what == QLatin1String("parallel"))
        ok = exportParallel(path, &error);
    else if (what == QLatin1String("scatter"))
        ok = exportScatter(path, &error);
    else
        ok = exportBest(path, &error);
    if (!ok) m_status->setText(tr("Export failed: %1").arg(error));
}

} // namespace runlens::ui
