// Times one chart card's redraw with 100 runs x 100k points: prepare curves, build the chart, paint a frame.
#include "bench/bench_timing.h"
#include "core/analysis/curve_prep.h"
#include "ui/chart_export.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <QApplication>
#include <QChart>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <random>
#include <vector>

namespace {

constexpr int kRuns = 100;
constexpr std::size_t kPoints = 100'000;
constexpr int kFrames = 10;
constexpr int kWidth = 1600;
constexpr int kHeight = 900;

// Loss-like curves that differ per run, with noise so decimation keeps real min/max spread.
std::vector<runlens::SeriesData> makeRuns() {
    std::vector<runlens::SeriesData> runs(kRuns);
    std::mt19937_64 rng(11);
    std::normal_distribution<double> noise(0.0, 0.05);
    for (int r = 0; r < kRuns; ++r) {
        auto& series = runs[static_cast<std::size_t>(r)];
        series.reserve(kPoints);
        const double rate = 1e-4 * (1.0 + 0.05 * r);
        for (std::size_t i = 0; i < kPoints; ++i) {
            const double step = static_cast<double>(i);
            series.push(static_cast<std::int64_t>(i), 1.7e9 + 0.5 * step,
                        2.0 / std::sqrt(1.0 + rate * step) + noise(rng));
        }
    }
    return runs;
}

struct FrameTimes {
    runlens::bench::Timing prepare, build, paint;
    std::size_t pointsDrawn = 0; // raw + smoothed points handed to the chart
    runlens::bench::Timing total() const {
        return {prepare.wallMs + build.wallMs + paint.wallMs, prepare.cpuMs + build.cpuMs + paint.cpuMs};
    }
};

// One frame as a chart card does it after a smoothing or zoom change: curves for the view, a fresh chart,
// paint.
FrameTimes drawFrame(const std::vector<runlens::SeriesData>& runs, QImage& image) {
    FrameTimes t;
    runlens::ui::CurveChartSpec spec;
    spec.title = QStringLiteral("train/loss");
    spec.xLabel = QStringLiteral("Step");
    spec.yLabel = QStringLiteral("loss");
    t.prepare = runlens::bench::timeOf([&] {
        runlens::CurveOptions options;
        options.smoothing = 0.6;
        options.pixels = kWidth;
        for (std::size_t r = 0; r < runs.size(); ++r) {
            const auto curve = runlens::prepareCurve(runs[r], options);
            runlens::ui::CurveLine line;
            line.runName = QStringLiteral("run_%1").arg(r);
            line.color = runlens::ui::runColor(static_cast<int>(r));
            line.rawX = curve.raw.x;
            line.rawY = curve.raw.y;
            line.smoothX = curve.smoothed.x;
            line.smoothY = curve.smoothed.y;
            t.pointsDrawn += curve.raw.size() + curve.smoothed.size();
            spec.lines.push_back(std::move(line));
        }
    });
    std::unique_ptr<QChart> chart;
    QGraphicsScene scene;
    t.build = runlens::bench::timeOf([&] {
        chart.reset(runlens::ui::buildCurveChart(spec));
        scene.addItem(chart.get());
        chart->setPos(0, 0);
        chart->resize(kWidth, kHeight);
        QCoreApplication::sendPostedEvents(); // the chart lays out axes and legend from posted events
        QCoreApplication::processEvents();
    });
    t.paint = runlens::bench::timeOf([&] {
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing, true); // as the interactive chart view draws
        scene.render(&painter, QRectF(0, 0, kWidth, kHeight), chart->sceneBoundingRect());
    });
    scene.removeItem(chart.get()); // the unique_ptr, not the scene, owns the chart
    return t;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // no display needed
    QApplication app(argc, argv);
    const auto runs = makeRuns();
    QImage image(kWidth, kHeight, QImage::Format_ARGB32_Premultiplied);
    drawFrame(runs, image); // warm-up: font and glyph caches, first allocation of the scene
    std::vector<runlens::bench::Timing> prepare, build, paint, total;
    std::size_t pointsDrawn = 0;
    for (int f = 0; f < kFrames; ++f) {
        const auto t = drawFrame(runs, image);
        pointsDrawn = t.pointsDrawn;
        prepare.push_back(t.prepare);
        build.push_back(t.build);
        paint.push_back(t.paint);
        total.push_back(t.total());
    }
    using runlens::bench::median;
    const auto frame = median(total);
    std::printf("redraw_frame_ms\t%.1f\tcpu\t%.1f\tprepare_ms\t%.1f\tbuild_ms\t%.1f\tpaint_ms\t%."
                "1f\tframes\t%d\tpoints_drawn\t%zu\n",
                frame.wallMs, frame.cpuMs, median(prepare).wallMs, median(build).wallMs, median(paint).wallMs,
                kFrames, pointsDrawn);
    if (argc > 1) image.save(QString::fromLocal8Bit(argv[1])); // optional: look at the last frame
    return 0;
}
