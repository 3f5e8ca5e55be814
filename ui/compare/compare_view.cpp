// The Compare tab's frame: which runs are compared (A, B and the others), the warnings banner and the four
// pages, each in its own file (compare_run_diff, compare_curves, compare_predictions, compare_ensemble).
#include "ui/compare/compare_view.h"

#include "ui/context/view_context.h"
#include "ui/runs/run_filter.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

CompareView::CompareView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context), m_refreshTimer(new QTimer(this)),
      m_watcher(new QFutureWatcher<std::shared_ptr<const PairedAnalysis>>(this)) {
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(50);
    connect(m_refreshTimer, &QTimer::timeout, this, &CompareView::refresh);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &CompareView::onAnalysisDone);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_emptyHint = new QLabel(this);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto* header = new QHBoxLayout;
    m_pickA = new QComboBox(content);
    m_pickB = new QComboBox(content);
    for (QComboBox* combo : {m_pickA, m_pickB}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(20); // long run names must not set the window's minimum width
    }
    m_pickA->setObjectName("compareA");
    m_pickB->setObjectName("compareB");
    m_pickA->setToolTip(tr("The reference run A, one of the compared runs"));
    m_pickB->setToolTip(tr("The run B compared with A"));
    auto* labelA = new QLabel(tr("<b>&A:</b>"), content);
    labelA->setBuddy(m_pickA);
    auto* labelB = new QLabel(tr("<b>&B:</b>"), content);
    labelB->setBuddy(m_pickB);
    connect(m_pickA, &QComboBox::activated, this, [this](int index) { pick(true, index); });
    connect(m_pickB, &QComboBox::activated, this, [this](int index) { pick(false, index); });
    header->addWidget(labelA);
    header->addWidget(m_pickA);
    header->addWidget(labelB);
    header->addWidget(m_pickB);
    m_runsHeader = new QLabel(content);
    m_runsHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runsHeader->setWordWrap(true); // long run names must not set the window's minimum width
    m_swap = new QToolButton(content);
    m_swap->setText(tr("&Swap A ↔ B"));
    m_swap->setToolTip(tr("Make B the reference run (Alt+S)"));
    connect(m_swap, &QToolButton::clicked, this, &CompareView::swapAB);
    header->addWidget(m_runsHeader, 1);
    header->addWidget(m_swap);
    contentLayout->addLayout(header);
    m_banner = new QLabel(content);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #5c4400; border: 1px solid "
                                           "#e0c060; border-radius: 3px; padding: 6px; }"));
    m_banner->hide();
    contentLayout->addWidget(m_banner);
    m_pages = new QTabWidget(content);
    m_pages->addTab(buildRunsPage(), tr("Runs"));
    m_pages->addTab(buildCurvesPage(), tr("Curves"));
    m_pages->addTab(buildPredictionsPage(), tr("Predictions"));
    m_pages->addTab(buildEnsemblePage(), tr("Ensemble what-if"));
    contentLayout->addWidget(m_pages, 1);
    m_stack->addWidget(content);

    connect(context, &ViewContext::workspaceChanged, this, &CompareView::scheduleRefresh);
    connect(context, &ViewContext::runsChanged, this, &CompareView::scheduleRefresh);
    connect(context, &ViewContext::importFinished, this, &CompareView::scheduleRefresh);
    connect(context->runModel(), &RunTableModel::visibilityChanged, this, &CompareView::scheduleRefresh);
    connect(context->runModel(), &QAbstractItemModel::modelReset, this, &CompareView::scheduleRefresh);
    if (auto* selection = context->runTable()->selectionModel())
        connect(selection, &QItemSelectionModel::selectionChanged, this, &CompareView::scheduleRefresh);
    m_emptyHint->setText(tr("Compare needs two or more runs."));
}

CompareView::~CompareView() {
    m_watcher->waitForFinished();
}

QToolButton* CompareView::exportButton(const QString& what,
                                       std::function<bool(const QString&, QString*)> image,
                                       std::function<bool(const QString&, QString*)> csv) {
    auto* button = new QToolButton(this);
    button->setText(tr("Export"));
    button->setToolTip(tr("Export the %1").arg(what));
    button->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(button);
    auto ask = [this, what](const QString& suffix,
                            const std::function<bool(const QString&, QString*)>& write) {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export %1").arg(what),
                                         QStringLiteral("%1.%2").arg(QString(what).replace(' ', '_'), suffix),
                                         QStringLiteral("*.%1").arg(suffix));
        if (path.isEmpty()) return;
        QString error;
        if (!write(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
    };
    if (image) {
        for (const char* suffix : {"png", "svg", "pdf"})
            menu->addAction(tr("Export %1…").arg(QString::fromLatin1(suffix).toUpper()), this,
                            [ask, image, suffix] { ask(QString::fromLatin1(suffix), image); });
    }
    menu->addAction(tr("Export data as CSV…"), this, [ask, csv] { ask(QStringLiteral("csv"), csv); });
    button->setMenu(menu);
    return button;
}

// ---------------------------------------------------------------------------------------------------------------

void CompareView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_dirty) m_refreshTimer->start();
}

void CompareView::scheduleRefresh() {
    m_dirty = true;
    if (isVisible()) m_refreshTimer->start();
}

void CompareView::refreshNow() {
    m_refreshTimer->stop();
    refresh();
}

