// Slices and Simpson on prediction logs: kidney stones, partial reversal, "impossible", precision reversal,
// finder.
#include "core/analysis/slice_finder.h"
#include "core/analysis/slices.h"

#include <cmath>
#include <QtTest>
#include <random>

using namespace runlens;

namespace {

// A table builder for tests: text feature columns, numeric label/prediction/score columns.
struct TableBuilder {
    PredictionTable table;
    std::vector<int> labels, predictions;
    std::vector<double> scores;
    std::string prefix;

    explicit TableBuilder(std::string idPrefix = "e") : prefix(std::move(idPrefix)) {
        table.columns.push_back({"id", ColumnRole::Id, false, {}, {}, {}, {}});
    }
    PredictionColumn& text(const std::string& name) {
        for (auto& c : table.columns)
            if (c.name == name) return c;
        table.columns.push_back({name, ColumnRole::Feature, false, {}, {}, {}, {}});
        return table.columns.back();
    }
    void add(const std::vector<std::pair<std::string, std::string>>& features, int label, int prediction,
             double score = std::nan("")) {
        auto& ids = table.columns.front();
        ids.dictionary.push_back(prefix + std::to_string(ids.codes.size()));
        ids.codes.push_back(static_cast<std::int32_t>(ids.dictionary.size() - 1));
        for (const auto& [name, value] : features) {
            auto& c = text(name);
            auto it = std::find(c.dictionary.begin(), c.dictionary.end(), value);
            if (it == c.dictionary.end()) c.dictionary.push_back(value), it = c.dictionary.end() - 1;
            c.codes.push_back(static_cast<std::int32_t>(it - c.dictionary.begin()));
        }
        labels.push_back(label);
        predictions.push_back(prediction);
        scores.push_back(score);
    }
    // count rows of one stratum with `correct` of them predicted right (label 1 throughout).
    void addOutcomes(const std::string& feature, const std::string& value, int count, int correct) {
        for (int i = 0; i < count; ++i)
            add({{feature, value}}, 1, i < correct ? 1 : 0);
    }
    CohortInput cohort(const std::string& name) const {
        CohortInput c;
        c.name = name;
        c.table = &table;
        c.labels = labels;
        c.predictions = predictions;
        if (std::none_of(scores.begin(), scores.end(), [](double s) { return std::isnan(s); }))
            c.scores = scores;
        return c;
    }
};

} // namespace

class TestSlices : public QObject {
    Q_OBJECT
  private slots:
    void kidneyStonesAsPredictionLogs() {
        // Charig et al. (1986): A succeeds on 81/87 small and 192/263 large stones, B on 234/270 and 55/80.
        TableBuilder a("a"), b("b"); // different patients
        a.addOutcomes("size", "small", 87, 81);
        a.addOutcomes("size", "large", 263, 192);
        b.addOutcomes("size", "small", 270, 234);
        b.addOutcomes("size", "large", 80, 55);
        SliceOptions options;
        options.by = {"size"};
        std::string error;
        const auto report = compareSlices({a.cohort("A"), b.cohort("B")}, options, &error);
        QVERIFY2(report, error.c_str());
        QCOMPARE(report->simpson.reversal, Reversal::Complete);
        QCOMPARE(report->simpson.overallWinner, std::string("B"));
        QCOMPARE(report->simpson.standardizedWinner, std::string("A"));
        QVERIFY(!report->identicalExamples);
        QCOMPARE(report->slices.size(), std::size_t(2));
        for (const auto& row : report->slices) {
            QCOMPARE(row.winner, std::string("A"));
            if (row.key.front().second == "small") {
                // statsmodels proportion_confint(81, 87, method='wilson') = (0.8576030575941971,
                // 0.9680111605574233)
                QVERIFY(std::abs(row.cohorts[0].ciLow - 0.8576030575941971) < 1e-9);
                QVERIFY(std::abs(row.cohorts[0].ciHigh - 0.9680111605574233) < 1e-9);
                QVERIFY(std::abs(row.cohorts[1].share - 270.0 / 350.0) < 1e-12);
            } else {
                // proportion_confint(192, 263, method='wilson') = (0.6733581058006313, 0.7800946692469926)
                QVERIFY(std::abs(row.cohorts[0].ciLow - 0.6733581058006313) < 1e-9);
                QVERIFY(std::abs(row.cohorts[0].ciHigh - 0.7800946692469926) < 1e-9);
            }
        }
        // Overall: proportion_confint(289, 350, method='wilson') = (0.7824937250902549, 0.8618626506716279)
        QVERIFY(std::abs(report->overall[1].value - 289.0 / 350.0) < 1e-12);
        QVERIFY(std::abs(report->overall[1].ciLow - 0.7824937250902549) < 1e-9);
        QVERIFY(std::abs(report->overall[1].ciHigh - 0.8618626506716279) < 1e-9);
    }

