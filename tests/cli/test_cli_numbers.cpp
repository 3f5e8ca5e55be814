// Issue 14 end to end: explicit --label/--score win over column names, `diff` reports and checks its
// alignment, `slices --json` carries the Simpson conditions. Expected numbers are worked by hand in comments.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Result = runlens::test::CliResult;

Result run(const QStringList& args, const QString& cwd) {
    return runlens::test::runRunlens(args, 120000, {}, cwd);
}

QJsonObject json(const Result& r) {
    return runlens::test::jsonOf(r);
}

void writeFile(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TestCliNumbers : public QObject {
    Q_OBJECT
  private slots:
    void explicitColumnsWinOverNames() {
        // The real label is "truth" and the real score "confidence"; the file also has a column named
        // "label" with three text values and one named "score" holding 1.7 and text, either of which the
        // name recognition would take (and reject). Four rows: truth 1 1 0 0, confidence .9 .6 .3 .2: at
        // 0.5 all four are right (accuracy 1), and AUC = 1.
        QTemporaryDir dir;
        writeFile(dir.filePath("odd.csv"), "label,score,truth,confidence\n"
                                           "cat,1.7,1,0.9\n"
                                           "dog,x,1,0.6\n"
                                           "eel,0.5,0,0.3\n"
                                           "cat,2,0,0.2\n");
        for (const char* name : {"calibration", "slices", "diff"}) {
            const QString command = QString::fromLatin1(name);
            QStringList args{command, "odd.csv"};
            if (command == "slices")
                args << "--by"
                     << "label";
            if (command == "diff") args << "odd.csv";
            args << "--label"
                 << "truth"
                 << "--score"
                 << "confidence"
                 << "--json";
            const auto r = run(args, dir.path());
            QVERIFY2(r.code == 0, qPrintable(command + ": " + r.err));
            const auto o = json(r);
            if (command == "calibration") {
                QCOMPARE(o["n"].toInt(), 4);
                QCOMPARE(o["positives"].toInt(), 2);
                QCOMPARE(o["accuracy"].toDouble(), 1.0);
                QCOMPARE(o["roc_auc"].toDouble(), 1.0);
            } else if (command == "slices") {
                QCOMPARE(o["overall"].toObject().begin().value().toObject()["value"].toDouble(), 1.0);
                QCOMPARE(o["slices"].toArray().size(), 3); // cat, dog, eel: "label" is now a feature
            } else {
                QCOMPARE(o["paired"].toObject()["n"].toInt(), 4);
            }
        }
        // Without the overrides the same file is refused with the reason, not a crash.
        const auto refused = run({"calibration", "odd.csv"}, dir.path());
        QCOMPARE(refused.code, 1);
        QVERIFY(!refused.err.isEmpty());
    }

    void diffReportsItsAlignment() {
        // A: ids a b c d e e; B: b c d x f. As in tests/analysis/test_paired_alignment.cpp: matched 3 (b c
        // d), only_a 1 (a), only_b 2 (x f), duplicates 1 (e twice in A), label_conflicts 1 (d), used 2.
        QTemporaryDir dir;
        writeFile(dir.filePath("a.csv"),
                  "id,label,score\na,1,0.9\nb,0,0.2\nc,1,0.8\nd,1,0.7\ne,0,0.1\ne,0,0.3\n");
        writeFile(dir.filePath("b.csv"), "id,label,score\nb,0,0.4\nc,1,0.6\nd,0,0.3\nx,1,0.5\nf,0,0.5\n");
        const auto r = run({"diff", "a.csv", "b.csv", "--json"}, dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        const auto paired = json(r)["paired"].toObject();
        const auto al = paired["alignment"].toObject();
        QCOMPARE(al["by"].toString(), QString("id"));
        QCOMPARE(al["matched"].toInt(), 3);
        QCOMPARE(al["only_a"].toInt(), 1);
        QCOMPARE(al["only_b"].toInt(), 2);
        QCOMPARE(al["duplicates"].toInt(), 1);
        QCOMPARE(al["label_conflicts"].toInt(), 1);
        QCOMPARE(al["used"].toInt(), 2);
        QCOMPARE(paired["n"].toInt(), 2);
        // Two pairs hold one positive and one negative: DeLong needs two of each, so it is skipped.
        QVERIFY(paired["delong"].isNull());
        QVERIFY(!paired["delong_skipped"].toString().isEmpty());
        // The Markdown report carries the one-line warning.
        const auto text = run({"diff", "a.csv", "b.csv"}, dir.path());
        QCOMPARE(text.code, 0);
        QVERIFY2(
            text.out.contains("warning: aligned by id, 2 pairs used; left out: 1 id only in A, 2 ids only in "
                              "B, 1 duplicated id row, 1 id whose labels differ"),
            text.out.constData());
    }

    void diffRefusesRowsWhoseLabelsDiffer() {
        // No id column; row 2 has label 0 in A and 1 in B: pairing by position would pair different examples.
        QTemporaryDir dir;
        writeFile(dir.filePath("a.csv"), "label,score\n1,0.9\n0,0.2\n1,0.8\n");
        writeFile(dir.filePath("b.csv"), "label,score\n1,0.7\n1,0.6\n1,0.4\n");
        const auto r = run({"diff", "a.csv", "b.csv", "--json"}, dir.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("first row 2 (label 0 in A, 1 in B)"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1); // one line
        // Same labels, no ids: paired by row.
        writeFile(dir.filePath("c.csv"), "label,score\n1,0.6\n0,0.4\n1,0.3\n");
        const auto ok = run({"diff", "a.csv", "c.csv", "--json"}, dir.path());
        QVERIFY2(ok.code == 0, ok.err.constData());
        const auto al = json(ok)["paired"].toObject()["alignment"].toObject();
        QCOMPARE(al["by"].toString(), QString("row"));
        QCOMPARE(al["matched"].toInt(), 3);
    }

    void slicesJsonStatesTheConditions() {
        // Same ids e0..e59 and strata in both files, accuracy. A: s1 18/20, s2 10/20, s3 10/20; B: 10/20,
        // 11/20, 11/20. B wins 2 of 3 strata (partial) although A wins overall; the examples are proven
        // identical, so a COMPLETE reversal is impossible, and the JSON says which conditions held.
        QTemporaryDir dir;
        auto write = [&](const QString& name, const QList<int>& correct) {
            QByteArray text = "id,label,prediction,group\n";
            for (int s = 0; s < 3; ++s)
                for (int i = 0; i < 20; ++i)
                    text += QString("e%1,1,%2,s%3\n")
                                .arg(s * 20 + i)
                                .arg(i < correct[s] ? 1 : 0)
                                .arg(s + 1)
                                .toUtf8();
            writeFile(dir.filePath(name), text);
        };
        write("A.csv", {18, 10, 10});
        write("B.csv", {10, 11, 11});
        const auto r = run({"slices", "A.csv", "B.csv", "--by", "group", "--json"}, dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        const auto o = json(r);
        QVERIFY(o["identical_examples"].toBool());
        QVERIFY(o["same_strata"].toBool());
        const auto s = o["simpson"].toObject();
        QCOMPARE(s["reversal"].toString(), QString("partial"));
        QVERIFY(!s["complete_reversal_possible"].toBool());
        QVERIFY(!s["mix_explains"].toBool());
        const auto c = s["conditions"].toObject();
        QVERIFY(c["identical_examples"].toBool() && c["same_strata"].toBool() &&
                c["all_strata_comparable"].toBool() && c["decomposable_metric"].toBool());
        // The same files without ids prove nothing: a complete reversal is then possible.
        auto strip = [&](const QString& name) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QByteArray out;
            for (const QByteArray& line : f.readAll().split('\n'))
                if (!line.isEmpty()) out += line.mid(line.indexOf(',') + 1) + "\n";
            writeFile(dir.filePath("noid_" + name), out);
        };
        strip("A.csv");
        strip("B.csv");
        const auto n = run({"slices", "noid_A.csv", "noid_B.csv", "--by", "group", "--json"}, dir.path());
        QVERIFY2(n.code == 0, n.err.constData());
        const auto no = json(n);
        QVERIFY(!no["identical_examples"].toBool());
        QVERIFY(no["simpson"].toObject()["complete_reversal_possible"].toBool());
        QVERIFY(no["examples_note"].toString().contains("no id column"));
    }
};

QTEST_GUILESS_MAIN(TestCliNumbers)
#include "test_cli_numbers.moc"
