/// ExprEmitter (expr_emitter.hpp) and the expression compiler. Semantics follow
/// runtime/functions/{arithmetic,compare,cast}.cpp rule for rule; a comment
/// names the interpreter operator each lowering mirrors.
#include "codegen/expression_compiler.hpp"

#include "codegen/expr_emitter.hpp"
#include "codegen/jit.hpp"
#include "common/datetime.hpp"
#include "runtime/row_calls.hpp"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <type_traits>

namespace grizzly::codegen {

using ir::Expr;
using ir::ExprType;
using ir::ScalarFunctionId;

namespace {

// ---- what compiles --------------------------------------------------------

bool IsSupportedType(const LogicalType& type) {
    switch (type.id) {
    case TypeId::Boolean:
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt:
    case TypeId::Real:
    case TypeId::Double:
    case TypeId::Date:
    case TypeId::Timestamp:
    case TypeId::Decimal:
    case TypeId::Varchar:
    case TypeId::Interval:
        return true;
    default: return false;
    }
}

/// VARCHAR and INTERVAL values are 16 bytes, which code handles by address.
bool IsByAddress(PhysicalType type) {
    return type == PhysicalType::String || type == PhysicalType::Interval;
}

bool IsIntegerPhysical(PhysicalType type) { return type == PhysicalType::Int32 || type == PhysicalType::Int64; }

bool IsDecimal(const LogicalType& type) { return type.id == TypeId::Decimal; }

bool IsArithmetic(ScalarFunctionId id) {
    switch (id) {
    case ScalarFunctionId::Add:
    case ScalarFunctionId::Subtract:
    case ScalarFunctionId::Multiply:
    case ScalarFunctionId::Divide:
    case ScalarFunctionId::IntDivide:
    case ScalarFunctionId::Modulo:
    case ScalarFunctionId::Mod:
    case ScalarFunctionId::Negate: return true;
    default: return false;
    }
}

/// date ± integer days and date - date, as the binder types them.
bool IsDateArithmetic(ScalarFunctionId id) {
    return id == ScalarFunctionId::DateAddDays || id == ScalarFunctionId::DateSubDays ||
           id == ScalarFunctionId::DateDiffDays;
}

/// The fields of a DATE compiled EXTRACT computes inline (the others stay in the interpreter).
bool CompiledDatePart(const Expr& expr, DatePart& part) {
    const Expr& field = *expr.children[0];
    if (field.type != ir::ExprType::Constant || field.value.IsNull() ||
        field.return_type.Physical() != PhysicalType::String || !ParseDatePart(field.value.GetString(), part))
        return false;
    switch (part) {
    case DatePart::Year:
    case DatePart::Month:
    case DatePart::Day:
    case DatePart::Quarter:
    case DatePart::Dow:
    case DatePart::IsoDow: return true;
    default: return false;
    }
}

/// 10^18: no decimal operation's result reaches it (runtime's kDecimalLimit).
constexpr int64_t kDecimalLimit = 1000000000000000000LL;

/// |value| of a `type` decimal stays below this (runtime's DecimalBound).
int64_t DecimalBound(const LogicalType& type) {
    return type.width > 0 && type.width < kMaxDecimalWidth ? kPowersOfTen[type.width] : kDecimalLimit;
}

/// runtime/functions/compare.cpp's SameRepresentation: compared without a cast.
bool SameRepresentation(const LogicalType& a, const LogicalType& b) {
    if (a.Physical() != b.Physical()) return false;
    if (IsDecimal(a) || IsDecimal(b)) return a.id == b.id && a.scale == b.scale;
    if ((a.id == TypeId::Date) != (b.id == TypeId::Date)) return false;
    return (a.id == TypeId::Timestamp) == (b.id == TypeId::Timestamp);
}

/// The type both sides of a comparison are cast to when they differ (runtime's
/// ComparisonType, numeric part: WhyNotCompilable refuses the rest).
LogicalType ComparisonType(const LogicalType& a, const LogicalType& b) {
    if (a.id == TypeId::Double || a.id == TypeId::Real || b.id == TypeId::Double || b.id == TypeId::Real)
        return LogicalType(TypeId::Double);
    if (IsDecimal(a) || IsDecimal(b))
        return LogicalType::Decimal(kMaxDecimalWidth,
                                    std::max<uint8_t>(IsDecimal(a) ? a.scale : 0, IsDecimal(b) ? b.scale : 0));
    return LogicalType(TypeId::BigInt);
}

/// runtime's kernels::Coerce, which arithmetic applies to its arguments: no cast
/// between types of one representation, even where a CAST would check a range.
bool CoerceIsNoop(const LogicalType& from, const LogicalType& to) {
    return from.Physical() == to.Physical() && IsDecimal(from) == IsDecimal(to) &&
           (!IsDecimal(to) || from.scale == to.scale);
}

/// The type runtime/functions/arithmetic.cpp coerces an argument of `type`
/// to before computing `fn`.
LogicalType ArithmeticOperandType(const Expr& fn, const LogicalType& type) {
    const LogicalType& result = fn.return_type;
    if (!IsDecimal(result)) return result;
    switch (fn.function) {
    case ScalarFunctionId::Add:
    case ScalarFunctionId::Subtract:
    case ScalarFunctionId::Modulo:
    case ScalarFunctionId::Mod: return LogicalType::Decimal(kMaxDecimalWidth, result.scale);
    case ScalarFunctionId::Multiply: return IsDecimal(type) ? type : LogicalType::Decimal(kMaxDecimalWidth, 0);
    default: return result;  // Negate coerces to its result type
    }
}

/// False for the casts codegen leaves to the interpreter.
bool CastCompiles(const LogicalType& from, const LogicalType& to) {
    if (IsBinaryCompatible(from, to)) return true;
    // Text and TIMESTAMP casts are row calls (runtime/row_calls.hpp).
    if (IsByAddress(from.Physical()) || IsByAddress(to.Physical()) || from.id == TypeId::Timestamp ||
        to.id == TypeId::Timestamp)
        return false;
    // DATE casts only to TIMESTAMP and text, neither compiled.
    if (from.id == TypeId::Date || to.id == TypeId::Date) return false;
    // DOUBLE -> DECIMAL rounds the shortest decimal text of the double.
    return !(IsDecimal(to) && (from.id == TypeId::Double || from.id == TypeId::Real));
}

bool CastCanFail(const LogicalType& from, const LogicalType& to) {
    if (IsBinaryCompatible(from, to)) return false;
    if (!CastCompiles(from, to))
        return true; // a row call: the interpreter's cast decides
    if (IsDecimal(to)) {
        const __int128 bound = DecimalBound(to);
        if (from.id == TypeId::Boolean) return kPowersOfTen[to.scale] >= bound;
        if (from.IsInteger()) {
            int64_t lo, hi;
            IntegerBounds(from.id, lo, hi);
            return -static_cast<__int128>(lo) * kPowersOfTen[to.scale] >= bound;
        }
        // A decimal may hold 18 digits whatever its declared width (sums, unchecked
        // intermediate results): only dropping digits into a wide enough type is safe.
        if (to.scale >= from.scale) return true;
        return std::numeric_limits<int64_t>::max() / kPowersOfTen[from.scale - to.scale] + 1 >= bound;
    }
    if (!to.IsInteger()) return false;  // to BOOLEAN or DOUBLE never fails
    if (from.id == TypeId::Boolean) return false;
    if (from.IsInteger()) {
        int64_t from_lo, from_hi, to_lo, to_hi;
        IntegerBounds(from.id, from_lo, from_hi);
        IntegerBounds(to.id, to_lo, to_hi);
        return from_lo < to_lo || from_hi > to_hi;
    }
    if (IsDecimal(from)) return to.id != TypeId::BigInt;  // rounding away the fraction never grows |value|
    return true;  // DOUBLE -> integer: range and NaN
}

/// True when a side of the comparison is cast in a way that can fail
/// (a decimal scaled up to the other side's scale).
bool CompareCastCanFail(const LogicalType& a, const LogicalType& b) {
    if (SameRepresentation(a, b)) return false;
    const LogicalType common = ComparisonType(a, b);
    return (!SameRepresentation(common, a) && CastCanFail(a, common)) ||
           (!SameRepresentation(common, b) && CastCanFail(b, common));
}

/// substring() and length(), which compiled code calls the runtime's one-value
/// forms of (no row call: the hot string functions of TPC-H and of filters).
bool IsStringSlice(const Expr& expr) {
    if (expr.type != ExprType::Function || expr.children.empty() ||
        expr.children[0]->return_type.Physical() != PhysicalType::String)
        return false;
    if (expr.function == ScalarFunctionId::Length)
        return expr.children.size() == 1 && expr.return_type.Physical() == PhysicalType::Int64;
    if (expr.function != ScalarFunctionId::Substring || expr.return_type.Physical() != PhysicalType::String)
        return false;
    for (size_t arg = 1; arg < expr.children.size(); ++arg)
        if (!expr.children[arg]->return_type.IsInteger())
            return false;
    return true;
}

bool IsLike(const Expr& expr) {
    return expr.type == ExprType::Function &&
           (expr.function == ScalarFunctionId::Like || expr.function == ScalarFunctionId::ILike);
}

/// Why `a` and `b` cannot be compared in compiled code, or "".
std::string WhyNotComparable(const LogicalType& a, const LogicalType& b) {
    // Numbers of different types meet in a common one; anything else must match.
    if (!SameRepresentation(a, b) && !(a.IsNumeric() && b.IsNumeric()))
        return "a comparison of " + a.ToString() + " with " + b.ToString();
    return "";
}

std::string WhyFunctionNotCompilable(const Expr& expr) {
    const LogicalType& type = expr.return_type;
    if (IsLike(expr))
        return "";
    const std::string unsupported =
        std::string("function ") + ir::ScalarFunctionName(expr.function) + " on " + type.ToString();
    if (IsStringSlice(expr))
        return "";
    if (expr.function == ScalarFunctionId::Extract) {
        DatePart part;
        if (expr.children[1]->return_type.id == TypeId::Date && type.id == TypeId::BigInt && CompiledDatePart(expr, part))
            return "";
        return "EXTRACT(" + expr.children[0]->ToString() + " FROM " + expr.children[1]->return_type.ToString() + ")";
    }
    if (IsDateArithmetic(expr.function)) {
        const LogicalType& date = expr.children[0]->return_type;
        const LogicalType& other = expr.children[1]->return_type;
        const bool typed = expr.function == ScalarFunctionId::DateDiffDays
                               ? other.id == TypeId::Date && (type.id == TypeId::Integer || type.id == TypeId::BigInt)
                               : other.IsInteger() && type.id == TypeId::Date;
        return date.id == TypeId::Date && typed ? "" : unsupported;
    }
    if (!IsArithmetic(expr.function) || type.id == TypeId::Boolean || type.id == TypeId::Date) return unsupported;
    for (auto& child : expr.children) {
        const LogicalType& arg = child->return_type;
        // The interpreter reads + and - with a DATE as date arithmetic.
        if (arg.id == TypeId::Date) return unsupported;
        if (IsDecimal(type) && !IsDecimal(arg) && !arg.IsInteger()) return unsupported;
        const LogicalType operand = ArithmeticOperandType(expr, arg);
        if (!CoerceIsNoop(arg, operand) && !CastCompiles(arg, operand))
            return "a cast from " + arg.ToString() + " to " + operand.ToString();
    }
    if (IsDecimal(type)) {
        if (expr.function == ScalarFunctionId::Divide || expr.function == ScalarFunctionId::IntDivide)
            return "decimal division";
        if (expr.function == ScalarFunctionId::Multiply) {
            const LogicalType& a = expr.children[0]->return_type;
            const LogicalType& b = expr.children[1]->return_type;
            const int product_scale = (IsDecimal(a) ? a.scale : 0) + (IsDecimal(b) ? b.scale : 0);
            if (product_scale != type.scale)
                return "a decimal product rounded from scale " + std::to_string(product_scale) + " to " +
                       std::to_string(type.scale);
        }
    }
    return "";
}

/// A function or cast codegen does not lower inline, evaluated by the
/// interpreter's code one row at a time (runtime/row_calls.hpp).
bool IsRowCall(const Expr& expr) {
    if (expr.type == ExprType::Subquery)
        return true;
    if (expr.type == ExprType::Cast)
        return !CastCompiles(expr.children[0]->return_type, expr.return_type);
    return expr.type == ExprType::Function && expr.function != ScalarFunctionId::Coalesce &&
           !WhyFunctionNotCompilable(expr).empty();
}

/// Why row call `expr` cannot be made (its arguments' types), or "".
std::string WhyNotRowCall(const Expr& expr) {
    // random() and the clock functions too: the kernels keep their state per thread, not per statement.
    if (expr.children.size() + expr.correlated.size() > 64)
        return "a call with more than 64 arguments";
    for (const auto* arguments : {&expr.children, &expr.correlated})
        for (auto& child : *arguments)
            if (!IsSupportedType(child->return_type))
                return "an argument of type " + child->return_type.ToString() + " in " + expr.ToString();
    return "";
}

// ---- helper declarations from rt_functions.def ------------------------------

template <class T>
llvm::Type* LlvmTypeOf(llvm::LLVMContext& context) {
    static_assert(!std::is_same_v<T, bool>, "runtime helpers take fixed-width integers, not bool");
    if constexpr (std::is_pointer_v<T>) return llvm::PointerType::get(context, 0);
    else if constexpr (std::is_same_v<T, double>) return llvm::Type::getDoubleTy(context);
    else if constexpr (std::is_void_v<T>) return llvm::Type::getVoidTy(context);
    else {
        static_assert(std::is_integral_v<T>, "runtime helpers take C types only");
        return llvm::Type::getIntNTy(context, sizeof(T) * 8);
    }
}

/// The LLVM signature of a helper, derived from its C++ declaration (which is
/// itself produced from the .def list), so the two cannot disagree.
template <class R, class... A>
llvm::FunctionType* LlvmSignature(llvm::LLVMContext& context, R (*)(A...) noexcept) {
    return llvm::FunctionType::get(LlvmTypeOf<R>(context), {LlvmTypeOf<A>(context)...}, false);
}

llvm::Function* Declare(llvm::Module& module, const char* name, llvm::FunctionType* type, RtAttribute attribute) {
    if (llvm::Function* existing = module.getFunction(name)) return existing;
    llvm::Function* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
    function->setDoesNotThrow();
    switch (attribute) {
    case RtAttribute::Cold:
        function->addFnAttr(llvm::Attribute::Cold);
        function->addFnAttr(llvm::Attribute::NoInline);
        break;
    case RtAttribute::Hot: function->addFnAttr(llvm::Attribute::Hot); break;
    case RtAttribute::Pure:
        function->setOnlyReadsMemory();
        function->setWillReturn();
        break;
    case RtAttribute::None: break;
    }
    return function;
}

double MillisSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

llvm::Function* DeclareRuntimeFunction(llvm::Module& module, RtFunction id) {
    switch (id) {
#define GZ_RT_FUNCTION(name, ret, args, attribute) \
    case RtFunction::name: return Declare(module, #name, LlvmSignature(module.getContext(), &::name), RtAttribute::attribute);
#include "codegen/rt_functions.def"
#undef GZ_RT_FUNCTION
    }
    throw Error::Internal("unknown runtime function");
}

llvm::Type* RegisterType(llvm::LLVMContext& context, PhysicalType type) {
    switch (type) {
    case PhysicalType::Bool: return llvm::Type::getInt1Ty(context);
    case PhysicalType::Int32: return llvm::Type::getInt32Ty(context);
    case PhysicalType::Int64: return llvm::Type::getInt64Ty(context);
    case PhysicalType::Double: return llvm::Type::getDoubleTy(context);
    case PhysicalType::String:
    case PhysicalType::Interval:
        return llvm::PointerType::get(context, 0); // to the StringRef / Interval
    default: throw Error::Internal("no register type for this physical type");
    }
}

Error NotCompiledYet(const std::string& what) {
    return Error(SqlState::FeatureNotSupported, what + " is not compiled yet");
}

bool NeedsRowCalls(const Expr& expr) {
    if (IsRowCall(expr))
        return true;
    for (auto& child : expr.children)
        if (NeedsRowCalls(*child))
            return true;
    return false;
}

std::string WhyNotCompilable(const Expr& expr) {
    if (!IsSupportedType(expr.return_type)) return "an expression of type " + expr.return_type.ToString();
    switch (expr.type) {
    case ExprType::Constant:
    case ExprType::Compare:
    case ExprType::And:
    case ExprType::Or:
    case ExprType::Not:
    case ExprType::IsNull:
    case ExprType::IsNotNull:
    case ExprType::InList: break;
    case ExprType::ColumnRef:
    case ExprType::Parameter:
        if (expr.depth != 0) return "a correlated reference";
        break;
    case ExprType::Function:
        if (expr.function == ScalarFunctionId::Coalesce) {
            for (auto& child : expr.children)
                if (child->return_type != expr.return_type)
                    return "a COALESCE argument of type " + child->return_type.ToString() + " in a COALESCE of " +
                           expr.return_type.ToString();
            break;
        }
        if (!WhyFunctionNotCompilable(expr).empty())
            if (std::string reason = WhyNotRowCall(expr); !reason.empty())
                return reason;
        break;
    case ExprType::Case:
        // Conditions are BOOLEAN; results share the CASE's type (the binder casts them).
        for (size_t child_idx = 0; child_idx < expr.children.size(); ++child_idx) {
            const bool is_condition = child_idx % 2 == 0 && child_idx + 1 < expr.children.size();
            const LogicalType& type = expr.children[child_idx]->return_type;
            if (is_condition ? type.id != TypeId::Boolean : !(type == expr.return_type))
                return "a CASE branch of type " + type.ToString() + " in a CASE of " + expr.return_type.ToString();
        }
        break;
    case ExprType::Cast: {
        if (!CastCompiles(expr.children[0]->return_type, expr.return_type))
            if (std::string reason = WhyNotRowCall(expr); !reason.empty())
                return reason;
        break;
    }
    case ExprType::Subquery:
        if (std::string reason = WhyNotRowCall(expr); !reason.empty())
            return reason;
        // A correlated one's outer values are arguments of its row call.
        for (const auto& outer : expr.correlated)
            if (std::string reason = WhyNotCompilable(*outer); !reason.empty())
                return reason;
        break;
    default: return "expression " + expr.ToString();
    }
    if (expr.type == ExprType::Compare || expr.type == ExprType::InList) {
        for (size_t item = 1; item < expr.children.size(); ++item)
            if (std::string reason = WhyNotComparable(expr.children[0]->return_type, expr.children[item]->return_type);
                !reason.empty())
                return reason;
    }
    for (auto& child : expr.children) {
        std::string reason = WhyNotCompilable(*child);
        if (!reason.empty()) return reason;
    }
    return "";
}

// ---- ExprEmitter --------------------------------------------------------------

ExprEmitter::ExprEmitter(llvm::IRBuilder<>& builder, llvm::BasicBlock* prologue, MorselArgs args,
                         const ParamLayout& layout)
    : b_(builder),
      context_(builder.getContext()),
      module_(*prologue->getModule()),
      function_(prologue->getParent()),
      prologue_(prologue),
      args_(args),
      layout_(layout) {
    GZ_CHECK(prologue->getTerminator() != nullptr, "the prologue needs its terminator before emission");
}

bool ExprEmitter::CanFail(const Expr& expr) {
    switch (expr.type) {
    case ExprType::Subquery:
        return true; // its plan's errors, a scalar one's cardinality
    case ExprType::Function:
        if (expr.function != ScalarFunctionId::Negate || IsIntegerPhysical(expr.return_type.Physical())) return true;
        break;
    case ExprType::Cast:
        if (!expr.try_cast && CastCanFail(expr.children[0]->return_type, expr.return_type)) return true;
        break;
    case ExprType::Compare:
        if (CompareCastCanFail(expr.children[0]->return_type, expr.children[1]->return_type)) return true;
        break;
    case ExprType::InList:
        for (size_t item = 1; item < expr.children.size(); ++item)
            if (CompareCastCanFail(expr.children[0]->return_type, expr.children[item]->return_type)) return true;
        break;
    default: break;
    }
    for (auto& child : expr.children)
        if (CanFail(*child)) return true;
    return false;
}

llvm::Value* ExprEmitter::And(llvm::Value* a, llvm::Value* b) {
    if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(a)) return c->isOne() ? b : a;
    if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(b)) return c->isOne() ? a : b;
    return b_.CreateAnd(a, b);
}

llvm::Value* ExprEmitter::Or(llvm::Value* a, llvm::Value* b) {
    if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(a)) return c->isZero() ? b : a;
    if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(b)) return c->isZero() ? a : b;
    return b_.CreateOr(a, b);
}

