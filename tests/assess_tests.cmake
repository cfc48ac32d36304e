# The assessment: status rules (table-driven), versions, and the rules
# scored against the hand labels of bench/status (thresholds below the
# measured figures, so that a rule change that loses accuracy fails).
fiscdex_test(assess_test SOURCES assess_test.cc LIBS fiscdex_assess fiscdex_extract)
if(TARGET score_status)
  add_test(NAME StatusLabels.CorpusRecords
           COMMAND score_status --check 0.97,0.80 ${PROJECT_SOURCE_DIR}/bench/status/labels_corpus.tsv)
  add_test(NAME StatusLabels.UnseenAnswers
           COMMAND score_status --check 0.90,0.90 ${PROJECT_SOURCE_DIR}/bench/status/unseen.tsv)
  add_test(NAME StatusLabels.DevAnswers3
           COMMAND score_status --check 0.95,0.95 ${PROJECT_SOURCE_DIR}/bench/status/dev3.tsv)
  add_test(NAME StatusLabels.UnseenAnswers2
           COMMAND score_status --check 0.82,0.86 ${PROJECT_SOURCE_DIR}/bench/status/unseen2.tsv)
  add_test(NAME StatusLabels.UnseenAnswers3
           COMMAND score_status --check 0.86,0.86 ${PROJECT_SOURCE_DIR}/bench/status/unseen3.tsv)
  if(EXISTS "${PROJECT_SOURCE_DIR}/../shared/realworld")
    add_test(NAME StatusLabels.RealworldRecords
             COMMAND score_status --check 0.93,0.80 ${PROJECT_SOURCE_DIR}/bench/status/labels_realworld.tsv)
  endif()
endif()
