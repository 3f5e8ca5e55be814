// Behaviour tab: finds the test-result logs among the visible runs' evaluation sets, computes the behavioural
// report (and model B's paired comparison) with core/analysis/behaviour_tests off the GUI thread, and shows a
// chart, the perturbation table, the worst examples and the per-slice rates.
#include "ui/behaviour/behaviour_view.h"

#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/charts/interval_dot_chart.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

const char* kEmptyHint =
    "No behavioural test log in the visible runs yet.\n\nDrop a prediction log whose rows name their "
    "original "
    "example (orig_id or example_id), the perturbation (perturbation or test; originals have none) and "
    "optionally the expected direction (expect: same, up or down) onto a run, or import a run folder holding "
    "such a predictions*.csv. A log of perturbed rows only takes its originals from another evaluation set.";

// Everything the worker needs, shared read-only with the GUI thread's cache.
struct BehaviourJob {
    QString name, compareName;
    std::shared_ptr<const PredictionTable> table, originals, tableB, originalsB;
    std::shared_ptr<const EvaluationSet> set, originalSet, setB, originalSetB;
    BehaviourColumnChoice choice;
};

struct LoadedModel {
    BehaviourLog log;
    BehaviourModel perturbed, original;
};

std::optional<LoadedModel> loadModel(const PredictionTable& table, const EvaluationSet& set,
                                     const PredictionTable* originals, const EvaluationSet* originalSet,
                                     const BehaviourColumnChoice& choice, QString& error) {
    std::string why;
    auto log = behaviourLogFrom(table, originals, choice, why);
    if (!log) {
        error = QString::fromStdString(why);
        return std::nullopt;
    }
    LoadedModel m;
    m.log = std::move(*log);
    const BehaviourModel all = behaviourModelOf(set);
    m.perturbed = behaviourRows(all, m.log.perturbedRows);
    m.original = originalSet ? behaviourModelOf(*originalSet) : all;
    if (m.original.classes != m.perturbed.classes || (originalSet && originalSet->classes != set.classes)) {
        error = QObject::tr("the originals and the perturbed rows have different class sets");
        return std::nullopt;
    }
    return m;
}

BehaviourViewResult compute(const BehaviourJob& job) {
    BehaviourViewResult out;
    out.name = job.name;
    auto a =
        loadModel(*job.table, *job.set, job.originals.get(), job.originalSet.get(), job.choice, out.error);
    if (!a) return out;
    const BehaviourTests tests = a->log.tests();
    out.report = behaviourReport(tests, a->perturbed.view(), a->original.view());
    if (out.report.perturbations.empty()) out.error = QObject::tr("no perturbed rows");
    if (job.tableB) {
        out.compareName = job.compareName;
        auto b = loadModel(*job.tableB, *job.setB, job.originalsB.get(), job.originalSetB.get(), job.choice,
                           out.compareError);
        if (b && job.setB->classes != job.set->classes)
            out.compareError = QObject::tr("its classes differ, so the tests cannot be paired");
        if (b && out.compareError.isEmpty()) {
            const AlignedModel aligned = alignToLog(a->log, b->log, b->perturbed, b->original);
            out.matched = aligned.matched;
            if (aligned.matched == 0)
                out.compareError =
                    QObject::tr("none of its tests match (same perturbation, original id and id)");
            else
                out.comparison = compareRobustness(tests, a->perturbed.view(), a->original.view(),
                                                   aligned.perturbed.view(), aligned.original.view());
        }
    }
    out.log = std::move(a->log);
    return out;
}

QString rateWithCi(double rate, const stats::Interval& ci) {
    return rateWithInterval(rate, ci.low, ci.high);
}

QString directionName(ExpectedDirection d) {
    const auto name = expectedDirectionName(d);
    return QString::fromUtf8(name.data(), qsizetype(name.size()));
}

const RobustnessComparison* comparisonOf(const BehaviourViewResult& r, const std::string& perturbation) {
    for (const auto& c : r.comparison)
        if (c.perturbation == perturbation) return &c;
    return nullptr;
}

