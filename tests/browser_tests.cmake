# Browser tests: pages loaded in a real headless Chromium, driven over the DevTools
# protocol by tests/browser/cdp.py (Python's standard library only, a pipe rather than a
# WebSocket). Each test exits 77, and ctest reports it as skipped with the reason in its
# output, when there is no Chromium (Debian: apt-get install chromium; or point
# FISCDEX_CHROMIUM at a binary). Run just these with `ctest -L browser`.
#
# Debian's interpreter, isolated (-I: no PYTHON* variables, no user site-packages), as
# the export tests use it; any python3 on PATH when there is none.
if(EXISTS /usr/bin/python3)
  set(FISCDEX_BROWSER_PYTHON /usr/bin/python3)
else()
  find_program(FISCDEX_BROWSER_PYTHON python3 REQUIRED)
endif()

# The driver's own check: every feature of cdp.py on a small page. Screenshots, PDFs
# and Chromium's log are left in the build tree for a look after a failure.
add_test(NAME browser_cdp_selftest
  COMMAND "${FISCDEX_BROWSER_PYTHON}" -I "${CMAKE_CURRENT_SOURCE_DIR}/browser/cdp_selftest.py"
          --artifacts "${CMAKE_CURRENT_BINARY_DIR}/browser-artifacts/cdp_selftest")
set_tests_properties(browser_cdp_selftest PROPERTIES
  SKIP_RETURN_CODE 77
  TIMEOUT 300
  LABELS browser)

# The report: fiscdex indexes corpus/ and a hostile whitepaper, writes its report, and the
# page is checked in the browser (tests/browser/report_browser_test.py says what). The
# screenshots and the printed PDF stay in the build tree: look at them.
add_test(NAME browser_report
  COMMAND "${FISCDEX_BROWSER_PYTHON}" -I "${CMAKE_CURRENT_SOURCE_DIR}/browser/report_browser_test.py"
          --fiscdex "$<TARGET_FILE:fiscdex>" --source "${PROJECT_SOURCE_DIR}"
          --artifacts "${CMAKE_CURRENT_BINARY_DIR}/browser-artifacts/report")
set_tests_properties(browser_report PROPERTIES
  SKIP_RETURN_CODE 77
  TIMEOUT 600
  LABELS browser)
