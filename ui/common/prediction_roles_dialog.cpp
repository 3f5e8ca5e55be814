// Bounded preview of a prediction log and the dialog that maps its columns to evaluation roles.
#include "ui/common/prediction_roles_dialog.h"

#include "core/io/csv_tokenizer.h"
#include "core/model/number_text.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <simdjson.h>
#include <string>

namespace runlens::ui {
namespace {

// A row with thousands of list items would make thousands of combos; the rest keep name recognition.
constexpr int kMaxPreviewColumns = 256;

QString fromBytes(std::string_view bytes) {
    return QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size())); // bad bytes become U+FFFD
}

// A JSON number as text, as a class name or id is written: 1 -> "1", 0.25 -> "0.25".
QString numberText(double v) {
    return QString::fromStdString(runlens::numberText(v));
}

bool isJsonlSuffix(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson");
}

// Columns seen so far and the cells of the current row, keyed by column.
class PreviewBuilder {
  public:
    explicit PreviewBuilder(PredictionPreview& preview) : m_preview(preview) {}

    // The column's index, adding it when new; -1 once the column cap is reached.
    int column(const QString& name, bool array = false) {
        const auto it = m_index.constFind(name);
        if (it != m_index.constEnd()) return *it;
        if (m_preview.columns.size() >= kMaxPreviewColumns) {
            m_preview.note =
                QObject::tr("Only the first %1 columns are shown; the others keep their roles by name.")
                    .arg(kMaxPreviewColumns);
            return -1;
        }
        m_index.insert(name, int(m_preview.columns.size()));
        m_preview.columns << name;
        m_preview.arrayColumns.push_back(array);
        return int(m_preview.columns.size()) - 1;
    }
    void set(QStringList& row, int column, const QString& text) {
        if (column < 0) return;
        while (row.size() <= column)
            row << QString();
        row[column] = text;
    }
    void finish() {
        for (QStringList& row : m_preview.rows)
            while (row.size() < m_preview.columns.size())
                row << QString();
    }

  private:
    PredictionPreview& m_preview;
    QHash<QString, int> m_index;
};

void previewDelimited(const QString& path, const std::string& bytes, int maxRows,
                      PredictionPreview& preview) {
    CsvOptions options;
    if (QFileInfo(path).suffix().compare(QLatin1String("tsv"), Qt::CaseInsensitive) == 0)
        options.separator = '\t';
    CsvTokenizer tok(options);
    ReadReport report;
    tok.openMemory(bytes, &report, path.toStdString());
    CsvRow row;
    if (!tok.next(row)) {
        preview.error = report.issues.empty() ? QObject::tr("no header line")
                                              : QString::fromStdString(report.issues.front().toString());
        return;
    }
    PreviewBuilder builder(preview);
    std::vector<int> slot;
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
        // The same names the reader gives: blank headers get column_<n>, repeated ones a _<n> suffix.
        QString name = fromBytes(textnum::trim(row.fields[i]));
        if (name.isEmpty()) name = QStringLiteral("column_%1").arg(slot.size() + 1);
        if (preview.columns.contains(name)) name += QStringLiteral("_%1").arg(slot.size() + 1);
        slot.push_back(builder.column(name));
    }
    while (preview.rows.size() < maxRows && tok.next(row)) {
        if (row.fields.size() == 1 && textnum::trim(row.fields[0]).empty()) continue;
        QStringList cells;
        for (std::size_t i = 0; i < row.fields.size() && i < slot.size(); ++i)
            builder.set(cells, slot[i], fromBytes(textnum::trim(row.fields[i])));
        preview.rows << cells;
    }
    builder.finish();
}

