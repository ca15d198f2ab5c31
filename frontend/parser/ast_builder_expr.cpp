// Expressions: the layered boolean/predicate rules, value expressions,
// primaries, function calls, windows and literals.

#include <cstdlib>
#include <limits>

#include "common/datetime.hpp"
#include "common/error.hpp"
#include "frontend/parser/ast_builder.hpp"

namespace grizzly::frontend {

namespace {

template <typename T>
std::unique_ptr<T> MakeAt(SourcePos pos) {
    auto node = std::make_unique<T>();
    node->pos = pos;
    return node;
}

std::unique_ptr<ast::ConstantExpr> MakeConstant(Value value, SourcePos pos) {
    auto node = MakeAt<ast::ConstantExpr>(pos);
    node->value = std::move(value);
    return node;
}

ast::ExprPtr MakeBinary(ast::BinaryOp op, ast::ExprPtr left, ast::ExprPtr right, SourcePos pos) {
    auto node = MakeAt<ast::BinaryExpr>(pos);
    node->op = op;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
}

std::unique_ptr<ast::FunctionExpr> MakeCall(std::string name, SourcePos pos) {
    auto node = MakeAt<ast::FunctionExpr>(pos);
    node->name = std::move(name);
    return node;
}

/// The value of an unsigned integer literal (decimal digits), negated if asked.
/// INTEGER when it fits 32 bits, else BIGINT, else DOUBLE.
Value IntegerValue(std::string_view digits, bool negative) {
    // Accumulate as a negative number so INT64_MIN is representable.
    int64_t value = 0;
    bool overflow = false;
    for (char digit : digits) {
        int64_t d = digit - '0';
        if (value < (std::numeric_limits<int64_t>::min() + d) / 10) {
            overflow = true;
            break;
        }
        value = value * 10 - d;
    }
    if (!overflow && !negative && value == std::numeric_limits<int64_t>::min()) overflow = true;
    if (overflow) {
        double dbl = std::strtod(std::string(digits).c_str(), nullptr);
        return Value::Double(negative ? -dbl : dbl);
    }
    if (!negative) value = -value;
    if (value >= std::numeric_limits<int32_t>::min() && value <= std::numeric_limits<int32_t>::max()) {
        return Value::Integer(static_cast<int32_t>(value));
    }
    return Value::BigInt(value);
}

/// 1.5 is DECIMAL(2,1): precision counts significant integer digits plus the
/// scale. Beyond 18 digits the literal becomes DOUBLE.
Value DecimalValue(std::string_view text, bool negative) {
    size_t dot = text.find('.');
    std::string_view int_part = text.substr(0, dot);
    std::string_view frac_part = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    while (!int_part.empty() && int_part.front() == '0') int_part.remove_prefix(1);
    size_t scale = frac_part.size();
    size_t precision = int_part.size() + scale;
    if (precision > kMaxDecimalWidth) {
        double dbl = std::strtod(std::string(text).c_str(), nullptr);
        return Value::Double(negative ? -dbl : dbl);
    }
    int64_t unscaled = 0;
    for (char digit : int_part) unscaled = unscaled * 10 + (digit - '0');
    for (char digit : frac_part) unscaled = unscaled * 10 + (digit - '0');
    if (precision == 0) precision = 1;
    return Value::Decimal(negative ? -unscaled : unscaled, static_cast<uint8_t>(precision),
                          static_cast<uint8_t>(scale));
}

Value FloatValue(std::string_view text, bool negative) {
    double dbl = std::strtod(std::string(text).c_str(), nullptr);
    return Value::Double(negative ? -dbl : dbl);
}

/// The content of a '…' literal with '' standing for one quote.
std::string UnquoteString(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t idx = 1; idx + 1 < text.size(); ++idx) {
        out.push_back(text[idx]);
        if (text[idx] == '\'') ++idx;
    }
    return out;
}

int HexDigitValue(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/// The content of E'…': C-style backslash escapes (\n \t \r \b \f \\ \' \xHH and octal).
std::string UnescapeCString(std::string_view text, SourcePos pos) {
    std::string out;
    out.reserve(text.size());
    // text is E'…'
    for (size_t idx = 2; idx + 1 < text.size(); ++idx) {
        char ch = text[idx];
        if (ch == '\'') {
            out.push_back('\'');
            ++idx;  // '' inside E'…'
            continue;
        }
        if (ch != '\\') {
            out.push_back(ch);
            continue;
        }
        char esc = text[++idx];
        switch (esc) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'x': {
            int value = 0;
            int count = 0;
            while (count < 2 && idx + 1 < text.size() - 1 && HexDigitValue(text[idx + 1]) >= 0) {
                value = value * 16 + HexDigitValue(text[++idx]);
                ++count;
            }
            if (count == 0) throw Error::SyntaxAt("invalid hexadecimal escape in string literal", pos);
            out.push_back(static_cast<char>(value));
            break;
        }
        default:
            if (esc >= '0' && esc <= '7') {
                int value = esc - '0';
                for (int count = 1; count < 3 && idx + 1 < text.size() - 1 && text[idx + 1] >= '0' && text[idx + 1] <= '7';
                     ++count) {
                    value = value * 8 + (text[++idx] - '0');
                }
                out.push_back(static_cast<char>(value & 0xFF));
            } else {
                out.push_back(esc);  // \\, \', and any other character stand for themselves
            }
        }
    }
    return out;
}

ast::BinaryOp BinaryOpOf(size_t token_type) {
    switch (token_type) {
    case GP::STAR: return ast::BinaryOp::Mul;
    case GP::SLASH: return ast::BinaryOp::Div;
    case GP::PERCENT: return ast::BinaryOp::Mod;
    case GP::DIV:
    case GP::SLASH2: return ast::BinaryOp::IntDiv;
    case GP::PLUS: return ast::BinaryOp::Add;
    case GP::MINUS: return ast::BinaryOp::Sub;
    case GP::AMP: return ast::BinaryOp::BitAnd;
    case GP::PIPE: return ast::BinaryOp::BitOr;
    case GP::HASH: return ast::BinaryOp::BitXor;
    case GP::SHL: return ast::BinaryOp::ShiftLeft;
    case GP::SHR: return ast::BinaryOp::ShiftRight;
    default: return ast::BinaryOp::Concat;
    }
}

ast::BinaryOp CompareOp(GP::CompOpContext* ctx) {
    switch (ctx->getStart()->getType()) {
    case GP::EQ:
    case GP::EQ2: return ast::BinaryOp::Eq;
    case GP::NEQ:
    case GP::NEQ2: return ast::BinaryOp::NotEq;
    case GP::LT: return ast::BinaryOp::Lt;
    case GP::LTE: return ast::BinaryOp::LtEq;
    case GP::GT: return ast::BinaryOp::Gt;
    default: return ast::BinaryOp::GtEq;
    }
}

}  // namespace

