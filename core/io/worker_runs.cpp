// Recognising distributed-worker run names and re-labelling their data onto one run.
#include "core/io/worker_runs.h"

#include <array>
#include <cctype>

namespace runlens {
namespace {

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

// Parses "rank_3", "worker-1", "node2" (whole string); returns the number.
std::optional<int> workerSuffix(std::string_view s) {
    static constexpr std::array<std::string_view, 3> kWords{"rank", "worker", "node"};
    for (const auto word : kWords) {
        if (!startsWithNoCase(s, word)) continue;
        std::string_view rest = s.substr(word.size());
        if (!rest.empty() && (rest.front() == '_' || rest.front() == '-')) rest.remove_prefix(1);
        if (rest.empty() || rest.size() > 6) return std::nullopt;
        int n = 0;
        for (const char c : rest) {
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + (c - '0');
        }
        return n;
    }
    return std::nullopt;
}

} // namespace

std::optional<WorkerRun> parseWorkerRun(std::string_view runName) {
    const auto slash = runName.rfind('/');
    const std::string_view parent =
        slash == std::string_view::npos ? std::string_view{} : runName.substr(0, slash);
    const std::string_view last = slash == std::string_view::npos ? runName : runName.substr(slash + 1);

    if (const auto n = workerSuffix(last)) {
        if (parent.empty()) return std::nullopt; // nothing to fold into
        return WorkerRun{std::string(parent), *n};
    }
    // A suffix after '_' or '-' inside the last component: "train_rank_1", "job-worker-2".
    for (std::size_t i = last.size(); i-- > 1;) {
        if (last[i - 1] != '_' && last[i - 1] != '-') continue;
        if (const auto n = workerSuffix(last.substr(i))) {
            std::string base(parent);
            if (!base.empty()) base += '/';
            base += last.substr(0, i - 1);
            return WorkerRun{std::move(base), *n};
        }
    }
    return std::nullopt;
}

std::string workerTag(std::string_view tag, int worker) {
    std::string out(tag);
    out += "/worker_";
    out += std::to_string(worker);
    return out;
}

WorkerSink::WorkerSink(ImportSink& inner, std::string originalRun, WorkerRun worker)
    : m_inner(inner), m_originalRun(std::move(originalRun)), m_worker(std::move(worker)) {}

std::string_view WorkerSink::mapRun(std::string_view run) const {
    return run == m_originalRun ? std::string_view(m_worker.baseRun) : run;
}

void WorkerSink::announce(std::string_view run) {
    if (m_announced || run != m_originalRun) return;
    m_announced = true;
    m_inner.setParam(m_worker.baseRun, "worker_" + std::to_string(m_worker.worker), m_originalRun);
}

void WorkerSink::appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                              std::span<const double> wallTimes, std::span<const double> values) {
    announce(run);
    if (run != m_originalRun) {
        m_inner.appendPoints(run, tag, steps, wallTimes, values);
        return;
    }
    m_inner.appendPoints(m_worker.baseRun, workerTag(tag, m_worker.worker), steps, wallTimes, values);
}

void WorkerSink::setParam(std::string_view run, std::string_view key, std::string_view value) {
    announce(run);
    m_inner.setParam(mapRun(run), key, value);
}

void WorkerSink::setTag(std::string_view run, std::string_view key, std::string_view value) {
    announce(run);
    m_inner.setTag(mapRun(run), key, value);
}

void WorkerSink::setSummaryMetric(std::string_view run, std::string_view key, double value) {
    announce(run);
    m_inner.setSummaryMetric(mapRun(run), key, value);
}

void WorkerSink::setProvenance(std::string_view run, ProvenanceField field, std::string_view value) {
    announce(run);
    m_inner.setProvenance(mapRun(run), field, value);
}

void WorkerSink::addPredictions(std::string_view run, PredictionTable table) {
    announce(run);
    m_inner.addPredictions(mapRun(run), std::move(table));
}

} // namespace runlens