void setRow(QTableWidget* table, int row, const QStringList& cells, const QString& tip = {}) {
    for (int c = 0; c < cells.size(); ++c) {
        auto* item = new QTableWidgetItem(cells[c]);
        if (!tip.isEmpty()) item->setToolTip(tip);
        table->setItem(row, c, item);
    }
}

QTableWidget* newTable(const QString& objectName, const QStringList& headers) {
    auto* table = new QTableWidget(0, int(headers.size()));
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

BehaviourView::BehaviourView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context),
      m_compute(
          this, &m_result, [this] { startCompute(); }, [this] { showResult(); }) {
    buildUi();
    followVisibleEvaluations(context, this, m_source, [this] { reloadEntries(); });
}

BehaviourView::~BehaviourView() = default; // m_compute waits for a running computation

void BehaviourView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget;
    m_emptyHint = newEmptyHint(tr(kEmptyHint), QStringLiteral("behaviourEmptyHint"));
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    auto* controls = new FlowLayout; // wraps at the page's width (a laptop-sized window)
    auto combo = [](const char* name, const QString& tip) {
        auto* c = new QComboBox;
        c->setObjectName(name);
        c->setToolTip(tip);
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(10);
        return c;
    };
    m_log = combo("behaviourLog", tr("The test-result log (run / evaluation set) to analyse"));
    m_originals = combo("behaviourOriginals", tr("Where the original examples' predictions are: this log's "
                                                 "rows without a perturbation, or another evaluation set"));
    m_slice = combo("behaviourSlice", tr("Rates per value of this column too"));
    m_compare = combo("behaviourCompare", tr("Another model's log of the same tests, compared pair by pair"));
    m_plot = combo("behaviourPlot", tr("What the chart shows per perturbation"));
    m_plot->addItems({tr("Failure rate"), tr("Flip rate"), tr("Score change")});
    m_plot->setMinimumContentsLength(8);
    m_exportButton = newExportButton(tr("Export the chart as PNG, SVG or PDF, or the tables as CSV"), this,
                                     [this] { return exportSpec(); });
    controls->addField(tr("Tests"), m_log);
    controls->addField(tr("Originals"), m_originals);
    controls->addField(tr("Slice"), m_slice);
    controls->addField(tr("Compare with"), m_compare);
    controls->addField(tr("Plot"), m_plot);
    controls->addWidget(m_exportButton);
    contentLayout->addLayout(controls);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setObjectName("behaviourSummary");
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    contentLayout->addWidget(m_summary);

    auto* split = new QSplitter(Qt::Horizontal);
    m_chart = new InteractiveChartView;
    split->addWidget(m_chart);
    auto* right = new QSplitter(Qt::Vertical);
    m_perturbations = newTable("behaviourPerturbations", {});
    right->addWidget(m_perturbations);
    auto* details = new QTabWidget;
    m_worst =
        newTable("behaviourWorst", {tr("id"), tr("original"), tr("original score"), tr("perturbed score"),
                                    tr("change"), tr("flipped"), tr("wrong direction")});
    m_slices = newTable("behaviourSlices",
                        {tr("slice"), tr("n"), tr("flip rate [95% CI]"), tr("wrong direction [95% CI]")});
    details->addTab(m_worst, tr("Worst examples"));
    details->addTab(m_slices, tr("By slice"));
    right->addWidget(details);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({500, 500});
    contentLayout->addWidget(split, 1);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);

    connect(m_log, &QComboBox::currentIndexChanged, this, [this] {
        fillChoices();
        startCompute();
    });
    for (auto* c : {m_originals, m_slice, m_compare})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    connect(m_plot, &QComboBox::currentIndexChanged, this, [this] { m_chart->replaceChart(buildChart()); });
    connect(m_perturbations, &QTableWidget::itemSelectionChanged, this,
            &BehaviourView::showPerturbationDetails);
}

void BehaviourView::reloadEntries() {
    m_entries.clear();
    m_behaviourLogs.clear();
    for (auto& entry : m_source.list(*m_context->runModel())) {
        m_source.load(entry);
        if (!entry.usable()) continue;
        if (looksLikeBehaviourTable(*entry.table)) m_behaviourLogs.push_back(m_entries.size());
        m_entries.push_back(entry);
    }
    QStringList labels;
    for (std::size_t i : m_behaviourLogs)
        labels << m_entries[i].label();
    refillCombo(m_log, labels);
    m_stack->setCurrentIndex(m_behaviourLogs.empty() ? 0 : 1);
    fillChoices();
    startCompute();
}

