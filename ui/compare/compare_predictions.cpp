// The Compare tab's Predictions page: core's paired comparison of A and B (and the ensemble what-if) computed
// off the GUI thread, the flipped examples, the slices that changed and both calibration diagrams.
#include "ui/compare/compare_predictions.h"

#include "core/analysis/evaluation_set.h"
#include "core/analysis/slices.h"
#include "ui/calibration/calibration_chart.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/compare/compare_common.h"
#include "ui/compare/compare_ensemble.h"
#include "ui/compare/compare_view.h"
#include "ui/context/view_context.h"

#include <cmath>
#include <cstdio>
#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace runlens::ui {

using compare::makeTable;
using compare::num;
using compare::readOnlyItem;
using compare::writeRows;

namespace {

std::string stdNum(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.15g", v);
    return buffer;
}

// Ids as the paired engine reads them, so the flips list shows the ids that were matched.
std::vector<std::string> idsOf(const PredictionTable& table) {
    return exampleIds(table);
}

// What each model said about a row: its logged class, a binary score, or a multiclass set's top class with
// its probability ("dog (0.62)").
std::vector<std::string> cellsOf(const EvaluationSet& e) {
    std::vector<std::string> out(e.rows());
    for (std::size_t r = 0; r < e.rows(); ++r) {
        if (!e.predictions.empty())
            out[r] = e.classes[static_cast<std::size_t>(e.predictions[r])];
        else if (!e.multiclass)
            out[r] = QString::number(e.scores[r], 'g', 6).toStdString();
        else
            out[r] = topClassText(e, r);
    }
    return out;
}

struct AnalysisInput {
    QString evalSet;
    std::vector<QString> names; // compared runs holding the set; A and B first
    std::vector<std::shared_ptr<const PredictionTable>> tables;
    SliceMetric metric = SliceMetric::Accuracy;
    int resamples = 1000;
    std::uint64_t seed = 20261126;
};

struct Extracted {
    EvaluationSet eval;
    QString error;
};

Extracted extract(const PredictionTable& table, const QString& name) {
    Extracted out;
    auto result = extractEvaluationSet(table);
    if (!result.ok())
        out.error = name + QStringLiteral(": ") + QString::fromStdString(result.errors.front().describe());
    else
        out.eval = std::move(result.set);
    return out;
}

std::shared_ptr<const PairedAnalysis> analyse(const AnalysisInput& in) {
    auto out = std::make_shared<PairedAnalysis>();
    out->evalSet = in.evalSet;
    out->nameA = in.names[0];
    out->nameB = in.names[1];
    out->tableA = in.tables[0];
    out->tableB = in.tables[1];
    std::vector<Extracted> sets;
    for (std::size_t m = 0; m < in.tables.size(); ++m)
        sets.push_back(extract(*in.tables[m], in.names[m]));
    std::vector<const EvaluationSet*> readable;
    for (const auto& s : sets)
        readable.push_back(s.error.isEmpty() ? &s.eval : nullptr);
    computeEnsemble(in.names, in.tables, readable, *out);
    if (!sets[0].error.isEmpty() || !sets[1].error.isEmpty()) {
        out->error = !sets[0].error.isEmpty() ? sets[0].error : sets[1].error;
        return out;
    }
    const EvaluationSet& ea = sets[0].eval;
    const EvaluationSet& eb = sets[1].eval;
    out->classesA = ea.classes;
    out->labelsA = ea.labels;
    out->cellsA = cellsOf(ea);
    out->cellsB = cellsOf(eb);
    out->idsA = idsOf(*in.tables[0]);
    // The one paired engine `runlens diff` uses: same alignment rules, same tests, same seed.
    PairedOptions options;
    options.metric = in.metric;
    options.resamples = in.resamples;
    options.seed = in.seed;
    std::string error;
    auto paired = comparePaired(*in.tables[0], ea, *in.tables[1], eb, options, &error);
    if (!paired) {
        out->error = QString::fromStdString(error);
        return out;
    }
    out->paired = std::move(*paired);
    if (!ea.multiclass && !eb.multiclass && ea.hasScores() && eb.hasScores()) {
        // The same defaults as `runlens calibration`: 10 uniform bins, Wilson intervals.
        out->calibrationA = calibrationReport(ea.labels, ea.scores);
        out->calibrationB = calibrationReport(eb.labels, eb.scores);
    }
    return out;
}

} // namespace

