// Folder watching for the GUI: a QTimer launches WatchSession polls on QtConcurrent with a private
// connection.
#include "ui/shell/watch_controller.h"

#include "core/import/folder_watch.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <QtConcurrent/QtConcurrentRun>
#include <vector>

namespace runlens::ui {

// The session and its connection; the worker holds a shared_ptr while polling, so stop() can drop its own
// reference safely after waiting.
struct WatchController::State {
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<WatchSession> session;
};

namespace {

WatchPollOutcome runPoll(WatchSession& session, Workspace& workspace) {
    WatchPollOutcome outcome;
    try {
        const PollResult result = session.poll(workspace);
        outcome.changed = result.changed;
        outcome.points = result.summary.report.points;
        outcome.pointsSuperseded = result.pointsSuperseded;
        for (const auto& run : result.summary.runs)
            outcome.runs << QString::fromStdString(run);
    } catch (const std::exception& error) {
        outcome.error = QString::fromStdString(error.what());
    }
    return outcome;
}

} // namespace

WatchController::WatchController(QObject* parent) : QObject(parent) {
    connect(&m_timer, &QTimer::timeout, this, &WatchController::launchPoll);
    connect(&m_watcher, &QFutureWatcher<WatchPollOutcome>::finished, this, &WatchController::onPollFinished);
}

WatchController::~WatchController() {
    stop();
}

bool WatchController::start(const QString& workspacePath, const QStringList& roots, int intervalMs,
                            bool restartSemantics) {
    stop();
    m_lastError.clear();
    if (roots.isEmpty()) {
        m_lastError = tr("No folder to watch");
        return false;
    }
    auto state = std::make_shared<State>();
    try {
        state->workspace = Workspace::open(workspacePath.toStdString(), Workspace::Mode::ReadWrite);
    } catch (const std::exception& error) {
        m_lastError = QString::fromStdString(error.what());
        return false;
    }
    std::vector<std::filesystem::path> paths;
    for (const QString& root : roots)
        paths.emplace_back(root.toStdString());
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    ImportOptions options;
    options.cancel = m_cancel.get();
    options.restartSemantics = restartSemantics;
    state->session = std::make_unique<WatchSession>(std::move(paths), std::move(options));
    m_state = std::move(state);
    m_roots = roots;
    m_timer.start(std::max(50, intervalMs));
    emit watchingChanged(true);
    launchPoll();
    return true;
}

void WatchController::stop() {
    m_timer.stop();
    m_pollQueued = false;
    if (m_cancel) m_cancel->store(true);
    m_watcher.waitForFinished();
    const bool wasWatching = m_state != nullptr;
    m_state.reset(); // after the wait: the worker no longer uses the session or the connection
    m_cancel.reset();
    m_roots.clear();
    if (wasWatching) emit watchingChanged(false);
}

void WatchController::pollNow() {
    if (!m_state) return;
    if (m_watcher.isRunning()) {
        m_pollQueued = true;
        return;
    }
    launchPoll();
}

void WatchController::launchPoll() {
    if (!m_state || m_watcher.isRunning()) return;
    const std::shared_ptr<State> state = m_state;
    const std::shared_ptr<std::atomic<bool>> cancel = m_cancel; // kept alive for the worker's reads
    m_watcher.setFuture(
        QtConcurrent::run([state, cancel] { return runPoll(*state->session, *state->workspace); }));
}

void WatchController::onPollFinished() {
    if (!m_state) return; // stopped meanwhile: the result belongs to the old watch
    const WatchPollOutcome outcome = m_watcher.result();
    if (!outcome.error.isEmpty()) {
        m_lastError = outcome.error;
        emit pollFailed(outcome.error);
    } else if (!outcome.runs.isEmpty()) {
        emit runsChanged(outcome.runs, outcome.points - outcome.pointsSuperseded);
    }
    emit pollFinished(outcome.changed);
    if (m_pollQueued) {
        m_pollQueued = false;
        launchPoll();
    }
}

} // namespace runlens::ui
