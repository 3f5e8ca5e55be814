// The sinks an import reads through: recording runs and steps that go back, and deferring an event file
// until its trial is known (split from importer.cpp, which plans the walk and picks the readers).
#include "core/import/import_sinks.h"

#include <algorithm>
#include <climits>

namespace runlens::import_sinks {

namespace {

class RecordedTransaction : public SourceTransaction {
  public:
    RecordedTransaction(std::unique_ptr<SourceTransaction> inner, RecordingTarget& owner,
                        std::set<std::string>& runs, const std::atomic<bool>* cancel, std::string path)
        : m_inner(std::move(inner)), m_sink(*m_inner, cancel, &owner.tracker), m_owner(owner), m_runs(runs),
          m_path(std::move(path)) {}
    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        m_sink.appendPoints(run, tag, steps, wallTimes, values);
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        m_sink.setParam(run, key, value);
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        m_sink.setTag(run, key, value);
    }
    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override {
        m_sink.setProvenance(run, field, value);
    }
    void setSummaryMetric(std::string_view run, std::string_view key, double value) override {
        m_sink.setSummaryMetric(run, key, value);
    }
    void addPredictions(std::string_view run, PredictionTable table) override {
        m_sink.addPredictions(run, std::move(table));
    }
    bool cancelled() const override { return m_sink.cancelled(); }
    void commit(const SourceState& state) override {
        m_sink.commit(state);
        ++m_owner.commits;
        m_runs.insert(m_sink.seen().begin(), m_sink.seen().end());
        reportRestarts(m_owner.report, m_path, m_sink.restarts());
    }

  private:
    std::unique_ptr<SourceTransaction> m_inner;
    RecordingSink m_sink;
    RecordingTarget& m_owner;
    std::set<std::string>& m_runs;
    std::string m_path;
};

} // namespace

void reportRestarts(ReadReport& report, const std::string& file, const std::vector<RestartSeen>& restarts) {
    if (restarts.empty()) return;
    for (const auto& issue : report.issues)
        if (issue.kind == IssueKind::StepsRestart && issue.file == file) return;
    constexpr std::size_t kNamed = 10;
    for (std::size_t i = 0; i < restarts.size() && i < kNamed; ++i) {
        const RestartSeen& r = restarts[i];
        report.warn(IssueKind::StepsRestart, file, 0,
                    stepsRestartMessage(r.run, r.tag, r.step, r.previousMax) + " (point " +
                        std::to_string(r.point) + " of that series in this file)");
    }
    if (restarts.size() > kNamed)
        report.warn(IssueKind::StepsRestart, file, 0,
                    "steps also go back in " + std::to_string(restarts.size() - kNamed) + " more series");
}

void RecordingSink::trackSteps(std::string_view run, std::string_view tag,
                               std::span<const std::int64_t> steps) {
    std::string key;
    key.reserve(run.size() + tag.size() + 1);
    key.append(run).push_back('\0');
    key.append(tag);
    std::int64_t& highest = m_tracker->try_emplace(key, LLONG_MIN).first->second;
    std::int64_t& count = m_pointsInSource[key];
    for (const std::int64_t step : steps) {
        ++count;
        if (step < highest && m_restartNoted.insert(key).second)
            m_restarts.push_back(RestartSeen{std::string(run), std::string(tag), count, step, highest});
        if (step > highest) highest = step;
    }
}

std::int64_t RecordingTarget::unchanged() const {
    return static_cast<std::int64_t>(std::count_if(m_known.begin(), m_known.end(),
                                                   [&](const std::string& p) { return !m_begun.count(p); }));
}

std::unique_ptr<SourceTransaction> RecordingTarget::beginSource(const std::string& path,
                                                                std::string_view format, bool replace) {
    m_begun.insert(path);
    auto inner = m_inner.beginSource(path, format, replace);
    if (!inner) return nullptr;
    return std::make_unique<RecordedTransaction>(std::move(inner), *this, m_runs, m_cancel, path);
}

std::map<std::string, std::string> DeferredSink::paramsOf(std::string_view run) const {
    std::map<std::string, std::string> out;
    for (const auto& p : m_params)
        if (p.run == run) out[p.key] = p.value;
    return out;
}

void DeferredSink::replay(ImportSink& into, const std::string& from, const std::string& to) {
    const auto rename = [&](const std::string& run) {
        if (run == from) return to;
        if (run.size() > from.size() && run.compare(0, from.size(), from) == 0 && run[from.size()] == '/')
            return to + run.substr(from.size());
        return run;
    };
    constexpr std::size_t kBatch = 4096;
    for (const auto& [key, s] : m_series) {
        const std::string run = rename(key.first);
        for (std::size_t at = 0; at < s.size(); at += kBatch) {
            const std::size_t n = std::min(kBatch, s.size() - at);
            into.appendPoints(run, key.second, std::span(s.steps).subspan(at, n),
                              std::span(s.wallTimes).subspan(at, n), std::span(s.values).subspan(at, n));
        }
    }
    for (const auto& p : m_params)
        into.setParam(rename(p.run), p.key, p.value);
    for (const auto& t : m_tags)
        into.setTag(rename(t.run), t.key, t.value);
    for (const auto& p : m_provenance)
        into.setProvenance(rename(p.run), p.field, p.value);
    for (const auto& m : m_summaries)
        into.setSummaryMetric(rename(m.run), m.key, m.value);
    for (auto& [run, table] : m_predictions)
        into.addPredictions(rename(run), std::move(table));
}

SeriesData& DeferredSink::seriesFor(std::string_view run, std::string_view tag) {
    auto key = std::make_pair(std::string(run), std::string(tag));
    const auto it = m_seriesIndex.find(key);
    if (it != m_seriesIndex.end()) return m_series[it->second].second;
    m_seriesIndex.emplace(key, m_series.size());
    m_series.emplace_back(std::move(key), SeriesData{});
    return m_series.back().second;
}

} // namespace runlens::import_sinks
