# corpus/: golden end-to-end extraction tests, and the helpers they use.

# The JSON reader and the comparison (json_reader.h, corpus_compare.h) need no
# stage beyond base/, so their tests run while the stages are being written.
fiscdex_test(corpus_support_test SOURCES corpus_support_test.cc
  LIBS fiscdex_base ICU::uc ICU::data)

# One test per corpus/*.expected.json. Until ingest/ and extract/ are real
# libraries the binary cannot link: it is left out of `all` (its ctest entry
# then fails as not built) instead of breaking everyone's full build.
fiscdex_test(corpus_test SOURCES corpus_test.cc
  LIBS fiscdex_extract fiscdex_normalize fiscdex_ingest ICU::uc ICU::data)
foreach(stage fiscdex_ingest fiscdex_normalize fiscdex_extract)
  get_target_property(corpus_stage_type ${stage} TYPE)
  if(corpus_stage_type STREQUAL "INTERFACE_LIBRARY")
    set_target_properties(corpus_test PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
endforeach()

# The benchmark's corpus generator (bench/corpus_gen.h) and PDF inputs
# (bench/pdf_corpus.h, whose generated PDF is checked with the real reader).
if(TARGET fiscdex_bench_corpus)
  fiscdex_test(bench_corpus_test SOURCES bench_corpus_test.cc
               LIBS fiscdex_bench_corpus fiscdex_ingest)
endif()
