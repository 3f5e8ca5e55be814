// Tests the run table model and its filter proxy on a workspace imported from small CSV + hparams.yaml logs,
// and the worker rows of a distributed run folded by WorkerSink.
#include "core/import/importer.h"
#include "core/io/worker_runs.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/runs/run_filter.h"
#include "ui/runs/run_table_model.h"

#include <memory>
#include <QFile>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

namespace {

void writeFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// Three runs chosen so that text order and numeric order differ: lr 9, 10, 0.5 (text: "0.5" < "10" < "9").
// Last losses: a 0.3, b 0.25, c 2 (hand-written below).
void writeLogs(const QString& root) {
    writeFile(root + "/a/metrics.csv", "step,loss,acc\n0,1.0,0.5\n10,0.5,0.7\n20,0.3,0.8\n");
    writeFile(root + "/a/hparams.yaml", "lr: 9\nbatch: 32\n");
    writeFile(root + "/b/metrics.csv", "step,loss,acc\n0,1.2,0.4\n10,0.6,0.6\n20,0.25,0.9\n");
    writeFile(root + "/b/hparams.yaml", "lr: 10\nbatch: 64\n");
    writeFile(root + "/c/metrics.csv", "step,loss,acc\n0,3.0,0.1\n10,2.5,0.2\n20,2.0,0.3\n");
    writeFile(root + "/c/hparams.yaml", "lr: 0.5\nbatch: 32\n");
}

QStringList columnValues(const QAbstractItemModel& model, int column) {
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.index(row, column).data().toString();
    return values;
}

int columnOf(const QAbstractItemModel& model, const QString& header) {
    for (int c = 0; c < model.columnCount(); ++c) {
        if (model.headerData(c, Qt::Horizontal).toString() == header) return c;
    }
    return -1;
}

// A folded distributed run "dist" (workers 0..2 written as dist/rank_<N>, the way the tfevents reader folds
// them) between two plain runs. Hand-worked last values:
//   alpha loss 0.9, lr 0.1;  zeta loss 0.2, lr 0.01;  dist lr 0.05,
//   dist loss/worker_0 = 0.6, loss/worker_1 = 0.7, loss/worker_2 = 0.5 (mean of the three: 0.6).
void writeDistributed(Workspace& workspace) {
    const auto plain = [&](const std::string& name, std::vector<double> losses, const char* lr) {
        auto tx = workspace.beginSource("/logs/" + name + "/metrics.csv", "csv", false);
        for (std::size_t i = 0; i < losses.size(); ++i)
            tx->appendPoint(name, "loss", static_cast<std::int64_t>(i), 100.0 + i, losses[i]);
        tx->setParam(name, "lr", lr);
        tx->commit({"csv", 1, 1, 1});
    };
    plain("alpha", {1.5, 1.2, 0.9}, "0.1");
    plain("zeta", {0.8, 0.4, 0.2}, "0.01");
    const std::vector<std::vector<double>> losses{{1.0, 0.8, 0.6}, {1.1, 0.9, 0.7}, {1.2, 1.0, 0.5}};
    for (int worker = 0; worker < 3; ++worker) {
        const std::string original = "dist/rank_" + std::to_string(worker);
        auto tx = workspace.beginSource("/logs/" + original + "/events.out.tfevents", "tfevents", false);
        WorkerSink sink(*tx, original, WorkerRun{"dist", worker});
        for (std::size_t i = 0; i < 3; ++i)
            sink.appendPoint(original, "loss", static_cast<std::int64_t>(i), 100.0 + i,
                             losses[static_cast<std::size_t>(worker)][i]);
        sink.setParam(original, "lr", "0.05");
        tx->commit({"tfevents", 1, 1, 1});
    }
}

// The table view's option set-up is protected; the test needs it to find the disclosure mark.
class OptionView : public QTableView {
  public:
    using QTableView::initViewItemOption;
};

} // namespace