llvm::Value* ExprEmitter::Not(llvm::Value* a) { return b_.CreateNot(a); }

llvm::Value* ExprEmitter::IsNan(llvm::Value* v) { return b_.CreateFCmpUNO(v, v); }

llvm::Value* ExprEmitter::IsInf(llvm::Value* v) {
    llvm::Value* magnitude = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
    return b_.CreateFCmpOEQ(magnitude, llvm::ConstantFP::getInfinity(v->getType()));
}

llvm::Value* ExprEmitter::Phi(llvm::Value* a, llvm::BasicBlock* from_a, llvm::Value* b, llvm::BasicBlock* from_b) {
    llvm::PHINode* phi = b_.CreatePHI(a->getType(), 2);
    phi->addIncoming(a, from_a);
    phi->addIncoming(b, from_b);
    return phi;
}

llvm::Value* ExprEmitter::PrepareColumns(const std::vector<const Expr*>& exprs) {
    llvm::Value* all_valid = b_.getTrue();
    for (const Expr* expr : exprs) {
        ir::VisitColumnRefs(*expr, [&](const Expr& ref) {
            for (const BuildRange& range : build_ranges_)
                if (ref.position >= range.first && ref.position < range.first + range.width) return;
            ColumnAt(ref.position);
        });
    }
    llvm::IRBuilder<> hoist(prologue_->getTerminator());
    hoist.SetCurrentDebugLocation(b_.getCurrentDebugLocation());
    for (auto& [position, column] : columns_) {
        all_valid = all_valid == b_.getTrue() ? hoist.CreateNot(column.has_bitmap)
                                              : hoist.CreateAnd(all_valid, hoist.CreateNot(column.has_bitmap));
    }
    return all_valid;
}

