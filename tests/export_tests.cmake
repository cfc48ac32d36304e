# The export stage: real XLSX, CSV and NDJSON files in a temp dir, each read
# back by a reader that shares nothing with the writer: tests/read_xlsx.py
# (Python's zipfile and xml.etree; openpyxl too when it is installed) and
# Python's csv module.
fiscdex_test(export_test SOURCES export_test.cc LIBS fiscdex_export)
