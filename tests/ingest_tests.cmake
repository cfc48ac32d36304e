# The ingest stage's suite. ICU is linked directly because the tests build
# Shift_JIS, EUC-JP and UTF-16 bytes with it, independently of the code under test.
fiscdex_test(ingest_test SOURCES ingest_test.cc LIBS fiscdex_ingest ICU::uc ICU::data)

# The PDF reader: its layout engine on word boxes, and real Poppler on the
# fixtures of corpus/pdf and tests/data/pdf.
fiscdex_test(pdf_test SOURCES pdf_test.cc LIBS fiscdex_pdf_layout fiscdex_ingest)

# The PDF reader at its limits: /Rotate, text beyond the page edge, and big
# input (many rules, many rows, a huge cell), on PDFs the tests write.
fiscdex_test(pdf_limits_test SOURCES pdf_limits_test.cc LIBS fiscdex_pdf_layout fiscdex_ingest)
