// Unit tests of the SQL parser: text -> AST (frontend/parser/parser.hpp).

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "frontend/ast.hpp"
#include "frontend/parser/parser.hpp"

namespace {

using namespace grizzly;
using grizzly::frontend::ParseSql;

ast::StatementPtr ParseOne(std::string_view sql) {
    auto statements = ParseSql(sql);
    REQUIRE(statements.size() == 1);
    return std::move(statements[0]);
}

template <typename T>
T& As(ast::Statement& stmt) {
    auto* typed = dynamic_cast<T*>(&stmt);
    REQUIRE(typed != nullptr);
    return *typed;
}

template <typename T>
T& As(ast::TableRef& ref) {
    auto* typed = dynamic_cast<T*>(&ref);
    REQUIRE(typed != nullptr);
    return *typed;
}

template <typename T>
T& As(ast::Expr& expr) {
    auto* typed = dynamic_cast<T*>(&expr);
    REQUIRE(typed != nullptr);
    return *typed;
}

const char* OpName(ast::BinaryOp op) {
    switch (op) {
    case ast::BinaryOp::Add: return "+";
    case ast::BinaryOp::Sub: return "-";
    case ast::BinaryOp::Mul: return "*";
    case ast::BinaryOp::Div: return "/";
    case ast::BinaryOp::IntDiv: return "div";
    case ast::BinaryOp::Mod: return "%";
    case ast::BinaryOp::Concat: return "||";
    case ast::BinaryOp::Eq: return "=";
    case ast::BinaryOp::NotEq: return "<>";
    case ast::BinaryOp::Lt: return "<";
    case ast::BinaryOp::LtEq: return "<=";
    case ast::BinaryOp::Gt: return ">";
    case ast::BinaryOp::GtEq: return ">=";
    case ast::BinaryOp::IsDistinctFrom: return "is-distinct";
    case ast::BinaryOp::IsNotDistinctFrom: return "is-not-distinct";
    case ast::BinaryOp::And: return "and";
    case ast::BinaryOp::Or: return "or";
    case ast::BinaryOp::BitAnd: return "&";
    case ast::BinaryOp::BitOr: return "|";
    case ast::BinaryOp::BitXor: return "#";
    case ast::BinaryOp::ShiftLeft: return "<<";
    case ast::BinaryOp::ShiftRight: return ">>";
    }
    return "?";
}

/// A compact prefix rendering of an expression, for structure checks.
std::string Dump(const ast::Expr* expr) {
    if (expr == nullptr) return "null";
    switch (expr->kind) {
    case ast::ExprKind::Constant: {
        const Value& value = static_cast<const ast::ConstantExpr*>(expr)->value;
        return value.IsNull() ? "NULL" : value.ToSqlLiteral();
    }
    case ast::ExprKind::ColumnRef: {
        std::string out;
        for (const auto& name : static_cast<const ast::ColumnRefExpr*>(expr)->names) {
            out += (out.empty() ? "" : ".") + name;
        }
        return out;
    }
    case ast::ExprKind::Star: return "*";
    case ast::ExprKind::Parameter: return "$" + std::to_string(static_cast<const ast::ParameterExpr*>(expr)->index);
    case ast::ExprKind::Unary: {
        auto* unary = static_cast<const ast::UnaryExpr*>(expr);
        const char* op = unary->op == ast::UnaryOp::Plus    ? "u+"
                         : unary->op == ast::UnaryOp::Minus ? "u-"
                         : unary->op == ast::UnaryOp::Not   ? "not"
                                                            : "~";
        return std::string("(") + op + " " + Dump(unary->operand.get()) + ")";
    }
    case ast::ExprKind::Binary: {
        auto* binary = static_cast<const ast::BinaryExpr*>(expr);
        return std::string("(") + OpName(binary->op) + " " + Dump(binary->left.get()) + " " +
               Dump(binary->right.get()) + ")";
    }
    case ast::ExprKind::Function: {
        auto* call = static_cast<const ast::FunctionExpr*>(expr);
        std::string out = call->name + "(";
        if (call->star) out += "*";
        for (size_t idx = 0; idx < call->args.size(); ++idx) {
            out += (idx ? ", " : "") + Dump(call->args[idx].get());
        }
        return out + ")";
    }
    case ast::ExprKind::Cast: {
        auto* cast = static_cast<const ast::CastExpr*>(expr);
        return "(cast " + Dump(cast->operand.get()) + " " + cast->type.name + ")";
    }
    case ast::ExprKind::Case: return "case";
    case ast::ExprKind::Between: {
        auto* between = static_cast<const ast::BetweenExpr*>(expr);
        return std::string(between->negated ? "(not-between " : "(between ") + Dump(between->operand.get()) + " " +
               Dump(between->low.get()) + " " + Dump(between->high.get()) + ")";
    }
    case ast::ExprKind::InList: {
        auto* in = static_cast<const ast::InListExpr*>(expr);
        std::string out = std::string(in->negated ? "(not-in " : "(in ") + Dump(in->operand.get());
        for (const auto& item : in->list) out += " " + Dump(item.get());
        return out + ")";
    }
    case ast::ExprKind::Subquery: return "subquery";
    case ast::ExprKind::IsNull: {
        auto* is_null = static_cast<const ast::IsNullExpr*>(expr);
        return std::string(is_null->negated ? "(is-not-null " : "(is-null ") + Dump(is_null->operand.get()) + ")";
    }
    case ast::ExprKind::Like: {
        auto* like = static_cast<const ast::LikeExpr*>(expr);
        return std::string(like->negated ? "(not-like " : "(like ") + Dump(like->operand.get()) + " " +
               Dump(like->pattern.get()) + ")";
    }
    }
    return "?";
}

ast::Query& QueryOf(ast::Statement& stmt) { return *As<ast::SelectStatement>(stmt).query; }

/// The first select-list expression of a one-statement SELECT.
std::string FirstItem(std::string_view sql) {
    auto stmt = ParseOne(sql);
    ast::Query& query = QueryOf(*stmt);
    REQUIRE(query.select != nullptr);
    return Dump(query.select->items.at(0).expr.get());
}

const ast::ConstantExpr& FirstConstant(ast::StatementPtr& stmt) {
    return As<ast::ConstantExpr>(*QueryOf(*stmt).select->items.at(0).expr);
}

/// Runs `sql` and returns the syntax error it must raise.
Error SyntaxErrorOf(std::string_view sql) {
    try {
        ParseSql(sql);
    } catch (const Error& error) {
        return error;
    }
    FAIL("expected a syntax error for: " << sql);
    return Error(SqlState::InternalError, "unreachable");
}

}  // namespace

// ───────────────────────────── literals ─────────────────────────────

