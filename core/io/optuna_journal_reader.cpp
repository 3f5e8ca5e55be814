// Optuna's JournalStorage: the operation log replayed into studies and trials, then mapped to runs.
#include "core/io/optuna_journal_reader.h"

#include "core/io/optuna_study.h"
#include "core/io/python_json.h"

#include <charconv>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <simdjson.h>

namespace runlens {
namespace {

// JournalOperation in optuna/storages/_journal/storage.py (Optuna 3.x).
enum Op {
    kCreateStudy = 0,
    kDeleteStudy = 1,
    kSetStudyUserAttr = 2,
    kSetStudySystemAttr = 3,
    kCreateTrial = 4,
    kSetTrialParam = 5,
    kSetTrialStateValues = 6,
    kSetTrialIntermediateValue = 7,
    kSetTrialUserAttr = 8,
    kSetTrialSystemAttr = 9,
};

constexpr std::size_t kMaxLine = 64 * 1024 * 1024;

// TrialState and StudyDirection, by their integer values.
std::string stateName(std::int64_t state) {
    switch (state) {
    case 0:
        return "RUNNING";
    case 1:
        return "COMPLETE";
    case 2:
        return "PRUNED";
    case 3:
        return "FAIL";
    case 4:
        return "WAITING";
    default:
        return "STATE_" + std::to_string(state);
    }
}

std::string directionName(std::int64_t d) {
    return d == 1 ? "minimize" : d == 2 ? "maximize" : "not_set";
}

bool isFinished(const std::string& state) {
    return state == "COMPLETE" || state == "PRUNED" || state == "FAIL";
}

struct JournalTrial {
    std::int64_t studyId = 0;
    OptunaTrial trial;
    std::map<std::string, std::size_t> paramIndex; // name -> position in trial.params
};

struct JournalStudy {
    OptunaStudy study;
    std::vector<std::size_t> trials; // global trial ids in creation order
    std::map<std::string, std::size_t> userAttrIndex;
};

void setKeyValue(std::vector<std::pair<std::string, std::string>>& list,
                 std::map<std::string, std::size_t>& index, std::string key, std::string value) {
    const auto it = index.find(key);
    if (it != index.end()) {
        list[it->second].second = std::move(value);
        return;
    }
    index.emplace(key, list.size());
    list.emplace_back(std::move(key), std::move(value));
}

class JournalReplay {
  public:
    JournalReplay(const std::string& label, ReadReport& report) : m_label(label), m_report(report) {}

    void apply(simdjson::dom::object op, std::int64_t line) {
        m_line = line;
        std::int64_t code = -1;
        if (op["op_code"].get(code)) return bad("no op_code");
        switch (code) {
        case kCreateStudy:
            return createStudy(op);
        case kDeleteStudy:
            if (auto id = studyOf(op)) m_studies.erase(*id);
            return;
        case kSetStudyUserAttr:
        case kSetStudySystemAttr:
            return studyAttr(op, code == kSetStudyUserAttr);
        case kCreateTrial:
            return createTrial(op);
        case kSetTrialParam:
            return setParam(op);
        case kSetTrialStateValues:
            return setStateValues(op);
        case kSetTrialIntermediateValue:
            return setIntermediate(op);
        case kSetTrialUserAttr:
            return trialUserAttr(op);
        case kSetTrialSystemAttr:
            return; // Optuna's bookkeeping (e.g. fixed params), nothing a run shows
        default:
            return bad("unknown op_code " + std::to_string(code));
        }
    }

    std::vector<OptunaStudy> studies() const {
        std::vector<OptunaStudy> out;
        for (const auto& [id, js] : m_studies) {
            OptunaStudy s = js.study;
            for (std::size_t t : js.trials)
                s.trials.push_back(m_trials[t].trial);
            out.push_back(std::move(s));
        }
        return out;
    }

  private:
    void bad(const std::string& why) {
        m_report.warn(IssueKind::BadRecord, m_label, m_line, "journal operation skipped: " + why);
    }

    std::optional<std::int64_t> studyOf(simdjson::dom::object op) {
        std::int64_t id = 0;
        if (op["study_id"].get(id) || !m_studies.count(id)) {
            bad("unknown study");
            return std::nullopt;
        }
        return id;
    }

