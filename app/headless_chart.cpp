// Headless chart output for evaluation commands: offscreen QApplication, build, export, one-line errors.
#include "app/headless_chart.h"

#include "app/cli.h"
#include "ui/charts/chart_export.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <QApplication>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

namespace runlens::cli {

QSize parseChartSize(const std::string& text) {
    // At most 4000 per side: the PNG is written at twice that, so 8000 x 8000 x 4 bytes is the largest image.
    constexpr int kMinSide = 200;
    constexpr int kMaxSide = 4000;
    static const std::regex pattern(R"((\d{1,6})[xX](\d{1,6}))");
    std::smatch m;
    if (!std::regex_match(text, m, pattern))
        throw UsageError("option --size needs WIDTHxHEIGHT, e.g. 1200x700, not '" + text + "'");
    const int w = std::stoi(m[1]), h = std::stoi(m[2]);
    if (w < kMinSide || h < kMinSide || w > kMaxSide || h > kMaxSide)
        throw UsageError("option --size: each side must be between " + std::to_string(kMinSide) + " and " +
                         std::to_string(kMaxSide) + " pixels");
    return {w, h};
}

namespace {

// Qt's own notices (e.g. "XDG_RUNTIME_DIR not set") would break the one-line-per-failure contract of stderr;
// they are shown only when RUNLENS_DEBUG is set.
void filterQtMessage(QtMsgType type, const QMessageLogContext& /*context*/, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg || qEnvironmentVariableIsSet("RUNLENS_DEBUG"))
        std::fprintf(stderr, "runlens: Qt: %s\n", qUtf8Printable(message));
}

class QtMessageFilter {
  public:
    QtMessageFilter() : m_previous(qInstallMessageHandler(filterQtMessage)) {}
    ~QtMessageFilter() { qInstallMessageHandler(m_previous); }
    QtMessageFilter(const QtMessageFilter&) = delete;
    QtMessageFilter& operator=(const QtMessageFilter&) = delete;

  private:
    QtMessageHandler m_previous;
};

// True when the file holds bytes and reached the disk (fsync reports a write the disk could not take).
bool syncedNonEmpty(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    const bool ok = ::fstat(fd, &st) == 0 && st.st_size > 0 && ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

// The chart written whole or not at all; needs a QApplication.
void writeChartFileIn(const std::function<QChart*()>& build, const QSize& size, const std::string& path) {
    const std::unique_ptr<QChart> chart(build());
    // Written beside the target and renamed over it only when complete, so a full disk or a size limit leaves
    // no empty or cut file behind (and an earlier chart of that name stays as it was).
    const std::filesystem::path target(path);
    const std::filesystem::path temp =
        target.parent_path() / ("." + target.stem().string() + ".runlens-tmp-" + std::to_string(::getpid()) +
                                target.extension().string());
    const QString tempName = QString::fromStdString(temp.string());
    QString error;
    bool ok = ui::exportChart(chart.get(), size, tempName, &error);
    if (ok && !syncedNonEmpty(temp)) {
        ok = false;
        error = QStringLiteral("cannot write %1: the file could not be written whole (is the disk full?)")
                    .arg(QString::fromStdString(path));
    }
    std::error_code ec;
    if (ok) {
        std::filesystem::rename(temp, target, ec);
        if (ec) {
            ok = false;
            error = QStringLiteral("cannot write %1: %2")
                        .arg(QString::fromStdString(path), QString::fromStdString(ec.message()));
        }
    }
    if (!ok) {
        std::filesystem::remove(temp, ec);
        throw InputError(error.replace(tempName, QString::fromStdString(path)).toStdString());
    }
}

} // namespace

void withHeadlessApplication(const std::function<void()>& work) {
    const QtMessageFilter quietQt;
    // Charts never show a window: offscreen needs no display, and a stale DISPLAY cannot make Qt abort.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int qtArgc = 1;
    static char programName[] = "runlens";
    static char* qtArgv[] = {programName, nullptr};
    std::unique_ptr<QApplication> app;
    if (!QCoreApplication::instance()) app = std::make_unique<QApplication>(qtArgc, qtArgv);
    work();
}

void writeChartFile(const std::function<QChart*()>& build, const QSize& size, const std::string& path) {
    withHeadlessApplication([&] { writeChartFileIn(build, size, path); });
}

} // namespace runlens::cli