TEST_CASE("parser: literal typing") {
    struct Case {
        const char* sql;
        TypeId type;
    };
    const Case cases[] = {
        {"SELECT 1", TypeId::Integer},
        {"SELECT 2147483647", TypeId::Integer},
        {"SELECT 2147483648", TypeId::BigInt},
        {"SELECT 9223372036854775807", TypeId::BigInt},
        {"SELECT 9223372036854775808", TypeId::Double},
        {"SELECT 1.5", TypeId::Decimal},
        {"SELECT .5", TypeId::Decimal},
        {"SELECT 1.", TypeId::Decimal},
        {"SELECT 1234567890.1234567890", TypeId::Double},  // 20 digits
        {"SELECT 1e10", TypeId::Double},
        {"SELECT 1.5E-3", TypeId::Double},
        {"SELECT 'x'", TypeId::Varchar},
        {"SELECT TRUE", TypeId::Boolean},
        {"SELECT NULL", TypeId::Null},
        {"SELECT 0x1F", TypeId::Integer},
        {"SELECT DATE '2024-02-29'", TypeId::Date},
        {"SELECT TIMESTAMP '2024-01-02 03:04:05'", TypeId::Timestamp},
        {"SELECT INTERVAL '90' DAY", TypeId::Interval},
        {"SELECT INTERVAL '1 year'", TypeId::Interval},
    };
    for (const auto& c : cases) {
        CAPTURE(c.sql);
        auto stmt = ParseOne(c.sql);
        CHECK(FirstConstant(stmt).value.Type().id == c.type);
    }

    SUBCASE("values") {
        auto dec = ParseOne("SELECT 1.50");
        CHECK(FirstConstant(dec).value.Type() == LogicalType::Decimal(3, 2));
        CHECK(FirstConstant(dec).value.GetInt64() == 150);
        auto point_five = ParseOne("SELECT .5");
        CHECK(FirstConstant(point_five).value.Type() == LogicalType::Decimal(1, 1));
        auto hex = ParseOne("SELECT 0x1F");
        CHECK(FirstConstant(hex).value.GetInt64() == 31);
        auto quoted = ParseOne("SELECT 'it''s'");
        CHECK(FirstConstant(quoted).value.GetString() == "it's");
        auto escaped = ParseOne("SELECT E'a\\tb\\'c'");
        CHECK(FirstConstant(escaped).value.GetString() == "a\tb'c");
        auto blob = ParseOne("SELECT X'303132'");
        CHECK(FirstConstant(blob).value.GetString() == "012");
        auto interval = ParseOne("SELECT INTERVAL '90' DAY");
        CHECK(FirstConstant(interval).value.GetInterval().days == 90);
    }

    SUBCASE("a minus is folded into numeric literals") {
        auto min_int = ParseOne("SELECT -2147483648");
        CHECK(FirstConstant(min_int).value.Type().id == TypeId::Integer);
        CHECK(FirstConstant(min_int).value.GetInt64() == -2147483648LL);
        auto min_big = ParseOne("SELECT -9223372036854775808");
        CHECK(FirstConstant(min_big).value.Type().id == TypeId::BigInt);
        auto neg_dec = ParseOne("SELECT -1.5");
        CHECK(FirstConstant(neg_dec).value.GetInt64() == -15);
    }

    SUBCASE("bad typed literals report the text") {
        CHECK_THROWS_AS(ParseSql("SELECT DATE '2024-02-30'"), Error);
        CHECK_THROWS_AS(ParseSql("SELECT INTERVAL 'soon'"), Error);
    }
}

TEST_CASE("parser: parameters") {
    auto stmt = ParseOne("SELECT $2, ?, ?");
    auto& items = QueryOf(*stmt).select->items;
    CHECK(As<ast::ParameterExpr>(*items[0].expr).index == 2);
    CHECK(As<ast::ParameterExpr>(*items[1].expr).index == 1);
    CHECK(As<ast::ParameterExpr>(*items[2].expr).index == 2);
    // '?' numbering restarts with each statement
    auto two = ParseSql("SELECT ?; SELECT ?");
    CHECK(As<ast::ParameterExpr>(*QueryOf(*two[1]).select->items[0].expr).index == 1);
}

// ───────────────────────────── precedence ─────────────────────────────

TEST_CASE("parser: operator precedence") {
    CHECK(FirstItem("SELECT 1+2*3") == "(+ 1 (* 2 3))");
    CHECK(FirstItem("SELECT (1+2)*3") == "(* (+ 1 2) 3)");
    CHECK(FirstItem("SELECT 1-2-3") == "(- (- 1 2) 3)");
    CHECK(FirstItem("SELECT a OR b AND c") == "(or a (and b c))");
    CHECK(FirstItem("SELECT NOT a = b") == "(not (= a b))");
    CHECK(FirstItem("SELECT NOT a AND b") == "(and (not a) b)");
    CHECK(FirstItem("SELECT a = b OR c < d") == "(or (= a b) (< c d))");
    CHECK(FirstItem("SELECT - - + col") == "(u- (u- (u+ col)))");
    CHECK(FirstItem("SELECT + 'text'") == "(u+ 'text')");
    CHECK(FirstItem("SELECT -a * b") == "(* (u- a) b)");
    CHECK(FirstItem("SELECT -x::int") == "(u- (cast x int))");
    CHECK(FirstItem("SELECT a || b = c") == "(= (|| a b) c)");
    CHECK(FirstItem("SELECT 1 + 2 || 'x'") == "(|| (+ 1 2) 'x')");
    CHECK(FirstItem("SELECT a & b | c # d << 1 >> 2") == "(>> (<< (# (| (& a b) c) d) 1) 2)");
    CHECK(FirstItem("SELECT 7 DIV 2 % 3 // 4") == "(div (% (div 7 2) 3) 4)");
    CHECK(FirstItem("SELECT ~a") == "(~ a)");
    CHECK(FirstItem("SELECT a BETWEEN 1 AND 2 AND b") == "(and (between a 1 2) b)");
    CHECK(FirstItem("SELECT a NOT BETWEEN b - 1 AND b + 1") == "(not-between a (- b 1) (+ b 1))");
    CHECK(FirstItem("SELECT a IS NULL OR b IS NOT NULL") == "(or (is-null a) (is-not-null b))");
    CHECK(FirstItem("SELECT a ISNULL") == "(is-null a)");
    CHECK(FirstItem("SELECT a NOTNULL") == "(is-not-null a)");
    CHECK(FirstItem("SELECT x IN (1, 2) = TRUE") == "(= (in x 1 2) true)");
    CHECK(FirstItem("SELECT a NOT IN (1)") == "(not-in a 1)");
    CHECK(FirstItem("SELECT a LIKE 'x%' AND b NOT LIKE 'y'") == "(and (like a 'x%') (not-like b 'y'))");
    CHECK(FirstItem("SELECT a <> b") == "(<> a b)");
    CHECK(FirstItem("SELECT a != b") == "(<> a b)");
    CHECK(FirstItem("SELECT a == b") == "(= a b)");
}

