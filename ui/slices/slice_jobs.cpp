// The Slices tab's background computations and the evaluation sets they read.
#include "ui/slices/slice_jobs.h"

#include "core/analysis/paired_comparison.h"
#include "core/analysis/paired_evaluation.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <exception>

namespace runlens::ui {

namespace {

constexpr double kChangeFdr = 0.05;

int predictedOf(const CohortInput& cohort, std::size_t row, double threshold) {
    if (!cohort.predictions.empty()) return cohort.predictions[row];
    return cohort.scores[row] >= threshold ? 1 : 0;
}

std::shared_ptr<const LoadedSliceSet> loadSet(const Workspace& workspace, const SliceSetRef& ref) {
    auto set = std::make_shared<LoadedSliceSet>();
    set->ref = ref;
    try {
        set->table = workspace.readPredictions(ref.tableId);
    } catch (const std::exception& e) {
        set->error = ref.runName + ": " + ref.setName + ": " + e.what();
        return set;
    }
    auto result = extractEvaluationSet(set->table);
    if (!result.ok())
        set->error = ref.runName + ": " + ref.setName + ": " + result.errors.front().describe();
    else
        set->eval = std::move(result.set);
    return set;
}

// The sets of refs, from the cache or read through a read-only connection of this thread's own.
bool loadSets(const JobInput& input, const std::vector<SliceSetRef>& refs, SliceJobResult& result) {
    std::unique_ptr<Workspace> workspace;
    for (const auto& ref : refs) {
        if (result.loaded.count(ref.tableId)) continue;
        if (auto it = input.cached.find(ref.tableId); it != input.cached.end()) {
            result.loaded[ref.tableId] = it->second;
            continue;
        }
        try {
            if (!workspace) workspace = Workspace::open(input.workspacePath, Workspace::Mode::ReadOnly);
        } catch (const std::exception& e) {
            result.error = e.what();
            return false;
        }
        result.loaded[ref.tableId] = loadSet(*workspace, ref);
    }
    for (const auto& ref : refs) {
        const auto& set = result.loaded.at(ref.tableId);
        if (!set->error.empty()) {
            result.error = set->error;
            return false;
        }
    }
    return true;
}

std::vector<std::string> sharedFeatures(const std::vector<const LoadedSliceSet*>& sets) {
    if (sets.empty()) return {};
    std::vector<std::string> out = sets.front()->featureColumns();
    for (std::size_t i = 1; i < sets.size(); ++i) {
        const auto cols = sets[i]->featureColumns();
        std::erase_if(
            out, [&](const std::string& c) { return std::find(cols.begin(), cols.end(), c) == cols.end(); });
    }
    return out;
}

} // namespace

CohortInput LoadedSliceSet::cohort() const {
    return cohortFromEvaluation(ref.runName, table, eval);
}

std::vector<std::uint8_t> LoadedSliceSet::errors(double threshold) const {
    const CohortInput c = cohort();
    std::vector<std::uint8_t> out(c.labels.size());
    for (std::size_t r = 0; r < out.size(); ++r)
        out[r] = static_cast<std::uint8_t>(predictedOf(c, r, threshold) != c.labels[r]);
    return out;
}

// Feature columns, the ones that describe examples first: the first is the default to slice by, so an id-like
// column comes last.
std::vector<std::string> LoadedSliceSet::featureColumns() const {
    std::vector<std::string> out, idLike;
    for (const auto& column : table.columns)
        if (column.role == ColumnRole::Feature)
            (looksLikeIdColumn(column) ? idLike : out).push_back(column.name);
    out.insert(out.end(), idLike.begin(), idLike.end());
    return out;
}

SliceJobResult runSliceJob(const SliceJob& job) {
    SliceJobResult result;
    result.generation = job.input.generation;
    std::vector<SliceSetRef> refs = job.input.refs;
    if (job.source) refs.push_back(*job.source);
    if (!loadSets(job.input, refs, result)) return result;
    if (job.source) result.sourceColumns = result.loaded.at(job.source->tableId)->featureColumns();

    std::vector<const LoadedSliceSet*> sets;
    if (!job.compareColumn.empty() && job.source)
        sets.push_back(result.loaded.at(job.source->tableId).get());
    else
        for (const auto& ref : job.input.refs)
            sets.push_back(result.loaded.at(ref.tableId).get());
    result.features = sharedFeatures(sets);
    if (sets.empty() || job.options.by.empty()) return result;

    const auto metric = job.options.metric;
    for (const auto* set : sets)
        if (set->eval.multiclass && metric != SliceMetric::Accuracy && metric != SliceMetric::ErrorRate) {
            result.error = set->ref.runName + ": " + set->ref.setName +
                           " is multiclass: slices support accuracy and error rate for it";
            return result;
        }
    std::vector<CohortInput> cohorts;
    for (const auto* set : sets)
        cohorts.push_back(set->cohort());
    if (!job.compareColumn.empty()) {
        auto split = splitByColumn(cohorts.front(), job.compareColumn, &result.error);
        if (!split) return result;
        cohorts = std::move(*split);
    }
    result.report = compareSlices(cohorts, job.options, &result.error);
    return result;
}

SliceJobResult runFinderJob(const FinderJob& job) {
    SliceJobResult result;
    result.generation = job.input.generation;
    if (job.input.refs.empty() || !loadSets(job.input, job.input.refs, result)) return result;
    const auto& set = *result.loaded.at(job.input.refs.front().tableId);
    const auto errors = set.errors();
    result.found = findSlices(set.table, errors, {}, job.options);
    return result;
}

SliceJobResult runChangesJob(const FinderJob& job) {
    SliceJobResult result;
    result.generation = job.input.generation;
    if (job.input.refs.size() != 2 || !loadSets(job.input, job.input.refs, result)) return result;
    const auto& a = *result.loaded.at(job.input.refs[0].tableId);
    const auto& b = *result.loaded.at(job.input.refs[1].tableId);
    // The paired engine's alignment (ids checked, labels must agree), as in Compare and `runlens diff`.
    const auto checked = alignEvaluations(a.table, a.eval, b.table, b.eval, &result.error);
    if (!checked) return result;
    const Alignment& alignment = checked->pairs;
    result.alignedExamples = static_cast<std::int64_t>(alignment.rowsA.size());
    result.alignedById = alignment.byId;
    if (alignment.rowsA.empty()) {
        result.error = "the two evaluation sets share no example (by id and label)";
        return result;
    }
    const CohortInput ca = a.cohort(), cb = b.cohort();
    std::vector<std::uint8_t> correctA, correctB;
    correctA.reserve(alignment.rowsA.size());
    correctB.reserve(alignment.rowsA.size());
    for (std::size_t i = 0; i < alignment.rowsA.size(); ++i) {
        const auto ra = alignment.rowsA[i], rb = alignment.rowsB[i];
        correctA.push_back(static_cast<std::uint8_t>(predictedOf(ca, ra, 0.5) == ca.labels[ra]));
        correctB.push_back(static_cast<std::uint8_t>(predictedOf(cb, rb, 0.5) == cb.labels[rb]));
    }
    result.changes = sliceChanges(a.table, alignment.rowsA, correctA, correctB, job.options, kChangeFdr);
    std::erase_if(result.changes, [](const SliceChange& c) { return !(c.qValue < kChangeFdr); });
    return result;
}

} // namespace runlens::ui
