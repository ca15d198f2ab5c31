#pragma once
/// The abstract syntax tree: what the parser produces and the binder reads.
/// Plain data, owned top-down through unique_ptr; no ANTLR type appears here.
/// Names are stored as written, except unquoted identifiers, which the parser
/// folds to lower case (PostgreSQL rules); quoted identifiers keep their case.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/value.hpp"

namespace grizzly::ast {

struct Query;
struct Statement;

/// A type as written: name plus numeric modifiers, e.g. numeric(15,2).
struct TypeName {
    std::string name;  ///< lower case, multi-word names joined by one space ("double precision")
    std::vector<int> modifiers;
    SourcePos pos;
};

// ───────────────────────────── expressions ─────────────────────────────

enum class ExprKind : uint8_t {
    Constant,
    ColumnRef,
    Star,
    Parameter,
    Unary,
    Binary,
    Function,
    Cast,
    Case,
    Between,
    InList,
    Subquery,
    IsNull,
    Like,
};

struct Expr {
    explicit Expr(ExprKind k) : kind(k) {}
    virtual ~Expr() = default;
    ExprKind kind;
    SourcePos pos;
};
using ExprPtr = std::unique_ptr<Expr>;

/// A literal. Integer literals are INTEGER when they fit 32 bits, else BIGINT,
/// else DECIMAL/DOUBLE; 1.5 is DECIMAL(2,1); 1e3 is DOUBLE; 'x' is VARCHAR;
/// TRUE/FALSE BOOLEAN; NULL an untyped null. DATE '…', TIMESTAMP '…' and
/// INTERVAL '…' unit are parsed into typed constants.
struct ConstantExpr : Expr {
    ConstantExpr() : Expr(ExprKind::Constant) {}
    Value value;
};

/// col, t.col, schema.t.col, db.schema.t.col — the parts in order.
struct ColumnRefExpr : Expr {
    ColumnRefExpr() : Expr(ExprKind::ColumnRef) {}
    std::vector<std::string> names;
};

/// * or t.* in a select list (qualifier empty for plain *).
struct StarExpr : Expr {
    StarExpr() : Expr(ExprKind::Star) {}
    std::string qualifier;
};

/// $n (index n) or ? (numbered left to right from 1).
struct ParameterExpr : Expr {
    ParameterExpr() : Expr(ExprKind::Parameter) {}
    int index = 0;
};

enum class UnaryOp : uint8_t { Plus, Minus, Not, BitNot };

struct UnaryExpr : Expr {
    UnaryExpr() : Expr(ExprKind::Unary) {}
    UnaryOp op = UnaryOp::Minus;
    ExprPtr operand;
};

enum class BinaryOp : uint8_t {
    Add,
    Sub,
    Mul,
    Div,     ///< '/': integer division on integers (PostgreSQL)
    IntDiv,  ///< DIV (MySQL integer division; also '//')
    Mod,     ///< % and MOD
    Concat,  ///< ||
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    IsDistinctFrom,
    IsNotDistinctFrom,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
    ShiftLeft,
    ShiftRight,
};

struct BinaryExpr : Expr {
    BinaryExpr() : Expr(ExprKind::Binary) {}
    BinaryOp op = BinaryOp::Add;
    ExprPtr left;
    ExprPtr right;
};

enum class FrameUnit : uint8_t { Rows, Range, Groups };
enum class FrameBoundKind : uint8_t { UnboundedPreceding, Preceding, CurrentRow, Following, UnboundedFollowing };

struct FrameBound {
    FrameBoundKind kind = FrameBoundKind::UnboundedPreceding;
    ExprPtr offset;  ///< for Preceding / Following
};

struct OrderItem {
    ExprPtr expr;
    bool descending = false;
    std::optional<bool> nulls_first;  ///< unset: NULLS LAST for ASC, FIRST for DESC (PostgreSQL)
};

struct WindowSpec {
    std::string ref_name;  ///< OVER w / WINDOW w AS (base ...)
    std::vector<ExprPtr> partition_by;
    std::vector<OrderItem> order_by;
    bool has_frame = false;
    FrameUnit unit = FrameUnit::Range;
    FrameBound start;
    FrameBound end;  ///< kind CurrentRow when only a start is given
    SourcePos pos;
};

/// A call: name(args). Special syntaxes are lowered to plain calls:
///   EXTRACT(f FROM x)            -> extract('f', x)        (field as a lower-case VARCHAR constant)
///   SUBSTRING(x FROM a FOR b)    -> substring(x, a, b)
///   POSITION(a IN b)             -> position(a, b)
///   TRIM([BOTH|LEADING|TRAILING] [c] FROM x) -> trim/ltrim/rtrim(x [, c])
///   COALESCE(...), NULLIF(a, b), GREATEST, LEAST -> calls of those names
///   CURRENT_DATE, CURRENT_TIMESTAMP -> current_date(), current_timestamp()
/// count(*) has star = true and no args.
struct FunctionExpr : Expr {
    FunctionExpr() : Expr(ExprKind::Function) {}
    std::string schema;  ///< qualified call schema.fn(); usually empty
    std::string name;    ///< lower case
    std::vector<ExprPtr> args;
    std::vector<std::string> arg_names;  ///< parallel to args; "" unless name => value or name = value in CALL
    bool distinct = false;
    bool star = false;
    std::vector<OrderItem> order_by;  ///< agg(x ORDER BY y)
    ExprPtr filter;                   ///< agg(x) FILTER (WHERE ...)
    std::unique_ptr<WindowSpec> over; ///< set for window calls
};

struct CastExpr : Expr {
    CastExpr() : Expr(ExprKind::Cast) {}
    ExprPtr operand;
    TypeName type;
    bool try_cast = false;
};

struct CaseExpr : Expr {
    CaseExpr() : Expr(ExprKind::Case) {}
    ExprPtr operand;  ///< CASE x WHEN ...; null for searched CASE
    std::vector<std::pair<ExprPtr, ExprPtr>> when_then;
    ExprPtr else_expr;  ///< may be null
};

struct BetweenExpr : Expr {
    BetweenExpr() : Expr(ExprKind::Between) {}
    ExprPtr operand, low, high;
    bool negated = false;
    bool symmetric = false;
};

struct InListExpr : Expr {
    InListExpr() : Expr(ExprKind::InList) {}
    ExprPtr operand;
    std::vector<ExprPtr> list;
    bool negated = false;
};

enum class SubqueryKind : uint8_t {
    Scalar,  ///< (SELECT ...)
    Exists,  ///< [NOT] EXISTS (SELECT ...)
    In,      ///< x [NOT] IN (SELECT ...)
    Any,     ///< x op ANY/SOME (SELECT ...)
    All,     ///< x op ALL (SELECT ...)
};

struct SubqueryExpr : Expr {
    SubqueryExpr() : Expr(ExprKind::Subquery) {}
    SubqueryKind subquery_kind = SubqueryKind::Scalar;
    std::unique_ptr<Query> query;
    ExprPtr operand;                  ///< In / Any / All
    BinaryOp compare = BinaryOp::Eq;  ///< Any / All
    bool negated = false;             ///< NOT EXISTS, NOT IN
};

struct IsNullExpr : Expr {
    IsNullExpr() : Expr(ExprKind::IsNull) {}
    ExprPtr operand;
    bool negated = false;  ///< IS NOT NULL
};

/// [NOT] LIKE / ILIKE / SIMILAR TO; also GLOB.
struct LikeExpr : Expr {
    LikeExpr() : Expr(ExprKind::Like) {}
    ExprPtr operand, pattern, escape;
    bool negated = false;
    bool case_insensitive = false;
    bool glob = false;
    bool similar = false;  ///< SIMILAR TO (SQL regular-expression pattern)
};

// ───────────────────────────── queries ─────────────────────────────

enum class TableRefKind : uint8_t { BaseTable, Subquery, Join, Function };
enum class JoinType : uint8_t { Inner, Left, Right, Full, Cross };

struct TableRef {
    explicit TableRef(TableRefKind k) : kind(k) {}
    virtual ~TableRef() = default;
    TableRefKind kind;
    std::string alias;                      ///< empty if none
    std::vector<std::string> column_aliases;  ///< AS t(a, b)
    SourcePos pos;
};
using TableRefPtr = std::unique_ptr<TableRef>;

/// [db.][schema.]table
struct BaseTableRef : TableRef {
    BaseTableRef() : TableRef(TableRefKind::BaseTable) {}
    std::vector<std::string> names;
};

struct SubqueryRef : TableRef {
    SubqueryRef() : TableRef(TableRefKind::Subquery) {}
    std::unique_ptr<Query> query;
    bool lateral = false;
};

struct JoinRef : TableRef {
    JoinRef() : TableRef(TableRefKind::Join) {}
    JoinType type = JoinType::Inner;
    TableRefPtr left, right;
    ExprPtr condition;                ///< ON
    std::vector<std::string> using_columns;
    bool natural = false;
};

/// range(1, 10), generate_series(...), read_csv('f') in FROM
struct FunctionRef : TableRef {
    FunctionRef() : TableRef(TableRefKind::Function) {}
    std::unique_ptr<FunctionExpr> call;
};

struct SelectItem {
    ExprPtr expr;       ///< may be a StarExpr
    std::string alias;  ///< empty if none
};

/// SELECT [DISTINCT [ON (...)]] items [FROM] [WHERE] [GROUP BY] [HAVING] [WINDOW]
struct SelectCore {
    bool distinct = false;
    std::vector<ExprPtr> distinct_on;
    std::vector<SelectItem> items;
    TableRefPtr from;  ///< null without FROM; comma lists become Cross joins
    ExprPtr where;
    std::vector<ExprPtr> group_by;
    bool group_by_all = false;
    ExprPtr having;
    std::vector<std::pair<std::string, std::unique_ptr<WindowSpec>>> windows;
    ExprPtr qualify;
};

enum class SetOpKind : uint8_t { Union, Intersect, Except };

struct CommonTableExpr {
    std::string name;
    std::vector<std::string> column_names;
    std::unique_ptr<Query> query;
    std::optional<bool> materialized;
    SourcePos pos;
};

enum class QueryBodyKind : uint8_t { Select, SetOp, Values };

/// A query expression: a body (one SELECT, a set operation of two queries, or
/// VALUES rows) with its own WITH, ORDER BY, LIMIT and OFFSET. Parenthesized
/// operands of set operations are nested Query objects.
struct Query {
    std::vector<CommonTableExpr> ctes;
    bool recursive = false;

