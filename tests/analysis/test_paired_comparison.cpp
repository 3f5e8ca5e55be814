// Paired comparison: McNemar against statsmodels, DeLong against a direct O(n^2) implementation of the paper.
#include "core/analysis/paired_comparison.h"
#include "core/analysis/statistics.h"

#include <cmath>
#include <QtTest>
#include <random>

using namespace runlens;

namespace {

// DeLong et al. (1988) written directly from the paper: psi(x, y) = 1 if x > y, 1/2 if equal, 0 otherwise;
// V10(x_i) = mean_j psi(x_i, y_j), V01(y_j) = mean_i psi(x_i, y_j), S10/S01 sample covariances,
// var(A - B) = (S10_AA + S10_BB - 2 S10_AB)/m + (S01_AA + S01_BB - 2 S01_AB)/n.
struct Reference {
    double aucA, aucB, z, p;
};

Reference referenceDeLong(const std::vector<int>& y, const std::vector<double>& a,
                          const std::vector<double>& b) {
    std::vector<std::size_t> pos, neg;
    for (std::size_t i = 0; i < y.size(); ++i)
        (y[i] ? pos : neg).push_back(i);
    const double m = pos.size(), n = neg.size();
    auto psi = [](double x, double z) { return x > z ? 1.0 : (x == z ? 0.5 : 0.0); };
    std::vector<double> a10(pos.size()), b10(pos.size()), a01(neg.size()), b01(neg.size());
    for (std::size_t i = 0; i < pos.size(); ++i)
        for (std::size_t j = 0; j < neg.size(); ++j) {
            const double pa = psi(a[pos[i]], a[neg[j]]), pb = psi(b[pos[i]], b[neg[j]]);
            a10[i] += pa / n;
            b10[i] += pb / n;
            a01[j] += pa / m;
            b01[j] += pb / m;
        }
    auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v)
            s += x;
        return s / v.size();
    };
    auto cov = [&](const std::vector<double>& u, const std::vector<double>& v) {
        const double mu = mean(u), mv = mean(v);
        double s = 0;
        for (std::size_t i = 0; i < u.size(); ++i)
            s += (u[i] - mu) * (v[i] - mv);
        return s / (u.size() - 1);
    };
    const double var = (cov(a10, a10) + cov(b10, b10) - 2 * cov(a10, b10)) / m +
                       (cov(a01, a01) + cov(b01, b01) - 2 * cov(a01, b01)) / n;
    const double z = (mean(a10) - mean(b10)) / std::sqrt(var);
    return {mean(a10), mean(b10), z, std::erfc(std::abs(z) / std::sqrt(2.0))};
}

} // namespace

class TestPairedComparison : public QObject {
    Q_OBJECT
  private slots:
    void mcnemarMatchesStatsmodels() {
        // Table [[50, 10], [3, 60]]: both correct 50, A only 10, B only 3, both wrong 60.
        // statsmodels: mcnemar(t, exact=True).pvalue = 0.09228515625;
        // mcnemar(t, exact=False, correction=True): statistic 2.769230769230769, pvalue 0.0960923294556734.
        std::vector<std::uint8_t> a, b;
        auto add = [&](int count, int ca, int cb) {
            for (int i = 0; i < count; ++i)
                a.push_back(ca), b.push_back(cb);
        };
        add(50, 1, 1);
        add(10, 1, 0);
        add(3, 0, 1);
        add(60, 0, 0);
        const auto r = mcnemar(a, b);
        QCOMPARE(r.n, std::int64_t(123));
        QCOMPARE(r.bothCorrect, std::int64_t(50));
        QCOMPARE(r.aOnlyCorrect, std::int64_t(10));
        QCOMPARE(r.bOnlyCorrect, std::int64_t(3));
        QCOMPARE(r.bothWrong, std::int64_t(60));
        QVERIFY(std::abs(r.exactP - 0.09228515625) < 1e-9);
        QVERIFY(std::abs(r.chi2 - 2.769230769230769) < 1e-9);
        QVERIFY(std::abs(r.chi2P - 0.0960923294556734) < 1e-9);
    }

    void mcnemarWithoutDiscordantPairs() {
        const std::vector<std::uint8_t> a{1, 0, 1}, b{1, 0, 1};
        const auto r = mcnemar(a, b);
        QCOMPARE(r.exactP, 1.0);
        QCOMPARE(r.chi2P, 1.0);
        QVERIFY(std::isnan(r.chi2));
    }

