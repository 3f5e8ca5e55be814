// Adds the analysis tabs (Calibration, Trade-offs, Slices, Compare, Learning curve, Sweep) beside Curves.
#pragma once

namespace runlens::ui {

class MainWindow;

// The application's wiring of views into the main window; tests add only the view they exercise.
void addStandardViews(MainWindow& window);

} // namespace runlens::ui
