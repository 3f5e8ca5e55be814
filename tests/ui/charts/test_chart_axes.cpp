// The axis items of Curves cards and of the exported chart: compact step labels, round ticks after a zoom,
// decade labels on log axes, x ending at the data, and the card's sentence when runs have no wall times.
#include "ui/charts/chart_card.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"

#include <cmath>
#include <QCategoryAxis>
#include <QChart>
#include <QLabel>
#include <QLogValueAxis>
#include <QtTest>
#include <QValueAxis>

using namespace runlens;
using namespace runlens::ui;

namespace {

// A loss falling from 1 over steps 0, 10,000, ..., 1,500,000 (151 points), wall times one second apart
// unless withoutTimes.
std::shared_ptr<SeriesData> longRun(bool withoutTimes = false) {
    auto data = std::make_shared<SeriesData>();
    for (int i = 0; i <= 150; ++i)
        data->push(static_cast<std::int64_t>(i) * 10000, withoutTimes ? NAN : 1000.0 + i, 1.0 / (1 + i));
    return data;
}

// With RUNLENS_AXES_SHOTS=DIR set, the card as a user sees it, to look at (never compared).
void saveShot(QWidget* card, const char* name) {
    const QByteArray dir = qgetenv("RUNLENS_AXES_SHOTS");
    if (!dir.isEmpty()) card->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + name + ".png");
}

// True when step is 1, 2, 2.5 or 5 times a power of ten (the "nice numbers").
bool isNiceStep(double step) {
    if (!(step > 0)) return false;
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    for (const double nice : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (std::abs(mantissa - nice) < 1e-6) return true;
    return false;
}

// The (value, label) pairs of a category axis, in order.
std::vector<std::pair<double, QString>> categoryTicks(QCategoryAxis* axis) {
    std::vector<std::pair<double, QString>> ticks;
    for (const QString& label : axis->categoriesLabels())
        ticks.emplace_back(axis->endValue(label), label);
    return ticks;
}

// Ticks evenly spaced by a nice step, each a whole multiple of it (round values, not 0.137-like ones).
bool roundAndEven(const std::vector<double>& values) {
    if (values.size() < 2) return false;
    const double step = values[1] - values[0];
    if (!isNiceStep(step)) return false;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (std::abs(values[i] / step - std::round(values[i] / step)) > 1e-6) return false;
        if (i > 0 && std::abs(values[i] - values[i - 1] - step) > 1e-6 * step) return false;
    }
    return true;
}

} // namespace

class TestChartAxes : public QObject {
    Q_OBJECT

  private slots:
    void stepAxisIsCompactAndEndsAtData();
    void zoomKeepsRoundTicks();
    void logAxisLabelsDecades();
    void noWallTimesSaysWhy();
    void exportUsesTheSameTicks();

  private:
    std::unique_ptr<ChartCard> makeCard(const CurveDisplay& display, std::shared_ptr<SeriesData> data) {
        auto card = std::make_unique<ChartCard>(
            QStringLiteral("loss"),
            [data](const QString&) {
                CardRun run;
                run.name = QStringLiteral("a");
                run.color = Qt::blue;
                run.data = data;
                run.tag = QStringLiteral("loss");
                return std::vector<CardRun>{run};
            },
            display);
        card->resize(900, 300);
        card->show();
        card->refreshIfNeeded();
        return card;
    }
};

void TestChartAxes::stepAxisIsCompactAndEndsAtData() {
    CurveDisplay display;
    display.smoothing = 0;
    auto card = makeCard(display, longRun());
    QVERIFY(QTest::qWaitForWindowExposed(card.get()));
    QTRY_VERIFY(card->isBuilt());
    auto* x = qobject_cast<QCategoryAxis*>(card->chart()->axes(Qt::Horizontal).first());
    QVERIFY(x);
    // The last logged step is 1,500,000 and the first 0: no margin beyond either.
    QCOMPARE(x->min(), 0.0);
    QCOMPARE(x->max(), 1500000.0);
    const auto ticks = categoryTicks(x);
    QVERIFY(ticks.size() >= 2 && ticks.size() <= 11);
    std::vector<double> values;
    for (const auto& [value, label] : ticks)
        values.push_back(value);
    QVERIFY(roundAndEven(values));
    saveShot(card.get(), "card_steps");
    // The labels every nice step over [0, 1.5M] can produce (steps 200k, 250k, 500k or 1M), by hand.
    const std::map<double, QString> byHand = {
        {0, "0"},           {200000, "200k"},  {250000, "250k"}, {400000, "400k"}, {500000, "500k"},
        {600000, "600k"},   {750000, "750k"},  {800000, "800k"}, {1000000, "1M"},  {1200000, "1.2M"},
        {1250000, "1.25M"}, {1400000, "1.4M"}, {1500000, "1.5M"}};
    for (const auto& [value, label] : ticks) {
        QVERIFY2(byHand.count(value), qPrintable(QString::number(value)));
        QCOMPARE(label, byHand.at(value));
    }
}

