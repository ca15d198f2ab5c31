#pragma once
/// The ir module: bound expressions, logical plans, the optimizer, physical plans.
#include "ir/expression.hpp"
#include "ir/logical.hpp"
#include "ir/optimizer.hpp"
#include "ir/physical.hpp"
