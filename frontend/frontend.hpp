#pragma once
/// The front end: SQL text → AST (parser) → bound logical plans (binder).

#include "frontend/ast.hpp"
#include "frontend/binder/binder.hpp"
#include "frontend/parser/parser.hpp"
