// Training-curve diagnostics over plain series; every finding carries one human sentence.
#include "core/analysis/curve_diagnostics.h"

#include "core/analysis/smoothing.h"
#include "core/analysis/statistics.h"
#include "core/model/tag_names.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace runlens {

namespace {

std::string sentence(const char* fmt, auto... args) {
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, args...);
    return buf;
}

std::int64_t stepAt(const SeriesData& s, std::size_t i) {
    return i < s.steps.size() ? s.steps[i] : 0;
}
double wallAt(const SeriesData& s, std::size_t i) {
    return i < s.wallTimes.size() ? s.wallTimes[i] : kNaN;
}

// Smoothed values oriented so that lower is better.
std::vector<double> orientedSmooth(const SeriesData& s, double weight, bool higherIsBetter) {
    std::vector<double> out = smoothEma(s.values, weight);
    if (higherIsBetter)
        for (double& v : out)
            v = -v;
    return out;
}

// Index of the first minimum among finite values; size() when there is none.
std::size_t argMinFinite(const std::vector<double>& v) {
    std::size_t best = v.size();
    for (std::size_t i = 0; i < v.size(); ++i)
        if (std::isfinite(v[i]) && (best == v.size() || v[i] < v[best])) best = i;
    return best;
}

std::size_t firstFinite(const std::vector<double>& v) {
    for (std::size_t i = 0; i < v.size(); ++i)
        if (std::isfinite(v[i])) return i;
    return v.size();
}

std::size_t lastFinite(const std::vector<double>& v) {
    for (std::size_t i = v.size(); i > 0; --i)
        if (std::isfinite(v[i - 1])) return i - 1;
    return v.size();
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The last path segment of a nested key ("optimizer.seed", "trainer/rng").
std::string_view lastSegment(std::string_view key) {
    const auto cut = key.find_last_of("./");
    return cut == std::string_view::npos ? key : key.substr(cut + 1);
}

} // namespace

NonFiniteFinding findFirstNonFinite(const SeriesData& series) {
    NonFiniteFinding f;
    for (std::size_t i = 0; i < series.values.size(); ++i) {
        if (std::isfinite(series.values[i])) continue;
        f.found = true;
        f.index = i;
        f.step = stepAt(series, i);
        f.wallTime = wallAt(series, i);
        f.value = series.values[i];
        const char* what = std::isnan(f.value) ? "NaN" : (f.value > 0 ? "+Inf" : "-Inf");
        f.message = sentence("First non-finite value (%s) at step %lld (point %zu).", what,
                             static_cast<long long>(f.step), i);
        return f;
    }
    return f;
}

double noiseScale(std::span<const double> values) {
    std::vector<double> finite;
    for (double v : values)
        if (std::isfinite(v)) finite.push_back(v);
    if (finite.size() < 5) return 0.0;
    std::vector<double> d;
    for (std::size_t i = 2; i < finite.size(); ++i)
        d.push_back(finite[i] - 2.0 * finite[i - 1] + finite[i - 2]);
    const double centre = stats::median(d);
    for (double& x : d)
        x = std::abs(x - centre);
    // 1.4826 turns a normal's MAD into its sd.
    return 1.4826 * stats::median(std::move(d)) / std::sqrt(6.0);
}

