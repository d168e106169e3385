# Compiled sources of bankquant's forecast module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/accuracy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/arima.cpp
  ${CMAKE_CURRENT_LIST_DIR}/baselines.cpp
  ${CMAKE_CURRENT_LIST_DIR}/decomposition.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fourier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intermittent.cpp
  ${CMAKE_CURRENT_LIST_DIR}/panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/prediction.cpp
  ${CMAKE_CURRENT_LIST_DIR}/theta.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transform.cpp
)
