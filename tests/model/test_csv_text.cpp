// csvField / csvRow: RFC 4180 quoting, each expected string worked by hand from the RFC's rules (cited per
// row).
#include "core/model/csv_text.h"

#include <QtTest>
#include <string>
#include <vector>

using namespace runlens;

class TestCsvText : public QObject {
    Q_OBJECT
  private slots:
    void field_data();
    void field();
    void alwaysQuoted_data();
    void alwaysQuoted();
    void rows();
    void appendKeepsWhatIsThere();
};

void TestCsvText::field_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    // 2.4: a field with no comma, quote or line break is written as it is.
    QTest::newRow("plain") << QByteArray("val_loss") << QByteArray("val_loss");
    // 2.4 allows an empty field: nothing between the commas.
    QTest::newRow("empty") << QByteArray("") << QByteArray("");
    // 2.6: a comma must be enclosed in double quotes: a,b -> "a,b".
    QTest::newRow("comma") << QByteArray("a,b") << QByteArray("\"a,b\"");
    // 2.7: an inner quote is doubled and the field enclosed: say "hi" -> "say ""hi""".
    QTest::newRow("quotes") << QByteArray("say \"hi\"") << QByteArray("\"say \"\"hi\"\"\"");
    // A lone quote: enclosing quotes around one doubled quote, four in all.
    QTest::newRow("lone quote") << QByteArray("\"") << QByteArray("\"\"\"\"");
    // 2.6: line breaks (LF, CR, CRLF) are enclosed, and kept inside the quotes unchanged.
    QTest::newRow("lf") << QByteArray("line1\nline2") << QByteArray("\"line1\nline2\"");
    QTest::newRow("cr") << QByteArray("a\rb") << QByteArray("\"a\rb\"");
    QTest::newRow("crlf") << QByteArray("a\r\nb") << QByteArray("\"a\r\nb\"");
    // 2.4: "Spaces are considered part of a field and should not be ignored": no quotes needed, kept.
    QTest::newRow("spaces") << QByteArray("  padded ") << QByteArray("  padded ");
    // A comma and spaces: enclosed as a whole, spaces inside the quotes.
    QTest::newRow("spaces and comma") << QByteArray(" x, y ") << QByteArray("\" x, y \"");
    // Non-ASCII UTF-8 is text like any other: "Zürich – 東京" stays byte for byte.
    QTest::newRow("utf-8") << QByteArray("Z\xC3\xBCrich \xE2\x80\x93 \xE6\x9D\xB1\xE4\xBA\xAC")
                           << QByteArray("Z\xC3\xBCrich \xE2\x80\x93 \xE6\x9D\xB1\xE4\xBA\xAC");
    // Separators of other dialects (semicolon, tab) mean nothing in RFC 4180.
    QTest::newRow("semicolon and tab") << QByteArray("a;b\tc") << QByteArray("a;b\tc");
    // Every special character at once: ,"\n -> enclose, double the quote: ",""\n".
    QTest::newRow("all special") << QByteArray(",\"\n") << QByteArray("\",\"\"\n\"");
}

void TestCsvText::field() {
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    const std::string got =
        csvField(std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
    QCOMPARE(QByteArray::fromStdString(got), expected);
}

void TestCsvText::alwaysQuoted_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    // 2.5: any field may be enclosed: "001" stays text in a spreadsheet.
    QTest::newRow("digits") << QByteArray("001") << QByteArray("\"001\"");
    // An enclosed empty field: two quotes.
    QTest::newRow("empty") << QByteArray("") << QByteArray("\"\"");
    // Quotes are doubled in the enclosed form too (2.7).
    QTest::newRow("quote") << QByteArray("a\"b") << QByteArray("\"a\"\"b\"");
}

void TestCsvText::alwaysQuoted() {
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    const std::string got = csvField(
        std::string_view(text.constData(), static_cast<std::size_t>(text.size())), CsvQuoting::Always);
    QCOMPARE(QByteArray::fromStdString(got), expected);
}

void TestCsvText::rows() {
    // 2.1 and 2.4: fields separated by commas; records end in LF here (see csv_text.h for why not CRLF).
    QCOMPARE(csvRow({"id", "name, first", "x"}), std::string("id,\"name, first\",x\n"));
    // Empty fields keep their commas: three fields, the middle one empty.
    QCOMPARE(csvRow({"a", "", "c"}), std::string("a,,c\n"));
    const std::vector<std::string> fields{"run \"7\"", "0.5"};
    QCOMPARE(csvRow(fields), std::string("\"run \"\"7\"\"\",0.5\n"));
    QCOMPARE(csvRow(std::vector<std::string>{}), std::string("\n"));
}

void TestCsvText::appendKeepsWhatIsThere() {
    std::string line = "x,";
    appendCsvField(line, "a,b");
    line += ',';
    appendCsvField(line, "c");
    QCOMPARE(line, std::string("x,\"a,b\",c"));
}

QTEST_APPLESS_MAIN(TestCsvText)
#include "test_csv_text.moc"
