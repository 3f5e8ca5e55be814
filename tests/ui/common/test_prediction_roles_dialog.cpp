// Tests the "Prediction log columns" dialog and attaching a prediction log by dropping it on a run row.
#include "core/store/workspace.h"
#include "ui/calibration/calibration_view.h"
#include "ui/common/prediction_roles_dialog.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/import_report_panel.h"
#include "ui/shell/import_worker.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoffs/tradeoff_view.h"

#include <cmath>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// 40 rows: label 1 when (7i mod 5) < 2, score (37i mod 100) / 100, group alternating. Reference metrics:
// python3 -c "from sklearn.metrics import brier_score_loss as b, roc_auc_score as r;
//   y=[1 if (i*7)%5<2 else 0 for i in range(40)]; s=[((i*37)%100)/100 for i in range(40)];
//   print(b(y,s), r(y,s))"  ->  0.35114999999999996 0.4609375
constexpr int kRows = 40;
constexpr double kBrier = 0.35114999999999996;
constexpr double kRocAuc = 0.4609375;

int labelOf(int i) {
    return (i * 7) % 5 < 2 ? 1 : 0;
}
double scoreOf(int i) {
    return ((i * 37) % 100) / 100.0;
}

QByteArray binaryLog() {
    QByteArray text = "id,y_true,prob,group,y_pred\n";
    for (int i = 0; i < kRows; ++i)
        text += QByteArray::number(i) + ',' + QByteArray::number(labelOf(i)) + ',' +
                QByteArray::number(scoreOf(i)) + ',' + (i % 2 ? "a" : "b") + ',' +
                QByteArray::number(scoreOf(i) >= 0.5 ? 1 : 0) + '\n';
    return text;
}

int columnOf(const PredictionRolesDialog& dialog, const QString& name) {
    return int(dialog.preview().columns.indexOf(name));
}

PreviewRole comboRole(const PredictionRolesDialog& dialog, const QString& column) {
    QComboBox* combo = dialog.roleCombo(columnOf(dialog, column));
    return combo ? static_cast<PreviewRole>(combo->currentData().toInt()) : PreviewRole::Ignore;
}

void chooseRole(const PredictionRolesDialog& dialog, const QString& column, PreviewRole role) {
    QComboBox* combo = dialog.roleCombo(columnOf(dialog, column));
    QVERIFY(combo);
    const int index = combo->findData(int(role));
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// A drag that enters the window at pos and drops there, as the platform sends it; true when accepted.
bool dropAt(QWidget& window, const QPoint& pos, const QString& file,
            Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    if (!enter.isAccepted()) return false;
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, modifiers);
    QApplication::sendEvent(&window, &drop);
    return drop.isAccepted();
}

void resetAppState() {
    QSettings().clear();
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (data.contains(QLatin1String(".qttest"))) QDir(data).removeRecursively();
}

} // namespace

class TestPredictionRolesDialog : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void rolesPrefilledFromNames();
    void multiclassJsonlPrefilled();
    void changingComboChangesRoles();
    void okDisabledWithoutLabel();
    void inconsistentScoresDisableOk();
    void previewIsBounded();
    void badFilesShowReason();
    void workerAppliesDialogRoles();
    void dropOnRunRowAttachesPredictions();
    void dropOnEmptySpaceImportsAsBefore();

  private:
    QTemporaryDir m_dir;
};

void TestPredictionRolesDialog::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("RunlensTest");
    QCoreApplication::setApplicationName("runlens-test-prediction-roles");
    QVERIFY(m_dir.isValid());
    resetAppState();
    writeFile(m_dir.filePath("holdout.csv"), binaryLog());
}

void TestPredictionRolesDialog::cleanupTestCase() {
    resetAppState();
}