    QueryBodyKind body_kind = QueryBodyKind::Select;
    std::unique_ptr<SelectCore> select;  ///< Select
    SetOpKind set_op = SetOpKind::Union; ///< SetOp
    bool set_all = false;                ///< UNION ALL etc.
    std::unique_ptr<Query> left, right;  ///< SetOp
    std::vector<std::vector<ExprPtr>> values;  ///< Values

    std::vector<OrderItem> order_by;
    ExprPtr limit;   ///< null: none; LIMIT ALL is null too
    ExprPtr offset;
    SourcePos pos;
};

// ───────────────────────────── statements ─────────────────────────────

enum class StatementKind : uint8_t {
    Select,
    CreateTable,
    CreateView,
    CreateIndex,
    CreateFunction,
    CreateTrigger,
    CreateDatabase,
    CreateSchema,
    Drop,
    AlterTable,
    Insert,
    Update,
    Delete,
    Transaction,
    Explain,
    Prepare,
    Execute,
    Deallocate,
    Copy,
    Attach,
    Detach,
    Use,
    Set,
    Pragma,
    Show,
    Describe,
    Call,
    Checkpoint,
    Vacuum,
    ExportDatabase,
    ImportDatabase,
    Backup,
};

struct Statement {
    explicit Statement(StatementKind k) : kind(k) {}
    virtual ~Statement() = default;
    StatementKind kind;
    SourcePos pos;
    std::string text;  ///< the statement's own source text, without the trailing ';'
};
using StatementPtr = std::unique_ptr<Statement>;

struct SelectStatement : Statement {
    SelectStatement() : Statement(StatementKind::Select) {}
    std::unique_ptr<Query> query;
};

struct ColumnDef {
    std::string name;
    TypeName type;
    bool not_null = false;
    bool null_explicit = false;  ///< NULL written as a constraint
    bool primary_key = false;
    bool unique = false;
    ExprPtr default_value;
    std::string default_text;  ///< source text of the DEFAULT expression
    ExprPtr check;
    std::string check_text;  ///< source text of the CHECK expression
    SourcePos pos;
};

enum class ConstraintKind : uint8_t { PrimaryKey, Unique, Check, ForeignKey };

struct TableConstraint {
    ConstraintKind kind = ConstraintKind::Check;
    std::string name;  ///< CONSTRAINT name; empty if none
    std::vector<std::string> columns;
    ExprPtr check;
    std::string check_text;
    std::vector<std::string> ref_table;  ///< FOREIGN KEY ... REFERENCES t(cols)
    std::vector<std::string> ref_columns;
    SourcePos pos;
};

/// CREATE [TEMP] TABLE [IF NOT EXISTS] name (columns, constraints) | AS query
struct CreateTableStatement : Statement {
    CreateTableStatement() : Statement(StatementKind::CreateTable) {}
    std::vector<std::string> names;
    bool if_not_exists = false;
    bool or_replace = false;
    bool temporary = false;
    std::vector<ColumnDef> columns;
    std::vector<TableConstraint> constraints;
    std::unique_ptr<Query> as_query;
    std::string as_query_text;
};

struct CreateViewStatement : Statement {
    CreateViewStatement() : Statement(StatementKind::CreateView) {}
    std::vector<std::string> names;
    std::vector<std::string> column_names;
    bool or_replace = false;
    bool if_not_exists = false;
    bool temporary = false;
    std::unique_ptr<Query> query;
    std::string query_text;  ///< source text of the query, kept in the catalog
};

struct CreateIndexStatement : Statement {
    CreateIndexStatement() : Statement(StatementKind::CreateIndex) {}
    std::string name;  ///< may be empty (auto-named)
    std::vector<std::string> table;
    bool unique = false;
    bool if_not_exists = false;
    std::vector<OrderItem> keys;  ///< usually column refs
    std::string using_method;
};

struct FunctionParam {
    std::string name;
    TypeName type;
};

/// CREATE [OR REPLACE] FUNCTION f(a INT, ...) RETURNS t AS 'sql' / $$ sql $$ / RETURN expr
/// and CREATE MACRO f(a, b) AS expr.
struct CreateFunctionStatement : Statement {
    CreateFunctionStatement() : Statement(StatementKind::CreateFunction) {}
    std::vector<std::string> names;
    bool or_replace = false;
    std::vector<FunctionParam> params;
    std::optional<TypeName> returns;
    std::string language;  ///< lower case; "sql" by default
    std::string body;      ///< the body's source text (string content or RETURN expression text)
    ExprPtr return_expr;   ///< set for RETURN expr / macro bodies
};

enum class TriggerTiming : uint8_t { Before, After, InsteadOf };
enum class TriggerEvent : uint8_t { Insert, Update, Delete };

/// CREATE TRIGGER name {BEFORE|AFTER|INSTEAD OF} {INSERT|UPDATE [OF cols]|DELETE} ON t
///   [FOR EACH ROW|STATEMENT] [WHEN (cond)] BEGIN stmt; ... END
/// (SQLite form; PostgreSQL's EXECUTE FUNCTION f() form sets exec_function.)
struct CreateTriggerStatement : Statement {
    CreateTriggerStatement() : Statement(StatementKind::CreateTrigger) {}
    std::string name;
    bool if_not_exists = false;
    TriggerTiming timing = TriggerTiming::After;
    TriggerEvent event = TriggerEvent::Insert;
    std::vector<std::string> update_columns;
    std::vector<std::string> table;
    bool for_each_row = true;
    ExprPtr when;
    std::string when_text;  ///< source text of the WHEN condition
    std::vector<StatementPtr> body;
    std::vector<std::string> body_texts;  ///< source text of each body statement
    std::string exec_function;
};

struct CreateDatabaseStatement : Statement {
    CreateDatabaseStatement() : Statement(StatementKind::CreateDatabase) {}
    std::string path;  ///< CREATE DATABASE 'file.griz' or name
    bool if_not_exists = false;
};

struct CreateSchemaStatement : Statement {
    CreateSchemaStatement() : Statement(StatementKind::CreateSchema) {}
    std::string name;
    bool if_not_exists = false;
};

enum class ObjectKind : uint8_t { Table, View, Index, Trigger, Function, Database, Schema };

struct DropStatement : Statement {
    DropStatement() : Statement(StatementKind::Drop) {}
    ObjectKind object = ObjectKind::Table;
    std::vector<std::vector<std::string>> names;  ///< DROP TABLE a, b
    bool if_exists = false;
    bool cascade = false;
    std::vector<std::string> on_table;  ///< DROP TRIGGER t ON tbl (PostgreSQL)
};

enum class AlterAction : uint8_t { AddColumn, DropColumn, RenameColumn, RenameTable, AlterColumnType, SetDefault,
                                   DropDefault, SetNotNull, DropNotNull, AddConstraint };

struct AlterTableStatement : Statement {
    AlterTableStatement() : Statement(StatementKind::AlterTable) {}
    std::vector<std::string> table;
    bool if_exists = false;
    AlterAction action = AlterAction::AddColumn;
    ColumnDef column;           ///< AddColumn; AlterColumnType uses column.name/type; SetDefault uses default_value
    std::string name;           ///< DropColumn / RenameColumn old name
    std::string new_name;       ///< RenameColumn / RenameTable
    bool if_column_exists = false;  ///< ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS
    TableConstraint constraint; ///< AddConstraint
};

struct ReturningClause {
    std::vector<SelectItem> items;  ///< empty: no RETURNING
};

enum class OnConflict : uint8_t { Abort, Ignore, Replace };

/// INSERT [OR REPLACE|OR IGNORE] INTO t [(cols)] {VALUES ... | query | DEFAULT VALUES} [RETURNING ...]
struct InsertStatement : Statement {
    InsertStatement() : Statement(StatementKind::Insert) {}
    std::vector<std::string> table;
    std::string alias;
    std::vector<std::string> columns;
    std::unique_ptr<Query> source;  ///< null for DEFAULT VALUES
    bool default_values = false;
    OnConflict on_conflict = OnConflict::Abort;
    ReturningClause returning;
};

struct SetClause {
    std::string column;
    ExprPtr value;  ///< may be a ConstantExpr; DEFAULT is a FunctionExpr named "default"
    SourcePos pos;
};

struct UpdateStatement : Statement {
    UpdateStatement() : Statement(StatementKind::Update) {}
    std::vector<std::string> table;
    std::string alias;
    std::vector<SetClause> sets;
    TableRefPtr from;
    ExprPtr where;
    ReturningClause returning;
};

struct DeleteStatement : Statement {
    DeleteStatement() : Statement(StatementKind::Delete) {}
    std::vector<std::string> table;
    std::string alias;
    TableRefPtr using_tables;
    ExprPtr where;
    ReturningClause returning;
};

enum class TransactionOp : uint8_t { Begin, Commit, Rollback };

struct TransactionStatement : Statement {
    TransactionStatement() : Statement(StatementKind::Transaction) {}
    TransactionOp op = TransactionOp::Begin;
};

enum class ExplainKind : uint8_t { Plan, Analyze, Codegen };

struct ExplainStatement : Statement {
    ExplainStatement() : Statement(StatementKind::Explain) {}
    ExplainKind explain = ExplainKind::Plan;
    StatementPtr statement;
};

struct PrepareStatement : Statement {
    PrepareStatement() : Statement(StatementKind::Prepare) {}
    std::string name;
    std::vector<TypeName> param_types;
    StatementPtr statement;
};

struct ExecuteStatement : Statement {
    ExecuteStatement() : Statement(StatementKind::Execute) {}
    std::string name;
    std::vector<ExprPtr> args;
};

struct DeallocateStatement : Statement {
    DeallocateStatement() : Statement(StatementKind::Deallocate) {}
    std::string name;  ///< empty with all = true: DEALLOCATE ALL
    bool all = false;
};

struct CopyOption {
    std::string name;  ///< lower case
    ExprPtr value;     ///< may be null (e.g. HEADER alone)
};

/// COPY t [(cols)] FROM 'file' [(options)] | COPY {t | (query)} TO 'file' [(options)]
struct CopyStatement : Statement {
    CopyStatement() : Statement(StatementKind::Copy) {}
    std::vector<std::string> table;
    std::vector<std::string> columns;
    std::unique_ptr<Query> query;  ///< COPY (query) TO
    bool from = true;
    std::string path;  ///< 'stdin'/'stdout' allowed
    std::vector<CopyOption> options;
};

struct AttachStatement : Statement {
    AttachStatement() : Statement(StatementKind::Attach) {}
    std::string path;
    std::string alias;
    bool if_not_exists = false;
    std::vector<CopyOption> options;  ///< (READ_ONLY), (TYPE x)
};

struct DetachStatement : Statement {
    DetachStatement() : Statement(StatementKind::Detach) {}
    std::string name;
    bool if_exists = false;
};

struct UseStatement : Statement {
    UseStatement() : Statement(StatementKind::Use) {}
    std::vector<std::string> names;
};

/// SET [LOCAL|SESSION|GLOBAL] name {=|TO} value | RESET name | SET name TO DEFAULT
struct SetStatement : Statement {
    SetStatement() : Statement(StatementKind::Set) {}
    std::string name;  ///< lower case
    ExprPtr value;     ///< null for RESET / DEFAULT
    bool reset = false;
    std::string scope;  ///< "", "local", "session", "global"
};

/// PRAGMA name; PRAGMA name(args); PRAGMA name = value
struct PragmaStatement : Statement {
    PragmaStatement() : Statement(StatementKind::Pragma) {}
    std::string name;
    std::vector<ExprPtr> args;
    bool assignment = false;
};

/// SHOW TABLES | SHOW DATABASES | SHOW ALL | SHOW name | SHOW [ALL] TABLES FROM db
struct ShowStatement : Statement {
    ShowStatement() : Statement(StatementKind::Show) {}
    std::string what;  ///< lower case: "tables", "databases", "all", or a setting name
    std::string from;  ///< SHOW TABLES FROM x
};

/// DESCRIBE t | DESCRIBE query | SHOW COLUMNS FROM t
struct DescribeStatement : Statement {
    DescribeStatement() : Statement(StatementKind::Describe) {}
    std::vector<std::string> table;
    std::unique_ptr<Query> query;
};

struct CallStatement : Statement {
    CallStatement() : Statement(StatementKind::Call) {}
    std::unique_ptr<FunctionExpr> call;
};

struct CheckpointStatement : Statement {
    CheckpointStatement() : Statement(StatementKind::Checkpoint) {}
    std::string database;
    bool force = false;
};

/// BACKUP [DATABASE name] TO 'file.griz'
struct BackupStatement : Statement {
    BackupStatement() : Statement(StatementKind::Backup) {}
    std::string database;  ///< empty: the current database
    std::string path;
};

struct VacuumStatement : Statement {
    VacuumStatement() : Statement(StatementKind::Vacuum) {}
    std::vector<std::string> table;
    bool analyze = false;
};

/// EXPORT DATABASE 'dir' [(options)] / IMPORT DATABASE 'dir'
struct ExportDatabaseStatement : Statement {
    ExportDatabaseStatement() : Statement(StatementKind::ExportDatabase) {}
    std::string path;
    std::vector<CopyOption> options;
};

struct ImportDatabaseStatement : Statement {
    ImportDatabaseStatement() : Statement(StatementKind::ImportDatabase) {}
    std::string path;
};

}  // namespace grizzly::ast