llvm::Value* ExprEmitter::AllValidWord() {
    return ConstantGlobal("gz_all_valid_word", b_.getInt64(~uint64_t{0}), 8);
}

ExprEmitter::Column& ExprEmitter::ColumnAt(uint32_t position) {
    auto it = columns_.find(position);
    if (it != columns_.end()) return it->second;
    llvm::IRBuilder<> hoist(prologue_->getTerminator());
    hoist.SetCurrentDebugLocation(b_.getCurrentDebugLocation());
    llvm::Type* ptr = hoist.getPtrTy();
    Column column;
    const std::string suffix = std::to_string(position);
    column.data = hoist.CreateLoad(ptr, hoist.CreateConstInBoundsGEP1_64(ptr, args_.columns, position), "col" + suffix);
    llvm::Value* bitmap =
        hoist.CreateLoad(ptr, hoist.CreateConstInBoundsGEP1_64(ptr, args_.validity, position), "validity" + suffix);
    column.has_bitmap = hoist.CreateIsNotNull(bitmap, "has_bitmap" + suffix);
    // Without a bitmap, read word 0 of a constant all-valid word: no branch per row.
    column.words = hoist.CreateSelect(column.has_bitmap, bitmap, AllValidWord());
    column.word_mask = hoist.CreateSelect(column.has_bitmap, hoist.getInt64(~uint64_t{0}), hoist.getInt64(0));
    return columns_.emplace(position, column).first->second;
}

void ExprEmitter::SetRow(llvm::Value* row, bool read_validity) {
    row_ = row;
    read_validity_ = read_validity;
}

Lowered ExprEmitter::LoadSlot(uint32_t slot, PhysicalType type) {
    auto key = std::make_pair(slot, type);
    if (auto it = slots_.find(key); it != slots_.end()) return it->second;
    llvm::IRBuilder<> hoist(prologue_->getTerminator());
    hoist.SetCurrentDebugLocation(b_.getCurrentDebugLocation());
    const uint64_t offset = uint64_t{slot} * sizeof(GzParamSlot);
    llvm::Value* address = hoist.CreateConstInBoundsGEP1_64(hoist.getInt8Ty(), args_.params, offset);
    llvm::Value* bits = hoist.CreateLoad(hoist.getInt64Ty(), address, "slot" + std::to_string(slot));
    llvm::Value* null_flag = hoist.CreateLoad(
        hoist.getInt8Ty(), hoist.CreateConstInBoundsGEP1_64(hoist.getInt8Ty(), args_.params, offset + 8));
    Lowered out;
    out.valid = hoist.CreateICmpEQ(null_flag, hoist.getInt8(0));
    switch (type) {
    case PhysicalType::Bool: out.value = hoist.CreateICmpNE(bits, hoist.getInt64(0)); break;
    case PhysicalType::Int32: out.value = hoist.CreateTrunc(bits, hoist.getInt32Ty()); break;
    case PhysicalType::Int64: out.value = bits; break;
    case PhysicalType::Double: out.value = hoist.CreateBitCast(bits, hoist.getDoubleTy()); break;
    case PhysicalType::String:
    case PhysicalType::Interval:
        // The slot holds the index of the slot its StringRef (Interval) fills (ParamLayout::Bind).
        out.value = hoist.CreateInBoundsGEP(hoist.getInt8Ty(), args_.params,
                                            hoist.CreateMul(bits, hoist.getInt64(sizeof(GzParamSlot))));
        break;
    default: throw NotCompiledYet("a parameter of this type");
    }
    return slots_.emplace(key, out).first->second;
}

Lowered ExprEmitter::EmitColumn(const Expr& expr) {
    const PhysicalType physical = expr.return_type.Physical();
    if (IsByAddress(physical))
        return EmitColumnAddress(expr.position, PhysicalSize(physical));
    const Access access = AccessColumn(expr.position);
    Lowered out;
    if (physical == PhysicalType::Bool) {
        llvm::Value* byte =
            b_.CreateLoad(b_.getInt8Ty(), b_.CreateInBoundsGEP(b_.getInt8Ty(), access.column.data, access.row));
        out.value = b_.CreateICmpNE(byte, b_.getInt8(0));
    } else {
        llvm::Type* type = RegisterType(context_, physical);
        out.value = b_.CreateLoad(type, b_.CreateInBoundsGEP(type, access.column.data, access.row));
    }
    out.valid = RowIsValid(access);
    return out;
}

llvm::Value* ExprEmitter::RowIsValid(const Access& access) {
    if (!access.read_validity) return b_.getTrue();
    const Column& column = access.column;
    llvm::Value* word_index = b_.CreateAnd(b_.CreateLShr(access.row, 6), column.word_mask);
    llvm::Value* word = b_.CreateLoad(b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), column.words, word_index));
    llvm::Value* bit = b_.CreateLShr(word, b_.CreateAnd(access.row, 63));
    return b_.CreateTrunc(bit, b_.getInt1Ty());
}

Lowered ExprEmitter::EmitColumnAddress(uint32_t position, uint64_t element_bytes) {
    const Access access = AccessColumn(position);
    llvm::Value* offset = b_.CreateMul(access.row, b_.getInt64(element_bytes), "", /*HasNUW=*/true);
    return {b_.CreateInBoundsGEP(b_.getInt8Ty(), access.column.data, offset), RowIsValid(access)};
}

size_t ExprEmitter::DeclareBuildColumns(uint32_t first_position, uint32_t width) {
    build_ranges_.push_back(BuildRange{first_position, width});
    return build_ranges_.size() - 1;
}

void ExprEmitter::SetBuildTable(size_t range, llvm::Value* columns, llvm::Value* validity) {
    build_ranges_[range].columns = columns;
    build_ranges_[range].validity = validity;
}

void ExprEmitter::SetBuildRow(size_t range, llvm::Value* build_row) {
    build_ranges_[range].row = build_row;
    build_ranges_[range].null_row = false;
}

void ExprEmitter::SetBuildRowNull(size_t range) {
    build_ranges_[range].row = b_.getInt64(0);
    build_ranges_[range].null_row = true;
}

llvm::Value* ExprEmitter::NullRow() {
    llvm::Value* zeros =
        ConstantGlobal("gz_null_row", llvm::ConstantAggregateZero::get(llvm::ArrayType::get(b_.getInt64Ty(), 2)), 16);
    return zeros;
}

void ExprEmitter::ClearBuildRows() {
    for (BuildRange& range : build_ranges_) range.row = nullptr;
}

ExprEmitter::Access ExprEmitter::AccessColumn(uint32_t position) {
    for (const BuildRange& range : build_ranges_) {
        // Before a match (no build row yet) the positions are the scan's: the
        // live-row column sits one past the scan's columns, where a join's build
        // columns start in its output.
        if (!range.row || position < range.first || position >= range.first + range.width) continue;
        if (range.null_row) {
            // Row 0 of a column of zeros whose validity word is zero: NULL of any type.
            Access access;
            access.column.data = NullRow();
            access.column.words = NullRow();
            access.column.word_mask = b_.getInt64(0);
            access.column.has_bitmap = b_.getTrue();
            access.row = b_.getInt64(0);
            return access;
        }
        GZ_CHECK(range.columns != nullptr, "a build column read without its join's table");
        // Build row g is row g % kVectorSize of chunk g / kVectorSize; a chunk's
        // column has a validity bitmap or none.
        static_assert((kVectorSize & (kVectorSize - 1)) == 0, "build rows split by shift and mask");
        const uint64_t shift = static_cast<uint64_t>(__builtin_ctzll(kVectorSize));
        llvm::Value* chunk = b_.CreateLShr(range.row, shift);
        llvm::Value* index = b_.CreateAdd(b_.CreateMul(chunk, b_.getInt64(range.width)),
                                          b_.getInt64(position - range.first));
        llvm::Type* ptr = b_.getPtrTy();
        Access access;
        access.row = b_.CreateAnd(range.row, b_.getInt64(kVectorSize - 1));
        access.column.data = b_.CreateLoad(ptr, b_.CreateInBoundsGEP(ptr, range.columns, index));
        llvm::Value* bitmap = b_.CreateLoad(ptr, b_.CreateInBoundsGEP(ptr, range.validity, index));
        access.column.has_bitmap = b_.CreateIsNotNull(bitmap);
        access.column.words = b_.CreateSelect(access.column.has_bitmap, bitmap, AllValidWord());
        access.column.word_mask =
            b_.CreateSelect(access.column.has_bitmap, b_.getInt64(~uint64_t{0}), b_.getInt64(0));
        return access;
    }
    return Access{ColumnAt(position), row_, read_validity_};
}

