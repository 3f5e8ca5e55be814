// Provenance recognition: which param or tag keys carry a code version, a data version or a seed.
#include "core/io/provenance_scan.h"

#include "core/model/text_number.h"

#include <algorithm>
#include <vector>

namespace runlens {
namespace {

// Lower-cased key components with '-' read as '_' ("Git-Commit" -> "git_commit").
std::vector<std::string> keyComponents(std::string_view key) {
    std::vector<std::string> parts;
    std::string current;
    for (const char c : key) {
        if (c == '.' || c == '/' || c == ':') {
            if (!current.empty()) parts.push_back(std::move(current));
            current.clear();
            continue;
        }
        char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        current.push_back(lower == '-' ? '_' : lower);
    }
    if (!current.empty()) parts.push_back(std::move(current));
    return parts;
}

bool looksLikeRevision(std::string_view value) {
    value = textnum::trim(value);
    if (value.size() < 7 || value.size() > 64) return false;
    return std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

bool looksLikeSeed(std::string_view value) {
    std::int64_t seed = 0;
    return textnum::parseIntFast(textnum::trim(value), seed);
}

bool isOneOf(std::string_view word, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), word) != names.end();
}

bool mentionsData(const std::vector<std::string>& parts) {
    // Every component but the last: "data.md5", "dataset.version", "dvc.data.hash".
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        if (parts[i].find("data") != std::string::npos) return true;
    }
    return false;
}

} // namespace

std::optional<ProvenanceMatch> matchProvenance(std::string_view key, std::string_view value) {
    if (textnum::isMissing(value)) return std::nullopt;
    const std::vector<std::string> parts = keyComponents(key);
    if (parts.empty()) return std::nullopt;
    const std::string& last = parts.back();

    if (isOneOf(last, {"seed", "random_seed", "random_state", "rng_seed", "global_seed", "manual_seed",
                       "seed_everything", "torch_seed"})) {
        if (!looksLikeSeed(value)) return std::nullopt;
        return ProvenanceMatch{ProvenanceField::Seed, last == "seed" || last == "random_seed" ? 2 : 1};
    }
    if (isOneOf(last, {"data_version", "dataset_version", "data_hash", "dataset_hash", "data_md5",
                       "dataset_md5", "dvc_data_hash", "data_rev", "data_revision", "dataset_revision",
                       "data_commit", "dataset_commit", "data_sha"})) {
        return ProvenanceMatch{ProvenanceField::DataVersion, 2};
    }
    if (mentionsData(parts) &&
        isOneOf(last, {"md5", "hash", "version", "rev", "revision", "sha", "commit"})) {
        return ProvenanceMatch{ProvenanceField::DataVersion, 1};
    }
    if (isOneOf(last, {"git_commit", "git_sha", "commit_sha", "commit_hash", "git_hash", "git_revision",
                       "code_version", "git_commit_hash", "source_version", "code_revision"})) {
        return ProvenanceMatch{ProvenanceField::CodeVersion, 2};
    }
    if (isOneOf(last, {"commit", "sha", "revision", "hash", "rev"}) && looksLikeRevision(value)) {
        // "git.commit" and MLflow's "mlflow.source.git.commit" are explicit despite the generic last word.
        const bool underGit = parts.size() >= 2 && parts[parts.size() - 2] == "git";
        return ProvenanceMatch{ProvenanceField::CodeVersion, underGit ? 2 : 1};
    }
    return std::nullopt;
}

void ProvenanceScan::consider(Candidate& slot, std::string_view value, int priority, std::size_t depth) {
    const bool better = priority > slot.priority || (priority == slot.priority && depth < slot.depth);
    if (!better) return;
    slot.value = std::string(textnum::trim(value));
    slot.priority = priority;
    slot.depth = depth;
}

void ProvenanceScan::offer(std::string_view key, std::string_view value) {
    const std::optional<ProvenanceMatch> match = matchProvenance(key, value);
    if (!match) return;
    const std::size_t depth = keyComponents(key).size();
    switch (match->field) {
    case ProvenanceField::CodeVersion:
        consider(m_code, value, match->priority, depth);
        break;
    case ProvenanceField::DataVersion:
        consider(m_data, value, match->priority, depth);
        break;
    case ProvenanceField::Seed:
        consider(m_seed, value, match->priority, depth);
        break;
    default:
        break;
    }
}

void ProvenanceScan::apply(ImportSink& sink, std::string_view run) const {
    if (m_code.priority >= 0) sink.setProvenance(run, ProvenanceField::CodeVersion, m_code.value);
    if (m_data.priority >= 0) sink.setProvenance(run, ProvenanceField::DataVersion, m_data.value);
    if (m_seed.priority >= 0) sink.setProvenance(run, ProvenanceField::Seed, m_seed.value);
}

} // namespace runlens