// ───────────────────────────── boolean and predicate layers ─────────────────────────────

ast::ExprPtr AstBuilder::BuildExpr(GP::ExprContext* ctx) { return BuildOr(ctx->orExpr()); }

std::vector<ast::ExprPtr> AstBuilder::BuildExprList(GP::ExprListContext* ctx) {
    std::vector<ast::ExprPtr> list;
    if (ctx == nullptr) return list;
    for (auto* item : ctx->expr()) list.push_back(BuildExpr(item));
    return list;
}

ast::ExprPtr AstBuilder::BuildOr(GP::OrExprContext* ctx) {
    auto operands = ctx->andExpr();
    CheckChainLength(operands.size(), ctx);
    ast::ExprPtr result = BuildAnd(operands[0]);
    for (size_t idx = 1; idx < operands.size(); ++idx) {
        result = MakeBinary(ast::BinaryOp::Or, std::move(result), BuildAnd(operands[idx]), Pos(ctx->OR(idx - 1)->getSymbol()));
    }
    return result;
}

ast::ExprPtr AstBuilder::BuildAnd(GP::AndExprContext* ctx) {
    auto operands = ctx->notExpr();
    CheckChainLength(operands.size(), ctx);
    ast::ExprPtr result = BuildNot(operands[0]);
    for (size_t idx = 1; idx < operands.size(); ++idx) {
        result =
            MakeBinary(ast::BinaryOp::And, std::move(result), BuildNot(operands[idx]), Pos(ctx->AND(idx - 1)->getSymbol()));
    }
    return result;
}

ast::ExprPtr AstBuilder::BuildNot(GP::NotExprContext* ctx) {
    if (ctx->isExpr() != nullptr) return BuildIs(ctx->isExpr());
    ast::ExprPtr operand = BuildNot(ctx->notExpr());
    // NOT EXISTS (...) is one node with negated set, as the AST documents.
    if (operand->kind == ast::ExprKind::Subquery) {
        auto& sub = static_cast<ast::SubqueryExpr&>(*operand);
        if (sub.subquery_kind == ast::SubqueryKind::Exists && !sub.negated) {
            sub.negated = true;
            sub.pos = Pos(ctx);
            return operand;
        }
    }
    auto node = MakeAt<ast::UnaryExpr>(Pos(ctx));
    node->op = ast::UnaryOp::Not;
    node->operand = std::move(operand);
    return node;
}