FlipsModel::FlipsModel(QObject* parent) : QAbstractTableModel(parent) {}

void FlipsModel::setAnalysis(std::shared_ptr<const PairedAnalysis> analysis) {
    beginResetModel();
    m_analysis = std::move(analysis);
    m_features.clear();
    if (m_analysis && m_analysis->tableA)
        for (std::size_t c = 0; c < m_analysis->tableA->columns.size(); ++c)
            if (m_analysis->tableA->columns[c].role == ColumnRole::Feature) m_features.push_back(c);
    endResetModel();
}

int FlipsModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_analysis || !m_analysis->error.isEmpty()) return 0;
    return static_cast<int>(m_analysis->paired.flips.size());
}

int FlipsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 4 + static_cast<int>(m_features.size());
}

QVariant FlipsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole) || index.row() >= rowCount())
        return {};
    const PairedAnalysis& p = *m_analysis;
    const std::size_t i = p.paired.flips[static_cast<std::size_t>(index.row())];
    const std::size_t ra = p.paired.alignment.pairs.rowsA[i], rb = p.paired.alignment.pairs.rowsB[i];
    switch (index.column()) {
    case 0:
        return p.idsA.empty() ? QString::number(ra) : QString::fromStdString(p.idsA[ra]);
    case 1:
        return QString::fromStdString(p.classesA[static_cast<std::size_t>(p.labelsA[ra])]);
    case 2:
        return QString::fromStdString(p.cellsA[ra]);
    case 3:
        return QString::fromStdString(p.cellsB[rb]);
    default:
        break;
    }
    const PredictionColumn& c = p.tableA->columns[m_features[static_cast<std::size_t>(index.column() - 4)]];
    if (c.numeric)
        return std::isnan(c.numbers[ra]) ? QString() : QString::fromStdString(stdNum(c.numbers[ra]));
    return c.codes[ra] < 0 ? QString()
                           : QString::fromStdString(c.dictionary[static_cast<std::size_t>(c.codes[ra])]);
}

QVariant FlipsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case 0:
        return m_analysis && !m_analysis->idsA.empty() ? tr("id") : tr("row");
    case 1:
        return tr("label");
    case 2:
        return m_analysis ? QStringLiteral("A: %1").arg(m_analysis->nameA) : tr("A");
    case 3:
        return m_analysis ? QStringLiteral("B: %1").arg(m_analysis->nameB) : tr("B");
    default:
        break;
    }
    const auto f = static_cast<std::size_t>(section - 4);
    if (!m_analysis || f >= m_features.size()) return {};
    return QString::fromStdString(m_analysis->tableA->columns[m_features[f]].name);
}

// ---------------------------------------------------------------------------------------------------------------