DivergenceFinding detectDivergence(const SeriesData& series, const DivergenceOptions& options) {
    DivergenceFinding f;
    const std::vector<double> s = orientedSmooth(series, options.smoothing, options.higherIsBetter);
    const std::size_t m = argMinFinite(s);
    const std::size_t first = firstFinite(s), last = lastFinite(s);
    if (m == s.size()) return f;
    double maxS = s[m];
    for (double v : s)
        if (std::isfinite(v)) maxS = std::max(maxS, v);
    const double scale = std::max({std::abs(s[m]), 0.01 * (maxS - s[m]), 1e-300});
    const double margin = options.noiseSigmas > 0 ? options.noiseSigmas * noiseScale(series.values) : 0.0;
    const double level = s[m] + std::max(options.riseFraction * scale, margin);
    const double sign = options.higherIsBetter ? -1.0 : 1.0;
    f.minIndex = m;
    f.minStep = stepAt(series, m);
    f.minValue = sign * s[m];
    f.endValue = sign * s[last];

    const std::size_t window = std::max(
        options.minWindow, static_cast<std::size_t>(options.windowFraction * static_cast<double>(s.size())));
    std::size_t onset = s.size();
    bool sustained = false;
    for (std::size_t j = m + 1; j < s.size() && !sustained; ++j) {
        if (!std::isfinite(s[j]) || s[j] <= level) continue;
        if (onset == s.size()) onset = j;
        std::size_t above = 0;
        bool broke = false;
        for (std::size_t k = j; k < s.size() && k < j + window; ++k) {
            if (!std::isfinite(s[k])) continue;
            if (s[k] <= level) {
                broke = true;
                break;
            }
            ++above;
        }
        if (!broke && above >= std::min(window, options.minWindow)) {
            sustained = true;
            onset = j;
        }
    }
    const double progress = s[first] - s[m];
    const bool gaveBack = progress > margin && s[last] - s[m] > margin &&
                          (progress > 0 && (s[last] - s[m]) / progress > options.giveBackFraction);
    if (!sustained && !gaveBack) return f;
    f.diverging = true;
    f.onsetIndex = onset == s.size() ? last : onset;
    f.onsetStep = stepAt(series, f.onsetIndex);
    f.message = sentence(
        "Diverging: the smoothed value rises from its best %.4g at step %lld to %.4g at the end "
        "(rise starts near step %lld).",
        f.minValue, static_cast<long long>(f.minStep), f.endValue, static_cast<long long>(f.onsetStep));
    return f;
}

PlateauFinding detectPlateau(const SeriesData& series, const PlateauOptions& options) {
    PlateauFinding f;
    const std::size_t n = std::min(series.values.size(), series.steps.size());
    if (n < 3) return f;
    const std::vector<double> s = smoothEma(series.values, options.smoothing);
    const auto [minStep, maxStep] =
        std::minmax_element(series.steps.begin(), series.steps.begin() + static_cast<std::ptrdiff_t>(n));
    const double span = static_cast<double>(*maxStep - *minStep);
    const double from = static_cast<double>(*maxStep) - options.lastFraction * span;
    double lo = INFINITY, hi = -INFINITY, sum = 0, sumX = 0;
    std::size_t count = 0;
    std::int64_t firstStep = *maxStep, lastStep = *minStep;
    for (std::size_t i = 0; i < n; ++i) {
        if (static_cast<double>(series.steps[i]) < from || !std::isfinite(s[i])) continue;
        lo = std::min(lo, s[i]);
        hi = std::max(hi, s[i]);
        sum += s[i];
        sumX += static_cast<double>(series.steps[i]);
        firstStep = std::min(firstStep, series.steps[i]);
        lastStep = std::max(lastStep, series.steps[i]);
        ++count;
    }
    if (count < 3) return f;
    const double mean = sum / static_cast<double>(count);
    f.fromStep = firstStep;
    f.relativeChange = (hi - lo) / std::max(std::abs(mean), 1e-300);
    f.plateau = f.relativeChange < options.tolerance;
    if (options.noiseSigmas > 0) {
        // The trend over the window is the least-squares slope times its step span: a line averages the
        // wiggles that max - min would count.
        const double meanX = sumX / static_cast<double>(count);
        double sxy = 0, sxx = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (static_cast<double>(series.steps[i]) < from || !std::isfinite(s[i])) continue;
            const double dx = static_cast<double>(series.steps[i]) - meanX;
            sxy += dx * (s[i] - mean);
            sxx += dx * dx;
        }
        f.trendChange = sxx > 0 ? sxy / sxx * static_cast<double>(lastStep - firstStep) : 0.0;
        f.noise = noiseScale(series.values);
        if (!f.plateau && f.noise > 0 && std::abs(f.trendChange) < options.noiseSigmas * f.noise) {
            f.plateau = true;
            f.message =
                sentence("Plateau: over the last %.0f%% of steps (since step %lld) the smoothed value's "
                         "trend moved by %.2g, less than its noise (sd %.2g).",
                         100.0 * options.lastFraction, static_cast<long long>(firstStep),
                         std::abs(f.trendChange), f.noise);
            return f;
        }
    }
    if (f.plateau)
        f.message = sentence("Plateau: the smoothed value moved by only %.2g%% over the last %.0f%% of steps "
                             "(since step %lld).",
                             100.0 * f.relativeChange, 100.0 * options.lastFraction,
                             static_cast<long long>(firstStep));
    return f;
}

