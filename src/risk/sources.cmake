# Compiled sources of bankquant's risk module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/attribution.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backtest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backtest_runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bootstrap.cpp
  ${CMAKE_CURRENT_LIST_DIR}/delta_gamma.cpp
  ${CMAKE_CURRENT_LIST_DIR}/distributions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/es_backtest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/monte_carlo.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pricing/black_scholes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pricing/bond.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pricing/curve.cpp
  ${CMAKE_CURRENT_LIST_DIR}/revaluation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tail.cpp
  ${CMAKE_CURRENT_LIST_DIR}/var.cpp
  ${CMAKE_CURRENT_LIST_DIR}/volatility.cpp
)
