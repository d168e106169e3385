# Compiled sources of bankquant's scorecard module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/binning.cpp
  ${CMAKE_CURRENT_LIST_DIR}/logistic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/monitoring.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scorecard.cpp
)