void ExprEmitter::ReturnErrorIf(llvm::Value* failed, const std::string& name) {
    llvm::BasicBlock* error_block = llvm::BasicBlock::Create(context_, name + ".failed", function_);
    llvm::BasicBlock* ok = llvm::BasicBlock::Create(context_, name + ".ok", function_);
    b_.CreateCondBr(failed, error_block, ok, llvm::MDBuilder(context_).createBranchWeights(1, 1u << 20));
    b_.SetInsertPoint(error_block);
    b_.CreateRet(b_.getInt32(kGzStatusError));
    b_.SetInsertPoint(ok);
}

void ExprEmitter::EmitCheck(llvm::Value* failed, RtFunction helper, int32_t type_code) {
    if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(failed); c && c->isZero()) return;
    llvm::BasicBlock* error_block = llvm::BasicBlock::Create(context_, "raise", function_);
    llvm::BasicBlock* continue_block = llvm::BasicBlock::Create(context_, "checked", function_);
    b_.CreateCondBr(failed, error_block, continue_block, llvm::MDBuilder(context_).createBranchWeights(1, 1u << 20));
    b_.SetInsertPoint(error_block);
    llvm::Function* callee = DeclareRuntimeFunction(module_, helper);
    std::vector<llvm::Value*> call_args{args_.status};
    if (callee->arg_size() == 2) call_args.push_back(b_.getInt32(static_cast<uint32_t>(type_code)));
    llvm::CallInst* call = b_.CreateCall(callee, call_args);
    call->addFnAttr(llvm::Attribute::Cold);
    b_.CreateRet(call);
    b_.SetInsertPoint(continue_block);
}

Lowered ExprEmitter::Emit(const Expr& expr) {
    switch (expr.type) {
    case ExprType::Constant:
    case ExprType::Parameter: return LoadSlot(layout_.SlotOf(expr), expr.return_type.Physical());
    case ExprType::ColumnRef: return EmitColumn(expr);
    case ExprType::Function: return EmitFunction(expr);
    case ExprType::Compare: return EmitComparison(expr.compare, *expr.children[0], *expr.children[1]);
    case ExprType::InList: return EmitInList(expr);
    case ExprType::And:
    case ExprType::Or: return EmitConjunction(expr);
    case ExprType::Not: {
        Lowered child = Emit(*expr.children[0]);
        return {Not(child.value), child.valid};
    }
    case ExprType::IsNull:
    case ExprType::IsNotNull: {
        Lowered child = Emit(*expr.children[0]);
        llvm::Value* value = expr.type == ExprType::IsNull ? Not(child.valid) : child.valid;
        return {value, b_.getTrue()};
    }
    case ExprType::Cast: {
        if (IsRowCall(expr))
            return EmitRowCall(expr);
        Lowered child = Emit(*expr.children[0]);
        return EmitCast(child, expr.children[0]->return_type, expr.return_type, expr.try_cast);
    }
    case ExprType::Case: return EmitCase(expr);
    case ExprType::Subquery:
        return EmitRowCall(expr);
    default: throw NotCompiledYet("expression " + expr.ToString());
    }
}

// As the interpreter's ExecuteCase: each condition runs on the rows no earlier
// one took, each result only on the rows its condition took (EmitGuarded), so
// a branch that can fail fails only where it is chosen.
Lowered ExprEmitter::EmitCase(const Expr& expr) {
    const size_t pairs = (expr.children.size() - 1) / 2;
    llvm::Value* remaining = b_.getTrue();
    Lowered out{NullValue(RegisterType(context_, expr.return_type.Physical())), b_.getFalse()};
    auto take = [&](llvm::Value* where, const Expr& result) {
        Lowered value = EmitGuarded(where, result);
        out.value = b_.CreateSelect(where, value.value, out.value);
        out.valid = b_.CreateSelect(where, value.valid, out.valid);
    };
    for (size_t pair = 0; pair < pairs; ++pair) {
        Lowered condition = EmitGuarded(remaining, *expr.children[2 * pair]);
        llvm::Value* hit = And(remaining, And(condition.valid, condition.value));
        take(hit, *expr.children[2 * pair + 1]);
        remaining = And(remaining, Not(hit));
    }
    take(remaining, *expr.children.back());
    return out;
}

// As the interpreter's ExecuteCoalesce: lazy, each argument runs only on rows
// every earlier one left NULL.
Lowered ExprEmitter::EmitCoalesce(const Expr& expr) {
    llvm::Value* remaining = b_.getTrue();
    Lowered out{NullValue(RegisterType(context_, expr.return_type.Physical())), b_.getFalse()};
    for (const auto& child : expr.children) {
        Lowered value = EmitGuarded(remaining, *child);
        llvm::Value* take = And(remaining, value.valid);
        out.value = b_.CreateSelect(take, value.value, out.value);
        out.valid = Or(out.valid, take);
        remaining = And(remaining, Not(value.valid));
    }
    return out;
}

std::vector<const Expr*> SubqueryNodes(const std::vector<const Expr*>& exprs) {
    std::vector<const Expr*> nodes;
    std::function<void(const Expr&)> visit = [&](const Expr& node) {
        if (node.type == ExprType::Subquery)
            nodes.push_back(&node);
        for (const auto& child : node.children)
            visit(*child);
        for (const auto& outer : node.correlated)
            visit(*outer);
    };
    for (const Expr* expr : exprs)
        visit(*expr);
    return nodes;
}

// runtime's substring() and length() on one value: NULL in, NULL out; a NULL
// row passes values that cannot fail (the interpreter does not look at it).
Lowered ExprEmitter::EmitStringSlice(const Expr& expr) {
    const Lowered text = Emit(*expr.children[0]);
    if (expr.function == ScalarFunctionId::Length) {
        llvm::Value* length =
            b_.CreateCall(DeclareRuntimeFunction(module_, RtFunction::gz_rt_string_length), {StringOrNull(text)});
        return {length, text.valid};
    }
    llvm::Value* valid = text.valid;
    std::vector<llvm::Value*> bounds;
    for (size_t arg = 1; arg < expr.children.size(); ++arg) {
        const Lowered bound = Emit(*expr.children[arg]);
        valid = And(valid, bound.valid);
        bounds.push_back(b_.CreateSExtOrTrunc(bound.value, b_.getInt64Ty()));
    }
    const bool has_length = bounds.size() == 2;
    llvm::Value* start = b_.CreateSelect(valid, bounds[0], b_.getInt64(1));
    llvm::Value* length = has_length ? b_.CreateSelect(valid, bounds[1], b_.getInt64(0)) : b_.getInt64(0);
    llvm::Value* out = EntryAlloca(llvm::ArrayType::get(b_.getInt8Ty(), sizeof(StringRef)), 8, "substring");
    llvm::Value* rc = b_.CreateCall(
        DeclareRuntimeFunction(module_, RtFunction::gz_rt_substring),
        {args_.status, out, StringOrNull({text.value, valid}), start, length, b_.getInt32(has_length ? 1 : 0)});
    ReturnErrorIf(b_.CreateICmpNE(rc, b_.getInt32(0)), "substring");
    return {StringOrNull({out, valid}), valid};
}

void ExprEmitter::SetRowCalls(llvm::Value* state, uint64_t offset, std::vector<const Expr*> subqueries) {
    subqueries_ = std::move(subqueries);
    llvm::IRBuilder<> hoist(prologue_->getTerminator());
    row_calls_ = hoist.CreateLoad(hoist.getPtrTy(), hoist.CreateConstInBoundsGEP1_64(hoist.getInt8Ty(), state, offset),
                                  "row_calls");
}

llvm::Value* ExprEmitter::EntryAlloca(llvm::Type* type, uint64_t align, const char* name) {
    llvm::BasicBlock& entry = function_->getEntryBlock();
    llvm::IRBuilder<> at_entry(&entry, entry.begin());
    llvm::AllocaInst* slot = at_entry.CreateAlloca(type, nullptr, name);
    slot->setAlignment(llvm::Align(align));
    return slot;
}

// runtime/row_calls.hpp: the interpreter's function or cast on this row's
// values, which go to the helper in vector element layout (VARCHARs as the
// pointer to their StringRef); -1 means it recorded the interpreter's error.
Lowered ExprEmitter::EmitRowCall(const Expr& expr) {
    if (!row_calls_)
        throw NotCompiledYet("a call of the interpreter's " + expr.ToString() + " in this pipeline shape");
    int32_t subquery_site = -1;
    if (expr.type == ExprType::Subquery) {
        const auto it = std::find(subqueries_.begin(), subqueries_.end(), &expr);
        if (it == subqueries_.end())
            throw NotCompiledYet("a subquery outside the pipeline's expressions");
        subquery_site = static_cast<int32_t>(it - subqueries_.begin());
    }
    const std::vector<int32_t> words = runtime::RowCallDescriptor::Encode(expr, subquery_site);
    std::vector<uint32_t> bits(words.begin(), words.end());
    // Each call site's own descriptor: its address identifies the site in the run's RowCalls.
    llvm::Value* descriptor = ConstantGlobal("gz_row_call." + std::to_string(row_call_count_++),
                                             llvm::ConstantDataArray::get(context_, bits), 4);
    // The arguments: the children, then a correlated subquery's outer values.
    std::vector<const Expr*> arguments;
    for (const auto& child : expr.children)
        arguments.push_back(child.get());
    for (const auto& outer : expr.correlated)
        arguments.push_back(outer.get());
    const size_t arg_count = arguments.size();
    llvm::Value* args =
        EntryAlloca(llvm::ArrayType::get(b_.getPtrTy(), std::max<size_t>(arg_count, 1)), 8, "call.args");
    llvm::Value* valid_mask = b_.getInt64(0);
    for (size_t arg = 0; arg < arg_count; ++arg) {
        const Lowered value = Emit(*arguments[arg]);
        llvm::Value* address;
        if (IsByAddress(arguments[arg]->return_type.Physical())) {
            address = StringOrNull(value);
        } else {
            llvm::Value* stored = value.value;
            if (stored->getType()->isIntegerTy(1))
                stored = b_.CreateZExt(stored, b_.getInt8Ty());
            address = EntryAlloca(stored->getType(), 8, "call.arg");
            b_.CreateStore(stored, address);
        }
        b_.CreateStore(address, b_.CreateConstInBoundsGEP1_64(b_.getPtrTy(), args, arg));
        valid_mask = b_.CreateOr(valid_mask, b_.CreateShl(b_.CreateZExt(value.valid, b_.getInt64Ty()), arg));
    }
    llvm::Value* out = EntryAlloca(llvm::ArrayType::get(b_.getInt8Ty(), sizeof(StringRef)), 8, "call.out");
    llvm::Value* rc = b_.CreateCall(DeclareRuntimeFunction(module_, RtFunction::gz_rt_scalar_call),
                                    {args_.status, row_calls_, descriptor, args, valid_mask, out});
    ReturnErrorIf(b_.CreateICmpSLT(rc, b_.getInt32(0)), "call");
    Lowered result;
    result.valid = b_.CreateICmpNE(rc, b_.getInt32(0));
    const PhysicalType physical = expr.return_type.Physical();
    if (IsByAddress(physical)) {
        result.value = StringOrNull({out, result.valid}); // a NULL result leaves `out` as it was
    } else if (physical == PhysicalType::Bool) {
        result.value = b_.CreateICmpNE(b_.CreateLoad(b_.getInt8Ty(), out), b_.getInt8(0));
    } else {
        result.value = b_.CreateLoad(RegisterType(context_, physical), out);
    }
    return result;
}