void TestPredictionRolesDialog::rolesPrefilledFromNames() {
    PredictionRolesDialog dialog(m_dir.filePath("holdout.csv"), {"alpha", "beta"});
    QVERIFY(dialog.preview().ok());
    QCOMPARE(dialog.preview().columns, QStringList({"id", "y_true", "prob", "group", "y_pred"}));
    // DESIGN.md's name table: id -> id, y_true -> label, prob -> score, y_pred -> prediction, others
    // features.
    QCOMPARE(int(comboRole(dialog, "id")), int(PreviewRole::Id));
    QCOMPARE(int(comboRole(dialog, "y_true")), int(PreviewRole::Label));
    QCOMPARE(int(comboRole(dialog, "prob")), int(PreviewRole::Score));
    QCOMPARE(int(comboRole(dialog, "group")), int(PreviewRole::Feature));
    QCOMPARE(int(comboRole(dialog, "y_pred")), int(PreviewRole::Prediction));
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(dialog.positiveEdit()->isEnabled()); // binary

    const PredictionRoles roles = dialog.roles();
    QCOMPARE(roles.label, std::string("y_true"));
    QCOMPARE(roles.score, std::string("prob"));
    QCOMPARE(roles.prediction, std::string("y_pred"));
    QCOMPARE(roles.id, std::string("id"));
    QVERIFY(contains(roles.features, "group"));
    QVERIFY(roles.classScores.empty());
    // Defaults: set name from the file name, target a new run named after the file.
    QCOMPARE(dialog.setName(), QString("holdout"));
    QCOMPARE(dialog.runName(), QString("holdout"));
    // The preview shows the file's first rows: row 3 of the file is i = 2 -> label 0, score 0.74.
    QTableWidget* table = dialog.previewTable();
    QCOMPARE(table->rowCount(), 1 + 20); // the role row and at most 20 data rows
    QCOMPARE(table->item(3, columnOf(dialog, "prob"))->text(), QString("0.74"));
    QCOMPARE(table->item(3, columnOf(dialog, "y_true"))->text(), QString("0"));

    PredictionRolesDialog preselected(m_dir.filePath("holdout.csv"), {"alpha", "beta"}, "beta");
    QCOMPARE(preselected.runName(), QString("beta"));
}

void TestPredictionRolesDialog::multiclassJsonlPrefilled() {
    const QString path = m_dir.filePath("predictions_test.jsonl");
    writeFile(path, "{\"label\": \"cat\", \"probs\": [0.7, 0.2, 0.1], \"note\": \"x\"}\n"
                    "{\"label\": \"dog\", \"probs\": [0.1, 0.8, 0.1], \"note\": \"y\"}\n");
    PredictionRolesDialog dialog(path, {});
    QCOMPARE(dialog.preview().columns, QStringList({"label", "probs[0]", "probs[1]", "probs[2]", "note"}));
    QCOMPARE(int(comboRole(dialog, "label")), int(PreviewRole::Label));
    QCOMPARE(int(comboRole(dialog, "probs[1]")), int(PreviewRole::ClassProbability));
    QCOMPARE(int(comboRole(dialog, "note")), int(PreviewRole::Feature));
    QCOMPARE(dialog.setName(), QString("test")); // predictions_test.jsonl -> "test"
    // Three classes: not binary, so there is no positive class to choose.
    QVERIFY(!dialog.positiveEdit()->isEnabled());
    // The labels here are text, not class indexes, so the run would fail validation; OK only checks roles.
    QVERIFY(dialog.okButton()->isEnabled());
    const PredictionRoles roles = dialog.roles();
    QCOMPARE(roles.classScores.size(), std::size_t(3));
    QCOMPARE(roles.classScores[2].first, std::string("probs[2]"));
    QCOMPARE(roles.classScores[2].second, std::string("2"));
    QCOMPARE(classNameForColumn("prob_cat"), QString("cat"));
    QCOMPARE(classNameForColumn("Score_Dog"), QString("Dog"));
}

void TestPredictionRolesDialog::changingComboChangesRoles() {
    PredictionRolesDialog dialog(m_dir.filePath("holdout.csv"), {"alpha"});
    chooseRole(dialog, "group", PreviewRole::Ignore);
    chooseRole(dialog, "id", PreviewRole::Feature);
    chooseRole(dialog, "y_pred", PreviewRole::Ignore);
    dialog.positiveEdit()->setText(" 1 ");
    dialog.setNameEdit()->setText("calib");
    dialog.runCombo()->setCurrentIndex(0);
    PredictionRoles roles = dialog.roles();
    QVERIFY(contains(roles.ignore, "group"));
    QVERIFY(contains(roles.ignore, "y_pred"));
    QVERIFY(contains(roles.features, "id"));
    QVERIFY(roles.id.empty());
    QVERIFY(roles.prediction.empty());
    QCOMPARE(roles.positiveClass, std::string("1"));
    QCOMPARE(dialog.setName(), QString("calib"));
    QCOMPARE(dialog.runName(), QString("alpha"));

    // Swapping label and score between columns is what the returned roles say.
    chooseRole(dialog, "y_true", PreviewRole::Feature);
    chooseRole(dialog, "y_pred", PreviewRole::Label);
    roles = dialog.roles();
    QCOMPARE(roles.label, std::string("y_pred"));
    QVERIFY(contains(roles.features, "y_true"));
    QVERIFY(dialog.okButton()->isEnabled());
}

