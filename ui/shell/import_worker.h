// Runs an import off the GUI thread on its own workspace connection, with progress and cancel.
#pragma once

#include "core/import/importer.h"
#include "core/io/prediction_reader.h"

#include <atomic>
#include <memory>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>

namespace runlens::ui {

// What one background import produced; error is set when the workspace could not be written at all.
struct ImportOutcome {
    ImportSummary summary;
    QString error;
};

// Extra settings of one import. With predictions set, every file is read as a prediction log with these
// roles into runName (the desktop's "attach predictions to a run").
struct ImportRequest {
    QString runName; // empty: runs named as usual
    bool predictions = false;
    PredictionRoles roles; // empty: columns recognised by name
    QString setName;       // evaluation set name; empty: derived from the file name
};

class ImportWorker : public QObject {
    Q_OBJECT
  public:
    explicit ImportWorker(QObject* parent = nullptr);
    ~ImportWorker() override; // cancels and waits, so the worker never outlives the window

    // Starts importing paths into the workspace file; false when an import is already running.
    bool start(const QStringList& paths, const QString& workspacePath);
    bool start(const QStringList& paths, const QString& workspacePath, const ImportRequest& request);
    void cancel();
    // True from start() until finished() has been delivered (the future may end a little earlier).
    bool isRunning() const { return m_running; }
    const ImportOutcome& outcome() const { return m_outcome; } // valid after finished()

  signals:
    void progress(qint64 filesDone, qint64 filesTotal, qint64 bytesDone, qint64 bytesTotal,
                  const QString& file);
    void finished();

  private:
    void onFinished();

    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFutureWatcher<ImportOutcome> m_watcher;
    ImportOutcome m_outcome;
    bool m_running = false;
};

} // namespace runlens::ui