Lowered ExprEmitter::EmitGuarded(llvm::Value* guard, const Expr& expr) {
    if (!CanFail(expr)) return Emit(expr);
    if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(guard); c && c->isOne()) return Emit(expr);
    llvm::BasicBlock* skip_from = b_.GetInsertBlock();
    llvm::BasicBlock* eval = llvm::BasicBlock::Create(context_, "guarded", function_);
    llvm::BasicBlock* merge = llvm::BasicBlock::Create(context_, "guard.merge", function_);
    b_.CreateCondBr(guard, eval, merge);
    b_.SetInsertPoint(eval);
    Lowered value = Emit(expr);
    llvm::BasicBlock* eval_end = b_.GetInsertBlock();
    b_.CreateBr(merge);
    b_.SetInsertPoint(merge);
    Lowered out;
    out.value = Phi(NullValue(value.value->getType()), skip_from, value.value, eval_end);
    out.valid = Phi(b_.getFalse(), skip_from, value.valid, eval_end);
    return out;
}

llvm::Value* ExprEmitter::EmitFilter(const std::vector<const Expr*>& conjuncts) {
    llvm::Value* passes = b_.getTrue();
    for (const Expr* conjunct : conjuncts) passes = EmitConjunct(passes, *conjunct);
    return passes;
}

llvm::Value* ExprEmitter::EmitConjunct(llvm::Value* passes, const Expr& conjunct) {
    Lowered result = EmitGuarded(passes, conjunct);
    return And(passes, And(result.valid, result.value));
}

// Kleene AND/OR (runtime ExecuteConjunction): a side that can fail runs only on
// rows the sides before it leave undecided.
Lowered ExprEmitter::EmitConjunction(const Expr& expr) {
    const bool is_and = expr.type == ExprType::And;
    Lowered acc = Emit(*expr.children[0]);
    auto combine = [&](Lowered a, Lowered c) {
        llvm::Value* a_true = And(a.valid, a.value);
        llvm::Value* a_false = And(a.valid, Not(a.value));
        llvm::Value* c_true = And(c.valid, c.value);
        llvm::Value* c_false = And(c.valid, Not(c.value));
        llvm::Value* result_true = is_and ? And(a_true, c_true) : Or(a_true, c_true);
        llvm::Value* result_false = is_and ? Or(a_false, c_false) : And(a_false, c_false);
        return Lowered{result_true, Or(result_true, result_false)};
    };
    for (size_t child_idx = 1; child_idx < expr.children.size(); ++child_idx) {
        const Expr& child = *expr.children[child_idx];
        if (!CanFail(child)) {
            acc = combine(acc, Emit(child));
            continue;
        }
        llvm::Value* decided = And(acc.valid, is_and ? Not(acc.value) : acc.value);
        llvm::BasicBlock* decided_from = b_.GetInsertBlock();
        llvm::BasicBlock* eval = llvm::BasicBlock::Create(context_, is_and ? "and.rhs" : "or.rhs", function_);
        llvm::BasicBlock* merge = llvm::BasicBlock::Create(context_, is_and ? "and.merge" : "or.merge", function_);
        b_.CreateCondBr(decided, merge, eval);
        b_.SetInsertPoint(eval);
        Lowered combined = combine(acc, Emit(child));
        llvm::BasicBlock* eval_end = b_.GetInsertBlock();
        b_.CreateBr(merge);
        b_.SetInsertPoint(merge);
        acc = Lowered{Phi(acc.value, decided_from, combined.value, eval_end),
                      Phi(acc.valid, decided_from, combined.valid, eval_end)};
    }
    return acc;
}

// runtime/functions/compare.cpp: NULL in, NULL out (IS [NOT] DISTINCT FROM is
// null-safe); doubles order NaN equal to itself and above every number; sides
// of different representations are cast to a common type first (decimals to the
// larger scale, where scaling up can overflow).
Lowered ExprEmitter::EmitComparison(ir::CompareOp op, const Expr& left_expr, const Expr& right_expr) {
    const Lowered left = Emit(left_expr);
    return EmitComparison(op, left, left_expr.return_type, Emit(right_expr), right_expr.return_type);
}

Lowered ExprEmitter::EmitComparison(ir::CompareOp op, Lowered left, const LogicalType& left_type, Lowered right,
                                    const LogicalType& right_type) {
    PhysicalType physical = left_type.Physical();
    if (physical == PhysicalType::String) return CompareResult(op, EmitStringOrder(op, left, right), left, right);
    if (physical == PhysicalType::Interval) {
        // runtime's ThreeWay over Interval: months, days and microseconds as one normalized span.
        llvm::Value* order = b_.CreateCall(DeclareRuntimeFunction(module_, RtFunction::gz_rt_interval_compare),
                                           {StringOrNull(left), StringOrNull(right)});
        const Order three_way{b_.CreateICmpSLT(order, b_.getInt32(0)), b_.CreateICmpSGT(order, b_.getInt32(0)),
                              b_.CreateICmpEQ(order, b_.getInt32(0))};
        return CompareResult(op, three_way, left, right);
    }
    if (!SameRepresentation(left_type, right_type)) {
        const LogicalType common = ComparisonType(left_type, right_type);
        if (!SameRepresentation(common, left_type)) left = EmitCast(left, left_type, common, false);
        if (!SameRepresentation(common, right_type)) right = EmitCast(right, right_type, common, false);
        physical = common.Physical();
    }
    llvm::Value* a = left.value;
    llvm::Value* c = right.value;
    llvm::Value *lt, *gt, *eq;
    switch (physical) {
    case PhysicalType::Bool:
        lt = b_.CreateICmpULT(a, c);
        gt = b_.CreateICmpUGT(a, c);
        eq = b_.CreateICmpEQ(a, c);
        break;
    case PhysicalType::Double: {
        llvm::Value* a_nan = IsNan(a);
        llvm::Value* c_nan = IsNan(c);
        lt = Or(b_.CreateFCmpOLT(a, c), And(Not(a_nan), c_nan));
        gt = Or(b_.CreateFCmpOGT(a, c), And(a_nan, Not(c_nan)));
        eq = Or(b_.CreateFCmpOEQ(a, c), And(a_nan, c_nan));
        break;
    }
    default:
        lt = b_.CreateICmpSLT(a, c);
        gt = b_.CreateICmpSGT(a, c);
        eq = b_.CreateICmpEQ(a, c);
        break;
    }
    return CompareResult(op, {lt, gt, eq}, left, right);
}

Lowered ExprEmitter::CompareResult(ir::CompareOp op, const Order& order, const Lowered& left, const Lowered& right) {
    llvm::Value *lt = order.lt, *gt = order.gt, *eq = order.eq;
    llvm::Value* both_valid = And(left.valid, right.valid);
    switch (op) {
    case ir::CompareOp::Eq: return {eq, both_valid};
    case ir::CompareOp::NotEq: return {Not(eq), both_valid};
    case ir::CompareOp::Lt: return {lt, both_valid};
    case ir::CompareOp::LtEq: return {Not(gt), both_valid};
    case ir::CompareOp::Gt: return {gt, both_valid};
    case ir::CompareOp::GtEq: return {Not(lt), both_valid};
    case ir::CompareOp::DistinctFrom:
    case ir::CompareOp::NotDistinctFrom: {
        // Two NULLs are not distinct; NULL and a value are.
        llvm::Value* same = b_.CreateSelect(both_valid, eq, b_.CreateICmpEQ(left.valid, right.valid));
        return {op == ir::CompareOp::DistinctFrom ? Not(same) : same, b_.getTrue()};
    }
    }
    throw Error::Internal("unknown comparison");
}

llvm::Value* ExprEmitter::ConstantGlobal(const std::string& name, llvm::Constant* value, uint64_t align) {
    // getOrInsertGlobal makes the variable inside LLVM (GCC misreads a `new GlobalVariable` here).
    auto* global = llvm::cast<llvm::GlobalVariable>(module_.getOrInsertGlobal(name, value->getType()));
    if (!global->hasInitializer()) {
        global->setInitializer(value);
        global->setConstant(true);
        global->setLinkage(llvm::GlobalValue::PrivateLinkage);
        global->setAlignment(llvm::Align(align));
    }
    return global;
}

llvm::Value* ExprEmitter::NullValue(llvm::Type* type) {
    return type->isPointerTy() ? EmptyString() : llvm::Constant::getNullValue(type);
}

llvm::Value* ExprEmitter::StringOrNull(const Lowered& string) {
    return b_.CreateSelect(string.valid, string.value, EmptyString());
}

llvm::Value* ExprEmitter::EmptyString() {
    return ConstantGlobal("gz_empty_string",
                          llvm::ConstantAggregateZero::get(llvm::ArrayType::get(b_.getInt8Ty(), sizeof(StringRef))), 8);
}

