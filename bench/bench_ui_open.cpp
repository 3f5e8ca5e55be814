// Times the desktop window opening a workspace until its run table is filled (model, proxy, view).
#include "bench/bench_timing.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"

#include <cstdio>
#include <QApplication>
#include <QElapsedTimer>
#include <QTableView>
#include <vector>

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_ui_open WORKSPACE [REPEATS]\n");
        return 2;
    }
    QApplication app(argc, argv);
    const QString path = QString::fromLocal8Bit(argv[1]);
    const int reps = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    std::vector<runlens::bench::Timing> timings;
    int rows = 0;
    for (int r = 0; r < reps; ++r) {
        runlens::ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QCoreApplication::processEvents();
        timings.push_back(runlens::bench::timeOf([&] {
            if (!window.openWorkspace(path)) return;
            // Filled: the table's rows exist and the view has laid them out for painting.
            window.runTable()->viewport()->repaint();
            rows = window.runModel()->rowCount();
        }));
    }
    const auto t = runlens::bench::median(timings);
    std::printf("ui_open_ms\t%.1f\tcpu\t%.1f\trows\t%d\n", t.wallMs, t.cpuMs, rows);
    return rows > 0 ? 0 : 1;
}
