// Cards of many lines drawn from overviews (issue 19): the kept points against a brute-force min/max, the
// smoothed line against the EMA written out here, zoom back to every point, exports of every point,
// progressive building and a workspace switched while cards are still being read.
#include "core/analysis/curve_prep.h"
#include "core/analysis/decimation.h"
#include "core/store/workspace.h"
#include "tests/common/curves_view_fixture.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/curves/curves_view.h"

#include <cmath>
#include <QChart>
#include <QFile>
#include <QScrollArea>
#include <QtTest>
#include <QValueAxis>
#include <random>

using namespace runlens;
using namespace runlens::ui;

namespace {

constexpr int kRuns = 24; // above CurvesView::kOverviewLines, so the cards draw overviews
constexpr int kPoints = 5000;

// A noisy decaying loss per run, different per seed, with a spike so an extreme is not at an end.
std::vector<double> lossOf(int seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::normal_distribution<double> noise(0.0, 0.05);
    std::vector<double> values;
    for (int i = 0; i < kPoints; ++i)
        values.push_back(2.0 * std::exp(-i / 1500.0) + noise(rng) + (i == 777 + seed ? 3.0 : 0.0));
    return values;
}

void addRuns(Workspace& workspace, const std::string& prefix, const std::vector<std::string>& tags) {
    auto tx = workspace.beginSource("/logs/" + prefix + ".csv", "csv", false);
    for (int r = 0; r < kRuns; ++r) {
        const std::string name = prefix + std::to_string(100 + r);
        for (std::size_t t = 0; t < tags.size(); ++t) {
            const std::vector<double> values = lossOf(r * 10 + static_cast<int>(t));
            for (int i = 0; i < kPoints; ++i)
                tx->appendPoint(name, tags[t], i, 1000.0 + i, values[static_cast<std::size_t>(i)]);
        }
    }
    tx->commit({"csv", 1, 1, 1});
}

// TensorBoard's debiased EMA, written out from its definition (not the code under test): for each finite
// y, last = last * w + (1 - w) * y, n += 1, smoothed = last / (1 - w^n).
std::vector<double> referenceEma(const std::vector<double>& y, double w) {
    std::vector<double> out;
    double last = 0;
    int n = 0;
    for (const double v : y) {
        last = last * w + (1 - w) * v;
        ++n;
        out.push_back(last / (1 - std::pow(w, n)));
    }
    return out;
}

} // namespace

class TestCurveOverviews : public QObject, private runlens::test::CurvesViewFixture {
    Q_OBJECT

  private slots:
    void init() { initFixture(); }
    void cleanup() { cleanupFixture(); }
    void overviewHoldsEveryBucketsExtremes();
    void smoothedLineStaysOnTheFullResolutionEma();
    void zoomingInRestoresEveryPoint();
    void exportsWriteEveryPoint();
    void progressiveBuildEndsWithEveryVisibleCardBuilt();
    void switchingWorkspacesMidBuildIsSafe();

  private:
    std::vector<ChartCard*> visibleCards() const;
};

std::vector<ChartCard*> TestCurveOverviews::visibleCards() const {
    std::vector<ChartCard*> out;
    auto* scroll = m_view->findChild<QScrollArea*>();
    for (ChartCard* c : m_view->cards()) {
        const QRect area(c->mapTo(scroll->viewport(), QPoint(0, 0)), c->size());
        if (area.intersects(scroll->viewport()->rect())) out.push_back(c);
    }
    return out;
}

void TestCurveOverviews::overviewHoldsEveryBucketsExtremes() {
    // Uneven x (a gap, a dense stretch) and a NaN: per bucket, the brute-force min and max over the raw
    // points must be among the kept points, every kept point is a logged one, and the NaN survives.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> value(-5.0, 5.0);
    std::vector<double> x, y;
    for (int i = 0; i < 20000; ++i) {
        x.push_back(i < 10000 ? i : 30000 + (i - 10000) * 0.25);
        y.push_back(i == 4321 ? NAN : value(rng));
    }
    const int buckets = 300;
    const std::vector<std::size_t> kept = overviewIndices(x, y, buckets);
    QVERIFY(kept.size() < x.size() / 10);
    QVERIFY(std::is_sorted(kept.begin(), kept.end()));
    QCOMPARE(kept.front(), std::size_t{0});
    QCOMPARE(kept.back(), x.size() - 1);
    QVERIFY(std::find(kept.begin(), kept.end(), std::size_t{4321}) != kept.end());
    const double width = (x.back() - x.front()) / buckets;
    for (int b = 0; b < buckets; ++b) {
        const double lo = x.front() + b * width, hi = b + 1 == buckets ? INFINITY : lo + width;
        double bruteMin = INFINITY, bruteMax = -INFINITY, keptMin = INFINITY, keptMax = -INFINITY;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i] >= lo && x[i] < hi && std::isfinite(y[i])) {
                bruteMin = std::min(bruteMin, y[i]);
                bruteMax = std::max(bruteMax, y[i]);
            }
        for (const std::size_t i : kept)
            if (x[i] >= lo && x[i] < hi && std::isfinite(y[i])) {
                keptMin = std::min(keptMin, y[i]);
                keptMax = std::max(keptMax, y[i]);
            }
        QCOMPARE(keptMin, bruteMin); // both INFINITY for an empty bucket (the gap)
        QCOMPARE(keptMax, bruteMax);
    }
}

