// A curve card's exports: the chart as PNG, SVG or PDF through the shared curve layer, and its points as
// TensorBoard-style CSV (one file per run) or one long CSV.
#include "core/analysis/axis_ticks.h"
#include "core/model/number_text.h"
#include "ui/charts/chart_card.h"

#include <QChart>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

namespace runlens::ui {
namespace {

QString shortestNumber(double value) {
    return QString::fromStdString(numberText(value, kPlainNonFinite));
}

} // namespace

CurveChartSpec ChartCard::exportSpec(int pixels) const {
    CurveChartSpec spec;
    XAxis axis = XAxis::Step;
    parseXAxis(m_display.xAxis.toStdString(), axis);
    spec.title = m_tag;
    spec.xLabel = !xMetric().isEmpty() ? xMetric()
                                       : QString::fromUtf8(xAxisName(axis).data(),
                                                           static_cast<qsizetype>(xAxisName(axis).size()));
    spec.yLabel = m_tag;
    spec.logY = m_display.logY;
    spec.robustYRange = m_display.robustY;
    spec.xIsWallTime = axis == XAxis::WallTime && xMetric().isEmpty();
    spec.xIsStepCount = axis == XAxis::Step && xMetric().isEmpty();
    const CurveOptions options = curveOptions(pixels, true);
    const std::vector<CardRun> runs = fullRuns();
    std::vector<CurveInput> inputs(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i)
        inputs[i] = inputFor(runs[i]);
    const std::vector<GroupCurve> groups = groupsOf(runs);
    const bool drawRaw = m_display.showRaw && smoothing() > 0 && groups.empty() &&
                         static_cast<int>(runs.size()) <= kMaxRawLines;
    if (groups.empty() || m_display.showRunLines) {
        for (std::size_t i = 0; i < runs.size(); ++i) {
            if (!runs[i].data) continue;
            const PreparedCurve curve = prepareCurve(inputs[i], options);
            CurveLine line;
            line.runName = runs[i].name;
            line.color = runs[i].color;
            line.style = runs[i].style;
            if (!groups.empty()) line.color.setAlpha(110);
            if (drawRaw) {
                line.rawX = curve.raw.x;
                line.rawY = curve.raw.y;
            }
            line.smoothX = curve.smoothed.x;
            line.smoothY = curve.smoothed.y;
            spec.lines.push_back(std::move(line));
            if (const BandLines own = ownBandOf(runs[i]); !own.x.empty())
                spec.bands.push_back(
                    {runs[i].name + tr(" (min–max)"), runs[i].color, own.x, own.lower, own.upper});
        }
    }
    for (const GroupCurve& group : groups) {
        std::vector<const CurveInput*> members;
        for (const std::size_t i : group.members)
            members.push_back(&inputs[i]);
        const BandLines band = groupBand(members, options);
        const QString name = tr("%1 (%2 runs, %3 ± %4)")
                                 .arg(group.name)
                                 .arg(group.members.size())
                                 .arg(m_display.center, m_display.band);
        spec.bands.push_back({name, group.color, band.x, band.lower, band.upper});
        CurveLine line;
        line.runName = name;
        line.color = group.color;
        line.style = group.style;
        line.smoothX = band.x;
        line.smoothY = band.center;
        spec.lines.push_back(std::move(line));
    }
    return spec;
}

bool ChartCard::exportImage(const QString& path, QString* error) {
    const std::unique_ptr<QChart> exported(buildCurveChart(exportSpec(kExportWidth)));
    if (!exported) {
        if (error) *error = tr("could not build the chart of %1").arg(m_tag);
        return false;
    }
    return exportChart(exported.get(), QSize(kExportWidth, kExportHeight), path, error);
}

namespace {

bool writeText(const QString& path, const QString& text, QString* error) {
    return writeWholeFile(path, text.toUtf8(), error);
}

} // namespace

QStringList ChartCard::exportTensorBoardCsv(const QString& path, QString* error) {
    const std::vector<CardRun> runs = fullRuns();
    QStringList written;
    const QFileInfo info(path);
    const QString base = info.path() + QLatin1Char('/') + info.completeBaseName();
    for (const CardRun& run : runs) {
        if (!run.data) continue;
        QString text = QStringLiteral("Wall time,Step,Value\n");
        const SeriesData& data = *run.data;
        for (std::size_t i = 0; i < data.size(); ++i)
            text += shortestNumber(data.wallTimes[i]) + QLatin1Char(',') + QString::number(data.steps[i]) +
                    QLatin1Char(',') + shortestNumber(data.values[i]) + QLatin1Char('\n');
        const QString file = runs.size() == 1
                                 ? path
                                 : base + QLatin1Char('-') + safeFileName(run.name) + QStringLiteral(".csv");
        if (!writeText(file, text, error)) return written;
        written << file;
    }
    return written;
}

bool ChartCard::exportLongCsv(const QString& path, QString* error) {
    QString text = QStringLiteral("run,tag,step,wall_time,value\n");
    const QString tag = csvField(m_tag);
    for (const CardRun& run : fullRuns()) {
        if (!run.data) continue;
        const QString name = csvField(run.name);
        const SeriesData& data = *run.data;
        for (std::size_t i = 0; i < data.size(); ++i)
            text += name + QLatin1Char(',') + tag + QLatin1Char(',') + QString::number(data.steps[i]) +
                    QLatin1Char(',') + shortestNumber(data.wallTimes[i]) + QLatin1Char(',') +
                    shortestNumber(data.values[i]) + QLatin1Char('\n');
    }
    return writeText(path, text, error);
}

void ChartCard::askAndExportImage(const QString& suffix) {
    const QString filter = tr("%1 image (*.%2)").arg(suffix.toUpper(), suffix);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart"), safeFileName(m_tag) + QLatin1Char('.') + suffix, filter);
    if (path.isEmpty()) return;
    QString error;
    if (!exportImage(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void ChartCard::askAndExportCsv(bool longForm) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export data"), safeFileName(m_tag) + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = longForm ? exportLongCsv(path, &error)
                             : !exportTensorBoardCsv(path, &error).isEmpty() || error.isEmpty();
    if (!ok) QMessageBox::warning(this, tr("Export failed"), error);
}

} // namespace runlens::ui
