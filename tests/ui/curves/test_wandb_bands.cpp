// A W&B chart export's __MIN / __MAX columns drawn as the band of their metric's line, not as cards of their
// own.
#include "core/import/importer.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/curve_layer.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"

#include <fstream>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

namespace {

std::vector<double> ys(const std::vector<QPointF>& points) {
    std::vector<double> out;
    for (const QPointF& p : points)
        out.push_back(p.y());
    return out;
}

std::vector<double> xs(const std::vector<QPointF>& points) {
    std::vector<double> out;
    for (const QPointF& p : points)
        out.push_back(p.x());
    return out;
}

} // namespace

class TestWandbBands : public QObject {
    Q_OBJECT
  private slots:
    void minMaxColumnsAreTheBand() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/wandb_export_chart.csv").toStdString();
        {
            // run-a has a band at steps 0 and 10 (at 20 its band cells are empty); run-b has none.
            std::ofstream out(path);
            out << "Step,run-a - loss,run-a - loss__MIN,run-a - loss__MAX,run-b - loss\n"
                   "0,1.0,0.8,1.2,2.0\n"
                   "10,0.5,0.4,0.6,1.5\n"
                   "20,0.25,,,1.0\n";
        }
        auto workspace = Workspace::create((dir.path() + "/w.runlens").toStdString());
        const ReaderRegistry registry = ReaderRegistry::withBuiltins();
        const std::vector<std::filesystem::path> paths = {path};
        ImportOptions options;
        options.runName = "chart";
        importPaths(paths, registry, *workspace, options);

        RunTableModel model;
        model.setRuns(workspace->runs());
        CurvesView view(&model);
        CurveDisplay display;
        display.smoothing = 0;
        view.setDisplay(display);
        view.setWorkspace(workspace.get());
        view.resize(1200, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(!view.cards().isEmpty() && view.cards().front()->isBuilt());

        // One card: loss. The band tags are not cards.
        QStringList tags;
        for (ChartCard* c : view.cards())
            if (!c->tag().startsWith(QStringLiteral("speed:"))) tags << c->tag();
        QCOMPARE(tags, QStringList{QStringLiteral("loss")});

        ChartCard* loss = view.cards().front();
        QTRY_VERIFY(!loss->drawnLine(QStringLiteral("chart/run-a")).empty());
        QCOMPARE(ys(loss->drawnLine(QStringLiteral("chart/run-a"))), (std::vector<double>{1.0, 0.5, 0.25}));
        // run-a's band: lower 0.8, 0.4 and upper 1.2, 0.6 at steps 0 and 10, as the export's columns say.
        const auto& bands = loss->layer()->bands();
        QCOMPARE(bands.size(), std::size_t(1));
        QCOMPARE(xs(bands[0].lower), (std::vector<double>{0, 10}));
        QCOMPARE(ys(bands[0].lower), (std::vector<double>{0.8, 0.4}));
        QCOMPARE(ys(bands[0].upper), (std::vector<double>{1.2, 0.6}));
        // The card's image export draws the same band.
        const CurveChartSpec spec = loss->exportSpec(800);
        QCOMPARE(spec.bands.size(), std::size_t(1));
        QCOMPARE(spec.bands[0].upper, (std::vector<double>{1.2, 0.6}));
    }
};

QTEST_MAIN(TestWandbBands)
#include "test_wandb_bands.moc"