void TestPredictionRolesDialog::okDisabledWithoutLabel() {
    PredictionRolesDialog dialog(m_dir.filePath("holdout.csv"), {});
    QVERIFY(dialog.okButton()->isEnabled());
    chooseRole(dialog, "y_true", PreviewRole::Feature);
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(!dialog.canAccept());
    QVERIFY2(dialog.problem().contains("label"), qPrintable(dialog.problem()));
    chooseRole(dialog, "y_true", PreviewRole::Label);
    QVERIFY(dialog.okButton()->isEnabled());
    // An empty evaluation-set name is refused too.
    dialog.setNameEdit()->clear();
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(dialog.problem().contains("evaluation set"));
}

void TestPredictionRolesDialog::inconsistentScoresDisableOk() {
    PredictionRolesDialog dialog(m_dir.filePath("holdout.csv"), {});
    chooseRole(dialog, "prob", PreviewRole::Feature);
    QVERIFY(!dialog.okButton()->isEnabled()); // neither a score nor class columns
    QVERIFY(dialog.problem().contains("score"));
    chooseRole(dialog, "prob", PreviewRole::ClassProbability);
    QVERIFY(!dialog.okButton()->isEnabled()); // a single class column is not a distribution
    chooseRole(dialog, "id", PreviewRole::Score);
    QVERIFY(!dialog.okButton()->isEnabled()); // score and class columns at once
    chooseRole(dialog, "prob", PreviewRole::Label);
    QVERIFY(!dialog.okButton()->isEnabled()); // two labels
    QVERIFY(dialog.problem().contains("label"));
}

void TestPredictionRolesDialog::previewIsBounded() {
    // 200k rows (several MB): the preview reads the first 64 KiB and keeps 20 rows.
    const QString path = m_dir.filePath("big_predictions.csv");
    QByteArray text = "label,score\n";
    for (int i = 0; i < 200000; ++i)
        text += (i % 2 ? "1,0.9\n" : "0,0.1\n");
    writeFile(path, text);
    const PredictionPreview preview = readPredictionPreview(path);
    QVERIFY(preview.ok());
    QCOMPARE(preview.rows.size(), 20);
    QCOMPARE(preview.rows[1], QStringList({"1", "0.9"}));
}

void TestPredictionRolesDialog::badFilesShowReason() {
    struct Case {
        const char* name;
        QByteArray bytes;
        const char* reason; // a word the shown reason must contain
    };
    const QByteArray huge(200 * 1024, 'x'); // one line, no newline, larger than the 64 KiB read
    const Case cases[] = {
        {"empty.csv", QByteArray(), "empty"},
        {"binary.csv", QByteArray("label,score\n\0\x01\x02", 15), "NUL"},
        {"huge.csv", huge, "longer than 64 KiB"},
        {"garbage.jsonl", "not json\n{broken\n", "JSON"},
        {"onecol.csv", "label\n1\n0\n", "score"},
    };
    for (const Case& c : cases) {
        const QString path = m_dir.filePath(c.name);
        writeFile(path, c.bytes);
        PredictionRolesDialog dialog(path, {});
        QVERIFY2(!dialog.okButton()->isEnabled(), c.name);
        QVERIFY2(dialog.problem().contains(c.reason), qPrintable(QString(c.name) + ": " + dialog.problem()));
    }
    PredictionRolesDialog missing(m_dir.filePath("no_such_file.csv"), {});
    QVERIFY(!missing.okButton()->isEnabled());
    QVERIFY(missing.problem().contains("no such file"));

    // Bytes that are not UTF-8 are shown with replacement characters, and the roles still work.
    const QString latin = m_dir.filePath("latin1.csv");
    writeFile(latin, "label,score,city\n1,0.8,M\xfcnchen\n0,0.3,K\xf6ln\n");
    PredictionRolesDialog dialog(latin, {});
    QVERIFY(dialog.preview().ok());
    QVERIFY(dialog.preview().note.contains("UTF-8"));
    QVERIFY(dialog.preview().rows[0][2].contains(QChar(0xFFFD)));
    QVERIFY(dialog.okButton()->isEnabled());
}

