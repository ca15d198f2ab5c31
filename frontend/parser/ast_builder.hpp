#pragma once
/// Internal to frontend/parser/: turns a GrizzlySQL parse tree into the AST.
///
/// AstBuilder is a visitor over the generated parse tree. Rules with labelled
/// alternatives (statements, value expressions, primaries, set expressions,
/// table primaries) are dispatched through accept(); each visit method stores
/// its node in one of the `*_out_` slots, which the typed Build* wrapper takes
/// straight away. Plain rules are walked by the Build* methods directly.
///
/// One builder serves one ParseSql call and one thread. It reads positions and
/// source slices from the original text: ANTLR counts characters (code points),
/// the AST reports byte offsets, so a SourceMap translates between the two.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "GrizzlySQLBaseVisitor.h"
#include "GrizzlySQLParser.h"
#include "frontend/ast.hpp"

namespace grizzly::frontend {

using GP = grammar::GrizzlySQLParser;

/// Maps ANTLR character indices (code points) to byte offsets of the UTF-8 source.
class SourceMap {
public:
    /// Validates `sql` as UTF-8; throws a 42601 Error positioned at the first bad byte.
    explicit SourceMap(std::string_view sql);

    /// Byte offset of the character with index `char_index` (the size for one past the end).
    uint32_t ByteOffset(size_t char_index) const {
        if (byte_offsets_.empty()) return static_cast<uint32_t>(char_index < size_ ? char_index : size_);
        return char_index < byte_offsets_.size() ? byte_offsets_[char_index] : static_cast<uint32_t>(size_);
    }

private:
    size_t size_ = 0;
    std::vector<uint32_t> byte_offsets_;  ///< empty for pure ASCII input, where index == offset
};

class AstBuilder : public grammar::GrizzlySQLBaseVisitor {
public:
    AstBuilder(std::string_view sql, const SourceMap& source_map) : sql_(sql), map_(source_map) {}

    /// Builds every non-empty statement of the script, with its text and position.
    std::vector<ast::StatementPtr> BuildScript(GP::ScriptContext* ctx);

    // ───── positions and source text ─────
    SourcePos Pos(antlr4::Token* token) const;
    SourcePos Pos(antlr4::ParserRuleContext* ctx) const { return Pos(ctx->getStart()); }
    /// The exact source text of `ctx` (from its first to its last token).
    std::string Text(antlr4::ParserRuleContext* ctx) const;
    /// The source text of one token, as a view into the input.
    std::string_view TokenText(antlr4::Token* token) const;

    // ───── names ─────
    /// Unquoted names are folded to lower case; "quoted" and `backticked` keep their case.
    std::string Ident(antlr4::Token* token) const;
    std::string Ident(GP::IdentifierContext* ctx) const { return Ident(ctx->getStart()); }
    std::vector<std::string> Names(GP::QualifiedNameContext* ctx) const;
    std::vector<std::string> Names(GP::IdentifierListContext* ctx) const;
    std::string AliasName(GP::AliasNameContext* ctx) const;
    ast::TypeName BuildTypeName(GP::TypeNameContext* ctx) const;

    // ───── statements (ast_builder_stmt.cpp) ─────
    ast::StatementPtr BuildStatement(GP::StatementContext* ctx);

    // ───── queries (ast_builder_query.cpp) ─────
    std::unique_ptr<ast::Query> BuildQuery(GP::QueryContext* ctx);
    ast::TableRefPtr BuildFromList(const std::vector<GP::TableRefContext*>& refs);
    ast::TableRefPtr BuildTableRef(GP::TableRefContext* ctx);
    std::vector<ast::OrderItem> BuildOrderBy(GP::OrderByClauseContext* ctx);
    ast::SelectItem BuildSelectItem(GP::SelectItemContext* ctx);

    // ───── expressions (ast_builder_expr.cpp) ─────
    ast::ExprPtr BuildExpr(GP::ExprContext* ctx);
    ast::ExprPtr BuildValue(GP::ValueExprContext* ctx);
    std::vector<ast::ExprPtr> BuildExprList(GP::ExprListContext* ctx);
    std::unique_ptr<ast::FunctionExpr> BuildFunctionCall(GP::FunctionCallContext* ctx);
    /// name(args) as written after CALL or in FROM; `name = value` arguments
    /// become named arguments when `equals_names` is set (CALL).
    std::unique_ptr<ast::FunctionExpr> BuildCallArgs(GP::QualifiedNameContext* name,
                                                     const std::vector<GP::FunctionArgContext*>& args,
                                                     bool equals_names);
    ast::ExprPtr BuildLiteral(GP::LiteralContext* ctx);
    std::unique_ptr<ast::WindowSpec> BuildWindowSpec(GP::WindowSpecContext* ctx);