void addJsonCell(PreviewBuilder& builder, QStringList& cells, const QString& key,
                 simdjson::dom::element value) {
    using simdjson::dom::element_type;
    switch (value.type()) {
    case element_type::INT64:
        builder.set(cells, builder.column(key), QString::number(qint64(std::int64_t(value))));
        return;
    case element_type::UINT64:
        builder.set(cells, builder.column(key), QString::number(quint64(std::uint64_t(value))));
        return;
    case element_type::DOUBLE:
        builder.set(cells, builder.column(key), numberText(double(value)));
        return;
    case element_type::BOOL:
        builder.set(cells, builder.column(key), bool(value) ? QStringLiteral("1") : QStringLiteral("0"));
        return;
    case element_type::NULL_VALUE:
        builder.set(cells, builder.column(key), QString());
        return;
    case element_type::STRING:
        builder.set(cells, builder.column(key), fromBytes(std::string_view(value)));
        return;
    case element_type::ARRAY: {
        int i = 0;
        for (auto item : simdjson::dom::array(value)) {
            const int col = builder.column(QStringLiteral("%1[%2]").arg(key).arg(i++), true);
            if (col < 0) break;
            builder.set(cells, col,
                        item.is_number() ? numberText(item.get_double().value_unsafe()) : QString());
        }
        return;
    }
    case element_type::OBJECT:
        return; // the reader leaves nested objects out too
    }
}

void previewJsonl(const std::string& bytes, int maxRows, PredictionPreview& preview) {
    simdjson::dom::parser parser;
    PreviewBuilder builder(preview);
    std::string_view rest = bytes;
    int lineNo = 0;
    int badLine = 0;
    while (!rest.empty() && preview.rows.size() < maxRows) {
        const auto nl = rest.find('\n');
        std::string_view line = textnum::trim(rest.substr(0, nl));
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        ++lineNo;
        if (line.empty()) continue;
        simdjson::dom::object object;
        if (parser.parse(line.data(), line.size(), true).get(object)) {
            if (badLine == 0) badLine = lineNo;
            continue;
        }
        QStringList cells;
        for (auto field : object)
            addJsonCell(builder, cells, fromBytes(field.key), field.value);
        preview.rows << cells;
    }
    builder.finish();
    if (preview.rows.isEmpty())
        preview.error = badLine > 0 ? QObject::tr("line %1 is not a JSON object").arg(badLine)
                                    : QObject::tr("no JSON object in the file");
    else if (badLine > 0)
        preview.note =
            QObject::tr("Line %1 is not a JSON object; the import will skip such lines.").arg(badLine);
}

int roleCount(const std::vector<PreviewRole>& roles, PreviewRole wanted) {
    return int(std::count(roles.begin(), roles.end(), wanted));
}

bool isBinary(const std::vector<PreviewRole>& roles) {
    return roleCount(roles, PreviewRole::Score) == 1 || roleCount(roles, PreviewRole::ClassProbability) == 2;
}

QString roleText(PreviewRole role, const QString& column) {
    switch (role) {
    case PreviewRole::Ignore:
        return QObject::tr("ignore");
    case PreviewRole::Id:
        return QObject::tr("id");
    case PreviewRole::Label:
        return QObject::tr("label");
    case PreviewRole::Score:
        return QObject::tr("score (binary)");
    case PreviewRole::ClassProbability:
        return QObject::tr("class probability: %1").arg(classNameForColumn(column));
    case PreviewRole::Prediction:
        return QObject::tr("predicted label");
    case PreviewRole::Feature:
        return QObject::tr("feature");
    }
    return {};
}

} // namespace