const EvaluationEntry* BehaviourView::chosenEntry() const {
    const int index = m_log->currentIndex();
    if (index < 0 || std::size_t(index) >= m_behaviourLogs.size()) return nullptr;
    return &m_entries[m_behaviourLogs[std::size_t(index)]];
}

void BehaviourView::fillChoices() {
    const QSignalBlocker b1(m_originals), b2(m_slice), b3(m_compare);
    const QString slice = m_slice->currentData().toString(), compare = m_compare->currentText();
    m_originals->clear();
    m_slice->clear();
    m_compare->clear();
    const EvaluationEntry* entry = chosenEntry();
    if (!entry) return;
    // The log's own rows when it holds its originals; else the same run's set that is not a test log.
    const bool ownRows = holdsOriginals(*entry->table);
    m_originals->addItem(tr("Rows of this log"), -1);
    int preferred = ownRows ? 0 : -1;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const auto& e = m_entries[i];
        if (e.tableId == entry->tableId) continue;
        m_originals->addItem(e.label(), int(i));
        if (preferred < 0 && e.runId == entry->runId && !looksLikeBehaviourTable(*e.table))
            preferred = m_originals->count() - 1;
    }
    m_originals->setCurrentIndex(std::max(preferred, 0));

    m_slice->addItem(tr("(none)"), QString());
    for (const auto& c : entry->table->columns)
        if (c.role == ColumnRole::Feature && !isBehaviourColumnName(c.name))
            m_slice->addItem(QString::fromStdString(c.name), QString::fromStdString(c.name));
    m_slice->setCurrentIndex(std::max(m_slice->findData(slice), 0));

    m_compare->addItem(tr("(no comparison)"), -1);
    for (std::size_t i : m_behaviourLogs)
        if (m_entries[i].tableId != entry->tableId) m_compare->addItem(m_entries[i].label(), int(i));
    m_compare->setCurrentIndex(std::max(m_compare->findText(compare), 0));
}

void BehaviourView::startCompute() {
    if (!m_compute.mayStart()) return;
    const EvaluationEntry* entry = chosenEntry();
    if (!entry) {
        m_result = {};
        showResult();
        return;
    }
    BehaviourJob job;
    job.name = entry->label();
    job.table = entry->table;
    job.set = entry->set;
    const int originals = m_originals->currentData().toInt();
    const EvaluationEntry* originalEntry = originals >= 0 ? &m_entries[std::size_t(originals)] : nullptr;
    if (originalEntry) {
        job.originals = originalEntry->table;
        job.originalSet = originalEntry->set;
    }
    job.choice.slice = m_slice->currentData().toString().toStdString();
    const int compare = m_compare->currentData().toInt();
    if (compare >= 0) {
        const auto& b = m_entries[std::size_t(compare)];
        job.compareName = b.label();
        job.tableB = b.table;
        job.setB = b.set;
        // B's originals: B's run's set of the same name as A's originals, else B's own rows.
        if (originalEntry)
            for (const auto& e : m_entries)
                if (e.runId == b.runId && e.tableName == originalEntry->tableName && e.tableId != b.tableId) {
                    job.originalsB = e.table;
                    job.originalSetB = e.set;
                }
    }
    m_compute.run([job = std::move(job)] { return compute(job); });
}

bool BehaviourView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

QStringList BehaviourView::logNames() const {
    QStringList names;
    for (std::size_t i : m_behaviourLogs)
        names << m_entries[i].label();
    return names;
}

bool BehaviourView::setCompareWith(const QString& label) {
    const int index = label.isEmpty() ? 0 : m_compare->findText(label);
    if (index < 0) return false;
    m_compare->setCurrentIndex(index);
    return true;
}

bool BehaviourView::setSliceColumn(const QString& column) {
    const int index = m_slice->findData(column);
    if (index < 0) return false;
    m_slice->setCurrentIndex(index);
    return true;
}

