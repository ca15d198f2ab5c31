#pragma once
/// Expressions stored as SQL text in the catalog (CHECK constraints, column
/// defaults, trigger WHEN clauses), bound against one table's row.

#include "frontend/frontend.hpp"

namespace grizzly {

/// Parses `sql` as an expression and binds it over the columns of `table`;
/// column references become positions (column index) so the expression can be
/// evaluated on a chunk laid out in the table's column order.
ir::ExprPtr BindRowExpression(frontend::BinderShared& shared, storage::TableEntry& table, const std::string& sql);

/// Parses `sql` as a standalone expression ("SELECT <sql>").
ast::ExprPtr ParseExpression(const std::string& sql);

}  // namespace grizzly