QWidget* CompareView::buildPredictionsPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* bar = new QHBoxLayout;
    m_evalSetBox = new QComboBox(page);
    m_metricBox = new QComboBox(page);
    for (const char* m : {"accuracy", "error_rate", "f1", "auc", "log_loss", "brier"})
        m_metricBox->addItem(QString::fromLatin1(m));
    m_seed = new QSpinBox(page);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(20261126);
    m_resamples = new QSpinBox(page);
    m_resamples->setRange(10, 1000000);
    m_resamples->setValue(1000); // the default of `runlens diff`
    m_resamples->setSingleStep(500);
    auto label = [&](const QString& text, QWidget* buddy) {
        auto* l = new QLabel(text, page);
        l->setBuddy(buddy);
        bar->addWidget(l);
        bar->addWidget(buddy);
    };
    label(tr("&Evaluation set:"), m_evalSetBox);
    label(tr("Bootstrap &metric:"), m_metricBox);
    label(tr("Resam&ples:"), m_resamples);
    label(tr("S&eed:"), m_seed);
    bar->addStretch(1);
    layout->addLayout(bar);

    m_predStack = new QStackedWidget(page);
    m_predHint = new QLabel(page);
    m_predHint->setAlignment(Qt::AlignCenter);
    m_predHint->setWordWrap(true);
    m_predStack->addWidget(m_predHint);

    auto* body = new QSplitter(Qt::Horizontal, page);
    auto* left = new QWidget(body);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_contingency = makeTable(left);
    m_contingency->setRowCount(2);
    m_contingency->setColumnCount(2);
    m_contingency->setHorizontalHeaderLabels({tr("B correct"), tr("B wrong")});
    m_contingency->setVerticalHeaderLabels({tr("A correct"), tr("A wrong")});
    m_contingency->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_contingency->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_contingency->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_contingency->setFixedHeight(m_contingency->horizontalHeader()->sizeHint().height() +
                                  2 * m_contingency->verticalHeader()->defaultSectionSize() +
                                  2 * m_contingency->frameWidth() + 2);
    m_contingency->setMaximumWidth(260);
    m_pairedSummary = new QLabel(left);
    m_pairedSummary->setWordWrap(true);
    m_pairedSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pairedSummary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    top->addWidget(m_contingency);
    top->addWidget(m_pairedSummary, 1);
    leftLayout->addLayout(top);

    auto* flipsBar = new QHBoxLayout;
    m_flipsCount = new QLabel(left);
    m_flipsFilter = new QLineEdit(left);
    m_flipsFilter->setPlaceholderText(tr("Filter flipped examples (regular expression over every column)"));
    m_flipsFilter->setClearButtonEnabled(true);
    flipsBar->addWidget(m_flipsCount);
    flipsBar->addWidget(m_flipsFilter, 1);
    flipsBar->addWidget(exportButton(tr("flipped examples"), nullptr,
                                     [this](const QString& p, QString* e) { return exportFlipsCsv(p, e); }));
    leftLayout->addLayout(flipsBar);
    m_flipsModel = new FlipsModel(left);
    m_flipsProxy = new QSortFilterProxyModel(left);
    m_flipsProxy->setSourceModel(m_flipsModel);
    m_flipsProxy->setFilterKeyColumn(-1);
    m_flipsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_flipsTable = new QTableView(left);
    m_flipsTable->setModel(m_flipsProxy);
    m_flipsTable->setSortingEnabled(true);
    m_flipsTable->setAlternatingRowColors(true);
    m_flipsTable->horizontalHeader()->setStretchLastSection(true);
    m_flipsTable->verticalHeader()->hide();
    m_flipsTable->verticalHeader()->setDefaultSectionSize(m_flipsTable->fontMetrics().height() + 6);
    leftLayout->addWidget(m_flipsTable, 2);
    connect(m_flipsFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        QRegularExpression re(text, QRegularExpression::CaseInsensitiveOption);
        m_flipsProxy->setFilterRegularExpression(re.isValid() ? re : QRegularExpression());
        m_flipsCount->setText(
            tr("%1 of %2 flipped").arg(m_flipsProxy->rowCount()).arg(m_flipsModel->rowCount()));
    });

    auto* slicesLabel =
        new QLabel(tr("Slices whose accuracy changed significantly (Benjamini-Hochberg q < 0.05):"), left);
    slicesLabel->setWordWrap(true); // long labels wrap instead of widening the page
    leftLayout->addWidget(slicesLabel);
    m_sliceTable = makeTable(left);
    m_sliceTable->setColumnCount(7);
    m_sliceTable->setHorizontalHeaderLabels(
        {tr("slice"), tr("n"), tr("accuracy A"), tr("accuracy B"), tr("Δ (B − A)"), tr("p"), tr("q")});
    m_sliceTable->verticalHeader()->hide();
    leftLayout->addWidget(m_sliceTable, 1);
    m_classFlipsLabel = new QLabel(
        tr("Per true class: examples B fixes and breaks, McNemar's exact test on that class:"), left);
    m_classFlipsLabel->setWordWrap(true);
    leftLayout->addWidget(m_classFlipsLabel);
    m_classFlipsTable = makeTable(left);
    m_classFlipsTable->setObjectName("classFlips");
    m_classFlipsTable->setColumnCount(6);
    m_classFlipsTable->setHorizontalHeaderLabels({tr("class"), tr("n"), tr("fixed (A wrong, B right)"),
                                                  tr("broken (A right, B wrong)"), tr("both wrong"),
                                                  tr("p")});
    m_classFlipsTable->verticalHeader()->hide();
    leftLayout->addWidget(m_classFlipsTable, 1);
    m_classFlipsLabel->hide();
    m_classFlipsTable->hide();

    auto* right = new QWidget(body);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* calBar = new QHBoxLayout;
    calBar->addWidget(new QLabel(tr("Calibration of A and B"), right));
    calBar->addStretch(1);
    calBar->addWidget(exportButton(
        tr("calibration"), [this](const QString& p, QString* e) { return exportCalibrationChart(p, e); },
        [this](const QString& p, QString* e) { return exportCalibrationCsv(p, e); }));
    rightLayout->addLayout(calBar);
    m_calibrationView = new InteractiveChartView(right);
    m_calibrationView->setMinimumWidth(320);
    rightLayout->addWidget(m_calibrationView, 1);
    body->addWidget(left);
    body->addWidget(right);
    body->setStretchFactor(0, 1);
    body->setStretchFactor(1, 1);
    m_predStack->addWidget(body);
    layout->addWidget(m_predStack, 1);

    connect(m_evalSetBox, &QComboBox::currentIndexChanged, this, &CompareView::startAnalysis);
    connect(m_metricBox, &QComboBox::currentIndexChanged, this, &CompareView::startAnalysis);
    connect(m_seed, &QSpinBox::valueChanged, this, &CompareView::startAnalysis);
    connect(m_resamples, &QSpinBox::valueChanged, this, &CompareView::startAnalysis);
    return page;
}