// IS [NOT] TRUE / FALSE are lowered to IS [NOT] DISTINCT FROM TRUE / FALSE,
// which has exactly their NULL behaviour (never NULL itself); IS [NOT] UNKNOWN
// is IS [NOT] NULL.
ast::ExprPtr AstBuilder::BuildIs(GP::IsExprContext* ctx) {
    ast::ExprPtr result = BuildComp(ctx->compExpr());
    auto suffixes = ctx->isSuffix();
    CheckChainLength(suffixes.size(), ctx);
    for (auto* suffix : suffixes) {
        SourcePos pos = Pos(suffix);
        if (auto* is_null = dynamic_cast<GP::IsNullSuffixContext*>(suffix)) {
            auto node = MakeAt<ast::IsNullExpr>(pos);
            node->negated = is_null->NOT() != nullptr;
            node->operand = std::move(result);
            result = std::move(node);
        } else if (dynamic_cast<GP::IsnullSuffixContext*>(suffix) != nullptr ||
                   dynamic_cast<GP::NotnullSuffixContext*>(suffix) != nullptr) {
            auto node = MakeAt<ast::IsNullExpr>(pos);
            node->negated = suffix->getStart()->getType() == GP::NOTNULL;
            node->operand = std::move(result);
            result = std::move(node);
        } else if (auto* truth = dynamic_cast<GP::IsTruthSuffixContext*>(suffix)) {
            bool negated = truth->NOT() != nullptr;
            if (truth->UNKNOWN() != nullptr) {
                auto node = MakeAt<ast::IsNullExpr>(pos);
                node->negated = negated;
                node->operand = std::move(result);
                result = std::move(node);
            } else {
                auto constant = MakeConstant(Value::Boolean(truth->TRUE_() != nullptr), Pos(truth->getStop()));
                result = MakeBinary(negated ? ast::BinaryOp::IsDistinctFrom : ast::BinaryOp::IsNotDistinctFrom,
                                    std::move(result), std::move(constant), pos);
            }
        } else {
            auto* distinct = static_cast<GP::IsDistinctSuffixContext*>(suffix);
            bool negated = distinct->NOT() != nullptr;
            result = MakeBinary(negated ? ast::BinaryOp::IsNotDistinctFrom : ast::BinaryOp::IsDistinctFrom,
                                std::move(result), BuildComp(distinct->compExpr()), pos);
        }
    }
    return result;
}

ast::ExprPtr AstBuilder::BuildComp(GP::CompExprContext* ctx) {
    ast::ExprPtr result = BuildPred(ctx->predExpr());
    auto ops = ctx->compOp();
    auto operands = ctx->compOperand();
    CheckChainLength(ops.size(), ctx);
    for (size_t idx = 0; idx < ops.size(); ++idx) {
        ast::BinaryOp op = CompareOp(ops[idx]);
        SourcePos pos = Pos(ops[idx]);
        GP::CompOperandContext* rhs = operands[idx];
        if (rhs->quantifier != nullptr) {
            auto node = MakeAt<ast::SubqueryExpr>(pos);
            node->subquery_kind = rhs->quantifier->getType() == GP::ALL ? ast::SubqueryKind::All : ast::SubqueryKind::Any;
            node->compare = op;
            node->operand = std::move(result);
            node->query = BuildQuery(rhs->query());
            result = std::move(node);
        } else {
            result = MakeBinary(op, std::move(result), BuildPred(rhs->predExpr()), pos);
        }
    }
    return result;
}

ast::ExprPtr AstBuilder::BuildPred(GP::PredExprContext* ctx) {
    ast::ExprPtr operand = BuildValue(ctx->valueExpr());
    GP::PredSuffixContext* suffix = ctx->predSuffix();
    if (suffix == nullptr) return operand;
    SourcePos pos = Pos(suffix);
    if (auto* between = dynamic_cast<GP::BetweenSuffixContext*>(suffix)) {
        auto node = MakeAt<ast::BetweenExpr>(pos);
        node->negated = between->NOT() != nullptr;
        node->symmetric = between->SYMMETRIC() != nullptr;
        node->operand = std::move(operand);
        node->low = BuildValue(between->valueExpr(0));
        node->high = BuildValue(between->valueExpr(1));
        return node;
    }
    if (auto* in_query = dynamic_cast<GP::InSubquerySuffixContext*>(suffix)) {
        auto node = MakeAt<ast::SubqueryExpr>(pos);
        node->subquery_kind = ast::SubqueryKind::In;
        node->negated = in_query->NOT() != nullptr;
        node->operand = std::move(operand);
        node->query = BuildQuery(in_query->query());
        return node;
    }
    if (auto* in_list = dynamic_cast<GP::InListSuffixContext*>(suffix)) {
        auto node = MakeAt<ast::InListExpr>(pos);
        node->negated = in_list->NOT() != nullptr;
        node->operand = std::move(operand);
        node->list = BuildExprList(in_list->exprList());
        return node;
    }
    auto node = MakeAt<ast::LikeExpr>(pos);
    node->operand = std::move(operand);
    if (auto* like = dynamic_cast<GP::LikeSuffixContext*>(suffix)) {
        node->negated = like->NOT() != nullptr;
        node->case_insensitive = like->op->getType() == GP::ILIKE;
        node->glob = like->op->getType() == GP::GLOB;
        node->pattern = BuildValue(like->valueExpr(0));
        if (like->ESCAPE() != nullptr) node->escape = BuildValue(like->valueExpr(1));
    } else {
        auto* similar = static_cast<GP::SimilarSuffixContext*>(suffix);
        node->negated = similar->NOT() != nullptr;
        node->similar = true;
        node->pattern = BuildValue(similar->valueExpr(0));
        if (similar->ESCAPE() != nullptr) node->escape = BuildValue(similar->valueExpr(1));
    }
    return node;
}

