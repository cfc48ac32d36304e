# The index stage: real MeCab, real SQLite files in a temp dir. SQLite is
# linked directly too: the tests inspect the tables the index wrote.
fiscdex_test(index_test SOURCES index_test.cc LIBS fiscdex_index SQLite::SQLite3)