void CompareView::refreshEvalSets() {
    std::set<QString> inA, inB;
    for (const auto& t : m_evalSets[0])
        inA.insert(QString::fromStdString(t.name));
    for (const auto& t : m_evalSets[1])
        inB.insert(QString::fromStdString(t.name));
    const QString current = m_evalSetBox->currentText();
    {
        const QSignalBlocker block(m_evalSetBox);
        m_evalSetBox->clear();
        for (const QString& name : inA)
            if (inB.count(name)) m_evalSetBox->addItem(name);
        if (const int i = m_evalSetBox->findText(current); i >= 0) m_evalSetBox->setCurrentIndex(i);
    }
    startAnalysis();
}

bool CompareView::isAnalysing() const {
    return m_analysisPending;
}

void CompareView::startAnalysis() {
    if (m_analysisPending) {
        m_restartAnalysis = true; // the running result is stale: compute again when it ends
        return;
    }
    m_restartAnalysis = false;
    Workspace* ws = m_context->workspace();
    const QString set = m_evalSetBox->currentText();
    if (!ws || m_runs.size() < 2 || set.isEmpty()) {
        m_paired.reset();
        m_flipsModel->setAnalysis(nullptr);
        m_predHint->setText(
            tr("No shared evaluation set yet: drop a predictions_*.csv onto each run, or import run "
               "folders that hold one. A and B need an evaluation set of the same name."));
        m_predStack->setCurrentIndex(0);
        clearEnsemble(tr("No shared evaluation set: the ensemble what-if needs the runs' predictions."));
        emit analysisFinished();
        return;
    }
    AnalysisInput input;
    input.evalSet = set;
    SliceMetric metric = SliceMetric::Accuracy;
    parseSliceMetric(m_metricBox->currentText().toStdString(), metric);
    input.metric = metric;
    input.seed = static_cast<std::uint64_t>(m_seed->value());
    input.resamples = m_resamples->value();
    try {
        for (std::size_t i = 0; i < m_runs.size(); ++i) {
            for (const auto& t : m_evalSets[i]) {
                if (QString::fromStdString(t.name) != set) continue;
                input.names.push_back(QString::fromStdString(m_runs[i].name));
                input.tables.push_back(std::make_shared<const PredictionTable>(ws->readPredictions(t.id)));
                break;
            }
        }
    } catch (const WorkspaceError& e) {
        m_predHint->setText(tr("Cannot read the evaluation set: %1").arg(QString::fromUtf8(e.what())));
        m_predStack->setCurrentIndex(0);
        emit analysisFinished();
        return;
    }
    m_predHint->setText(tr("Comparing predictions…"));
    m_analysisPending = true;
    m_watcher->setFuture(QtConcurrent::run([input = std::move(input)] { return analyse(input); }));
}