// ───────────────────────────── value expressions ─────────────────────────────

// Binary operator chains (a + b + c ...) parse into a left-deep tree; its left
// spine is walked with a loop so long chains do not recurse here.
ast::ExprPtr AstBuilder::BuildValue(GP::ValueExprContext* ctx) {
    std::vector<GP::ValueExprContext*> spine;
    // Three children: a binary operator or `x::type`; only the former continues the spine.
    while (ctx->children.size() == 3 &&
           static_cast<antlr4::tree::TerminalNode*>(ctx->children[1])->getSymbol()->getType() != GP::CAST_OP) {
        spine.push_back(ctx);
        ctx = static_cast<GP::ValueExprContext*>(ctx->children[0]);
    }
    CheckChainLength(spine.size(), ctx);
    ctx->accept(this);
    ast::ExprPtr result = std::move(expr_out_);
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
        auto* node = *it;
        auto* op_token = static_cast<antlr4::tree::TerminalNode*>(node->children[1])->getSymbol();
        ast::ExprPtr right = BuildValue(static_cast<GP::ValueExprContext*>(node->children[2]));
        result = MakeBinary(BinaryOpOf(op_token->getType()), std::move(result), std::move(right), Pos(op_token));
    }
    return result;
}

void AstBuilder::CheckChainLength(size_t length, antlr4::ParserRuleContext* ctx) const {
    if (length > kMaxChainLength) {
        throw Error(SqlState::ProgramLimitExceeded,
                    "expression has too many operands (more than " + std::to_string(kMaxChainLength) + ")", Pos(ctx));
    }
}

antlrcpp::Any AstBuilder::visitPrimaryValue(GP::PrimaryValueContext* ctx) { return ctx->primary()->accept(this); }

antlrcpp::Any AstBuilder::visitCastOpValue(GP::CastOpValueContext* ctx) {
    auto node = MakeAt<ast::CastExpr>(Pos(ctx->CAST_OP()->getSymbol()));
    node->operand = BuildValue(ctx->valueExpr());
    node->type = BuildTypeName(ctx->typeName());
    return YieldExpr(std::move(node));
}

antlrcpp::Any AstBuilder::visitUnaryValue(GP::UnaryValueContext* ctx) {
    SourcePos pos = Pos(ctx->op);
    int op_type = ctx->op->getType();
    // A minus directly before a numeric literal is folded into the constant, as
    // PostgreSQL does, so -2147483648 is an INTEGER and -9223372036854775808 a BIGINT.
    if (op_type == GP::MINUS) {
        if (auto* primary = dynamic_cast<GP::PrimaryValueContext*>(ctx->valueExpr())) {
            if (auto* lit = dynamic_cast<GP::LiteralPrimaryContext*>(primary->primary())) {
                antlr4::Token* token = lit->literal()->getStart();
                std::string_view text = TokenText(token);
                switch (token->getType()) {
                case GP::INTEGER_LITERAL: return YieldExpr(MakeConstant(IntegerValue(text, true), pos));
                case GP::DECIMAL_LITERAL: return YieldExpr(MakeConstant(DecimalValue(text, true), pos));
                case GP::FLOAT_LITERAL: return YieldExpr(MakeConstant(FloatValue(text, true), pos));
                default: break;
                }
            }
        }
    }
    auto node = MakeAt<ast::UnaryExpr>(pos);
    node->op = op_type == GP::PLUS ? ast::UnaryOp::Plus : op_type == GP::MINUS ? ast::UnaryOp::Minus : ast::UnaryOp::BitNot;
    node->operand = BuildValue(ctx->valueExpr());
    return YieldExpr(std::move(node));
}