TEST_CASE("parser: IS [NOT] TRUE / FALSE / DISTINCT FROM lowering") {
    CHECK(FirstItem("SELECT a IS TRUE") == "(is-not-distinct a true)");
    CHECK(FirstItem("SELECT a IS NOT TRUE") == "(is-distinct a true)");
    CHECK(FirstItem("SELECT a IS FALSE") == "(is-not-distinct a false)");
    CHECK(FirstItem("SELECT a IS NOT FALSE") == "(is-distinct a false)");
    CHECK(FirstItem("SELECT a IS UNKNOWN") == "(is-null a)");
    CHECK(FirstItem("SELECT a IS DISTINCT FROM b") == "(is-distinct a b)");
    CHECK(FirstItem("SELECT a IS NOT DISTINCT FROM b + 1") == "(is-not-distinct a (+ b 1))");
}

// ───────────────────────────── special syntaxes ─────────────────────────────

TEST_CASE("parser: special function syntaxes are lowered to calls") {
    CHECK(FirstItem("SELECT EXTRACT(YEAR FROM d)") == "extract('year', d)");
    CHECK(FirstItem("SELECT SUBSTRING(s FROM 2 FOR 3)") == "substring(s, 2, 3)");
    CHECK(FirstItem("SELECT SUBSTRING(s FROM 2)") == "substring(s, 2)");
    CHECK(FirstItem("SELECT substring(s, 2, 3)") == "substring(s, 2, 3)");
    CHECK(FirstItem("SELECT POSITION('b' IN s)") == "position('b', s)");
    CHECK(FirstItem("SELECT TRIM(s)") == "trim(s)");
    CHECK(FirstItem("SELECT TRIM(BOTH 'x' FROM s)") == "trim(s, 'x')");
    CHECK(FirstItem("SELECT TRIM(LEADING FROM s)") == "ltrim(s)");
    CHECK(FirstItem("SELECT TRIM(TRAILING 'y' FROM s)") == "rtrim(s, 'y')");
    CHECK(FirstItem("SELECT COALESCE(a, NULLIF(b, 0), 1)") == "coalesce(a, nullif(b, 0), 1)");
    CHECK(FirstItem("SELECT CURRENT_DATE") == "current_date()");
    CHECK(FirstItem("SELECT current_timestamp") == "current_timestamp()");
    CHECK(FirstItem("SELECT count(*)") == "count(*)");
    CHECK(FirstItem("SELECT CAST(a AS DOUBLE PRECISION)") == "(cast a double precision)");
    CHECK(FirstItem("SELECT a::VARCHAR(10)") == "(cast a varchar)");
    CHECK(FirstItem("SELECT left('abc', 2)") == "left('abc', 2)");

    auto try_cast = ParseOne("SELECT TRY_CAST(a AS numeric(15, 2))");
    auto& cast = As<ast::CastExpr>(*QueryOf(*try_cast).select->items[0].expr);
    CHECK(cast.try_cast);
    CHECK(cast.type.name == "numeric");
    CHECK(cast.type.modifiers == std::vector<int>{15, 2});

    auto similar = ParseOne("SELECT a NOT SIMILAR TO 'x' ESCAPE '!', b ILIKE 'Y', c GLOB '*'");
    auto& items = QueryOf(*similar).select->items;
    auto& sim = As<ast::LikeExpr>(*items[0].expr);
    CHECK((sim.similar && sim.negated && sim.escape != nullptr));
    CHECK(As<ast::LikeExpr>(*items[1].expr).case_insensitive);
    CHECK(As<ast::LikeExpr>(*items[2].expr).glob);
}

TEST_CASE("parser: CASE, subqueries and aggregates") {
    auto stmt = ParseOne(
        "SELECT CASE a WHEN 1 THEN 'one' ELSE 'many' END, CASE WHEN b THEN 1 END, (SELECT 1), "
        "EXISTS (SELECT 1), NOT EXISTS (SELECT 2), a IN (SELECT x FROM t), a > ANY (SELECT y FROM t), "
        "a = ALL (SELECT z FROM t), count(DISTINCT a), sum(b) FILTER (WHERE b > 0), "
        "string_agg(c, ',' ORDER BY c DESC)");
    auto& items = QueryOf(*stmt).select->items;
    auto& simple_case = As<ast::CaseExpr>(*items[0].expr);
    CHECK(simple_case.operand != nullptr);
    CHECK(simple_case.else_expr != nullptr);
    auto& searched = As<ast::CaseExpr>(*items[1].expr);
    CHECK(searched.operand == nullptr);
    CHECK(searched.when_then.size() == 1);
    CHECK(As<ast::SubqueryExpr>(*items[2].expr).subquery_kind == ast::SubqueryKind::Scalar);
    CHECK(As<ast::SubqueryExpr>(*items[3].expr).subquery_kind == ast::SubqueryKind::Exists);
    CHECK(As<ast::SubqueryExpr>(*items[4].expr).negated);
    CHECK(As<ast::SubqueryExpr>(*items[5].expr).subquery_kind == ast::SubqueryKind::In);
    auto& any = As<ast::SubqueryExpr>(*items[6].expr);
    CHECK(any.subquery_kind == ast::SubqueryKind::Any);
    CHECK(any.compare == ast::BinaryOp::Gt);
    CHECK(As<ast::SubqueryExpr>(*items[7].expr).subquery_kind == ast::SubqueryKind::All);
    CHECK(As<ast::FunctionExpr>(*items[8].expr).distinct);
    CHECK(As<ast::FunctionExpr>(*items[9].expr).filter != nullptr);
    auto& agg = As<ast::FunctionExpr>(*items[10].expr);
    REQUIRE(agg.order_by.size() == 1);
    CHECK(agg.order_by[0].descending);
}

TEST_CASE("parser: window functions") {
    auto stmt = ParseOne(
        "SELECT row_number() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST ROWS BETWEEN 2 PRECEDING AND "
        "CURRENT ROW), sum(x) OVER w, rank() OVER (w RANGE UNBOUNDED PRECEDING) FROM t "
        "WINDOW w AS (ORDER BY c GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) QUALIFY a > 1");
    ast::Query& query = QueryOf(*stmt);
    auto& first = As<ast::FunctionExpr>(*query.select->items[0].expr);
    REQUIRE(first.over != nullptr);
    CHECK(first.over->partition_by.size() == 1);
    REQUIRE(first.over->order_by.size() == 1);
    CHECK(first.over->order_by[0].descending);
    CHECK(first.over->order_by[0].nulls_first == false);
    CHECK(first.over->has_frame);
    CHECK(first.over->unit == ast::FrameUnit::Rows);
    CHECK(first.over->start.kind == ast::FrameBoundKind::Preceding);
    CHECK(Dump(first.over->start.offset.get()) == "2");
    CHECK(first.over->end.kind == ast::FrameBoundKind::CurrentRow);
    CHECK(As<ast::FunctionExpr>(*query.select->items[1].expr).over->ref_name == "w");
    auto& third = As<ast::FunctionExpr>(*query.select->items[2].expr);
    CHECK(third.over->ref_name == "w");
    CHECK(third.over->end.kind == ast::FrameBoundKind::CurrentRow);
    REQUIRE(query.select->windows.size() == 1);
    CHECK(query.select->windows[0].first == "w");
    CHECK(query.select->windows[0].second->unit == ast::FrameUnit::Groups);
    CHECK(query.select->windows[0].second->end.kind == ast::FrameBoundKind::Following);
    CHECK(query.select->qualify != nullptr);
}

