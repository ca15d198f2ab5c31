#pragma once
/// Errors inside the engine: one exception type carrying an SQLSTATE, a message
/// and an optional source position. Every message text is written once, in a
/// named factory, so both executors and every front end report the same text.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace grizzly {

/// The five-character SQLSTATE codes Grizzly emits.
enum class SqlState : uint8_t {
    SuccessfulCompletion,    // 00000
    FeatureNotSupported,     // 0A000
    CardinalityViolation,    // 21000
    StringDataTruncation,    // 22001
    NumericValueOutOfRange,  // 22003
    InvalidDatetimeFormat,   // 22007
    DatetimeFieldOverflow,   // 22008
    DivisionByZero,          // 22012
    InvalidParameterValue,   // 22023
    InvalidTextRepresentation,  // 22P02
    InvalidEscapeSequence,   // 22025
    DataException,           // 22000
    IntegrityConstraintViolation,  // 23000
    NotNullViolation,        // 23502
    ForeignKeyViolation,     // 23503
    UniqueViolation,         // 23505
    CheckViolation,          // 23514
    InvalidTransactionState, // 25000
    ActiveSqlTransaction,    // 25001
    NoActiveSqlTransaction,  // 25P01
    ReadOnlySqlTransaction,  // 25006
    UndefinedDatabase,       // 3D000
    DuplicateDatabase,       // 42P04
    InFailedSqlTransaction,  // 25P02
    SerializationFailure,    // 40001
    SyntaxError,             // 42601
    InsufficientPrivilege,   // 42501
    UndefinedColumn,         // 42703
    UndefinedFunction,       // 42883
    UndefinedTable,          // 42P01
    UndefinedParameter,      // 42P02
    UndefinedObject,         // 42704
    DuplicateColumn,         // 42701
    DuplicateObject,         // 42710
    DuplicateTable,          // 42P07
    DuplicateFunction,       // 42723
    DuplicateAlias,          // 42712
    AmbiguousColumn,         // 42702
    AmbiguousFunction,       // 42725
    GroupingError,           // 42803
    DatatypeMismatch,        // 42804
    WrongObjectType,         // 42809
    InvalidColumnReference,  // 42P10
    InvalidRecursion,        // 42P19
    WindowingError,          // 42P20
    InvalidTableDefinition,  // 42P16
    InvalidObjectDefinition, // 42P17
    InvalidName,             // 42602
    DependentObjectsStillExist,  // 2BP01
    UndefinedPreparedStatement,  // 26000
    ProgramLimitExceeded,    // 54000
    OutOfMemory,             // 53200
    QueryCanceled,           // 57014
    IoError,                 // 58030
    DataCorrupted,           // XX001
    InternalError,           // XX000
    SubstringError,          // 22011
    InvalidArgumentForLogarithm,      // 2201E
    InvalidArgumentForPowerFunction,  // 2201F
    InvalidRowCountInLimit,           // 2201W
    InvalidRowCountInOffset,          // 2201X
    CannotCoerce,                     // 42846
    BadCopyFileFormat,                // 22P04
    UndefinedFile,                    // 58P01
    ObjectInUse,                      // 55006
    DuplicatePreparedStatement,       // 42P05
    IndeterminateDatatype,            // 42P18
};

/// The five-character code of `state`, e.g. "22012".
const char* SqlStateCode(SqlState state);

/// A position in SQL source text; line and column are 1-based, 0 means unknown.
struct SourcePos {
    uint32_t line = 0;
    uint32_t column = 0;
    uint32_t offset = 0;  ///< byte offset into the statement text
    bool Known() const { return line != 0; }
};

/// The one exception type of the engine.
class Error : public std::runtime_error {
public:
    Error(SqlState state, std::string message, SourcePos pos = {});

    SqlState State() const { return state_; }
    const char* Code() const { return SqlStateCode(state_); }
    const SourcePos& Pos() const { return pos_; }
    /// The message without code or position.
    const std::string& Message() const { return message_; }
    /// Returns a copy positioned at `pos` unless a position is already known.
    Error WithPos(SourcePos pos) const;

    // ---- named factories: every message text lives here ----
    static Error DivisionByZero();
    static Error Overflow(const std::string& type_name);
    static Error InvalidText(const std::string& text, const std::string& type_name);
    static Error SyntaxAt(const std::string& detail, SourcePos pos);
    static Error UndefinedTable(const std::string& name, SourcePos pos = {});
    static Error UndefinedColumn(const std::string& name, SourcePos pos = {});
    static Error AmbiguousColumn(const std::string& name, SourcePos pos = {});
    static Error UndefinedFunction(const std::string& signature, SourcePos pos = {});
    static Error DuplicateTable(const std::string& name);
    static Error NotSupported(const std::string& what, SourcePos pos = {});
    static Error NotNull(const std::string& column);
    static Error Unique(const std::string& constraint);
    static Error Check(const std::string& constraint);
    static Error TypeMismatch(const std::string& detail, SourcePos pos = {});
    static Error Internal(const std::string& detail);
    // Scalar functions (runtime/functions).
    static Error FloatOverflow();
    static Error FloatUnderflow();
    /// Bad text for a date, timestamp or interval (22007, as PostgreSQL).
    static Error InvalidDatetimeText(const std::string& text, const std::string& type_name);
    /// A date or timestamp past the supported range (22008).
    static Error DatetimeOutOfRange(const std::string& type_name);
    /// Well-formed date/time text naming a moment that does not exist ('2023-02-29').
    static Error DatetimeFieldOutOfRange(const std::string& text);
    static Error NegativeSubstringLength();
    static Error InvalidEscapeString();
    static Error LikePatternEndsWithEscape();
    static Error NegativeSquareRoot();
    static Error LogarithmOfZero();
    static Error LogarithmOfNegative();
    static Error ZeroToNegativePower();
    static Error ComplexPower();
    static Error RequestedLengthTooLarge();
    /// An EXTRACT field that does not exist; `type_name` may be empty.
    static Error UnknownDatePart(const std::string& unit, const std::string& type_name);
    static Error CannotCast(const std::string& from, const std::string& to);

private:
    SqlState state_;
    std::string message_;
    SourcePos pos_;
};

[[noreturn]] void CheckFailed(const char* cond, const char* file, int line, const std::string& detail);

}  // namespace grizzly

/// An invariant that is always checked: a broken one is an XX000 error, never an abort.
#define GZ_CHECK(cond, detail)                                                  \
    do {                                                                        \
        if (!(cond)) ::grizzly::CheckFailed(#cond, __FILE__, __LINE__, detail); \
    } while (0)

#ifdef NDEBUG
#define GZ_DASSERT(cond) ((void)0)
#else
#define GZ_DASSERT(cond) GZ_CHECK(cond, "debug assertion")
#endif