// BuildValue unrolls binary nodes itself, so accept() never lands here in
// practice; these keep every labelled alternative handled all the same.
antlrcpp::Any AstBuilder::visitMulValue(GP::MulValueContext* ctx) {
    expr_out_ = BuildValue(ctx);
    return {};
}

antlrcpp::Any AstBuilder::visitAddValue(GP::AddValueContext* ctx) {
    expr_out_ = BuildValue(ctx);
    return {};
}

antlrcpp::Any AstBuilder::visitOtherOpValue(GP::OtherOpValueContext* ctx) {
    expr_out_ = BuildValue(ctx);
    return {};
}

// ───────────────────────────── primaries ─────────────────────────────

antlrcpp::Any AstBuilder::visitLiteralPrimary(GP::LiteralPrimaryContext* ctx) {
    expr_out_ = BuildLiteral(ctx->literal());
    return {};
}

antlrcpp::Any AstBuilder::visitParamPrimary(GP::ParamPrimaryContext* ctx) {
    antlr4::Token* token = ctx->PARAM()->getSymbol();
    std::string_view digits = TokenText(token).substr(1);
    long long index = 0;
    for (char digit : digits) {
        index = index * 10 + (digit - '0');
        if (index > 65535) throw Error::SyntaxAt("parameter number too large", Pos(token));
    }
    if (index == 0) throw Error::SyntaxAt("parameter number must be at least 1", Pos(token));
    auto node = MakeAt<ast::ParameterExpr>(Pos(token));
    node->index = static_cast<int>(index);
    return YieldExpr(std::move(node));
}

antlrcpp::Any AstBuilder::visitQuestionPrimary(GP::QuestionPrimaryContext* ctx) {
    auto node = MakeAt<ast::ParameterExpr>(Pos(ctx));
    node->index = ++next_question_param_;
    return YieldExpr(std::move(node));
}

antlrcpp::Any AstBuilder::visitSubqueryPrimary(GP::SubqueryPrimaryContext* ctx) {
    auto node = MakeAt<ast::SubqueryExpr>(Pos(ctx));
    node->subquery_kind = ast::SubqueryKind::Scalar;
    node->query = BuildQuery(ctx->query());
    return YieldExpr(std::move(node));
}

antlrcpp::Any AstBuilder::visitParenPrimary(GP::ParenPrimaryContext* ctx) {
    expr_out_ = BuildExpr(ctx->expr());
    return {};
}

antlrcpp::Any AstBuilder::visitExistsPrimary(GP::ExistsPrimaryContext* ctx) {
    auto node = MakeAt<ast::SubqueryExpr>(Pos(ctx));
    node->subquery_kind = ast::SubqueryKind::Exists;
    node->query = BuildQuery(ctx->query());
    return YieldExpr(std::move(node));
}

antlrcpp::Any AstBuilder::visitCasePrimary(GP::CasePrimaryContext* ctx) {
    auto node = MakeAt<ast::CaseExpr>(Pos(ctx));
    if (ctx->operand != nullptr) node->operand = BuildExpr(ctx->operand);
    for (auto* when : ctx->caseWhen()) {
        ast::ExprPtr condition = BuildExpr(when->expr(0));
        ast::ExprPtr result = BuildExpr(when->expr(1));
        node->when_then.emplace_back(std::move(condition), std::move(result));
    }
    if (ctx->elseExpr != nullptr) node->else_expr = BuildExpr(ctx->elseExpr);
    return YieldExpr(std::move(node));
}

antlrcpp::Any AstBuilder::visitCastPrimary(GP::CastPrimaryContext* ctx) {
    auto node = MakeAt<ast::CastExpr>(Pos(ctx));
    node->try_cast = ctx->kind->getType() == GP::TRY_CAST;
    node->operand = BuildExpr(ctx->expr());
    node->type = BuildTypeName(ctx->typeName());
    return YieldExpr(std::move(node));
}

antlrcpp::Any AstBuilder::visitExtractPrimary(GP::ExtractPrimaryContext* ctx) {
    auto call = MakeCall("extract", Pos(ctx));
    GP::ExtractFieldContext* field = ctx->extractField();
    std::string name = field->identifier() != nullptr ? Ident(field->identifier())
                                                      : AsciiLower(UnquoteString(TokenText(field->STRING()->getSymbol())));
    call->args.push_back(MakeConstant(Value::Varchar(AsciiLower(name)), Pos(field)));
    call->args.push_back(BuildExpr(ctx->expr()));
    return YieldExpr(std::move(call));
}