class TestRunTableModel : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void rowsAndColumns();
    void numericSorting();
    void regexAndExpressionFilter();
    void invalidRegexKeepsRows();
    void visibilityToggling();
    void columnsCanBeRemovedAndAdded();
    void parsesConditions();
    void distributedRunCollapsed();
    void expandShowsWorkerRows();
    void workerVisibility();
    void sortKeepsWorkersUnderTheirRun();
    void filterHidesWorkersWithTheirRun();
    void workerStateSurvivesReload();
    void viewAffordancesExpandAndCollapse();
    void colorsAreAPropertyOfTheRun();
    void narrowNamesKeepWhatTellsThemApart();

  private:
    std::int64_t distId() const;
    QTemporaryDir m_distDir;
    std::unique_ptr<Workspace> m_distWorkspace;
    RunTableModel m_dist;

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    RunTableModel m_model;
};

void TestRunTableModel::initTestCase() {
    QVERIFY(m_dir.isValid());
    writeLogs(m_dir.filePath("logs"));
    m_workspace = Workspace::create(m_dir.filePath("ws.runlens").toStdString());
    const std::filesystem::path root = m_dir.filePath("logs").toStdString();
    const ImportSummary summary = importPaths(std::span<const std::filesystem::path>(&root, 1),
                                              ReaderRegistry::withBuiltins(), *m_workspace);
    QVERIFY2(!summary.report.hasErrors(),
             summary.report.issues.empty() ? "" : summary.report.issues[0].toString().c_str());
    m_model.setRuns(m_workspace->runs());

    QVERIFY(m_distDir.isValid());
    m_distWorkspace = Workspace::create(m_distDir.filePath("dist.runlens").toStdString());
    writeDistributed(*m_distWorkspace);
    m_dist.setRuns(m_distWorkspace->runs());
}

std::int64_t TestRunTableModel::distId() const {
    for (const RunInfo& run : m_dist.runs()) {
        if (run.name == "dist") return run.id;
    }
    return -1;
}

