// Tests the run table model and its filter proxy on a workspace imported from small CSV + hparams.yaml logs.
#include "core/io/importer.h"
#include "core/store/workspace.h"
#include "ui/run_filter.h"
#include "ui/run_table_model.h"

#include <memory>
#include <QFile>
#include <QSignalSpy>
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

  private:
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

QTEST_MAIN(TestRunTableModel)
#include "test_run_table_model.moc"
