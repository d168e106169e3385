// bankquant/graph/direction.hpp — which way along transfers a walk may go.
//
// out: payer to payee (follow the money); in: payee to payer (where it came from); both: either
// way (the undirected view). Shared by neighbourhoods and closeness.
#pragma once

#include "bankquant/core/enum_names.hpp"

namespace bankquant::graph {

enum class Direction { out, in, both };
BANKQUANT_ENUM_NAMES(Direction, {out, "out"}, {in, "in"}, {both, "both"})

}  // namespace bankquant::graph
