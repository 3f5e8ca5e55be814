// The layers docs/ARCHITECTURE.md draws, checked over the sources' #include lines: no folder of core, ui or
// app includes one that includes it back, core knows no Qt and no ui, model depends on nothing else in core,
// io and store never on each other, and only core/store touches SQLite.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <QtTest>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Include {
    std::string file;   // relative to the source root, e.g. "ui/charts/chart_card.h"
    std::string target; // as written between the quotes or angle brackets
};

// The folder a source file or a quoted include lives in, two levels deep ("core/io", "ui/charts", "app").
std::string roomOf(const std::string& path) {
    const auto first = path.find('/');
    if (first == std::string::npos) return path;
    if (path.compare(0, first, "app") == 0) return "app";
    const auto second = path.find('/', first + 1);
    return second == std::string::npos ? path.substr(0, first) : path.substr(0, second);
}

std::vector<Include> includesUnder(const fs::path& root, const std::vector<std::string>& tops) {
    static const std::regex includeLine("^\\s*#\\s*include\\s*[\"<]([^\">]+)[\">]");
    std::vector<Include> out;
    for (const std::string& top : tops) {
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            const std::string ext = entry.path().extension().string();
            if (!entry.is_regular_file() || (ext != ".h" && ext != ".cpp")) continue;
            const std::string file = fs::relative(entry.path(), root).generic_string();
            std::ifstream in(entry.path());
            std::smatch match;
            for (std::string line; std::getline(in, line);)
                if (std::regex_search(line, match, includeLine)) out.push_back({file, match[1].str()});
        }
    }
    return out;
}

bool isProjectInclude(const std::string& target) {
    return target.rfind("core/", 0) == 0 || target.rfind("ui/", 0) == 0 || target.rfind("app/", 0) == 0;
}

// Every cycle of the folder graph, as "a -> b -> a", found by a depth-first walk from each folder.
std::vector<std::string> cyclesOf(const std::map<std::string, std::set<std::string>>& edges) {
    std::set<std::string> found;
    std::vector<std::string> path;
    std::function<void(const std::string&)> walk = [&](const std::string& room) {
        const auto it = edges.find(room);
        if (it == edges.end()) return;
        for (const std::string& next : it->second) {
            const auto onPath = std::find(path.begin(), path.end(), next);
            if (onPath != path.end()) {
                std::string cycle;
                for (auto p = onPath; p != path.end(); ++p)
                    cycle += *p + " -> ";
                found.insert(cycle + next);
                continue;
            }
            path.push_back(next);
            walk(next);
            path.pop_back();
        }
    };
    for (const auto& [room, targets] : edges) {
        path = {room};
        walk(room);
    }
    return {found.begin(), found.end()};
}

} // namespace

class TestLayers : public QObject {
    Q_OBJECT

    fs::path m_root = RUNLENS_SOURCE_DIR;
    std::vector<Include> m_includes;

  private slots:
    void initTestCase() {
        m_includes = includesUnder(m_root, {"core", "ui", "app"});
        QVERIFY2(m_includes.size() > 500, "the sources were not found under RUNLENS_SOURCE_DIR");
    }

    void noFolderIncludesOneThatIncludesItBack() {
        std::map<std::string, std::set<std::string>> edges;
        for (const Include& inc : m_includes) {
            if (!isProjectInclude(inc.target)) continue;
            const std::string from = roomOf(inc.file), to = roomOf(inc.target);
            if (from != to) edges[from].insert(to);
        }
        QVERIFY(edges.count("ui/shell") > 0); // the graph was built
        const std::vector<std::string> cycles = cyclesOf(edges);
        std::string list;
        for (const std::string& c : cycles)
            list += c + "; ";
        QVERIFY2(cycles.empty(), list.c_str());
    }

    void coreStaysPlainCpp() {
        for (const Include& inc : m_includes) {
            if (inc.file.rfind("core/", 0) != 0) continue;
            const bool qt = inc.target.size() > 1 && inc.target[0] == 'Q' && std::isupper(inc.target[1]);
            QVERIFY2(!qt && inc.target.rfind("ui/", 0) != 0 && inc.target.rfind("app/", 0) != 0,
                     (inc.file + " includes " + inc.target).c_str());
        }
    }

    void coreFoldersDependOneWay() {
        // What each core folder must not include (docs/ARCHITECTURE.md, "Layers").
        const std::map<std::string, std::vector<std::string>> forbidden{
            {"core/model", {"core/io", "core/store", "core/import", "core/analysis", "core/demo"}},
            {"core/io", {"core/store", "core/import"}},
            {"core/store", {"core/io", "core/import", "core/analysis"}},
            {"core/analysis", {"core/io", "core/store", "core/import"}},
        };
        for (const Include& inc : m_includes) {
            const auto rule = forbidden.find(roomOf(inc.file));
            if (rule == forbidden.end() || !isProjectInclude(inc.target)) continue;
            const std::string to = roomOf(inc.target);
            QVERIFY2(std::find(rule->second.begin(), rule->second.end(), to) == rule->second.end(),
                     (inc.file + " includes " + inc.target).c_str());
        }
    }

    void onlyTheStoreAndSqliteReadersTouchSqlite() {
        for (const Include& inc : m_includes) {
            if (inc.target != "sqlite3.h") continue;
            // The store, the readers of other tools' SQLite files (MLflow, Optuna) in core/io, and the
            // version list `runlens --version` prints (core/library_versions.cpp).
            const std::string room = roomOf(inc.file);
            QVERIFY2(room == "core/store" || room == "core/io" || inc.file == "core/library_versions.cpp",
                     (inc.file + " includes sqlite3.h").c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestLayers)
#include "test_layers.moc"
