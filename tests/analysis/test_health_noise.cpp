// The run-health badges on seeded noisy curves: noise alone never makes a trend badge, real trends still do.
#include "core/analysis/curve_diagnostics.h"
#include "core/analysis/run_health.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <QtTest>
#include <random>

using namespace runlens;

namespace {

// value at step i (i = 0, every, 2 every, ... < n) = truth(i) + sigma * z, z drawn from
// std::normal_distribution<double>(0, 1) over std::mt19937_64(seed); the wall time is 1000 + i.
SeriesData noisy(const std::function<double(int)>& truth, int n, int every, double sigma,
                 std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z(0.0, 1.0);
    SeriesData s;
    for (int i = 0; i < n; i += every)
        s.push(i, 1000.0 + i, truth(i) + sigma * z(rng));
    return s;
}

double flat(int) {
    return 0.5;
}

const HealthBadge* find(const std::vector<HealthBadge>& badges, HealthBadge::Kind kind) {
    for (const HealthBadge& b : badges)
        if (b.kind == kind) return &b;
    return nullptr;
}

bool hasTrendAlarm(const std::vector<HealthBadge>& badges) {
    return find(badges, HealthBadge::Kind::Diverging) || find(badges, HealthBadge::Kind::Overfitting);
}

} // namespace

class TestHealthNoise : public QObject {
    Q_OBJECT

  private slots:
    void noiseScaleByHand() {
        // 0, 1, 0, 1, 0, 1: second differences -2, 2, -2, 2, their median 0 and every |deviation| 2, so
        // MAD = 2 and the scale is 1.4826 * 2 / sqrt(6) = 1.21054 (numpy: 1.4826 * 2 / np.sqrt(6)).
        const std::vector<double> zigzag{0, 1, 0, 1, 0, 1};
        QVERIFY(std::abs(noiseScale(zigzag) - 1.2105378) < 1e-6);
        // A straight line has no noise, whatever its slope; a NaN is skipped, not counted as noise.
        const std::vector<double> line{3, 2.5, 2, 1.5, NAN, 1, 0.5, 0, -0.5};
        QCOMPARE(noiseScale(line), 0.0);
        QCOMPARE(noiseScale(std::vector<double>{1, 2, 4, 8}), 0.0); // fewer than 3 second differences
    }