antlrcpp::Any AstBuilder::visitSubstringPrimary(GP::SubstringPrimaryContext* ctx) {
    auto call = MakeCall("substring", Pos(ctx));
    auto exprs = ctx->expr();
    call->args.push_back(BuildExpr(exprs[0]));
    size_t next = 1;
    if (ctx->FROM() != nullptr) {
        call->args.push_back(BuildExpr(exprs[next++]));
    } else if (ctx->FOR() != nullptr) {
        call->args.push_back(MakeConstant(Value::Integer(1), Pos(ctx->FOR()->getSymbol())));  // FOR alone starts at 1
    }
    if (ctx->FOR() != nullptr) call->args.push_back(BuildExpr(exprs[next]));
    return YieldExpr(std::move(call));
}

antlrcpp::Any AstBuilder::visitPositionPrimary(GP::PositionPrimaryContext* ctx) {
    auto call = MakeCall("position", Pos(ctx));
    call->args.push_back(BuildValue(ctx->valueExpr(0)));
    call->args.push_back(BuildValue(ctx->valueExpr(1)));
    return YieldExpr(std::move(call));
}

antlrcpp::Any AstBuilder::visitTrimPrimary(GP::TrimPrimaryContext* ctx) {
    std::string name = "trim";
    if (ctx->side != nullptr && ctx->side->getType() == GP::LEADING) name = "ltrim";
    if (ctx->side != nullptr && ctx->side->getType() == GP::TRAILING) name = "rtrim";
    auto call = MakeCall(name, Pos(ctx));
    call->args.push_back(BuildExpr(ctx->source));
    if (ctx->chars != nullptr) call->args.push_back(BuildExpr(ctx->chars));
    return YieldExpr(std::move(call));
}

antlrcpp::Any AstBuilder::visitCurrentPrimary(GP::CurrentPrimaryContext* ctx) {
    const char* name = ctx->kind->getType() == GP::CURRENT_DATE  ? "current_date"
                       : ctx->kind->getType() == GP::CURRENT_TIME ? "current_time"
                                                                  : "current_timestamp";
    return YieldExpr(MakeCall(name, Pos(ctx)));
}

antlrcpp::Any AstBuilder::visitFunctionPrimary(GP::FunctionPrimaryContext* ctx) {
    return YieldExpr(BuildFunctionCall(ctx->functionCall()));
}

antlrcpp::Any AstBuilder::visitColumnPrimary(GP::ColumnPrimaryContext* ctx) {
    auto parts = ctx->identifier();
    if (parts.size() > 4) throw Error::SyntaxAt("improper qualified name (too many dotted names)", Pos(ctx));
    auto node = MakeAt<ast::ColumnRefExpr>(Pos(ctx));
    node->names.reserve(parts.size());
    for (auto* part : parts) node->names.push_back(Ident(part));
    return YieldExpr(std::move(node));
}

// ───────────────────────────── calls and windows ─────────────────────────────

std::unique_ptr<ast::FunctionExpr> AstBuilder::BuildFunctionCall(GP::FunctionCallContext* ctx) {
    GP::FunctionNameContext* name_ctx = nullptr;
    GP::FilterClauseContext* filter = nullptr;
    GP::OverClauseContext* over = nullptr;
    auto call = MakeAt<ast::FunctionExpr>(Pos(ctx));
    if (auto* star = dynamic_cast<GP::StarCallContext*>(ctx)) {
        name_ctx = star->functionName();
        filter = star->filterClause();
        over = star->overClause();
        call->star = true;
    } else {
        auto* regular = static_cast<GP::RegularCallContext*>(ctx);
        name_ctx = regular->functionName();
        filter = regular->filterClause();
        over = regular->overClause();
        call->distinct = regular->quantifier != nullptr && regular->quantifier->getType() == GP::DISTINCT;
        bool any_named = false;
        for (auto* arg : regular->functionArg()) {
            std::string arg_name;
            if (arg->identifier() != nullptr) {
                arg_name = Ident(arg->identifier());
                any_named = true;
            }
            call->args.push_back(BuildExpr(arg->expr()));
            call->arg_names.push_back(std::move(arg_name));
        }
        if (!any_named) call->arg_names.clear();
        if (regular->orderByClause() != nullptr) call->order_by = BuildOrderBy(regular->orderByClause());
        if (regular->withinGroupClause() != nullptr) {
            call->order_by = BuildOrderBy(regular->withinGroupClause()->orderByClause());
        }
    }
    auto names = name_ctx->identifier();
    if (name_ctx->DOT() != nullptr) {
        call->schema = Ident(names[0]);
        call->name = names.size() > 1 ? Ident(names[1]) : AsciiLower(TokenText(name_ctx->getStop()));
    } else {
        call->name = names.empty() ? AsciiLower(TokenText(name_ctx->getStart())) : Ident(names[0]);
    }
    if (filter != nullptr) call->filter = BuildExpr(filter->expr());
    if (over != nullptr) {
        if (over->windowSpec() != nullptr) {
            call->over = BuildWindowSpec(over->windowSpec());
        } else {
            call->over = std::make_unique<ast::WindowSpec>();
            call->over->ref_name = Ident(over->identifier());
            call->over->pos = Pos(over);
        }
    }
    return call;
}

