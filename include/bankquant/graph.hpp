// bankquant/graph.hpp — graph fraud mining: the transaction graph and the algorithms on it.
// (Internals live in bankquant/graph/detail/ and are not included here.)
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/community.hpp"
#include "bankquant/graph/community_alerts.hpp"
#include "bankquant/graph/components.hpp"
#include "bankquant/graph/dense_blocks.hpp"
#include "bankquant/graph/edge_batch.hpp"
#include "bankquant/graph/edge_features.hpp"
#include "bankquant/graph/entity_resolution.hpp"
#include "bankquant/graph/evaluation.hpp"
#include "bankquant/graph/hubs.hpp"
#include "bankquant/graph/k_core.hpp"
#include "bankquant/graph/node_features.hpp"
#include "bankquant/graph/pagerank.hpp"
#include "bankquant/graph/screening.hpp"
#include "bankquant/graph/streaming.hpp"
#include "bankquant/graph/synthetic.hpp"
#include "bankquant/graph/temporal_cycles.hpp"
#include "bankquant/graph/transaction_graph.hpp"
#include "bankquant/graph/typologies.hpp"