// Runs one background import and waits for it.
ImportOutcome runWorker(const QString& file, const QString& workspacePath, const ImportRequest& request) {
    ImportWorker worker;
    QSignalSpy finished(&worker, &ImportWorker::finished);
    if (!worker.start({file}, workspacePath, request)) return {};
    finished.wait(60000);
    return worker.outcome();
}

void TestPredictionRolesDialog::workerAppliesDialogRoles() {
    // "prob_x" would be a class probability by its name; the dialog's choice (feature) must win.
    const QString path = m_dir.filePath("odd_names.csv");
    writeFile(path, "truth,p_hat,prob_x\n1,0.9,0.2\n0,0.2,0.4\n1,0.6,0.9\n");
    const QString workspacePath = m_dir.filePath("worker.runlens");
    Workspace::create(workspacePath.toStdString());
    PredictionRolesDialog dialog(path, {});
    QVERIFY(!dialog.okButton()->isEnabled()); // no label or score is recognised by these names
    chooseRole(dialog, "truth", PreviewRole::Label);
    chooseRole(dialog, "p_hat", PreviewRole::Score);
    chooseRole(dialog, "prob_x", PreviewRole::Feature);
    dialog.setNameEdit()->setText("calib");
    QVERIFY(dialog.okButton()->isEnabled());

    ImportRequest request;
    request.predictions = true;
    request.roles = dialog.roles();
    request.setName = dialog.setName();
    request.runName = "gamma";
    ImportOutcome outcome = runWorker(path, workspacePath, request);
    QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
    QVERIFY(!outcome.summary.report.hasErrors());
    auto workspace = Workspace::open(workspacePath.toStdString());
    auto gamma = workspace->runId("gamma");
    QVERIFY(gamma);
    auto tables = workspace->predictionTables(*gamma);
    QCOMPARE(tables.size(), std::size_t(1));
    QCOMPARE(tables[0].name, std::string("calib"));
    PredictionTable stored = workspace->readPredictions(tables[0].id);
    QCOMPARE(stored.find(ColumnRole::Label)->name, std::string("truth"));
    QCOMPARE(stored.find(ColumnRole::Score)->name, std::string("p_hat"));
    QVERIFY(stored.column("prob_x") && stored.column("prob_x")->role == ColumnRole::Feature);
    QCOMPARE(stored.find(ColumnRole::Score)->numbers, std::vector<double>({0.9, 0.2, 0.6}));

    // Attaching the unchanged file again with other roles takes effect (it is read again, not skipped).
    chooseRole(dialog, "prob_x", PreviewRole::Ignore);
    request.roles = dialog.roles();
    outcome = runWorker(path, workspacePath, request);
    QVERIFY(!outcome.summary.report.hasErrors());
    QCOMPARE(outcome.summary.filesUnchanged, std::int64_t(0));
    tables = workspace->predictionTables(*gamma);
    QCOMPARE(tables.size(), std::size_t(1));
    stored = workspace->readPredictions(tables[0].id);
    QVERIFY(!stored.column("prob_x"));
    QCOMPARE(stored.rows(), std::size_t(3));
}