// ───────────────────────────── queries ─────────────────────────────

TEST_CASE("parser: SELECT clauses") {
    auto stmt = ParseOne(
        "SELECT DISTINCT ON (a) a AS x, b y, t.*, * FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 "
        "ORDER BY 1 DESC NULLS FIRST, 2 LIMIT 10 OFFSET 5");
    ast::Query& query = QueryOf(*stmt);
    ast::SelectCore& core = *query.select;
    CHECK(core.distinct);
    CHECK(core.distinct_on.size() == 1);
    REQUIRE(core.items.size() == 4);
    CHECK(core.items[0].alias == "x");
    CHECK(core.items[1].alias == "y");
    CHECK(As<ast::StarExpr>(*core.items[2].expr).qualifier == "t");
    CHECK(As<ast::StarExpr>(*core.items[3].expr).qualifier.empty());
    CHECK(core.where != nullptr);
    CHECK(core.group_by.size() == 2);
    CHECK(core.having != nullptr);
    REQUIRE(query.order_by.size() == 2);
    CHECK(query.order_by[0].descending);
    CHECK(query.order_by[0].nulls_first == true);
    CHECK(!query.order_by[1].nulls_first.has_value());
    CHECK(Dump(query.limit.get()) == "10");
    CHECK(Dump(query.offset.get()) == "5");

    auto all = ParseOne("SELECT a FROM t GROUP BY ALL LIMIT ALL");
    CHECK(QueryOf(*all).select->group_by_all);
    CHECK(QueryOf(*all).limit == nullptr);

    auto fetch = ParseOne("SELECT a FROM t ORDER BY a OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY");
    CHECK(Dump(QueryOf(*fetch).limit.get()) == "3");
    CHECK(Dump(QueryOf(*fetch).offset.get()) == "2");
    auto fetch_one = ParseOne("SELECT a FROM t FETCH NEXT ROW ONLY");
    CHECK(Dump(QueryOf(*fetch_one).limit.get()) == "1");
}

TEST_CASE("parser: FROM clause joins and table functions") {
    auto stmt = ParseOne(
        "SELECT * FROM a, b JOIN c ON b.x = c.x LEFT OUTER JOIN d USING (y) CROSS JOIN e NATURAL FULL JOIN f");
    auto& top = As<ast::JoinRef>(*QueryOf(*stmt).select->from);
    CHECK(top.type == ast::JoinType::Cross);  // the comma
    CHECK(As<ast::BaseTableRef>(*top.left).names == std::vector<std::string>{"a"});
    auto& natural = As<ast::JoinRef>(*top.right);
    CHECK(natural.natural);
    CHECK(natural.type == ast::JoinType::Full);
    auto& cross = As<ast::JoinRef>(*natural.left);
    CHECK(cross.type == ast::JoinType::Cross);
    auto& left = As<ast::JoinRef>(*cross.left);
    CHECK(left.type == ast::JoinType::Left);
    CHECK(left.using_columns == std::vector<std::string>{"y"});
    auto& inner = As<ast::JoinRef>(*left.left);
    CHECK(inner.type == ast::JoinType::Inner);
    CHECK(inner.condition != nullptr);

    auto sub = ParseOne(
        "SELECT * FROM (SELECT 1) AS s(x), LATERAL (SELECT x) l, range(1, 10) r, generate_series(1, 3, 1), "
        "main.t AS tt (a, b)");
    // left-deep comma list: (((s, l), r), generate_series), tt
    auto* ref = QueryOf(*sub).select->from.get();
    auto& outer = As<ast::JoinRef>(*ref);
    auto& named = As<ast::BaseTableRef>(*outer.right);
    CHECK(named.names == std::vector<std::string>{"main", "t"});
    CHECK(named.alias == "tt");
    CHECK(named.column_aliases == std::vector<std::string>{"a", "b"});
    auto& series = As<ast::FunctionRef>(*As<ast::JoinRef>(*outer.left).right);
    CHECK(series.call->name == "generate_series");
    CHECK(series.call->args.size() == 3);
    auto& level2 = As<ast::JoinRef>(*As<ast::JoinRef>(*outer.left).left);
    CHECK(As<ast::FunctionRef>(*level2.right).alias == "r");
    auto& level3 = As<ast::JoinRef>(*level2.left);
    CHECK(As<ast::SubqueryRef>(*level3.right).lateral);
    auto& first = As<ast::SubqueryRef>(*level3.left);
    CHECK(first.alias == "s");
    CHECK(first.column_aliases == std::vector<std::string>{"x"});
}

TEST_CASE("parser: set operations, VALUES and WITH") {
    auto stmt = ParseOne("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4");
    // INTERSECT binds tighter: (1 UNION (2 INTERSECT 3)) EXCEPT ALL 4
    ast::Query& top = QueryOf(*stmt);
    REQUIRE(top.body_kind == ast::QueryBodyKind::SetOp);
    CHECK(top.set_op == ast::SetOpKind::Except);
    CHECK(top.set_all);
    ast::Query& union_query = *top.left;
    CHECK(union_query.set_op == ast::SetOpKind::Union);
    CHECK(!union_query.set_all);
    CHECK(union_query.right->set_op == ast::SetOpKind::Intersect);

    auto paren = ParseOne("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u) ORDER BY 1");
    ast::Query& paren_top = QueryOf(*paren);
    CHECK(paren_top.set_op == ast::SetOpKind::Union);
    CHECK(paren_top.order_by.size() == 1);
    CHECK(paren_top.left->limit != nullptr);

    auto values = ParseOne("VALUES (1, 'a'), (2, 'b') ORDER BY 1");
    ast::Query& values_query = QueryOf(*values);
    CHECK(values_query.body_kind == ast::QueryBodyKind::Values);
    CHECK(values_query.values.size() == 2);
    CHECK(values_query.values[1].size() == 2);

    auto with = ParseOne(
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5), "
        "m AS MATERIALIZED (SELECT 2) SELECT * FROM r");
    ast::Query& with_query = QueryOf(*with);
    CHECK(with_query.recursive);
    REQUIRE(with_query.ctes.size() == 2);
    CHECK(with_query.ctes[0].name == "r");
    CHECK(with_query.ctes[0].column_names == std::vector<std::string>{"n"});
    CHECK(with_query.ctes[1].materialized == true);
}

// ───────────────────────────── identifiers ─────────────────────────────

