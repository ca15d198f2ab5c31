#pragma once
/// The storage module: catalog, table data, undo log.
#include "storage/catalog.hpp"
#include "storage/table_data.hpp"