PredictionPreview readPredictionPreview(const QString& path, int maxRows, qint64 maxBytes) {
    PredictionPreview preview;
    const QFileInfo info(path);
    if (!info.isFile()) {
        preview.error = info.exists() ? QObject::tr("not a regular file") : QObject::tr("no such file");
        return preview;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        preview.error = QObject::tr("cannot open: %1").arg(file.errorString());
        return preview;
    }
    const qint64 size = file.size();
    QByteArray head = file.read(maxBytes);
    if (head.isEmpty()) {
        preview.error = size == 0 ? QObject::tr("the file is empty") : QObject::tr("cannot read the file");
        return preview;
    }
    if (head.contains('\0')) {
        preview.error = QObject::tr("the file holds NUL bytes: binary or UTF-16, not a text log");
        return preview;
    }
    if (size > head.size()) {
        // Only whole lines of the head: the last one is cut off by the read limit.
        const qsizetype nl = head.lastIndexOf('\n');
        if (nl < 0) {
            preview.error =
                QObject::tr("the first line is longer than %1 KiB; a prediction log starts with a "
                            "short header line")
                    .arg(maxBytes / 1024);
            return preview;
        }
        head.truncate(nl + 1);
    }
    const std::string bytes = head.toStdString();
    if (isJsonlSuffix(path))
        previewJsonl(bytes, maxRows, preview);
    else
        previewDelimited(path, bytes, maxRows, preview);
    if (preview.error.isEmpty() && preview.columns.isEmpty()) preview.error = QObject::tr("no columns found");
    if (preview.error.isEmpty() && preview.note.isEmpty() && !CsvTokenizer::isValidUtf8(bytes))
        preview.note = QObject::tr("The file is not valid UTF-8; bytes that are not are shown as \uFFFD.");
    return preview;
}

QString classNameForColumn(const QString& column) {
    std::string cls;
    if (PredictionLogReader::roleForName(column.toStdString(), &cls) == ColumnRole::ClassScore)
        return QString::fromStdString(cls);
    const qsizetype bracket = column.lastIndexOf(QLatin1Char('['));
    if (bracket > 0 && column.endsWith(QLatin1Char(']')))
        return column.mid(bracket + 1, column.size() - bracket - 2);
    return column;
}

std::vector<PreviewRole> recogniseRoles(const PredictionPreview& preview) {
    std::vector<PreviewRole> roles;
    bool taken[4] = {false, false, false, false}; // label, score, prediction, id: the first column wins
    for (qsizetype i = 0; i < preview.columns.size(); ++i) {
        const QString& name = preview.columns[i];
        const bool array =
            std::size_t(i) < preview.arrayColumns.size() && preview.arrayColumns[std::size_t(i)];
        PreviewRole role = PreviewRole::Feature;
        if (array) {
            // A JSONL list under a score-like key is one probability per class, as the reader reads it.
            const QString base = name.left(name.lastIndexOf(QLatin1Char('[')));
            const QString low = base.toLower();
            if (PredictionLogReader::roleForName(base.toStdString()) == ColumnRole::Score ||
                low == QLatin1String("probs") || low == QLatin1String("probabilities") ||
                low == QLatin1String("scores"))
                role = PreviewRole::ClassProbability;
            roles.push_back(role);
            continue;
        }
        int slot = -1;
        switch (PredictionLogReader::roleForName(name.toStdString())) {
        case ColumnRole::Label:
            role = PreviewRole::Label;
            slot = 0;
            break;
        case ColumnRole::Score:
            role = PreviewRole::Score;
            slot = 1;
            break;
        case ColumnRole::Prediction:
            role = PreviewRole::Prediction;
            slot = 2;
            break;
        case ColumnRole::Id:
            role = PreviewRole::Id;
            slot = 3;
            break;
        case ColumnRole::ClassScore:
            role = PreviewRole::ClassProbability;
            break;
        default:
            break;
        }
        if (slot >= 0) {
            if (taken[slot])
                role = PreviewRole::Feature;
            else
                taken[slot] = true;
        }
        roles.push_back(role);
    }
    return roles;
}