// StringRef's == and Compare (common/types.hpp): equality decided in place
// (length and prefix, then the inlined bytes) unless both are long; order
// through the helper. A NULL side reads an empty string; its result is NULL.
ExprEmitter::Order ExprEmitter::EmitStringOrder(ir::CompareOp op, const Lowered& left, const Lowered& right) {
    llvm::Value* a = StringOrNull(left);
    llvm::Value* c = StringOrNull(right);
    Order order;
    const bool equality = op == ir::CompareOp::Eq || op == ir::CompareOp::NotEq || op == ir::CompareOp::DistinctFrom ||
                          op == ir::CompareOp::NotDistinctFrom;
    if (!equality) {
        llvm::Value* sign = b_.CreateCall(DeclareRuntimeFunction(module_, RtFunction::gz_rt_string_compare), {a, c});
        order.lt = b_.CreateICmpSLT(sign, b_.getInt32(0));
        order.gt = b_.CreateICmpSGT(sign, b_.getInt32(0));
        order.eq = b_.CreateICmpEQ(sign, b_.getInt32(0));
        return order;
    }
    auto word = [&](llvm::Value* ref, uint64_t offset) {
        return b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), ref, offset));
    };
    llvm::Value* head = word(a, 0);
    llvm::BasicBlock* from = b_.GetInsertBlock();
    llvm::BasicBlock* same_head = llvm::BasicBlock::Create(context_, "str.head", function_);
    llvm::BasicBlock* inlined = llvm::BasicBlock::Create(context_, "str.inline", function_);
    llvm::BasicBlock* outlined = llvm::BasicBlock::Create(context_, "str.long", function_);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(context_, "str.eq", function_);
    b_.CreateCondBr(b_.CreateICmpEQ(head, word(c, 0)), same_head, done);
    b_.SetInsertPoint(same_head);
    llvm::Value* length = b_.CreateTrunc(head, b_.getInt32Ty());
    b_.CreateCondBr(b_.CreateICmpULE(length, b_.getInt32(StringRef::kInlineLength)), inlined, outlined);
    b_.SetInsertPoint(inlined);
    llvm::Value* tail_equal = b_.CreateICmpEQ(word(a, 8), word(c, 8));
    b_.CreateBr(done);
    b_.SetInsertPoint(outlined);
    llvm::Value* bytes_equal = b_.CreateICmpNE(
        b_.CreateCall(DeclareRuntimeFunction(module_, RtFunction::gz_rt_string_equal), {a, c}), b_.getInt32(0));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    llvm::PHINode* equal = b_.CreatePHI(b_.getInt1Ty(), 3, "str.equal");
    equal->addIncoming(b_.getFalse(), from);
    equal->addIncoming(tail_equal, inlined);
    equal->addIncoming(bytes_equal, outlined);
    order.eq = equal;
    order.lt = order.gt = nullptr;  // equality operators only
    return order;
}

// runtime's ExecuteInList: TRUE when an item equals the operand, else NULL when
// a comparison was NULL, else FALSE (NOT IN negates TRUE and FALSE).
Lowered ExprEmitter::EmitInList(const Expr& expr) {
    llvm::Value* found = b_.getFalse();
    llvm::Value* saw_null = b_.getFalse();
    // The operand once, not once per item: it may be a call (substring) the optimizer cannot merge.
    const Expr& operand = *expr.children[0];
    const Lowered left = Emit(operand);
    for (size_t item = 1; item < expr.children.size(); ++item) {
        const Expr& right = *expr.children[item];
        const Lowered eq = EmitComparison(ir::CompareOp::Eq, left, operand.return_type, Emit(right), right.return_type);
        found = Or(found, And(eq.valid, eq.value));
        saw_null = Or(saw_null, Not(eq.valid));
    }
    llvm::Value* value = expr.negated ? Not(found) : found;
    return {value, Or(found, Not(saw_null))};
}

// runtime's LIKE / ILIKE [ESCAPE], through the shared matcher (backslash escapes without ESCAPE).
Lowered ExprEmitter::EmitLike(const Expr& expr) {
    const Lowered text = Emit(*expr.children[0]);
    const Lowered pattern = Emit(*expr.children[1]);
    llvm::Value* valid = And(text.valid, pattern.valid);
    llvm::Value* escape = llvm::ConstantPointerNull::get(b_.getPtrTy());
    if (expr.children.size() == 3) {
        const Lowered given = Emit(*expr.children[2]);
        escape = StringOrNull(given);
        valid = And(valid, given.valid);
    }
    // A row with a NULL argument matches '' against '' (no error can arise): the
    // interpreter does not look at such rows.
    const Lowered text_if = {text.value, valid};
    const Lowered pattern_if = {pattern.value, valid};
    escape = b_.CreateSelect(valid, escape, llvm::ConstantPointerNull::get(b_.getPtrTy()));
    const int32_t case_insensitive = expr.function == ScalarFunctionId::ILike ? 1 : 0;
    llvm::Value* matched = b_.CreateCall(
        DeclareRuntimeFunction(module_, RtFunction::gz_rt_string_like),
        {args_.status, StringOrNull(text_if), StringOrNull(pattern_if), escape, b_.getInt32(case_insensitive)});
    // -1: the helper recorded the error (a pattern ending with the escape).
    ReturnErrorIf(b_.CreateICmpSLT(matched, b_.getInt32(0)), "like");
    return {b_.CreateICmpNE(matched, b_.getInt32(0)), valid};
}

Lowered ExprEmitter::EmitFunction(const Expr& expr) {
    if (expr.function == ScalarFunctionId::Coalesce)
        return EmitCoalesce(expr);
    if (IsStringSlice(expr))
        return EmitStringSlice(expr);
    if (IsRowCall(expr))
        return EmitRowCall(expr);
    if (IsLike(expr)) return EmitLike(expr);
    if (IsDateArithmetic(expr.function)) return EmitDateArithmetic(expr);
    if (expr.function == ScalarFunctionId::Extract) return EmitExtract(expr);
    return EmitArithmetic(expr);
}

// runtime/functions/date_functions.cpp's ExtractFromTimestamp over common/datetime's
// CivilFromDays (days since 1970 to the proleptic Gregorian calendar), inline.
Lowered ExprEmitter::EmitExtract(const Expr& expr) {
    DatePart part = DatePart::Year;
    GZ_CHECK(CompiledDatePart(expr, part), "EXTRACT of a field codegen does not compile");
    Lowered date = Emit(*expr.children[1]);
    llvm::Value* days = b_.CreateSExt(date.value, b_.getInt64Ty());
    auto i64 = [&](int64_t v) { return b_.getInt64(static_cast<uint64_t>(v)); };
    if (part == DatePart::Dow || part == DatePart::IsoDow) {
        // 1970-01-01 was a Thursday; Sunday = 0 (ISO: 7).
        llvm::Value* dow = b_.CreateSRem(b_.CreateAdd(b_.CreateSRem(b_.CreateAdd(days, i64(4)), i64(7)), i64(7)), i64(7));
        if (part == DatePart::IsoDow) dow = b_.CreateSelect(b_.CreateICmpEQ(dow, i64(0)), i64(7), dow);
        return {dow, date.valid};
    }
    llvm::Value* z = b_.CreateAdd(days, i64(719468));
    llvm::Value* era = b_.CreateSDiv(b_.CreateSelect(b_.CreateICmpSGE(z, i64(0)), z, b_.CreateSub(z, i64(146096))),
                                     i64(146097));
    llvm::Value* doe = b_.CreateSub(z, b_.CreateMul(era, i64(146097)));
    llvm::Value* yoe = b_.CreateUDiv(
        b_.CreateSub(b_.CreateAdd(b_.CreateSub(doe, b_.CreateUDiv(doe, i64(1460))), b_.CreateUDiv(doe, i64(36524))),
                     b_.CreateUDiv(doe, i64(146096))),
        i64(365));
    llvm::Value* doy = b_.CreateSub(
        doe, b_.CreateSub(b_.CreateAdd(b_.CreateMul(yoe, i64(365)), b_.CreateUDiv(yoe, i64(4))), b_.CreateUDiv(yoe, i64(100))));
    llvm::Value* mp = b_.CreateUDiv(b_.CreateAdd(b_.CreateMul(doy, i64(5)), i64(2)), i64(153));
    llvm::Value* day = b_.CreateAdd(b_.CreateSub(doy, b_.CreateUDiv(b_.CreateAdd(b_.CreateMul(mp, i64(153)), i64(2)), i64(5))), i64(1));
    llvm::Value* month = b_.CreateSelect(b_.CreateICmpULT(mp, i64(10)), b_.CreateAdd(mp, i64(3)), b_.CreateSub(mp, i64(9)));
    switch (part) {
    case DatePart::Month: return {month, date.valid};
    case DatePart::Day: return {day, date.valid};
    case DatePart::Quarter: return {b_.CreateAdd(b_.CreateUDiv(b_.CreateSub(month, i64(1)), i64(3)), i64(1)), date.valid};
    default: break;
    }
    llvm::Value* year = b_.CreateAdd(b_.CreateAdd(yoe, b_.CreateMul(era, i64(400))),
                                     b_.CreateZExt(b_.CreateICmpULE(month, i64(2)), b_.getInt64Ty()));
    // No year 0: astronomical year 0 is 1 BC, extracted as -1.
    year = b_.CreateSelect(b_.CreateICmpSGT(year, i64(0)), year, b_.CreateSub(year, i64(1)));
    return {year, date.valid};
}

