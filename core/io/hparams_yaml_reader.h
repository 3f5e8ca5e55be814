// Reads hyperparameter files (hparams.yaml, params.yaml, config.yaml, params.json) into run params.
#pragma once

#include "core/io/reader.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace simdjson::dom {
class element;
}
namespace YAML {
class Node;
}

namespace runlens {

// ---- Helpers the structured-file readers (this one, Hugging Face, DVCLive) share. ----

// One leaf of a flattened document: "optimizer.lr" -> "0.001". number is set for JSON numbers only.
struct FlatEntry {
    std::string key;
    std::string text;
    std::optional<double> number;
};

// Bounds that keep hostile documents (deep nesting, alias bombs, huge lists) cheap to flatten.
struct FlattenLimits {
    int maxDepth = 64;                     // deeper values are dropped with one warning
    std::size_t maxEntries = 10000;        // leaves beyond this are dropped with one warning
    std::size_t maxValueChars = 2048;      // longer texts are cut and end in "..."
    std::size_t maxVisitedNodes = 1000000; // work budget: aliases may make a small file a huge tree
};

struct FlattenResult {
    std::vector<FlatEntry> entries; // in document order
    bool depthExceeded = false;
    bool entriesCapped = false;
    bool budgetExhausted = false;
    std::size_t textsCut = 0;
    bool pythonTags = false;            // YAML tags of the python/* family met (read as plain data)
    std::size_t pythonBlobsDropped = 0; // values that were pickled state (!!python/object/apply, !!binary)
};

// Flattens a JSON object: nested objects join their keys with separator; arrays become compact JSON text;
// strings are taken verbatim; true/false/null as words; integers keep their exact digits and other numbers
// are written as the shortest text that reads back as the same double.
// prefix (may be empty) is put before every key, as if root were nested under it.
FlattenResult flattenJson(const simdjson::dom::element& root, char separator, const std::string& prefix = {},
                          const FlattenLimits& limits = {});

// Flattens a YAML mapping the same way. Tags (including !!python/object, !!python/tuple, !!binary) are
// ignored and the node is read as the plain map, sequence or scalar it is; nothing is ever constructed.
// A "!!python/name:pkg.Thing ''" scalar reads as "pkg.Thing". Sequences become compact "[a, b]" text.
FlattenResult flattenYaml(const YAML::Node& root, char separator, const FlattenLimits& limits = {});

// Adds one warning per limit the flattening hit (file and a sentence), nothing when none was hit.
void reportFlattenLimits(const FlattenResult& result, const std::string& file, ReadReport& report);

// Reads a whole JSON or YAML file (at most maxBytes) into text. On failure adds an Error and returns nothing.
// Invalid UTF-8 sequences are replaced by U+FFFD with one InvalidUtf8 warning naming the first bad line.
std::optional<std::string> readStructuredText(const std::filesystem::path& path, const std::string& file,
                                              ReadReport& report, std::size_t maxBytes = 256u << 20);

// Python's json module writes NaN, Infinity and -Infinity, which JSON does not allow: outside strings these
// tokens are put in quotes so the document parses; pythonJsonSpecial() then turns such a string back into
// the number. Returns false (text untouched) when the text holds none of them.
bool quotePythonJsonSpecials(std::string& text);
std::optional<double> pythonJsonSpecial(std::string_view text);

// Explains a simdjson parse failure of text in one sentence and picks the fitting issue kind
// (Truncated when the text ends inside the document).
void reportJsonError(int simdjsonErrorCode, std::string_view text, const std::string& file,
                     ReadReport& report);

// Parses YAML params text: the whole document, or, when it does not parse, each top-level entry on its own
// so what parses is kept (one warning tells what was skipped). W&B's config.yaml form {desc, value} is read
// as the value and its "_wandb" / "wandb_version" bookkeeping is dropped.
FlattenResult parseYamlParams(std::string_view text, const std::string& file, ReadReport& report);

// ---- The reader. ----

// hparams.yaml / hparams.yml (Lightning), params.yaml (DVC), config.yaml (W&B, Hydra) and params.json next to
// logs become params of ctx.runName ("a.b.c" keys); code version, data version and seed go to provenance.
class HparamsYamlReader : public Reader {
  public:
    std::string_view name() const override { return "hparams"; }
    std::string_view description() const override {
        return "Hyperparameter files: hparams.yaml, params.yaml, config.yaml, params.json";
    }
    int confidence(const FileProbe& probe) const override; // 90 for the file names above, else 0
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

// Sends flattened params to the sink and offers them to a provenance scan, which it then applies.
void deliverParams(const FlattenResult& params, std::string_view run, ImportSink& sink);

} // namespace runlens