void BehaviourView::setPlot(Plot plot) {
    m_plot->setCurrentIndex(int(plot));
}

QChart* BehaviourView::buildChart() const {
    if (!m_result.ok()) return nullptr;
    const auto& ps = m_result.report.perturbations;
    DotChartInput input;
    for (const auto& p : ps)
        input.rows << QString::fromStdString(p.name);
    const Plot plot = Plot(m_plot->currentIndex());
    const bool compared = !m_result.comparison.empty();
    DotChartSeries a{
        compared ? tr("A: %1").arg(m_result.name) : m_result.name, runColor(0), {}, {}, {}, {}, {}};
    DotChartSeries b{tr("B: %1").arg(m_result.compareName), runColor(1), {}, {}, {}, {}, {}};
    const double nan = std::nan("");
    for (const auto& p : ps) {
        if (plot == Plot::ScoreChange) {
            a.value.push_back(p.n ? p.median : nan);
            a.low.push_back(p.n ? p.q05 : nan);
            a.high.push_back(p.n ? p.q95 : nan);
            a.boxLow.push_back(p.n ? p.q25 : nan);
            a.boxHigh.push_back(p.n ? p.q75 : nan);
        } else if (plot == Plot::FailureRate) {
            a.value.push_back(p.tested ? 100 * p.failureRate : nan);
            a.low.push_back(100 * p.failureCi.low);
            a.high.push_back(100 * p.failureCi.high);
        } else {
            a.value.push_back(p.n ? 100 * p.flipRate : nan);
            a.low.push_back(100 * p.flipCi.low);
            a.high.push_back(100 * p.flipCi.high);
        }
        // B is drawn for flip rates, the paired measure compareRobustness has for every test.
        const auto* c = compared && plot == Plot::FlipRate ? comparisonOf(m_result, p.name) : nullptr;
        const auto ci = c ? stats::wilson(c->flipsB, c->n) : stats::Interval{nan, nan};
        b.value.push_back(c && c->n ? 100 * c->flipRateB : nan);
        b.low.push_back(100 * ci.low);
        b.high.push_back(100 * ci.high);
    }
    input.series.push_back(std::move(a));
    if (compared && plot == Plot::FlipRate) input.series.push_back(std::move(b));
    input.percent = plot != Plot::ScoreChange;
    switch (plot) {
    case Plot::FailureRate:
        input.title = tr("Failure rate per perturbation: %1").arg(m_result.name);
        input.subtitle = tr("flips of invariance tests and wrong-direction moves of directional tests · "
                            "whiskers = Wilson 95% interval");
        input.valueTitle = tr("failure rate (%)");
        input.reference = 5.0;
        input.referenceName = tr("5%: major when the whole interval is above");
        break;
    case Plot::FlipRate:
        input.title = compared ? tr("Flip rate per perturbation: A against B")
                               : tr("Flip rate per perturbation: %1").arg(m_result.name);
        input.subtitle = tr("share of tests whose predicted class changed · whiskers = Wilson 95% interval");
        input.valueTitle = tr("flip rate (%)");
        break;
    case Plot::ScoreChange:
        input.title = tr("Score change per perturbation: %1").arg(m_result.name);
        input.subtitle = tr("point = median · thick = 25th to 75th percentile · whiskers = 5th to 95th");
        input.valueTitle = tr("perturbed score − original score");
        input.reference = 0.0;
        break;
    }
    return buildIntervalDotChart(input);
}

