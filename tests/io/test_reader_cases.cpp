// Data-driven reader tests: every tests/data/readers/<format>/<case>/ holds an input/ folder and the
// expected.json a person wrote from it (runs, series points, params, summaries and the issues by kind and
// line); the folder is imported as a user would drop it, and what the workspace would receive must match.
#include "core/import/importer.h"
#include "core/import/memory_target.h"
#include "core/io/reader.h"

#include <cmath>
#include <filesystem>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

const fs::path kCases = fs::path(RUNLENS_TEST_DATA) / "readers";

// JSON has no NaN or infinity: expected values may say "nan", "inf" or "-inf".
bool valueMatches(const QJsonValue& want, double got) {
    if (want.isString()) {
        const QString text = want.toString();
        if (text == QLatin1String("nan")) return std::isnan(got);
        if (text == QLatin1String("inf")) return got == HUGE_VAL;
        if (text == QLatin1String("-inf")) return got == -HUGE_VAL;
        return false;
    }
    return want.isDouble() && want.toDouble() == got;
}

QString describe(double v) {
    return QString::number(v, 'g', 17);
}

// The first difference between expected and got for one run, or an empty string.
QString compareRun(const QString& name, const QJsonObject& want, const MemoryRun& got) {
    const QJsonObject series = want.value(QStringLiteral("series")).toObject();
    QStringList gotTags;
    for (const auto& [tag, data] : got.series)
        gotTags << QString::fromStdString(tag);
    QStringList wantTags = series.keys();
    if (gotTags != wantTags)
        return QStringLiteral("run %1: tags %2, expected %3")
            .arg(name, gotTags.join(','), wantTags.join(','));
    for (const QString& tag : wantTags) {
        const QJsonObject s = series.value(tag).toObject();
        const SeriesData& data = got.series.find(tag.toStdString())->second;
        const QJsonArray steps = s.value(QStringLiteral("steps")).toArray();
        const QJsonArray values = s.value(QStringLiteral("values")).toArray();
        if (steps.size() != values.size())
            return QStringLiteral("run %1 tag %2: expected.json has %3 steps and %4 values")
                .arg(name, tag)
                .arg(steps.size())
                .arg(values.size());
        if (static_cast<std::size_t>(steps.size()) != data.size())
            return QStringLiteral("run %1 tag %2: %3 points, expected %4")
                .arg(name, tag)
                .arg(data.size())
                .arg(steps.size());
        for (qsizetype i = 0; i < steps.size(); ++i) {
            const auto index = static_cast<std::size_t>(i);
            if (steps[i].toInteger(-1) != data.steps[index] || !valueMatches(values[i], data.values[index]))
                return QStringLiteral("run %1 tag %2 point %3: (%4, %5), expected (%6, %7)")
                    .arg(name, tag)
                    .arg(i)
                    .arg(data.steps[index])
                    .arg(describe(data.values[index]))
                    .arg(steps[i].toInteger(-1))
                    .arg(values[i].toVariant().toString());
        }
    }
    if (want.contains(QStringLiteral("params"))) {
        QJsonObject gotParams;
        for (const auto& [k, v] : got.params)
            gotParams.insert(QString::fromStdString(k), QString::fromStdString(v));
        if (gotParams != want.value(QStringLiteral("params")).toObject())
            return QStringLiteral("run %1: params %2, expected %3")
                .arg(name, QString::fromUtf8(QJsonDocument(gotParams).toJson(QJsonDocument::Compact)),
                     QString::fromUtf8(QJsonDocument(want.value(QStringLiteral("params")).toObject())
                                           .toJson(QJsonDocument::Compact)));
    }
    if (want.contains(QStringLiteral("summary"))) {
        const QJsonObject summary = want.value(QStringLiteral("summary")).toObject();
        QStringList gotKeys;
        for (const auto& [k, v] : got.summaryMetrics)
            gotKeys << QString::fromStdString(k);
        if (gotKeys != summary.keys())
            return QStringLiteral("run %1: summary metrics %2, expected %3")
                .arg(name, gotKeys.join(','), summary.keys().join(','));
        for (const auto& [k, v] : got.summaryMetrics)
            if (!valueMatches(summary.value(QString::fromStdString(k)), v))
                return QStringLiteral("run %1: summary %2 = %3, expected %4")
                    .arg(name, QString::fromStdString(k), describe(v),
                         summary.value(QString::fromStdString(k)).toVariant().toString());
    }
    return {};
}