    // ───── labelled-alternative visitors ─────
    // Statements
    antlrcpp::Any visitSelectStmt(GP::SelectStmtContext* ctx) override;
    antlrcpp::Any visitCreateTableStmt(GP::CreateTableStmtContext* ctx) override;
    antlrcpp::Any visitCreateViewStmt(GP::CreateViewStmtContext* ctx) override;
    antlrcpp::Any visitCreateIndexStmt(GP::CreateIndexStmtContext* ctx) override;
    antlrcpp::Any visitCreateFunctionStmt(GP::CreateFunctionStmtContext* ctx) override;
    antlrcpp::Any visitCreateMacroStmt(GP::CreateMacroStmtContext* ctx) override;
    antlrcpp::Any visitCreateTriggerStmt(GP::CreateTriggerStmtContext* ctx) override;
    antlrcpp::Any visitCreateDatabaseStmt(GP::CreateDatabaseStmtContext* ctx) override;
    antlrcpp::Any visitCreateSchemaStmt(GP::CreateSchemaStmtContext* ctx) override;
    antlrcpp::Any visitDropStmt(GP::DropStmtContext* ctx) override;
    antlrcpp::Any visitAlterTableStmt(GP::AlterTableStmtContext* ctx) override;
    antlrcpp::Any visitInsertStmt(GP::InsertStmtContext* ctx) override;
    antlrcpp::Any visitUpdateStmt(GP::UpdateStmtContext* ctx) override;
    antlrcpp::Any visitDeleteStmt(GP::DeleteStmtContext* ctx) override;
    antlrcpp::Any visitTransactionStmt(GP::TransactionStmtContext* ctx) override;
    antlrcpp::Any visitExplainStmt(GP::ExplainStmtContext* ctx) override;
    antlrcpp::Any visitPrepareStmt(GP::PrepareStmtContext* ctx) override;
    antlrcpp::Any visitExecuteStmt(GP::ExecuteStmtContext* ctx) override;
    antlrcpp::Any visitDeallocateStmt(GP::DeallocateStmtContext* ctx) override;
    antlrcpp::Any visitCopyStmt(GP::CopyStmtContext* ctx) override;
    antlrcpp::Any visitAttachStmt(GP::AttachStmtContext* ctx) override;
    antlrcpp::Any visitDetachStmt(GP::DetachStmtContext* ctx) override;
    antlrcpp::Any visitUseStmt(GP::UseStmtContext* ctx) override;
    antlrcpp::Any visitSetStmt(GP::SetStmtContext* ctx) override;
    antlrcpp::Any visitResetStmt(GP::ResetStmtContext* ctx) override;
    antlrcpp::Any visitPragmaStmt(GP::PragmaStmtContext* ctx) override;
    antlrcpp::Any visitShowStmt(GP::ShowStmtContext* ctx) override;
    antlrcpp::Any visitDescribeStmt(GP::DescribeStmtContext* ctx) override;
    antlrcpp::Any visitCallStmt(GP::CallStmtContext* ctx) override;
    antlrcpp::Any visitCheckpointStmt(GP::CheckpointStmtContext* ctx) override;
    antlrcpp::Any visitVacuumStmt(GP::VacuumStmtContext* ctx) override;
    antlrcpp::Any visitBackupStmt(GP::BackupStmtContext* ctx) override;
    antlrcpp::Any visitExportStmt(GP::ExportStmtContext* ctx) override;
    antlrcpp::Any visitImportStmt(GP::ImportStmtContext* ctx) override;

    // Set expressions and table primaries
    antlrcpp::Any visitPrimarySetExpr(GP::PrimarySetExprContext* ctx) override;
    antlrcpp::Any visitIntersectSetExpr(GP::IntersectSetExprContext* ctx) override;
    antlrcpp::Any visitUnionSetExpr(GP::UnionSetExprContext* ctx) override;
    antlrcpp::Any visitFunctionTable(GP::FunctionTableContext* ctx) override;
    antlrcpp::Any visitLateralFunctionTable(GP::LateralFunctionTableContext* ctx) override;
    antlrcpp::Any visitBaseTable(GP::BaseTableContext* ctx) override;
    antlrcpp::Any visitSubqueryTable(GP::SubqueryTableContext* ctx) override;
    antlrcpp::Any visitParenTable(GP::ParenTableContext* ctx) override;

    // Value expressions
    antlrcpp::Any visitPrimaryValue(GP::PrimaryValueContext* ctx) override;
    antlrcpp::Any visitCastOpValue(GP::CastOpValueContext* ctx) override;
    antlrcpp::Any visitUnaryValue(GP::UnaryValueContext* ctx) override;
    antlrcpp::Any visitMulValue(GP::MulValueContext* ctx) override;
    antlrcpp::Any visitAddValue(GP::AddValueContext* ctx) override;
    antlrcpp::Any visitOtherOpValue(GP::OtherOpValueContext* ctx) override;