    void partialReversalAcrossThreeStrata() {
        TableBuilder x("x"), y("y");
        x.addOutcomes("region", "north", 100, 90);
        x.addOutcomes("region", "south", 100, 60);
        x.addOutcomes("region", "east", 400, 50);
        y.addOutcomes("region", "north", 200, 170);
        y.addOutcomes("region", "south", 100, 55);
        y.addOutcomes("region", "east", 100, 30);
        SliceOptions options;
        options.by = {"region"};
        const auto report = compareSlices({x.cohort("X"), y.cohort("Y")}, options, nullptr);
        QVERIFY(report);
        QCOMPARE(report->simpson.reversal, Reversal::Partial);
        QCOMPARE(report->simpson.overallWinner, std::string("Y"));
    }

    void accuracyOnSameExamplesIsImpossible() {
        // Two models scored on the same 200 examples (same ids and labels).
        TableBuilder a, b;
        std::mt19937 rng(5);
        for (int i = 0; i < 200; ++i) {
            const std::string g = i % 3 ? "g1" : "g2";
            const int label = static_cast<int>(rng() % 2);
            a.add({{"group", g}}, label, rng() % 10 < 8 ? label : 1 - label);
            b.add({{"group", g}}, label, rng() % 10 < 7 ? label : 1 - label);
        }
        SliceOptions options;
        options.by = {"group"};
        const auto report = compareSlices({a.cohort("A"), b.cohort("B")}, options, nullptr);
        QVERIFY(report);
        QVERIFY(report->identicalExamples);
        QCOMPARE(report->simpson.reversal, Reversal::Impossible);
    }

    void precisionOnSameExamplesCanReverse() {
        // Identical examples: stratum s1 has 100 positives + 30 negatives, s2 60 + 60.
        // Model A predicts positive on: s1 9 positives + 1 negative (precision 0.9), s2 50 + 50 (0.5).
        // Model B: s1 90 + 20 (0.818), s2 5 + 10 (0.333); B predicts 125 positives in all. A wins both
        // strata, but overall A = 59/110 = 0.536 and B = 95/125 = 0.76: precision's model-dependent
        // denominator reverses it.
        TableBuilder a, b;
        auto fill = [](TableBuilder& t, const std::string& s, int pos, int neg, int tp, int fp) {
            for (int i = 0; i < pos; ++i)
                t.add({{"stratum", s}}, 1, i < tp ? 1 : 0);
            for (int i = 0; i < neg; ++i)
                t.add({{"stratum", s}}, 0, i < fp ? 1 : 0);
        };
        fill(a, "s1", 100, 30, 9, 1);
        fill(a, "s2", 60, 60, 50, 50);
        fill(b, "s1", 100, 30, 90, 20);
        fill(b, "s2", 60, 60, 5, 10);
        SliceOptions options;
        options.by = {"stratum"};
        options.metric = SliceMetric::Precision;
        const auto report = compareSlices({a.cohort("A"), b.cohort("B")}, options, nullptr);
        QVERIFY(report);
        QVERIFY(report->identicalExamples);
        QVERIFY(std::abs(report->overall[0].value - 59.0 / 110.0) < 1e-12);
        QVERIFY(std::abs(report->overall[1].value - 95.0 / 125.0) < 1e-12);
        QCOMPARE(report->simpson.reversal, Reversal::Complete);
        QCOMPARE(report->simpson.overallWinner, std::string("B"));
    }

