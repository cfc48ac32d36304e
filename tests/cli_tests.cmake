# End-to-end tests of the fiscdex binary (run as a subprocess, found through
# FISCDEX_BINARY_DIR), plus unit tests of the CLI's own helpers.
fiscdex_test(cli_test SOURCES cli_test.cc LIBS fiscdex_cli)
add_dependencies(cli_test fiscdex)