    // Primaries
    antlrcpp::Any visitLiteralPrimary(GP::LiteralPrimaryContext* ctx) override;
    antlrcpp::Any visitParamPrimary(GP::ParamPrimaryContext* ctx) override;
    antlrcpp::Any visitQuestionPrimary(GP::QuestionPrimaryContext* ctx) override;
    antlrcpp::Any visitSubqueryPrimary(GP::SubqueryPrimaryContext* ctx) override;
    antlrcpp::Any visitParenPrimary(GP::ParenPrimaryContext* ctx) override;
    antlrcpp::Any visitExistsPrimary(GP::ExistsPrimaryContext* ctx) override;
    antlrcpp::Any visitCasePrimary(GP::CasePrimaryContext* ctx) override;
    antlrcpp::Any visitCastPrimary(GP::CastPrimaryContext* ctx) override;
    antlrcpp::Any visitExtractPrimary(GP::ExtractPrimaryContext* ctx) override;
    antlrcpp::Any visitSubstringPrimary(GP::SubstringPrimaryContext* ctx) override;
    antlrcpp::Any visitPositionPrimary(GP::PositionPrimaryContext* ctx) override;
    antlrcpp::Any visitTrimPrimary(GP::TrimPrimaryContext* ctx) override;
    antlrcpp::Any visitCurrentPrimary(GP::CurrentPrimaryContext* ctx) override;
    antlrcpp::Any visitFunctionPrimary(GP::FunctionPrimaryContext* ctx) override;
    antlrcpp::Any visitColumnPrimary(GP::ColumnPrimaryContext* ctx) override;

private:
    // Query helpers
    std::unique_ptr<ast::Query> BuildSetExpr(GP::SetExprContext* ctx);
    std::unique_ptr<ast::Query> BuildQueryPrimary(GP::QueryPrimaryContext* ctx);
    std::unique_ptr<ast::SelectCore> BuildSelectCore(GP::SelectCoreContext* ctx);
    ast::TableRefPtr BuildTablePrimary(GP::TablePrimaryContext* ctx);
    void ApplyTableAlias(ast::TableRef& ref, GP::TableAliasContext* ctx) const;
    ast::ReturningClause BuildReturning(GP::ReturningClauseContext* ctx);

    // Expression helpers
    ast::ExprPtr BuildOr(GP::OrExprContext* ctx);
    ast::ExprPtr BuildAnd(GP::AndExprContext* ctx);
    ast::ExprPtr BuildNot(GP::NotExprContext* ctx);
    ast::ExprPtr BuildIs(GP::IsExprContext* ctx);
    ast::ExprPtr BuildComp(GP::CompExprContext* ctx);
    ast::ExprPtr BuildPred(GP::PredExprContext* ctx);
    /// Left-deep chains of binary operators are capped: the AST is destroyed
    /// recursively, one level per operand.
    static constexpr size_t kMaxChainLength = 10000;
    void CheckChainLength(size_t length, antlr4::ParserRuleContext* ctx) const;
    ast::FrameBound BuildFrameBound(GP::FrameBoundContext* ctx);
    ast::OrderItem BuildOrderItem(GP::OrderItemContext* ctx);

    // Statement helpers
    ast::StatementPtr BuildInsert(GP::InsertStatementContext* ctx);
    ast::StatementPtr BuildUpdate(GP::UpdateStatementContext* ctx);
    ast::StatementPtr BuildDelete(GP::DeleteStatementContext* ctx);
    ast::ColumnDef BuildColumnDef(GP::ColumnDefContext* ctx, std::vector<ast::TableConstraint>* constraints);
    ast::TableConstraint BuildTableConstraint(GP::TableConstraintContext* ctx);
    std::vector<ast::CopyOption> BuildCopyOptions(const std::vector<GP::CopyOptionContext*>& options);
    ast::CopyOption BuildLegacyCopyOption(GP::LegacyCopyOptionContext* ctx);
    ast::ExprPtr BuildSettingValue(GP::ExprContext* ctx);

    template <typename T>
    antlrcpp::Any YieldExpr(std::unique_ptr<T> expr) {
        expr_out_ = std::move(expr);
        return {};
    }
    template <typename T>
    antlrcpp::Any YieldStatement(std::unique_ptr<T> stmt) {
        stmt_out_ = std::move(stmt);
        return {};
    }

    std::string_view sql_;
    const SourceMap& map_;
    int next_question_param_ = 0;  ///< numbering of '?' parameters within the current statement

    ast::ExprPtr expr_out_;
    ast::StatementPtr stmt_out_;
    std::unique_ptr<ast::Query> query_out_;
    ast::TableRefPtr table_out_;
};

/// Lower-cases ASCII letters; other bytes (UTF-8) are kept.
std::string AsciiLower(std::string_view text);

}  // namespace grizzly::frontend
