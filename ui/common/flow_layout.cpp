// FlowLayout: items left to right, wrapped onto new lines at the layout's width.
#include "ui/common/flow_layout.h"

#include <algorithm>
#include <QHBoxLayout>
#include <QLabel>
#include <QWidget>
#include <vector>

namespace runlens::ui {

FlowLayout::FlowLayout(QWidget* parent, int horizontalSpacing, int verticalSpacing)
    : QLayout(parent), m_horizontalSpacing(horizontalSpacing), m_verticalSpacing(verticalSpacing) {
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout() {
    while (QLayoutItem* item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem* item) {
    m_items.append(item);
}

QLayoutItem* FlowLayout::itemAt(int index) const {
    return index >= 0 && index < m_items.size() ? m_items.at(index) : nullptr;
}

QLayoutItem* FlowLayout::takeAt(int index) {
    if (index < 0 || index >= m_items.size()) return nullptr;
    return m_items.takeAt(index);
}

void FlowLayout::addField(QLabel* label, QWidget* field) {
    addGroup({label, field});
}

QLabel* FlowLayout::addField(const QString& text, QWidget* field) {
    auto* label = new QLabel(text);
    label->setBuddy(field);
    addField(label, field);
    return label;
}

void FlowLayout::addGroup(std::initializer_list<QWidget*> widgets) {
    auto* group = new QWidget;
    auto* row = new QHBoxLayout(group);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    for (QWidget* widget : widgets)
        row->addWidget(widget);
    addWidget(group);
}

int FlowLayout::heightForWidth(int width) const {
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const {
    // As narrow as the widest item: everything else wraps below it.
    QSize size;
    for (const QLayoutItem* item : m_items)
        if (!item->isEmpty()) size = size.expandedTo(item->minimumSize());
    const QMargins margins = contentsMargins();
    return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const {
    // One line when there is room for it.
    int width = 0;
    int height = 0;
    int visible = 0;
    for (const QLayoutItem* item : m_items) {
        if (item->isEmpty()) continue;
        width += item->sizeHint().width();
        height = std::max(height, item->sizeHint().height());
        ++visible;
    }
    width += std::max(0, visible - 1) * horizontalSpacing();
    const QMargins margins = contentsMargins();
    return {width + margins.left() + margins.right(), height + margins.top() + margins.bottom()};
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::horizontalSpacing() const {
    return m_horizontalSpacing >= 0 ? m_horizontalSpacing : spacingFor(QStyle::PM_LayoutHorizontalSpacing);
}

int FlowLayout::verticalSpacing() const {
    return m_verticalSpacing >= 0 ? m_verticalSpacing : spacingFor(QStyle::PM_LayoutVerticalSpacing);
}

int FlowLayout::spacingFor(QStyle::PixelMetric metric) const {
    const QWidget* owner = parentWidget();
    if (!owner) return 6; // a nested layout has no widget to ask; Fusion's default
    return std::max(0, owner->style()->pixelMetric(metric, nullptr, owner));
}

int FlowLayout::arrange(const QRect& rect, bool apply) const {
    const QMargins margins = contentsMargins();
    const QRect area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom());
    const int hSpace = horizontalSpacing();
    const int vSpace = verticalSpacing();
    struct Placed {
        QLayoutItem* item;
        QRect box;
    };
    std::vector<Placed> line;
    int x = area.x();
    int y = area.y();
    int lineHeight = 0;
    // Items of a line are centred on it, so a label sits level with the combo box beside it.
    const auto finishLine = [&] {
        if (apply)
            for (const Placed& placed : line)
                placed.item->setGeometry(placed.box.translated(0, (lineHeight - placed.box.height()) / 2));
        line.clear();
    };
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty()) continue;
        // An item never gets less than its minimum, nor more than the line's width.
        const QSize hint = item->sizeHint().expandedTo(item->minimumSize());
        const int width = std::min(hint.width(), std::max(item->minimumSize().width(), area.width()));
        if (x > area.x() && x + width > area.right() + 1) {
            finishLine();
            x = area.x();
            y += lineHeight + vSpace;
            lineHeight = 0;
        }
        line.push_back({item, QRect(QPoint(x, y), QSize(width, hint.height()))});
        x += width + hSpace;
        lineHeight = std::max(lineHeight, hint.height());
    }
    finishLine();
    return y + lineHeight - rect.y() + margins.bottom();
}

} // namespace runlens::ui
