// Times one Curves-tab chart card with 100 runs x 100k points: a smoothing-slider move, a zoom, a rebuild.
#include "bench/bench_timing.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/interactive_chart_view.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <QApplication>
#include <QChart>
#include <QImage>
#include <QPainter>
#include <random>
#include <vector>

namespace {

constexpr int kRuns = 100;
constexpr std::size_t kPoints = 100'000;
constexpr int kFrames = 10;
constexpr int kWidth = 1600;
constexpr int kHeight = 300; // a card's height in the Curves tab

// Loss-like curves that differ per run, with noise so decimation keeps real min/max spread.
std::vector<runlens::ui::CardRun> makeRuns() {
    std::vector<runlens::ui::CardRun> runs(kRuns);
    std::mt19937_64 rng(11);
    std::normal_distribution<double> noise(0.0, 0.05);
    for (int r = 0; r < kRuns; ++r) {
        auto series = std::make_shared<runlens::SeriesData>();
        series->reserve(kPoints);
        const double rate = 1e-4 * (1.0 + 0.05 * r);
        for (std::size_t i = 0; i < kPoints; ++i) {
            const double step = static_cast<double>(i);
            series->push(static_cast<std::int64_t>(i), 1.7e9 + 0.5 * step,
                         2.0 / std::sqrt(1.0 + rate * step) + noise(rng));
        }
        auto& run = runs[static_cast<std::size_t>(r)];
        run.name = QStringLiteral("run_%1").arg(r);
        run.color = runlens::ui::runColor(r);
        run.data = std::move(series);
        run.tag = QStringLiteral("train/loss");
    }
    return runs;
}

struct Frame {
    runlens::bench::Timing prepare, paint;
    runlens::bench::Timing total() const {
        return {prepare.wallMs + paint.wallMs, prepare.cpuMs + paint.cpuMs};
    }
};

// What the user sees after a change: the card re-prepares its lines, then the view paints a frame.
template <typename Change> Frame frame(runlens::ui::ChartCard& card, QImage& image, Change change) {
    Frame f;
    f.prepare = runlens::bench::timeOf([&] {
        change();
        card.refreshIfNeeded();
    });
    f.paint = runlens::bench::timeOf([&] {
        image.fill(Qt::white);
        QPainter painter(&image);
        card.chartView()->render(&painter);
    });
    return f;
}

struct Summary {
    double wall = 0, cpu = 0, prepare = 0, paint = 0;
};

Summary summarise(const std::vector<Frame>& frames) {
    std::vector<double> wall, cpu, prepare, paint;
    for (const Frame& f : frames) {
        wall.push_back(f.total().wallMs);
        cpu.push_back(f.total().cpuMs);
        prepare.push_back(f.prepare.wallMs);
        paint.push_back(f.paint.wallMs);
    }
    using runlens::bench::median;
    return {median(wall), median(cpu), median(prepare), median(paint)};
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // no display needed
    QApplication app(argc, argv);
    const auto runs = makeRuns();
    runlens::ui::CurveDisplay display;
    display.smoothing = 0.6;
    runlens::ui::ChartCard card(
        QStringLiteral("train/loss"), [&](const QString&) { return runs; }, display);
    card.resize(kWidth, kHeight);
    card.show();
    QCoreApplication::processEvents();
    card.refreshIfNeeded(); // builds the chart; the view gets its final size once laid out
    QCoreApplication::processEvents();
    // The frame is painted at the view's real size: a smaller image would clip the lines and flatter paint.
    QImage image(card.chartView()->size(), QImage::Format_ARGB32_Premultiplied);

    // Rebuild: new chart, every run's x/y arrays read once (what an import or a visibility change costs).
    std::vector<Frame> rebuilds;
    for (int f = 0; f < 3; ++f)
        rebuilds.push_back(frame(card, image, [&] { card.invalidateData(); }));
    QCoreApplication::processEvents(); // the chart lays out its axes; the plot width settles
    frame(card, image, [&] { card.invalidateData(); });

    // Smoothing slider: every run is smoothed again at full resolution and decimated; raw points are kept.
    std::vector<Frame> slider;
    for (int f = 0; f < kFrames; ++f) {
        display.smoothing = 0.5 + 0.04 * f;
        slider.push_back(frame(card, image, [&] { card.setDisplay(display); }));
    }

    // Zoom: the visible range halves around its centre; raw and smoothed are decimated for the new range.
    std::vector<Frame> zoom;
    for (int f = 0; f < kFrames; ++f) {
        zoom.push_back(frame(card, image, [&] {
            QChart* chart = card.chart();
            const QRectF area = chart->plotArea();
            chart->zoomIn(
                QRectF(area.left() + area.width() * 0.1, area.top(), area.width() * 0.8, area.height()));
            emit card.chartView()->viewChanged();
        }));
    }
    emit card.chartView()->resetRequested();

    // One run of 10M points: zooming in must not stall (DESIGN §7), with smoothing on.
    std::vector<runlens::ui::CardRun> big(1);
    {
        auto series = std::make_shared<runlens::SeriesData>();
        constexpr std::size_t kBig = 10'000'000;
        series->reserve(kBig);
        std::mt19937_64 rng(5);
        std::normal_distribution<double> noise(0.0, 0.05);
        for (std::size_t i = 0; i < kBig; ++i)
            series->push(static_cast<std::int64_t>(i), 1.7e9 + 0.01 * static_cast<double>(i),
                         2.0 / std::sqrt(1.0 + 1e-6 * static_cast<double>(i)) + noise(rng));
        big[0].name = QStringLiteral("big");
        big[0].color = runlens::ui::runColor(0);
        big[0].data = std::move(series);
        big[0].tag = QStringLiteral("train/loss");
    }
    runlens::ui::ChartCard bigCard(
        QStringLiteral("train/loss"), [&](const QString&) { return big; }, display);
    bigCard.resize(kWidth, kHeight);
    bigCard.show();
    QCoreApplication::processEvents();
    bigCard.refreshIfNeeded();
    QCoreApplication::processEvents();
    std::vector<Frame> bigZoom;
    for (int f = 0; f < kFrames; ++f) {
        bigZoom.push_back(frame(bigCard, image, [&] {
            QChart* chart = bigCard.chart();
            const QRectF area = chart->plotArea();
            chart->zoomIn(
                QRectF(area.left() + area.width() * 0.1, area.top(), area.width() * 0.8, area.height()));
            emit bigCard.chartView()->viewChanged();
        }));
    }
    const Summary b = summarise(bigZoom);
    std::printf("big_zoom_ms\t%.1f\tbig_zoom_cpu\t%.1f\t", b.wall, b.cpu);

    const Summary s = summarise(slider);
    const Summary z = summarise(zoom);
    const Summary r = summarise(rebuilds);
    card.refreshIfNeeded();
    std::printf("image\t%dx%d\t", image.width(), image.height());
    std::printf("redraw_frame_ms\t%.1f\tcpu\t%.1f\tprepare_ms\t%.1f\tpaint_ms\t%.1f\tzoom_frame_ms\t%."
                "1f\tzoom_cpu\t%."
                "1f\trebuild_ms\t%.1f\tframes\t%d\tpoints_drawn\t%zu\tplot_px\t%.0f\n",
                s.wall, s.cpu, s.prepare, s.paint, z.wall, z.cpu, r.wall, kFrames, card.drawnPointCount(),
                card.chart()->plotArea().width());
    if (argc > 1) {
        frame(card, image, [] {});
        image.save(QString::fromLocal8Bit(argv[1])); // optional: look at the last frame
    }
    return 0;
}