void TestCurveOverviews::smoothedLineStaysOnTheFullResolutionEma() {
    addRuns(*m_workspace, "run", {"loss"});
    CurveDisplay display;
    display.smoothing = 0.9;
    open(display);
    QVERIFY(m_view->usesOverviews(QStringLiteral("loss")));
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(loss->isBuilt() && loss->drawnPointCount() > 0);
    QVERIFY(!loss->drawsFullResolution());
    // Tolerance: every drawn vertex is the full-resolution EMA at its step to 1e-9, and the drawn line
    // reaches the EMA's own minimum and maximum (the spike) to 1e-9: nothing is smoothed on thinned points.
    for (int r = 0; r < kRuns; ++r) {
        const std::vector<double> reference = referenceEma(lossOf(r * 10), 0.9);
        const auto line = loss->drawnLine(QStringLiteral("run%1").arg(100 + r));
        QVERIFY(!line.empty());
        QVERIFY(line.size() < static_cast<std::size_t>(kPoints)); // thinned for the card's width
        double drawnMax = -INFINITY, drawnMin = INFINITY;
        for (const QPointF& p : line) {
            const auto step = static_cast<std::size_t>(std::llround(p.x()));
            QVERIFY(step < reference.size());
            QVERIFY2(std::abs(p.y() - reference[step]) <= 1e-9, qPrintable(QString::number(step)));
            drawnMax = std::max(drawnMax, p.y());
            drawnMin = std::min(drawnMin, p.y());
        }
        QVERIFY(std::abs(drawnMax - *std::max_element(reference.begin(), reference.end())) <= 1e-9);
        QVERIFY(std::abs(drawnMin - *std::min_element(reference.begin(), reference.end())) <= 1e-9);
    }
    // The cache holds overviews, not every point.
    QVERIFY(m_view->cachedOverviewPoints() < static_cast<std::size_t>(kRuns * kPoints) / 2);
}

void TestCurveOverviews::zoomingInRestoresEveryPoint() {
    addRuns(*m_workspace, "run", {"loss"});
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(loss->isBuilt() && loss->drawnPointCount() > 0);
    QVERIFY(!loss->drawsFullResolution());
    auto* xAxis = qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Horizontal).first());
    QVERIFY(xAxis);
    xAxis->setRange(1000, 1100);
    emit loss->chartView()->viewChanged(); // as after a rubber-band zoom
    QVERIFY(loss->drawsFullResolution());
    // 101 steps on a card hundreds of pixels wide: every logged point of the range is drawn, as logged.
    const std::vector<double> values = lossOf(30);
    const auto line = loss->drawnLine(QStringLiteral("run103"));
    std::vector<int> steps;
    for (const QPointF& p : line) {
        const auto step = static_cast<int>(std::llround(p.x()));
        if (step < 1000 || step > 1100) continue;
        steps.push_back(step);
        QCOMPARE(p.y(), values[static_cast<std::size_t>(step)]);
    }
    QCOMPARE(steps.size(), std::size_t{101});
    emit loss->chartView()->resetRequested();
    QVERIFY(!loss->drawsFullResolution());
    QVERIFY(loss->drawnLine(QStringLiteral("run103")).size() < static_cast<std::size_t>(kPoints));
}

void TestCurveOverviews::exportsWriteEveryPoint() {
    addRuns(*m_workspace, "run", {"loss"});
    open(CurveDisplay{});
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(loss->isBuilt() && loss->drawnPointCount() > 0);
    const QString path = m_dir->path() + "/loss.csv";
    QString error;
    QVERIFY2(loss->exportLongCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 1 + kRuns * kPoints + 1); // header, every point, the final newline
    QVERIFY(lines[1].startsWith("run100,loss,0,1000,"));
}

void TestCurveOverviews::progressiveBuildEndsWithEveryVisibleCardBuilt() {
    addRuns(*m_workspace, "run", {"a", "b", "c", "d", "e", "f"});
    open(CurveDisplay{});
    QTRY_VERIFY(!m_view->isReadingOverviews());
    const auto cards = visibleCards();
    QVERIFY(cards.size() >= 2);
    for (ChartCard* c : cards) {
        QVERIFY(m_view->usesOverviews(c->tag()));
        QTRY_VERIFY(c->isBuilt() && c->drawnPointCount() > 0);
    }
}

void TestCurveOverviews::switchingWorkspacesMidBuildIsSafe() {
    addRuns(*m_workspace, "old", {"a", "b", "c", "d"});
    m_model->setRuns(m_workspace->runs());
    m_view = std::make_unique<CurvesView>(m_model.get());
    m_view->setWorkspace(m_workspace.get());
    m_view->resize(1200, 900);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTRY_VERIFY(m_view->isReadingOverviews()); // reads under way for the visible cards
    // As MainWindow switches: the view lets go of the connection first, then the old file goes away.
    m_view->setWorkspace(nullptr);
    m_workspace.reset();
    QFile::remove(m_dir->path() + "/w.runlens");
    m_workspace = Workspace::create((m_dir->path() + "/new.runlens").toStdString());
    addRuns(*m_workspace, "new", {"a", "b"});
    m_model->setRuns(m_workspace->runs());
    m_view->setWorkspace(m_workspace.get());
    QTRY_VERIFY(!m_view->isReadingOverviews());
    for (ChartCard* c : visibleCards()) {
        QTRY_VERIFY(c->isBuilt() && c->drawnPointCount() > 0);
        QVERIFY(!c->drawnLine(QStringLiteral("new100")).empty());
        QVERIFY(c->drawnLine(QStringLiteral("old100")).empty());
    }
}

QTEST_MAIN(TestCurveOverviews)
#include "test_curve_overviews.moc"