void CompareView::onAnalysisDone() {
    m_analysisPending = false; // the finished signal, not the future's state, says the result is here
    if (m_restartAnalysis) {
        startAnalysis();
        return;
    }
    m_paired = m_watcher->result();
    showAnalysis();
    emit analysisFinished();
}

QString CompareView::pairedSummaryText() const {
    return m_pairedSummary->text();
}

void CompareView::showAnalysis() {
    const PairedAnalysis& p = *m_paired;
    m_flipsModel->setAnalysis(m_paired);
    showPairedTests(p);
    showEnsemble(p);
}

void CompareView::showPairedTests(const PairedAnalysis& p) {
    if (!p.error.isEmpty()) {
        m_predHint->setText(tr("Paired comparison unavailable: %1").arg(p.error));
        m_predStack->setCurrentIndex(0);
    } else {
        m_predStack->setCurrentIndex(1);
        const auto& mc = p.paired.mcnemar;
        const std::int64_t cells[2][2] = {{mc.bothCorrect, mc.aOnlyCorrect}, {mc.bOnlyCorrect, mc.bothWrong}};
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c) {
                auto* item = readOnlyItem(QString::number(cells[r][c]));
                item->setTextAlignment(Qt::AlignCenter);
                m_contingency->setItem(r, c, item);
            }
        QStringList lines;
        lines << tr("Evaluation set '%1': %2 shared examples aligned by %3; unmatched: %4 in A, %5 in B.")
                     .arg(p.evalSet)
                     .arg(mc.n)
                     .arg(p.paired.alignment.summary.byId ? tr("id") : tr("row"))
                     .arg(p.paired.alignment.pairs.unmatchedA)
                     .arg(p.paired.alignment.pairs.unmatchedB);
        if (!p.paired.alignment.summary.clean())
            lines << QString::fromStdString(p.paired.alignment.summary.warning());
        lines << tr("McNemar exact p = %1; χ² (continuity corrected) = %2, p = %3")
                     .arg(num(mc.exactP, 4), num(mc.chi2, 4), num(mc.chi2P, 4));
        lines << tr("%1 B − A = %2, 95% paired bootstrap interval [%3, %4] (%5 resamples, seed %6)")
                     .arg(QString::fromStdString(p.paired.bootstrap.metric), num(p.paired.bootstrap.delta, 4),
                          num(p.paired.bootstrap.ciLow, 4), num(p.paired.bootstrap.ciHigh, 4))
                     .arg(p.paired.bootstrap.resamples)
                     .arg(p.paired.bootstrap.seed);
        if (!p.paired.delong)
            lines << tr("DeLong not run: %1").arg(QString::fromStdString(p.paired.delongSkipped));
        if (p.paired.delong)
            lines << tr("ROC AUC %1 → %2, DeLong z = %3, p = %4")
                         .arg(num(p.paired.delong->aucA, 4), num(p.paired.delong->aucB, 4),
                              num(p.paired.delong->z, 4), num(p.paired.delong->p, 4));
        lines << tr("Zero-rule baseline (always the majority label) %1 = %2; lift of A %3, of B %4")
                     .arg(QString::fromStdString(p.paired.bootstrap.metric), num(p.paired.zeroRule, 4),
                          num(p.paired.metricA - p.paired.zeroRule, 4),
                          num(p.paired.metricB - p.paired.zeroRule, 4));
        lines << tr("%1 examples flipped between right and wrong").arg(p.paired.flips.size());
        m_pairedSummary->setText(lines.join('\n'));
        m_flipsCount->setText(
            tr("%1 of %2 flipped").arg(m_flipsProxy->rowCount()).arg(m_flipsModel->rowCount()));
        m_flipsTable->resizeColumnsToContents();

        m_sliceTable->setRowCount(static_cast<int>(p.paired.sliceChanges.size()));
        if (p.paired.sliceChanges.empty()) {
            m_sliceTable->setRowCount(1);
            m_sliceTable->setItem(0, 0, readOnlyItem(tr("no slice changed significantly")));
        }
        for (int r = 0; r < static_cast<int>(p.paired.sliceChanges.size()); ++r) {
            const SliceChange& c = p.paired.sliceChanges[static_cast<std::size_t>(r)];
            QStringList key;
            for (const auto& [f, v] : c.key)
                key << QStringLiteral("%1=%2").arg(QString::fromStdString(f), QString::fromStdString(v));
            const QStringList cells{key.join(", "),      QString::number(c.n), num(c.accuracyA, 4),
                                    num(c.accuracyB, 4), num(c.delta, 4),      num(c.pValue, 3),
                                    num(c.qValue, 3)};
            for (int col = 0; col < cells.size(); ++col)
                m_sliceTable->setItem(r, col, readOnlyItem(cells[col]));
        }
        m_classFlipsLabel->setVisible(!p.paired.classFlips.empty());
        m_classFlipsTable->setVisible(!p.paired.classFlips.empty());
        m_classFlipsTable->setRowCount(static_cast<int>(p.paired.classFlips.size()));
        for (int r = 0; r < static_cast<int>(p.paired.classFlips.size()); ++r) {
            const ClassFlips& f = p.paired.classFlips[static_cast<std::size_t>(r)];
            const auto cls = static_cast<std::size_t>(f.classIndex);
            const QStringList cells{cls < p.classesA.size() ? QString::fromStdString(p.classesA[cls])
                                                            : QString::number(f.classIndex),
                                    QString::number(f.n),
                                    QString::number(f.fixed),
                                    QString::number(f.broken),
                                    QString::number(f.bothWrong),
                                    num(f.mcnemar.exactP, 3)};
            for (int col = 0; col < cells.size(); ++col)
                m_classFlipsTable->setItem(r, col, readOnlyItem(cells[col]));
        }
        m_calibrationView->replaceChart(makeCalibrationChart());
    }
}

