# End-to-end tests of the fiscdex binary (run as a subprocess, found through
# FISCDEX_BINARY_DIR), plus unit tests of the CLI's own helpers.
fiscdex_test(cli_test SOURCES cli_test.cc LIBS fiscdex_cli)
add_dependencies(cli_test fiscdex)

# An ingest killed at random points, searches during an ingest.
fiscdex_test(crash_test SOURCES crash_test.cc LIBS fiscdex_index)
add_dependencies(crash_test fiscdex)
# The ingest batch's promises at library level (incremental runs, moves,
# pruning, jobs), and the CLI's robustness against bad input, permissions,
# a full disk and a second ingest.
fiscdex_test(ingest_batch_test SOURCES ingest_batch_test.cc LIBS fiscdex_cli SQLite::SQLite3)
fiscdex_test(cli_robustness_test SOURCES cli_robustness_test.cc LIBS fiscdex_cli)
add_dependencies(cli_robustness_test fiscdex)

# The assessment commands (coverage, criteria, diff, export) on the corpus.
fiscdex_test(cli_assess_test SOURCES cli_assess_test.cc LIBS fiscdex_cli)
add_dependencies(cli_assess_test fiscdex)
