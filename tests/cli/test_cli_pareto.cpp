// End-to-end tests of `runlens pareto`: a workspace of hand-made runs whose front, domination and
// "cheapest within X of the best" are worked out by hand below, evaluation-set quality with Wilson intervals,
// the chart, and one-line refusals.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using runlens::test::CliResult;
using runlens::test::jsonOf;
using runlens::test::runRunlens;

void writeFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// The runs' last val_accuracy and latency_ms (lower is better):
//   a 0.90 / 40, b 0.89 / 10, c 0.85 / 12, d 0.80 / 5, e 0.91 / 100.
// Front (no run at least as accurate and as fast, better on one): e, a, b, d; c is dominated by b only
// (b: 0.89 >= 0.85 and 10 <= 12; a and e are slower than c). Cheapest first: d, b, a, e.
// Within 0.025 of the best (e, 0.91): a (gap 0.01) and b (gap 0.02); the fastest is b, 100 / 10 = 10x.
// Within 1% (the default, 0.0091): only e itself.
struct RunRow {
    const char* name;
    double accuracy, latency;
};
const RunRow kRuns[] = {{"a", 0.90, 40}, {"b", 0.89, 10}, {"c", 0.85, 12}, {"d", 0.80, 5}, {"e", 0.91, 100}};

QString makeWorkspace(const QTemporaryDir& dir, bool withPredictions) {
    const QString root = dir.filePath(withPredictions ? "eval_logs" : "logs");
    for (const auto& r : kRuns) {
        writeFile(root + "/" + r.name + "/metrics.csv",
                  QString("step,val_accuracy,latency_ms\n0,0.5,%1\n1,%2,%1\n")
                      .arg(r.latency)
                      .arg(r.accuracy)
                      .toUtf8());
    }
    if (withPredictions) {
        // a: 8 of 10 right, b: 6 of 10 (labels 1 x5, 0 x5; a misses two positives, b four).
        writeFile(root + "/a/predictions_val.csv",
                  "id,label,score\n1,1,0.9\n2,1,0.8\n3,1,0.7\n4,1,0.2\n5,1,0.1\n"
                  "6,0,0.1\n7,0,0.2\n8,0,0.3\n9,0,0.4\n10,0,0.1\n");
        writeFile(root + "/b/predictions_val.csv",
                  "id,label,score\n1,1,0.9\n2,1,0.2\n3,1,0.3\n4,1,0.2\n5,1,0.1\n"
                  "6,0,0.1\n7,0,0.2\n8,0,0.3\n9,0,0.4\n10,0,0.1\n");
    }
    const QString ws = dir.filePath(withPredictions ? "eval.runlens" : "runs.runlens");
    const auto r = runRunlens({"import", root, "-w", ws});
    if (r.code != 0) qWarning() << r.err;
    return ws;
}

QJsonObject pointOf(const QJsonObject& o, const QString& run) {
    for (const auto& p : o["points"].toArray())
        if (p.toObject()["run"].toString() == run) return p.toObject();
    return {};
}

QStringList strings(const QJsonArray& a) {
    QStringList out;
    for (const auto& v : a)
        out << v.toString();
    return out;
}

} // namespace

class TestCliPareto : public QObject {
    Q_OBJECT
  private slots:
    void frontDominationAndCheapestHandWorked() {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir, false);
        const auto r = runRunlens({"pareto", "-w", ws, "--quality", "val_accuracy", "--cost", "latency_ms",
                                   "--within", "0.025", "--json"});
        QCOMPARE(r.code, 0);
        const auto o = jsonOf(r);
        QCOMPARE(o["quality"].toObject()["higher_is_better"].toBool(), true);
        QCOMPARE(o["costs"].toArray()[0].toObject()["kind"].toString(), QString("latency"));
        QCOMPARE(strings(o["front"].toArray()), (QStringList{"d", "b", "a", "e"}));
        QCOMPARE(strings(pointOf(o, "c")["dominated_by"].toArray()), QStringList{"b"});
        QVERIFY(!pointOf(o, "c")["on_front"].toBool());
        const auto c = o["cheapest"].toObject();
        QCOMPARE(c["best"].toString(), QString("e"));
        QCOMPARE(c["chosen"].toString(), QString("b"));
        QVERIFY(std::abs(c["cost_factor"].toDouble() - 10.0) < 1e-12);
        QVERIFY(std::abs(c["quality_gap"].toDouble() - 0.02) < 1e-12);
        QVERIFY(c["sentence"].toString().startsWith("b is the cheapest run within 0.025"));

