// What the Curves tab tests share: a fresh workspace per test and a CurvesView on it, shown and built, with
// its cards found by tag. A test class derives from it besides QObject and calls initFixture and
// cleanupFixture from its init and cleanup slots.
#pragma once

#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"

#include <memory>
#include <QTemporaryDir>
#include <QtTest>

namespace runlens::test {

class CurvesViewFixture {
  protected:
    void initFixture() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_workspace = Workspace::create((m_dir->path() + "/w.runlens").toStdString());
        m_model = std::make_unique<ui::RunTableModel>();
    }

    // The view goes before the model and the workspace it reads.
    void cleanupFixture() {
        m_view.reset();
        m_model.reset();
        m_workspace.reset();
        m_dir.reset();
    }

    // Shows a CurvesView of the workspace's runs and waits until its first card is built.
    void open(const ui::CurveDisplay& display) {
        m_model->setRuns(m_workspace->runs());
        m_view = std::make_unique<ui::CurvesView>(m_model.get());
        m_view->setDisplay(display);
        m_view->setWorkspace(m_workspace.get());
        m_view->resize(1200, 900);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QTRY_VERIFY(!m_view->cards().isEmpty() && m_view->cards().front()->isBuilt());
    }

    // The card of a tag, null when there is none.
    ui::ChartCard* card(const QString& key) const {
        for (ui::ChartCard* c : m_view->cards())
            if (c->tag() == key) return c;
        return nullptr;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<ui::RunTableModel> m_model;
    std::unique_ptr<ui::CurvesView> m_view;
};

} // namespace runlens::test
