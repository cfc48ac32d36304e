# The index stage: real MeCab, real SQLite files in a temp dir. SQLite is
# linked directly too: the tests inspect the tables the index wrote.
fiscdex_test(index_test SOURCES index_test.cc LIBS fiscdex_index SQLite::SQLite3)

# What a search term matches: compounds, long vowels, synonyms, the user
# dictionary (tokens_test.cc reads data/ of the source tree).
fiscdex_test(tokens_test SOURCES tokens_test.cc LIBS fiscdex_index SQLite::SQLite3)