    void cohortsFromAColumn() {
        TableBuilder t;
        for (int i = 0; i < 60; ++i)
            t.add({{"period", i < 20 ? "before" : "after"}, {"size", i % 2 ? "s" : "l"}}, 1, i % 4 ? 1 : 0);
        const auto cohorts = splitByColumn(t.cohort("all"), "period", nullptr);
        QVERIFY(cohorts);
        QCOMPARE(cohorts->size(), std::size_t(2));
        QCOMPARE((*cohorts)[0].name, std::string("after"));
        QCOMPARE((*cohorts)[0].rows.size(), std::size_t(40));
        std::string error;
        QVERIFY(!splitByColumn(t.cohort("all"), "nope", &error));
        QVERIFY(error.find("nope") != std::string::npos);
    }

    void pinnedBaselineKeepsTheCohortsSlices() {
        // Model: age 0..19 (20 distinct numbers -> quartile buckets on the model's values alone: edges at
        // numpy percentiles 0, 4.75, 9.5, 14.25, 19), right when age is even. Baseline: ages 100..119 only,
        // plus ages 0..3. Had the baseline been pooled, the edges would move to its range; pinned, the
        // model's four slices stay, the baseline's 0..3 (all in the first bucket, [0, 4.75)) are scored there
        // and its 100..119 rows fall in no cohort slice: 20 unmatched rows.
        TableBuilder model("m"), base("b");
        PredictionColumn age{"age", ColumnRole::Feature, true, {}, {}, {}, {}};
        PredictionColumn baseAge = age;
        for (int i = 0; i < 20; ++i) {
            model.add({}, 1, i % 2 == 0 ? 1 : 0);
            age.numbers.push_back(i);
        }
        // Baseline right on ages 0 and 1, wrong on 2 and 3 -> 2/4 in the first slice.
        for (int i = 0; i < 24; ++i) {
            base.add({}, 1, i < 2 ? 1 : 0);
            baseAge.numbers.push_back(i < 4 ? i : 96 + i);
        }
        model.table.columns.push_back(age);
        base.table.columns.push_back(baseAge);
        SliceOptions options;
        options.by = {"age"};
        const auto alone = compareSlices({model.cohort("M")}, options, nullptr);
        const auto baseline = base.cohort("B");
        const auto pinned = compareSlices({model.cohort("M")}, options, nullptr, &baseline);
        QVERIFY(alone && pinned);
        QCOMPARE(pinned->slices.size(), alone->slices.size());
        QCOMPARE(pinned->slices.size(), std::size_t(4));
        for (std::size_t s = 0; s < alone->slices.size(); ++s) {
            QCOMPARE(pinned->slices[s].key, alone->slices[s].key);
            QCOMPARE(pinned->slices[s].cohorts[0].value, alone->slices[s].cohorts[0].value);
            QVERIFY(pinned->slices[s].baseline.has_value());
            QVERIFY(!alone->slices[s].baseline.has_value());
        }
        QVERIFY(pinned->baseline && !alone->baseline);
        QCOMPARE(pinned->baseline->name, std::string("B"));
        QCOMPARE(pinned->baseline->unmatchedRows, std::int64_t(20));
        QCOMPARE(pinned->baseline->overall.n, std::int64_t(24));
        QCOMPARE(pinned->baseline->overall.value, 2.0 / 24);
        // The first slice holds ages 0..4 of the model (3 even of 5 right) and 0..3 of the baseline (2 of 4).
        const auto& first = pinned->slices.front();
        QCOMPARE(first.cohorts[0].n, std::int64_t(5));
        QCOMPARE(first.baseline->n, std::int64_t(4));
        QCOMPARE(first.baseline->value, 0.5);
        QCOMPARE(first.baseline->share, 4.0 / 24);
        int empty = 0;
        for (const auto& row : pinned->slices)
            empty += row.baseline->n == 0;
        QCOMPARE(empty, 3);
    }

    void unknownFeatureIsAClearError() {
        TableBuilder t;
        t.addOutcomes("size", "small", 5, 4);
        SliceOptions options;
        options.by = {"colour"};
        std::string error;
        QVERIFY(!compareSlices({t.cohort("A")}, options, &error));
        QVERIFY(error.find("colour") != std::string::npos);
    }