std::unique_ptr<ast::FunctionExpr> AstBuilder::BuildCallArgs(GP::QualifiedNameContext* name,
                                                             const std::vector<GP::FunctionArgContext*>& args,
                                                             bool equals_names) {
    auto call = MakeAt<ast::FunctionExpr>(Pos(name));
    std::vector<std::string> names = Names(name);
    if (names.size() > 2) throw Error::SyntaxAt("improper qualified function name", Pos(name));
    call->name = names.back();
    if (names.size() == 2) call->schema = names[0];
    bool any_named = false;
    for (auto* arg : args) {
        std::string arg_name;
        ast::ExprPtr value = BuildExpr(arg->expr());
        if (arg->identifier() != nullptr) {
            arg_name = Ident(arg->identifier());
        } else if (equals_names && value->kind == ast::ExprKind::Binary) {
            // CALL f(name = value): a comparison with a bare name on the left is a named argument.
            auto& binary = static_cast<ast::BinaryExpr&>(*value);
            if (binary.op == ast::BinaryOp::Eq && binary.left->kind == ast::ExprKind::ColumnRef &&
                static_cast<ast::ColumnRefExpr&>(*binary.left).names.size() == 1) {
                arg_name = static_cast<ast::ColumnRefExpr&>(*binary.left).names[0];
                value = std::move(binary.right);
            }
        }
        any_named = any_named || !arg_name.empty();
        call->args.push_back(std::move(value));
        call->arg_names.push_back(std::move(arg_name));
    }
    if (!any_named) call->arg_names.clear();
    return call;
}

std::unique_ptr<ast::WindowSpec> AstBuilder::BuildWindowSpec(GP::WindowSpecContext* ctx) {
    auto spec = std::make_unique<ast::WindowSpec>();
    spec->pos = Pos(ctx);
    if (ctx->identifier() != nullptr) spec->ref_name = Ident(ctx->identifier());
    if (ctx->exprList() != nullptr) spec->partition_by = BuildExprList(ctx->exprList());
    if (ctx->orderByClause() != nullptr) spec->order_by = BuildOrderBy(ctx->orderByClause());
    if (GP::FrameClauseContext* frame = ctx->frameClause()) {
        spec->has_frame = true;
        switch (frame->unit->getType()) {
        case GP::ROWS: spec->unit = ast::FrameUnit::Rows; break;
        case GP::GROUPS: spec->unit = ast::FrameUnit::Groups; break;
        default: spec->unit = ast::FrameUnit::Range; break;
        }
        auto bounds = frame->frameBound();
        spec->start = BuildFrameBound(bounds[0]);
        if (bounds.size() > 1) {
            spec->end = BuildFrameBound(bounds[1]);
        } else {
            spec->end.kind = ast::FrameBoundKind::CurrentRow;
        }
    }
    return spec;
}

ast::FrameBound AstBuilder::BuildFrameBound(GP::FrameBoundContext* ctx) {
    ast::FrameBound bound;
    if (dynamic_cast<GP::UnboundedPrecedingBoundContext*>(ctx) != nullptr) {
        bound.kind = ast::FrameBoundKind::UnboundedPreceding;
    } else if (dynamic_cast<GP::UnboundedFollowingBoundContext*>(ctx) != nullptr) {
        bound.kind = ast::FrameBoundKind::UnboundedFollowing;
    } else if (dynamic_cast<GP::CurrentRowBoundContext*>(ctx) != nullptr) {
        bound.kind = ast::FrameBoundKind::CurrentRow;
    } else {
        auto* offset = static_cast<GP::OffsetBoundContext*>(ctx);
        bound.kind = offset->dir->getType() == GP::PRECEDING ? ast::FrameBoundKind::Preceding
                                                             : ast::FrameBoundKind::Following;
        bound.offset = BuildValue(offset->valueExpr());
    }
    return bound;
}

ast::OrderItem AstBuilder::BuildOrderItem(GP::OrderItemContext* ctx) {
    ast::OrderItem item;
    item.expr = BuildExpr(ctx->expr());
    item.descending = ctx->DESC() != nullptr;
    if (ctx->NULLS() != nullptr) item.nulls_first = ctx->FIRST() != nullptr;
    return item;
}