bool CompareView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

std::vector<RunInfo> CompareView::chooseRuns() const {
    std::vector<RunInfo> out;
    RunTableModel* model = m_context->runModel();
    std::vector<int> rows;
    if (auto* selection = m_context->runTable()->selectionModel()) {
        for (const QModelIndex& index : selection->selectedRows())
            rows.push_back(index.row());
    }
    if (rows.size() >= 2) {
        std::sort(rows.begin(), rows.end()); // A is the selected run shown first in the table
        for (int proxyRow : rows) {
            const QModelIndex source = m_context->runProxy()->mapToSource(
                m_context->runProxy()->index(proxyRow, RunTableModel::kNameColumn));
            const RunInfo* run = model->runAt(source.row()); // a worker row stands for its run
            const bool seen = run && std::any_of(out.begin(), out.end(),
                                                 [&](const RunInfo& chosen) { return chosen.id == run->id; });
            if (run && !seen) out.push_back(*run);
        }
        if (out.size() >= 2) return out;
        out.clear();
    }
    for (const RunInfo* run : model->visibleRuns())
        out.push_back(*run);
    return out;
}

void CompareView::swapAB() {
    if (m_runs.size() < 2) return;
    m_chosenA = m_runs[1].id;
    m_chosenB = m_runs[0].id;
    refreshNow();
}

// A run picked as A or B; picking the other side's run swaps the two.
void CompareView::pick(bool a, int index) {
    if (m_runs.size() < 2 || index < 0) return;
    const std::int64_t id = (a ? m_pickA : m_pickB)->itemData(index).toLongLong();
    const std::int64_t other = a ? m_runs[1].id : m_runs[0].id;
    const std::int64_t previous = a ? m_runs[0].id : m_runs[1].id;
    m_chosenA = a ? id : (id == m_runs[0].id ? previous : m_runs[0].id);
    m_chosenB = a ? (id == other ? previous : other) : id;
    refreshNow();
}

void CompareView::refresh() {
    m_dirty = false;
    Workspace* ws = m_context->workspace();
    m_runs = ws ? chooseRuns() : std::vector<RunInfo>{};
    // The picked A and B come first when they are still among the compared runs.
    const auto moveTo = [this](std::int64_t id, std::size_t position) {
        const auto it = std::find_if(m_runs.begin() + static_cast<std::ptrdiff_t>(position), m_runs.end(),
                                     [id](const RunInfo& r) { return r.id == id; });
        if (it != m_runs.end())
            std::rotate(m_runs.begin() + static_cast<std::ptrdiff_t>(position), it, it + 1);
    };
    if (m_runs.size() >= 2) {
        moveTo(m_chosenA, 0);
        moveTo(m_chosenB, 1);
    }
    m_evalSets.clear();
    if (!ws) {
        m_emptyHint->setText(
            tr("No workspace is open: open one (Ctrl+O) or drop log folders onto the window."));
    } else if (m_runs.size() < 2) {
        m_emptyHint->setText(
            tr("Compare needs two or more runs: select them in the run table (Ctrl+click) or tick "
               "their visibility boxes. The first is A, the second B."));
    }
    if (!ws || m_runs.size() < 2) {
        m_stack->setCurrentIndex(0);
        m_runs.clear();
        m_diffModel->setDiff({}, {});
        m_paired.reset();
        m_flipsModel->setAnalysis(nullptr);
        return;
    }
    for (const RunInfo& run : m_runs) {
        try {
            m_evalSets.push_back(ws->predictionTables(run.id));
        } catch (const WorkspaceError&) {
            m_evalSets.emplace_back();
        }
    }
    m_stack->setCurrentIndex(1);
    updateRunsHeader();
    refreshDiff();
    const QStringList warnings = comparabilityWarnings(m_runs, m_evalSets);
    m_banner->setText(QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
    m_banner->setVisible(!warnings.isEmpty());
    refreshCurveChoices();
    refreshEvalSets();
}

void CompareView::updateRunsHeader() {
    for (QComboBox* combo : {m_pickA, m_pickB}) {
        const QSignalBlocker block(combo);
        combo->clear();
        for (const RunInfo& run : m_runs)
            combo->addItem(QString::fromStdString(run.name), QVariant::fromValue<qlonglong>(run.id));
    }
    m_pickA->setCurrentIndex(0);
    m_pickB->setCurrentIndex(1);
    QStringList others;
    for (std::size_t i = 2; i < m_runs.size(); ++i)
        others << QString::fromStdString(m_runs[i].name);
    QString text;
    // A few names read well; dozens would only widen the window, so the rest are counted (all in the
    // tooltip).
    constexpr qsizetype kNamedOthers = 4;
    if (!others.isEmpty()) {
        const QStringList named = others.mid(0, kNamedOthers);
        text += tr("<b>also:</b> %1").arg(named.join(", ").toHtmlEscaped());
        if (others.size() > kNamedOthers) text += tr(" and %1 more").arg(others.size() - kNamedOthers);
    }
    m_runsHeader->setText(text);
    m_runsHeader->setToolTip(others.isEmpty() ? QString() : tr("Also compared: %1").arg(others.join(", ")));
}

QString CompareView::bannerText() const {
    return m_banner->isHidden() ? QString() : m_banner->text();
}

} // namespace runlens::ui
