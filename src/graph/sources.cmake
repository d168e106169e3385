# Compiled sources of bankquant's graph module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/community.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dense_blocks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/edge_lists.cpp
  ${CMAKE_CURRENT_LIST_DIR}/entity_resolution.cpp
  ${CMAKE_CURRENT_LIST_DIR}/graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/k_core.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node_statistics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/temporal_cycles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/typologies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/undirected_graph.cpp
)
