// Writes the ship-decision report as a self-contained HTML page (charts inline as SVG, no network) or a PDF,
// shared by `runlens report` and File > Export Report.
#pragma once

#include "core/analysis/cost_quality.h"
#include "core/analysis/ship_report.h"

#include <optional>
#include <QString>
#include <QStringList>

namespace runlens::ui {

struct ShipReportContext {
    QString title = QStringLiteral("Which model to ship");
    QStringList sources;                       // where each candidate came from, one line each
    std::optional<CostQualityStudy> costStudy; // a cost-against-quality section when given
};

// The HTML text; with inlineSvg false, charts are <img src="chart-N.png"> for QTextDocument (the PDF).
QString shipReportHtml(const ShipReport& report, const ShipReportContext& context, bool inlineSvg = true);

// Writes .html or .pdf by the path's suffix; false with a one-line error otherwise.
bool writeShipReport(const ShipReport& report, const ShipReportContext& context, const QString& path,
                     QString* error);

} // namespace runlens::ui