void TestRunTableModel::rowsAndColumns() {
    QCOMPARE(m_model.rowCount(), 3);
    QCOMPARE(columnValues(m_model, RunTableModel::kNameColumn), QStringList({"a", "b", "c"}));
    // Run + params (batch, lr) + metrics (acc, loss), keys sorted.
    QCOMPARE(m_model.columnCount(), 5);
    QCOMPARE(m_model.headerData(0, Qt::Horizontal).toString(), QString("Run"));
    QCOMPARE(m_model.paramKeys(), QStringList({"batch", "lr"}));
    QCOMPARE(m_model.metricTags(), QStringList({"acc", "loss"}));
    const int lr = columnOf(m_model, "lr");
    const int loss = columnOf(m_model, "loss");
    QVERIFY(lr > 0 && loss > 0);
    QCOMPARE(columnValues(m_model, lr), QStringList({"9", "10", "0.5"}));
    QCOMPARE(m_model.index(1, loss).data(RunTableModel::SortRole).toDouble(), 0.25); // b's last loss
    QCOMPARE(m_model.index(2, loss).data().toString(), QString("2"));
    QCOMPARE(m_model.index(0, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QVERIFY(m_model.index(0, 0).data(Qt::DecorationRole).value<QColor>().isValid());
    QVERIFY(m_model.index(0, 0).data(Qt::DecorationRole).value<QColor>() !=
            m_model.index(1, 0).data(Qt::DecorationRole).value<QColor>());
}

void TestRunTableModel::numericSorting() {
    RunFilterProxy proxy(&m_model);
    const int lr = columnOf(m_model, "lr");
    proxy.sort(lr, Qt::AscendingOrder);
    QCOMPARE(columnValues(proxy, 0), QStringList({"c", "a", "b"})); // 0.5 < 9 < 10, not text order c, b, a
    proxy.sort(lr, Qt::DescendingOrder);
    QCOMPARE(columnValues(proxy, 0), QStringList({"b", "a", "c"}));
    proxy.sort(columnOf(m_model, "loss"), Qt::AscendingOrder);
    QCOMPARE(columnValues(proxy, 0), QStringList({"b", "a", "c"})); // 0.25 < 0.3 < 2
}

void TestRunTableModel::regexAndExpressionFilter() {
    RunFilterProxy proxy(&m_model);
    QVERIFY(proxy.setFilterText("^[ab]"));
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(proxy.setFilterText("lr=1\\d")); // a regex over "name key=value ..."
    QCOMPARE(columnValues(proxy, 0), QStringList({"b"}));
    QVERIFY(proxy.setFilterText("batch=32"));
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(proxy.setFilterText("lr < 5"));
    QCOMPARE(columnValues(proxy, 0), QStringList({"c"}));
    QVERIFY(proxy.setFilterText("lr >= 9 and loss < 0.28"));
    QCOMPARE(columnValues(proxy, 0), QStringList({"b"}));
    QVERIFY(proxy.setFilterText("ACC > 0.75")); // keys match case-insensitively
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(proxy.setFilterText(""));
    QCOMPARE(proxy.rowCount(), 3);
}

void TestRunTableModel::invalidRegexKeepsRows() {
    RunFilterProxy proxy(&m_model);
    QVERIFY(!proxy.setFilterText("(["));
    QVERIFY(!proxy.filterError().isEmpty());
    QCOMPARE(proxy.rowCount(), 3);
}

void TestRunTableModel::visibilityToggling() {
    QSignalSpy spy(&m_model, &RunTableModel::visibilityChanged);
    const QModelIndex b = m_model.index(1, 0);
    const qint64 bId = b.data(RunTableModel::RunIdRole).toLongLong();
    QVERIFY(m_model.flags(b) & Qt::ItemIsUserCheckable);
    QVERIFY(m_model.setData(b, Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(spy.count(), 1);
    QVERIFY(!m_model.isVisible(bId));
    QCOMPARE(m_model.visibleRuns().size(), std::size_t(2));
    QCOMPARE(m_model.index(1, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));

    // A reload keeps the hidden run hidden and its colour unchanged.
    const QColor color = m_model.colorOf(bId);
    m_model.setRuns(m_workspace->runs());
    QVERIFY(!m_model.isVisible(bId));
    QCOMPARE(m_model.colorOf(bId), color);

    m_model.setAllVisible(true);
    QCOMPARE(m_model.visibleRuns().size(), std::size_t(3));
    m_model.setAllVisible(false);
    QVERIFY(m_model.visibleRuns().empty());
    m_model.setAllVisible(true);
}

void TestRunTableModel::columnsCanBeRemovedAndAdded() {
    const RunColumn lr{RunColumn::Kind::Param, "lr"};
    QVERIFY(m_model.hasColumn(lr));
    m_model.setColumnShown(lr, false);
    QCOMPARE(m_model.columnCount(), 4);
    QCOMPARE(columnOf(m_model, "lr"), -1);
    m_model.setColumnShown(lr, true);
    QCOMPARE(m_model.columnCount(), 5);
    QCOMPARE(columnOf(m_model, "lr"), 4); // added at the end
}

void TestRunTableModel::parsesConditions() {
    std::vector<RunCondition> conditions;
    QVERIFY(parseRunConditions("lr<0.01 and val/loss >= 3e-1", conditions));
    QCOMPARE(conditions.size(), std::size_t(2));
    QCOMPARE(conditions[0].key, QString("lr"));
    QCOMPARE(conditions[0].op, QString("<"));
    QCOMPARE(conditions[0].value, 0.01);
    QCOMPARE(conditions[1].key, QString("val_loss"));
    QCOMPARE(conditions[1].op, QString(">="));
    QCOMPARE(conditions[1].value, 0.3);
    QVERIFY(!parseRunConditions("lr", conditions));
    QVERIFY(!parseRunConditions("lr < abc", conditions));
}

void TestRunTableModel::distributedRunCollapsed() {
    // Three runs, not five: the rank folders are one run.
    QCOMPARE(m_dist.runs().size(), std::size_t(3));
    QCOMPARE(m_dist.rowCount(), 3);
    const std::int64_t id = distId();
    QVERIFY(id >= 0);
    QVERIFY(m_dist.hasWorkers(id));
    QCOMPARE(m_dist.workersOf(id), std::vector<int>({0, 1, 2}));
    QVERIFY(!m_dist.isExpanded(id));
    QVERIFY(!m_dist.hasWorkers(m_dist.runs()[0].id)); // alpha
    const int row = m_dist.rowOfRun(id);
    QCOMPARE(row, 1); // runs come sorted by name: alpha, dist, zeta
    QCOMPARE(m_dist.index(row, 0).data().toString(), QString("\u25B8 dist  \u00B7 3 workers"));
    QCOMPARE(m_dist.index(0, 0).data().toString(), QString("alpha"));
    QCOMPARE(m_dist.workerAt(row), -1);
    QCOMPARE(m_dist.index(row, 0).data(RunTableModel::WorkerRole).toInt(), -1);
    // The worker tags fold into one "loss" column; the collapsed run shows the mean of the workers' lasts.
    QCOMPARE(m_dist.metricColumnTags(), QStringList({"loss"}));
    const int loss = columnOf(m_dist, "loss");
    QVERIFY(loss > 0);
    QCOMPARE(columnOf(m_dist, "worker_0"), -1); // worker params are not default columns
    QCOMPARE(m_dist.index(row, loss).data(RunTableModel::SortRole).toDouble(), 0.6);
    QCOMPARE(m_dist.index(0, loss).data(RunTableModel::SortRole).toDouble(), 0.9);
}

void TestRunTableModel::expandShowsWorkerRows() {
    const std::int64_t id = distId();
    QSignalSpy visibility(&m_dist, &RunTableModel::visibilityChanged);
    QSignalSpy inserted(&m_dist, &QAbstractItemModel::rowsInserted);
    m_dist.setExpanded(id, true);
    QCOMPARE(visibility.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QVERIFY(m_dist.isExpanded(id));
    QCOMPARE(m_dist.rowCount(), 6);
    QCOMPARE(columnValues(m_dist, 0),
             QStringList({"alpha", "\u25BE dist", "worker 0", "worker 1", "worker 2", "zeta"}));
    const int loss = columnOf(m_dist, "loss");
    const int lr = columnOf(m_dist, "lr");
    QVERIFY(lr > 0);
    const double expected[] = {0.6, 0.7, 0.5}; // hand-written in writeDistributed
    std::set<QRgb> colors{m_dist.colorOf(id).rgb()};
    for (int w = 0; w < 3; ++w) {
        const int row = 2 + w;
        QCOMPARE(m_dist.workerAt(row), w);
        QCOMPARE(m_dist.runAt(row)->id, id);
        QCOMPARE(m_dist.index(row, 0).data(RunTableModel::WorkerRole).toInt(), w);
        QCOMPARE(m_dist.index(row, 0).data(RunTableModel::RunIdRole).toLongLong(), qint64(id));
        QCOMPARE(m_dist.index(row, loss).data(RunTableModel::SortRole).toDouble(), expected[w]);
        QCOMPARE(m_dist.index(row, loss).data().toString(), QString::number(expected[w]));
        QVERIFY(!m_dist.index(row, lr).data().isValid()); // params stay with the run row
        QCOMPARE(m_dist.index(row, 0).data(Qt::ToolTipRole).toString(),
                 QString("dist/rank_%1").arg(w)); // the folder the worker came from
        const QColor color = m_dist.workerColor(id, w);
        QVERIFY(color.isValid());
        QCOMPARE(m_dist.index(row, 0).data(Qt::DecorationRole).value<QColor>(), color);
        colors.insert(color.rgb());
    }
    QCOMPARE(colors.size(), std::size_t(4)); // three worker shades, all different from the run's colour
    QVERIFY(!m_dist.workerColor(id, 7).isValid());
    QCOMPARE(m_dist.runs().size(), std::size_t(3));        // runs() stays run-level
    QCOMPARE(m_dist.visibleRuns().size(), std::size_t(3)); // and so does visibleRuns()

    QSignalSpy removed(&m_dist, &QAbstractItemModel::rowsRemoved);
    m_dist.setExpanded(id, false);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(m_dist.rowCount(), 3);
    QCOMPARE(m_dist.workerAt(2), -1);
    m_dist.setExpanded(m_dist.runs()[0].id, true); // a run without workers does not expand
    QCOMPARE(m_dist.rowCount(), 3);
    QVERIFY(!m_dist.isExpanded(m_dist.runs()[0].id));
}

void TestRunTableModel::workerVisibility() {
    const std::int64_t id = distId();
    m_dist.setExpanded(id, true);
    QSignalSpy spy(&m_dist, &RunTableModel::visibilityChanged);
    m_dist.setWorkerVisible(id, 1, false);
    QCOMPARE(spy.count(), 1);
    QVERIFY(m_dist.isWorkerVisible(id, 0));
    QVERIFY(!m_dist.isWorkerVisible(id, 1));
    QVERIFY(m_dist.isWorkerVisible(id, 2));
    QVERIFY(!m_dist.isWorkerVisible(id, 9)); // no such worker
    QCOMPARE(m_dist.index(3, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QCOMPARE(m_dist.index(2, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QVERIFY(m_dist.isVisible(id)); // the run itself stays checked
    QCOMPARE(m_dist.visibleRuns().size(), std::size_t(3));

    // The worker row's check box goes through setData like a run's.
    QVERIFY(m_dist.flags(m_dist.index(4, 0)) & Qt::ItemIsUserCheckable);
    QVERIFY(m_dist.setData(m_dist.index(4, 0), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!m_dist.isWorkerVisible(id, 2));
    QVERIFY(m_dist.isVisible(id));
    QCOMPARE(spy.count(), 2);
    m_dist.setWorkerVisible(id, 2, false); // unchanged: no signal
    QCOMPARE(spy.count(), 2);
    m_dist.setWorkerVisible(id, 2, true);
    QVERIFY(m_dist.isWorkerVisible(id, 2));
}

void TestRunTableModel::sortKeepsWorkersUnderTheirRun() {
    m_dist.setExpanded(distId(), true);
    RunFilterProxy proxy(&m_dist);
    const QStringList workers{"worker 0", "worker 1", "worker 2"};
    proxy.sort(0, Qt::AscendingOrder);
    QCOMPARE(columnValues(proxy, 0), QStringList({"alpha", "\u25BE dist"}) + workers + QStringList({"zeta"}));
    proxy.sort(0, Qt::DescendingOrder);
    QCOMPARE(columnValues(proxy, 0), QStringList({"zeta", "\u25BE dist"}) + workers + QStringList({"alpha"}));
    // By lr (zeta 0.01 < dist 0.05 < alpha 0.1): worker rows have no lr but still follow their run.
    const int lr = columnOf(m_dist, "lr");
    proxy.sort(lr, Qt::AscendingOrder);
    QCOMPARE(columnValues(proxy, 0), QStringList({"zeta", "\u25BE dist"}) + workers + QStringList({"alpha"}));
    proxy.sort(lr, Qt::DescendingOrder);
    QCOMPARE(columnValues(proxy, 0), QStringList({"alpha", "\u25BE dist"}) + workers + QStringList({"zeta"}));
    // By loss the workers' own values (0.6, 0.7, 0.5) would scatter them; they keep worker order instead.
    const int loss = columnOf(m_dist, "loss");
    proxy.sort(loss, Qt::DescendingOrder); // alpha 0.9 > dist 0.6 > zeta 0.2
    QCOMPARE(columnValues(proxy, 0), QStringList({"alpha", "\u25BE dist"}) + workers + QStringList({"zeta"}));
    // Rows inserted while sorted land under their run too.
    m_dist.setExpanded(distId(), false);
    QCOMPARE(proxy.rowCount(), 3);
    m_dist.setExpanded(distId(), true);
    QCOMPARE(columnValues(proxy, 0), QStringList({"alpha", "\u25BE dist"}) + workers + QStringList({"zeta"}));
}

void TestRunTableModel::filterHidesWorkersWithTheirRun() {
    m_dist.setExpanded(distId(), true);
    RunFilterProxy proxy(&m_dist);
    proxy.sort(0, Qt::AscendingOrder);
    QVERIFY(proxy.setFilterText("^zeta"));
    QCOMPARE(columnValues(proxy, 0), QStringList({"zeta"}));
    QVERIFY(proxy.setFilterText("dist"));
    QCOMPARE(proxy.rowCount(), 4); // the run and its three workers
    QVERIFY(proxy.setFilterText("lr > 0.02"));
    QCOMPARE(proxy.rowCount(), 5);               // alpha, dist and its workers
    QVERIFY(proxy.setFilterText("loss < 0.65")); // zeta 0.2 and dist (mean 0.6), not alpha 0.9
    QCOMPARE(columnValues(proxy, 0),
             QStringList({"\u25BE dist", "worker 0", "worker 1", "worker 2", "zeta"}));
    QVERIFY(proxy.setFilterText("^worker")); // workers are not matched on their own
    QCOMPARE(proxy.rowCount(), 0);
}

void TestRunTableModel::workerStateSurvivesReload() {
    const std::int64_t id = distId();
    m_dist.setExpanded(id, true);
    m_dist.setWorkerVisible(id, 1, false);
    const QColor runColor = m_dist.colorOf(id);
    const QColor workerColor = m_dist.workerColor(id, 2);
    m_dist.setRuns(m_distWorkspace->runs());
    QVERIFY(m_dist.isExpanded(id));
    QCOMPARE(m_dist.rowCount(), 6);
    QVERIFY(!m_dist.isWorkerVisible(id, 1));
    QCOMPARE(m_dist.index(3, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QCOMPARE(m_dist.colorOf(id), runColor);
    QCOMPARE(m_dist.workerColor(id, 2), workerColor);
    m_dist.setExpanded(id, false);
    m_dist.setRuns(m_distWorkspace->runs());
    QVERIFY(!m_dist.isExpanded(id));
    QCOMPARE(m_dist.rowCount(), 3);
    m_dist.setWorkerVisible(id, 1, true);
}

void TestRunTableModel::viewAffordancesExpandAndCollapse() {
    const std::int64_t id = distId();
    m_dist.setExpanded(id, false);
    RunFilterProxy proxy(&m_dist);
    OptionView view;
    view.setModel(&proxy);
    enableWorkerExpansion(&view, &m_dist);
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto distIndex = [&] { return proxy.index(1, 0); }; // source order: alpha, dist, zeta

    // Right expands, Right again does nothing, Left collapses.
    view.setCurrentIndex(distIndex());
    QTest::keyClick(&view, Qt::Key_Right);
    QVERIFY(m_dist.isExpanded(id));
    QCOMPARE(proxy.rowCount(), 6);
    // Left on a worker row collapses its run and moves to the run.
    view.setCurrentIndex(proxy.index(3, 0));
    QTest::keyClick(&view, Qt::Key_Left);
    QVERIFY(!m_dist.isExpanded(id));
    QCOMPARE(view.currentIndex().row(), 1);

    // Double-clicking the name toggles.
    emit view.doubleClicked(distIndex());
    QVERIFY(m_dist.isExpanded(id));
    emit view.doubleClicked(distIndex());
    QVERIFY(!m_dist.isExpanded(id));

    // A click on the disclosure mark toggles; a click elsewhere in the name does not.
    auto* delegate = dynamic_cast<RunNameDelegate*>(view.itemDelegateForColumn(0));
    QVERIFY(delegate);
    QStyleOptionViewItem option;
    view.initViewItemOption(&option);
    option.rect = view.visualRect(distIndex());
    const QRect mark = delegate->disclosureRect(option, distIndex());
    QVERIFY(!mark.isEmpty());
    QVERIFY(delegate->disclosureRect(option, proxy.index(0, 0)).isEmpty()); // alpha has no workers
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, mark.center());
    QVERIFY(m_dist.isExpanded(id));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      QPoint(option.rect.right() - 3, mark.center().y()));
    QVERIFY(m_dist.isExpanded(id));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, mark.center());
    QVERIFY(!m_dist.isExpanded(id));
}

namespace {

std::vector<RunInfo> namedRuns(const std::vector<std::pair<std::int64_t, std::string>>& idsAndNames) {
    std::vector<RunInfo> runs;
    for (const auto& [id, name] : idsAndNames) {
        RunInfo run;
        run.id = id;
        run.name = name;
        runs.push_back(run);
    }
    return runs;
}

} // namespace

void TestRunTableModel::colorsAreAPropertyOfTheRun() {
    // Two runs whose names prefer different palette slots, and a later import whose name sorts first and
    // prefers the first run's slot: with colours handed out in load order it would take that colour in a new
    // session and shift the others.
    const std::string first = "lr0.01-seed0";
    const int firstSlot = runColorSlot(QString::fromStdString(first));
    std::string second, intruder;
    for (int i = 0; i < 10000 && (second.empty() || intruder.empty()); ++i) {
        const std::string name = "run" + std::to_string(i);
        const std::string early = "a-" + name; // sorts before every other name
        if (second.empty() && runColorSlot(QString::fromStdString(name)) != firstSlot) second = name;
        if (intruder.empty() && runColorSlot(QString::fromStdString(early)) == firstSlot) intruder = early;
    }
    QVERIFY(!second.empty() && !intruder.empty());

    RunTableModel before;
    before.setRuns(namedRuns({{1, first}, {2, second}}));
    QCOMPARE(before.colorOf(1), runColor(firstSlot));
    QCOMPARE(before.colorOf(2), runColor(runColorSlot(QString::fromStdString(second))));

    // Same session: the new run is listed first and collides, yet the old runs keep their colours.
    before.setRuns(namedRuns({{3, intruder}, {1, first}, {2, second}}));
    QCOMPARE(before.colorOf(1), runColor(firstSlot));
    QCOMPARE(before.colorOf(2), runColor(runColorSlot(QString::fromStdString(second))));
    QVERIFY(before.colorOf(3) != before.colorOf(1)); // a free colour, not a duplicate
    QVERIFY(before.colorOf(3) != before.colorOf(2));

    // A new session (fresh model) on the grown workspace gives every run the colour it had.
    RunTableModel after;
    after.setRuns(namedRuns({{3, intruder}, {1, first}, {2, second}}));
    for (const std::int64_t id : {1, 2, 3})
        QCOMPARE(after.colorOf(id), before.colorOf(id));

    // Another workspace holding only the second run: same colour, whatever else was loaded.
    RunTableModel alone;
    alone.setRuns(namedRuns({{7, second}}));
    QCOMPARE(alone.colorOf(7), before.colorOf(2));

    // Filtering the table does not recolour anything.
    RunFilterProxy proxy(&after);
    QVERIFY(proxy.setFilterText(QStringLiteral("seed0")));
    QCOMPARE(proxy.rowCount(), 1);
    for (const std::int64_t id : {1, 2, 3})
        QCOMPARE(after.colorOf(id), before.colorOf(id));
}

namespace {

// The delegate's initStyleOption is protected; the test reads what a cell would draw.
struct NameProbe : RunNameDelegate {
    using RunNameDelegate::initStyleOption;
    using RunNameDelegate::RunNameDelegate;
};

} // namespace

void TestRunTableModel::narrowNamesKeepWhatTellsThemApart() {
    // Two runs of one folder that differ in the middle of their names: eliding in the middle showed both as
    // "size_sweep/…n002000_seed0". Too narrow, each shows its unique tail; wide enough, its whole name.
    RunTableModel model;
    model.setRuns(namedRuns({{1, "size_sweep/gbm_n002000_seed0"}, {2, "size_sweep/mlp_n002000_seed0"}}));
    QCOMPARE(model.distinctName(1), QStringLiteral("gbm_n002000_seed0"));
    QTableView view;
    view.setModel(&model);
    NameProbe probe(&model);
    const QModelIndex gbm = model.index(model.rowOfRun(1), RunTableModel::kNameColumn);
    QStyleOptionViewItem option;
    option.initFrom(&view);
    option.widget = &view;
    option.rect = QRect(0, 0, 1000, 24);
    probe.initStyleOption(&option, gbm);
    QCOMPARE(option.text, QStringLiteral("size_sweep/gbm_n002000_seed0"));
    QStyleOptionViewItem narrow;
    narrow.initFrom(&view);
    narrow.widget = &view;
    narrow.rect = QRect(0, 0, 140, 24);
    probe.initStyleOption(&narrow, gbm);
    QCOMPARE(narrow.text, QStringLiteral("\u2026/gbm_n002000_seed0"));
}

QTEST_MAIN(TestRunTableModel)
#include "test_run_table_model.moc"
