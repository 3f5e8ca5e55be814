// Composes the ship report's HTML from the report model: recommendation first, then each checklist section
// with its numbers and charts; the PDF is the same HTML laid out by QTextDocument with the charts as images.
#include "ui/report/ship_report_document.h"

#include "core/analysis/behaviour_log.h"
#include "ui/calibration/calibration_chart.h"
#include "ui/charts/chart_export.h"
#include "ui/common/evaluation_source.h"
#include "ui/cost/cost_chart.h"
#include "ui/learning_curve/learning_curve_chart.h"
#include "ui/slices/slice_chart.h"

#include <cmath>
#include <functional>
#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

namespace runlens::ui {

namespace {

const QSize kChartSize(900, 540);

// Sections are numbered in the order they appear; the ones with nothing logged are left out.
struct SectionNumber {
    int next = 1;
    QString operator()(const QString& title) {
        return QStringLiteral("<h2>%1. %2</h2>\n").arg(next++).arg(title);
    }
};

QString esc(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

QString withCi(double value, double low, double high) {
    if (!std::isfinite(low) || !std::isfinite(high)) return formatMetric(value);
    return QString("%1 <span class=ci>[%2, %3]</span>")
        .arg(formatMetric(value), formatMetric(low), formatMetric(high));
}

QString withCi(const SliceCell& c) {
    return withCi(c.value, c.ciLow, c.ciHigh);
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
    if (r.learningCurves && !r.learningCurves->families.empty()) {
        const auto& lc = *r.learningCurves;
        std::vector<LearningCurveFamily> families;
        for (const auto& f : lc.families)
            families.push_back({QString::fromStdString(f.name), f.sizes, f.values, f.fit});
        charts.push_back({QStringLiteral("Learning curves: %1 against %2, fitted and projected")
                              .arg(esc(lc.metric), esc(lc.sizeKey)),
                          [families, lc] {
                              return buildLearningCurveChart(families, QString::fromStdString(lc.metric),
                                                             QString::fromStdString(lc.sizeKey),
                                                             lc.targetSize);
                          }});
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

void metricsSection(QString& h, SectionNumber& heading, const ShipReport& r) {
    h += heading("Each candidate against the baselines");
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
        h += "<td>" + formatMetric(c.zeroRule) + "</td></tr>\n";
    }
    h += "</table>\n";
}

void pairsSection(QString& h, SectionNumber& heading, const ShipReport& r) {
    h += heading("Are the differences real?");
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

void calibrationSection(QString& h, SectionNumber& heading, const ShipReport& r,
                        const std::vector<ReportChart>& charts, bool inlineSvg) {
    h += heading("Calibration and whether recalibration helps");
    bool any = false;
    h += "<table><tr><th>candidate</th><th>ECE</th><th>MCE</th><th>Brier</th><th>ECE after Platt</th>"
         "<th>ECE after isotonic</th><th>verdict</th></tr>\n";
    for (const auto& c : r.candidates) {
        if (!c.calibration.available) continue;
        any = true;
        const auto& k = c.calibration;
        h += "<tr><td>" + esc(c.name) + "</td><td>" + formatMetric(k.report.ece) + "</td><td>" +
             formatMetric(k.report.mce) + "</td><td>" + formatMetric(k.report.brier) + "</td><td>" +
             formatMetric(k.eceAfterPlatt) + "</td><td>" + formatMetric(k.eceAfterIsotonic) + "</td><td>" +
             esc(k.sentence) + "</td></tr>\n";
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

void slicesSection(QString& h, SectionNumber& heading, const ShipReport& r,
                   const std::vector<ReportChart>& charts, bool inlineSvg) {
    h += heading("Slices and Simpson's paradox");
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
            h += "<li>" + esc(c.name) + ": " + esc(key) + " — error rate " + formatMetric(s.errorRate, 3) +
                 " against " + formatMetric(s.restErrorRate, 3) + " elsewhere (n = " + QString::number(s.n) +
                 ", q = " + formatMetric(s.qValue, 4) + ")</li>\n";
        }
    }
    h += "</ul>\n";
}

void fairnessSection(QString& h, SectionNumber& heading, const ShipReport& r) {
    bool any = false;
    for (const auto& c : r.candidates)
        any = any || c.fairness || !c.fairnessError.empty();
    if (!any) return;
    h += heading("Fairness") + "<table><tr><th>candidate</th><th>demographic parity "
                               "difference</th><th>ratio</th>"
                               "<th>equalized odds difference</th><th>ratio</th><th>verdict</th></tr>\n";
    for (const auto& c : r.candidates) {
        if (!c.fairness) {
            h += "<tr><td>" + esc(c.name) + "</td><td colspan=5>" + esc(c.fairnessError) + "</td></tr>\n";
            continue;
        }
        const auto& f = *c.fairness;
        h += "<tr><td>" + esc(c.name) + "</td><td>" + formatMetric(f.demographicParityDifference) +
             "</td><td>" + formatMetric(f.demographicParityRatio) + "</td><td>" +
             formatMetric(f.equalizedOddsDifference) + "</td><td>" + formatMetric(f.equalizedOddsRatio) +
             "</td><td>" + esc(f.sentence) + "</td></tr>\n";
    }
    h += "</table>\n";
}

void behaviourSection(QString& h, SectionNumber& heading, const ShipReport& r) {
    const bool any = std::any_of(r.candidates.begin(), r.candidates.end(),
                                 [](const ShipCandidateResult& c) { return c.behaviour.has_value(); });
    if (!any) return;
    h += heading("Behavioural tests");
    h += "<p>Each perturbation's flip rate with its 95% Wilson interval; a test fails when the prediction "
         "changes where it should not, or the score moves the wrong way. Major: the failure rate's lower "
         "bound is above 5%.</p>\n<table><tr><th>candidate</th><th>perturbation</th><th>n</th><th>flip "
         "rate</th><th>failure rate</th><th>severity</th></tr>\n";
    for (const auto& c : r.candidates) {
        if (!c.behaviour) {
            h += "<tr><td>" + esc(c.name) + "</td><td colspan=5>no behavioural tests logged</td></tr>\n";
            continue;
        }
        for (const auto& p : c.behaviour->perturbations)
            h += "<tr><td>" + esc(c.name) + "</td><td>" + esc(p.name) + "</td><td>" + QString::number(p.n) +
                 "</td><td>" + withCi(p.flipRate, p.flipCi.low, p.flipCi.high) + "</td><td>" +
                 (p.tested > 0 ? formatMetric(p.failureRate) : QString("n/a")) + "</td><td>" +
                 esc(std::string(behaviourSeverityName(p.severity))) + "</td></tr>\n";
    }
    h += "</table>\n";
}

void learningCurveSection(QString& h, SectionNumber& heading, const ShipReport& r,
                          const std::vector<ReportChart>& charts, bool inlineSvg) {
    if (!r.learningCurves) return;
    const auto& lc = *r.learningCurves;
    h += heading("Who wins with more data");
    if (!lc.error.empty()) {
        h += "<p>No projection: " + esc(lc.error) + ".</p>\n";
        return;
    }
    h += "<p>Each candidate's configuration (every param but " + esc(lc.sizeKey) +
         " and the seed) at the training-set sizes it was run with: the last " + esc(lc.metric) +
         " of each run fitted by value = a &middot; size<sup>b</sup> + c.</p>\n<p>" + esc(lc.sentence) +
         "</p>\n";
    if (!lc.families.empty()) {
        h += "<table><tr><th>candidate</th><th>runs</th><th>fit</th><th>at size " +
             QLocale(QLocale::English).toString(lc.targetSize, 'f', 0) +
             " (95% interval of the mean curve)</th><th>95% prediction interval for one run</th></tr>\n";
        for (std::size_t k = 0; k < lc.families.size(); ++k) {
            const auto& f = lc.families[k];
            const auto& p = lc.atTarget[k];
            h += "<tr><td>" + esc(f.name) + "</td><td>" + QString::number(f.runs.size()) + "</td>";
            if (!f.fit.ok) {
                h += "<td colspan=3>no fit: " + esc(f.fit.error) + "</td></tr>\n";
                continue;
            }
            h += "<td>" + QString::number(f.fit.a, 'g', 4) + " &middot; size<sup>" +
                 QString::number(f.fit.b, 'f', 3) + "</sup> + " + QString::number(f.fit.c, 'g', 4) +
                 "</td><td>" + withCi(p.value, p.lower, p.upper) + "</td><td>[" +
                 formatMetric(p.predictionLower) + ", " + formatMetric(p.predictionUpper) + "]</td></tr>\n";
        }
        h += "</table>\n";
    }
    if (!lc.notes.empty()) {
        h += "<ul>\n";
        for (const auto& n : lc.notes)
            h += "<li>" + esc(n) + "</li>\n";
        h += "</ul>\n";
    }
    for (std::size_t i = 0; i < charts.size(); ++i)
        if (charts[i].caption.startsWith("Learning curves")) h += chartMarkup(charts[i], int(i), inlineSvg);
}

void costSection(QString& h, SectionNumber& heading, const ShipReportContext& context,
                 const std::vector<ReportChart>& charts, bool inlineSvg) {
    if (!context.costStudy) return;
    const auto& s = *context.costStudy;
    h += heading("Cost against quality");
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

void comparabilitySection(QString& h, SectionNumber& heading, const ShipReport& r) {
    h += heading("Comparability");
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
    SectionNumber heading;
    metricsSection(h, heading, report);
    pairsSection(h, heading, report);
    calibrationSection(h, heading, report, charts, inlineSvg);
    slicesSection(h, heading, report, charts, inlineSvg);
    fairnessSection(h, heading, report);
    behaviourSection(h, heading, report);
    learningCurveSection(h, heading, report, charts, inlineSvg);
    costSection(h, heading, context, charts, inlineSvg);
    comparabilitySection(h, heading, report);
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
