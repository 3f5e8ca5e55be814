// The linear-time run-name regex: the same answers as std::regex (ECMAScript, an independent backtracking
// implementation) on short inputs, and an answer at once where backtracking needs minutes or the stack.
#include "core/model/name_pattern.h"

#include <chrono>
#include <QtTest>
#include <random>
#include <regex>

using namespace runlens;

class TestNamePattern : public QObject {
    Q_OBJECT

  private slots:
    void agreesWithStdRegex();
    void randomTextsAgreeWithStdRegex();
    void caseInsensitive();
    void refusesWhatNeedsBacktracking_data();
    void refusesWhatNeedsBacktracking();
    void pathologicalPatternOnALongName();
    void utf8Names();
};

namespace {

const std::vector<std::string> kPatterns = {
    "lr",      "^lr",          "0$",      "^run-[0-9]+$", "a|b",           "(ab)+",  "(?:ab)*c",
    "a{2}",    "a{2,}",        "a{1,3}b", "x.z",          "[^a-c]",        "\\d\\d", "\\w+=\\d",
    "\\s",     "\\bfoo\\b",    "\\Bo",    "^$",           "(a|ab)(c|bcd)", "[.]",    "\\.",
    "[a\\-z]", "colou?r",      "(a*)*b",  "^(a+)+$",      "[\\d_]+",       "\\D+",   "a{0}b",
    "^.*$",    "(x|y|z){2,3}", "lr=1\\d", "\\W",          "^v[0-9]{1,2}/",
};

const std::vector<std::string> kTexts = {
    "",        "lr",    "xlr0",  "run-12",    "run-",   "ab",  "ababc",
    "aab",     "aaab",  "xyz",   "x\nz",      "abcd",   "d",   "12",
    "key=5",   "a b",   "foo",   "a foo b",   "foobar", "boo", "abcd e",
    ".",       "-",     "color", "colour",    "aaaaab", "aaa", "___",
    "v12/run", "lr=13", "v1/a",  "version_0", "zyx",    "b",   "aaaaaaaaaaaaaaaaaaaab",
};

bool stdSearch(const std::string& pattern, const std::string& text, bool icase) {
    auto flags = std::regex::ECMAScript;
    if (icase) flags |= std::regex::icase;
    return std::regex_search(text, std::regex(pattern, flags));
}

} // namespace

void TestNamePattern::agreesWithStdRegex() {
    for (const auto& pattern : kPatterns) {
        std::string error;
        const auto compiled = NamePattern::compile(pattern, false, error);
        QVERIFY2(compiled, qPrintable(QString::fromStdString(pattern + ": " + error)));
        for (const auto& text : kTexts)
            QVERIFY2(compiled->search(text) == stdSearch(pattern, text, false),
                     qPrintable(QString::fromStdString("/" + pattern + "/ on '" + text + "'")));
    }
}

// Random short texts over a small alphabet, where the patterns' corner cases meet.
void TestNamePattern::randomTextsAgreeWithStdRegex() {
    std::mt19937 random(11);
    const std::string alphabet = "ab c0_-.xyz\n";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), length(0, 9);
    for (int round = 0; round < 300; ++round) {
        std::string text;
        for (std::size_t n = length(random); n > 0; --n)
            text += alphabet[pick(random)];
        for (const auto& pattern : kPatterns) {
            std::string error;
            const auto compiled = NamePattern::compile(pattern, false, error);
            QVERIFY(compiled);
            QVERIFY2(compiled->search(text) == stdSearch(pattern, text, false),
                     qPrintable(QString::fromStdString("/" + pattern + "/ on '" + text + "'")));
        }
    }
}

void TestNamePattern::caseInsensitive() {
    for (const std::string pattern : {"LR", "^Run-[A-C]+$", "[x-z]Q", "ACC"}) {
        std::string error;
        const auto compiled = NamePattern::compile(pattern, true, error);
        QVERIFY(compiled);
        for (const std::string text : {"lr=1", "run-abc", "RUN-ABD", "yq", "Xq", "val_acc", "ACC"})
            QVERIFY2(compiled->search(text) == stdSearch(pattern, text, true),
                     qPrintable(QString::fromStdString("/" + pattern + "/i on '" + text + "'")));
    }
}

void TestNamePattern::refusesWhatNeedsBacktracking_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("message");
    QTest::newRow("backreference") << "(a)\\1"
                                   << "unsupported: backreference \\1";
    QTest::newRow("lookahead") << "a(?=b)"
                               << "unsupported: lookaround";
    QTest::newRow("unclosed group") << "(ab"
                                    << "missing ')'";
    QTest::newRow("unclosed class") << "[ab"
                                    << "missing ']'";
    QTest::newRow("stray paren") << "ab)"
                                 << "unmatched ')'";
    QTest::newRow("nothing to repeat") << "*a"
                                       << "nothing to repeat";
    QTest::newRow("reversed count") << "a{3,1}"
                                    << "{n,m} with m < n";
    QTest::newRow("huge expansion") << "((a{1000}){1000}){1000}"
                                    << "pattern too large";
    QTest::newRow("deep nesting") << QString(300, '(') + "a" + QString(300, ')') << "nested deeper than 200";
}

void TestNamePattern::refusesWhatNeedsBacktracking() {
    QFETCH(QString, pattern);
    QFETCH(QString, message);
    std::string error;
    QVERIFY(!NamePattern::compile(pattern.toStdString(), false, error));
    QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
}

// `^(a+)+$` against 20,000 a's and a final b: std::regex backtracks exponentially (or overflows its
// stack on the long name); the Pike VM does at most length x program steps. No time is asserted beyond
// "finishes": a hang would hit the test's timeout.
void TestNamePattern::pathologicalPatternOnALongName() {
    const std::string name = std::string(20000, 'a') + "b";
    std::string error;
    const auto nested = NamePattern::compile("^(a+)+$", false, error);
    QVERIFY(nested);
    const auto start = std::chrono::steady_clock::now();
    QVERIFY(!nested->search(name));
    QVERIFY(nested->search(std::string(20000, 'a')));
    const auto any = NamePattern::compile("(.*)*x(.*)*", false, error);
    QVERIFY(any);
    QVERIFY(!any->search(name));
    QVERIFY(any->search(name + "x"));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo("four searches over 20,000-character names: %.3f s", seconds);
}

void TestNamePattern::utf8Names() {
    std::string error;
    const auto dot = NamePattern::compile("^r.n$", false, error);
    QVERIFY(dot);
    QVERIFY(dot->search("r\xc3\xbcn")); // one character, two bytes
    QVERIFY(!dot->search("r\xc3\xbc\xc3\xbcn"));
    const auto literal = NamePattern::compile("\xc3\xbc+", false, error);
    QVERIFY(literal && literal->search("gr\xc3\xbc\xc3\xbc"));
    const auto invalid = NamePattern::compile("a.b", false, error);
    QVERIFY(invalid && invalid->search("a\xff"
                                       "b")); // a stray byte is one character
}

QTEST_GUILESS_MAIN(TestNamePattern)
#include "test_name_pattern.moc"
