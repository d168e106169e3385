# Compiled sources of bankquant's core module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/count_distribution.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_io.cpp
  ${CMAKE_CURRENT_LIST_DIR}/optimize.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/random.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statistics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/threading.cpp
)
