// Background import: QtConcurrent runs importPaths on a second Workspace connection (SQLite WAL allows it).
#include "ui/shell/import_worker.h"

#include "core/store/workspace.h"

#include <chrono>
#include <exception>
#include <filesystem>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <vector>

namespace runlens::ui {
namespace {

// A registry holding only a prediction-log reader with the request's roles, for attaching predictions.
ReaderRegistry predictionRegistry(const ImportRequest& request) {
    auto reader = std::make_unique<PredictionLogReader>(request.roles);
    reader->setTableName(request.setName.toStdString());
    ReaderRegistry registry;
    registry.add(std::move(reader));
    return registry;
}

ImportOutcome runImport(const std::vector<std::filesystem::path>& paths,
                        const std::filesystem::path& workspacePath, const std::atomic<bool>* cancel,
                        std::function<void(const ImportProgress&)> progress, const ImportRequest& request) {
    ImportOutcome outcome;
    try {
        // A connection of its own: a SQLite connection must not be shared across threads.
        const std::unique_ptr<Workspace> workspace = Workspace::open(workspacePath);
        const ReaderRegistry registry =
            request.predictions ? predictionRegistry(request) : ReaderRegistry::withBuiltins();
        ImportOptions options;
        options.cancel = cancel;
        options.progress = std::move(progress);
        options.runName = request.runName.toStdString();
        if (request.predictions) {
            options.forceFormat = "predictions";
            options.rereadUnchanged = true; // attaching again (other roles, other run) must take effect
        }
        outcome.summary = importPaths(paths, registry, *workspace, options);
    } catch (const std::exception& error) {
        outcome.error = QString::fromStdString(error.what());
    }
    return outcome;
}

} // namespace

ImportWorker::ImportWorker(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<ImportOutcome>::finished, this, &ImportWorker::onFinished);
}

ImportWorker::~ImportWorker() {
    cancel();
    m_watcher.waitForFinished();
}

void ImportWorker::cancel() {
    if (m_cancel) m_cancel->store(true);
}

bool ImportWorker::start(const QStringList& paths, const QString& workspacePath) {
    return start(paths, workspacePath, ImportRequest{});
}

bool ImportWorker::start(const QStringList& paths, const QString& workspacePath,
                         const ImportRequest& request) {
    if (isRunning()) return false;
    m_outcome = {};
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    std::vector<std::filesystem::path> files;
    for (const QString& path : paths)
        files.emplace_back(path.toStdString());

    // Progress arrives on the worker thread; post at most ~20 updates a second to the GUI thread.
    QPointer<ImportWorker> self(this);
    auto lastPost = std::make_shared<std::chrono::steady_clock::time_point>();
    auto report = [self, lastPost](const ImportProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (now - *lastPost < std::chrono::milliseconds(50) && p.filesDone < p.filesTotal) return;
        *lastPost = now;
        const QString file = QString::fromStdString(p.currentFile);
        QMetaObject::invokeMethod(
            self.data(),
            [self, p, file] {
                if (self) emit self->progress(p.filesDone, p.filesTotal, p.bytesDone, p.bytesTotal, file);
            },
            Qt::QueuedConnection);
    };
    const std::shared_ptr<std::atomic<bool>> cancelFlag = m_cancel;
    const std::filesystem::path workspace = workspacePath.toStdString();
    m_running = true;
    m_watcher.setFuture(QtConcurrent::run([files, workspace, cancelFlag, report, request] {
        return runImport(files, workspace, cancelFlag.get(), report, request);
    }));
    return true;
}

void ImportWorker::onFinished() {
    m_outcome = m_watcher.result();
    m_running = false;
    emit finished();
}

} // namespace runlens::ui
