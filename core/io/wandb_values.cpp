// W&B value_json leaves, media objects, and a run's summary / config / system metrics until delivery.
#include "core/io/wandb_values.h"

#include "core/io/hparams_yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <simdjson.h>

namespace runlens {

struct WandbValueParser::Impl {
    simdjson::dom::parser parser;
};

WandbValueParser::WandbValueParser() : m_impl(std::make_unique<Impl>()) {}
WandbValueParser::~WandbValueParser() = default;

namespace {

std::string_view trimJson(std::string_view json) {
    while (!json.empty() && (json.front() == ' ' || json.front() == '\n' || json.front() == '\t'))
        json.remove_prefix(1);
    while (!json.empty() && (json.back() == ' ' || json.back() == '\n' || json.back() == '\t'))
        json.remove_suffix(1);
    return json;
}

} // namespace

std::optional<double> wandbScalar(std::string_view json) {
    json = trimJson(json);
    if (json.empty()) return std::nullopt;
    if (json == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (json == "Infinity") return std::numeric_limits<double>::infinity();
    if (json == "-Infinity") return -std::numeric_limits<double>::infinity();
    const char first = json.front();
    if (first != '-' && (first < '0' || first > '9')) return std::nullopt;
    // from_chars would also take "inf" and "nan", which are not JSON: the first character check rules them
    // out except after a '-'.
    if (json.size() > 1 && first == '-' && (json[1] < '0' || json[1] > '9')) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(json.data(), json.data() + json.size(), value);
    if (ec != std::errc() || end != json.data() + json.size()) return std::nullopt;
    return value;
}

bool WandbValueParser::addLeaves(std::string key, std::string_view json, std::vector<WandbLeaf>& out) {
    if (const auto number = wandbScalar(json)) {
        out.push_back({std::move(key), number, std::string(trimJson(json))});
        return true;
    }
    std::string text(json);
    quotePythonJsonSpecials(text);
    const simdjson::padded_string padded(text);
    simdjson::dom::element root;
    if (m_impl->parser.parse(padded).get(root)) return false;
    const FlattenResult flat = flattenJson(root, '.', key);
    for (const FlatEntry& entry : flat.entries)
        out.push_back({entry.key, entry.number, entry.text});
    return true;
}

std::size_t dropMediaLeaves(std::vector<WandbLeaf>& leaves) {
    std::vector<std::string> media; // "img." for a leaf "img._type"; "" when the whole value is one object
    for (const WandbLeaf& leaf : leaves) {
        constexpr std::string_view kType = "_type";
        const std::string_view key = leaf.key;
        if (key == kType) {
            media.emplace_back();
        } else if (key.size() > kType.size() && key.ends_with(kType) &&
                   key[key.size() - kType.size() - 1] == '.') {
            media.emplace_back(key.substr(0, key.size() - kType.size()));
        }
    }
    if (media.empty()) return 0;
    std::sort(media.begin(), media.end());
    media.erase(std::unique(media.begin(), media.end()), media.end());
    std::erase_if(leaves, [&](const WandbLeaf& leaf) {
        return std::any_of(media.begin(), media.end(),
                           [&](const std::string& prefix) { return leaf.key.starts_with(prefix); });
    });
    return media.size();
}

std::string joinWandbKey(const std::vector<std::string_view>& parts) {
    std::string key;
    for (const std::string_view part : parts) {
        if (!key.empty()) key.push_back('.');
        key.append(part);
    }
    return key;
}

namespace {

template <typename Map> void eraseNested(Map& map, const std::string& key) {
    map.erase(key);
    const std::string prefix = key + ".";
    for (auto it = map.lower_bound(prefix); it != map.end() && it->first.starts_with(prefix);)
        it = map.erase(it);
}

} // namespace

void WandbRunState::updateSummary(const std::vector<WandbLeaf>& leaves) {
    for (const WandbLeaf& leaf : leaves) {
        constexpr std::string_view kType = "._type";
        if (leaf.key.ends_with(kType) &&
            std::find(m_summaryMedia.begin(), m_summaryMedia.end(),
                      leaf.key.substr(0, leaf.key.size() - 5)) == m_summaryMedia.end())
            m_summaryMedia.push_back(leaf.key.substr(0, leaf.key.size() - 5));
        if (leaf.number)
            m_summary[leaf.key] = *leaf.number;
        else
            m_summary.erase(leaf.key); // a value that is now text or null is no longer a summary metric
    }
}

void WandbRunState::removeSummary(const std::string& key) {
    eraseNested(m_summary, key);
}

void WandbRunState::updateConfig(const std::vector<WandbLeaf>& leaves) {
    for (const WandbLeaf& leaf : leaves) {
        if (leaf.key == "_wandb" || leaf.key.starts_with("_wandb.")) continue; // the client's bookkeeping
        m_config[leaf.key] = leaf.text;
    }
}

void WandbRunState::removeConfig(const std::string& key) {
    eraseNested(m_config, key);
}

void WandbRunState::addSystemSample(std::string_view key, double wallTime, double value) {
    std::string tag(kWandbSystemPrefix);
    tag.append(key);
    m_system.push_back({std::move(tag), wallTime, value});
}

void WandbRunState::offerStartTime(double seconds, bool authoritative) {
    if (!std::isfinite(seconds) || m_startAuthoritative) return;
    if (authoritative || std::isnan(m_start) || seconds < m_start) m_start = seconds;
    m_startAuthoritative = authoritative;
}

void WandbRunState::deliver(std::string_view run, ImportSink& sink, ReadReport& report) {
    for (const auto& entry : m_summary) {
        // Not a structured binding: clang 14 (make fuzz) cannot capture one in a lambda.
        const std::string& key = entry.first;
        const double value = entry.second;
        const bool media = std::any_of(m_summaryMedia.begin(), m_summaryMedia.end(),
                                       [&](const std::string& prefix) { return key.starts_with(prefix); });
        if (!media && !key.starts_with('_')) sink.setSummaryMetric(run, key, value);
    }

    FlattenResult params;
    for (const auto& [key, text] : m_config)
        params.entries.push_back({key, text, std::nullopt});
    deliverParams(params, run, sink);

    if (m_system.empty()) return;
    double start = m_start;
    if (std::isnan(start))
        for (const SystemSample& s : m_system)
            if (std::isfinite(s.wallTime) && (std::isnan(start) || s.wallTime < start)) start = s.wallTime;
    std::stable_sort(m_system.begin(), m_system.end(),
                     [](const SystemSample& a, const SystemSample& b) { return a.tag < b.tag; });
    SeriesData batch;
    auto flush = [&](const std::string& tag) {
        if (batch.empty()) return;
        sink.appendPoints(run, tag, batch.steps, batch.wallTimes, batch.values);
        report.points += static_cast<std::int64_t>(batch.size());
        batch.clear();
    };
    for (std::size_t i = 0; i < m_system.size(); ++i) {
        const SystemSample& s = m_system[i];
        if (i > 0 && s.tag != m_system[i - 1].tag) flush(m_system[i - 1].tag);
        const double since = s.wallTime - start;
        if (!std::isfinite(since)) continue;
        batch.push(std::llround(since), s.wallTime, s.value);
        if (batch.size() >= WandbSeriesBatcher::kBatch) flush(s.tag);
    }
    flush(m_system.back().tag);
}

void WandbSeriesBatcher::add(const std::string& tag, std::int64_t step, double wallTime, double value) {
    SeriesData& batch = m_tags[tag];
    batch.push(step, wallTime, value);
    if (batch.size() < kBatch) return;
    m_sink.appendPoints(m_run, tag, batch.steps, batch.wallTimes, batch.values);
    m_report.points += static_cast<std::int64_t>(batch.size());
    batch.clear();
}

void WandbSeriesBatcher::flushAll() {
    std::vector<std::string> tags;
    tags.reserve(m_tags.size());
    for (const auto& [tag, batch] : m_tags)
        if (!batch.empty()) tags.push_back(tag);
    std::sort(tags.begin(), tags.end()); // a stable delivery order, whatever the hash map's
    for (const std::string& tag : tags) {
        SeriesData& batch = m_tags[tag];
        m_sink.appendPoints(m_run, tag, batch.steps, batch.wallTimes, batch.values);
        m_report.points += static_cast<std::int64_t>(batch.size());
        batch.clear();
    }
}

} // namespace runlens