TEST_CASE("parser: keywords as identifiers and identifier case") {
    auto stmt = ParseOne(
        "SELECT name, key, date, year, value, type, text, first, last, data, position, filter.x "
        "FROM t AS filter WHERE date > DATE '2020-01-01'");
    auto& items = QueryOf(*stmt).select->items;
    const char* expected[] = {"name", "key", "date", "year", "value", "type", "text", "first", "last", "data", "position"};
    for (size_t idx = 0; idx < std::size(expected); ++idx) CHECK(Dump(items[idx].expr.get()) == expected[idx]);
    CHECK(Dump(items[11].expr.get()) == "filter.x");

    auto create = ParseOne("CREATE TABLE Users (Name TEXT, \"Key\" INT, `Value` INT, year INT, type VARCHAR)");
    auto& table = As<ast::CreateTableStatement>(*create);
    CHECK(table.names == std::vector<std::string>{"users"});
    CHECK(table.columns[0].name == "name");
    CHECK(table.columns[1].name == "Key");
    CHECK(table.columns[2].name == "Value");
    CHECK(table.columns[3].name == "year");

    auto quoted = ParseOne("SELECT \"a\"\"b\" FROM \"My Table\"");
    CHECK(Dump(QueryOf(*quoted).select->items[0].expr.get()) == "a\"b");
    CHECK(As<ast::BaseTableRef>(*QueryOf(*quoted).select->from).names[0] == "My Table");

    // a reserved word is not a name
    CHECK_THROWS_AS(ParseSql("SELECT from FROM t"), Error);
}

// ───────────────────────────── statements ─────────────────────────────

TEST_CASE("parser: CREATE TABLE") {
    auto stmt = ParseOne(
        "CREATE TEMP TABLE IF NOT EXISTS s.t (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE, "
        "price DECIMAL(10,2) DEFAULT 0 CHECK (price >= 0), other INT REFERENCES o(id), note TEXT NULL, "
        "CONSTRAINT pk PRIMARY KEY (id, name), UNIQUE (name), CHECK (id > 0), "
        "FOREIGN KEY (other) REFERENCES o (id) ON DELETE CASCADE)");
    auto& table = As<ast::CreateTableStatement>(*stmt);
    CHECK(table.temporary);
    CHECK(table.if_not_exists);
    CHECK(table.names == std::vector<std::string>{"s", "t"});
    REQUIRE(table.columns.size() == 5);
    CHECK(table.columns[0].primary_key);
    CHECK(table.columns[1].type.name == "varchar");
    CHECK(table.columns[1].type.modifiers == std::vector<int>{40});
    CHECK(table.columns[1].not_null);
    CHECK(table.columns[1].unique);
    CHECK(table.columns[2].default_value != nullptr);
    CHECK(table.columns[2].check_text == "price >= 0");
    CHECK(table.columns[4].null_explicit);
    // column REFERENCES becomes a FOREIGN KEY constraint, then the four table constraints
    REQUIRE(table.constraints.size() == 5);
    CHECK(table.constraints[0].kind == ast::ConstraintKind::ForeignKey);
    CHECK(table.constraints[0].columns == std::vector<std::string>{"other"});
    CHECK(table.constraints[1].kind == ast::ConstraintKind::PrimaryKey);
    CHECK(table.constraints[1].name == "pk");
    CHECK(table.constraints[2].kind == ast::ConstraintKind::Unique);
    CHECK(table.constraints[3].check_text == "id > 0");
    CHECK(table.constraints[4].ref_table == std::vector<std::string>{"o"});

    auto as = ParseOne("CREATE OR REPLACE TABLE t2 AS SELECT * FROM t");
    auto& as_table = As<ast::CreateTableStatement>(*as);
    CHECK(as_table.or_replace);
    CHECK(as_table.as_query != nullptr);
    CHECK(as_table.as_query_text == "SELECT * FROM t");
}

TEST_CASE("parser: CREATE VIEW / INDEX / SCHEMA / DATABASE") {
    auto view = ParseOne("CREATE OR REPLACE VIEW v (a, b) AS SELECT x, y FROM t  ");
    auto& v = As<ast::CreateViewStatement>(*view);
    CHECK(v.or_replace);
    CHECK(v.column_names == std::vector<std::string>{"a", "b"});
    CHECK(v.query_text == "SELECT x, y FROM t");

    auto index = ParseOne("CREATE UNIQUE INDEX IF NOT EXISTS idx ON t USING art (a DESC, b)");
    auto& idx = As<ast::CreateIndexStatement>(*index);
    CHECK(idx.unique);
    CHECK(idx.if_not_exists);
    CHECK(idx.name == "idx");
    CHECK(idx.using_method == "art");
    CHECK(idx.table == std::vector<std::string>{"t"});
    REQUIRE(idx.keys.size() == 2);
    CHECK(idx.keys[0].descending);
    auto unnamed = ParseOne("CREATE INDEX ON t (a)");
    CHECK(As<ast::CreateIndexStatement>(*unnamed).name.empty());

    CHECK(As<ast::CreateSchemaStatement>(*ParseOne("CREATE SCHEMA IF NOT EXISTS s")).if_not_exists);
    CHECK(As<ast::CreateDatabaseStatement>(*ParseOne("CREATE DATABASE 'x.griz'")).path == "x.griz");
}

TEST_CASE("parser: CREATE FUNCTION and MACRO") {
    auto pg = ParseOne(
        "CREATE OR REPLACE FUNCTION add(a INTEGER, b INTEGER) RETURNS INTEGER LANGUAGE sql IMMUTABLE "
        "AS 'SELECT a + b'");
    auto& fn = As<ast::CreateFunctionStatement>(*pg);
    CHECK(fn.or_replace);
    REQUIRE(fn.params.size() == 2);
    CHECK(fn.params[1].type.name == "integer");
    REQUIRE(fn.returns.has_value());
    CHECK(fn.language == "sql");
    CHECK(fn.body == "SELECT a + b");
    CHECK(fn.return_expr == nullptr);

    auto dollar = ParseOne("CREATE FUNCTION f(x INT) RETURNS INT AS $$ SELECT x * 2 $$ LANGUAGE SQL");
    CHECK(As<ast::CreateFunctionStatement>(*dollar).body == " SELECT x * 2 ");

    auto ret = ParseOne("CREATE FUNCTION g(x INT) RETURNS INT RETURN x + 1");
    auto& g = As<ast::CreateFunctionStatement>(*ret);
    CHECK(g.body == "x + 1");
    CHECK(Dump(g.return_expr.get()) == "(+ x 1)");

    auto macro = ParseOne("CREATE MACRO plus(a, b) AS a + b");
    auto& m = As<ast::CreateFunctionStatement>(*macro);
    REQUIRE(m.params.size() == 2);
    CHECK(m.params[0].name == "a");
    CHECK(m.body == "a + b");
    CHECK(Dump(m.return_expr.get()) == "(+ a b)");
}

