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
    bool logX = false;
    // Grouping: runs with equal values of this param (or equal first capture of a "re:" regex over the
    // run name) are drawn as one centre line with a band. Empty: no grouping.
    QString groupBy;
    QString center = QStringLiteral("mean"); // mean | median
    QString band = QStringLiteral("std");    // minmax | std | stderr | ci95
    bool showRunLines = false;               // the member runs as thin lines behind their group
    bool combineTags = false;                // train/loss and val/loss on one "loss" card
    bool splitRestarts = false;              // a series whose step goes back is drawn as separate pieces
    bool operator==(const CurveDisplay&) const = default;
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

    // The display settings shared by every workspace. groupBy is not among them (params differ between
    // workspaces): it is kept per workspace, and the shared file's curves/groupBy is only a first default.
    CurveDisplay curveDisplay() const;
    void setCurveDisplay(const CurveDisplay& display);
    QString groupBy(const QString& workspacePath) const;
    void setGroupBy(const QString& workspacePath, const QString& groupBy);
    // The Curves tab's pinned cards (in pin order) and collapsed sections, per workspace.
    QStringList pinnedCards(const QString& workspacePath) const;
    void setPinnedCards(const QString& workspacePath, const QStringList& cardKeys);
    QStringList collapsedSections(const QString& workspacePath) const;
    void setCollapsedSections(const QString& workspacePath, const QStringList& sections);

  private:
    mutable QSettings m_settings;
};

} // namespace runlens::ui
