// File > Export Report: the ship report of the visible runs' evaluation sets, computed off the GUI thread and
// written as HTML or PDF.
#pragma once

#include "core/analysis/ship_report.h"
#include "ui/common/evaluation_source.h"
#include "ui/report/ship_report_document.h"

#include <memory>
#include <QFutureWatcher>
#include <QObject>
#include <vector>

namespace runlens::ui {

class RunTableModel;

// Inputs owned by the job (shared read-only with the worker) and what it computed.
struct ReportJobResult {
    ShipReport report;
    ShipReportContext context;
};

class ReportExporter : public QObject {
    Q_OBJECT
  public:
    explicit ReportExporter(QObject* parent = nullptr);
    ~ReportExporter() override;

    bool isBusy() const { return m_busy; }
    // Starts a report of the visible runs that have the most common evaluation set (one per run). False with
    // error when there is nothing to report on or a report is being written.
    bool start(const RunTableModel& runs, EvaluationSource& source, const QString& path, QString* error);

  signals:
    void finished(const QString& path, const QString& error); // error empty on success

  private:
    void onComputed();

    QFutureWatcher<ReportJobResult>* m_watcher;
    QString m_path;
    bool m_busy = false;
};

} // namespace runlens::ui