TEST_CASE("parser: CREATE TRIGGER") {
    auto stmt = ParseOne(
        "CREATE TRIGGER tr AFTER UPDATE OF a, b ON t FOR EACH ROW WHEN (new.a > 0) "
        "BEGIN INSERT INTO log VALUES (new.a); DELETE FROM x WHERE y = old.a; END");
    auto& trigger = As<ast::CreateTriggerStatement>(*stmt);
    CHECK(trigger.name == "tr");
    CHECK(trigger.timing == ast::TriggerTiming::After);
    CHECK(trigger.event == ast::TriggerEvent::Update);
    CHECK(trigger.update_columns == std::vector<std::string>{"a", "b"});
    CHECK(trigger.table == std::vector<std::string>{"t"});
    CHECK(trigger.when != nullptr);
    REQUIRE(trigger.body.size() == 2);
    CHECK(trigger.body[0]->kind == ast::StatementKind::Insert);
    CHECK(trigger.body[1]->kind == ast::StatementKind::Delete);
    CHECK(trigger.body_texts[0] == "INSERT INTO log VALUES (new.a)");
    CHECK(trigger.body_texts[1] == "DELETE FROM x WHERE y = old.a");

    // SQLite form without timing, with the trailing ';' of the script
    auto sqlite = ParseSql("CREATE TRIGGER t1r1 UPDATE ON t1 BEGIN SELECT 1; END;");
    REQUIRE(sqlite.size() == 1);
    auto& plain = As<ast::CreateTriggerStatement>(*sqlite[0]);
    CHECK(plain.timing == ast::TriggerTiming::Before);
    CHECK(plain.body_texts == std::vector<std::string>{"SELECT 1"});

    auto pg = ParseOne("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit()");
    CHECK(As<ast::CreateTriggerStatement>(*pg).exec_function == "audit");
    auto instead = ParseOne("CREATE TRIGGER tr INSTEAD OF DELETE ON v BEGIN SELECT 1; END");
    CHECK(As<ast::CreateTriggerStatement>(*instead).timing == ast::TriggerTiming::InsteadOf);
}

TEST_CASE("parser: DROP and ALTER TABLE") {
    auto drop = ParseOne("DROP TABLE IF EXISTS a, s.b CASCADE");
    auto& d = As<ast::DropStatement>(*drop);
    CHECK(d.object == ast::ObjectKind::Table);
    CHECK(d.if_exists);
    CHECK(d.cascade);
    REQUIRE(d.names.size() == 2);
    CHECK(d.names[1] == std::vector<std::string>{"s", "b"});
    const std::pair<const char*, ast::ObjectKind> kinds[] = {
        {"DROP VIEW v", ast::ObjectKind::View},          {"DROP INDEX i", ast::ObjectKind::Index},
        {"DROP TRIGGER tr", ast::ObjectKind::Trigger},   {"DROP FUNCTION f", ast::ObjectKind::Function},
        {"DROP MACRO m", ast::ObjectKind::Function},     {"DROP DATABASE db", ast::ObjectKind::Database},
        {"DROP SCHEMA s RESTRICT", ast::ObjectKind::Schema},
    };
    for (const auto& [sql, kind] : kinds) {
        CAPTURE(sql);
        CHECK(As<ast::DropStatement>(*ParseOne(sql)).object == kind);
    }

    struct AlterCase {
        const char* sql;
        ast::AlterAction action;
    };
    const AlterCase alters[] = {
        {"ALTER TABLE t ADD COLUMN c INT NOT NULL", ast::AlterAction::AddColumn},
        {"ALTER TABLE t ADD c INT", ast::AlterAction::AddColumn},
        {"ALTER TABLE t DROP COLUMN IF EXISTS c", ast::AlterAction::DropColumn},
        {"ALTER TABLE t DROP c", ast::AlterAction::DropColumn},
        {"ALTER TABLE t RENAME COLUMN a TO b", ast::AlterAction::RenameColumn},
        {"ALTER TABLE t RENAME a TO b", ast::AlterAction::RenameColumn},
        {"ALTER TABLE t RENAME TO u", ast::AlterAction::RenameTable},
        {"ALTER TABLE t ALTER COLUMN c SET DATA TYPE BIGINT", ast::AlterAction::AlterColumnType},
        {"ALTER TABLE t ALTER c TYPE VARCHAR", ast::AlterAction::AlterColumnType},
        {"ALTER TABLE t ALTER COLUMN c SET DEFAULT 5", ast::AlterAction::SetDefault},
        {"ALTER TABLE t ALTER COLUMN c DROP DEFAULT", ast::AlterAction::DropDefault},
        {"ALTER TABLE t ALTER COLUMN c SET NOT NULL", ast::AlterAction::SetNotNull},
        {"ALTER TABLE t ALTER COLUMN c DROP NOT NULL", ast::AlterAction::DropNotNull},
        {"ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)", ast::AlterAction::AddConstraint},
    };
    for (const auto& c : alters) {
        CAPTURE(c.sql);
        CHECK(As<ast::AlterTableStatement>(*ParseOne(c.sql)).action == c.action);
    }
    auto rename = ParseOne("ALTER TABLE IF EXISTS t RENAME COLUMN a TO b");
    auto& r = As<ast::AlterTableStatement>(*rename);
    CHECK(r.if_exists);
    CHECK(r.name == "a");
    CHECK(r.new_name == "b");
}

TEST_CASE("parser: INSERT, UPDATE, DELETE") {
    auto insert = ParseOne("INSERT OR REPLACE INTO t AS x (a, b) VALUES (1, 2), (3, 4) RETURNING a, b AS bee");
    auto& ins = As<ast::InsertStatement>(*insert);
    CHECK(ins.on_conflict == ast::OnConflict::Replace);
    CHECK(ins.alias == "x");
    CHECK(ins.columns == std::vector<std::string>{"a", "b"});
    CHECK(ins.source->values.size() == 2);
    CHECK(ins.returning.items.size() == 2);
    CHECK(ins.returning.items[1].alias == "bee");
    CHECK(As<ast::InsertStatement>(*ParseOne("INSERT OR IGNORE INTO t SELECT * FROM u")).on_conflict ==
          ast::OnConflict::Ignore);
    CHECK(As<ast::InsertStatement>(*ParseOne("INSERT INTO t DEFAULT VALUES")).default_values);
    CHECK(As<ast::InsertStatement>(*ParseOne("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING")).on_conflict ==
          ast::OnConflict::Ignore);

    auto update = ParseOne("UPDATE t AS x SET a = a + 1, b = DEFAULT FROM u WHERE x.id = u.id RETURNING *");
    auto& upd = As<ast::UpdateStatement>(*update);
    CHECK(upd.alias == "x");
    REQUIRE(upd.sets.size() == 2);
    CHECK(upd.sets[0].column == "a");
    CHECK(As<ast::FunctionExpr>(*upd.sets[1].value).name == "default");
    CHECK(upd.from != nullptr);
    CHECK(upd.where != nullptr);
    CHECK(upd.returning.items.size() == 1);
    CHECK(As<ast::UpdateStatement>(*ParseOne("UPDATE t u SET a = 1")).alias == "u");

    auto del = ParseOne("DELETE FROM t USING u WHERE t.id = u.id RETURNING t.id");
    auto& dl = As<ast::DeleteStatement>(*del);
    CHECK(dl.using_tables != nullptr);
    CHECK(dl.where != nullptr);
    CHECK(dl.returning.items.size() == 1);
}