// runtime/functions/date_functions.cpp: date ± n days must stay within the
// DATE range (22008 "date out of range"); date - date is a number of days that
// overflows as an INTEGER would.
Lowered ExprEmitter::EmitDateArithmetic(const Expr& expr) {
    Lowered date = Emit(*expr.children[0]);
    Lowered other = Emit(*expr.children[1]);
    llvm::Value* valid = And(date.valid, other.valid);
    llvm::Type* i64 = b_.getInt64Ty();
    if (expr.function == ScalarFunctionId::DateDiffDays) {
        if (expr.return_type.Physical() == PhysicalType::Int64)
            return {b_.CreateSub(b_.CreateSExt(date.value, i64), b_.CreateSExt(other.value, i64)), valid};
        llvm::Value* pair =
            b_.CreateBinaryIntrinsic(llvm::Intrinsic::ssub_with_overflow, date.value, other.value);
        EmitCheck(And(b_.CreateExtractValue(pair, 1), valid), RtFunction::gz_rt_error_overflow,
                  static_cast<int32_t>(TypeId::Integer));
        return {b_.CreateExtractValue(pair, 0), valid};
    }
    const bool subtract = expr.function == ScalarFunctionId::DateSubDays;
    llvm::Value* pair =
        b_.CreateBinaryIntrinsic(subtract ? llvm::Intrinsic::ssub_with_overflow : llvm::Intrinsic::sadd_with_overflow,
                                 b_.CreateSExt(date.value, i64), b_.CreateSExtOrTrunc(other.value, i64));
    llvm::Value* days = b_.CreateExtractValue(pair, 0);
    llvm::Value* out_of_range = Or(b_.CreateExtractValue(pair, 1),
                                   Or(b_.CreateICmpSLT(days, b_.getInt64(static_cast<uint64_t>(MinDateDays()))),
                                      b_.CreateICmpSGT(days, b_.getInt64(static_cast<uint64_t>(MaxDateDays())))));
    EmitCheck(And(out_of_range, valid), RtFunction::gz_rt_error_datetime_out_of_range,
              static_cast<int32_t>(TypeId::Date));
    return {b_.CreateTrunc(days, b_.getInt32Ty()), valid};
}

// runtime/functions/arithmetic.cpp: arguments are coerced to the result type
// (decimals: + - % to the result's scale, * keeps the arguments' scales);
// integers check overflow (and the logical type's range for TINYINT/SMALLINT),
// decimal + - * also the 18-digit limit ("numeric out of range"); division by
// zero is reported before overflow; MIN / -1 overflows and MIN % -1 is 0;
// doubles report overflow/underflow of finite operands.
Lowered ExprEmitter::EmitArithmetic(const Expr& expr) {
    const LogicalType& type = expr.return_type;
    const PhysicalType physical = type.Physical();
    std::vector<Lowered> args;
    llvm::Value* valid = b_.getTrue();
    for (auto& child : expr.children) {
        const LogicalType& from = child->return_type;
        const LogicalType to = ArithmeticOperandType(expr, from);
        Lowered arg = Emit(*child);
        if (!CoerceIsNoop(from, to)) arg = EmitCast(arg, from, to, false);
        valid = And(valid, arg.valid);
        args.push_back(arg);
    }
    const ScalarFunctionId id = expr.function;
    llvm::Value* a = args[0].value;
    llvm::Value* c = args.size() > 1 ? args[1].value : nullptr;

    if (IsIntegerPhysical(physical)) {
        llvm::Type* int_type = a->getType();
        llvm::Value* zero = llvm::ConstantInt::get(int_type, 0);
        llvm::Value* result = nullptr;
        llvm::Value* overflow = b_.getFalse();
        llvm::Value* division_by_zero = b_.getFalse();
        auto with_overflow = [&](llvm::Intrinsic::ID intrinsic, llvm::Value* x, llvm::Value* y) {
            llvm::Value* pair = b_.CreateBinaryIntrinsic(intrinsic, x, y);
            result = b_.CreateExtractValue(pair, 0);
            overflow = b_.CreateExtractValue(pair, 1);
        };
        switch (id) {
        case ScalarFunctionId::Add: with_overflow(llvm::Intrinsic::sadd_with_overflow, a, c); break;
        case ScalarFunctionId::Subtract: with_overflow(llvm::Intrinsic::ssub_with_overflow, a, c); break;
        case ScalarFunctionId::Multiply: with_overflow(llvm::Intrinsic::smul_with_overflow, a, c); break;
        case ScalarFunctionId::Negate: with_overflow(llvm::Intrinsic::ssub_with_overflow, zero, a); break;
        case ScalarFunctionId::Divide:
        case ScalarFunctionId::IntDivide:
        case ScalarFunctionId::Modulo:
        case ScalarFunctionId::Mod: {
            // The divisor is made safe (never 0 or -1) so no row can trap, NULL rows included.
            llvm::Value* is_zero = b_.CreateICmpEQ(c, zero);
            llvm::Value* is_minus_one = b_.CreateICmpEQ(c, llvm::ConstantInt::getSigned(int_type, -1));
            llvm::Value* safe = b_.CreateSelect(b_.CreateOr(is_zero, is_minus_one), llvm::ConstantInt::get(int_type, 1), c);
            division_by_zero = is_zero;
            if (id == ScalarFunctionId::Modulo || id == ScalarFunctionId::Mod) {
                result = b_.CreateSelect(is_minus_one, zero, b_.CreateSRem(a, safe));
            } else {
                llvm::Value* pair = b_.CreateBinaryIntrinsic(llvm::Intrinsic::ssub_with_overflow, zero, a);
                result = b_.CreateSelect(is_minus_one, b_.CreateExtractValue(pair, 0), b_.CreateSDiv(a, safe));
                overflow = b_.CreateAnd(is_minus_one, b_.CreateExtractValue(pair, 1));
            }
            break;
        }
        default: throw NotCompiledYet(std::string("function ") + ir::ScalarFunctionName(id));
        }
        if (type.id == TypeId::TinyInt || type.id == TypeId::SmallInt) {
            int64_t lo, hi;
            IntegerBounds(type.id, lo, hi);
            llvm::Value* out_of_range = b_.CreateOr(b_.CreateICmpSLT(result, llvm::ConstantInt::getSigned(int_type, lo)),
                                                    b_.CreateICmpSGT(result, llvm::ConstantInt::getSigned(int_type, hi)));
            overflow = Or(overflow, out_of_range);
        }
        const bool decimal_limit = IsDecimal(type) && (id == ScalarFunctionId::Add ||
                                                       id == ScalarFunctionId::Subtract ||
                                                       id == ScalarFunctionId::Multiply);
        if (decimal_limit) overflow = Or(overflow, OutsideLimit(result, kDecimalLimit));
        EmitCheck(And(division_by_zero, valid), RtFunction::gz_rt_error_division_by_zero);
        EmitCheck(And(overflow, valid), RtFunction::gz_rt_error_overflow, static_cast<int32_t>(type.id));
        return {result, valid};
    }

    // Doubles (REAL and DOUBLE share the representation).
    llvm::Value* zero = llvm::ConstantFP::get(a->getType(), 0.0);
    llvm::Value* result = nullptr;
    llvm::Value* division_by_zero = b_.getFalse();
    llvm::Value* overflow = b_.getFalse();
    llvm::Value* underflow = b_.getFalse();
    auto finite_gave_inf = [&](llvm::Value* r) { return And(IsInf(r), And(Not(IsInf(a)), Not(IsInf(c)))); };
    switch (id) {
    case ScalarFunctionId::Add:
        result = b_.CreateFAdd(a, c);
        overflow = finite_gave_inf(result);
        break;
    case ScalarFunctionId::Subtract:
        result = b_.CreateFSub(a, c);
        overflow = finite_gave_inf(result);
        break;
    case ScalarFunctionId::Multiply:
        result = b_.CreateFMul(a, c);
        overflow = finite_gave_inf(result);
        underflow = And(b_.CreateFCmpOEQ(result, zero), And(b_.CreateFCmpUNE(a, zero), b_.CreateFCmpUNE(c, zero)));
        break;
    case ScalarFunctionId::Divide:
    case ScalarFunctionId::IntDivide: {
        division_by_zero = And(b_.CreateFCmpOEQ(c, zero), Not(IsNan(a)));
        llvm::Value* quotient = b_.CreateFDiv(a, c);
        overflow = And(IsInf(quotient), Not(IsInf(a)));
        if (id == ScalarFunctionId::Divide) {
            result = quotient;
            underflow = And(b_.CreateFCmpOEQ(quotient, zero), And(b_.CreateFCmpUNE(a, zero), Not(IsInf(c))));
        } else {
            result = b_.CreateUnaryIntrinsic(llvm::Intrinsic::trunc, quotient);  // underflow is not an error here
        }
        break;
    }
    case ScalarFunctionId::Modulo:
    case ScalarFunctionId::Mod:
        division_by_zero = And(b_.CreateFCmpOEQ(c, zero), Not(IsNan(a)));
        result = b_.CreateFRem(a, c);
        break;
    case ScalarFunctionId::Negate: result = b_.CreateFNeg(a); break;
    default: throw NotCompiledYet(std::string("function ") + ir::ScalarFunctionName(id));
    }
    EmitCheck(And(division_by_zero, valid), RtFunction::gz_rt_error_division_by_zero);
    EmitCheck(And(overflow, valid), RtFunction::gz_rt_error_float_overflow);
    EmitCheck(And(underflow, valid), RtFunction::gz_rt_error_float_underflow);
    return {result, valid};
}

llvm::Value* ExprEmitter::OutsideLimit(llvm::Value* v, int64_t limit) {
    return Or(b_.CreateICmpSGE(v, b_.getInt64(static_cast<uint64_t>(limit))),
              b_.CreateICmpSLE(v, b_.getInt64(static_cast<uint64_t>(-limit))));
}

llvm::Value* ExprEmitter::ScaleUp(llvm::Value* v, int digits, llvm::Value*& overflow) {
    if (digits == 0) return v;
    GZ_CHECK(digits > 0 && digits <= kMaxDecimalWidth, "a decimal scale outside 0..18");
    llvm::Value* pair = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smul_with_overflow, v,
                                                 b_.getInt64(static_cast<uint64_t>(kPowersOfTen[digits])));
    overflow = Or(overflow, b_.CreateExtractValue(pair, 1));
    return b_.CreateExtractValue(pair, 0);
}

