// The Learning curve tab: gathers a metric and a size per visible run, fits each family and explains the
// fits; shows the visible runs' learning-curve logs as train/validation score curves.
#include "ui/learning_curve/learning_curve_view.h"

#include "core/analysis/learning_curve_outlook.h"
#include "core/analysis/learning_curve_scores.h"
#include "core/analysis/power_law_fit.h"
#include "core/io/learning_curve_reader.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

QString number(double value) {
    return QString::number(value, 'g', 4);
}

// Refills a combo: the user's own choice is kept when it still exists; otherwise the preferred item is taken,
// so a choice made while the workspace was still loading does not stick.
void setComboItems(QComboBox* combo, const QStringList& items, const QString& preferred) {
    const bool userChose = combo->property("userChose").toBool();
    const QString keep = combo->currentText();
    combo->clear();
    combo->addItems(items);
    int index = userChose ? combo->findText(keep) : -1;
    if (index < 0) index = combo->findText(preferred);
    combo->setCurrentIndex(std::max(index, 0));
}

} // namespace

QString compareLearningCurves(const std::vector<LearningCurveFamily>& families, bool higherIsBetter) {
    std::vector<LearningCurveFamilyFit> fits;
    for (const auto& family : families)
        fits.push_back({family.name.toStdString(), {}, family.sizes, family.values, family.fit});
    return QString::fromStdString(compareLearningCurveFits(fits, higherIsBetter).sentence);
}

LearningCurveView::LearningCurveView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context), m_metric(new QComboBox), m_reduction(new QComboBox),
      m_size(new QComboBox), m_family(new QComboBox), m_extrapolate(new QDoubleSpinBox),
      m_stack(new QStackedWidget), m_emptyHint(new QLabel), m_view(new InteractiveChartView),
      m_summary(new QLabel) {
    m_reduction->addItems({tr("last"), tr("min"), tr("max")});
    m_reduction->setToolTip(tr("Which value of each run's metric series is its result"));
    m_size->setToolTip(tr("Training-set size: a numeric param or a series (its last value)"));
    m_family->setToolTip(tr("One fitted curve per value of this param (e.g. model)"));
    m_extrapolate->setRange(0, 1e15);
    m_extrapolate->setDecimals(0);
    m_extrapolate->setGroupSeparatorShown(true);
    m_extrapolate->setToolTip(tr("Size to predict the metric at (0: no extrapolation)"));
    m_metric->setMinimumContentsLength(14);
    m_size->setMinimumContentsLength(10);
    m_family->setMinimumContentsLength(10);

    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    buildExportMenu(exportButton);

    auto* controls = new FlowLayout; // wraps at the page's width (a laptop-sized window)
    const auto addLabelled = [&](const QString& text, QWidget* widget) { controls->addField(text, widget); };
    addLabelled(tr("&Metric"), m_metric);
    addLabelled(tr("&Reduce"), m_reduction);
    addLabelled(tr("&Size"), m_size);
    addLabelled(tr("&Family"), m_family);
    addLabelled(tr("E&xtrapolate to"), m_extrapolate);
    controls->addWidget(exportButton);

    m_emptyHint->setObjectName("learningCurveEmptyHint");
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName("learningCurveSummary");

    auto* chartPage = new QWidget;
    auto* chartLayout = new QVBoxLayout(chartPage);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_view, 1);
    chartLayout->addWidget(m_summary);
    m_stack->addWidget(m_emptyHint);
    m_stack->addWidget(chartPage);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_stack, 1);
    layout->addWidget(buildScoresPanel(), 0);

    const auto changed = [this] {
        if (!m_refilling) recompute();
    };
    connect(m_metric, &QComboBox::currentIndexChanged, this, changed);
    connect(m_reduction, &QComboBox::currentIndexChanged, this, changed);
    connect(m_size, &QComboBox::currentIndexChanged, this, [this] {
        if (m_refilling) return;
        m_refilling = true;
        m_extrapolate->setValue(0); // a new size scale: pick a new default horizon
        m_refilling = false;
        recompute();
    });
    connect(m_family, &QComboBox::currentIndexChanged, this, changed);
    // activated fires for user choices only; refills then keep them.
    for (QComboBox* combo : {m_metric, m_reduction, m_size, m_family})
        connect(combo, &QComboBox::activated, combo, [combo] { combo->setProperty("userChose", true); });
    connect(m_extrapolate, &QDoubleSpinBox::valueChanged, this, [this] {
        if (m_refilling) return;
        m_view->replaceChart(buildLearningCurveChart(m_families, m_metric->currentText(),
                                                     m_size->currentText(), m_extrapolate->value()));
        updateSummary();
    });
    const auto reload = [this] {
        refillCombos();
        recompute();
        recomputeScores();
    };
    connect(context, &ViewContext::workspaceChanged, this, reload);
    connect(context, &ViewContext::runsChanged, this, reload);
    connect(context->runModel(), &QAbstractItemModel::modelReset, this, reload);
    connect(context->runModel(), &RunTableModel::visibilityChanged, this, [this] {
        recompute();
        recomputeScores();
    });
    reload();
}