TEST_CASE("parser: transactions, EXPLAIN, PREPARE, EXECUTE, DEALLOCATE") {
    const std::pair<const char*, ast::TransactionOp> txns[] = {
        {"BEGIN", ast::TransactionOp::Begin},       {"BEGIN TRANSACTION", ast::TransactionOp::Begin},
        {"START TRANSACTION", ast::TransactionOp::Begin}, {"COMMIT", ast::TransactionOp::Commit},
        {"END", ast::TransactionOp::Commit},        {"ROLLBACK", ast::TransactionOp::Rollback},
    };
    for (const auto& [sql, op] : txns) {
        CAPTURE(sql);
        CHECK(As<ast::TransactionStatement>(*ParseOne(sql)).op == op);
    }

    auto explain = ParseOne("EXPLAIN ANALYZE SELECT 1");
    auto& ex = As<ast::ExplainStatement>(*explain);
    CHECK(ex.explain == ast::ExplainKind::Analyze);
    CHECK(ex.statement->kind == ast::StatementKind::Select);
    CHECK(ex.statement->text == "SELECT 1");
    CHECK(As<ast::ExplainStatement>(*ParseOne("EXPLAIN CODEGEN SELECT 1")).explain == ast::ExplainKind::Codegen);
    CHECK(As<ast::ExplainStatement>(*ParseOne("EXPLAIN SELECT 1")).explain == ast::ExplainKind::Plan);

    auto prepare = ParseOne("PREPARE q (INT, TEXT) AS SELECT * FROM t WHERE a = $1 AND b = $2");
    auto& prep = As<ast::PrepareStatement>(*prepare);
    CHECK(prep.name == "q");
    CHECK(prep.param_types.size() == 2);
    CHECK(prep.statement->kind == ast::StatementKind::Select);

    auto execute = ParseOne("EXECUTE q(1, 'x')");
    CHECK(As<ast::ExecuteStatement>(*execute).args.size() == 2);
    CHECK(As<ast::DeallocateStatement>(*ParseOne("DEALLOCATE PREPARE q")).name == "q");
    CHECK(As<ast::DeallocateStatement>(*ParseOne("DEALLOCATE ALL")).all);
}

TEST_CASE("parser: COPY, ATTACH, DETACH, USE, EXPORT, IMPORT") {
    auto copy = ParseOne("COPY t (a, b) FROM 'in.csv' WITH (FORMAT csv, HEADER, DELIMITER '|')");
    auto& c = As<ast::CopyStatement>(*copy);
    CHECK(c.from);
    CHECK(c.columns == std::vector<std::string>{"a", "b"});
    CHECK(c.path == "in.csv");
    REQUIRE(c.options.size() == 3);
    CHECK(c.options[0].name == "format");
    CHECK(Dump(c.options[0].value.get()) == "'csv'");
    CHECK(c.options[1].value == nullptr);

    auto legacy = ParseOne("COPY t TO 'out.csv' DELIMITER '|' HEADER CSV");
    auto& l = As<ast::CopyStatement>(*legacy);
    CHECK(!l.from);
    REQUIRE(l.options.size() == 3);
    CHECK(l.options[0].name == "delimiter");
    CHECK(l.options[2].name == "format");

    auto query = ParseOne("COPY (SELECT 1) TO 'one.csv'");
    CHECK(As<ast::CopyStatement>(*query).query != nullptr);

    auto attach = ParseOne("ATTACH DATABASE IF NOT EXISTS 'f.griz' AS f (READ_ONLY)");
    auto& a = As<ast::AttachStatement>(*attach);
    CHECK(a.if_not_exists);
    CHECK(a.path == "f.griz");
    CHECK(a.alias == "f");
    REQUIRE(a.options.size() == 1);
    CHECK(a.options[0].name == "read_only");
    CHECK(As<ast::DetachStatement>(*ParseOne("DETACH DATABASE f")).name == "f");
    CHECK(As<ast::UseStatement>(*ParseOne("USE f.main")).names == std::vector<std::string>{"f", "main"});
    auto exp = ParseOne("EXPORT DATABASE 'dir' (FORMAT csv)");
    CHECK(As<ast::ExportDatabaseStatement>(*exp).options.size() == 1);
    CHECK(As<ast::ImportDatabaseStatement>(*ParseOne("IMPORT DATABASE 'dir'")).path == "dir");
}

TEST_CASE("parser: SET, RESET, PRAGMA, SHOW, DESCRIBE, CALL, CHECKPOINT, VACUUM") {
    auto set = ParseOne("SET LOCAL execution_mode = 'jit'");
    auto& s = As<ast::SetStatement>(*set);
    CHECK(s.scope == "local");
    CHECK(s.name == "execution_mode");
    CHECK(Dump(s.value.get()) == "'jit'");
    auto to_word = ParseOne("SET search_path TO main");
    CHECK(Dump(As<ast::SetStatement>(*to_word).value.get()) == "'main'");
    CHECK(As<ast::SetStatement>(*ParseOne("SET threads TO DEFAULT")).value == nullptr);
    auto reset = ParseOne("RESET threads");
    CHECK(As<ast::SetStatement>(*reset).reset);

    auto pragma = ParseOne("PRAGMA table_info('t')");
    CHECK(As<ast::PragmaStatement>(*pragma).args.size() == 1);
    CHECK(As<ast::PragmaStatement>(*ParseOne("PRAGMA threads = 4")).assignment);

    CHECK(As<ast::ShowStatement>(*ParseOne("SHOW TABLES")).what == "tables");
    CHECK(As<ast::ShowStatement>(*ParseOne("SHOW TABLES FROM db")).from == "db");
    CHECK(As<ast::ShowStatement>(*ParseOne("SHOW DATABASES")).what == "databases");
    CHECK(As<ast::ShowStatement>(*ParseOne("SHOW ALL")).what == "all");
    CHECK(As<ast::ShowStatement>(*ParseOne("SHOW threads")).what == "threads");
    CHECK(As<ast::DescribeStatement>(*ParseOne("SHOW COLUMNS FROM t")).table == std::vector<std::string>{"t"});
    CHECK(As<ast::DescribeStatement>(*ParseOne("DESCRIBE t")).table == std::vector<std::string>{"t"});
    CHECK(As<ast::DescribeStatement>(*ParseOne("DESCRIBE SELECT 1")).query != nullptr);

    auto call = ParseOne("CALL dbgen(sf = 1, x := 2, y => 3, 4)");
    auto& fn = *As<ast::CallStatement>(*call).call;
    CHECK(fn.name == "dbgen");
    CHECK(fn.arg_names == std::vector<std::string>{"sf", "x", "y", ""});
    CHECK(Dump(fn.args[0].get()) == "1");

    CHECK(As<ast::CheckpointStatement>(*ParseOne("CHECKPOINT")).database.empty());
    CHECK(As<ast::CheckpointStatement>(*ParseOne("FORCE CHECKPOINT db")).force);
    auto vacuum = ParseOne("VACUUM ANALYZE t");
    CHECK(As<ast::VacuumStatement>(*vacuum).analyze);
    CHECK(As<ast::VacuumStatement>(*vacuum).table == std::vector<std::string>{"t"});
}