void BehaviourView::showResult() {
    m_exportButton->setEnabled(m_result.ok());
    m_perturbations->setRowCount(0);
    m_worst->setRowCount(0);
    m_slices->setRowCount(0);
    if (!m_result.ok()) {
        m_summary->setText(m_result.error);
        m_chart->replaceChart(new QChart);
        return;
    }
    QString summary = m_result.name + ": " + QString::fromStdString(m_result.report.sentence);
    if (!m_result.compareError.isEmpty())
        summary += ' ' + tr("Not compared with %1: %2.").arg(m_result.compareName, m_result.compareError);
    if (!m_result.comparison.empty()) {
        int aMore = 0, bMore = 0;
        for (const auto& c : m_result.comparison) {
            aMore += c.differenceCi.low > 0;
            bMore += c.differenceCi.high < 0;
        }
        summary += ' ' + tr("Against B = %1 (%2 tests in both): B is more robust on %3, A on %4, no clear "
                            "difference on %5 perturbation(s).")
                             .arg(m_result.compareName)
                             .arg(m_result.matched)
                             .arg(bMore)
                             .arg(aMore)
                             .arg(int(m_result.comparison.size()) - aMore - bMore);
    }
    m_summary->setText(summary);

    const bool compared = !m_result.comparison.empty();
    QStringList headers{tr("perturbation"),
                        tr("expect"),
                        tr("n"),
                        tr("failures [95% CI]"),
                        tr("flip rate [95% CI]"),
                        tr("mean change"),
                        tr("wrong direction"),
                        tr("severity")};
    if (compared) headers << tr("B flip rate") << tr("B − A [95% CI]") << tr("McNemar p");
    m_perturbations->setColumnCount(int(headers.size()));
    m_perturbations->setHorizontalHeaderLabels(headers);
    const auto& ps = m_result.report.perturbations;
    m_perturbations->setRowCount(int(ps.size()));
    for (int r = 0; r < int(ps.size()); ++r) {
        const auto& p = ps[std::size_t(r)];
        QStringList cells{QString::fromStdString(p.name) + (p.mixedExpectations ? tr(" (mixed)") : QString()),
                          directionName(p.expected),
                          QString::number(p.n),
                          p.tested ? rateWithCi(p.failureRate, p.failureCi) : tr("no expectation"),
                          rateWithCi(p.flipRate, p.flipCi),
                          formatMetric(p.meanChange),
                          p.directional ? QString("%1 of %2").arg(p.violations).arg(p.directional)
                                        : QString(),
                          QString::fromUtf8(behaviourSeverityName(p.severity).data())};
        QString tip = QString::fromStdString(p.sentence);
        if (const auto* c = compared ? comparisonOf(m_result, p.name) : nullptr) {
            cells << percentText(c->flipRateB)
                  << QString("%1 pts [%2, %3]")
                         .arg(100 * c->difference, 0, 'f', 1)
                         .arg(100 * c->differenceCi.low, 0, 'f', 1)
                         .arg(100 * c->differenceCi.high, 0, 'f', 1)
                  << formatMetric(c->mcnemar.exactP);
            tip += "\n" + QString::fromStdString(c->sentence);
        }
        setRow(m_perturbations, r, cells, tip);
        if (p.severity == BehaviourSeverity::Major)
            m_perturbations->item(r, 7)->setForeground(QColor(190, 30, 30));
    }
    m_perturbations->selectRow(0);
    showPerturbationDetails();
    m_chart->replaceChart(buildChart());
}

void BehaviourView::selectPerturbation(int row) {
    m_perturbations->selectRow(row);
    showPerturbationDetails();
}

void BehaviourView::showPerturbationDetails() {
    m_worst->setRowCount(0);
    m_slices->setRowCount(0);
    const auto selected = m_perturbations->selectionModel()->selectedRows();
    const int row = selected.isEmpty() ? -1 : selected.front().row();
    if (!m_result.ok() || row < 0 || std::size_t(row) >= m_result.report.perturbations.size()) return;
    const auto& p = m_result.report.perturbations[std::size_t(row)];
    const auto& log = m_result.log;
    m_worst->setRowCount(int(p.worst.size()));
    for (int i = 0; i < int(p.worst.size()); ++i) {
        const auto& w = p.worst[std::size_t(i)];
        const std::size_t tableRow = log.perturbedRows[w.row];
        const QString id =
            log.ids.empty() ? tr("row %1").arg(tableRow + 1) : QString::fromStdString(log.ids[tableRow]);
        setRow(m_worst, i,
               {id, QString::fromStdString(log.originalKey[w.row]), formatMetric(w.originalScore),
                formatMetric(w.perturbedScore), formatMetric(w.change), w.flipped ? tr("yes") : QString(),
                w.violated ? tr("yes") : QString()});
    }
    m_slices->setRowCount(int(p.slices.size()));
    for (int i = 0; i < int(p.slices.size()); ++i) {
        const auto& s = p.slices[std::size_t(i)];
        setRow(m_slices, i,
               {QString::fromStdString(s.slice), QString::number(s.n), rateWithCi(s.flipRate, s.flipCi),
                s.directional ? rateWithCi(s.violationRate, s.violationCi) : QString()});
    }
}

