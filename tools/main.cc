#include "tools/cli.h"

int main(int argc, char** argv) { return fiscdex::cli::RunCli(argc, argv); }