void TestPredictionRolesDialog::dropOnRunRowAttachesPredictions() {
    writeFile(m_dir.filePath("logs/alpha/metrics.csv"), "step,loss\n0,1\n1,0.5\n");
    writeFile(m_dir.filePath("logs/beta/metrics.csv"), "step,loss\n0,2\n1,1.5\n");
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("attach.runlens")));
    auto* calibration = new CalibrationView(window.viewContext());
    window.addViewTab(calibration, "Calibration");
    auto* tradeoffs = new TradeoffView(window.viewContext());
    window.addViewTab(tradeoffs, "Trade-offs");
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.importPaths({m_dir.filePath("logs/alpha"), m_dir.filePath("logs/beta")});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QCOMPARE(window.runModel()->rowCount(), 2);

    // Find beta's row in the (sorted, filtered) run table and drop the log on its centre.
    QTableView* table = window.runTable();
    QModelIndex betaIndex;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex index = table->model()->index(row, RunTableModel::kNameColumn);
        if (index.data().toString() == "beta") betaIndex = index;
    }
    QVERIFY(betaIndex.isValid());
    const QPoint inViewport = table->visualRect(betaIndex).center();
    const QPoint inWindow = table->viewport()->mapTo(&window, inViewport);

    QVERIFY(dropAt(window, inWindow, m_dir.filePath("holdout.csv")));
    QVERIFY(window.hasPendingWork());
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);

    // Still two runs: the log went into beta as evaluation set "holdout", nothing into alpha.
    Workspace* workspace = window.workspace();
    QCOMPARE(window.runModel()->rowCount(), 2);
    const auto betaId = workspace->runId("beta");
    const auto alphaId = workspace->runId("alpha");
    QVERIFY(betaId && alphaId);
    QVERIFY(workspace->predictionTables(*alphaId).empty());
    const auto tables = workspace->predictionTables(*betaId);
    QCOMPARE(tables.size(), std::size_t(1));
    QCOMPARE(tables[0].name, std::string("holdout"));
    QCOMPARE(tables[0].rows, std::int64_t(kRows));
    const PredictionTable stored = workspace->readPredictions(tables[0].id);
    const PredictionColumn* label = stored.find(ColumnRole::Label);
    const PredictionColumn* score = stored.find(ColumnRole::Score);
    QVERIFY(label && score);
    QCOMPARE(label->name, std::string("y_true"));
    QCOMPARE(score->name, std::string("prob"));
    for (int i = 0; i < kRows; ++i) {
        QCOMPARE(label->numbers[std::size_t(i)], double(labelOf(i)));
        QCOMPARE(score->numbers[std::size_t(i)], scoreOf(i));
    }
    const PredictionColumn* group = stored.column("group");
    QVERIFY(group && group->role == ColumnRole::Feature && !group->numeric);
    QCOMPARE(group->dictionary[std::size_t(group->codes[1])], std::string("a"));

    // The evaluation tabs list the new set and compute on it (reference values from sklearn above).
    QTRY_VERIFY_WITH_TIMEOUT(calibration->setCombo()->findText("holdout", Qt::MatchContains) >= 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(tradeoffs->setCombo()->findText("holdout", Qt::MatchContains) >= 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        !calibration->isBusy() && std::isfinite(calibration->metricValue("beta", "Brier")), 20000);
    QVERIFY(std::abs(calibration->metricValue("beta", "Brier") - kBrier) < 1e-9);
    QVERIFY(std::abs(calibration->metricValue("beta", "ROC AUC") - kRocAuc) < 1e-9);

    // Dropping a bad log on a run row reports the column and row, and leaves beta's set alone.
    const QString bad = m_dir.filePath("bad/holdout.csv");
    writeFile(bad, "label,score\n1,0.5\n0,1.7\n");
    QVERIFY(dropAt(window, inWindow, bad));
    QVERIFY(window.hasPendingWork());
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QTableWidget* issues = window.reportPanel()->table();
    bool named = false;
    for (int row = 0; row < issues->rowCount(); ++row)
        for (int col = 0; col < issues->columnCount(); ++col)
            if (issues->item(row, col) && issues->item(row, col)->text().contains("column 'score', row 2"))
                named = true;
    QVERIFY2(named, "the import report names the bad column and row");
    const auto after = workspace->predictionTables(*betaId);
    QCOMPARE(after.size(), std::size_t(1));
    QCOMPARE(after[0].rows, std::int64_t(kRows));
    QCOMPARE(window.runModel()->rowCount(), 2);

    // Shift while dropping opens the dialog, preset to beta; its set name is what gets stored.
    QString dialogRun;
    QTimer::singleShot(300, &window, [&dialogRun] {
        auto* dialog = qobject_cast<PredictionRolesDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        dialogRun = dialog->runName();
        dialog->setNameEdit()->setText("shifted");
        dialog->okButton()->click();
    });
    QVERIFY(dropAt(window, inWindow, m_dir.filePath("holdout.csv"), Qt::ShiftModifier));
    QTRY_VERIFY_WITH_TIMEOUT(dialogRun == "beta", 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    bool shifted = false;
    for (const auto& info : workspace->predictionTables(*betaId))
        shifted = shifted || (info.name == "shifted" && info.rows == kRows);
    QVERIFY(shifted);
}

void TestPredictionRolesDialog::dropOnEmptySpaceImportsAsBefore() {
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("plain.runlens")));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Below the last row of an empty table: a plain import, the file becomes a run named after it.
    QTableView* table = window.runTable();
    const QPoint inWindow = table->viewport()->mapTo(&window, table->viewport()->rect().center());
    QVERIFY(dropAt(window, inWindow, m_dir.filePath("holdout.csv")));
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    const auto runId = window.workspace()->runId("holdout");
    QVERIFY(runId);
    QCOMPARE(window.runModel()->rowCount(), 1);
}

QTEST_MAIN(TestPredictionRolesDialog)
#include "test_prediction_roles_dialog.moc"