// kernels::DivideRoundHalfAway on an int64 (digits <= 18: the power fits too).
llvm::Value* ExprEmitter::ScaleDownRounded(llvm::Value* v, int digits) {
    if (digits == 0) return v;
    GZ_CHECK(digits > 0 && digits <= kMaxDecimalWidth, "a decimal scale outside 0..18");
    const int64_t power = kPowersOfTen[digits];
    llvm::Value* quotient = b_.CreateSDiv(v, b_.getInt64(static_cast<uint64_t>(power)));
    llvm::Value* remainder = b_.CreateSRem(v, b_.getInt64(static_cast<uint64_t>(power)));
    llvm::Value* negative = b_.CreateICmpSLT(v, b_.getInt64(0));
    llvm::Value* magnitude = b_.CreateSelect(negative, b_.CreateNeg(remainder), remainder);
    // remainder * 2 >= power; every power of ten above 1 is even.
    llvm::Value* round_away = b_.CreateICmpSGE(magnitude, b_.getInt64(static_cast<uint64_t>(power / 2)));
    llvm::Value* step = b_.CreateSelect(negative, b_.getInt64(~uint64_t{0}), b_.getInt64(1));
    return b_.CreateAdd(quotient, b_.CreateSelect(round_away, step, b_.getInt64(0)));
}

// runtime/functions/cast.cpp: integers range-checked against the target type;
// DOUBLE -> integer rounds half away from zero, NaN and out-of-range fail;
// numbers -> BOOLEAN is "<> 0"; decimals are rescaled and rounded to integers
// half away from zero, and checked against the target's digits (10^width).
// TRY_CAST turns a failing row into NULL.
Lowered ExprEmitter::EmitCast(Lowered input, const LogicalType& from, const LogicalType& to, bool try_cast) {
    if (IsBinaryCompatible(from, to)) return input;
    if (!CastCompiles(from, to)) throw NotCompiledYet("a cast from " + from.ToString() + " to " + to.ToString());
    const PhysicalType from_physical = from.Physical(), to_physical = to.Physical();
    llvm::Type* to_type = RegisterType(context_, to_physical);
    llvm::Value* v = input.value;
    llvm::Value* result = nullptr;
    llvm::Value* failed = b_.getFalse();
    if (to_physical == PhysicalType::Bool) {
        result = from_physical == PhysicalType::Double ? b_.CreateFCmpUNE(v, llvm::ConstantFP::get(v->getType(), 0.0))
                                                       : b_.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
    } else if (IsDecimal(to) && from_physical == PhysicalType::Bool) {
        const int64_t one = kPowersOfTen[to.scale];
        result = b_.CreateSelect(v, b_.getInt64(static_cast<uint64_t>(one)), b_.getInt64(0));
        if (one >= DecimalBound(to)) failed = v;
    } else if (IsDecimal(to)) {
        // Integers enter at scale 0.
        const int from_scale = IsDecimal(from) ? from.scale : 0;
        llvm::Value* wide = b_.CreateSExt(v, b_.getInt64Ty());
        llvm::Value* overflow = b_.getFalse();
        result = to.scale >= from_scale ? ScaleUp(wide, to.scale - from_scale, overflow)
                                        : ScaleDownRounded(wide, from_scale - to.scale);
        if (CastCanFail(from, to)) failed = Or(overflow, OutsideLimit(result, DecimalBound(to)));
    } else if (IsDecimal(from) && to_physical == PhysicalType::Double) {
        result = b_.CreateFDiv(b_.CreateSIToFP(v, to_type),
                               llvm::ConstantFP::get(to_type, static_cast<double>(kPowersOfTen[from.scale])));
    } else if (IsDecimal(from)) {
        int64_t lo, hi;
        IntegerBounds(to.id, lo, hi);
        llvm::Value* rounded = ScaleDownRounded(v, from.scale);
        if (CastCanFail(from, to))
            failed = Or(b_.CreateICmpSLT(rounded, b_.getInt64(static_cast<uint64_t>(lo))),
                        b_.CreateICmpSGT(rounded, b_.getInt64(static_cast<uint64_t>(hi))));
        result = b_.CreateSExtOrTrunc(rounded, to_type);
    } else if (from_physical == PhysicalType::Bool) {
        result = to_physical == PhysicalType::Double ? b_.CreateUIToFP(v, to_type) : b_.CreateZExt(v, to_type);
    } else if (to_physical == PhysicalType::Double) {
        result = from_physical == PhysicalType::Double ? v : b_.CreateSIToFP(v, to_type);
    } else {
        int64_t lo, hi;
        IntegerBounds(to.id, lo, hi);
        if (from_physical == PhysicalType::Double) {
            // hi + 1 is exact as a double for every integer type.
            llvm::Value* rounded = b_.CreateUnaryIntrinsic(llvm::Intrinsic::round, v);
            llvm::Value* in_range =
                And(b_.CreateFCmpOGE(rounded, llvm::ConstantFP::get(v->getType(), static_cast<double>(lo))),
                    b_.CreateFCmpOLT(rounded, llvm::ConstantFP::get(v->getType(), static_cast<double>(hi) + 1.0)));
            llvm::Value* safe = b_.CreateSelect(in_range, rounded, llvm::ConstantFP::get(v->getType(), 0.0));
            result = b_.CreateFPToSI(safe, to_type);
            failed = Not(in_range);
        } else {
            if (CastCanFail(from, to)) {
                llvm::Value* wide = b_.CreateSExt(v, b_.getInt64Ty());
                failed = Or(b_.CreateICmpSLT(wide, b_.getInt64(static_cast<uint64_t>(lo))),
                            b_.CreateICmpSGT(wide, b_.getInt64(static_cast<uint64_t>(hi))));
            }
            result = b_.CreateSExtOrTrunc(v, to_type);
        }
    }
    if (try_cast) return {result, And(input.valid, Not(failed))};
    EmitCheck(And(failed, input.valid), RtFunction::gz_rt_error_overflow, static_cast<int32_t>(to.id));
    return {result, input.valid};
}

// ---- the expression compiler ------------------------------------------------

void CompiledExpression::Run(const MorselInput& input, const GzParamSlot* params, void* out_values,
                             uint8_t* out_valid) const {
    GZ_CHECK(input.validity != nullptr || input.row_count == 0, "the validity array must not be null");
    GzExecStatus status{};
    const int32_t rc = Entry()(input.columns, input.validity, input.row_count, params, out_values, out_valid, &status);
    ThrowIfFailed(rc, status);
}

CompiledExpression CompileExpression(const Expr& expr, const CompileOptions& options) {
    if (std::string reason = WhyNotCompilable(expr); !reason.empty()) throw NotCompiledYet(reason);
    // Its output is fixed-width values, and it has no RowCalls to hand row calls.
    if (IsByAddress(expr.return_type.Physical()))
        throw NotCompiledYet("a " + expr.return_type.ToString() + "-valued expression alone");
    if (NeedsRowCalls(expr))
        throw NotCompiledYet("a call of the interpreter's " + expr.ToString() + " alone");
    const auto start = std::chrono::steady_clock::now();
    auto context = std::make_unique<llvm::LLVMContext>();
    auto module = std::make_unique<llvm::Module>("grizzly_expression", *context);
    const std::string name = Jit::UniqueName("gz_expr");
    llvm::IRBuilder<> b(*context);
    llvm::Type* ptr = b.getPtrTy();
    auto* signature = llvm::FunctionType::get(b.getInt32Ty(), {ptr, ptr, b.getInt64Ty(), ptr, ptr, ptr, ptr}, false);
    llvm::Function* function = llvm::Function::Create(signature, llvm::Function::ExternalLinkage, name, *module);
    function->setDoesNotThrow();
    MorselArgs args;
    auto arg = function->arg_begin();
    args.columns = &*arg++;
    args.validity = &*arg++;
    args.row_count = &*arg++;
    args.params = &*arg++;
    llvm::Value* out_values = &*arg++;
    llvm::Value* out_valid = &*arg++;
    args.status = &*arg++;
    for (llvm::Argument& a : function->args())
        if (a.getType()->isPointerTy()) a.addAttr(llvm::Attribute::NoUndef);

    // prologue -> (rows?) -> dense or checked loop -> done
    llvm::BasicBlock* prologue = llvm::BasicBlock::Create(*context, "prologue", function);
    llvm::BasicBlock* dispatch = llvm::BasicBlock::Create(*context, "dispatch", function);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(*context, "done", function);
    b.SetInsertPoint(prologue);
    b.CreateBr(dispatch);
    ParamLayout layout({&expr});
    ExprEmitter emitter(b, prologue, args, layout);
    llvm::Value* all_valid = emitter.PrepareColumns({&expr});

    b.SetInsertPoint(dispatch);
    llvm::BasicBlock* dense = llvm::BasicBlock::Create(*context, "dense.loop", function);
    llvm::BasicBlock* general = llvm::BasicBlock::Create(*context, "loop", function);
    llvm::BasicBlock* nonempty = llvm::BasicBlock::Create(*context, "nonempty", function);
    b.CreateCondBr(b.CreateICmpEQ(args.row_count, b.getInt64(0)), done, nonempty);
    b.SetInsertPoint(nonempty);
    b.CreateCondBr(all_valid, dense, general);

    const PhysicalType physical = expr.return_type.Physical();
    llvm::Type* store_type = physical == PhysicalType::Bool ? b.getInt8Ty() : RegisterType(*context, physical);
    for (bool read_validity : {false, true}) {
        llvm::BasicBlock* header = read_validity ? general : dense;
        b.SetInsertPoint(header);
        llvm::PHINode* row = b.CreatePHI(b.getInt64Ty(), 2, "row");
        row->addIncoming(b.getInt64(0), nonempty);
        emitter.SetRow(row, read_validity);
        Lowered result = emitter.Emit(expr);
        llvm::Value* value = physical == PhysicalType::Bool ? b.CreateZExt(result.value, b.getInt8Ty()) : result.value;
        value = b.CreateSelect(result.valid, value, llvm::Constant::getNullValue(store_type));
        b.CreateStore(value, b.CreateInBoundsGEP(store_type, out_values, row));
        b.CreateStore(b.CreateZExt(result.valid, b.getInt8Ty()), b.CreateInBoundsGEP(b.getInt8Ty(), out_valid, row));
        llvm::Value* next = b.CreateAdd(row, b.getInt64(1), "row.next", /*HasNUW=*/true);
        row->addIncoming(next, b.GetInsertBlock());
        b.CreateCondBr(b.CreateICmpULT(next, args.row_count), header, done);
    }
    b.SetInsertPoint(done);
    b.CreateRet(b.getInt32(0));

    const double emit_ms = MillisSince(start);
    CompiledCodePtr code = CompileModule(std::move(context), std::move(module), name, options, emit_ms);
    return CompiledExpression(std::move(code), expr.return_type);
}

}  // namespace grizzly::codegen
