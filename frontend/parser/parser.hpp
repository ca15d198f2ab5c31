#pragma once
/// The SQL parser: text in, AST out. The only entry point of frontend/parser/;
/// no ANTLR type appears here.

#include <string_view>
#include <vector>

#include "frontend/ast.hpp"

namespace grizzly::frontend {

/// Parses a script of ';'-separated statements (empty statements are skipped,
/// the final ';' is optional) into one AST per statement, each with its source
/// text and position.
///
/// Throws Error (SQLSTATE 42601) on a syntax error, positioned at the offending
/// token: `syntax error at or near "FORM"`, or `at end of input`. Positions are
/// 1-based line and column (in characters) and the byte offset into `sql`.
/// Invalid DATE/TIMESTAMP/INTERVAL literals raise the datetime text errors.
///
/// Thread-safe: each call builds its own lexer and parser; only ANTLR's
/// prediction cache (internally synchronised) is shared between calls.
std::vector<ast::StatementPtr> ParseSql(std::string_view sql);

}  // namespace grizzly::frontend
