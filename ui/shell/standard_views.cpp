// The list of analysis tabs the desktop app shows, in the order a user works through a model decision.
#include "ui/shell/standard_views.h"

#include "ui/behaviour/behaviour_view.h"
#include "ui/calibration/calibration_view.h"
#include "ui/common/evaluation_source.h"
#include "ui/compare/compare_view.h"
#include "ui/confusion/confusion_view.h"
#include "ui/cost/cost_view.h"
#include "ui/learning_curve/learning_curve_view.h"
#include "ui/regression/regression_view.h"
#include "ui/shell/main_window.h"
#include "ui/slices/slices_view.h"
#include "ui/sweep/sweep_view.h"
#include "ui/tradeoffs/tradeoff_view.h"

#include <functional>
#include <QDir>
#include <QFileInfo>

namespace runlens::ui {

namespace {

// Writes one tab's charts and tables into its folder for File > Export All Charts.
class TabFiles {
  public:
    TabFiles(const QString& dir, QStringList& written, QStringList& errors)
        : m_dir(dir), m_written(written), m_errors(errors) {}

    // The chart as PNG, SVG and PDF; a chart the tab cannot draw now (nothing shown) is skipped, not an
    // error.
    void chart(const QString& base, const std::function<bool(const QString&, QString*)>& write) {
        for (const char* suffix : {".png", ".svg", ".pdf"}) {
            const QString path = QDir(m_dir).filePath(base + QLatin1String(suffix));
            QString error;
            if (write(path, &error))
                m_written << path;
            else if (QFileInfo::exists(path))
                m_errors << error; // it began writing: a real failure
            else
                return;
        }
    }
    // A table as the tab writes it; like a chart, nothing to write is skipped and a started write that
    // failed is an error.
    void file(const QString& name, const std::function<bool(const QString&, QString*)>& write) {
        const QString path = QDir(m_dir).filePath(name);
        QString error;
        if (write(path, &error))
            m_written << path;
        else if (QFileInfo::exists(path))
            m_errors << error;
    }
    void text(const QString& name, const QString& content) {
        const QString path = QDir(m_dir).filePath(name);
        QString error;
        if (content.count(QLatin1Char('\n')) < 2) return; // a header without rows
        if (writeTextFile(path, content, &error))
            m_written << path;
        else
            m_errors << error;
    }

