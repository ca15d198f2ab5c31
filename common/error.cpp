#include "common/error.hpp"

namespace grizzly {

const char* SqlStateCode(SqlState state) {
    switch (state) {
    case SqlState::SuccessfulCompletion: return "00000";
    case SqlState::FeatureNotSupported: return "0A000";
    case SqlState::CardinalityViolation: return "21000";
    case SqlState::StringDataTruncation: return "22001";
    case SqlState::NumericValueOutOfRange: return "22003";
    case SqlState::InvalidDatetimeFormat: return "22007";
    case SqlState::DatetimeFieldOverflow: return "22008";
    case SqlState::DivisionByZero: return "22012";
    case SqlState::InvalidParameterValue: return "22023";
    case SqlState::InvalidTextRepresentation: return "22P02";
    case SqlState::InvalidEscapeSequence: return "22025";
    case SqlState::DataException: return "22000";
    case SqlState::IntegrityConstraintViolation: return "23000";
    case SqlState::NotNullViolation: return "23502";
    case SqlState::ForeignKeyViolation: return "23503";
    case SqlState::UniqueViolation: return "23505";
    case SqlState::CheckViolation: return "23514";
    case SqlState::InvalidTransactionState: return "25000";
    case SqlState::ActiveSqlTransaction: return "25001";
    case SqlState::NoActiveSqlTransaction: return "25P01";
    case SqlState::ReadOnlySqlTransaction: return "25006";
    case SqlState::UndefinedDatabase: return "3D000";
    case SqlState::DuplicateDatabase: return "42P04";
    case SqlState::InFailedSqlTransaction: return "25P02";
    case SqlState::SerializationFailure: return "40001";
    case SqlState::SyntaxError: return "42601";
    case SqlState::InsufficientPrivilege: return "42501";
    case SqlState::UndefinedColumn: return "42703";
    case SqlState::UndefinedFunction: return "42883";
    case SqlState::UndefinedTable: return "42P01";
    case SqlState::UndefinedParameter: return "42P02";
    case SqlState::UndefinedObject: return "42704";
    case SqlState::DuplicateColumn: return "42701";
    case SqlState::DuplicateObject: return "42710";
    case SqlState::DuplicateTable: return "42P07";
    case SqlState::DuplicateFunction: return "42723";
    case SqlState::DuplicateAlias: return "42712";
    case SqlState::AmbiguousColumn: return "42702";
    case SqlState::AmbiguousFunction: return "42725";
    case SqlState::GroupingError: return "42803";
    case SqlState::DatatypeMismatch: return "42804";
    case SqlState::WrongObjectType: return "42809";
    case SqlState::InvalidColumnReference: return "42P10";
    case SqlState::InvalidRecursion: return "42P19";
    case SqlState::WindowingError: return "42P20";
    case SqlState::InvalidTableDefinition: return "42P16";
    case SqlState::InvalidObjectDefinition: return "42P17";
    case SqlState::InvalidName: return "42602";
    case SqlState::DependentObjectsStillExist: return "2BP01";
    case SqlState::UndefinedPreparedStatement: return "26000";
    case SqlState::ProgramLimitExceeded: return "54000";
    case SqlState::OutOfMemory: return "53200";
    case SqlState::QueryCanceled: return "57014";
    case SqlState::IoError: return "58030";
    case SqlState::BadCopyFileFormat: return "22P04";
    case SqlState::UndefinedFile: return "58P01";
    case SqlState::ObjectInUse: return "55006";
    case SqlState::DataCorrupted: return "XX001";
    case SqlState::InternalError: return "XX000";
    case SqlState::SubstringError: return "22011";
    case SqlState::InvalidArgumentForLogarithm: return "2201E";
    case SqlState::InvalidArgumentForPowerFunction: return "2201F";
    case SqlState::InvalidRowCountInLimit: return "2201W";
    case SqlState::InvalidRowCountInOffset: return "2201X";
    case SqlState::CannotCoerce: return "42846";
    case SqlState::DuplicatePreparedStatement: return "42P05";
    case SqlState::IndeterminateDatatype: return "42P18";
    }
    return "XX000";
}

Error::Error(SqlState state, std::string message, SourcePos pos)
    : std::runtime_error(message), state_(state), message_(std::move(message)), pos_(pos) {}

Error Error::WithPos(SourcePos pos) const {
    if (pos_.Known() || !pos.Known()) return *this;
    return Error(state_, message_, pos);
}

Error Error::DivisionByZero() { return Error(SqlState::DivisionByZero, "division by zero"); }
Error Error::Overflow(const std::string& type_name) {
    return Error(SqlState::NumericValueOutOfRange, type_name + " out of range");
}
Error Error::InvalidText(const std::string& text, const std::string& type_name) {
    return Error(SqlState::InvalidTextRepresentation,
                 "invalid input syntax for type " + type_name + ": \"" + text + "\"");
}
Error Error::SyntaxAt(const std::string& detail, SourcePos pos) {
    return Error(SqlState::SyntaxError, "syntax error: " + detail, pos);
}
Error Error::UndefinedTable(const std::string& name, SourcePos pos) {
    return Error(SqlState::UndefinedTable, "table \"" + name + "\" does not exist", pos);
}
Error Error::UndefinedColumn(const std::string& name, SourcePos pos) {
    return Error(SqlState::UndefinedColumn, "column \"" + name + "\" does not exist", pos);
}
Error Error::AmbiguousColumn(const std::string& name, SourcePos pos) {
    return Error(SqlState::AmbiguousColumn, "column reference \"" + name + "\" is ambiguous", pos);
}
Error Error::UndefinedFunction(const std::string& signature, SourcePos pos) {
    return Error(SqlState::UndefinedFunction, "function " + signature + " does not exist", pos);
}
Error Error::DuplicateTable(const std::string& name) {
    return Error(SqlState::DuplicateTable, "relation \"" + name + "\" already exists");
}
Error Error::NotSupported(const std::string& what, SourcePos pos) {
    return Error(SqlState::FeatureNotSupported, what + " is not supported", pos);
}
Error Error::NotNull(const std::string& column) {
    return Error(SqlState::NotNullViolation,
                 "null value in column \"" + column + "\" violates not-null constraint");
}
Error Error::Unique(const std::string& constraint) {
    return Error(SqlState::UniqueViolation, "duplicate key value violates unique constraint \"" + constraint + "\"");
}
Error Error::Check(const std::string& constraint) {
    return Error(SqlState::CheckViolation, "new row violates check constraint \"" + constraint + "\"");
}
Error Error::TypeMismatch(const std::string& detail, SourcePos pos) {
    return Error(SqlState::DatatypeMismatch, detail, pos);
}
Error Error::Internal(const std::string& detail) { return Error(SqlState::InternalError, "internal error: " + detail); }

Error Error::FloatOverflow() { return Error(SqlState::NumericValueOutOfRange, "value out of range: overflow"); }
Error Error::FloatUnderflow() { return Error(SqlState::NumericValueOutOfRange, "value out of range: underflow"); }
Error Error::InvalidDatetimeText(const std::string& text, const std::string& type_name) {
    return Error(SqlState::InvalidDatetimeFormat,
                 "invalid input syntax for type " + type_name + ": \"" + text + "\"");
}
Error Error::DatetimeOutOfRange(const std::string& type_name) {
    return Error(SqlState::DatetimeFieldOverflow, type_name + " out of range");
}
Error Error::NegativeSubstringLength() {
    return Error(SqlState::SubstringError, "negative substring length not allowed");
}
Error Error::InvalidEscapeString() {
    return Error(SqlState::InvalidEscapeSequence, "invalid escape string (must be empty or one character)");
}
Error Error::LikePatternEndsWithEscape() {
    return Error(SqlState::InvalidEscapeSequence, "LIKE pattern must not end with escape character");
}
Error Error::NegativeSquareRoot() {
    return Error(SqlState::InvalidArgumentForPowerFunction, "cannot take square root of a negative number");
}
Error Error::LogarithmOfZero() {
    return Error(SqlState::InvalidArgumentForLogarithm, "cannot take logarithm of zero");
}
Error Error::LogarithmOfNegative() {
    return Error(SqlState::InvalidArgumentForLogarithm, "cannot take logarithm of a negative number");
}
Error Error::ZeroToNegativePower() {
    return Error(SqlState::InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
}
Error Error::ComplexPower() {
    return Error(SqlState::InvalidArgumentForPowerFunction,
                 "a negative number raised to a non-integer power yields a complex result");
}
Error Error::RequestedLengthTooLarge() { return Error(SqlState::ProgramLimitExceeded, "requested length too large"); }
Error Error::UnknownDatePart(const std::string& unit, const std::string& type_name) {
    return Error(SqlState::InvalidParameterValue,
                 "unit \"" + unit + "\" not recognized" + (type_name.empty() ? "" : " for type " + type_name));
}
Error Error::CannotCast(const std::string& from, const std::string& to) {
    return Error(SqlState::CannotCoerce, "cannot cast type " + from + " to " + to);
}
Error Error::DatetimeFieldOutOfRange(const std::string& text) {
    return Error(SqlState::DatetimeFieldOverflow, "date/time field value out of range: \"" + text + "\"");
}

void CheckFailed(const char* cond, const char* file, int line, const std::string& detail) {
    throw Error(SqlState::InternalError, std::string("internal error: ") + detail + " (" + cond + " at " + file + ":" +
                                             std::to_string(line) + ")");
}

}  // namespace grizzly