    void delongMatchesDirectImplementation_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("seed");
        QTest::addColumn<bool>("ties");
        QTest::newRow("n=60") << 60 << 1 << false;
        QTest::newRow("n=300 ties") << 300 << 2 << true;
        QTest::newRow("n=500") << 500 << 3 << false;
    }
    void delongMatchesDirectImplementation() {
        QFETCH(int, n);
        QFETCH(int, seed);
        QFETCH(bool, ties);
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> u(0, 1);
        std::vector<int> y(n);
        std::vector<double> a(n), b(n);
        for (int i = 0; i < n; ++i) {
            y[i] = u(rng) < 0.4;
            a[i] = 0.6 * y[i] + u(rng);
            b[i] = 0.4 * y[i] + 0.5 * a[i] + 0.5 * u(rng);
            if (ties) a[i] = std::round(a[i] * 10) / 10, b[i] = std::round(b[i] * 10) / 10;
        }
        const auto ref = referenceDeLong(y, a, b);
        const auto r = delong(y, a, b);
        QVERIFY(std::abs(r.aucA - ref.aucA) < 1e-12);
        QVERIFY(std::abs(r.aucB - ref.aucB) < 1e-12);
        QVERIFY2(std::abs(r.z - ref.z) < 1e-9, qPrintable(QString("%1 vs %2").arg(r.z).arg(ref.z)));
        QVERIFY(std::abs(r.p - ref.p) < 1e-9);
    }

    void alignmentById() {
        const std::vector<std::string> a{"x", "y", "z", "w"}, b{"z", "q", "x"};
        const auto al = alignById(a, b);
        QVERIFY(al.byId);
        QCOMPARE(al.rowsA, (std::vector<std::size_t>{0, 2}));
        QCOMPARE(al.rowsB, (std::vector<std::size_t>{2, 0}));
        QCOMPARE(al.unmatchedA, std::int64_t(2));
        QCOMPARE(al.unmatchedB, std::int64_t(1));
    }

    void bootstrapIsReproducibleWithItsSeed() {
        std::vector<int> correctA(400), correctB(400);
        std::mt19937_64 rng(9);
        for (int i = 0; i < 400; ++i)
            correctA[i] = rng() % 100 < 70, correctB[i] = rng() % 100 < 78;
        const PairedMetric accuracy = [&](std::span<const std::size_t> rows, int model) {
            const auto& c = model == 0 ? correctA : correctB;
            double s = 0;
            for (auto r : rows)
                s += c[r];
            return s / rows.size();
        };
        const auto one = pairedBootstrap(accuracy, 400, 300, 42, "accuracy");
        const auto two = pairedBootstrap(accuracy, 400, 300, 42, "accuracy");
        const auto other = pairedBootstrap(accuracy, 400, 300, 43, "accuracy");
        QCOMPARE(one.ciLow, two.ciLow);
        QCOMPARE(one.ciHigh, two.ciHigh);
        QVERIFY(one.ciLow != other.ciLow || one.ciHigh != other.ciHigh);
        QVERIFY(one.ciLow < one.delta && one.delta < one.ciHigh);
        QCOMPARE(one.seed, std::uint64_t(42));
        QCOMPARE(one.resamples, 300);

        // Accuracy differences take three values (-1, 0, 1): the fast path draws multinomial counts, the same
        // distribution as resampling rows, so with many resamples both intervals agree closely.
        std::vector<double> differences(400);
        for (int i = 0; i < 400; ++i)
            differences[i] = correctB[i] - correctA[i];
        const auto manyRows = pairedBootstrap(accuracy, 400, 4000, 42, "accuracy");
        const auto counts = pairedBootstrapMean(differences, 4000, 42, "accuracy");
        const auto countsAgain = pairedBootstrapMean(differences, 4000, 42, "accuracy");
        QVERIFY(std::abs(counts.delta - one.delta) < 1e-12);
        QVERIFY2(std::abs(counts.ciLow - manyRows.ciLow) < 0.006,
                 qPrintable(QString::number(counts.ciLow - manyRows.ciLow)));
        QVERIFY(std::abs(counts.ciHigh - manyRows.ciHigh) < 0.006);
        QCOMPARE(counts.ciLow, countsAgain.ciLow);
        // Continuous differences (e.g. per-example log loss) use the same resamples as the generic path.
        std::vector<double> continuous(400);
        std::mt19937_64 rng2(5);
        for (auto& d : continuous)
            d = std::uniform_real_distribution<double>(-1, 1)(rng2);
        const PairedMetric mean = [&](std::span<const std::size_t> rows, int model) {
            double s = 0;
            for (auto r : rows)
                s += model == 1 ? continuous[r] : 0.0;
            return s / rows.size();
        };
        const auto generic = pairedBootstrap(mean, 400, 300, 42, "mean");
        const auto fast = pairedBootstrapMean(continuous, 300, 42, "mean");
        QVERIFY(std::abs(fast.ciLow - generic.ciLow) < 1e-12);
        QVERIFY(std::abs(fast.ciHigh - generic.ciHigh) < 1e-12);
    }

    void binomialSamplerMatchesItsDistribution() {
        // Mean and variance of 20,000 Binomial(1,000,000, 0.1) draws: n p = 100,000 and n p q = 90,000.
        stats::IndexSampler sampler(3);
        double sum = 0, sumSq = 0;
        const int draws = 20000;
        for (int i = 0; i < draws; ++i) {
            const double k = double(sampler.binomial(1000000, 0.1));
            sum += k;
            sumSq += k * k;
        }
        const double mean = sum / draws, var = sumSq / draws - mean * mean;
        QVERIFY2(std::abs(mean - 100000) < 5 * std::sqrt(90000.0 / draws), qPrintable(QString::number(mean)));
        QVERIFY2(std::abs(var / 90000 - 1) < 0.05, qPrintable(QString::number(var)));
        QCOMPARE(sampler.binomial(10, 0.0), std::int64_t(0));
        QCOMPARE(sampler.binomial(10, 1.0), std::int64_t(10));
    }
};

QTEST_APPLESS_MAIN(TestPairedComparison)
#include "test_paired_comparison.moc"
