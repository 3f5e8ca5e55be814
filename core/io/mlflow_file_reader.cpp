// MLflow file store: experiments and runs from meta.yaml, metric/param/tag files under each run directory.
#include "core/io/mlflow_file_reader.h"

#include "core/model/series.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <yaml-cpp/yaml.h>

namespace runlens {
namespace fs = std::filesystem;

namespace {

struct Experiment {
    fs::path dir;
    std::string name;
};

struct RunDir {
    fs::path dir;
    std::string id;
    std::string name;
    YAML::Node meta;
};

// The whole of a small file, or nullopt when it cannot be read or is larger than the limit.
std::optional<std::string> readSmallFile(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size > MlflowFileStoreReader::kMaxSmallFile) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

std::optional<YAML::Node> loadMeta(const fs::path& path, ReadReport* report) {
    const auto text = readSmallFile(path);
    if (!text) return std::nullopt;
    try {
        YAML::Node node = YAML::Load(*text);
        if (node.IsMap()) return node;
    } catch (const YAML::Exception& e) {
        if (report)
            report->warn(IssueKind::BadRecord, path.string(), e.mark.line + 1, "not valid YAML: " + e.msg);
        return std::nullopt;
    }
    if (report) report->warn(IssueKind::BadRecord, path.string(), 0, "meta.yaml is not a mapping");
    return std::nullopt;
}

std::string scalarOf(const YAML::Node& node, const char* key) {
    const YAML::Node v = node[key];
    return v && v.IsScalar() ? v.Scalar() : std::string{};
}

bool isDeleted(const YAML::Node& meta) {
    return scalarOf(meta, "lifecycle_stage") == "deleted";
}

std::vector<fs::path> sortedChildren(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

bool isRunMeta(const YAML::Node& meta) {
    return meta["run_id"] || meta["run_uuid"];
}

// True when one of dir's first folders is an MLflow run (a meta.yaml with a run id).
bool holdsRuns(const fs::path& dir) {
    int checked = 0;
    for (const auto& child : sortedChildren(dir)) {
        if (++checked > 64) break;
        std::error_code ec;
        if (!fs::is_directory(child, ec)) continue;
        const auto meta = loadMeta(child / "meta.yaml", nullptr);
        if (meta && isRunMeta(*meta)) return true;
    }
    return false;
}

enum class ExperimentMeta { NotAnExperiment, Valid, Damaged };

struct ExperimentDirMeta {
    ExperimentMeta kind = ExperimentMeta::NotAnExperiment;
    std::optional<YAML::Node> meta; // set when Valid
};

// An experiment folder has an experiment meta.yaml; one whose meta.yaml is unreadable (a crash while
// MLflow rewrote it) still counts when it holds runs, so a damaged file does not hide their data. The file
// is read once; report (when given) receives the parser's reason for a damaged one.
ExperimentDirMeta experimentMeta(const fs::path& dir, ReadReport* report) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || dir.filename() == ".trash") return {};
    ReadReport parse;
    auto meta = loadMeta(dir / "meta.yaml", &parse);
    if (meta) {
        if (!(*meta)["experiment_id"] || isRunMeta(*meta)) return {};
        return {ExperimentMeta::Valid, std::move(meta)};
    }
    if (!holdsRuns(dir)) return {};
    if (report) report->merge(parse);
    return {ExperimentMeta::Damaged, std::nullopt};
}

// True when p is a symbolic link resolving outside root: a log folder must not make us read other files
// (a params/ link to ~/.ssh/id_rsa would otherwise end up stored as a parameter value).
bool linksOutside(const fs::path& p, const fs::path& root) {
    std::error_code ec;
    if (!fs::is_symlink(p, ec)) return false;
    const fs::path target = fs::weakly_canonical(p, ec);
    if (ec) return true;
    const std::string rel = target.lexically_relative(fs::weakly_canonical(root, ec)).generic_string();
    return ec || rel.empty() || rel.rfind("..", 0) == 0;
}

// Files under sub (metrics/, params/, tags/) as (key with '/' separators, path), sorted by key.
std::vector<std::pair<std::string, fs::path>> keyedFiles(const fs::path& sub, ReadReport& report) {
    std::vector<std::pair<std::string, fs::path>> out;
    std::error_code ec;
    if (!fs::is_directory(sub, ec)) return out;
    for (fs::recursive_directory_iterator it(sub, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        if (linksOutside(it->path(), sub.parent_path())) {
            report.warn(IssueKind::Unsupported, it->path().string(), 0,
                        "symbolic link points outside the MLflow run folder; not followed");
            continue;
        }
        out.emplace_back(it->path().lexically_relative(sub).generic_string(), it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string trimNewline(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

std::string secondsText(std::string_view ms) {
    std::int64_t v = 0;
    const auto res = std::from_chars(ms.data(), ms.data() + ms.size(), v);
    if (res.ec != std::errc() || res.ptr != ms.data() + ms.size()) return {};
    char buf[64];
    const auto out = std::to_chars(buf, buf + sizeof buf, static_cast<double>(v) / 1000.0);
    return std::string(buf, out.ptr);
}

// Splits on spaces; up to 4 fields (a 4th means the line is malformed).
std::size_t splitFields(std::string_view line, std::string_view (&fields)[4]) {
    std::size_t n = 0;
    std::size_t i = 0;
    while (i < line.size() && n < 4) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size()) break;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            ++i;
        fields[n++] = line.substr(start, i - start);
    }
    return n;
}

template <typename T> bool parseNumber(std::string_view s, T& out) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    const auto res = std::from_chars(s.data(), s.data() + s.size(), out);
    return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// Reads one metrics/<key> file into the sink; returns false if it could not be opened.
void readMetricFile(const fs::path& path, std::string_view run, std::string_view tag, ImportSink& sink,
                    ReadReport& report) {
    const std::string label = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        report.warn(IssueKind::Unreadable, label, 0, "cannot open the metric file");
        return;
    }
    SeriesData batch;
    auto flush = [&] {
        if (batch.empty()) return;
        sink.appendPoints(run, tag, batch.steps, batch.wallTimes, batch.values);
        batch.clear();
    };
    char buf[MlflowFileStoreReader::kMaxLine];
    std::int64_t lineNo = 0;
    while (true) {
        in.getline(buf, sizeof buf);
        if (in.bad() || (in.eof() && in.gcount() == 0)) break;
        ++lineNo;
        if (in.fail() && !in.eof()) { // line longer than the buffer
            in.clear();
            in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
            report.warn(IssueKind::LineTooLong, label, lineNo, "line longer than 4096 bytes skipped");
            ++report.rowsSkipped;
            continue;
        }
        std::string_view line(buf);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::string_view f[4];
        const std::size_t n = splitFields(line, f);
        if (n == 0) continue;
        std::int64_t timestamp = 0;
        double value = 0;
        std::int64_t step = 0;
        if (n < 2 || n > 3) {
            report.warn(IssueKind::RaggedRow, label, lineNo,
                        "expected `timestamp value [step]`, found " + std::to_string(n) + " fields");
            ++report.rowsSkipped;
            continue;
        }
        if (!parseNumber(f[0], timestamp) || !parseNumber(f[1], value) ||
            (n == 3 && !parseNumber(f[2], step))) {
            report.warn(IssueKind::BadNumber, label, lineNo,
                        "not a number in `" + std::string(line.substr(0, 80)) + "`");
            ++report.rowsSkipped;
            continue;
        }
        batch.push(step, static_cast<double>(timestamp) / 1000.0, value);
        ++report.points;
        if (batch.size() >= MlflowFileStoreReader::kBatch) flush();
        if (in.eof()) break;
    }
    flush();
}

// Total size and newest mtime of the files that make up a run, so an unchanged run can be skipped.
SourceState runState(const fs::path& dir) {
    SourceState state;
    state.format = "mlflow";
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec) && it->path().filename() == "artifacts") {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        state.size += static_cast<std::int64_t>(it->file_size(ec));
        const auto t = it->last_write_time(ec);
        state.mtimeNs = std::max<std::int64_t>(
            state.mtimeNs,
            std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
    }
    state.offset = state.size;
    return state;
}

void readRun(const RunDir& run, const std::string& runName, ImportTarget& target, ReadReport& report) {
    const std::string source = run.dir.string();
    const SourceState state = runState(run.dir);
    if (const auto old = target.sourceState(source);
        old && old->size == state.size && old->mtimeNs == state.mtimeNs && old->format == state.format)
        return;
    auto tx = target.beginSource(source, "mlflow", true);
    if (!tx) {
        report.error(IssueKind::Unreadable, source, 0, "the workspace refused the source");
        return;
    }
    tx->setProvenance(runName, ProvenanceField::SourcePath, source);
    tx->setProvenance(runName, ProvenanceField::Format, "mlflow");
    if (const auto status = scalarOf(run.meta, "status"); !status.empty())
        tx->setProvenance(runName, ProvenanceField::Status, mlflowStatusName(status));
    if (const auto t = secondsText(scalarOf(run.meta, "start_time")); !t.empty())
        tx->setProvenance(runName, ProvenanceField::StartTime, t);
    if (const auto t = secondsText(scalarOf(run.meta, "end_time")); !t.empty())
        tx->setProvenance(runName, ProvenanceField::EndTime, t);
    tx->setTag(runName, "mlflow.runId", run.id);

    for (const auto& [key, path] : keyedFiles(run.dir / "params", report))
        if (const auto v = readSmallFile(path)) tx->setParam(runName, key, trimNewline(*v));
    for (const auto& [key, path] : keyedFiles(run.dir / "tags", report)) {
        const auto v = readSmallFile(path);
        if (!v) continue;
        const std::string value = trimNewline(*v);
        tx->setTag(runName, key, value);
        if (key == "mlflow.source.git.commit")
            tx->setProvenance(runName, ProvenanceField::CodeVersion, value);
    }
    for (const auto& [key, path] : keyedFiles(run.dir / "metrics", report))
        readMetricFile(path, runName, key, *tx, report);
    tx->commit(state);
}

// Runs of one experiment, with display names made unique inside the experiment.
std::vector<std::pair<RunDir, std::string>> runsOf(const Experiment& exp, ReadReport& report) {
    std::vector<RunDir> runs;
    for (const auto& child : sortedChildren(exp.dir)) {
        std::error_code ec;
        if (!fs::is_directory(child, ec) || !fs::exists(child / "meta.yaml", ec)) continue;
        auto meta = loadMeta(child / "meta.yaml", &report);
        if (!meta || isDeleted(*meta)) continue;
        RunDir run{child, scalarOf(*meta, "run_id"), {}, *meta};
        if (run.id.empty()) run.id = scalarOf(*meta, "run_uuid");
        if (run.id.empty()) run.id = child.filename().string();
        const fs::path tagFile = child / "tags" / "mlflow.runName";
        const auto tagName = linksOutside(tagFile, child) ? std::nullopt : readSmallFile(tagFile);
        run.name = tagName ? trimNewline(*tagName) : scalarOf(*meta, "run_name");
        if (run.name.empty()) run.name = run.id;
        runs.push_back(std::move(run));
    }
    std::map<std::string, int> counts;
    for (const auto& r : runs)
        ++counts[r.name];
    std::vector<std::pair<RunDir, std::string>> out;
    for (auto& r : runs) {
        std::string display = r.name;
        if (counts[r.name] > 1) display += "-" + r.id.substr(0, 8);
        out.emplace_back(std::move(r), exp.name + "/" + display);
    }
    return out;
}

} // namespace

std::string mlflowStatusName(std::string_view status) {
    static constexpr std::string_view kNames[] = {"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"};
    if (status.size() == 1 && status[0] >= '1' && status[0] <= '5')
        return std::string(kNames[status[0] - '1']);
    return std::string(status);
}

int MlflowFileStoreReader::confidence(const fs::path& dir) const {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return 0;
    int experiments = 0;
    int checked = 0;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end && checked < 64;
         it.increment(ec), ++checked)
        if (experimentMeta(it->path(), nullptr).kind != ExperimentMeta::NotAnExperiment) ++experiments;
    if (experiments == 0) return 0;
    return dir.filename() == "mlruns" ? 95 : 85;
}

ReadReport MlflowFileStoreReader::read(const fs::path& dir, const ReadContext& ctx,
                                       ImportTarget& target) const {
    ReadReport report;
    report.format = std::string(name());
    for (const auto& child : sortedChildren(dir)) {
        const ExperimentDirMeta found = experimentMeta(child, &report);
        if (found.kind == ExperimentMeta::NotAnExperiment) continue;
        Experiment exp{child, {}};
        if (found.kind == ExperimentMeta::Valid) {
            if (isDeleted(*found.meta)) continue;
            exp.name = scalarOf(*found.meta, "name");
        } else {
            report.warn(IssueKind::BadRecord, (child / "meta.yaml").string(), 0,
                        "the experiment's meta.yaml cannot be read; its runs are imported under the folder "
                        "name '" +
                            child.filename().string() + "'");
        }
        if (exp.name.empty()) exp.name = child.filename().string();
        for (const auto& [run, runName] : runsOf(exp, report)) {
            if (ctx.cancelled()) {
                report.warn(IssueKind::Cancelled, dir.string(), 0, "import cancelled");
                return report;
            }
            readRun(run, runName, target, report);
        }
    }
    return report;
}

} // namespace runlens