bool LearningCurveView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

QChart* LearningCurveView::chart() const {
    return m_view->chart();
}

QString LearningCurveView::summaryText() const {
    return m_summary->text();
}

void LearningCurveView::refillCombos() {
    m_refilling = true;
    const RunTableModel* model = m_context->runModel();
    QStringList numericParams;
    QStringList allParams;
    for (const QString& key : model->paramKeys()) {
        allParams << key;
        const bool numeric = std::any_of(model->runs().begin(), model->runs().end(), [&](const RunInfo& run) {
            const std::string name = key.toStdString();
            return run.params.contains(name) && trainingSizeOf(run, name).has_value();
        });
        if (numeric) numericParams << key;
    }
    // Learning-curve logs' per-fold score series have their own chart below; their last value is no run
    // result.
    QStringList tags = model->metricTags();
    tags.removeIf([](const QString& tag) {
        return tag.startsWith(QLatin1String(kLearningCurveTagPrefix.data(), kLearningCurveTagPrefix.size()));
    });
    // A training-set-size param is the likely choice (train_size, n_train, num_samples, dataset_size), never
    // a batch size; a validation loss the likely metric.
    auto sizeScore = [](const QString& key) { return trainingSizeKeyScore(key.toStdString()); };
    QString preferredSize = numericParams.isEmpty() ? QString() : numericParams.front();
    int bestScore = 0;
    for (const QString& key : numericParams)
        if (sizeScore(key) > bestScore) bestScore = sizeScore(key), preferredSize = key;
    QString preferredMetric;
    for (const QString& tag : tags)
        if (tag.startsWith(QLatin1String("val"), Qt::CaseInsensitive) &&
            tag.contains(QLatin1String("loss"))) {
            preferredMetric = tag;
            break;
        }
    setComboItems(m_metric, tags, preferredMetric);
    setComboItems(m_size, numericParams + tags, preferredSize);
    // Model families are usually named by a param like "model" or "family".
    QString preferredFamily;
    for (const QString& key : allParams)
        if (key.compare(QLatin1String("model"), Qt::CaseInsensitive) == 0 ||
            key.compare(QLatin1String("family"), Qt::CaseInsensitive) == 0)
            preferredFamily = key;
    setComboItems(m_family, QStringList{tr("(none)")} + allParams, preferredFamily);
    m_refilling = false;
}

// The same rule as the ship report's learning-curve section (core), so both name the same leader.
bool LearningCurveView::higherIsBetter() const {
    std::vector<PowerLawFit> fits;
    for (const auto& family : m_families)
        fits.push_back(family.fit);
    return learningCurveHigherIsBetter(m_metric->currentText().toStdString(), fits);
}

