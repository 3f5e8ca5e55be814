// The Slices tab's result pages: the slice table and chart with the Simpson banner, the finder's and the
// changes' tables, and the exports (split from slices_view.cpp, which builds the controls and runs the jobs).
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/slices/slice_chart.h"
#include "ui/slices/slices_text.h"
#include "ui/slices/slices_view.h"

#include <algorithm>
#include <cmath>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QSpinBox>
#include <QTextStream>

namespace runlens::ui {

using namespace slices_text;

namespace {

constexpr int kExportWidth = 1200;
constexpr int kExportHeight = 750;

} // namespace

void SlicesView::showReport() {
    m_sliceTable->setSortingEnabled(false);
    m_sliceTable->clear();
    m_sliceTable->setRowCount(0);
    if (!m_report) {
        m_sliceTable->setColumnCount(0);
        m_overall->clear();
        m_chartView->replaceChart(new QChart);
        showBanner();
        return;
    }
    const SliceReport& r = *m_report;
    const bool percent = sliceMetricInfo(r.metric).rate;
    const int cohorts = static_cast<int>(r.cohorts.size());
    // The winner comes right after the slice so it stays in view however many cohort columns follow.
    QStringList headers{tr("Slice")};
    if (cohorts > 1) headers << tr("Winner");
    for (const auto& c : r.cohorts)
        headers << tr("%1\nn").arg(qs(c)) << tr("%1\nshare").arg(qs(c))
                << tr("%1\n%2").arg(qs(c), metricLabel(r.metric).toLower())
                << tr("%1\n95% interval").arg(qs(c)) << tr("%1\nzero-rule").arg(qs(c));
    m_sliceTable->setColumnCount(static_cast<int>(headers.size()));
    m_sliceTable->setHorizontalHeaderLabels(headers);
    m_sliceTable->setRowCount(static_cast<int>(r.slices.size()));
    for (std::size_t s = 0; s < r.slices.size(); ++s) {
        const SliceRow& row = r.slices[s];
        std::vector<QTableWidgetItem*> items;
        auto* name = new SortItem(keyText(row.key));
        name->setData(kIndexRole, static_cast<int>(s));
        items.push_back(name);
        if (cohorts > 1)
            items.push_back(new SortItem(row.winner.empty() ? QStringLiteral("-") : qs(row.winner)));
        for (const SliceCell& cell : row.cohorts) {
            items.push_back(new SortItem(QString::number(cell.n), double(cell.n)));
            items.push_back(new SortItem(QString::number(cell.share * 100, 'f', 1) + '%', cell.share));
            const bool empty = cell.n == 0;
            items.push_back(empty ? new SortItem(QStringLiteral("-"), -1e300)
                                  : new SortItem(qs(formatMetricValue(cell.value, percent)), cell.value));
            items.push_back(empty ? new SortItem(QStringLiteral("-"), -1e300)
                                  : new SortItem(QStringLiteral("[%1, %2]")
                                                     .arg(qs(formatMetricValue(cell.ciLow, percent)),
                                                          qs(formatMetricValue(cell.ciHigh, percent))),
                                                 cell.ciHigh - cell.ciLow));
            // What always predicting the slice's majority label scores here, as `slices --json` zero_rule.
            items.push_back(empty || !std::isfinite(cell.zeroRule)
                                ? new SortItem(QStringLiteral("-"), -1e300)
                                : new SortItem(qs(formatMetricValue(cell.zeroRule, percent)), cell.zeroRule));
        }
        setRowItems(m_sliceTable, static_cast<int>(s), items);
    }
    m_sliceTable->setSortingEnabled(true);
    m_sliceTable->resizeColumnsToContents();

    QStringList overall;
    for (int c = 0; c < cohorts; ++c) {
        const SliceCell& cell = r.overall[static_cast<std::size_t>(c)];
        QString text =
            tr("%1 %2 [%3, %4] n=%L5")
                .arg(qs(r.cohorts[static_cast<std::size_t>(c)]), qs(formatMetricValue(cell.value, percent)),
                     qs(formatMetricValue(cell.ciLow, percent)), qs(formatMetricValue(cell.ciHigh, percent)))
                .arg(cell.n);
        if (std::isfinite(cell.zeroRule))
            text += tr(" (zero-rule %1)").arg(qs(formatMetricValue(cell.zeroRule, percent)));
        overall << text;
    }
    QString method = tr("95% %1 intervals").arg(qs(r.intervalMethod));
    if (r.bootstrapResamples > 0)
        method +=
            tr(" (%1 resamples, seed %2)").arg(r.bootstrapResamples).arg(static_cast<qulonglong>(r.seed));
    m_overall->setText(tr("Overall: %1. %2.").arg(overall.join(QStringLiteral("; ")), method));
    m_chartView->replaceChart(buildSliceChart(r));
    showBanner();
}

void SlicesView::showBanner() {
    if (!m_report) {
        m_banner->hide();
        return;
    }
    m_banner->show();
    const SliceReport& r = *m_report;
    if (r.cohorts.size() < 2) {
        m_banner->setStyleSheet(
            QStringLiteral("QLabel { background: palette(alternate-base); padding: 6px; }"));
        m_banner->setText(
            tr("One cohort: nothing to compare. Make two or more runs with this set visible, or "
               "compare by a column."));
        return;
    }
    const SimpsonVerdict& v = r.simpson;
    struct Style {
        const char* background;
        const char* foreground;
        QString title;
    };
    Style style{"#d1e7dd", "#0f5132", tr("No reversal")};
    if (v.reversal == Reversal::Complete)
        style = {"#f8d7da", "#842029", tr("Complete reversal (Simpson's paradox)")};
    if (v.reversal == Reversal::Partial) style = {"#fff3cd", "#664d03", tr("Partial reversal")};
    if (v.reversal == Reversal::Impossible) style = {"#cfe2ff", "#084298", tr("Reversal impossible")};
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; padding: 6px; border-radius: 4px; }")
            .arg(QLatin1String(style.background), QLatin1String(style.foreground)));
    const bool percent = sliceMetricInfo(r.metric).rate;
    QStringList standardized;
    for (const auto& [cohort, value] : v.standardized)
        standardized << qs(cohort).toHtmlEscaped() + ' ' + qs(formatMetricValue(value, percent));
    QStringList mixes;
    for (const auto& [cohort, strata] : v.mix) {
        QStringList parts;
        for (const auto& [stratum, share] : strata)
            parts << QStringLiteral("%1 %2%").arg(qs(stratum).toHtmlEscaped()).arg(share * 100, 0, 'f', 0);
        if (parts.size() > 8) parts = parts.mid(0, 8) << QStringLiteral("…");
        mixes << QStringLiteral("<i>%1</i>: %2")
                     .arg(qs(cohort).toHtmlEscaped(), parts.join(QStringLiteral(", ")));
    }
    QString text = QStringLiteral("<b>%1.</b> %2").arg(style.title, qs(v.explanation).toHtmlEscaped());
    if (!standardized.isEmpty())
        text += tr("<br>Standardised to the pooled mix: %1%2.")
                    .arg(standardized.join(QStringLiteral(", ")),
                         v.standardizedWinner.empty()
                             ? QString()
                             : tr(" (better: %1)").arg(qs(v.standardizedWinner).toHtmlEscaped()));
    if (!mixes.isEmpty()) text += tr("<br>Mix: %1").arg(mixes.join(QStringLiteral("; ")));
    m_banner->setText(text);
}