    void noiseScaleOfWhiteNoise_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1u, 2u, 3u})
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
    }
    void noiseScaleOfWhiteNoise() {
        // 0.5 + N(0, 0.05) on 2,000 points, and the same noise on a decay: the estimate is near 0.05 (the
        // MAD's relative error on 2,000 points is about 3%; numpy on 200,000 such draws gives 0.04999), and
        // the smooth decay under it barely moves it.
        QFETCH(quint64, seed);
        const SeriesData f = noisy(flat, 2000, 1, 0.05, seed);
        QVERIFY2(std::abs(noiseScale(f.values) - 0.05) < 0.005,
                 qPrintable(QString::number(noiseScale(f.values))));
        const SeriesData d =
            noisy([](int i) { return 0.2 + 2.0 * std::exp(-i / 1000.0); }, 2000, 1, 0.05, seed);
        QVERIFY(std::abs(noiseScale(d.values) - 0.05) < 0.005);
    }

    void flatNoisyLossIsPlateau_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1u, 7u, 42u, 1234u, 99999u})
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
    }
    void flatNoisyLossIsPlateau() {
        // train/loss and val/loss both 0.5 + N(0, 0.05) over 2,000 steps (val with seed + 1000). The smoothed
        // wiggles over the last fifth are about 0.15 = 30% of the mean, far above the 1% tolerance, but the
        // fitted line through them moves by about sigma * sqrt(12 / 400) = 0.009, under one sigma (0.05).
        QFETCH(quint64, seed);
        const std::map<std::string, SeriesData> run{{"train/loss", noisy(flat, 2000, 1, 0.05, seed)},
                                                    {"val/loss", noisy(flat, 2000, 1, 0.05, seed + 1000)}};
        const auto badges = diagnoseRun(run);
        QVERIFY(!hasTrendAlarm(badges));
        const HealthBadge* plateau = find(badges, HealthBadge::Kind::Plateau);
        QVERIFY(plateau);
        QCOMPARE(plateau->tag, std::string("train/loss"));
        QCOMPARE(plateau->label, std::string("plateau@1600")); // the last fifth of steps 0..1999
        QVERIFY(QString::fromStdString(plateau->detail).contains("less than its noise"));
    }

    void noFalseAlarmsOnPureNoise() {
        // The false-positive rate: 50 seeds of the flat noisy pair above, and of a lone flat loss of 200
        // points (fewer points, a noisier noise estimate), give no diverging or overfitting badge at all.
        int alarms = 0;
        for (std::uint64_t seed = 1; seed <= 50; ++seed) {
            const std::map<std::string, SeriesData> pair{
                {"train/loss", noisy(flat, 2000, 1, 0.05, seed)},
                {"val/loss", noisy(flat, 2000, 1, 0.05, seed + 1000)}};
            const std::map<std::string, SeriesData> shortRun{
                {"loss", noisy(flat, 200, 1, 0.05, seed + 2000)}};
            alarms += hasTrendAlarm(diagnoseRun(pair)) ? 1 : 0;
            alarms += hasTrendAlarm(diagnoseRun(shortRun)) ? 1 : 0;
        }
        QCOMPARE(alarms, 0);
    }

    void noisyDecayIsHealthy_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1u, 2u, 3u, 4u, 5u})
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
    }
    void noisyDecayIsHealthy() {
        // train/loss = 0.2 + 2 exp(-i / 1000) + N(0, 0.02), val/loss = 0.3 + 2 exp(-i / 1000) + N(0, 0.02):
        // still falling by 2 (e^-1.6 - e^-2) = 0.133 = 6.7 sigma over the last fifth, so no plateau, and
        // never rising: no badge (the healthy verdict is an empty list).
        QFETCH(quint64, seed);
        const auto decay = [](double floor) {
            return [floor](int i) { return floor + 2.0 * std::exp(-i / 1000.0); };
        };
        const std::map<std::string, SeriesData> run{
            {"train/loss", noisy(decay(0.2), 2000, 1, 0.02, seed)},
            {"val/loss", noisy(decay(0.3), 2000, 1, 0.02, seed + 1000)}};
        QVERIFY(diagnoseRun(run).empty());
    }

    void risingLossIsDiverging_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1u, 2u, 3u, 4u, 5u})
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
    }
    void risingLossIsDiverging() {
        // loss = 0.5 + N(0, 0.05) until step 1333, then rising linearly by 10 sigma (0.5) to step 1999.
        // The smoothed minimum sits about 1.9 sigma below 0.5, so the rise level is 0.5 + 2.1 sigma, which
        // the line crosses near step 1333 + 666 * 0.21 = 1473; the onset is where it stays above for 100
        // points, so it lies inside the rising third.
        QFETCH(quint64, seed);
        const auto rise = [](int i) { return i < 1333 ? 0.5 : 0.5 + 0.5 * (i - 1333) / 666.0; };
        const std::map<std::string, SeriesData> run{{"loss", noisy(rise, 2000, 1, 0.05, seed)}};
        const auto badges = diagnoseRun(run);
        const HealthBadge* d = find(badges, HealthBadge::Kind::Diverging);
        QVERIFY(d);
        QVERIFY2(d->step > 1333 && d->step < 1700, qPrintable(QString::number(d->step)));
        QVERIFY(!find(badges, HealthBadge::Kind::Plateau));
    }

    void overfittingOnsetNearTheMinimum_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1u, 2u, 3u, 4u, 5u})
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
    }
    void overfittingOnsetNearTheMinimum() {
        // train/loss = 0.3 + 1.7 exp(-i / 500) + N(0, 0.02) every step (keeps falling: 0.53 at 1000, 0.33 at
        // the end, 10 sigma). val/loss every 20 steps: 1.0 - 0.4 i / 1000 down to its true minimum 0.6 at
        // step 1000, then 0.6 + 0.2 (i - 1000) / 980 (a rise of 10 sigma), + N(0, 0.02). The badge's onset is
        // the minimum of the EMA-0.8 smoothed validation curve, which lags the true minimum: without noise it
        // is at step 1080 (numpy, TensorBoard's debiased EMA of the noiseless curve). Noise moves it by a
        // few validation points, so it is checked within [1000, 1200].
        QFETCH(quint64, seed);
        const auto train = [](int i) { return 0.3 + 1.7 * std::exp(-i / 500.0); };
        const auto val = [](int i) {
            return i <= 1000 ? 1.0 - 0.4 * i / 1000.0 : 0.6 + 0.2 * (i - 1000) / 980.0;
        };
        const std::map<std::string, SeriesData> run{{"train/loss", noisy(train, 2000, 1, 0.02, seed)},
                                                    {"val/loss", noisy(val, 2000, 20, 0.02, seed + 1000)}};
        const HealthBadge* o = find(diagnoseRun(run), HealthBadge::Kind::Overfitting);
        QVERIFY(o);
        QVERIFY2(o->step >= 1000 && o->step <= 1200, qPrintable(QString::number(o->step)));
        QCOMPARE(o->label, "overfit@" + std::to_string(o->step));
    }

    void oneSpikeIsNotDivergence_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1u, 2u, 3u, 4u, 5u})
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
    }
    void oneSpikeIsNotDivergence() {
        // 0.5 + N(0, 0.05) over 2,000 steps with point 1000 replaced by 5.0 (90 sigma): the EMA carries 40%
        // of it (1.8) and halves it every 1.4 points, so it stays above the rise level for about 5 points,
        // far short of the 100 a sustained rise needs; the MAD-based noise ignores the three second
        // differences it spoils. Still a plateau.
        QFETCH(quint64, seed);
        SeriesData loss = noisy(flat, 2000, 1, 0.05, seed);
        loss.values[1000] = 5.0;
        const auto badges = diagnoseRun({{"loss", loss}});
        QVERIFY(!hasTrendAlarm(badges));
        QVERIFY(find(badges, HealthBadge::Kind::Plateau));
    }

    void nanInNoisySeries() {
        // The NaN badge is as before: the first non-finite point of the noisy flat loss, at step 1500.
        SeriesData loss = noisy(flat, 2000, 1, 0.05, 3);
        loss.values[1500] = NAN;
        const auto badges = diagnoseRun({{"loss", loss}});
        QVERIFY(!badges.empty());
        QCOMPARE(badges.front().kind, HealthBadge::Kind::NonFinite);
        QCOMPARE(badges.front().label, std::string("NaN@1500"));
        QVERIFY(!hasTrendAlarm(badges));
    }
};

QTEST_GUILESS_MAIN(TestHealthNoise)
#include "test_health_noise.moc"
