// The list of analysis tabs the desktop app shows, in the order a user works through a model decision.
#include "ui/standard_views.h"

#include "ui/behaviour/behaviour_view.h"
#include "ui/calibration_view.h"
#include "ui/compare_view.h"
#include "ui/confusion/confusion_view.h"
#include "ui/cost/cost_view.h"
#include "ui/learning_curve_view.h"
#include "ui/main_window.h"
#include "ui/regression/regression_view.h"
#include "ui/slices_view.h"
#include "ui/sweep_view.h"
#include "ui/tradeoff_view.h"

namespace runlens::ui {

void addStandardViews(MainWindow& window) {
    window.addViewTab(new CalibrationView(&window), QObject::tr("Calibration"));
    window.addViewTab(new ConfusionView(&window), QObject::tr("Confusion"));
    window.addViewTab(new TradeoffView(&window), QObject::tr("Trade-offs"));
    window.addViewTab(new SlicesView(&window), QObject::tr("Slices"));
    window.addViewTab(new BehaviourView(&window), QObject::tr("Behaviour"));
    window.addViewTab(new RegressionView(&window), QObject::tr("Regression"));
    window.addViewTab(new CompareView(&window), QObject::tr("Compare"));
    window.addViewTab(new LearningCurveView(&window), QObject::tr("Learning curve"));
    window.addViewTab(new SweepView(&window), QObject::tr("Sweep"));
    window.addViewTab(new CostView(&window), QObject::tr("Cost"));
}

} // namespace runlens::ui