OverfitFinding detectOverfitting(const SeriesData& train, const SeriesData& val,
                                 const OverfitOptions& options) {
    OverfitFinding f;
    const std::vector<double> t = orientedSmooth(train, options.trainSmoothing, options.higherIsBetter);
    const std::vector<double> v = orientedSmooth(val, options.valSmoothing, options.higherIsBetter);
    const std::size_t vm = argMinFinite(v), vEnd = lastFinite(v), tEnd = lastFinite(t);
    if (vm == v.size() || tEnd == t.size() || vm >= val.steps.size()) return f;
    const std::int64_t onset = val.steps[vm];
    // Train at the onset: the last finite train point logged at or before that step.
    std::size_t tOnset = t.size();
    for (std::size_t i = 0; i < t.size() && i < train.steps.size(); ++i)
        if (train.steps[i] <= onset && std::isfinite(t[i])) tOnset = i;
    if (tOnset == t.size()) return f;
    const double sign = options.higherIsBetter ? -1.0 : 1.0;
    f.onsetStep = onset;
    f.valAtOnset = sign * v[vm];
    f.valAtEnd = sign * v[vEnd];
    f.trainAtOnset = sign * t[tOnset];
    f.trainAtEnd = sign * t[tEnd];
    f.gapAtOnset = f.valAtOnset - f.trainAtOnset;
    f.gapAtEnd = f.valAtEnd - f.trainAtEnd;
    const double valMargin = options.noiseSigmas > 0 ? options.noiseSigmas * noiseScale(val.values) : 0.0;
    const double trainMargin = options.noiseSigmas > 0 ? options.noiseSigmas * noiseScale(train.values) : 0.0;
    const bool valRose =
        v[vEnd] - v[vm] > options.minRise * std::max(std::abs(v[vm]), 1e-300) && v[vEnd] - v[vm] > valMargin;
    const bool trainFell =
        t[tOnset] - t[tEnd] > options.minTrainDrop * std::max(std::abs(t[tOnset]), 1e-300) &&
        t[tOnset] - t[tEnd] > trainMargin;
    f.overfitting = valRose && trainFell;
    if (f.overfitting)
        f.message =
            sentence("Overfitting from about step %lld: validation went from %.4g to %.4g while training "
                     "kept improving (%.4g to %.4g).",
                     static_cast<long long>(onset), f.valAtOnset, f.valAtEnd, f.trainAtOnset, f.trainAtEnd);
    return f;
}

bool isSeedKey(std::string_view key) {
    const std::string k = lower(lastSegment(key));
    if (k.find("seed") != std::string::npos || k.find("random_state") != std::string::npos) return true;
    return k == "rng" || k.starts_with("rng_") || k.ends_with("_rng");
}

