// Typed access to the QSettings Runlens remembers: window state, workspaces, curve display choices.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace runlens::ui {

// How curve cards draw; shared by the toolbar, the cards and the settings.
struct CurveDisplay {
    double smoothing = 0.6;
    QString smoother = QStringLiteral("ema"); // ema | twema | gaussian | average
    QString xAxis = QStringLiteral("step");   // step | relative | wall
    bool logY = false;
    bool robustY = true; // like TensorBoard's default: one diverging run must not flatten the rest
    bool showRaw = true;
};

class Settings {
  public:
    static constexpr int kMaxRecent = 8;

    Settings() = default;

    QByteArray geometry() const;
    void setGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray& state);

    QString lastWorkspace() const;
    void setLastWorkspace(const QString& path);
    QStringList recentWorkspaces() const;
    void addRecentWorkspace(const QString& path); // moves it to the front, keeps kMaxRecent

    // Folders and files imported into a workspace, so Reload (F5) can read them again.
    QStringList importRoots(const QString& workspacePath) const;
    void addImportRoots(const QString& workspacePath, const QStringList& roots);

    CurveDisplay curveDisplay() const;
    void setCurveDisplay(const CurveDisplay& display);

  private:
    mutable QSettings m_settings;
};

} // namespace runlens::ui
