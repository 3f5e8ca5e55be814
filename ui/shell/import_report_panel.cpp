// Fills the import report table from an ImportSummary; the header line stays visible when collapsed.
#include "ui/shell/import_report_panel.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStyle>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {
namespace {

QString severityText(Severity severity) {
    switch (severity) {
    case Severity::Info:
        return QObject::tr("Info");
    case Severity::Warning:
        return QObject::tr("Warning");
    case Severity::Error:
        return QObject::tr("Error");
    }
    return {};
}

QIcon severityIcon(Severity severity) {
    QStyle* style = QApplication::style();
    switch (severity) {
    case Severity::Info:
        return style->standardIcon(QStyle::SP_MessageBoxInformation);
    case Severity::Warning:
        return style->standardIcon(QStyle::SP_MessageBoxWarning);
    case Severity::Error:
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    }
    return {};
}

} // namespace

ImportReportPanel::ImportReportPanel(QWidget* parent)
    : QWidget(parent), m_toggle(new QToolButton(this)), m_headline(new QLabel(this)),
      m_table(new QTableWidget(0, 4, this)) {
    setObjectName(QStringLiteral("importReportPanel"));
    m_toggle->setAutoRaise(true);
    m_toggle->setCheckable(true);
    m_toggle->setToolTip(tr("Show or hide the import report"));
    m_headline->setText(tr("Import report: nothing imported yet"));
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table->setHorizontalHeaderLabels({tr("Severity"), tr("File"), tr("Line"), tr("Message")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(1, 360);

    auto* header = new QHBoxLayout;
    header->setContentsMargins(4, 0, 4, 0);
    header->addWidget(m_toggle);
    header->addWidget(m_headline, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_table);
    connect(m_toggle, &QToolButton::toggled, this, &ImportReportPanel::setExpanded);
    setExpanded(false);
}

void ImportReportPanel::setExpanded(bool expanded) {
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_table->setVisible(expanded);
}

bool ImportReportPanel::isExpanded() const {
    return m_toggle->isChecked();
}
int ImportReportPanel::issueCount() const {
    return m_table->rowCount();
}

void ImportReportPanel::clear() {
    m_table->setRowCount(0);
    m_headline->setText(tr("Import report: nothing imported yet"));
    setExpanded(false);
}

void ImportReportPanel::showSummary(const ImportSummary& summary, const QString& failure) {
    const ReadReport& report = summary.report;
    m_table->setRowCount(0);
    if (!failure.isEmpty()) {
        m_table->insertRow(0);
        m_table->setItem(0, 0,
                         new QTableWidgetItem(severityIcon(Severity::Error), severityText(Severity::Error)));
        m_table->setItem(0, 3, new QTableWidgetItem(failure));
    }
    for (const ReadIssue& issue : report.issues) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0,
                         new QTableWidgetItem(severityIcon(issue.severity), severityText(issue.severity)));
        auto* file = new QTableWidgetItem(QString::fromStdString(issue.file));
        file->setToolTip(file->text());
        m_table->setItem(row, 1, file);
        m_table->setItem(row, 2,
                         new QTableWidgetItem(issue.line > 0 ? QString::number(issue.line) : QString()));
        auto* message = new QTableWidgetItem(QString::fromStdString(issue.message));
        message->setToolTip(message->text());
        m_table->setItem(row, 3, message);
    }
    const qsizetype warnings = static_cast<qsizetype>(report.warningCount());
    const bool errors = report.hasErrors() || !failure.isEmpty();
    QString headline = tr("Import: %n file(s) read", nullptr, static_cast<int>(summary.filesRead));
    headline += tr(", %n run(s) updated", nullptr, static_cast<int>(summary.runs.size()));
    headline += tr(", %L1 points").arg(report.points);
    if (summary.filesUnchanged > 0)
        headline += tr(", %n unchanged", nullptr, static_cast<int>(summary.filesUnchanged));
    if (summary.filesNotLogs > 0)
        headline += tr(", %n not recognised", nullptr, static_cast<int>(summary.filesNotLogs));
    if (warnings > 0) headline += tr(", %n warning(s)", nullptr, static_cast<int>(warnings));
    if (errors) headline += tr(", errors");
    if (report.suppressedIssues > 0)
        headline += tr(" (%n more issue(s) not listed)", nullptr, static_cast<int>(report.suppressedIssues));
    if (summary.cancelled) headline += tr(" (cancelled)");
    if (!failure.isEmpty()) headline = tr("Import failed: %1").arg(failure);
    m_headline->setText(headline);
    setExpanded(m_table->rowCount() > 0);
}

} // namespace runlens::ui
