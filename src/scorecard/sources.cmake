# Compiled sources of bankquant's scorecard module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/bin_editing.cpp
  ${CMAKE_CURRENT_LIST_DIR}/binning.cpp
  ${CMAKE_CURRENT_LIST_DIR}/binning_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/binning_process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/column.cpp
  ${CMAKE_CURRENT_LIST_DIR}/logistic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/monitoring.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reject_inference.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scorecard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/selection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/strategy.cpp
)