    // The trial an update names, when it exists and is not finished (Optuna ignores updates to those).
    JournalTrial* updatable(simdjson::dom::object op) {
        std::int64_t id = 0;
        if (op["trial_id"].get(id) || id < 0 || static_cast<std::size_t>(id) >= m_trials.size()) {
            bad("unknown trial");
            return nullptr;
        }
        JournalTrial& t = m_trials[static_cast<std::size_t>(id)];
        if (isFinished(t.trial.state)) return nullptr;
        return &t;
    }

    void createStudy(simdjson::dom::object op) {
        std::string_view name;
        if (op["study_name"].get(name)) return bad("create_study without study_name");
        for (const auto& [id, s] : m_studies)
            if (s.study.name == name) return; // Optuna refuses a duplicate name; the first one stays
        JournalStudy s;
        s.study.name = std::string(name);
        simdjson::dom::array directions;
        if (!op["directions"].get(directions))
            for (auto d : directions) {
                std::int64_t v = 0;
                s.study.directions.push_back(directionName(d.get(v) ? 0 : v));
            }
        m_studies.emplace(m_nextStudyId++, std::move(s));
    }

    void studyAttr(simdjson::dom::object op, bool user) {
        const auto id = studyOf(op);
        if (!id) return;
        simdjson::dom::object attrs;
        if (op[user ? "user_attr" : "system_attr"].get(attrs)) return bad("attribute without a value");
        JournalStudy& s = m_studies[*id];
        for (auto field : attrs) {
            if (user) {
                setKeyValue(s.study.userAttrs, s.userAttrIndex, std::string(field.key),
                            simdjson::minify(field.value));
            } else if (field.key == "study:metric_names") {
                s.study.metricNames.clear();
                simdjson::dom::array names;
                if (!field.value.get(names))
                    for (auto n : names) {
                        std::string_view text;
                        s.study.metricNames.emplace_back(n.get(text) ? std::string() : std::string(text));
                    }
            }
        }
    }

    void createTrial(simdjson::dom::object op) {
        const auto id = studyOf(op);
        if (!id) return;
        JournalStudy& s = m_studies[*id];
        JournalTrial t;
        t.studyId = *id;
        t.trial.number = static_cast<std::int64_t>(s.trials.size());
        std::int64_t state = 0;
        t.trial.state = stateName(op["state"].get(state) ? 0 : state);
        std::string_view when;
        if (!op["datetime_start"].get(when)) t.trial.start = optunaTimeText(when);
        if (!op["datetime_complete"].get(when)) t.trial.complete = optunaTimeText(when);
        // A trial created whole (enqueue_trial, add_trial, a copied study) carries everything at once.
        simdjson::dom::object params, distributions;
        if (!op["params"].get(params) && !op["distributions"].get(distributions))
            for (auto field : params) {
                double internal = 0;
                std::string_view dist;
                if (!jsonNumber(field.value, internal) || distributions[field.key].get(dist)) continue;
                addParam(t, std::string(field.key), internal, dist);
            }
        simdjson::dom::object attrs;
        if (!op["user_attrs"].get(attrs)) {
            std::map<std::string, std::size_t> index;
            for (auto field : attrs)
                setKeyValue(t.trial.userAttrs, index, std::string(field.key), simdjson::minify(field.value));
        }
        readValues(op, t.trial);
        simdjson::dom::object intermediate;
        if (!op["intermediate_values"].get(intermediate))
            for (auto field : intermediate) {
                double v = 0;
                std::int64_t step = 0;
                const std::string key(field.key);
                const auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), step);
                if (ec == std::errc() && p == key.data() + key.size() && jsonNumber(field.value, v))
                    t.trial.intermediate[step] = v;
            }
        s.trials.push_back(m_trials.size());
        m_trials.push_back(std::move(t));
    }

    void addParam(JournalTrial& t, std::string name, double internal, std::string_view distribution) {
        std::string why;
        std::string value = optunaParamText(internal, distribution, why);
        if (!why.empty()) {
            bad("param '" + name + "': " + why);
            return;
        }
        setKeyValue(t.trial.params, t.paramIndex, std::move(name), std::move(value));
    }

    void setParam(simdjson::dom::object op) {
        JournalTrial* t = updatable(op);
        if (!t) return;
        std::string_view name, distribution;
        double internal = 0;
        simdjson::dom::element value;
        if (op["param_name"].get(name) || op["distribution"].get(distribution) ||
            op["param_value_internal"].get(value) || !jsonNumber(value, internal))
            return bad("set_trial_param without name, value or distribution");
        addParam(*t, std::string(name), internal, distribution);
    }