void LearningCurveView::recompute() {
    m_families.clear();
    m_runNames.clear();
    // core's gathering, the one `runlens learning-curve` prints: families in name order, so colours match.
    const std::string familyKey = m_family->currentIndex() > 0 ? m_family->currentText().toStdString() : "";
    const auto visible = m_context->runModel()->visibleRuns();
    double maxSize = 0;
    for (auto& family : learningCurveFamilies(visible, m_metric->currentText().toStdString(),
                                              m_size->currentText().toStdString(), familyKey,
                                              static_cast<SeriesReduction>(m_reduction->currentIndex()))) {
        QStringList runNames;
        for (const auto& name : family.runs)
            runNames << QString::fromStdString(name);
        m_runNames.push_back(std::move(runNames));
        for (const double size : family.sizes)
            maxSize = std::max(maxSize, size);
        m_families.push_back(LearningCurveFamily{QString::fromStdString(family.name), std::move(family.sizes),
                                                 std::move(family.values), std::move(family.fit)});
    }

    if (m_families.empty()) {
        m_emptyHint->setText(
            m_context->runModel()->runs().empty()
                ? tr("No runs yet: drop log folders here. A learning curve needs runs that log a metric and "
                     "a "
                     "training-set size param (e.g. n_train in hparams.yaml).")
                : tr("No visible run has both the metric and a positive size: choose a metric and a size "
                     "param (e.g. n_train), or show more runs in the run table."));
        m_stack->setCurrentIndex(0);
        return;
    }
    m_stack->setCurrentIndex(1);
    if (m_extrapolate->value() <= 0) {
        m_refilling = true;
        m_extrapolate->setValue(maxSize * 10);
        m_refilling = false;
    }
    m_view->replaceChart(buildLearningCurveChart(m_families, m_metric->currentText(), m_size->currentText(),
                                                 m_extrapolate->value()));
    updateSummary();
}

void LearningCurveView::updateSummary() {
    QStringList lines;
    const double at = m_extrapolate->value();
    for (const auto& family : m_families) {
        const QString runs = tr("%n run(s)", nullptr, static_cast<int>(family.sizes.size()));
        if (!family.fit.ok) {
            lines
                << tr("%1 (%2): no fit: %3").arg(family.name, runs, QString::fromStdString(family.fit.error));
            continue;
        }
        QString line = tr("%1 (%2): %3 = %4 * size^%5 + %6")
                           .arg(family.name, runs, m_metric->currentText(), number(family.fit.a),
                                QString::number(family.fit.b, 'f', 3), number(family.fit.c));
        if (at > 0) {
            const PowerLawPrediction p = predictPowerLaw(family.fit, at);
            line += tr("; at %1: %2, 95% interval of the mean curve [%3, %4], 95% prediction interval for "
                       "one new run [%5, %6]")
                        .arg(number(at), number(p.value), number(p.lower), number(p.upper),
                             number(p.predictionLower), number(p.predictionUpper));
        }
        lines << line;
    }
    const QString verdict = compareLearningCurves(m_families, higherIsBetter());
    if (!verdict.isEmpty()) lines << verdict;
    m_summary->setText(lines.join(QLatin1Char('\n')));
}

bool LearningCurveView::exportImage(const QString& path, QString* error) {
    if (m_families.empty()) {
        if (error) *error = tr("nothing to export: no learning curve is shown");
        return false;
    }
    // A fresh chart, so the export does not disturb the zoom of the one on screen.
    std::unique_ptr<QChart> chart(buildLearningCurveChart(m_families, m_metric->currentText(),
                                                          m_size->currentText(), m_extrapolate->value()));
    return exportChart(chart.get(), QSize(1100, 700), path, error);
}