// ───────────────────────────── scripts, text and positions ─────────────────────────────

TEST_CASE("parser: script splitting and statement text") {
    std::string sql = "SELECT 1;\n  -- comment\n  INSERT INTO t VALUES ('a;b') ;;";
    auto statements = ParseSql(sql);
    REQUIRE(statements.size() == 2);
    CHECK(statements[0]->text == "SELECT 1");
    CHECK(statements[1]->text == "INSERT INTO t VALUES ('a;b')");
    CHECK(statements[1]->pos.line == 3);
    CHECK(statements[1]->pos.column == 3);
    CHECK(statements[1]->pos.offset == sql.find("INSERT"));
    CHECK(ParseSql("").empty());
    CHECK(ParseSql(" ; ; ").empty());
    CHECK(ParseSql("SELECT 1 /* block\ncomment */ ; SELECT 2").size() == 2);
}

TEST_CASE("parser: expression positions") {
    std::string sql = "SELECT a,\n       b + c FROM t";
    auto stmt = ParseOne(sql);
    auto& items = QueryOf(*stmt).select->items;
    CHECK(items[0].expr->pos.line == 1);
    CHECK(items[0].expr->pos.column == 8);
    auto& sum = As<ast::BinaryExpr>(*items[1].expr);
    CHECK(sum.pos.line == 2);
    CHECK(sum.pos.column == 10);  // the operator
    CHECK(sum.left->pos.column == 8);
    CHECK(sum.left->pos.offset == sql.find("b + c"));
    CHECK(QueryOf(*stmt).select->from->pos.column == 19);

    // byte offsets stay right after multi-byte characters; columns count characters
    std::string utf8 = "SELECT 'héllo', x";
    auto wide = ParseOne(utf8);
    auto& x = *QueryOf(*wide).select->items[1].expr;
    CHECK(x.pos.offset == utf8.find('x'));
    CHECK(x.pos.column == 17);
    CHECK(Dump(QueryOf(*wide).select->items[0].expr.get()) == "'héllo'");
}

TEST_CASE("parser: syntax errors carry the position and the offending token") {
    Error error = SyntaxErrorOf("SELECT a\nFORM t");
    CHECK(error.State() == SqlState::SyntaxError);
    CHECK(std::string(error.Code()) == "42601");
    CHECK(error.Message().find("at or near \"t\"") != std::string::npos);
    CHECK(error.Pos().line == 2);
    CHECK(error.Pos().column == 6);

    Error misspelled = SyntaxErrorOf("SELECT * FORM t");
    CHECK(misspelled.Message().find("at or near \"FORM\"") != std::string::npos);
    CHECK(misspelled.Pos().column == 10);
    CHECK(misspelled.Pos().offset == 9);

    Error at_end = SyntaxErrorOf("SELECT 1 +");
    CHECK(at_end.Message().find("at end of input") != std::string::npos);

    Error second = SyntaxErrorOf("SELECT 1;\nSELECT (2;");
    CHECK(second.Pos().line == 2);

    Error bad_char = SyntaxErrorOf("SELECT 1 @ 2");
    CHECK(bad_char.State() == SqlState::SyntaxError);
    CHECK(bad_char.Message().find("\"@\"") != std::string::npos);
    CHECK(bad_char.Pos().column == 10);

    Error unterminated = SyntaxErrorOf("SELECT 'abc");
    CHECK(unterminated.Message().find("unterminated quoted string") != std::string::npos);
    CHECK(unterminated.Pos().column == 8);

    CHECK(SyntaxErrorOf("SELECT \xff").State() == SqlState::SyntaxError);
    CHECK(SyntaxErrorOf(std::string(600, '(')).State() == SqlState::ProgramLimitExceeded);
    std::string minus_run = "SELECT ";
    for (int idx = 0; idx < 600; ++idx) minus_run += "- ";
    CHECK(SyntaxErrorOf(minus_run + "1").State() == SqlState::ProgramLimitExceeded);
    std::string long_chain = "SELECT 1";
    for (int idx = 0; idx < 10001; ++idx) long_chain += "+1";
    CHECK(SyntaxErrorOf(long_chain).State() == SqlState::ProgramLimitExceeded);
}

TEST_CASE("parser: deep but reasonable nesting parses") {
    std::string sql = "SELECT " + std::string(200, '(') + "1" + std::string(200, ')');
    CHECK(ParseSql(sql).size() == 1);
    std::string chain = "SELECT 1";
    for (int idx = 0; idx < 5000; ++idx) chain += " + 1";
    CHECK(ParseSql(chain).size() == 1);
}

// ───────────────────────────── the conformance corpus ─────────────────────────────

namespace {

std::filesystem::path CorpusRoot() {
    return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / ".." / "shared" / "sqllogictest";
}

/// The SQL of the first `statement ok` or `query` record of a sqllogictest file
/// that applies to every engine (no onlyif/skipif in front).
std::string FirstPortableRecord(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> record;
    auto flush = [&]() -> std::string {
        if (record.empty()) return {};
        std::string head = record[0];
        if (head.rfind("statement ok", 0) == 0 || head.rfind("query", 0) == 0) {
            std::string sql;
            for (size_t idx = 1; idx < record.size() && record[idx].rfind("----", 0) != 0; ++idx) {
                sql += (sql.empty() ? "" : "\n") + record[idx];
            }
            return sql;
        }
        return {};
    };
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line[0] == '#') continue;
        if (line.find_first_not_of(" \t") == std::string::npos) {
            std::string sql = flush();
            if (!sql.empty()) return sql;
            record.clear();
            continue;
        }
        record.push_back(line);
    }
    return flush();
}

}  // namespace

TEST_CASE("parser: a statement from each conformance corpus file parses") {
    std::filesystem::path root = CorpusRoot();
    if (!std::filesystem::exists(root)) {
        MESSAGE("corpus not found at " << root.string() << "; skipped");
        return;
    }
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (entry.path().extension() != ".test") continue;
        std::string sql = FirstPortableRecord(entry.path());
        if (sql.empty()) continue;
        CAPTURE(entry.path().string());
        CAPTURE(sql);
        CHECK_NOTHROW(ParseSql(sql));
        ++files;
    }
    CHECK(files > 0);

    // Shapes typical of the corpus
    CHECK_NOTHROW(ParseSql("SELECT ALL - col1 + CAST ( NULL AS INTEGER ) AS col1 FROM tab0 AS cor0"));
    CHECK_NOTHROW(ParseSql("SELECT DISTINCT - - 55 * + - col2 / col0 FROM tab1 cor0 CROSS JOIN tab2, tab0 AS cor1"));
    CHECK_NOTHROW(ParseSql("SELECT * FROM tab2 WHERE NOT ( col1 ) NOT BETWEEN NULL AND - col0 * + 41"));
    CHECK_NOTHROW(ParseSql("SELECT group_concat(x) FROM t1 NOT INDEXED"));
}