QString rolesProblem(const QStringList& columns, const std::vector<PreviewRole>& roles) {
    const int labels = roleCount(roles, PreviewRole::Label);
    const int scores = roleCount(roles, PreviewRole::Score);
    const int classes = roleCount(roles, PreviewRole::ClassProbability);
    if (labels == 0) return QObject::tr("Choose the label column (the true class of each row).");
    if (labels > 1) return QObject::tr("Only one column can be the label.");
    if (scores > 1)
        return QObject::tr("Only one column can be the score; a multiclass log has class probabilities.");
    if (roleCount(roles, PreviewRole::Prediction) > 1)
        return QObject::tr("Only one column can be the predicted label.");
    if (roleCount(roles, PreviewRole::Id) > 1) return QObject::tr("Only one column can be the id.");
    if (scores == 1 && classes > 0)
        return QObject::tr("Choose either one score column (binary) or class probability columns, not both.");
    if (scores == 0 && classes == 0)
        return QObject::tr("Choose a score column (binary) or class probability columns (multiclass).");
    if (classes == 1) return QObject::tr("Choose at least two class probability columns, one per class.");
    QStringList seen;
    for (std::size_t i = 0; i < roles.size() && qsizetype(i) < columns.size(); ++i) {
        if (roles[i] != PreviewRole::ClassProbability) continue;
        const QString cls = classNameForColumn(columns[qsizetype(i)]);
        if (seen.contains(cls))
            return QObject::tr("Two class probability columns are for class '%1'.").arg(cls);
        seen << cls;
    }
    return {};
}

PredictionRoles toPredictionRoles(const QStringList& columns, const std::vector<PreviewRole>& roles,
                                  const QString& positiveClass) {
    PredictionRoles out;
    for (std::size_t i = 0; i < roles.size() && qsizetype(i) < columns.size(); ++i) {
        const QString& column = columns[qsizetype(i)];
        std::string name = column.toStdString();
        switch (roles[i]) {
        case PreviewRole::Ignore:
            out.ignore.push_back(std::move(name));
            break;
        case PreviewRole::Id:
            out.id = std::move(name);
            break;
        case PreviewRole::Label:
            out.label = std::move(name);
            break;
        case PreviewRole::Score:
            out.score = std::move(name);
            break;
        case PreviewRole::ClassProbability:
            out.classScores.emplace_back(std::move(name), classNameForColumn(column).toStdString());
            break;
        case PreviewRole::Prediction:
            out.prediction = std::move(name);
            break;
        case PreviewRole::Feature:
            out.features.push_back(std::move(name));
            break;
        }
    }
    if (isBinary(roles)) out.positiveClass = positiveClass.trimmed().toStdString();
    return out;
}

