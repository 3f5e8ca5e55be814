// Recognises code version, data version and seed among a run's params and tags so readers can set provenance.
#pragma once

#include "core/model/import_sink.h"
#include "core/model/run.h"

#include <optional>
#include <string>
#include <string_view>

namespace runlens {

// How sure a key/value pair names a provenance field: explicit names ("git_commit", "data_version") beat
// generic ones ("sha", "data.md5"), so a nested "model.sha" never overrides a top-level "git_commit".
struct ProvenanceMatch {
    ProvenanceField field = ProvenanceField::CodeVersion;
    int priority = 0; // higher wins
};

// Classifies one flattened key ("git.commit", "config/seed", "mlflow.source.git.commit") with its value.
// The last component of the key decides (components split at '.', '/' and ':'), case-insensitively, with
// '-' read as '_'. Generic names such as "commit", "sha" or "hash" count only when the value looks like a
// hexadecimal revision (7 to 64 hex digits); a seed must be an integer. Returns nothing for other keys.
std::optional<ProvenanceMatch> matchProvenance(std::string_view key, std::string_view value);

// Collects the best candidate per field while a reader offers its params and tags, then sets them once.
class ProvenanceScan {
  public:
    void offer(std::string_view key, std::string_view value);
    // Calls sink.setProvenance for every field found; fields not found are left alone.
    void apply(ImportSink& sink, std::string_view run) const;

    const std::string& codeVersion() const { return m_code.value; }
    const std::string& dataVersion() const { return m_data.value; }
    const std::string& seed() const { return m_seed.value; }

  private:
    struct Candidate {
        std::string value;
        int priority = -1;
        std::size_t depth = 0; // key components; shallower wins a tie
    };
    static void consider(Candidate& slot, std::string_view value, int priority, std::size_t depth);

    Candidate m_code;
    Candidate m_data;
    Candidate m_seed;
};

} // namespace runlens
