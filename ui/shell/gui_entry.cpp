// runGui: the QApplication, the command line of the desktop app, and the hidden --screenshot mode.
#include "ui/shell/gui_entry.h"

#include "ui/shell/main_window.h"
#include "ui/shell/standard_views.h"

#include <cstdio>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QImage>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

namespace runlens::ui {
namespace {

constexpr int kScreenshotWidth = 1400;
constexpr int kScreenshotHeight = 900;
constexpr int kScreenshotTimeoutMs = 120000;

// Waits until imports are done and the visible cards have drawn, then saves a grab of the window and quits.
class ScreenshotTaker : public QObject {
  public:
    ScreenshotTaker(MainWindow& window, QString path, QString tab)
        : QObject(&window), m_window(window), m_path(std::move(path)), m_tab(std::move(tab)) {
        m_clock.start();
        connect(&m_poll, &QTimer::timeout, this, &ScreenshotTaker::poll);
        m_poll.start(100);
    }

  private:
    void poll() {
        m_idlePolls = m_window.hasPendingWork() ? 0 : m_idlePolls + 1;
        const bool timedOut = m_clock.elapsed() > kScreenshotTimeoutMs;
        if (m_idlePolls < 8 && !timedOut) // ~800 ms of idleness lets the lazy cards build and paint
            return;
        if (!m_tab.isEmpty() && !m_tabShown) {
            // Show the requested tab, then give its background computation a few seconds to finish drawing.
            auto* tabs = m_window.tabs();
            for (int i = 0; i < tabs->count(); ++i)
                if (tabs->tabText(i).remove(QLatin1Char('&')).compare(m_tab, Qt::CaseInsensitive) == 0)
                    tabs->setCurrentIndex(i);
            m_tabShown = true;
            m_idlePolls = -30;
            return;
        }
        m_poll.stop();
        const bool saved = m_window.grab().save(m_path);
        if (!saved)
            std::fprintf(stderr, "runlens: cannot write screenshot %s\n", qPrintable(m_path));
        else if (timedOut)
            std::fprintf(stderr, "runlens: screenshot taken after a %d s timeout\n",
                         kScreenshotTimeoutMs / 1000);
        QApplication::exit(saved ? 0 : 1);
    }

    MainWindow& m_window;
    QString m_path;
    QString m_tab;
    bool m_tabShown = false;
    QTimer m_poll;
    QElapsedTimer m_clock;
    int m_idlePolls = 0;
};

} // namespace

int runGui(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Runlens"));
    QApplication::setOrganizationDomain(QStringLiteral("runlens.io"));
    QApplication::setApplicationName(QStringLiteral("Runlens"));
    QApplication::setApplicationDisplayName(QStringLiteral("Runlens"));
#ifdef RUNLENS_VERSION
    QApplication::setApplicationVersion(QStringLiteral(RUNLENS_VERSION));
#endif
    QApplication::setDesktopFileName(QStringLiteral("runlens"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/runlens/icons/runlens.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Explore machine-learning experiment logs."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("paths"),
        QStringLiteral("A workspace (*.runlens) to open, or log files/folders to import."),
        QStringLiteral("[PATH...]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a picture of the loaded window to FILE and exit."),
                                  QStringLiteral("FILE"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("With --screenshot: the tab to show."),
                           QStringLiteral("NAME"));
    tab.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(tab);
    QCommandLineOption windowSize(QStringLiteral("window-size"),
                                  QStringLiteral("With --screenshot: the window's size (default 1400x900)."),
                                  QStringLiteral("WxH"));
    windowSize.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(windowSize);
    parser.process(app);

    MainWindow window;
    addStandardViews(window);
    const QString screenshotPath = parser.value(screenshot);
    if (!screenshotPath.isEmpty()) {
        // A laptop-sized window is how the layout is checked at 1024x640 (README's screenshots use 1400x900).
        const QStringList wh = parser.value(windowSize).split(QLatin1Char('x'));
        const int w = wh.size() == 2 ? wh[0].toInt() : 0;
        const int h = wh.size() == 2 ? wh[1].toInt() : 0;
        window.resize(w > 0 ? w : kScreenshotWidth, h > 0 ? h : kScreenshotHeight);
    }
    window.show();
    window.startWith(parser.positionalArguments());
    if (!screenshotPath.isEmpty())
        new ScreenshotTaker(window, screenshotPath, parser.value(tab)); // owned by the window
    return QApplication::exec();
}

} // namespace runlens::ui
