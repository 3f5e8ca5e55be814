// The headless command line: subcommand table, argument parsing shared by every command, exit codes.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runlens::cli {

enum ExitCode : int { kExitOk = 0, kExitBadInput = 1, kExitUsage = 2 };

// Thrown for a usage mistake (unknown option, missing or malformed argument): exit 2 with
// "runlens <cmd>: <message>" and a pointer to --help.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Thrown for bad input (unreadable path, unknown run or tag, no data): exit 1 with "runlens: <message>".
class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Signature every subcommand implements (args exclude the program and the subcommand name).
using CommandFunction = int (*)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct Command {
    std::string_view name;
    std::string_view summary; // one line for `runlens --help`
    std::string_view usage;   // full text for `runlens <name> --help`
    CommandFunction run;      // nullptr: not available in this build (exit 2)
};

// The subcommands, one line each, in the order `runlens --help` lists them. Each is a Command defined in
// app/cmd_<name>.cpp beside its usage text and run function, so adding a command is that file and one line
// here (a macro because the list both declares the commands and, in cli.cpp, builds the table from them).
#define RUNLENS_CLI_COMMANDS(X)                                                                              \
    X(kImportCommand)                                                                                        \
    X(kRunsCommand)                                                                                          \
    X(kSeriesCommand)                                                                                        \
    X(kChartCommand)                                                                                         \
    X(kCalibrationCommand)                                                                                   \
    X(kSlicesCommand)                                                                                        \
    X(kLearningCurveCommand)                                                                                 \
    X(kDiffCommand)                                                                                          \
    X(kRegressionCommand)                                                                                    \
    X(kConfusionCommand)                                                                                     \
    X(kBehaviourCommand)                                                                                     \
    X(kParetoCommand)                                                                                        \
    X(kReportCommand)                                                                                        \
    X(kChecksCommand)                                                                                        \
    X(kCheckCommand)

#define RUNLENS_CLI_DECLARE_COMMAND(command) extern const Command command;
RUNLENS_CLI_COMMANDS(RUNLENS_CLI_DECLARE_COMMAND)
#undef RUNLENS_CLI_DECLARE_COMMAND

// Every subcommand, in the order `runlens --help` lists them.
std::span<const Command* const> commands();
const Command* findCommand(std::string_view name);

// True when argv names a subcommand, --help/-h or --version (the headless path); otherwise main starts the
// GUI.
bool wantsCli(int argc, char** argv);

// Runs the command line; returns the process exit code. Never throws.
int runCli(int argc, char** argv, std::ostream& out, std::ostream& err);

// One option a command accepts: long name ("--tag"), optional short alias ("-o"), whether it takes a value.
struct OptionSpec {
    std::string_view name;
    std::string_view alias;
    bool takesValue = false;
};

// Parsed arguments: "--opt value", "--opt=value", flags, and positionals (everything after "--" is
// positional).
class Args {
  public:
    // Throws UsageError for an unknown option, a missing value or a repeated single-valued option.
    Args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs);

    bool has(std::string_view name) const;
    std::optional<std::string> get(std::string_view name) const;
    std::string get(std::string_view name, std::string_view fallback) const;
    // The value of a required option; UsageError when it is absent.
    std::string require(std::string_view name) const;
    // A number in [lo, hi]; UsageError when it does not parse or is out of range.
    double number(std::string_view name, double fallback, double lo, double hi) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

  private:
    std::map<std::string, std::string, std::less<>> m_values; // flags map to ""
    std::vector<std::string> m_positionals;
};

// Checks that a path can be read; InputError "cannot read PATH: <reason>" otherwise.
void requireReadable(const std::filesystem::path& path);

// The non-empty items of a comma-separated option value: "a,b,,c" -> {"a", "b", "c"}.
std::vector<std::string> splitCommaList(const std::string& text);

// --edges COL:e1,e2,...: the column and at least two increasing finite numbers; a UsageError otherwise.
std::pair<std::string, std::vector<double>> parseEdgesOption(const std::string& text);

// Text of a double for tables and CSV: core numberText in the plain notation JSON output uses, with CSV's
// non-finite spellings ("" for NaN, "inf"/"-inf").
std::string formatNumber(double value);

} // namespace runlens::cli
