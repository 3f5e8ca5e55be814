// In-memory import target: per-source buffers merged on demand, transactions that vanish unless committed.
#include "core/import/memory_target.h"

#include "core/model/text_number.h"

#include <algorithm>

namespace runlens {

namespace {

void setProvenanceField(Provenance& p, ProvenanceField field, std::string_view value) {
    // Readers hand over seconds as number text (numberText, "%.6f"); the one text parser reads them.
    auto asTime = [](std::string_view v) {
        double seconds = 0;
        return textnum::parseDouble(v, seconds) == textnum::Parsed::Number ? seconds : kNaN;
    };
    switch (field) {
    case ProvenanceField::SourcePath:
        p.sourcePath = value;
        break;
    case ProvenanceField::Format:
        p.format = value;
        break;
    case ProvenanceField::CodeVersion:
        p.codeVersion = value;
        break;
    case ProvenanceField::DataVersion:
        p.dataVersion = value;
        break;
    case ProvenanceField::Seed:
        p.seed = value;
        break;
    case ProvenanceField::Status:
        p.status = value;
        break;
    case ProvenanceField::StartTime:
        p.startTime = asTime(value);
        break;
    case ProvenanceField::EndTime:
        p.endTime = asTime(value);
        break;
    }
}

void mergeProvenance(Provenance& into, const Provenance& from) {
    auto take = [](std::string& a, const std::string& b) {
        if (!b.empty()) a = b;
    };
    take(into.sourcePath, from.sourcePath);
    take(into.format, from.format);
    take(into.codeVersion, from.codeVersion);
    take(into.dataVersion, from.dataVersion);
    take(into.seed, from.seed);
    take(into.status, from.status);
    if (from.startTime == from.startTime) into.startTime = from.startTime;
    if (from.endTime == from.endTime) into.endTime = from.endTime;
}

MemoryRun& runOf(MemoryRuns& runs, std::string_view name) {
    auto it = runs.find(name);
    if (it == runs.end()) it = runs.emplace(std::string(name), MemoryRun{}).first;
    return it->second;
}

} // namespace

void mergeMemoryRuns(MemoryRuns& into, const MemoryRuns& from) {
    for (const auto& [name, src] : from) {
        MemoryRun& dst = runOf(into, name);
        for (const auto& [tag, data] : src.series) {
            SeriesData& s = dst.series[tag];
            s.steps.insert(s.steps.end(), data.steps.begin(), data.steps.end());
            s.wallTimes.insert(s.wallTimes.end(), data.wallTimes.begin(), data.wallTimes.end());
            s.values.insert(s.values.end(), data.values.begin(), data.values.end());
        }
        for (const auto& [k, v] : src.params)
            dst.params[k] = v;
        for (const auto& [k, v] : src.tags)
            dst.tags[k] = v;
        for (const auto& [k, v] : src.summaryMetrics)
            dst.summaryMetrics[k] = v;
        for (const auto& [k, v] : src.predictions)
            dst.predictions[k] = v;
        mergeProvenance(dst.provenance, src.provenance);
    }
}

class MemoryTransaction : public SourceTransaction {
  public:
    MemoryTransaction(MemoryTarget& target, std::string path, bool replace)
        : m_target(target), m_path(std::move(path)), m_replace(replace) {}

    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        if (m_committed) return;
        MemoryRun& r = runOf(m_data, run);
        auto it = r.series.find(tag);
        if (it == r.series.end()) it = r.series.emplace(std::string(tag), SeriesData{}).first;
        SeriesData& s = it->second;
        const std::size_t n = std::min({steps.size(), wallTimes.size(), values.size()});
        s.steps.insert(s.steps.end(), steps.begin(), steps.begin() + n);
        s.wallTimes.insert(s.wallTimes.end(), wallTimes.begin(), wallTimes.begin() + n);
        s.values.insert(s.values.end(), values.begin(), values.begin() + n);
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        if (!m_committed) runOf(m_data, run).params[std::string(key)] = std::string(value);
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        if (!m_committed) runOf(m_data, run).tags[std::string(key)] = std::string(value);
    }
    void setSummaryMetric(std::string_view run, std::string_view key, double value) override {
        if (!m_committed) runOf(m_data, run).summaryMetrics[std::string(key)] = value;
    }
    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override {
        if (!m_committed) setProvenanceField(runOf(m_data, run).provenance, field, value);
    }
    void addPredictions(std::string_view run, PredictionTable table) override {
        if (m_committed) return;
        std::string name = table.name;
        runOf(m_data, run).predictions[name] = std::move(table);
    }
    void commit(const SourceState& state) override {
        if (m_committed) return;
        m_committed = true;
        m_target.commitSource(m_path, m_replace, std::move(m_data), state);
    }

  private:
    MemoryTarget& m_target;
    std::string m_path;
    bool m_replace = false;
    bool m_committed = false;
    MemoryRuns m_data;
};

std::optional<SourceState> MemoryTarget::sourceState(const std::string& path) {
    auto it = m_states.find(path);
    if (it == m_states.end()) return std::nullopt;
    return it->second;
}

std::unique_ptr<SourceTransaction> MemoryTarget::beginSource(const std::string& path, std::string_view format,
                                                             bool replace) {
    (void)format; // recorded from the SourceState at commit
    return std::make_unique<MemoryTransaction>(*this, path, replace);
}

void MemoryTarget::commitSource(const std::string& path, bool replace, MemoryRuns&& data,
                                const SourceState& state) {
    if (replace || !m_bySource.count(path))
        m_bySource[path] = std::move(data);
    else
        mergeMemoryRuns(m_bySource[path], data);
    m_states[path] = state;
    ++m_commits;
    m_dirty = true;
}

const MemoryRuns& MemoryTarget::runs() const {
    if (m_dirty) {
        m_merged.clear();
        for (const auto& [path, data] : m_bySource)
            mergeMemoryRuns(m_merged, data);
        m_dirty = false;
    }
    return m_merged;
}

const MemoryRun* MemoryTarget::run(std::string_view name) const {
    const auto& all = runs();
    auto it = all.find(name);
    return it == all.end() ? nullptr : &it->second;
}

const SeriesData* MemoryTarget::series(std::string_view runName, std::string_view tag) const {
    const MemoryRun* r = run(runName);
    if (!r) return nullptr;
    auto it = r->series.find(tag);
    return it == r->series.end() ? nullptr : &it->second;
}

std::int64_t MemoryTarget::totalPoints() const {
    std::int64_t n = 0;
    for (const auto& [name, r] : runs())
        for (const auto& [tag, s] : r.series)
            n += static_cast<std::int64_t>(s.size());
    return n;
}

} // namespace runlens