void SlicesView::showFinder() {
    m_finderTable->setSortingEnabled(false);
    m_finderTable->setRowCount(0);
    if (!m_found) return;
    const auto& slices = m_found->slices;
    m_finderTable->setRowCount(static_cast<int>(slices.size()));
    for (std::size_t i = 0; i < slices.size(); ++i) {
        const FoundSlice& s = slices[i];
        auto* name = new SortItem(keyText(s.key));
        name->setData(kIndexRole, static_cast<int>(i));
        setRowItems(m_finderTable, static_cast<int>(i),
                    {name, new SortItem(QString::number(s.n), double(s.n)),
                     new SortItem(qs(formatMetricValue(s.errorRate, true)), s.errorRate),
                     new SortItem(qs(formatMetricValue(s.restErrorRate, true)), s.restErrorRate),
                     new SortItem(numberText(s.effectSize), s.effectSize),
                     new SortItem(pText(s.pValue), s.pValue), new SortItem(pText(s.qValue), s.qValue),
                     new SortItem(numberText(s.score), s.score)});
    }
    m_finderTable->setSortingEnabled(true);
    m_finderTable->resizeColumnsToContents();
}

void SlicesView::showChanges() {
    m_changesTable->setSortingEnabled(false);
    m_changesTable->setRowCount(static_cast<int>(m_changes.size()));
    for (std::size_t i = 0; i < m_changes.size(); ++i) {
        const SliceChange& c = m_changes[i];
        setRowItems(
            m_changesTable, static_cast<int>(i),
            {new SortItem(keyText(c.key)), new SortItem(QString::number(c.n), double(c.n)),
             new SortItem(qs(formatMetricValue(c.accuracyA, true)), c.accuracyA),
             new SortItem(qs(formatMetricValue(c.accuracyB, true)), c.accuracyB),
             new SortItem(QStringLiteral("%1%2 pp").arg(c.delta > 0 ? "+" : "").arg(c.delta * 100, 0, 'f', 1),
                          c.delta),
             new SortItem(pText(c.pValue), c.pValue), new SortItem(pText(c.qValue), c.qValue)});
    }
    m_changesTable->setSortingEnabled(true);
    m_changesTable->resizeColumnsToContents();
}