std::vector<ast::OrderItem> AstBuilder::BuildOrderBy(GP::OrderByClauseContext* ctx) {
    std::vector<ast::OrderItem> items;
    for (auto* item : ctx->orderItem()) items.push_back(BuildOrderItem(item));
    return items;
}

// ───────────────────────────── literals ─────────────────────────────

ast::ExprPtr AstBuilder::BuildLiteral(GP::LiteralContext* ctx) {
    SourcePos pos = Pos(ctx);
    antlr4::Token* token = ctx->getStart();
    std::string_view text = TokenText(token);
    switch (token->getType()) {
    case GP::INTEGER_LITERAL: return MakeConstant(IntegerValue(text, false), pos);
    case GP::DECIMAL_LITERAL: return MakeConstant(DecimalValue(text, false), pos);
    case GP::FLOAT_LITERAL: return MakeConstant(FloatValue(text, false), pos);
    case GP::HEX_INTEGER: {
        uint64_t value = 0;
        bool overflow = false;
        for (char digit : text.substr(2)) {
            if (value > (std::numeric_limits<uint64_t>::max() >> 4)) overflow = true;
            value = (value << 4) | static_cast<uint64_t>(HexDigitValue(digit));
        }
        if (overflow || value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            double dbl = 0;
            for (char digit : text.substr(2)) dbl = dbl * 16 + HexDigitValue(digit);
            return MakeConstant(Value::Double(dbl), pos);
        }
        auto signed_value = static_cast<int64_t>(value);
        if (signed_value <= std::numeric_limits<int32_t>::max()) {
            return MakeConstant(Value::Integer(static_cast<int32_t>(signed_value)), pos);
        }
        return MakeConstant(Value::BigInt(signed_value), pos);
    }
    case GP::STRING: return MakeConstant(Value::Varchar(UnquoteString(text)), pos);
    case GP::ESCAPE_STRING: return MakeConstant(Value::Varchar(UnescapeCString(text, pos)), pos);
    case GP::HEX_STRING: {
        std::string_view digits = text.substr(2, text.size() - 3);
        if (digits.size() % 2 != 0) throw Error::SyntaxAt("hexadecimal string literal has an odd number of digits", pos);
        std::string bytes;
        bytes.reserve(digits.size() / 2);
        for (size_t idx = 0; idx < digits.size(); idx += 2) {
            bytes.push_back(static_cast<char>(HexDigitValue(digits[idx]) * 16 + HexDigitValue(digits[idx + 1])));
        }
        return MakeConstant(Value::Varchar(std::move(bytes)), pos);
    }
    case GP::DOLLAR_STRING: return MakeConstant(Value::Varchar(std::string(text.substr(2, text.size() - 4))), pos);
    case GP::TRUE_: return MakeConstant(Value::Boolean(true), pos);
    case GP::FALSE_: return MakeConstant(Value::Boolean(false), pos);
    case GP::NULL_: return MakeConstant(Value(), pos);
    default: break;
    }

    // Typed literals: DATE '…', TIMESTAMP '…', INTERVAL '…' [unit] / INTERVAL n unit.
    antlr4::Token* value_token = ctx->children.size() > 1 ? static_cast<antlr4::tree::TerminalNode*>(ctx->children[1])->getSymbol()
                                                          : token;
    std::string_view value_text = TokenText(value_token);
    std::string content = value_token->getType() == GP::STRING ? UnquoteString(value_text) : std::string(value_text);
    if (token->getType() == GP::DATE) {
        int32_t days = 0;
        bool out_of_range = false;
        if (!ParseDate(content, days, out_of_range))
            throw (out_of_range ? Error::DatetimeFieldOutOfRange(content) : Error::InvalidDatetimeText(content, "date"))
                .WithPos(pos);
        return MakeConstant(Value::Date(days), pos);
    }
    if (token->getType() == GP::TIMESTAMP) {
        int64_t micros = 0;
        bool out_of_range = false;
        if (!ParseTimestamp(content, micros, out_of_range))
            throw (out_of_range ? Error::DatetimeFieldOutOfRange(content)
                                : Error::InvalidDatetimeText(content, "timestamp"))
                .WithPos(pos);
        return MakeConstant(Value::Timestamp(micros), pos);
    }
    auto* interval = static_cast<GP::IntervalLiteralContext*>(ctx);
    std::string unit;
    if (interval->intervalUnit() != nullptr) {
        unit = AsciiLower(TokenText(interval->intervalUnit()->getStart()));
        if (unit.size() > 1 && unit.back() == 's') unit.pop_back();  // "days" -> "day"
    }
    Interval result;
    if (!ParseInterval(content, unit, result)) throw Error::InvalidText(content, "interval").WithPos(pos);
    return MakeConstant(Value::FromInterval(result), pos);
}

}  // namespace grizzly::frontend