QString BehaviourView::perturbationsCsv() const {
    QString csv =
        "perturbation,expected,n,missing_original,flips,flip_rate,flip_ci_low,flip_ci_high,mean_change,"
        "median_change,directional,violations,violation_rate,tested,failures,failure_rate,"
        "failure_ci_low,failure_ci_high,severity";
    const bool compared = !m_result.comparison.empty();
    if (compared) csv += ",flips_b,flip_rate_b,difference,difference_ci_low,difference_ci_high,mcnemar_p";
    csv += '\n';
    if (!m_result.ok()) return csv;
    for (const auto& p : m_result.report.perturbations) {
        QStringList cells{csvText(p.name),
                          directionName(p.expected),
                          QString::number(p.n),
                          QString::number(p.missingOriginal),
                          QString::number(p.flips),
                          csvNumber(p.flipRate),
                          csvNumber(p.flipCi.low),
                          csvNumber(p.flipCi.high),
                          csvNumber(p.meanChange),
                          csvNumber(p.median),
                          QString::number(p.directional),
                          QString::number(p.violations),
                          csvNumber(p.violationRate),
                          QString::number(p.tested),
                          QString::number(p.failures),
                          csvNumber(p.failureRate),
                          csvNumber(p.failureCi.low),
                          csvNumber(p.failureCi.high),
                          QString::fromUtf8(behaviourSeverityName(p.severity).data())};
        if (compared) {
            const auto* c = comparisonOf(m_result, p.name);
            if (c)
                cells << QString::number(c->flipsB) << csvNumber(c->flipRateB) << csvNumber(c->difference)
                      << csvNumber(c->differenceCi.low) << csvNumber(c->differenceCi.high)
                      << csvNumber(c->mcnemar.exactP);
            else
                cells << QString() << QString() << QString() << QString() << QString() << QString();
        }
        csv += cells.join(',') + '\n';
    }
    return csv;
}

QString BehaviourView::worstExamplesCsv() const {
    QString csv = "perturbation,row,id,original,original_score,perturbed_score,change,flipped,violated\n";
    const auto selected = m_perturbations->selectionModel()->selectedRows();
    const int row = selected.isEmpty() ? 0 : selected.front().row();
    if (!m_result.ok() || std::size_t(row) >= m_result.report.perturbations.size()) return csv;
    const auto& p = m_result.report.perturbations[std::size_t(row)];
    const auto& log = m_result.log;
    for (const auto& w : p.worst) {
        const std::size_t tableRow = log.perturbedRows[w.row];
        csv += QStringList{csvText(p.name),
                           QString::number(tableRow + 1),
                           log.ids.empty() ? QString() : csvText(log.ids[tableRow]),
                           csvText(log.originalKey[w.row]),
                           csvNumber(w.originalScore),
                           csvNumber(w.perturbedScore),
                           csvNumber(w.change),
                           w.flipped ? "1" : "0",
                           w.violated ? "1" : "0"}
                   .join(',') +
               '\n';
    }
    return csv;
}

ChartExportSpec BehaviourView::exportSpec() const {
    ChartExportSpec spec;
    spec.baseName = QStringLiteral("behaviour");
    spec.buildChart = [this] { return buildChart(); };
    spec.csv.push_back({tr("Perturbations as CSV…"), [this] { return perturbationsCsv(); }});
    spec.csv.push_back({tr("Worst examples as CSV…"), [this] { return worstExamplesCsv(); }});
    return spec;
}

bool BehaviourView::exportImage(const QString& path, QString* error) const {
    return exportShownImage(m_result.ok(), exportSpec(), QStringLiteral("no behaviour chart to export"), path,
                            error);
}

} // namespace runlens::ui