std::vector<SeedGroup> findSeedGroups(std::span<const RunOutcome> runs) {
    std::vector<SeedGroup> groups;
    std::map<std::map<std::string, std::string>, std::size_t> byParams; // shared params -> group index
    for (std::size_t i = 0; i < runs.size(); ++i) {
        std::map<std::string, std::string> shared;
        // Seeds, and the worker folders of a distributed run, are what differs between repeats of one
        // configuration.
        for (const auto& [key, value] : runs[i].params)
            if (!isSeedKey(key) && !isWorkerParamKey(key)) shared.emplace(key, value);
        const auto [it, inserted] = byParams.emplace(shared, groups.size());
        if (inserted) groups.push_back(SeedGroup{std::move(shared), {}});
        groups[it->second].members.push_back(i);
    }
    std::erase_if(groups, [](const SeedGroup& g) { return g.members.size() < 2; });
    for (SeedGroup& g : groups) {
        std::vector<double> v;
        for (std::size_t i : g.members)
            if (std::isfinite(runs[i].finalValue)) v.push_back(runs[i].finalValue);
        if (!v.empty()) {
            double sum = 0;
            for (double x : v)
                sum += x;
            g.mean = sum / static_cast<double>(v.size());
            const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
            g.min = *mn;
            g.max = *mx;
            if (v.size() > 1) {
                double ss = 0;
                for (double x : v)
                    ss += (x - g.mean) * (x - g.mean);
                g.std = std::sqrt(ss / static_cast<double>(v.size() - 1));
            }
        }
        g.message =
            sentence("%zu runs differ only in their seed: final value %.4g +/- %.2g (range %.2g); smaller "
                     "differences between such runs are noise.",
                     g.members.size(), g.mean, g.std, g.max - g.min);
    }
    return groups;
}

SeriesData throughputSeries(const SeriesData& series, double perStep) {
    SeriesData out;
    const std::size_t n = std::min({series.steps.size(), series.wallTimes.size(), series.values.size()});
    std::size_t prev = n;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = series.wallTimes[i];
        if (!std::isfinite(t)) continue;
        if (prev != n) {
            const double dt = t - series.wallTimes[prev];
            const auto ds = static_cast<double>(series.steps[i] - series.steps[prev]);
            if (dt > 0 && ds > 0) out.push(series.steps[i], t, perStep * ds / dt);
        }
        prev = i;
    }
    return out;
}

TrainingSpeed trainingSpeed(const SeriesData& series, std::optional<double> batchSize) {
    TrainingSpeed sp;
    const std::vector<double> rates = throughputSeries(series).values;
    double firstTime = kNaN, lastTime = kNaN;
    for (std::size_t i = 0; i < series.wallTimes.size() && i < series.size(); ++i) {
        if (!std::isfinite(series.wallTimes[i])) continue;
        if (std::isnan(firstTime)) firstTime = series.wallTimes[i];
        lastTime = series.wallTimes[i];
    }
    sp.elapsedSeconds = lastTime - firstTime;
    if (rates.empty()) {
        sp.message = "Training speed unknown: no two points with increasing step and wall time.";
        return sp;
    }
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t k = sorted.size();
    sp.stepsPerSecond = k % 2 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
    sp.intervals = k;
    sp.pauses = static_cast<std::size_t>(
        std::count_if(rates.begin(), rates.end(), [&](double r) { return r < 0.1 * sp.stepsPerSecond; }));
    sp.ok = true;
    if (batchSize && *batchSize > 0) sp.samplesPerSecond = sp.stepsPerSecond * *batchSize;
    sp.message =
        sp.samplesPerSecond
            ? sentence("%.4g steps/s (%.4g samples/s) over %zu intervals, %zu pauses.", sp.stepsPerSecond,
                       *sp.samplesPerSecond, k, sp.pauses)
            : sentence("%.4g steps/s over %zu intervals, %zu pauses.", sp.stepsPerSecond, k, sp.pauses);
    return sp;
}

std::optional<double> batchSizeFromParams(const std::map<std::string, std::string>& params) {
    static constexpr std::string_view names[] = {"batch_size", "per_device_train_batch_size",
                                                 "train_batch_size", "batchsize", "bs"};
    for (std::string_view wanted : names) {
        for (const auto& [key, value] : params) {
            if (lower(lastSegment(key)) != wanted) continue;
            double v = 0;
            const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (ec == std::errc() && ptr == value.data() + value.size() && v > 0 && std::isfinite(v))
                return v;
        }
    }
    return std::nullopt;
}

} // namespace runlens
