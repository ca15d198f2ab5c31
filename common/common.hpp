#pragma once
/// The common module: types, values, the string layout, errors, date/number text.

#include "common/datetime.hpp"
#include "common/error.hpp"
#include "common/types.hpp"
#include "common/value.hpp"
#include "common/vector.hpp"
