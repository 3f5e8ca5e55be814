// numberText: round-trip number text and each output kind's non-finite spelling. Expected strings are worked
// by hand from the rules of std::to_chars (shortest digits that read back; the shorter of fixed and exponent
// form, fixed on a tie) and checked against Python's repr where the digits are the same.
#include "core/model/number_text.h"

#include <cmath>
#include <limits>
#include <QtTest>

using namespace runlens;

class TestNumberText : public QObject {
    Q_OBJECT
  private slots:
    void finite_data();
    void finite();
    void nonFinite();
    void readsBack();
    void significant_data();
    void significant();
    void significantNonFinite();
};

void TestNumberText::finite_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("shortest");
    QTest::addColumn<QString>("plain");
    QTest::newRow("zero") << 0.0 << "0"
                          << "0";
    // IEEE negative zero keeps its sign in both notations (printf("%g", -0.0) prints "-0" too).
    QTest::newRow("negative zero") << -0.0 << "-0"
                                   << "-0";
    QTest::newRow("tenth") << 0.1 << "0.1"
                           << "0.1";
    QTest::newRow("negative") << -2.5 << "-2.5"
                              << "-2.5";
    // Python: repr(1/3) == '0.3333333333333333' (16 digits).
    QTest::newRow("third") << 1.0 / 3.0 << "0.3333333333333333"
                           << "0.3333333333333333";
    // 100000: fixed "100000" has 6 characters, exponent "1e+05" 5: the shorter wins; plain is fixed.
    QTest::newRow("1e5") << 1e5 << "1e+05"
                         << "100000";
    // 0.0001: "0.0001" (6) against "1e-04" (5).
    QTest::newRow("1e-4") << 1e-4 << "1e-04"
                          << "0.0001";
    // 1.5e-5: "0.000015" (8) against "1.5e-05" (7); plain is fixed from 1e-5 up.
    QTest::newRow("1.5e-5") << 1.5e-5 << "1.5e-05"
                            << "0.000015";
    // Below 1e-5 plain falls back to the shortest form.
    QTest::newRow("1e-300") << 1e-300 << "1e-300"
                            << "1e-300";
    // The smallest subnormal, 2^-1074: Python repr(5e-324) == '5e-324'.
    QTest::newRow("min subnormal") << std::numeric_limits<double>::denorm_min() << "5e-324"
                                   << "5e-324";
    // A wall time: "1700000000.5" (12) against "1.7000000005e+09" (16).
    QTest::newRow("wall time") << 1700000000.5 << "1700000000.5"
                               << "1700000000.5";
    // The largest plain magnitude: 1e15 - 1 has 15 digits, its exponent form 20 characters.
    QTest::newRow("1e15-1") << 999999999999999.0 << "999999999999999"
                            << "999999999999999";
    // 1e15 itself is past the plain range: "1e+15" in both.
    QTest::newRow("1e15") << 1e15 << "1e+15"
                          << "1e+15";
    // 2^53 = 9007199254740992: 16 digits beat "9.007199254740992e+15" (21).
    QTest::newRow("2^53") << 9007199254740992.0 << "9007199254740992"
                          << "9007199254740992";
    // 2^64 = 18446744073709551616 exactly (20 characters); Python's shortest digits are
    // 1.8446744073709552e+19 (22 characters), so fixed is shorter and shows every digit of the integer.
    QTest::newRow("2^64") << 18446744073709551616.0 << "18446744073709551616"
                          << "18446744073709551616";
    QTest::newRow("1e21") << 1e21 << "1e+21"
                          << "1e+21";
    // DBL_MAX: Python repr(sys.float_info.max) == '1.7976931348623157e+308'.
    QTest::newRow("max") << std::numeric_limits<double>::max() << "1.7976931348623157e+308"
                         << "1.7976931348623157e+308";
}

void TestNumberText::finite() {
    QFETCH(double, value);
    QFETCH(QString, shortest);
    QFETCH(QString, plain);
    // The non-finite set does not matter for finite values: every set gives the same text.
    for (const NonFiniteText* set : {&kCsvNonFinite, &kJsonNonFinite, &kPlainNonFinite}) {
        QCOMPARE(QString::fromStdString(numberText(value, *set)), shortest);
        QCOMPARE(QString::fromStdString(numberText(value, *set, Notation::PlainInEverydayRange)), plain);
    }
    QCOMPARE(QString::fromStdString(numberText(value)), shortest);
}

