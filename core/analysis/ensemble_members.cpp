// Member choice and alignment for the ensemble what-if of several runs on one evaluation set.
#include "core/analysis/ensemble_members.h"

#include "core/analysis/paired_comparison.h"
#include "core/analysis/paired_evaluation.h"

namespace runlens {

namespace {

bool usableBinary(const EvaluationSet* e) {
    return e && e->hasScores() && !e->multiclass;
}

bool usableMulticlass(const EvaluationSet* e, const EvaluationSet* first) {
    return e && e->hasScores() && e->multiclass && first && e->classes == first->classes;
}

const EvaluationSet* firstMulticlassSet(std::span<const EnsembleCandidate> candidates) {
    for (const auto& c : candidates)
        if (c.set && c.set->hasScores() && c.set->multiclass) return c.set;
    return nullptr;
}

} // namespace

std::vector<std::vector<std::size_t>> alignMembers(std::span<const PredictionTable* const> tables) {
    if (tables.empty()) return {};
    std::vector<std::vector<std::string>> ids;
    bool allIds = true;
    for (const auto* t : tables) {
        ids.push_back(exampleIds(*t));
        allIds = allIds && !ids.back().empty();
    }
    const std::size_t rows0 = tables.front()->rows();
    std::vector<std::vector<long long>> map(tables.size(), std::vector<long long>(rows0, -1));
    for (std::size_t m = 0; m < tables.size(); ++m) {
        const Alignment a = allIds ? alignById(ids[0], ids[m]) : alignByRow(rows0, tables[m]->rows());
        for (std::size_t i = 0; i < a.rowsA.size(); ++i)
            map[m][a.rowsA[i]] = static_cast<long long>(a.rowsB[i]);
    }
    std::vector<std::vector<std::size_t>> rows(tables.size());
    for (std::size_t r = 0; r < rows0; ++r) {
        bool everywhere = true;
        for (std::size_t m = 0; m < tables.size() && everywhere; ++m)
            everywhere = map[m][r] >= 0;
        if (!everywhere) continue;
        for (std::size_t m = 0; m < tables.size(); ++m)
            rows[m].push_back(static_cast<std::size_t>(map[m][r]));
    }
    return rows;
}

EnsembleOfRuns ensembleOfRuns(std::span<const EnsembleCandidate> candidates) {
    EnsembleOfRuns out;
    const EvaluationSet* firstMulticlass = firstMulticlassSet(candidates);
    std::size_t binary = 0, multiclass = 0;
    for (const auto& c : candidates) {
        binary += usableBinary(c.set);
        multiclass += usableMulticlass(c.set, firstMulticlass);
    }
    out.multiclass = multiclass > binary;
    std::vector<const PredictionTable*> tables;
    std::vector<const EvaluationSet*> sets;
    for (const auto& c : candidates) {
        const bool usable = out.multiclass ? usableMulticlass(c.set, firstMulticlass) : usableBinary(c.set);
        (usable ? out.members : out.leftOut).push_back(c.name);
        if (!usable) continue;
        tables.push_back(c.table);
        sets.push_back(c.set);
    }
    if (tables.size() < 2) {
        out.error = "fewer than two usable members";
        out.binary.error = out.ofClasses.error = out.error;
        return out;
    }
    const auto rows = alignMembers(tables);
    const std::size_t k = out.multiclass ? firstMulticlass->classCount() : 1;
    std::vector<int> labels;
    std::vector<std::vector<double>> scores(tables.size());
    for (std::size_t i = 0; i < rows[0].size(); ++i) {
        const int label = sets[0]->labels[rows[0][i]];
        labels.push_back(label);
        for (std::size_t m = 0; m < tables.size(); ++m) {
            const std::size_t r = rows[m][i];
            if (out.multiclass)
                scores[m].insert(scores[m].end(), sets[m]->probs.begin() + static_cast<std::ptrdiff_t>(r * k),
                                 sets[m]->probs.begin() + static_cast<std::ptrdiff_t>((r + 1) * k));
            else
                scores[m].push_back(sets[m]->scores[r]);
            out.labelDisagreements += sets[m]->labels[r] != label;
        }
    }
    out.shared = labels.size();
    if (out.multiclass) {
        out.ofClasses = multiclassEnsembleWhatIf(labels, scores, k);
        out.error = out.ofClasses.error;
    } else {
        out.binary = ensembleWhatIf(labels, scores);
        out.error = out.binary.error;
    }
    return out;
}

} // namespace runlens
