// bankquant/graph.hpp — graph fraud mining: the transaction graph and the algorithms on it.
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/community.hpp"
#include "bankquant/graph/components.hpp"
#include "bankquant/graph/pagerank.hpp"
#include "bankquant/graph/transaction_graph.hpp"
#include "bankquant/graph/undirected_graph.hpp"
#include "bankquant/graph/union_find.hpp"
