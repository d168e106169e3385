# Compiled sources of bankquant's graph module (included by the top-level CMakeLists.txt).
target_sources(bankquant PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/alerts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/centrality.cpp
  ${CMAKE_CURRENT_LIST_DIR}/community.cpp
  ${CMAKE_CURRENT_LIST_DIR}/community_alerts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dense_blocks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/edge_batch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/edge_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/edge_filter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/edge_lists.cpp
  ${CMAKE_CURRENT_LIST_DIR}/entity_resolution.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hubs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/k_core.cpp
  ${CMAKE_CURRENT_LIST_DIR}/neighbourhood.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/screening.cpp
  ${CMAKE_CURRENT_LIST_DIR}/streaming.cpp
  ${CMAKE_CURRENT_LIST_DIR}/synthetic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/temporal_cycles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/typologies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/undirected_graph.cpp
)
# Compiled on their own, outside the unity batches: the batches keep their contents (adding these
# did not rebuild every later batch), and the two compile in parallel with them.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/centrality.cpp ${CMAKE_CURRENT_LIST_DIR}/neighbourhood.cpp
  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
