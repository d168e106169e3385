// bankquant/graph.hpp — graph fraud mining: the transaction graph, components, PageRank.
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/components.hpp"
#include "bankquant/graph/pagerank.hpp"
#include "bankquant/graph/transaction_graph.hpp"
