# The export stage: real XLSX, CSV and NDJSON files in a temp dir, each read
# back by a reader that shares nothing with the writer: tests/read_xlsx.py
# (Python's zipfile and xml.etree; openpyxl too when it is installed) and
# Python's csv module.
fiscdex_test(export_test SOURCES export_test.cc LIBS fiscdex_export)

# The HTML report's data, page and command (the browser half is in
# browser_tests.cmake).
find_package(ZLIB REQUIRED)
fiscdex_test(report_test SOURCES report_test.cc LIBS fiscdex_report ZLIB::ZLIB)
add_dependencies(report_test fiscdex)
