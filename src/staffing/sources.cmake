# Compiled sources of bankquant's staffing module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/erlang.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pooling.cpp
  ${CMAKE_CURRENT_LIST_DIR}/required_servers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/requirements.cpp
  ${CMAKE_CURRENT_LIST_DIR}/roster.cpp
  ${CMAKE_CURRENT_LIST_DIR}/roster_solver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simulation.cpp
)