  private:
    QString m_dir;
    QStringList& m_written;
    QStringList& m_errors;
};

template <typename View, typename Body> MainWindow::TabExport tabExport(View* view, Body body) {
    return [view, body](const QString& dir, QStringList& written, QStringList& errors) {
        TabFiles files(dir, written, errors);
        body(*view, files);
    };
}

} // namespace

void addStandardViews(MainWindow& window) {
    using Files = TabFiles;
    auto* calibration = new CalibrationView(window.viewContext());
    window.addViewTab(
        calibration, QObject::tr("Calibration"), tabExport(calibration, [](CalibrationView& v, Files& f) {
            if (v.showsEmptyState()) return;
            f.chart("reliability",
                    [&v](const QString& p, QString* e) { return v.exportReliabilityImage(p, e); });
            f.text("reliability.csv", v.reliabilityCsv());
            f.text("metrics.csv", v.metricsCsv());
        }));
    auto* confusion = new ConfusionView(window.viewContext());
    window.addViewTab(
        confusion, QObject::tr("Confusion"), tabExport(confusion, [](ConfusionView& v, Files& f) {
            if (v.showsEmptyState()) return;
            f.chart("confusion", [&v](const QString& p, QString* e) { return v.exportImage(p, e); });
            f.text("confusion.csv", v.matrixCsv());
        }));
    auto* tradeoffs = new TradeoffView(window.viewContext());
    window.addViewTab(
        tradeoffs, QObject::tr("Trade-offs"), tabExport(tradeoffs, [](TradeoffView& v, Files& f) {
            if (v.showsEmptyState()) return;
            using Kind = TradeoffView::ChartKind;
            const std::pair<const char*, Kind> charts[] = {{"roc", Kind::Roc},
                                                           {"precision_recall", Kind::Pr},
                                                           {"cost", Kind::Cost},
                                                           {"risk_coverage", Kind::RiskCoverage}};
            for (const auto& [name, kind] : charts) {
                f.chart(name,
                        [&v, kind](const QString& p, QString* e) { return v.exportChartImage(kind, p, e); });
                f.text(QString(name) + ".csv", v.chartCsv(kind));
            }
        }));
    auto* slices = new SlicesView(window.viewContext());
    window.addViewTab(
        slices, QObject::tr("Slices"), tabExport(slices, [](SlicesView& v, Files& f) {
            f.chart("slices", [&v](const QString& p, QString* e) { return v.exportChartImage(p, e); });
            f.file("slices.csv", [&v](const QString& p, QString* e) { return v.exportCsv(p, e); });
        }));
    auto* behaviour = new BehaviourView(window.viewContext());
    window.addViewTab(
        behaviour, QObject::tr("Behaviour"), tabExport(behaviour, [](BehaviourView& v, Files& f) {
            if (v.showsEmptyState()) return;
            f.chart("behaviour", [&v](const QString& p, QString* e) { return v.exportImage(p, e); });
            f.text("perturbations.csv", v.perturbationsCsv());
        }));
    auto* regression = new RegressionView(window.viewContext());
    window.addViewTab(
        regression, QObject::tr("Regression"), tabExport(regression, [](RegressionView& v, Files& f) {
            if (v.showsEmptyState()) return;
            f.chart("regression", [&v](const QString& p, QString* e) { return v.exportImage(p, e); });
            f.text("metrics.csv", v.metricsCsv());
        }));
    auto* compare = new CompareView(window.viewContext());
    window.addViewTab(
        compare, QObject::tr("Compare"), tabExport(compare, [](CompareView& v, Files& f) {
            if (v.showsEmptyState()) return;
            f.file("runs.csv", [&v](const QString& p, QString* e) { return v.exportDiffCsv(p, e); });
            f.chart("curves", [&v](const QString& p, QString* e) { return v.exportCurveChart(p, e); });
            f.file("curves.csv", [&v](const QString& p, QString* e) { return v.exportCurveCsv(p, e); });
            f.chart("calibration",
                    [&v](const QString& p, QString* e) { return v.exportCalibrationChart(p, e); });
            f.file("flips.csv", [&v](const QString& p, QString* e) { return v.exportFlipsCsv(p, e); });
            f.file("ensemble.csv", [&v](const QString& p, QString* e) { return v.exportEnsembleCsv(p, e); });
        }));
    auto* learning = new LearningCurveView(window.viewContext());
    window.addViewTab(
        learning, QObject::tr("Learning curve"), tabExport(learning, [](LearningCurveView& v, Files& f) {
            if (v.showsEmptyState()) return;
            f.chart("learning_curve", [&v](const QString& p, QString* e) { return v.exportImage(p, e); });
            f.file("learning_curve.csv", [&v](const QString& p, QString* e) { return v.exportCsv(p, e); });
            f.chart("scores", [&v](const QString& p, QString* e) { return v.exportScoresImage(p, e); });
            f.file("scores.csv", [&v](const QString& p, QString* e) { return v.exportScoresCsv(p, e); });
        }));
    auto* sweep = new SweepView(window.viewContext());
    window.addViewTab(
        sweep, QObject::tr("Sweep"), tabExport(sweep, [](SweepView& v, Files& f) {
            if (v.showsEmptyState()) return;
            f.chart("parallel_coordinates",
                    [&v](const QString& p, QString* e) { return v.exportParallel(p, e); });
            f.chart("scatter", [&v](const QString& p, QString* e) { return v.exportScatter(p, e); });
            f.chart("best_so_far", [&v](const QString& p, QString* e) { return v.exportBest(p, e); });
            f.file("runs.csv", [&v](const QString& p, QString* e) { return v.exportCsv(p, e); });
        }));
    auto* cost = new CostView(window.viewContext());
    window.addViewTab(cost, QObject::tr("Cost"), tabExport(cost, [](CostView& v, Files& f) {
                          if (v.showsEmptyState()) return;
                          f.chart("cost_quality",
                                  [&v](const QString& p, QString* e) { return v.exportImage(p, e); });
                          f.text("points.csv", v.pointsCsv());
                      }));
}

} // namespace runlens::ui