void TestNumberText::nonFinite() {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const Notation notation : {Notation::Shortest, Notation::PlainInEverydayRange}) {
        // CSV: an empty cell is missing; pandas reads "inf" and "-inf" as the infinities.
        QCOMPARE(numberText(nan, kCsvNonFinite, notation), std::string());
        QCOMPARE(numberText(inf, kCsvNonFinite, notation), std::string("inf"));
        QCOMPARE(numberText(-inf, kCsvNonFinite, notation), std::string("-inf"));
        // JSON (RFC 8259) has neither: null.
        QCOMPARE(numberText(nan, kJsonNonFinite, notation), std::string("null"));
        QCOMPARE(numberText(inf, kJsonNonFinite, notation), std::string("null"));
        QCOMPARE(numberText(-inf, kJsonNonFinite, notation), std::string("null"));
        // Text: Python's str(float('nan')) == 'nan', str(float('-inf')) == '-inf'.
        QCOMPARE(numberText(nan, kPlainNonFinite, notation), std::string("nan"));
        QCOMPARE(numberText(inf, kPlainNonFinite, notation), std::string("inf"));
        QCOMPARE(numberText(-inf, kPlainNonFinite, notation), std::string("-inf"));
        // A NaN with its sign bit set is still just "nan" (to_chars alone would write "-nan").
        QCOMPARE(numberText(-nan, kPlainNonFinite, notation), std::string("nan"));
        QCOMPARE(numberText(-nan, kCsvNonFinite, notation), std::string());
    }
}

void TestNumberText::readsBack() {
    // Whatever the notation, the text parses back to the very same double (strtod as the reference parser).
    const double values[] = {0.1,           1.0 / 3.0, 2.0 / 3.0 * 1e-7, 123456.789,
                             6.02214076e23, 1e-300,    -4.9e-324,        12345678901234567890.0};
    for (const double v : values)
        for (const Notation notation : {Notation::Shortest, Notation::PlainInEverydayRange}) {
            const std::string text = numberText(v, kCsvNonFinite, notation);
            QCOMPARE(std::strtod(text.c_str(), nullptr), v);
        }
}

void TestNumberText::significant_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("digits");
    QTest::addColumn<QString>("expected");
    // C's %g: exponent form when the exponent is below -4 or at least the precision; trailing zeros dropped.
    QTest::newRow("small") << 0.000123 << 3 << "0.000123";
    QTest::newRow("exponent") << 1234567.0 << 3 << "1.23e+06";
    QTest::newRow("six digits") << 1234567.0 << 6 << "1.23457e+06";
    QTest::newRow("fits") << 123456.0 << 6 << "123456";
    QTest::newRow("trailing zeros") << 0.5 << 4 << "0.5";
    // 2.5 is exact in binary: a true tie, rounded to even.
    QTest::newRow("tie to even") << 2.5 << 1 << "2";
    // 0.15 is 0.1499999999999999944... in binary: below the tie, so down.
    QTest::newRow("below tie") << 0.15 << 1 << "0.1";
    QTest::newRow("1e-5") << 1e-5 << 3 << "1e-05";
    QTest::newRow("1e-300") << 1e-300 << 3 << "1e-300";
    QTest::newRow("negative zero") << -0.0 << 3 << "-0";
    QTest::newRow("large int") << 9007199254740993.0 << 17 << "9007199254740992";
}

void TestNumberText::significant() {
    QFETCH(double, value);
    QFETCH(int, digits);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(significantText(value, digits)), expected);
    QCOMPARE(QString::fromStdString(significantText(value, digits, kReportNonFinite)), expected);
}

void TestNumberText::significantNonFinite() {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QCOMPARE(significantText(nan, 3), std::string("nan"));
    QCOMPARE(significantText(-inf, 3), std::string("-inf"));
    QCOMPARE(significantText(nan, 4, kReportNonFinite), std::string("n/a"));
    QCOMPARE(significantText(inf, 4, kReportNonFinite), std::string("n/a"));
    QCOMPARE(significantText(nan, 6, kTableNonFinite), std::string("-"));
    QCOMPARE(significantText(inf, 6, kTableNonFinite), std::string("inf"));
    QCOMPARE(significantText(-inf, 6, kTableNonFinite), std::string("-inf"));
}

QTEST_APPLESS_MAIN(TestNumberText)
#include "test_number_text.moc"
