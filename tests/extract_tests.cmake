fiscdex_test(extract_test
  SOURCES extract_test.cc
  LIBS fiscdex_extract fiscdex_normalize fiscdex_ingest)
fiscdex_test(seed_golden_test
  SOURCES seed_golden_test.cc
  LIBS fiscdex_extract fiscdex_normalize fiscdex_ingest ICU::uc ICU::i18n)