        const auto tight = jsonOf(
            runRunlens({"pareto", "-w", ws, "--quality", "val_accuracy", "--cost", "latency_ms", "--json"}));
        QCOMPARE(tight["cheapest"].toObject()["chosen"].toString(), QString("e"));
        QVERIFY(tight["cheapest"].toObject()["relative"].toBool());
        // Without --cost the recognised cost is found by its name.
        const auto guessed = jsonOf(runRunlens({"pareto", "-w", ws, "--quality", "val_accuracy", "--json"}));
        QCOMPARE(guessed["costs"].toArray()[0].toObject()["name"].toString(), QString("latency_ms"));

        const auto text = runRunlens({"pareto", "-w", ws, "--quality", "val_accuracy", "--within", "0.025"});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("dominated by b"));
        const QString png = dir.filePath("pareto.png");
        QCOMPARE(runRunlens({"pareto", "-w", ws, "--quality", "val_accuracy", "-o", png}).code, 0);
        QVERIFY(!QImage(png).isNull());
    }

    // eval:accuracy from the evaluation sets: a 8/10, b 6/10, with statsmodels'
    // proportion_confint(k, 10, method='wilson'): 8/10 (0.49016247153664183, 0.9433178485456247), 6/10
    // (0.31267376973365824, 0.8318196702937638). Runs without a set are left out and listed.
    void evaluationQualityHasWilsonIntervals() {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir, true);
        const auto r = runRunlens({"pareto", "-w", ws, "--cost", "latency_ms", "--json"});
        QCOMPARE(r.code, 0);
        const auto o = jsonOf(r);
        QCOMPARE(o["quality"].toObject()["name"].toString(), QString("eval:accuracy"));
        const auto a = pointOf(o, "a"), b = pointOf(o, "b");
        QVERIFY(std::abs(a["quality"].toDouble() - 0.8) < 1e-12);
        QVERIFY(std::abs(a["quality_low"].toDouble() - 0.49016247153664183) < 1e-9);
        QVERIFY(std::abs(a["quality_high"].toDouble() - 0.9433178485456247) < 1e-9);
        QVERIFY(std::abs(b["quality_low"].toDouble() - 0.31267376973365824) < 1e-9);
        QCOMPARE(o["points"].toArray().size(), 2);
        QCOMPARE(o["left_out"].toArray().size(), 3);
        // b is 4x faster but 0.2 worse: within 0.25 it is chosen, and the intervals overlap.
        const auto loose =
            jsonOf(runRunlens({"pareto", "-w", ws, "--cost", "latency_ms", "--within", "0.25", "--json"}));
        QCOMPARE(loose["cheapest"].toObject()["chosen"].toString(), QString("b"));
        QVERIFY(loose["cheapest"].toObject()["intervals_overlap"].toBool());
    }

    void badInputIsOneLine() {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir, false);
        for (const QStringList& args :
             {QStringList{"pareto", "-w", ws, "--quality", "no_such_metric"},
              QStringList{"pareto", "-w", ws, "--quality", "val_accuracy", "--cost", "no_such_cost"},
              QStringList{"pareto", "-w", ws, "--quality", "eval:bogus"},
              QStringList{"pareto", "-w", ws, "--quality", "latency_ms", "--cost", "val_accuracy"}}) {
            const auto r = runRunlens(args);
            QVERIFY2(r.code == 1, qPrintable(args.join(' ') + ": " + r.err));
            QCOMPARE(r.err.count('\n'), 1);
        }
        QCOMPARE(runRunlens({"pareto", "-w", ws, "--within", "abc"}).code, 2);
        QCOMPARE(runRunlens({"pareto", "-w", dir.filePath("missing.runlens")}).code, 1);
    }
};

QTEST_GUILESS_MAIN(TestCliPareto)
#include "test_cli_pareto.moc"