    static void readValues(simdjson::dom::object op, OptunaTrial& trial) {
        simdjson::dom::array values;
        if (!op["values"].get(values)) {
            trial.values.clear();
            for (auto v : values) {
                double d = 0;
                trial.values.push_back(jsonNumber(v, d) ? d : std::numeric_limits<double>::quiet_NaN());
            }
            return;
        }
        simdjson::dom::element single;
        double d = 0;
        if (!op["value"].get(single) && jsonNumber(single, d)) trial.values = {d};
    }

    void setStateValues(simdjson::dom::object op) {
        JournalTrial* t = updatable(op);
        if (!t) return;
        std::int64_t state = 0;
        if (op["state"].get(state)) return bad("set_trial_state_values without state");
        t->trial.state = stateName(state);
        std::string_view when;
        if (state == 0 && !op["datetime_start"].get(when)) t->trial.start = optunaTimeText(when);
        if (!op["datetime_complete"].get(when)) t->trial.complete = optunaTimeText(when);
        readValues(op, t->trial);
    }

    void setIntermediate(simdjson::dom::object op) {
        JournalTrial* t = updatable(op);
        if (!t) return;
        std::int64_t step = 0;
        simdjson::dom::element value;
        double v = 0;
        if (op["step"].get(step) || op["intermediate_value"].get(value))
            return bad("set_trial_intermediate_value without step or value");
        if (!jsonNumber(value, v)) v = std::numeric_limits<double>::quiet_NaN(); // null: Optuna's NaN
        t->trial.intermediate[step] = v;
    }

    void trialUserAttr(simdjson::dom::object op) {
        JournalTrial* t = updatable(op);
        if (!t) return;
        simdjson::dom::object attrs;
        if (op["user_attr"].get(attrs)) return bad("set_trial_user_attr without a value");
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < t->trial.userAttrs.size(); ++i)
            index.emplace(t->trial.userAttrs[i].first, i);
        for (auto field : attrs)
            setKeyValue(t->trial.userAttrs, index, std::string(field.key), simdjson::minify(field.value));
    }

    const std::string& m_label;
    ReadReport& m_report;
    std::int64_t m_line = 0;
    std::int64_t m_nextStudyId = 0;
    std::map<std::int64_t, JournalStudy> m_studies;
    std::vector<JournalTrial> m_trials; // by global trial id
};

bool looksLikeJournalLine(std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    return !line.empty() && line.front() == '{' && line.find("\"op_code\"") != std::string_view::npos &&
           line.find("\"worker_id\"") != std::string_view::npos;
}

} // namespace

int OptunaJournalReader::confidence(const FileProbe& probe) const {
    const std::string_view head = probe.head;
    const std::size_t nl = head.find('\n');
    const std::string_view first = head.substr(0, nl == std::string_view::npos ? head.size() : nl);
    return looksLikeJournalLine(first) ? 95 : 0;
}

ReadReport OptunaJournalReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                     ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string label = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        report.error(IssueKind::Unreadable, label, 0, "cannot open the file");
        return report;
    }
    JournalReplay replay(label, report);
    simdjson::dom::parser parser;
    std::string line, repaired;
    std::int64_t lineNo = 0, consumed = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        const bool complete = !in.eof(); // getline stopped at a newline
        if ((lineNo & 1023) == 0 && (ctx.cancelled() || sink.cancelled())) {
            report.warn(IssueKind::Cancelled, label, lineNo, "import cancelled");
            return report;
        }
        if (!complete) break; // a line still being written: read it next time
        consumed += static_cast<std::int64_t>(line.size()) + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (line.size() > kMaxLine) {
            report.warn(IssueKind::LineTooLong, label, lineNo, "journal line longer than 64 MiB skipped");
            continue;
        }
        simdjson::dom::object op;
        auto error = parser.parse(line).get(op);
        if (error && repairPythonJson(line, repaired)) error = parser.parse(repaired).get(op);
        if (error) {
            report.warn(IssueKind::BadRecord, label, lineNo, "not a JSON object; line skipped");
            continue;
        }
        replay.apply(op, lineNo);
    }
    report.endOffset = consumed;
    const auto studies = replay.studies();
    if (studies.empty()) report.add(Severity::Info, IssueKind::Empty, label, 0, "the journal holds no study");
    report.points = deliverOptunaStudies(studies, ctx.runName, label, sink);
    return report;
}

} // namespace runlens
