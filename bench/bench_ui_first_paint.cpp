// Times the desktop window, built as the app builds it, from File > Open until the Curves tab's visible
// cards have painted their curves; reports wall and CPU time and the process's peak memory.
#include "bench/bench_timing.h"
#include "ui/charts/chart_card.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"
#include "ui/shell/standard_views.h"

#include <chrono>
#include <cstdio>
#include <QApplication>
#include <QPixmap>
#include <QScrollArea>
#include <QTableView>
#include <QTimer>
#include <sys/resource.h>

namespace {

// Cards inside the Curves tab's viewport, and how many of them have drawn points.
struct VisibleCards {
    int visible = 0;
    int painted = 0;
    std::size_t points = 0;
};

VisibleCards visibleCards(runlens::ui::CurvesView& view) {
    VisibleCards out;
    auto* scroll = view.findChild<QScrollArea*>();
    if (!scroll) return out;
    const QRect viewport = scroll->viewport()->rect();
    for (runlens::ui::ChartCard* card : view.cards()) {
        const QRect area(card->mapTo(scroll->viewport(), QPoint(0, 0)), card->size());
        if (!area.intersects(viewport)) continue;
        ++out.visible;
        if (card->isBuilt() && card->drawnPointCount() > 0) {
            ++out.painted;
            out.points += card->drawnPointCount();
        }
    }
    return out;
}

// The process's resident memory now (not its peak), from /proc.
double currentRssMb() {
    std::FILE* status = std::fopen("/proc/self/status", "r");
    if (!status) return 0;
    char line[256];
    double kb = 0;
    while (std::fgets(line, sizeof line, status))
        if (std::sscanf(line, "VmRSS: %lf kB", &kb) == 1) break;
    std::fclose(status);
    return kb / 1024.0;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_ui_first_paint WORKSPACE [SCREENSHOT.png]\n");
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Runlens"));
    QApplication::setApplicationName(QStringLiteral("Runlens"));
    const QString path = QString::fromLocal8Bit(argv[1]);
    const QString screenshot = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();

    // As runGui builds it: every standard tab, the Curves tab in front.
    runlens::ui::MainWindow window;
    runlens::ui::addStandardViews(window);
    window.resize(1400, 900);
    window.show();
    QCoreApplication::processEvents();

    const double cpu0 = runlens::bench::processCpuMs();
    const auto t0 = std::chrono::steady_clock::now();
    const auto since = [&] {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    };
    if (!window.openWorkspace(path)) {
        std::fprintf(stderr, "bench_ui_first_paint: cannot open %s\n", qPrintable(path));
        return 1;
    }
    window.runTable()->viewport()->repaint();
    const double tableMs = since();
    const double tableCpu = runlens::bench::processCpuMs() - cpu0;
    const int rows = window.runModel()->rowCount();
    const double tableRss = currentRssMb();

    // Painted: every card in the viewport is built and draws points, and the window has been painted.
    // The first card with curves is when the window stops showing only the table: cards fill in one by one.
    VisibleCards cards;
    double firstCardMs = -1, firstCardCpu = -1;
    // Sleep between events as the app's event loop does: a loop that spins on processEvents would take a
    // core from the background reads it is timing. The timer wakes it to look at the cards.
    QTimer tick;
    tick.start(2);
    while (since() < 120000) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        cards = visibleCards(*window.curvesView());
        if (cards.painted > 0 && firstCardMs < 0) {
            firstCardMs = since();
            firstCardCpu = runlens::bench::processCpuMs() - cpu0;
        }
        if (cards.visible > 0 && cards.painted == cards.visible) break;
    }
    window.repaint();
    const double paintMs = since();
    const double paintCpu = runlens::bench::processCpuMs() - cpu0;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    if (!screenshot.isEmpty() && !window.grab().save(screenshot))
        std::fprintf(stderr, "bench_ui_first_paint: cannot write %s\n", qPrintable(screenshot));
    std::printf(
        "ui_first_paint_ms\t%.1f\tcpu\t%.1f\ttable_ms\t%.1f\ttable_cpu\t%.1f\tpeak_rss_mb\t%.1f\trows\t%d"
        "\ttable_rss_mb\t%.1f\trss_mb\t%.1f\toverview_points\t%zu\tcards\t%d\tpainted\t%d\tpoints\t%zu"
        "\tfirst_card_ms\t%.1f\tfirst_card_cpu\t%.1f\n",
        paintMs, paintCpu, tableMs, tableCpu, static_cast<double>(usage.ru_maxrss) / 1024.0, rows, tableRss,
        currentRssMb(), window.curvesView()->cachedOverviewPoints(), cards.visible, cards.painted,
        cards.points, firstCardMs, firstCardCpu);
    return cards.visible > 0 && cards.painted == cards.visible ? 0 : 1;
}
