// Which feature columns identify examples (never a default to slice by): by name, by mostly unique text, by
// all-different whole numbers; ordinary features are not.
#include "core/model/prediction_table.h"

#include <QtTest>

using namespace runlens;

namespace {

PredictionColumn numeric(const char* name, std::vector<double> values) {
    PredictionColumn c;
    c.name = name;
    c.numbers = std::move(values);
    return c;
}

PredictionColumn text(const char* name, std::size_t rows, std::size_t distinct) {
    PredictionColumn c;
    c.name = name;
    c.numeric = false;
    for (std::size_t v = 0; v < distinct; ++v)
        c.dictionary.push_back("v" + std::to_string(v));
    for (std::size_t r = 0; r < rows; ++r)
        c.codes.push_back(static_cast<std::int32_t>(r % distinct));
    return c;
}

std::vector<double> sequence(std::size_t n, double step = 1) {
    std::vector<double> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(static_cast<double>(i) * step);
    return out;
}

} // namespace

class TestIdColumns : public QObject {
    Q_OBJECT
  private slots:
    void byName_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("idLike");
        for (const char* yes :
             {"id", "ID", "uuid", "key", "index", "customer_id", "session-id", "userId", "row_idx"})
            QTest::newRow(yes) << yes << true;
        for (const char* no : {"valid", "paid", "width", "device", "Idaho", "region", "squid"})
            QTest::newRow(no) << no << false;
    }
    void byName() {
        QFETCH(QString, name);
        QFETCH(bool, idLike);
        const auto bytes = name.toStdString();
        QCOMPARE(looksLikeIdColumn(numeric(bytes.c_str(), {1, 1, 2})), idLike);
    }

    void byValues() {
        // 200 rows: 150 distinct texts are mostly unique; 4 regions are a feature; 60 of 100 is over half.
        QVERIFY(looksLikeIdColumn(text("ticket", 200, 150)));
        QVERIFY(!looksLikeIdColumn(text("region", 200, 4)));
        QVERIFY(looksLikeIdColumn(text("ticket", 100, 60)));
        QVERIFY(!looksLikeIdColumn(text("city", 100, 40))); // 50 values or fewer are a feature
        // Whole numbers all different over more than 50 rows: a row number.
        QVERIFY(looksLikeIdColumn(numeric("number", sequence(100))));
        QVERIFY(!looksLikeIdColumn(numeric("size", sequence(100, 0.5)))); // not whole
        QVERIFY(!looksLikeIdColumn(numeric("small", sequence(20))));      // too few rows to say
        auto repeated = sequence(100);
        repeated[5] = repeated[6];
        QVERIFY(!looksLikeIdColumn(numeric("age", repeated)));
    }
};

QTEST_APPLESS_MAIN(TestIdColumns)
#include "test_id_columns.moc"
