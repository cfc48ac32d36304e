# The compare stage: DiffText on hand-written answer pairs and on generated
# ones (round trip, long texts).
fiscdex_test(compare_test SOURCES compare_test.cc LIBS fiscdex_compare)