void TestChartAxes::zoomKeepsRoundTicks() {
    CurveDisplay display;
    display.smoothing = 0;
    display.robustY = false;
    auto card = makeCard(display, longRun());
    QVERIFY(QTest::qWaitForWindowExposed(card.get()));
    QTRY_VERIFY(card->isBuilt());
    auto* x = qobject_cast<QCategoryAxis*>(card->chart()->axes(Qt::Horizontal).first());
    auto* y = qobject_cast<QValueAxis*>(card->chart()->axes(Qt::Vertical).first());
    QVERIFY(x && y);
    // An arbitrary zoom, as a rubber band leaves it.
    x->setRange(123457, 654321);
    y->setRange(0.137, 0.9);
    emit card->chartView()->viewChanged();
    const auto ticks = categoryTicks(x);
    std::vector<double> values;
    for (const auto& [value, label] : ticks) {
        QVERIFY(value >= 123457 && value <= 654321);
        values.push_back(value);
        // Every tick here is a whole number of thousands between 10,000 and 1M: "<thousands>k".
        QCOMPARE(label, QString::number(value / 1000) + QLatin1Char('k'));
    }
    QVERIFY(roundAndEven(values));
    QTest::qWait(50);
    saveShot(card.get(), "card_zoomed");
    // y: round ticks anchored at 0, a nice interval; over 0.763 with 2 to 10 ticks that is 0.1, 0.2 or 0.5
    // (0.763 / 10 = 0.0763 -> 0.1, 0.763 / 4 = 0.19 -> 0.2, 0.763 / 2 = 0.38 -> 0.5).
    QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(y->tickAnchor(), 0.0);
    QVERIFY2(y->tickInterval() == 0.1 || y->tickInterval() == 0.2 || y->tickInterval() == 0.5,
             qPrintable(QString::number(y->tickInterval())));
    QCOMPARE(y->labelFormat(), QStringLiteral("%.1f")); // 0.2, 0.4: one decimal, no "0.2000"
    // The zoom itself is the user's: ticks do not widen it.
    QCOMPARE(y->min(), 0.137);
    QCOMPARE(y->max(), 0.9);
}

void TestChartAxes::logAxisLabelsDecades() {
    // Values from 42 down to 0.003: the axis spans the decades 0.001 .. 100.
    auto data = std::make_shared<SeriesData>();
    const double values[] = {42, 10, 3, 1, 0.3, 0.1, 0.03, 0.01, 0.003};
    for (int i = 0; i < 9; ++i)
        data->push(i, 1000.0 + i, values[i]);
    CurveDisplay display;
    display.smoothing = 0;
    display.robustY = false;
    display.logY = true;
    auto card = makeCard(display, data);
    QVERIFY(QTest::qWaitForWindowExposed(card.get()));
    QTRY_VERIFY(card->isBuilt());
    auto* y = qobject_cast<QLogValueAxis*>(card->chart()->axes(Qt::Vertical).first());
    QVERIFY(y);
    QCOMPARE(y->base(), 10.0);
    // 0.003 / 1.25 = 0.0024 and 42 * 1.25 = 52.5, widened to the decades 0.001 and 100.
    QVERIFY(std::abs(y->min() / 0.001 - 1) < 1e-6);
    QVERIFY(std::abs(y->max() / 100 - 1) < 1e-6);
    QCOMPARE(y->minorTickCount(), 8); // 2..9 x each decade
    saveShot(card.get(), "card_log");
    // Qt labels each power of ten with the format: plain numbers, not 1e-03.
    QCOMPARE(QString::asprintf(y->labelFormat().toLatin1().constData(), 0.001), QStringLiteral("0.001"));
    QCOMPARE(QString::asprintf(y->labelFormat().toLatin1().constData(), 0.01), QStringLiteral("0.01"));
    QCOMPARE(QString::asprintf(y->labelFormat().toLatin1().constData(), 100.0), QStringLiteral("100"));
    QCOMPARE(QString::asprintf(y->labelFormat().toLatin1().constData(), 1e6), QStringLiteral("1000000"));
}

void TestChartAxes::noWallTimesSaysWhy() {
    CurveDisplay display;
    display.smoothing = 0;
    display.xAxis = QStringLiteral("relative");
    auto card = makeCard(display, longRun(true));
    QTRY_VERIFY(card->isBuilt());
    bool explained = false;
    for (QLabel* label : card->findChildren<QLabel*>())
        explained =
            explained || (label->isVisible() && label->text().contains(QLatin1String("no wall times")));
    QVERIFY(explained);
    QVERIFY(!card->chartView()->isVisible());
    saveShot(card.get(), "card_no_wall_times");
    // With wall times the same card draws a chart.
    auto drawn = makeCard(display, longRun(false));
    QTRY_VERIFY(drawn->isBuilt() && drawn->chartView()->isVisible());
}

void TestChartAxes::exportUsesTheSameTicks() {
    CurveChartSpec spec;
    spec.xIsStepCount = true;
    CurveLine line;
    line.runName = QStringLiteral("a");
    line.color = Qt::blue;
    line.smoothX = {0, 500000, 1500000};
    line.smoothY = {1, 0.5, 0.25};
    spec.lines.push_back(line);
    std::unique_ptr<QChart> chart(buildCurveChart(spec));
    auto* x = qobject_cast<QCategoryAxis*>(chart->axes(Qt::Horizontal).first());
    QVERIFY(x);
    QCOMPARE(x->max(), 1500000.0); // the x axis ends at the last step
    // 8 ticks wanted over 1.5M: 187,500 -> 200k; multiples 0, 200k, ..., 1.4M, by hand.
    QCOMPARE(x->categoriesLabels(), QStringList({"0", "200k", "400k", "600k", "800k", "1M", "1.2M", "1.4M"}));
    // Logarithmic y: 0.25 .. 1 with a 5% margin in log10 is 0.233 .. 1.07, widened to the decades 0.1 .. 10.
    spec.logY = true;
    std::unique_ptr<QChart> logChart(buildCurveChart(spec));
    auto* y = qobject_cast<QLogValueAxis*>(logChart->axes(Qt::Vertical).first());
    QVERIFY(y);
    QVERIFY(std::abs(y->min() / 0.1 - 1) < 1e-6 && std::abs(y->max() / 10 - 1) < 1e-6);
}

QTEST_MAIN(TestChartAxes)
#include "test_chart_axes.moc"
