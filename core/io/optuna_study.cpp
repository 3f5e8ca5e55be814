// The mapping of Optuna studies to runs, and the value conversions both Optuna storages need.
#include "core/io/optuna_study.h"

#include "core/io/reader.h"
#include "core/model/number_text.h"
#include "core/model/series.h"
#include "core/model/text_number.h"

#include <charconv>
#include <cmath>
#include <simdjson.h>

namespace runlens {
namespace {

// A JSON scalar as Python's str() prints it, which is how a categorical choice reads in Optuna's own output.
std::string choiceText(simdjson::dom::element e) {
    using T = simdjson::dom::element_type;
    switch (e.type()) {
    case T::STRING:
        return std::string(std::string_view(e));
    case T::INT64:
        return std::to_string(int64_t(e));
    case T::UINT64:
        return std::to_string(uint64_t(e));
    case T::DOUBLE:
        return numberText(double(e));
    case T::BOOL:
        return bool(e) ? "True" : "False";
    case T::NULL_VALUE:
        return "None";
    default:
        return simdjson::minify(e);
    }
}

std::vector<std::string> objectiveNames(const OptunaStudy& study, std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) {
        if (study.metricNames.size() == count && !study.metricNames[i].empty())
            names.push_back(study.metricNames[i]);
        else
            names.push_back(count == 1 ? std::string("value") : "value_" + std::to_string(i));
    }
    return names;
}

std::string lowerCase(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace

std::string optunaParamText(double internal, std::string_view distributionJson, std::string& why) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(distributionJson.data(), distributionJson.size()).get(doc)) {
        why = "distribution is not JSON";
        return {};
    }
    std::string_view name;
    if (doc["name"].get(name)) {
        why = "distribution has no name";
        return {};
    }
    if (name == "CategoricalDistribution") {
        simdjson::dom::array choices;
        if (doc["attributes"]["choices"].get(choices)) {
            why = "categorical distribution without choices";
            return {};
        }
        const double index = std::floor(internal);
        if (!(index >= 0) || index != internal || index >= static_cast<double>(choices.size())) {
            why = "categorical index " + numberText(internal) + " outside its " +
                  std::to_string(choices.size()) + " choices";
            return {};
        }
        simdjson::dom::element choice;
        if (choices.at(static_cast<std::size_t>(index)).get(choice)) {
            why = "categorical choice unreadable";
            return {};
        }
        return choiceText(choice);
    }
    // IntDistribution (3.x) and the 2.x IntUniformDistribution / IntLogUniformDistribution.
    if (name.rfind("Int", 0) == 0 && std::isfinite(internal) && std::fabs(internal) < 9.0e18)
        return std::to_string(static_cast<std::int64_t>(std::llround(internal)));
    return numberText(internal);
}

std::string optunaTimeText(std::string_view text) {
    double seconds = 0;
    if (text.empty() || !textnum::parseIsoTime(text, seconds)) return {};
    return numberText(seconds);
}

std::int64_t deliverOptunaStudies(const std::vector<OptunaStudy>& studies, std::string_view runPrefix,
                                  const std::string& sourceLabel, ImportSink& sink) {
    std::int64_t points = 0;
    for (const OptunaStudy& study : studies) {
        std::string direction;
        for (const auto& d : study.directions)
            direction += (direction.empty() ? "" : ",") + d;
        const std::string studyRun = joinRunName(runPrefix, study.name);
        for (const OptunaTrial& trial : study.trials) {
            if (sink.cancelled()) return points;
            const std::string run = joinRunName(studyRun, "trial_" + std::to_string(trial.number));
            sink.setProvenance(run, ProvenanceField::SourcePath, sourceLabel);
            sink.setProvenance(run, ProvenanceField::Format, "optuna");
            if (!trial.state.empty())
                sink.setProvenance(run, ProvenanceField::Status, lowerCase(trial.state));
            if (!trial.start.empty()) sink.setProvenance(run, ProvenanceField::StartTime, trial.start);
            if (!trial.complete.empty()) sink.setProvenance(run, ProvenanceField::EndTime, trial.complete);
            sink.setTag(run, "optuna.study", study.name);
            sink.setTag(run, "optuna.trial", std::to_string(trial.number));
            if (!trial.state.empty()) sink.setTag(run, "optuna.state", trial.state);
            if (!direction.empty()) sink.setTag(run, "optuna.direction", direction);
            for (const auto& [key, value] : study.userAttrs)
                sink.setTag(run, "optuna.study_attr." + key, value);
            for (const auto& [key, value] : trial.userAttrs)
                sink.setTag(run, "optuna.user_attr." + key, value);
            for (const auto& [key, value] : trial.params)
                sink.setParam(run, key, value);
            const auto names = objectiveNames(study, trial.values.size());
            for (std::size_t i = 0; i < trial.values.size(); ++i)
                sink.setSummaryMetric(run, names[i], trial.values[i]);
            if (trial.intermediate.empty()) continue;
            SeriesData series;
            for (const auto& [step, value] : trial.intermediate)
                series.push(step, kNaN, value);
            sink.appendPoints(run, "intermediate_value", series.steps, series.wallTimes, series.values);
            points += static_cast<std::int64_t>(series.size());
        }
    }
    return points;
}

} // namespace runlens
