// bankquant/graph.hpp — graph fraud mining: the transaction graph and the algorithms on it.
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/community.hpp"
#include "bankquant/graph/components.hpp"
#include "bankquant/graph/dense_blocks.hpp"
#include "bankquant/graph/edge_lists.hpp"
#include "bankquant/graph/entity_resolution.hpp"
#include "bankquant/graph/k_core.hpp"
#include "bankquant/graph/node_statistics.hpp"
#include "bankquant/graph/pagerank.hpp"
#include "bankquant/graph/temporal_cycles.hpp"
#include "bankquant/graph/transaction_graph.hpp"
#include "bankquant/graph/typologies.hpp"
#include "bankquant/graph/undirected_graph.hpp"
#include "bankquant/graph/union_find.hpp"