bool LearningCurveView::exportCsv(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const auto quoted = [](const QString& text) { return csvField(text, CsvQuoting::Always); };
    QByteArray text = "run,family,size,value,fitted\n";
    for (std::size_t k = 0; k < m_families.size(); ++k) {
        const auto& family = m_families[k];
        for (std::size_t i = 0; i < family.sizes.size(); ++i) {
            const QString fitted =
                family.fit.ok ? QString::number(family.fit.valueAt(family.sizes[i]), 'g', 17) : QString();
            text += QStringLiteral("%1,%2,%3,%4,%5\n")
                        .arg(quoted(m_runNames[k].value(static_cast<qsizetype>(i))), quoted(family.name),
                             QString::number(family.sizes[i], 'g', 17),
                             QString::number(family.values[i], 'g', 17), fitted)
                        .toUtf8();
        }
    }
    if (file.write(text) != text.size()) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void LearningCurveView::buildExportMenu(QToolButton* button) {
    auto* menu = new QMenu(button);
    for (const QString& suffix : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")})
        menu->addAction(tr("Export chart as %1...").arg(suffix.toUpper()), this,
                        [this, suffix] { askAndExport(suffix); });
    menu->addAction(tr("Export data as CSV..."), this, [this] { askAndExport(QStringLiteral("csv")); });
    button->setMenu(menu);
}

QWidget* LearningCurveView::buildScoresPanel() {
    m_scoresPanel = new QWidget;
    m_scoresPanel->setObjectName("learningCurveScoresPanel");
    auto* title = new QLabel(tr("<b>Train and validation scores</b>"));
    m_scoresLogX = new QCheckBox(tr("Log &x"));
    m_scoresLogX->setToolTip(tr("Log-scale the training-set size axis"));
    m_scoresExport = new QToolButton;
    m_scoresExport->setText(tr("Export"));
    m_scoresExport->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_scoresExport);
    for (const QString& suffix : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")})
        menu->addAction(tr("Export scores chart as %1...").arg(suffix.toUpper()), this,
                        [this, suffix] { askAndExportScores(suffix); });
    menu->addAction(tr("Export scores as CSV..."), this,
                    [this] { askAndExportScores(QStringLiteral("csv")); });
    m_scoresExport->setMenu(menu);

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch();
    header->addWidget(m_scoresLogX);
    header->addWidget(m_scoresExport);

    m_scoresHint = new QLabel;
    m_scoresHint->setObjectName("learningCurveScoresHint");
    m_scoresHint->setWordWrap(true);
    m_scoresView = new InteractiveChartView;
    m_scoresView->setRenderHint(QPainter::Antialiasing);
    m_scoresView->setMinimumHeight(240);
    m_scoresDiagnosis = new QLabel;
    m_scoresDiagnosis->setObjectName("learningCurveScoresDiagnosis");
    m_scoresDiagnosis->setWordWrap(true);
    m_scoresDiagnosis->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scoresPage = new QWidget;
    auto* pageLayout = new QVBoxLayout(m_scoresPage);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(m_scoresView, 1);
    pageLayout->addWidget(m_scoresDiagnosis);

    auto* layout = new QVBoxLayout(m_scoresPanel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_scoresHint);
    layout->addWidget(m_scoresPage, 1);

    connect(m_scoresLogX, &QCheckBox::toggled, this, [this](bool logX) {
        if (!m_scoreRuns.empty()) m_scoresView->replaceChart(buildScoreCurveChart(m_scoreRuns, logX));
    });
    return m_scoresPanel;
}

void LearningCurveView::recomputeScores() {
    m_scoreRuns.clear();
    const std::string trainTag(kLearningCurveTrainTag);
    const std::string validationTag(kLearningCurveValidationTag);
    const Workspace* workspace = m_context->workspace();
    const RunTableModel* model = m_context->runModel();
    for (const RunInfo* run : workspace ? model->visibleRuns() : std::vector<const RunInfo*>{}) {
        const bool hasTrain = findSeries(*run, trainTag) != nullptr;
        const bool hasValidation = findSeries(*run, validationTag) != nullptr;
        if (!hasTrain && !hasValidation) continue;
        ScoreCurveRun scores{QString::fromStdString(run->name), model->colorOf(run->id), {}, {}};
        if (hasTrain) scores.train = learningCurveScores(workspace->readSeries(run->id, trainTag));
        if (hasValidation)
            scores.validation = learningCurveScores(workspace->readSeries(run->id, validationTag));
        if (scores.train.empty() && scores.validation.empty()) continue;
        m_scoreRuns.push_back(std::move(scores));
    }
    const bool empty = m_scoreRuns.empty();
    m_scoresPage->setVisible(!empty);
    m_scoresHint->setVisible(empty);
    m_scoresLogX->setEnabled(!empty);
    m_scoresExport->setEnabled(!empty);
    if (auto* box = qobject_cast<QVBoxLayout*>(layout())) box->setStretchFactor(m_scoresPanel, empty ? 0 : 1);
    if (empty) {
        m_scoresHint->setText(
            tr("No visible run has a learning-curve log. Import the scores of scikit-learn's learning_curve "
               "saved as CSV (train_size, fold, train_score, test_score; or train_score_0.., test_score_0..) "
               "to see train and validation curves here."));
        m_scoresDiagnosis->clear();
        return;
    }
    m_scoresView->replaceChart(buildScoreCurveChart(m_scoreRuns, m_scoresLogX->isChecked()));
    QStringList lines;
    for (const ScoreCurveRun& run : m_scoreRuns) {
        const LearningCurveDiagnosis d = diagnoseLearningCurve(run.train, run.validation);
        lines << QStringLiteral("%1: %2").arg(run.name, QString::fromStdString(d.sentence));
    }
    m_scoresDiagnosis->setText(lines.join(QLatin1Char('\n')));
}

bool LearningCurveView::scoresShowEmptyState() const {
    return m_scoresPage->isHidden();
}

QChart* LearningCurveView::scoresChart() const {
    return m_scoresView->chart();
}

QString LearningCurveView::scoresDiagnosisText() const {
    return m_scoresDiagnosis->text();
}

bool LearningCurveView::exportScoresImage(const QString& path, QString* error) {
    if (m_scoreRuns.empty()) {
        if (error) *error = tr("nothing to export: no visible run has a learning-curve log");
        return false;
    }
    std::unique_ptr<QChart> chart(buildScoreCurveChart(m_scoreRuns, m_scoresLogX->isChecked()));
    return exportChart(chart.get(), QSize(1100, 700), path, error);
}

bool LearningCurveView::exportScoresCsv(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const auto quoted = [](const QString& text) { return csvField(text, CsvQuoting::Always); };
    QByteArray text = "run,set,size,mean,std,folds\n";
    for (const ScoreCurveRun& run : m_scoreRuns)
        for (const auto& [set, scores] :
             {std::pair{"train", &run.train}, std::pair{"validation", &run.validation}})
            for (const LearningCurveScore& s : *scores)
                text += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                            .arg(quoted(run.name), QLatin1String(set), QString::number(s.size),
                                 QString::number(s.mean, 'g', 17), QString::number(s.std, 'g', 17),
                                 QString::number(s.folds))
                            .toUtf8();
    if (file.write(text) != text.size()) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void LearningCurveView::askAndExportScores(const QString& suffix) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export train and validation scores"), QStringLiteral("learning_curve_scores.") + suffix,
        suffix.toUpper() + QStringLiteral(" (*.") + suffix + ')');
    if (path.isEmpty()) return;
    QString error;
    const bool ok =
        suffix == QLatin1String("csv") ? exportScoresCsv(path, &error) : exportScoresImage(path, &error);
    if (!ok)
        m_scoresDiagnosis->setText(m_scoresDiagnosis->text() + QLatin1Char('\n') +
                                   tr("Export failed: %1").arg(error));
}

void LearningCurveView::askAndExport(const QString& suffix) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export learning curve"), QStringLiteral("learning_curve.") + suffix,
        suffix.toUpper() + QStringLiteral(" (*.") + suffix + ')');
    if (path.isEmpty()) return;
    QString error;
    const bool ok = suffix == QLatin1String("csv") ? exportCsv(path, &error) : exportImage(path, &error);
    if (!ok) m_summary->setText(m_summary->text() + QLatin1Char('\n') + tr("Export failed: %1").arg(error));
}

} // namespace runlens::ui
