#pragma once
/// The public C++ API: Database, Connection, Result. The shell, the tests and the
/// benchmarks use nothing else. Errors never escape as exceptions: a failed
/// statement returns a Result whose Ok() is false.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/common.hpp"

namespace grizzly {

class DatabaseInstance;
class ClientContext;
class QueryResultData;
struct PreparedStatementData;

struct DatabaseOptions {
    /// Open the file for reading only: several processes may do so at once, and
    /// every write fails with 25006.
    bool read_only = false;
};

/// An open database. An empty path (the default) means in memory. Thread-safe;
/// outlives every Connection made from it.
class Database {
public:
    explicit Database(const std::string& path = "", const DatabaseOptions& options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    DatabaseInstance& Instance() { return *instance_; }

private:
    std::unique_ptr<DatabaseInstance> instance_;
};

/// The outcome of one statement: either an error or a table of values (possibly
/// with zero columns, for statements that return nothing).
class Result {
public:
    Result();
    explicit Result(Error error);
    explicit Result(std::shared_ptr<QueryResultData> data);
    ~Result();
    Result(Result&&) noexcept;
    Result& operator=(Result&&) noexcept;

    bool Ok() const { return !error_; }
    /// The error of a failed statement; only valid when !Ok().
    const Error& GetError() const { return *error_; }
    /// "Error: <message> (SQLSTATE xxxxx)" style text, with line/column when known.
    std::string ErrorText() const;

    size_t ColumnCount() const;
    const std::string& ColumnName(size_t col) const;
    LogicalType ColumnType(size_t col) const;
    size_t RowCount() const;
    /// Boxed value at (row, col); NULL-typed values report IsNull().
    Value GetValue(size_t row, size_t col) const;
    bool IsNull(size_t row, size_t col) const;
    /// Rows inserted/updated/deleted by a DML statement (0 otherwise).
    int64_t RowsChanged() const;
    /// Statement kind tag such as "SELECT", "INSERT", "CREATE TABLE".
    const std::string& Tag() const;

    /// The result as an aligned text table (psql style), for the shell and debugging.
    std::string ToTable() const;

private:
    std::unique_ptr<Error> error_;
    std::shared_ptr<QueryResultData> data_;
};

/// A statement bound and optimized once by Connection::Prepare and run any
/// number of times with parameter values ($1, $2, ... or ?). Like Result, it never
/// throws: a statement that failed to prepare reports !Ok() and its error, and
/// Execute returns that error. It belongs to the Connection that prepared it, which
/// must outlive it; not thread-safe (use it on the Connection's thread).
class PreparedStatement {
public:
    PreparedStatement();
    ~PreparedStatement();
    PreparedStatement(PreparedStatement&&) noexcept;
    PreparedStatement& operator=(PreparedStatement&&) noexcept;

    bool Ok() const { return !error_; }
    /// Why preparing failed; only valid when !Ok().
    const Error& GetError() const { return *error_; }
    /// "Error: <message> (SQLSTATE xxxxx)" style text, as Result::ErrorText.
    std::string ErrorText() const;

    /// Number of parameters: the highest $n used (or declared), 0 when !Ok().
    size_t ParameterCount() const;
    /// Type of parameter `index` (0-based: $1 is 0), declared or inferred from its
    /// context; a NULL type when `index` is out of range.
    LogicalType ParameterType(size_t index) const;
    /// Runs the statement with `args` as $1, $2, ..., each cast to its parameter's
    /// type (Value::Null() for NULL). Wrong count: 42601; a value that does not
    /// convert: 22P02 and the like. Within the connection's transaction, like Query.
    Result Execute(const std::vector<Value>& args = {});
    /// How many times the statement was bound: once at Prepare, plus once per
    /// Execute that found a table or the catalog changed since (for tests and tuning).
    size_t BindCount() const;

private:
    friend class Connection;
    ClientContext* context_ = nullptr;
    std::shared_ptr<PreparedStatementData> data_;
    std::unique_ptr<Error> error_;
};

/// One session on a Database: settings, prepared statements, the current
/// transaction. Not thread-safe: use one Connection per thread.
class Connection {
public:
    explicit Connection(Database& db);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Runs every statement of `sql` in order and returns the last result, or the
    /// first error (statements after a failing one do not run).
    Result Query(std::string_view sql);
    /// Runs every statement of `sql` and returns one result per statement run.
    std::vector<Result> QueryAll(std::string_view sql);
    /// Parses, binds and optimizes one statement (SELECT, INSERT, UPDATE or DELETE)
    /// with parameters $1, $2, ... or ?, whose types come from their context. Errors
    /// (42601, 42P01, 42P18 for a parameter of unknown type, ...) are in the result.
    PreparedStatement Prepare(std::string_view sql);

    /// Asks the running statement to stop at its next vector boundary; it then fails
    /// with 57014 and everything it did is rolled back. Safe to call from another
    /// thread or a signal handler (it only sets a flag).
    void Interrupt();
    /// Progress of the running statement in [0, 1] (rows scanned / rows to scan), or
    /// -1 when unknown. Safe to call from another thread.
    double Progress() const;

    ClientContext& Context() { return *context_; }

private:
    std::unique_ptr<ClientContext> context_;
};

}  // namespace grizzly
