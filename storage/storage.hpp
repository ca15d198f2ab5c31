#pragma once
/// The storage module: catalog, table data, undo log, import and export.
#include "storage/catalog.hpp"
#include "storage/file/database_file.hpp"
#include "storage/file/file_io.hpp"
#include "storage/file/storage_info.hpp"
#include "storage/io/csv.hpp"
#include "storage/io/file_stream.hpp"
#include "storage/table_data.hpp"
#include "storage/tpch/dbgen.hpp"