// Issues as sorted "severity kind line" entries (file names vary with the temporary path; the line pins it).
QStringList issueKeys(const ReadReport& report) {
    QStringList keys;
    for (const ReadIssue& issue : report.issues) {
        const char* severity = issue.severity == Severity::Error     ? "error"
                               : issue.severity == Severity::Warning ? "warning"
                                                                     : "info";
        keys << QStringLiteral("%1 %2 %3")
                    .arg(QLatin1String(severity),
                         QString::fromUtf8(issueKindName(issue.kind).data(),
                                           static_cast<qsizetype>(issueKindName(issue.kind).size())))
                    .arg(issue.line);
    }
    keys.sort();
    return keys;
}

QStringList expectedIssueKeys(const QJsonArray& issues) {
    QStringList keys;
    for (const QJsonValue& v : issues) {
        const QJsonObject o = v.toObject();
        keys << QStringLiteral("%1 %2 %3")
                    .arg(o.value(QStringLiteral("severity")).toString(QStringLiteral("warning")),
                         o.value(QStringLiteral("kind")).toString())
                    .arg(o.value(QStringLiteral("line")).toInteger(0));
    }
    keys.sort();
    return keys;
}

} // namespace

class TestReaderCases : public QObject {
    Q_OBJECT

  private slots:
    void cases_data();
    void cases();
};

void TestReaderCases::cases_data() {
    QTest::addColumn<QString>("folder");
    std::vector<fs::path> folders;
    for (const auto& format : fs::directory_iterator(kCases))
        if (format.is_directory())
            for (const auto& kase : fs::directory_iterator(format.path()))
                if (fs::exists(kase.path() / "expected.json")) folders.push_back(kase.path());
    std::sort(folders.begin(), folders.end());
    QVERIFY2(folders.size() >= 10, "tests/data/readers holds the reader cases");
    for (const fs::path& folder : folders) {
        const std::string row = fs::relative(folder, kCases).string();
        QTest::newRow(row.c_str()) << QString::fromStdString(folder.string());
    }
}

void TestReaderCases::cases() {
    QFETCH(QString, folder);
    QFile file(folder + QStringLiteral("/expected.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonObject expected = QJsonDocument::fromJson(file.readAll(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY2(!expected.value(QStringLiteral("about")).toString().isEmpty(),
             "each case says what it pins down");

    // Imported from a copy, as the user's folder would be: a case's files are never written to.
    QTemporaryDir tmp;
    const fs::path input = fs::path(tmp.path().toStdString()) / "input";
    fs::copy(fs::path(folder.toStdString()) / "input", input, fs::copy_options::recursive);
    MemoryTarget target;
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    const std::vector<fs::path> paths{input};
    const ImportSummary summary = importPaths(paths, registry, target);

    const QJsonObject runs = expected.value(QStringLiteral("runs")).toObject();
    QStringList gotRuns;
    for (const auto& [name, run] : target.runs())
        gotRuns << QString::fromStdString(name);
    QCOMPARE(gotRuns, runs.keys());
    for (const QString& name : runs.keys()) {
        const QString difference =
            compareRun(name, runs.value(name).toObject(), *target.run(name.toStdString()));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }
    QCOMPARE(issueKeys(summary.report),
             expectedIssueKeys(expected.value(QStringLiteral("issues")).toArray()));
}

QTEST_GUILESS_MAIN(TestReaderCases)
#include "test_reader_cases.moc"