void SlicesView::showFoundSlice(int finderRow) {
    const QTableWidgetItem* item = m_finderTable->item(finderRow, 0);
    if (!m_found || !item) return;
    const int index = item->data(kIndexRole).toInt();
    if (index < 0 || index >= static_cast<int>(m_found->slices.size())) return;
    m_finderTable->selectRow(finderRow);
    const auto& key = m_found->slices[static_cast<std::size_t>(index)].key;
    m_highlightKey = key;
    m_updatingControls = true;
    for (int i = 0; i < 3; ++i) {
        const QString feature =
            i < static_cast<int>(key.size()) ? qs(key[static_cast<std::size_t>(i)].first) : kNoFeature;
        const int at = m_featureCombos[i]->findText(feature);
        m_featureCombos[i]->setCurrentIndex(at < 0 ? (i == 0 ? 0 : m_featureCombos[i]->findText(kNoFeature))
                                                   : at);
    }
    // The finder buckets numeric features by quartiles of the one set; match it so the same slice appears.
    m_bucketsSpin->setValue(SliceFinderOptions{}.quantileBuckets);
    m_updatingControls = false;
    scheduleSlices();
}

void SlicesView::highlightSlice() {
    if (m_highlightKey.empty() || !m_report) return;
    for (int row = 0; row < m_sliceTable->rowCount(); ++row) {
        const int index = m_sliceTable->item(row, 0)->data(kIndexRole).toInt();
        auto key = m_report->slices[static_cast<std::size_t>(index)].key;
        auto wanted = m_highlightKey;
        std::sort(key.begin(), key.end());
        std::sort(wanted.begin(), wanted.end());
        if (key != wanted) continue;
        m_sliceTable->selectRow(row);
        m_sliceTable->scrollToItem(m_sliceTable->item(row, 0));
        return;
    }
}

// ---- Export ----

bool SlicesView::exportChartImage(const QString& path, QString* error) {
    if (!m_report) {
        if (error) *error = tr("There is no slice chart to export yet.");
        return false;
    }
    std::unique_ptr<QChart> chart(buildSliceChart(*m_report));
    return exportChart(chart.get(), QSize(kExportWidth, kExportHeight), path, error);
}

bool SlicesView::exportCsv(const QString& path, QString* error) {
    if (!m_report) {
        if (error) *error = tr("There are no slices to export yet.");
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const SliceReport& r = *m_report;
    QTextStream out(&file);
    QStringList header;
    for (const auto& f : r.by)
        header << csvField(qs(f));
    header << "cohort"
           << "metric"
           << "n"
           << "share"
           << "value"
           << "ci_low"
           << "ci_high"
           << "interval"
           << "winner"
           << "zero_rule";
    out << header.join(',') << '\n';
    const QString metric = qs(std::string(sliceMetricInfo(r.metric).name));
    auto writeRow = [&](const QStringList& key, std::size_t c, const SliceCell& cell,
                        const std::string& winner) {
        QStringList fields = key;
        fields << csvField(qs(r.cohorts[c])) << metric << QString::number(cell.n)
               << QString::number(cell.share, 'g', 10) << QString::number(cell.value, 'g', 10)
               << QString::number(cell.ciLow, 'g', 10) << QString::number(cell.ciHigh, 'g', 10)
               << csvField(qs(r.intervalMethod)) << csvField(qs(winner))
               << (std::isfinite(cell.zeroRule) ? QString::number(cell.zeroRule, 'g', 10) : QString());
        out << fields.join(',') << '\n';
    };
    for (const SliceRow& row : r.slices) {
        QStringList key;
        for (const auto& f : r.by) {
            QString value;
            for (const auto& [feature, label] : row.key)
                if (feature == f) value = qs(label);
            key << csvField(value);
        }
        for (std::size_t c = 0; c < r.cohorts.size(); ++c)
            writeRow(key, c, row.cohorts[c], row.winner);
    }
    QStringList overallKey;
    for (std::size_t i = 0; i < r.by.size(); ++i)
        overallKey << QStringLiteral("(overall)");
    for (std::size_t c = 0; c < r.cohorts.size(); ++c)
        writeRow(overallKey, c, r.overall[c], r.cohorts.size() > 1 ? r.simpson.overallWinner : std::string());
    out.flush();
    if (file.error() != QFileDevice::NoError) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void SlicesView::exportChartInteractive(const QString& suffix) {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export slice chart"), QStringLiteral("slices.%1").arg(suffix),
                                     tr("%1 files (*.%2)").arg(suffix.toUpper(), suffix));
    if (path.isEmpty()) return;
    QString error;
    if (!exportChartImage(path, &error))
        m_status->setText(error);
    else
        m_status->setText(tr("Wrote %1").arg(path));
}

void SlicesView::exportCsvInteractive() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export slice data"),
                                                      QStringLiteral("slices.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(path, &error))
        m_status->setText(error);
    else
        m_status->setText(tr("Wrote %1").arg(path));
}

} // namespace runlens::ui