    void bootstrapIntervalForAuc() {
        TableBuilder t;
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> u(0, 1);
        for (int i = 0; i < 300; ++i) {
            const int y = u(rng) < 0.5;
            const double s = std::clamp(0.3 * y + 0.7 * u(rng), 0.0, 1.0);
            t.add({{"g", i % 2 ? "a" : "b"}}, y, s >= 0.5, s);
        }
        SliceOptions options;
        options.by = {"g"};
        options.metric = SliceMetric::Auc;
        const auto one = compareSlices({t.cohort("M")}, options, nullptr);
        const auto two = compareSlices({t.cohort("M")}, options, nullptr);
        QVERIFY(one && two);
        QCOMPARE(one->intervalMethod, std::string("bootstrap percentile"));
        for (std::size_t i = 0; i < one->slices.size(); ++i) {
            const auto& c = one->slices[i].cohorts[0];
            QVERIFY(c.ciLow <= c.value && c.value <= c.ciHigh);
            QCOMPARE(c.ciLow, two->slices[i].cohorts[0].ciLow); // same seed, same interval
        }
    }

    void finderLocatesAPlantedSlice() {
        // 6,000 rows; overall errors about 10%, but rows with f1 = c and f2 = y err 60% of the time.
        PredictionTable table;
        PredictionColumn f1{"f1", ColumnRole::Feature, false, {}, {}, {"a", "b", "c"}, {}};
        PredictionColumn f2{"f2", ColumnRole::Feature, false, {}, {}, {"x", "y"}, {}};
        PredictionColumn f3{"f3", ColumnRole::Feature, true, {}, {}, {}, {}};
        std::vector<std::uint8_t> errors;
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> u(0, 1);
        for (int i = 0; i < 6000; ++i) {
            const int a = static_cast<int>(rng() % 3), b = static_cast<int>(rng() % 2);
            f1.codes.push_back(a);
            f2.codes.push_back(b);
            f3.numbers.push_back(u(rng) * 100);
            const double p = (a == 2 && b == 1) ? 0.6 : 0.1;
            errors.push_back(u(rng) < p);
        }
        table.columns = {f1, f2, f3};
        // With DESIGN's alpha 0.5 the size penalty favours a larger parent of the planted cross: f2 = y (n ~
        // 3,000, errors ~27%) scores 0.5 * (0.27 / 0.18 - 1) - 0.5 * (2 - 1) ~ -0.27, above the cross's ~
        // -1.32.
        const auto broad = findSlices(table, errors, {}, SliceFinderOptions{});
        QVERIFY(!broad.slices.empty());
        QCOMPARE(broad.slices.front().key.size(), std::size_t(1));
        const auto parent = broad.slices.front().key[0];
        QVERIFY(parent == (std::pair<std::string, std::string>{"f2", "y"}) ||
                parent == (std::pair<std::string, std::string>{"f1", "c"}));
        // With SystemDS's default alpha 0.95 the error term dominates and the planted cross comes first.
        SliceFinderOptions focused;
        focused.alpha = 0.95;
        const auto result = findSlices(table, errors, {}, focused);
        QVERIFY(!result.slices.empty());
        const auto& top = result.slices.front();
        QCOMPARE(top.key.size(), std::size_t(2));
        QCOMPARE(top.key[0], (std::pair<std::string, std::string>{"f1", "c"}));
        QCOMPARE(top.key[1], (std::pair<std::string, std::string>{"f2", "y"}));
        QVERIFY(top.qValue < 1e-6);
        QVERIFY(top.errorRate > 0.5);
        QVERIFY(top.effectSize > 0.8);
        // SliceLine score by hand: alpha((e_s/n_s)/e_bar - 1) - (1 - alpha)(N/n_s - 1)
        const double expected =
            0.95 * (top.errorRate / result.overallErrorRate - 1) - 0.05 * (6000.0 / top.n - 1);
        QVERIFY(std::abs(top.score - expected) < 1e-12);
    }
};

QTEST_APPLESS_MAIN(TestSlices)
#include "test_slices.moc"
