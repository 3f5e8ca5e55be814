// The "Prediction log columns" dialog: previews a prediction log and lets the user choose each column's role.
#pragma once

#include "core/io/prediction_reader.h"

#include <QDialog>
#include <QString>
#include <QStringList>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace runlens::ui {

// The first rows of a prediction log, read from a bounded head of the file (never the whole file).
struct PredictionPreview {
    QStringList columns;
    std::vector<bool> arrayColumns; // JSONL list columns expanded to "<key>[i]", as the reader does
    QList<QStringList> rows;        // cells as text, one list per row, padded to the column count
    QString error;                  // why there is nothing to preview (empty, binary, a huge first line)
    QString note;                   // a harmless remark, e.g. bytes that are not UTF-8

    bool ok() const { return error.isEmpty() && !columns.isEmpty(); }
};

// Reads at most maxBytes from the start of path and parses up to maxRows data rows after the header
// (CSV/TSV by separator, JSONL one object per line).
PredictionPreview readPredictionPreview(const QString& path, int maxRows = 20, qint64 maxBytes = 64 * 1024);

// The roles the dialog offers, in combo order.
enum class PreviewRole { Ignore, Id, Label, Score, ClassProbability, Prediction, Feature };

// The class a class-probability column is for: "prob_cat" -> "cat", "probs[2]" -> "2", else the name.
QString classNameForColumn(const QString& column);
// Roles as PredictionLogReader recognises them by name (the first column claims label/score/prediction/id).
std::vector<PreviewRole> recogniseRoles(const PredictionPreview& preview);
// Why the roles do not make an evaluation set, in one line; empty when they do.
QString rolesProblem(const QStringList& columns, const std::vector<PreviewRole>& roles);
// Reader roles that spell out every previewed column's choice, so name recognition cannot override it.
PredictionRoles toPredictionRoles(const QStringList& columns, const std::vector<PreviewRole>& roles,
                                  const QString& positiveClass);

class PredictionRolesDialog : public QDialog {
    Q_OBJECT
  public:
    // runNames: the workspace's runs for the target combo; targetRun preselects one (empty: a new run
    // named after the file).
    PredictionRolesDialog(const QString& path, const QStringList& runNames, const QString& targetRun = {},
                          QWidget* parent = nullptr);

    const PredictionPreview& preview() const { return m_preview; }
    std::vector<PreviewRole> chosenRoles() const;
    PredictionRoles roles() const;
    QString setName() const;
    QString runName() const; // the chosen run, or the file's stem for a new run
    QString problem() const; // the one-line reason OK is disabled; empty when it is enabled
    bool canAccept() const;

    QTableWidget* previewTable() const { return m_table; }
    QComboBox* roleCombo(int column) const; // nullptr outside the columns
    QLineEdit* positiveEdit() const { return m_positive; }
    QLineEdit* setNameEdit() const { return m_setName; }
    QComboBox* runCombo() const { return m_run; }
    QPushButton* okButton() const { return m_ok; }

  private:
    void buildPreviewTable();
    void updateState();

    QString m_path;
    PredictionPreview m_preview;
    QTableWidget* m_table;
    std::vector<QComboBox*> m_combos;
    QLineEdit* m_positive;
    QLineEdit* m_setName;
    QComboBox* m_run;
    QLabel* m_problem;
    QPushButton* m_ok = nullptr;
};

} // namespace runlens::ui
