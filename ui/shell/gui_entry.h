// Starts the desktop application (main window) for `runlens [PATH...]`.
#pragma once

namespace runlens::ui {

// Creates the QApplication, opens the workspace or imports the logs named on the command line (or the last
// workspace, or the bundled demo), shows the main window and runs the event loop. Returns the exit code.
int runGui(int argc, char** argv);

} // namespace runlens::ui
