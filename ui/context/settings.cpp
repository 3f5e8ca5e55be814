// Stores and reads Runlens' QSettings keys in one place so their names never drift apart.
#include "ui/context/settings.h"

#include <algorithm>
#include <QCryptographicHash>

namespace runlens::ui {
namespace {

// Paths contain '/', which QSettings treats as groups; a hash keeps one key per workspace.
QString workspaceHash(const QString& workspacePath) {
    const QByteArray hash =
        QCryptographicHash::hash(workspacePath.toUtf8(), QCryptographicHash::Sha1).toHex();
    return QString::fromLatin1(hash.left(16));
}

QString workspaceKey(const QString& workspacePath) {
    return QStringLiteral("importRoots/") + workspaceHash(workspacePath);
}

} // namespace

QByteArray Settings::geometry() const {
    return m_settings.value("window/geometry").toByteArray();
}
void Settings::setGeometry(const QByteArray& geometry) {
    m_settings.setValue("window/geometry", geometry);
}
QByteArray Settings::windowState() const {
    return m_settings.value("window/state").toByteArray();
}
void Settings::setWindowState(const QByteArray& state) {
    m_settings.setValue("window/state", state);
}
QByteArray Settings::splitterState() const {
    return m_settings.value("window/splitter").toByteArray();
}
void Settings::setSplitterState(const QByteArray& state) {
    m_settings.setValue("window/splitter", state);
}

QString Settings::lastWorkspace() const {
    return m_settings.value("workspace/last").toString();
}
void Settings::setLastWorkspace(const QString& path) {
    m_settings.setValue("workspace/last", path);
}

QStringList Settings::recentWorkspaces() const {
    return m_settings.value("workspace/recent").toStringList();
}

void Settings::addRecentWorkspace(const QString& path) {
    QStringList recent = recentWorkspaces();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    m_settings.setValue("workspace/recent", recent);
}

QStringList Settings::importRoots(const QString& workspacePath) const {
    return m_settings.value(workspaceKey(workspacePath)).toStringList();
}

void Settings::addImportRoots(const QString& workspacePath, const QStringList& roots) {
    QStringList known = importRoots(workspacePath);
    for (const QString& root : roots) {
        if (!known.contains(root)) known.append(root);
    }
    m_settings.setValue(workspaceKey(workspacePath), known);
}

CurveDisplay Settings::curveDisplay() const {
    CurveDisplay display;
    display.smoothing =
        std::clamp(m_settings.value("curves/smoothing", display.smoothing).toDouble(), 0.0, 0.999);
    display.smoother = m_settings.value("curves/smoother", display.smoother).toString();
    display.xAxis = m_settings.value("curves/xAxis", display.xAxis).toString();
    display.logY = m_settings.value("curves/logY", display.logY).toBool();
    display.robustY = m_settings.value("curves/robustY", display.robustY).toBool();
    display.showRaw = m_settings.value("curves/showRaw", display.showRaw).toBool();
    display.logX = m_settings.value("curves/logX", display.logX).toBool();
    display.groupBy = m_settings.value("curves/groupBy", display.groupBy).toString();
    display.center = m_settings.value("curves/center", display.center).toString();
    display.band = m_settings.value("curves/band", display.band).toString();
    display.showRunLines = m_settings.value("curves/showRunLines", display.showRunLines).toBool();
    display.combineTags = m_settings.value("curves/combineTags", display.combineTags).toBool();
    display.splitRestarts = m_settings.value("curves/splitRestarts", display.splitRestarts).toBool();
    return display;
}

QString Settings::groupBy(const QString& workspacePath) const {
    const QString key = QStringLiteral("groupBy/") + workspaceHash(workspacePath);
    return m_settings.contains(key) ? m_settings.value(key).toString() : curveDisplay().groupBy;
}

void Settings::setGroupBy(const QString& workspacePath, const QString& groupBy) {
    if (workspacePath.isEmpty()) return;
    m_settings.setValue(QStringLiteral("groupBy/") + workspaceHash(workspacePath), groupBy);
}

QStringList Settings::pinnedCards(const QString& workspacePath) const {
    return m_settings.value(QStringLiteral("pinnedCards/") + workspaceHash(workspacePath)).toStringList();
}

void Settings::setPinnedCards(const QString& workspacePath, const QStringList& cardKeys) {
    if (workspacePath.isEmpty()) return;
    m_settings.setValue(QStringLiteral("pinnedCards/") + workspaceHash(workspacePath), cardKeys);
}

QStringList Settings::collapsedSections(const QString& workspacePath) const {
    return m_settings.value(QStringLiteral("collapsedSections/") + workspaceHash(workspacePath))
        .toStringList();
}

void Settings::setCollapsedSections(const QString& workspacePath, const QStringList& sections) {
    if (workspacePath.isEmpty()) return;
    m_settings.setValue(QStringLiteral("collapsedSections/") + workspaceHash(workspacePath), sections);
}

void Settings::setCurveDisplay(const CurveDisplay& display) {
    m_settings.setValue("curves/smoothing", display.smoothing);
    m_settings.setValue("curves/smoother", display.smoother);
    m_settings.setValue("curves/xAxis", display.xAxis);
    m_settings.setValue("curves/logY", display.logY);
    m_settings.setValue("curves/robustY", display.robustY);
    m_settings.setValue("curves/showRaw", display.showRaw);
    m_settings.setValue("curves/logX", display.logX);
    m_settings.setValue("curves/center", display.center);
    m_settings.setValue("curves/band", display.band);
    m_settings.setValue("curves/showRunLines", display.showRunLines);
    m_settings.setValue("curves/combineTags", display.combineTags);
    m_settings.setValue("curves/splitRestarts", display.splitRestarts);
}

} // namespace runlens::ui
