// A layout that places its items left to right and wraps them onto the next line when the width runs out,
// so a view's toolbar fits a laptop-sized window instead of making its page scroll sideways.
#pragma once

#include <QLayout>
#include <QList>
#include <QRect>
#include <QStyle>

class QLabel;
class QString;

namespace runlens::ui {

class FlowLayout : public QLayout {
  public:
    explicit FlowLayout(QWidget* parent = nullptr, int horizontalSpacing = -1, int verticalSpacing = -1);
    ~FlowLayout() override;

    void addItem(QLayoutItem* item) override;
    int count() const override { return static_cast<int>(m_items.size()); }
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

    // A label and its field kept on one line together (the label's buddy is the field).
    void addField(QLabel* label, QWidget* field);
    QLabel* addField(const QString& text, QWidget* field); // makes the label; returns it

    // Several widgets that wrap as one piece (a slider with its number box).
    void addGroup(std::initializer_list<QWidget*> widgets);

  private:
    int horizontalSpacing() const;
    int verticalSpacing() const;
    int spacingFor(QStyle::PixelMetric metric) const;
    // Lays the items out in rect (or only measures when apply is false); returns the height used.
    int arrange(const QRect& rect, bool apply) const;

    QList<QLayoutItem*> m_items;
    int m_horizontalSpacing;
    int m_verticalSpacing;
};

} // namespace runlens::ui
