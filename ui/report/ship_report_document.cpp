// Composes the ship report's HTML from the report model: recommendation first, then each checklist section
// with its numbers and charts; the PDF is the same HTML laid out by QTextDocument with the charts as images.
#include "ui/report/ship_report_document.h"

#include "ui/calibration_chart.h"
#include "ui/chart_export.h"
#include "ui/cost/cost_chart.h"
#include "ui/slice_chart.h"

#include <cmath>
#include <functional>
#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

namespace runlens::ui {

namespace {

const QSize kChartSize(900, 540);

QString esc(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

QString num(double v, int digits = 4) {
    return std::isfinite(v) ? QString::number(v, 'f', digits) : QStringLiteral("n/a");
}

QString withCi(const SliceCell& c) {
    if (!std::isfinite(c.ciLow) || !std::isfinite(c.ciHigh)) return num(c.value);
    return QString("%1 <span class=ci>[%2, %3]</span>").arg(num(c.value), num(c.ciLow), num(c.ciHigh));
}

struct ReportChart {
    QString caption;
    std::function<QChart*()> build;
};

std::vector<ReportChart> chartsOf(const ShipReport& r, const ShipReportContext& context) {
    std::vector<ReportChart> charts;
    std::vector<ReliabilityCurve> curves;
    for (const auto& c : r.candidates)
        if (c.calibration.available) curves.push_back({QString::fromStdString(c.name), c.calibration.report});
    if (!curves.empty())
        charts.push_back(
            {QStringLiteral("Reliability diagram: fraction positive against predicted probability"),
             [curves] { return buildReliabilityChart(curves, QStringLiteral("Calibration")); }});
    // The slice chart of the first feature with a reversal, else of the first feature.
    const ShipSlices* shown = nullptr;
    for (const auto& s : r.slices)
        if (s.report && !shown) shown = &s;
    for (const auto& s : r.slices)
        if (s.report && s.report->simpson.reversal != Reversal::None &&
            s.report->simpson.reversal != Reversal::Impossible) {
            shown = &s;
            break;
        }
    if (shown) {
        const SliceReport report = *shown->report;
        charts.push_back({QStringLiteral("Accuracy by %1").arg(esc(shown->feature)),
                          [report] { return buildSliceChart(report); }});
    }
    if (context.costStudy && !context.costStudy->points.empty()) {
        const CostChartInput in = costChartInput(*context.costStudy, false);
        charts.push_back({QStringLiteral("Cost against quality with the Pareto front"),
                          [in] { return buildCostQualityChart(in); }});
    }
    return charts;
}

// The chart as markup: inline SVG without its XML prolog, or an image reference the PDF resolves.
QString chartMarkup(const ReportChart& chart, int index, bool inlineSvg) {
    QString body;
    if (inlineSvg) {
        QChart* c = chart.build();
        QByteArray svg = chartSvg(c, kChartSize);
        delete c;
        const int start = svg.indexOf("<svg");
        body = start >= 0 ? QString::fromUtf8(svg.mid(start)) : QString();
    } else {
        body = QStringLiteral("<img src=\"chart-%1.png\" width=\"620\">").arg(index);
    }
    return QStringLiteral("<figure>%1<figcaption>%2</figcaption></figure>\n").arg(body, chart.caption);
}

const char* kStyle = R"(
body { font-family: 'DejaVu Sans', Arial, sans-serif; max-width: 960px; margin: 2em auto; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.6em 0; } th, td { border: 1px solid #ccc; padding: 4px 8px; }
th { background: #f2f2f2; text-align: left; } .ci { color: #666; font-size: 0.9em; }
.recommendation { font-size: 1.15em; background: #eef5ee; padding: 0.8em; border-left: 4px solid #3a3; }
.caveat { color: #833; } figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
footer { margin-top: 2em; color: #777; font-size: 0.85em; }
)";

void recommendationSection(QString& h, const ShipReport& r) {
    h += "<p class=recommendation>" + esc(r.recommendation) + "</p>\n";
    h += "<table><tr><th>candidate</th><th>verdict</th><th>why</th></tr>\n";
    for (const auto& rec : r.recommendations)
        h += "<tr><td>" + esc(rec.candidate) + "</td><td><b>" + esc(rec.verdict) + "</b></td><td>" +
             esc(rec.reason) + "</td></tr>\n";
    h += "</table>\n<h2>Caveats</h2>\n";
    if (r.caveats.empty())
        h += "<p>None found by the checks below.</p>\n";
    else {
        h += "<ul>\n";
        for (const auto& c : r.caveats)
            h += "<li class=caveat>" + esc(c) + "</li>\n";
        h += "</ul>\n";
    }
}

void metricsSection(QString& h, const ShipReport& r) {
    h += "<h2>1. Each candidate against the baselines</h2>\n";
    const std::string primary(sliceMetricInfo(r.primary).name);
    h +=
        "<p>Point estimates with 95% intervals (Wilson for rates, seeded bootstrap otherwise). The zero rule "
        "predicts the majority class for every example; the primary metric is <b>" +
        esc(primary) + "</b>.</p>\n";
    std::vector<std::string> names;
    for (const auto& c : r.candidates)
        for (const auto& m : c.metrics)
            if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
    h += "<table><tr><th>candidate</th><th>n</th>";
    for (const auto& n : names)
        h += "<th>" + esc(n) + "</th>";
    h += "<th>zero rule " + esc(primary) + "</th></tr>\n";
    for (const auto& c : r.candidates) {
        h += "<tr><td>" + esc(c.name) + "</td><td>" + QString::number(c.n) + "</td>";
        for (const auto& n : names) {
            const auto* m = findMetric(c, n);
            h += "<td>" + (m ? withCi(m->cell) : QString()) + "</td>";
        }
        h += "<td>" + num(c.zeroRule) + "</td></tr>\n";
    }
    h += "</table>\n";
}

void pairsSection(QString& h, const ShipReport& r) {
    h += "<h2>2. Are the differences real?</h2>\n";
    if (r.pairs.empty()) {
        h += "<p>Only one candidate: nothing to compare.</p>\n";
        return;
    }
    h +=
        "<p>The leader on the primary metric against each other candidate on their shared examples (DeLong's "
        "test for AUC, McNemar's exact test otherwise; the interval is a paired bootstrap of the "
        "lead).</p>\n<ul>\n";
    for (const auto& p : r.pairs)
        h += "<li>" + esc(p.sentence) + "</li>\n";
    h += "</ul>\n";
    if (r.seedNoise.empty()) return;
    h += "<h3>Seed noise floor</h3>\n<ul>\n";
    for (const auto& n : r.seedNoise)
        h += "<li>" + esc(n.sentence) + "</li>\n";
    h += "</ul>\n";
}

void calibrationSection(QString& h, const ShipReport& r, const std::vector<ReportChart>& charts,
                        bool inlineSvg) {
    h += "<h2>3. Calibration and whether recalibration helps</h2>\n";
    bool any = false;
    h += "<table><tr><th>candidate</th><th>ECE</th><th>MCE</th><th>Brier</th><th>ECE after Platt</th>"
         "<th>ECE after isotonic</th><th>verdict</th></tr>\n";
    for (const auto& c : r.candidates) {
        if (!c.calibration.available) continue;
        any = true;
        const auto& k = c.calibration;
        h += "<tr><td>" + esc(c.name) + "</td><td>" + num(k.report.ece) + "</td><td>" + num(k.report.mce) +
             "</td><td>" + num(k.report.brier) + "</td><td>" + num(k.eceAfterPlatt) + "</td><td>" +
             num(k.eceAfterIsotonic) + "</td><td>" + esc(k.sentence) + "</td></tr>\n";
    }
    h += "</table>\n";
    if (!any) {
        h += "<p>No candidate logs probabilities of a binary label, so calibration cannot be judged.</p>\n";
        return;
    }
    h += "<p>Recalibrated errors are out of fold (5 folds): each example is mapped by a fit on the "
         "others.</p>\n";
    for (std::size_t i = 0; i < charts.size(); ++i)
        if (charts[i].caption.startsWith("Reliability")) h += chartMarkup(charts[i], int(i), inlineSvg);
}

void slicesSection(QString& h, const ShipReport& r, const std::vector<ReportChart>& charts, bool inlineSvg) {
    h += "<h2>4. Slices and Simpson's paradox</h2>\n";
    if (r.slices.empty()) h += "<p>No feature column that every candidate's log has.</p>\n";
    for (const auto& s : r.slices) {
        h += "<h3>By " + esc(s.feature) + "</h3>\n";
        if (!s.report) {
            h += "<p>" + esc(s.error) + "</p>\n";
            continue;
        }
        const auto& rep = *s.report;
        h += "<p>Simpson's reversal: <b>" + esc(std::string(reversalName(rep.simpson.reversal))) + "</b>. " +
             esc(rep.simpson.explanation) + "</p>\n<table><tr><th>" + esc(s.feature) + "</th>";
        for (const auto& c : rep.cohorts)
            h += "<th>" + esc(c) + " (n, accuracy)</th>";
        h += "</tr>\n";
        for (const auto& row : rep.slices) {
            std::string key;
            for (const auto& [f, v] : row.key)
                key += (key.empty() ? "" : ", ") + v;
            h += "<tr><td>" + esc(key) + "</td>";
            for (const auto& cell : row.cohorts)
                h += "<td>" + QString::number(cell.n) + ", " + withCi(cell) + "</td>";
            h += "</tr>\n";
        }
        h += "<tr><td><b>overall</b></td>";
        for (const auto& cell : rep.overall)
            h += "<td>" + QString::number(cell.n) + ", " + withCi(cell) + "</td>";
        h += "</tr></table>\n";
    }
    for (std::size_t i = 0; i < charts.size(); ++i)
        if (charts[i].caption.startsWith("Accuracy by")) h += chartMarkup(charts[i], int(i), inlineSvg);
    h += "<h3>Where each candidate errs most</h3>\n<ul>\n";
    for (const auto& c : r.candidates) {
        if (c.worstSlices.empty()) {
            h += "<li>" + esc(c.name) + ": no slice errs significantly more than the rest.</li>\n";
            continue;
        }
        for (const auto& s : c.worstSlices) {
            std::string key;
            for (const auto& [f, v] : s.key)
                key += (key.empty() ? "" : ", ") + f + " = " + v;
            h += "<li>" + esc(c.name) + ": " + esc(key) + " — error rate " + num(s.errorRate, 3) +
                 " against " + num(s.restErrorRate, 3) + " elsewhere (n = " + QString::number(s.n) +
                 ", q = " + num(s.qValue, 4) + ")</li>\n";
        }
    }
    h += "</ul>\n";
}

void fairnessSection(QString& h, const ShipReport& r) {
    bool any = false;
    for (const auto& c : r.candidates)
        any = any || c.fairness || !c.fairnessError.empty();
    if (!any) return;
    h += "<h2>5. Fairness</h2>\n<table><tr><th>candidate</th><th>demographic parity "
         "difference</th><th>ratio</th>"
         "<th>equalized odds difference</th><th>ratio</th><th>verdict</th></tr>\n";
    for (const auto& c : r.candidates) {
        if (!c.fairness) {
            h += "<tr><td>" + esc(c.name) + "</td><td colspan=5>" + esc(c.fairnessError) + "</td></tr>\n";
            continue;
        }
        const auto& f = *c.fairness;
        h += "<tr><td>" + esc(c.name) + "</td><td>" + num(f.demographicParityDifference) + "</td><td>" +
             num(f.demographicParityRatio) + "</td><td>" + num(f.equalizedOddsDifference) + "</td><td>" +
             num(f.equalizedOddsRatio) + "</td><td>" + esc(f.sentence) + "</td></tr>\n";
    }
    h += "</table>\n";
}

void costSection(QString& h, const ShipReportContext& context, const std::vector<ReportChart>& charts,
                 bool inlineSvg) {
    if (!context.costStudy) return;
    const auto& s = *context.costStudy;
    h += "<h2>6. Cost against quality</h2>\n";
    if (s.points.empty()) {
        h += "<p>" + esc(s.error) + "</p>\n";
        return;
    }
    h += "<p>" + esc(s.cheapest.sentence) + "</p>\n<p>On the Pareto front (cheapest first):";
    for (std::size_t i : s.front.front)
        h += " " + esc(s.points[i].name);
    h += ".</p>\n";
    for (std::size_t i = 0; i < charts.size(); ++i)
        if (charts[i].caption.startsWith("Cost")) h += chartMarkup(charts[i], int(i), inlineSvg);
}

void comparabilitySection(QString& h, const ShipReport& r) {
    h += "<h2>7. Comparability</h2>\n";
    if (r.comparability.empty()) {
        h += "<p>No warning: the candidates share their evaluation examples and nothing logged says their "
             "data "
             "or budgets differ.</p>\n";
        return;
    }
    h += "<ul>\n";
    for (const auto& w : r.comparability)
        h += "<li class=caveat>" + esc(w) + "</li>\n";
    h += "</ul>\n";
}

QString composeHtml(const ShipReport& report, const ShipReportContext& context,
                    const std::vector<ReportChart>& charts, bool inlineSvg) {
    QString h = "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>" +
                context.title.toHtmlEscaped() + "</title><style>" + kStyle + "</style></head><body>\n<h1>" +
                context.title.toHtmlEscaped() + "</h1>\n";
    recommendationSection(h, report);
    metricsSection(h, report);
    pairsSection(h, report);
    calibrationSection(h, report, charts, inlineSvg);
    slicesSection(h, report, charts, inlineSvg);
    fairnessSection(h, report);
    costSection(h, context, charts, inlineSvg);
    comparabilitySection(h, report);
    h += "<footer>Written by Runlens " +
#ifdef RUNLENS_VERSION
         QStringLiteral(RUNLENS_VERSION) +
#endif
         " on " + QDateTime::currentDateTimeUtc().toString(Qt::ISODate) + ".";
    if (!context.sources.isEmpty()) {
        h += " Candidates:";
        for (const auto& s : context.sources)
            h += " " + s.toHtmlEscaped() + ";";
        h.chop(1);
        h += ".";
    }
    h += "</footer>\n</body></html>\n";
    return h;
}

} // namespace

QString shipReportHtml(const ShipReport& report, const ShipReportContext& context, bool inlineSvg) {
    return composeHtml(report, context, chartsOf(report, context), inlineSvg);
}

bool writeShipReport(const ShipReport& report, const ShipReportContext& context, const QString& path,
                     QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return writeWholeFile(path, shipReportHtml(report, context, true).toUtf8(), error);
    if (suffix != QLatin1String("pdf")) {
        if (error) *error = QStringLiteral("cannot write %1: use .html or .pdf").arg(path);
        return false;
    }
    QTextDocument document;
    const auto charts = chartsOf(report, context);
    for (std::size_t i = 0; i < charts.size(); ++i) {
        QChart* chart = charts[i].build();
        const QImage image = chartImage(chart, kChartSize);
        delete chart;
        document.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart-%1.png").arg(i)),
                             image);
    }
    document.setDefaultStyleSheet(QString::fromUtf8(kStyle));
    document.setHtml(composeHtml(report, context, charts, false));
    QByteArray bytes;
    {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setTitle(context.title);
        writer.setCreator(QStringLiteral("Runlens"));
        document.print(&writer);
    }
    return writeWholeFile(path, bytes, error);
}

} // namespace runlens::ui
