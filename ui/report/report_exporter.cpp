// Gathers the visible runs' evaluation sets for the ship report, runs core/analysis/ship_report and the
// cost-quality study in a worker, then writes the document on the GUI thread (charts render there).
#include "ui/report/report_exporter.h"

#include "core/analysis/behaviour_log.h"
#include "core/analysis/cost_quality.h"
#include "ui/runs/run_table_model.h"

#include <map>
#include <QtConcurrent/QtConcurrentRun>

namespace runlens::ui {

namespace {

struct ReportInput {
    std::vector<EvaluationEntry> entries; // one per run
    std::vector<RunInfo> runs;            // the same order
    std::vector<EvaluationEntry> tests;   // the same order: the run's behavioural-test log, if any
    std::vector<RunInfo> workspaceRuns;   // every run, for the learning-curve projection
};

ReportJobResult compute(const ReportInput& in) {
    ReportJobResult out;
    std::vector<std::optional<BehaviourReport>> behaviour(in.entries.size());
    for (std::size_t i = 0; i < in.entries.size(); ++i) {
        const auto& t = in.tests[i];
        std::string error;
        if (t.table && t.set) behaviour[i] = selfContainedBehaviourReport(*t.table, *t.set, 0.5, error);
    }
    std::vector<ShipCandidate> candidates;
    for (std::size_t i = 0; i < in.entries.size(); ++i)
        candidates.push_back({in.runs[i].name, in.entries[i].table.get(), in.entries[i].set.get(),
                              &in.runs[i], behaviour[i] ? &*behaviour[i] : nullptr});
    // The visible runs are each other's seed siblings; every run may be a size sibling.
    out.report = shipReport(candidates, {}, candidates, in.workspaceRuns);
    for (const auto& e : in.entries)
        out.context.sources << e.label();
    if (!out.report.error.empty()) return out;
    CostQualityRequest request;
    request.quality = std::string(kEvalPrefix) + std::string(sliceMetricInfo(out.report.primary).name);
    const auto evaluationOf = [&](const RunInfo& run, SliceMetric metric) -> std::optional<SliceCell> {
        for (const auto& e : in.entries)
            if (e.runId == run.id) return evaluationQuality(*e.table, *e.set, metric);
        return std::nullopt;
    };
    auto study = costQualityStudy(in.runs, request, evaluationOf);
    if (study.error.empty()) out.context.costStudy = std::move(study);
    return out;
}

} // namespace

ReportExporter::ReportExporter(QObject* parent)
    : QObject(parent), m_watcher(new QFutureWatcher<ReportJobResult>(this)) {
    connect(m_watcher, &QFutureWatcher<ReportJobResult>::finished, this, &ReportExporter::onComputed);
}

ReportExporter::~ReportExporter() {
    m_watcher->waitForFinished();
}

bool ReportExporter::start(const RunTableModel& runs, EvaluationSource& source, const QString& path,
                           QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (m_busy) return fail(tr("a report is being written"));
    auto entries = source.loadVisible(runs);
    std::erase_if(entries, [](const EvaluationEntry& e) { return !e.set || e.set->rows() == 0; });
    // The evaluation set most visible runs have is the one the candidates are compared on.
    std::map<QString, int> count;
    for (const auto& e : entries)
        if (e.table && !looksLikeBehaviourTable(*e.table)) ++count[e.tableName];
    if (count.empty()) return fail(tr("no visible run has an evaluation set to report on"));
    const QString setName = std::max_element(count.begin(), count.end(), [](const auto& a, const auto& b) {
                                return a.second < b.second;
                            })->first;
    ReportInput input;
    for (const auto& e : entries) {
        if (e.tableName != setName) continue;
        if (std::any_of(input.entries.begin(), input.entries.end(),
                        [&](const EvaluationEntry& x) { return x.runId == e.runId; }))
            continue;
        for (const RunInfo* run : runs.visibleRuns())
            if (run->id == e.runId) {
                input.runs.push_back(*run);
                input.entries.push_back(e);
                input.tests.emplace_back();
                for (const auto& t : entries)
                    if (t.runId == e.runId && t.tableName != setName && t.table &&
                        looksLikeBehaviourTable(*t.table)) {
                        input.tests.back() = t;
                        break;
                    }
            }
    }
    input.workspaceRuns = runs.runs();
    m_path = path;
    m_busy = true;
    m_watcher->setFuture(QtConcurrent::run([input = std::move(input)] { return compute(input); }));
    return true;
}

void ReportExporter::onComputed() {
    m_busy = false;
    const ReportJobResult result = m_watcher->result();
    if (!result.report.error.empty()) {
        emit finished(m_path, QString::fromStdString(result.report.error));
        return;
    }
    QString error;
    writeShipReport(result.report, result.context, m_path, &error);
    emit finished(m_path, error);
}

} // namespace runlens::ui
