// Writes charts from commands that run without a display (creates the QApplication Qt Charts needs).
#pragma once

#include <functional>
#include <QChart>
#include <QSize>
#include <string>

namespace runlens::cli {

// Parses "WxH" (each side 200..4000); UsageError otherwise.
QSize parseChartSize(const std::string& text);

// Ensures a QApplication exists (offscreen unless QT_QPA_PLATFORM is set), builds the chart with `build`, and
// saves it to path (.png, .svg or .pdf). Throws InputError with one line when it cannot be written.
void writeChartFile(const std::function<QChart*()>& build, const QSize& size, const std::string& path);

// Runs work with a QApplication (offscreen unless QT_QPA_PLATFORM is set), creating one when there is none.
void withHeadlessApplication(const std::function<void()>& work);

} // namespace runlens::cli
