// distinctNameTails: short run names that still tell runs apart (worked by hand in each row).
#include "core/model/run_names.h"

#include <QtTest>

using namespace runlens;

class TestRunNames : public QObject {
    Q_OBJECT
  private slots:
    void tails_data();
    void tails();
};

void TestRunNames::tails_data() {
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("expected");
    // The shared folder goes; the model and size stay.
    QTest::newRow("sweep") << QStringList{"size_sweep/gbm_n002000_seed0", "size_sweep/mlp_n002000_seed0"}
                           << QStringList{"gbm_n002000_seed0", "mlp_n002000_seed0"};
    // "seed0" is the tail of both, so one more folder is kept.
    QTest::newRow("same leaf") << QStringList{"a/b/seed0", "a/c/seed0"} << QStringList{"b/seed0", "c/seed0"};
    // No '/': the name itself. A tail equal to another run's whole name is not unique.
    QTest::newRow("plain") << QStringList{"lr0.001-bs32", "x/lr0.001-bs32"}
                           << QStringList{"lr0.001-bs32", "x/lr0.001-bs32"};
    // Only one run in the folder: its leaf alone is unique.
    QTest::newRow("deep") << QStringList{"exp/2026/run7", "other"} << QStringList{"run7", "other"};
    // A trailing '/' has no tail after it.
    QTest::newRow("trailing slash") << QStringList{"dir/"} << QStringList{"dir/"};
    QTest::newRow("empty") << QStringList{} << QStringList{};
}

void TestRunNames::tails() {
    QFETCH(QStringList, names);
    QFETCH(QStringList, expected);
    std::vector<std::string> in;
    for (const QString& name : names)
        in.push_back(name.toStdString());
    const std::vector<std::string> got = distinctNameTails(in);
    QCOMPARE(static_cast<qsizetype>(got.size()), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(QString::fromStdString(got[static_cast<std::size_t>(i)]), expected[i]);
}

QTEST_APPLESS_MAIN(TestRunNames)
#include "test_run_names.moc"