QChart* CompareView::makeCalibrationChart() const {
    if (!m_paired || !m_paired->calibrationA || !m_paired->calibrationB) {
        auto* empty = new QChart;
        empty->setTitle(tr("Calibration needs binary scores in both evaluation sets"));
        return empty;
    }
    std::vector<ReliabilityCurve> curves{
        {QStringLiteral("A: %1").arg(m_paired->nameA), *m_paired->calibrationA},
        {QStringLiteral("B: %1").arg(m_paired->nameB), *m_paired->calibrationB}};
    return buildReliabilityChart(
        curves, tr("Reliability: %1 vs %2 on '%3'").arg(m_paired->nameA, m_paired->nameB, m_paired->evalSet));
}

QChart* CompareView::calibrationChart() const {
    return m_calibrationView->chart();
}

bool CompareView::exportCalibrationChart(const QString& path, QString* error) const {
    std::unique_ptr<QChart> chart(makeCalibrationChart());
    return exportChart(chart.get(), QSize(900, 750), path, error);
}

bool CompareView::exportCalibrationCsv(const QString& path, QString* error) const {
    std::vector<QStringList> rows{
        {"run", "lower", "upper", "count", "mean_predicted", "fraction_positive", "ci_low", "ci_high"}};
    if (m_paired && m_paired->calibrationA && m_paired->calibrationB) {
        const std::pair<QString, const CalibrationReport*> reports[] = {
            {m_paired->nameA, &*m_paired->calibrationA}, {m_paired->nameB, &*m_paired->calibrationB}};
        for (const auto& [name, report] : reports)
            for (const auto& b : report->bins)
                rows.push_back({name, QString::number(b.lower, 'g', 17), QString::number(b.upper, 'g', 17),
                                QString::number(b.count), QString::number(b.meanPredicted, 'g', 17),
                                QString::number(b.fractionPositive, 'g', 17),
                                QString::number(b.ciLow, 'g', 17), QString::number(b.ciHigh, 'g', 17)});
    }
    return writeRows(path, rows, error);
}

bool CompareView::exportFlipsCsv(const QString& path, QString* error) const {
    std::vector<QStringList> rows;
    QStringList header;
    for (int c = 0; c < m_flipsProxy->columnCount(); ++c)
        header << m_flipsProxy->headerData(c, Qt::Horizontal).toString();
    rows.push_back(header);
    for (int r = 0; r < m_flipsProxy->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < m_flipsProxy->columnCount(); ++c)
            cells << m_flipsProxy->index(r, c).data().toString();
        rows.push_back(cells);
    }
    return writeRows(path, rows, error);
}

} // namespace runlens::ui
