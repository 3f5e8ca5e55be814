// Dispatches `runlens <command> ...` to its subcommand; every failure becomes one line and an exit code.
#include "app/cli.h"

#include "app/json_writer.h"
#include "core/io/reader.h"
#include "core/library_versions.h"
#include "core/model/number_text.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <unistd.h>

namespace runlens::cli {

namespace {

// Every subcommand, in the order `runlens --help` lists them (RUNLENS_CLI_COMMANDS in cli.h).
#define RUNLENS_CLI_COMMAND_ADDRESS(command) &command,
constexpr const Command* kCommands[] = {RUNLENS_CLI_COMMANDS(RUNLENS_CLI_COMMAND_ADDRESS)};
#undef RUNLENS_CLI_COMMAND_ADDRESS

void printProgramUsage(std::ostream& out) {
    out << "Usage: runlens [PATH...]              start the desktop application (PATH: a workspace or logs)\n"
           "       runlens COMMAND [OPTIONS]      run headless\n\nCommands:\n";
    for (const Command* command : kCommands) {
        std::string name(command->name);
        name.resize(std::max<std::size_t>(name.size(), 16), ' ');
        out << "  " << name << command->summary << (command->run ? "" : " (not in this build)") << '\n';
    }
    out << "\nOptions:\n"
           "  -h, --help        show this help; runlens COMMAND --help shows a command's options\n"
           "  --version         print the version and the versions of the libraries in use\n\n"
           "Exit status: 0 success, 1 bad input, 2 usage error.\n";
}

// Error text on one line whatever the exception carried.
std::string oneLine(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

bool isHelpFlag(std::string_view arg) {
    return arg == "--help" || arg == "-h";
}

bool asksForHelp(const std::vector<std::string>& args) {
    for (const auto& arg : args) {
        if (arg == "--") return false;
        if (isHelpFlag(arg)) return true;
    }
    return false;
}

int runCommand(const Command& command, const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err) {
    const std::string prefix = "runlens " + std::string(command.name);
    if (asksForHelp(args)) {
        out << command.usage;
        return kExitOk;
    }
    if (!command.run) {
        err << prefix << ": not available in this build\n";
        return kExitUsage;
    }
    try {
        return command.run(args, out, err);
    } catch (const UsageError& e) {
        err << prefix << ": " << oneLine(e.what()) << " (see " << prefix << " --help)\n";
        return kExitUsage;
    } catch (const InputError& e) {
        err << "runlens: " << oneLine(e.what()) << '\n';
    } catch (const WorkspaceError& e) {
        err << "runlens: " << oneLine(e.what()) << '\n';
    } catch (const std::bad_alloc&) {
        err << "runlens: out of memory\n";
    } catch (const std::exception& e) {
        err << "runlens: " << oneLine(e.what()) << '\n';
    } catch (...) {
        err << "runlens: unexpected error\n";
    }
    return kExitBadInput;
}

} // namespace

std::span<const Command* const> commands() {
    return kCommands;
}

const Command* findCommand(std::string_view name) {
    for (const Command* command : kCommands)
        if (command->name == name) return command;
    return nullptr;
}

namespace {

// Levenshtein distance, for "did you mean" on a mistyped command (names are short: O(n*m) is nothing).
std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
        }
    }
    return row[b.size()];
}

// A bare word that is no file: what a user types as a command, never a log to open in the GUI.
bool looksLikeCommandWord(std::string_view arg) {
    if (arg.empty() || arg.size() > 40) return false;
    const bool wordy = std::all_of(arg.begin(), arg.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    });
    if (!wordy || arg.front() == '-') return false;
    std::error_code ec;
    return !std::filesystem::exists(std::filesystem::path(arg), ec);
}

std::string unknownCommandMessage(std::string_view name) {
    std::string message = "runlens: unknown command '" + oneLine(std::string(name)) + "'";
    std::string_view best;
    std::size_t bestDistance = 3; // suggest only near misses (two edits at most)
    for (const Command* command : kCommands) {
        const std::size_t d = editDistance(name, command->name);
        if (d < bestDistance) bestDistance = d, best = command->name;
    }
    if (!best.empty()) message += "; did you mean " + std::string(best) + "?";
    return message + " (see runlens --help)";
}

} // namespace

bool wantsCli(int argc, char** argv) {
    if (argc < 2 || !argv[1]) return false;
    const std::string_view first = argv[1];
    return isHelpFlag(first) || first == "--version" || findCommand(first) != nullptr ||
           looksLikeCommandWord(first);
}

int runCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
    if (argc < 2 || !argv[1]) {
        printProgramUsage(err);
        return kExitUsage;
    }
    const std::string_view first = argv[1];
    if (isHelpFlag(first)) {
        printProgramUsage(out);
        return kExitOk;
    }
    if (first == "--version") {
        out << "runlens " << RUNLENS_VERSION << '\n' << libraryVersions();
        return kExitOk;
    }
    const Command* command = findCommand(first);
    if (!command) {
        err << unknownCommandMessage(first) << '\n';
        return kExitUsage;
    }
    std::vector<std::string> args;
    for (int i = 2; i < argc; ++i)
        args.emplace_back(argv[i] ? argv[i] : "");
    return runCommand(*command, args, out, err);
}

Args::Args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs) {
    const auto findSpec = [&](std::string_view name) -> const OptionSpec* {
        for (const auto& spec : specs)
            if (spec.name == name || (!spec.alias.empty() && spec.alias == name)) return &spec;
        return nullptr;
    };
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (onlyPositionals || arg.size() < 2 || arg[0] != '-') {
            m_positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = arg;
        std::optional<std::string> inlineValue;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
            name = arg.substr(0, eq);
            inlineValue = arg.substr(eq + 1);
        }
        const OptionSpec* spec = findSpec(name);
        if (!spec) throw UsageError("unknown option " + name);
        const std::string key(spec->name);
        if (m_values.contains(key)) throw UsageError("option " + key + " given twice");
        if (!spec->takesValue) {
            if (inlineValue) throw UsageError("option " + key + " takes no value");
            m_values[key] = "";
            continue;
        }
        if (inlineValue) {
            m_values[key] = *inlineValue;
            continue;
        }
        if (i + 1 >= args.size()) throw UsageError("option " + key + " needs a value");
        m_values[key] = args[++i];
    }
}

bool Args::has(std::string_view name) const {
    return m_values.find(name) != m_values.end();
}

std::optional<std::string> Args::get(std::string_view name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

std::string Args::get(std::string_view name, std::string_view fallback) const {
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::string(fallback) : it->second;
}

std::string Args::require(std::string_view name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) throw UsageError("missing required option " + std::string(name));
    if (it->second.empty()) throw UsageError("option " + std::string(name) + " needs a non-empty value");
    return it->second;
}

double Args::number(std::string_view name, double fallback, double lo, double hi) const {
    const auto text = get(name);
    if (!text) return fallback;
    double value = 0;
    const char* begin = text->data();
    const char* end = begin + text->size();
    const auto result = std::from_chars(begin, end, value);
    if (result.ec != std::errc() || result.ptr != end || !std::isfinite(value))
        throw UsageError("option " + std::string(name) + " needs a number, not '" + *text + "'");
    if (value < lo || value > hi)
        throw UsageError("option " + std::string(name) + " is out of range [" + formatNumber(lo) + ", " +
                         formatNumber(hi) + "]: " + *text);
    return value;
}

void requireReadable(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec) throw InputError("cannot read " + path.string() + ": " + ec.message());
    if (std::filesystem::is_directory(status)) {
        std::filesystem::directory_iterator probe(path, ec);
        if (ec) throw InputError("cannot read " + path.string() + ": " + ec.message());
        return;
    }
    std::string reason; // a FIFO or device is refused without blocking on it
    const int fd = openRegularFile(path, reason);
    if (fd < 0) throw InputError("cannot read " + path.string() + ": " + reason);
    ::close(fd);
}

std::pair<std::string, std::vector<double>> parseEdgesOption(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw UsageError("--edges takes COL:e1,e2,...");
    std::vector<double> edges;
    for (const auto& item : splitCommaList(text.substr(colon + 1))) {
        char* end = nullptr;
        const double v = std::strtod(item.c_str(), &end);
        if (!end || *end != '\0' || !std::isfinite(v))
            throw UsageError("--edges takes numbers like COL:0,10,100");
        edges.push_back(v);
    }
    if (edges.size() < 2 || !std::is_sorted(edges.begin(), edges.end()))
        throw UsageError("--edges needs at least two increasing numbers");
    return {text.substr(0, colon), std::move(edges)};
}

std::vector<std::string> splitCommaList(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

std::string formatNumber(double value) {
    return numberText(value, kCsvNonFinite, Notation::PlainInEverydayRange);
}

} // namespace runlens::cli
