// Program entry: headless subcommands (`runlens import ...`) or, without one, the desktop application.
#include "app/cli.h"
#include "ui/shell/gui_entry.h"

#include <iostream>

int main(int argc, char** argv) {
    if (runlens::cli::wantsCli(argc, argv)) return runlens::cli::runCli(argc, argv, std::cout, std::cerr);
    return runlens::ui::runGui(argc, argv);
}