PredictionRolesDialog::PredictionRolesDialog(const QString& path, const QStringList& runNames,
                                             const QString& targetRun, QWidget* parent)
    : QDialog(parent), m_path(path), m_preview(readPredictionPreview(path)), m_table(new QTableWidget),
      m_positive(new QLineEdit), m_setName(new QLineEdit), m_run(new QComboBox), m_problem(new QLabel) {
    setObjectName(QStringLiteral("predictionRolesDialog"));
    setWindowTitle(tr("Prediction log columns"));
    resize(900, 560);

    auto* fileLabel = new QLabel(tr("<b>%1</b> — choose what each column holds; the first rows are shown.")
                                     .arg(QFileInfo(path).fileName().toHtmlEscaped()));
    fileLabel->setToolTip(path);
    fileLabel->setWordWrap(true);
    auto* note = new QLabel(m_preview.note);
    note->setWordWrap(true);
    note->setVisible(!m_preview.note.isEmpty());

    m_table->setObjectName(QStringLiteral("predictionPreview"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    buildPreviewTable();

    m_positive->setObjectName(QStringLiteral("positiveClass"));
    m_positive->setPlaceholderText(tr("automatic: 1, true, yes, … or the last class in sorted order"));
    m_setName->setObjectName(QStringLiteral("evaluationSetName"));
    m_setName->setText(QString::fromStdString(PredictionLogReader::tableNameFor(path.toStdString())));
    m_run->setObjectName(QStringLiteral("targetRun"));
    for (const QString& run : runNames)
        m_run->addItem(run, run);
    const QString stem = QString::fromStdString(std::filesystem::path(path.toStdString()).stem().string());
    m_run->addItem(tr("New run named after the file (%1)").arg(stem), stem);
    const int preselected = targetRun.isEmpty() ? -1 : runNames.indexOf(targetRun);
    m_run->setCurrentIndex(preselected >= 0 ? preselected : m_run->count() - 1);

    auto* form = new QFormLayout;
    form->addRow(tr("Positive class (binary):"), m_positive);
    form->addRow(tr("Evaluation set:"), m_setName);
    form->addRow(tr("Attach to run:"), m_run);

    m_problem->setObjectName(QStringLiteral("rolesProblem"));
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_problem->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Import"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (canAccept()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_setName, &QLineEdit::textChanged, this, &PredictionRolesDialog::updateState);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(fileLabel);
    layout->addWidget(note);
    layout->addWidget(m_table, 1);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    updateState();
}

void PredictionRolesDialog::buildPreviewTable() {
    const auto& columns = m_preview.columns;
    m_table->setColumnCount(int(columns.size()));
    m_table->setRowCount(m_preview.ok() ? int(m_preview.rows.size()) + 1 : 0);
    m_table->setHorizontalHeaderLabels(columns);
    if (!m_preview.ok()) return;
    QStringList rowLabels{tr("role")};
    for (qsizetype r = 0; r < m_preview.rows.size(); ++r)
        rowLabels << QString::number(r + 1);
    m_table->setVerticalHeaderLabels(rowLabels);

    const std::vector<PreviewRole> recognised = recogniseRoles(m_preview);
    const PreviewRole order[] = {
        PreviewRole::Ignore,           PreviewRole::Id,         PreviewRole::Label,  PreviewRole::Score,
        PreviewRole::ClassProbability, PreviewRole::Prediction, PreviewRole::Feature};
    for (qsizetype c = 0; c < columns.size(); ++c) {
        auto* combo = new QComboBox;
        combo->setObjectName(QStringLiteral("role_%1").arg(c));
        for (PreviewRole role : order)
            combo->addItem(roleText(role, columns[c]), int(role));
        combo->setCurrentIndex(combo->findData(int(recognised[std::size_t(c)])));
        connect(combo, &QComboBox::currentIndexChanged, this, &PredictionRolesDialog::updateState);
        m_table->setCellWidget(0, int(c), combo);
        m_combos.push_back(combo);
    }
    for (qsizetype r = 0; r < m_preview.rows.size(); ++r)
        for (qsizetype c = 0; c < columns.size(); ++c)
            m_table->setItem(int(r) + 1, int(c), new QTableWidgetItem(m_preview.rows[r].value(c)));
    m_table->resizeColumnsToContents();
    for (int c = 0; c < m_table->columnCount(); ++c)
        m_table->setColumnWidth(c, std::min(std::max(m_table->columnWidth(c), 140), 320));
}

std::vector<PreviewRole> PredictionRolesDialog::chosenRoles() const {
    std::vector<PreviewRole> roles;
    for (const QComboBox* combo : m_combos)
        roles.push_back(static_cast<PreviewRole>(combo->currentData().toInt()));
    return roles;
}

PredictionRoles PredictionRolesDialog::roles() const {
    return toPredictionRoles(m_preview.columns, chosenRoles(), m_positive->text());
}

QString PredictionRolesDialog::setName() const {
    return m_setName->text().trimmed();
}

QString PredictionRolesDialog::runName() const {
    return m_run->currentData().toString();
}

QString PredictionRolesDialog::problem() const {
    if (!m_preview.ok()) return tr("Cannot use %1: %2").arg(QFileInfo(m_path).fileName(), m_preview.error);
    const QString roles = rolesProblem(m_preview.columns, chosenRoles());
    if (!roles.isEmpty()) return roles;
    if (setName().isEmpty()) return tr("Name the evaluation set.");
    return {};
}

bool PredictionRolesDialog::canAccept() const {
    return problem().isEmpty();
}

QComboBox* PredictionRolesDialog::roleCombo(int column) const {
    return column >= 0 && std::size_t(column) < m_combos.size() ? m_combos[std::size_t(column)] : nullptr;
}

void PredictionRolesDialog::updateState() {
    const QString reason = problem();
    m_problem->setText(reason);
    m_problem->setVisible(!reason.isEmpty());
    m_ok->setEnabled(reason.isEmpty());
    m_ok->setToolTip(reason);
    m_positive->setEnabled(m_preview.ok() && isBinary(chosenRoles()));
}

} // namespace runlens::ui
