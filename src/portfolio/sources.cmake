# Compiled sources of bankquant's portfolio module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/active_set.cpp
  ${CMAKE_CURRENT_LIST_DIR}/advisor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backtest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/black_litterman.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clustering.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cointegration.cpp
  ${CMAKE_CURRENT_LIST_DIR}/covariance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cvar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expected_returns.cpp
  ${CMAKE_CURRENT_LIST_DIR}/frontier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hrp.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interior_point.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lp.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mean_variance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/naive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/performance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qp.cpp
  ${CMAKE_CURRENT_LIST_DIR}/risk_parity.cpp
  ${CMAKE_CURRENT_LIST_DIR}/strategies.cpp
)
