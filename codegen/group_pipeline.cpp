/// The filter → GROUP BY pipeline compiler (see group_pipeline.hpp for the
/// generated function's contract and the group row layout).
#include "codegen/group_pipeline.hpp"

#include "codegen/pipeline_function.hpp"
#include "common/datetime.hpp"

#include <llvm/IR/Intrinsics.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <tuple>

namespace grizzly::codegen {

using ir::AggregateKind;
using ir::Expr;

namespace {

constexpr uint64_t kStringBytes = sizeof(StringRef);
constexpr uint64_t kStateBytes = 16;  // count, then value

bool IsString(const Expr& expr) {
    return expr.return_type.Physical() == PhysicalType::String;
}

/// VARCHAR and INTERVAL: 16-byte values, in two words of a group row.
bool IsWide(const Expr& expr) {
    return IsString(expr) || expr.return_type.Physical() == PhysicalType::Interval;
}

/// A VARCHAR value the run may not keep: one computed per row rather than a
/// column the scan's or the source's heaps keep alive.
bool IsComputedString(const Expr& expr) {
    return IsString(expr) && !IsGathered(expr);
}

}  // namespace

std::string WhyNotKey(const Expr& key) {
    return WhyNotCompilable(key);
}

namespace {

void Validate(const GroupAggregateSpec& spec) {
    for (const Expr* filter : spec.filters)
        if (std::string reason = WhyNotCompilable(*filter); !reason.empty()) throw NotCompiledYet(reason);
    for (const JoinProbeSpec& join : spec.joins) {
        for (const Expr* key : join.probe_keys)
            if (std::string reason = WhyNotKey(*key); !reason.empty()) throw NotCompiledYet(reason);
        if (join.condition)
            if (std::string reason = WhyNotCompilable(*join.condition); !reason.empty()) throw NotCompiledYet(reason);
        for (const Expr* filter : join.filters)
            if (std::string reason = WhyNotCompilable(*filter); !reason.empty()) throw NotCompiledYet(reason);
    }
    if (spec.emits_rows) {
        for (const Expr* output : spec.outputs) {
            if (IsGathered(*output)) continue;
            if (std::string reason = WhyNotCompilable(*output); !reason.empty()) throw NotCompiledYet(reason);
        }
        return;
    }
    if (spec.keys.size() > 64) throw NotCompiledYet("a GROUP BY of more than 64 keys");
    for (const Expr* key : spec.keys)
        if (std::string reason = WhyNotKey(*key); !reason.empty()) throw NotCompiledYet(reason);
    for (const AggregateSpec& aggregate : spec.aggregates) {
        if (aggregate.filter)
            if (std::string reason = WhyNotCompilable(*aggregate.filter); !reason.empty())
                throw NotCompiledYet(reason);
        if (aggregate.kind == AggregateKind::CountStar) continue;
        const Expr& argument = *aggregate.argument;
        if (std::string reason = WhyNotCompilable(argument); !reason.empty()) throw NotCompiledYet(reason);
        const PhysicalType physical = argument.return_type.Physical();
        switch (aggregate.kind) {
        case AggregateKind::Count: break;
        case AggregateKind::Sum:
        case AggregateKind::Avg:
            if (physical != PhysicalType::Int32 && physical != PhysicalType::Int64 && physical != PhysicalType::Double)
                throw NotCompiledYet(std::string(ir::AggregateName(aggregate.kind)) + "(" +
                                     argument.return_type.ToString() + ")");
            break;
        case AggregateKind::Min:
        case AggregateKind::Max:
        case AggregateKind::First:
            break;
        case AggregateKind::StringAgg:
            if (physical != PhysicalType::String || !aggregate.separator)
                throw NotCompiledYet(std::string(ir::AggregateName(aggregate.kind)) + "(" +
                                     argument.return_type.ToString() + ")");
            if (std::string reason = WhyNotCompilable(*aggregate.separator); !reason.empty())
                throw NotCompiledYet(reason);
            break;
        case AggregateKind::BoolAnd:
        case AggregateKind::BoolOr:
            if (physical != PhysicalType::Bool)
                throw NotCompiledYet(std::string(ir::AggregateName(aggregate.kind)) + "(" +
                                     argument.return_type.ToString() + ")");
            break;
        default: throw NotCompiledYet(std::string("aggregate ") + ir::AggregateName(aggregate.kind));
        }
    }
}

/// One integer key (of any width, BOOLEAN and DATE included): rows look their
/// group up in the table's direct window before hashing.
bool HasDirectKey(const GroupAggregateSpec& spec) {
    if (spec.emits_rows || spec.keys.size() != 1) return false;
    const PhysicalType physical = spec.keys[0]->return_type.Physical();
    return physical == PhysicalType::Bool || physical == PhysicalType::Int32 || physical == PhysicalType::Int64;
}

/// A key as the row stores it: one or two 64-bit words (two for VARCHAR).
struct KeyWords {
    llvm::Value* low = nullptr;
    llvm::Value* high = nullptr;      ///< VARCHAR only: the inlined bytes or the pointer
    llvm::Value* address = nullptr;   ///< VARCHAR only: the row's StringRef in the column
    llvm::Value* is_long = nullptr;   ///< VARCHAR only: i1, not inlined (compared through a helper)
};

class GroupEmitter {
public:
    GroupEmitter(const GroupAggregateSpec& spec, PipelineFunction& f)
        : spec_(spec), layout_(spec), f_(f), b_(f.b), e_(*f.emitter), direct_key_(HasDirectKey(spec)) {}

    void EmitMode(llvm::BasicBlock* entry, bool read_validity);

private:
    /// A probed join's table fields, loaded at the start of a mode.
    struct JoinView {
        llvm::Value* heads = nullptr;
        llvm::Value* entries = nullptr;
        llvm::Value* int_keys = nullptr;
        llvm::Value* mask = nullptr;
        llvm::Value* min_key = nullptr;
        llvm::Value* bucket_count = nullptr;
        llvm::Value* direct = nullptr;  ///< i1
        llvm::Value* key_columns = nullptr;
        llvm::Value* key_validity = nullptr;
        llvm::Value* matched = nullptr;  ///< RIGHT and FULL
        llvm::Value* row_count = nullptr;  ///< i64, a nested-loop join's build rows
        size_t range = 0;                ///< HasBuildRange: the emitter's build range
    };
    struct Bucket {
        llvm::Value* key = nullptr;        ///< i64
        llvm::Value* hash = nullptr;       ///< i64, the interpreter's MixBits(key)
        llvm::Value* bucket = nullptr;     ///< i64, always a valid index into heads
        llvm::Value* has_chain = nullptr;  ///< i1: non-NULL key, in range in direct mode
    };
    Bucket EmitBucket(const JoinView& view, Lowered key);
    llvm::Value* MixBits(llvm::Value* x);
    /// The interpreter's hash of one non-NULL key value (runtime/vector_ops.cpp, HashValue).
    llvm::Value* EmitKeyHash(Lowered key, PhysicalType type);
    /// i1: build row `build_row`'s keys equal the probe's `keys` (the general form).
    llvm::Value* EmitBuildKeysEqual(const JoinProbeSpec& join, const JoinView& view, llvm::Value* build_row,
                                    const std::vector<Lowered>& keys);
    /// i1: two VARCHARs (pointers to StringRefs) hold the same bytes.
    llvm::Value* EmitStringsEqual(llvm::Value* a, llvm::Value* b);
    /// The first entry of a probe key's chain (i32, 0 = none), and its hash.
    std::pair<llvm::Value*, llvm::Value*> EmitGeneralBucket(const JoinProbeSpec& join, const JoinView& view,
                                                            std::vector<Lowered>& keys);
    /// The chain entry at `build_row` of a hash join: branches to `key_match` when its
    /// keys equal the probe's, else to `next_entry`; returns the next entry (i32).
    llvm::Value* EmitChainStep(const JoinProbeSpec& join, const JoinView& view, llvm::Value* build_row,
                               llvm::Value* hash, llvm::Value* key64, const std::vector<Lowered>& keys,
                               const std::string& name, llvm::BasicBlock* key_match, llvm::BasicBlock* next_entry);
    /// Joins from `join_idx` on, then the group update; every path ends at `done`.
    void EmitStage(size_t join_idx, llvm::BasicBlock* done, bool cache_table);
    /// Keys, hash, probe or new group, aggregate update; then to `done`.
    void EmitGroupUpdate(llvm::BasicBlock* done, bool cache_table);
    /// The row terminal: appends the row to the GzOutputBuffer, flushing it when full; then to `done`.
    void EmitAppend(llvm::BasicBlock* done);
    llvm::Value* At(llvm::Value* row_ptr, uint64_t offset) {
        return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), row_ptr, offset);
    }
    llvm::Value* Load64(llvm::Value* row_ptr, uint64_t offset) { return b_.CreateLoad(b_.getInt64Ty(), At(row_ptr, offset)); }
    llvm::BasicBlock* Block(const std::string& name) {
        return llvm::BasicBlock::Create(b_.getContext(), prefix_ + name, f_.function);
    }
    /// `value`, or — when `condition` holds — what `slow` emits (a helper call)
    /// in a block of its own, named `name`: the rare path of a string key.
    llvm::Value* SlowPathIf(llvm::Value* condition, llvm::Value* value, const std::string& name,
                            const std::function<llvm::Value*()>& slow) {
        llvm::BasicBlock* from = b_.GetInsertBlock();
        llvm::BasicBlock* slow_block = Block(name);
        llvm::BasicBlock* merge = Block(name + ".merge");
        b_.CreateCondBr(condition, slow_block, merge);
        b_.SetInsertPoint(slow_block);
        llvm::Value* slow_value = slow();
        llvm::BasicBlock* slow_end = b_.GetInsertBlock();
        b_.CreateBr(merge);
        b_.SetInsertPoint(merge);
        llvm::PHINode* phi = b_.CreatePHI(value->getType(), 2);
        phi->addIncoming(value, from);
        phi->addIncoming(slow_value, slow_end);
        return phi;
    }
    llvm::Value* CallHelper(RtFunction helper, std::vector<llvm::Value*> args) {
        return b_.CreateCall(DeclareRuntimeFunction(*f_.function->getParent(), helper), args);
    }
    /// The table's arrays (and its direct window, for one integer key), held in
    /// registers across rows; they change only when a new group is added.
    struct TableView {
        llvm::Value* slots = nullptr;
        llvm::Value* mask = nullptr;
        llvm::Value* rows = nullptr;
        llvm::Value* direct = nullptr;  ///< null without a direct window
        llvm::Value* direct_base = nullptr;
        llvm::Value* direct_size = nullptr;
        std::vector<llvm::Value**> Fields() {
            std::vector<llvm::Value**> fields{&slots, &mask, &rows};
            if (direct) fields.insert(fields.end(), {&direct, &direct_base, &direct_size});
            return fields;
        }
    };
    TableView LoadTable() {
        TableView view;
        view.slots = b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, slots)));
        view.mask = b_.CreateLoad(b_.getInt64Ty(), At(f_.state, offsetof(GzGroupTable, mask)));
        view.rows = b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, rows)));
        if (direct_key_) {
            view.direct = b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, direct)));
            view.direct_base = b_.CreateLoad(b_.getInt64Ty(), At(f_.state, offsetof(GzGroupTable, direct_base)));
            view.direct_size = b_.CreateLoad(b_.getInt64Ty(), At(f_.state, offsetof(GzGroupTable, direct_size)));
        }
        return view;
    }
    /// Phis in the current block (at its start) merging each view from its block.
    TableView MergeTables(std::vector<std::pair<TableView, llvm::BasicBlock*>> incoming) {
        TableView merged = incoming[0].first;
        std::vector<llvm::Value**> fields = merged.Fields();
        for (size_t field = 0; field < fields.size(); ++field) {
            llvm::PHINode* phi = b_.CreatePHI((*fields[field])->getType(), static_cast<unsigned>(incoming.size()));
            for (auto& [view, from] : incoming) phi->addIncoming(*view.Fields()[field], from);
            *fields[field] = phi;
        }
        return merged;
    }

    /// The keys at the current row, NULL keys as zero words, and the mask of NULL keys.
    std::vector<KeyWords> EmitKeys(llvm::Value*& null_mask);
    llvm::Value* Mix(llvm::Value* hash, llvm::Value* word);
    llvm::Value* EmitHash(const std::vector<KeyWords>& keys, llvm::Value* null_mask);
    /// i1: the group row at `row_ptr` holds these keys (may call the string helper).
    llvm::Value* EmitKeysEqual(llvm::Value* row_ptr, const std::vector<KeyWords>& keys, llvm::Value* null_mask);
    void EmitUpdate(llvm::Value* row_ptr);
    void EmitAggregateUpdate(size_t agg_idx, llvm::Value* row_ptr);
    /// i1: a DISTINCT aggregate's argument is not NULL and new in the row's group.
    llvm::Value* EmitFirstInGroup(size_t agg_idx, llvm::Value* row_ptr);
    /// A fixed-width key or distinct value as one 64-bit word, as the interpreter's grouping compares it.
    llvm::Value* KeyWord(llvm::Value* value);
    /// MIN, MAX or FIRST of VARCHAR or INTERVAL.
    void EmitWideExtreme(AggregateKind kind, bool is_string, const Lowered& arg, llvm::Value* count,
                         llvm::Value* value_ptr);
    /// STRING_AGG: the value (and the separator before it) appended to the group's text in the run's RowCalls.
    void EmitStringAgg(size_t agg_idx, const Lowered& arg, llvm::Value* row_ptr);
    /// i64: the group's number, from its row (the rows' array may have moved).
    llvm::Value* GroupNumber(llvm::Value* row_ptr);

    const GroupAggregateSpec& spec_;
    GroupRowLayout layout_;
    PipelineFunction& f_;
    llvm::IRBuilder<>& b_;
    ExprEmitter& e_;
    const bool direct_key_;
    std::string prefix_;
    std::vector<JoinView> joins_;
    /// Per build range: the build row (i64; 0xFFFFFFFF for a NULL-extended row) the
    /// row terminal records, when the join's output has the build columns.
    std::vector<llvm::Value*> build_rows_;
    TableView cached_{};        ///< the table arrays in registers (no joins)
    TableView after_group_{};   ///< ... after the group update
    llvm::BasicBlock* updated_ = nullptr;
};

std::vector<KeyWords> GroupEmitter::EmitKeys(llvm::Value*& null_mask) {
    null_mask = b_.getInt64(0);
    std::vector<KeyWords> keys;
    for (size_t key_idx = 0; key_idx < spec_.keys.size(); ++key_idx) {
        const Expr& key = *spec_.keys[key_idx];
        KeyWords words;
        llvm::Value* valid;
        if (IsWide(key)) {
            Lowered at = e_.Emit(key);
            valid = at.valid;
            words.address = at.value;
            words.low = b_.CreateSelect(valid, Load64(at.value, 0), b_.getInt64(0));
            words.high = b_.CreateSelect(valid, Load64(at.value, 8), b_.getInt64(0));
            // An INTERVAL groups by its fields, as the interpreter's RowsEqual compares them: its words.
            llvm::Value* length = b_.CreateTrunc(words.low, b_.getInt32Ty());
            words.is_long =
                IsString(key) ? b_.CreateICmpUGT(length, b_.getInt32(StringRef::kInlineLength)) : b_.getFalse();
        } else {
            Lowered value = e_.Emit(key);
            valid = value.valid;
            words.low = b_.CreateSelect(valid, KeyWord(value.value), b_.getInt64(0));
        }
        llvm::Value* null_bit = b_.CreateShl(b_.CreateZExt(e_.Not(valid), b_.getInt64Ty()), key_idx);
        null_mask = b_.CreateOr(null_mask, null_bit);
        keys.push_back(words);
    }
    return keys;
}

llvm::Value* GroupEmitter::KeyWord(llvm::Value* word) {
    if (word->getType()->isDoubleTy()) {
        // The interpreter's grouping treats -0.0 as 0.0 and every NaN as one value.
        llvm::Value* zero = llvm::ConstantFP::get(b_.getDoubleTy(), 0.0);
        word = b_.CreateSelect(b_.CreateFCmpOEQ(word, zero), zero, word);
        word = b_.CreateSelect(b_.CreateFCmpUNO(word, word), llvm::ConstantFP::getNaN(b_.getDoubleTy()), word);
        return b_.CreateBitCast(word, b_.getInt64Ty());
    }
    if (word->getType()->isIntegerTy(1))
        return b_.CreateZExt(word, b_.getInt64Ty());
    return b_.CreateSExtOrTrunc(word, b_.getInt64Ty());
}

// One multiply per word: the hash sits on every probe's critical path.
llvm::Value* GroupEmitter::Mix(llvm::Value* hash, llvm::Value* word) {
    return b_.CreateMul(b_.CreateXor(hash, word), b_.getInt64(0x9E3779B97F4A7C15ULL));
}

llvm::Value* GroupEmitter::EmitHash(const std::vector<KeyWords>& keys, llvm::Value* null_mask) {
    llvm::Value* hash = Mix(b_.getInt64(0x243F6A8885A308D3ULL), null_mask);
    for (const KeyWords& key : keys) {
        if (!key.high) {
            hash = Mix(hash, key.low);
            continue;
        }
        // Inlined strings hash their two words; longer ones their bytes (the words hold a pointer).
        llvm::Value* high = SlowPathIf(key.is_long, key.high, "hash.long",
                                       [&] { return CallHelper(RtFunction::gz_rt_string_hash, {key.address}); });
        hash = Mix(Mix(hash, key.low), high);
    }
    // A multiply carries entropy upwards only: fold the high half into the low
    // bits the slot index takes (the tag takes the high half as it is).
    return b_.CreateXor(hash, b_.CreateLShr(hash, 32));
}

llvm::Value* GroupEmitter::EmitKeysEqual(llvm::Value* row_ptr, const std::vector<KeyWords>& keys,
                                         llvm::Value* null_mask) {
    llvm::Value* equal = b_.CreateICmpEQ(Load64(row_ptr, GroupRowLayout::kNullMaskOffset), null_mask);
    for (size_t key_idx = 0; key_idx < keys.size(); ++key_idx) {
        const uint32_t offset = layout_.key_offsets[key_idx];
        equal = e_.And(equal, b_.CreateICmpEQ(Load64(row_ptr, offset), keys[key_idx].low));
        if (!keys[key_idx].high) continue;
        // Same length and prefix: equal inlined words, or (long strings) equal bytes.
        llvm::Value* same_words = b_.CreateICmpEQ(Load64(row_ptr, offset + 8), keys[key_idx].high);
        llvm::Value* ask = e_.And(equal, e_.And(e_.Not(same_words), keys[key_idx].is_long));
        equal = SlowPathIf(ask, e_.And(equal, same_words), "key.bytes", [&] {
            return b_.CreateICmpNE(
                CallHelper(RtFunction::gz_rt_string_equal, {At(row_ptr, offset), keys[key_idx].address}), b_.getInt32(0));
        });
    }
    return equal;
}

void GroupEmitter::EmitUpdate(llvm::Value* row_ptr) {
    for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx) {
        const AggregateSpec& aggregate = spec_.aggregates[agg_idx];
        if (!aggregate.filter && !aggregate.distinct) {
            EmitAggregateUpdate(agg_idx, row_ptr);
            continue;
        }
        llvm::BasicBlock* update = Block("agg.update");
        llvm::BasicBlock* next = Block("agg.next");
        if (aggregate.filter) {
            // FILTER (WHERE ...): the aggregate sees only the rows it holds TRUE for.
            llvm::BasicBlock* filtered = Block("agg.filtered");
            b_.CreateCondBr(e_.EmitConjunct(b_.getTrue(), *aggregate.filter), filtered, next);
            b_.SetInsertPoint(filtered);
        }
        if (aggregate.distinct)
            b_.CreateCondBr(EmitFirstInGroup(agg_idx, row_ptr), update, next);
        else
            b_.CreateBr(update);
        b_.SetInsertPoint(update);
        EmitAggregateUpdate(agg_idx, row_ptr);
        b_.CreateBr(next);
        b_.SetInsertPoint(next);
    }
}

llvm::Value* GroupEmitter::GroupNumber(llvm::Value* row_ptr) {
    llvm::Value* rows = b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, rows)));
    return b_.CreateExactUDiv(b_.CreatePtrDiff(b_.getInt8Ty(), row_ptr, rows), b_.getInt64(layout_.width));
}

// The interpreter's STRING_AGG: a non-NULL value is appended, after the row's
// separator (when it is not NULL) unless it is the group's first.
void GroupEmitter::EmitStringAgg(size_t agg_idx, const Lowered& arg, llvm::Value* row_ptr) {
    llvm::BasicBlock* append = Block("string_agg.append");
    llvm::BasicBlock* done = Block("string_agg.done");
    b_.CreateCondBr(arg.valid, append, done);
    b_.SetInsertPoint(append);
    const Lowered separator = e_.Emit(*spec_.aggregates[agg_idx].separator);
    llvm::Value* calls = b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, calls)));
    llvm::Value* rc = CallHelper(
        RtFunction::gz_rt_string_agg,
        {f_.args.status, calls, b_.getInt32(static_cast<uint32_t>(agg_idx)), GroupNumber(row_ptr), e_.StringOrNull(arg),
         b_.CreateSelect(separator.valid, separator.value, llvm::ConstantPointerNull::get(b_.getPtrTy()))});
    e_.ReturnErrorIf(b_.CreateICmpNE(rc, b_.getInt32(0)), "string_agg");
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
}

// As the interpreter's `seen` table of (group, value) pairs: a DISTINCT
// aggregate is updated at a value's first non-NULL occurrence in its group.
llvm::Value* GroupEmitter::EmitFirstInGroup(size_t agg_idx, llvm::Value* row_ptr) {
    const Lowered value = e_.Emit(*spec_.aggregates[agg_idx].argument);
    llvm::Value* group = GroupNumber(row_ptr);
    const bool is_string = value.value->getType()->isPointerTy();
    llvm::Value* address;
    if (is_string) {
        address = e_.StringOrNull(value);
    } else {
        address = e_.EntryAlloca(b_.getInt64Ty(), 8, "distinct.value");
        b_.CreateStore(KeyWord(value.value), address);
    }
    llvm::Value* calls = b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, calls)));
    llvm::BasicBlock* ask = Block("distinct.ask");
    llvm::BasicBlock* answered = Block("distinct.answered");
    llvm::BasicBlock* from = b_.GetInsertBlock();
    b_.CreateCondBr(value.valid, ask, answered);
    b_.SetInsertPoint(ask);
    llvm::Value* rc = CallHelper(RtFunction::gz_rt_distinct_first,
                                 {f_.args.status, calls, b_.getInt32(static_cast<uint32_t>(agg_idx)), group, address,
                                  b_.getInt32(is_string ? 1 : 0)});
    e_.ReturnErrorIf(b_.CreateICmpSLT(rc, b_.getInt32(0)), "distinct");
    llvm::Value* first = b_.CreateICmpEQ(rc, b_.getInt32(1));
    llvm::BasicBlock* asked = b_.GetInsertBlock();
    b_.CreateBr(answered);
    b_.SetInsertPoint(answered);
    llvm::PHINode* result = b_.CreatePHI(b_.getInt1Ty(), 2);
    result->addIncoming(b_.getFalse(), from);
    result->addIncoming(first, asked);
    return result;
}

// The interpreter's UpdateMinMax over StringRefs (byte-wise order) and
// Intervals (their normalized span), and its FIRST (the first non-NULL value);
// a new string's bytes move to the run's heap, since the group outlives the row.
void GroupEmitter::EmitWideExtreme(AggregateKind kind, bool is_string, const Lowered& arg, llvm::Value* count,
                                   llvm::Value* value_ptr) {
    llvm::Value* better = b_.getFalse(); // FIRST: only the first value
    if (kind != AggregateKind::First) {
        llvm::Value* order =
            CallHelper(is_string ? RtFunction::gz_rt_string_compare : RtFunction::gz_rt_interval_compare,
                       {e_.StringOrNull(arg), value_ptr});
        better = kind == AggregateKind::Min ? b_.CreateICmpSLT(order, b_.getInt32(0))
                                            : b_.CreateICmpSGT(order, b_.getInt32(0));
    }
    llvm::Value* replace = e_.And(arg.valid, e_.Or(b_.CreateICmpEQ(count, b_.getInt64(0)), better));
    llvm::BasicBlock* store = Block("minmax.store");
    llvm::BasicBlock* keep = Block("minmax.keep");
    llvm::BasicBlock* failed = Block("minmax.failed");
    llvm::BasicBlock* done = Block("minmax.done");
    b_.CreateCondBr(replace, store, done);
    b_.SetInsertPoint(store);
    b_.CreateMemCpy(value_ptr, llvm::Align(8), arg.value, llvm::Align(8), kStringBytes);
    llvm::Value* length = b_.CreateLoad(b_.getInt32Ty(), value_ptr);
    llvm::Value* is_long = is_string ? b_.CreateICmpUGT(length, b_.getInt32(StringRef::kInlineLength)) : b_.getFalse();
    b_.CreateCondBr(is_long, keep, done);
    b_.SetInsertPoint(keep);
    llvm::Value* rc = CallHelper(
        RtFunction::gz_rt_string_keep,
        {f_.args.status, b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, calls))), value_ptr});
    b_.CreateCondBr(b_.CreateICmpEQ(rc, b_.getInt32(0)), done, failed);
    b_.SetInsertPoint(failed);
    b_.CreateRet(b_.getInt32(kGzStatusError));
    b_.SetInsertPoint(done);
}

void GroupEmitter::EmitAggregateUpdate(size_t agg_idx, llvm::Value* row_ptr) {
    const AggregateSpec& aggregate = spec_.aggregates[agg_idx];
    llvm::Value* count_ptr = At(row_ptr, layout_.aggregate_offsets[agg_idx]);
    llvm::Value* value_ptr = At(row_ptr, layout_.aggregate_offsets[agg_idx] + 8);
    if (aggregate.kind == AggregateKind::CountStar) {
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), count_ptr), b_.getInt64(1)), count_ptr);
        return;
    }
    const Expr& argument = *aggregate.argument;
    Lowered arg = e_.Emit(argument);
    llvm::Value* valid64 = b_.CreateZExt(arg.valid, b_.getInt64Ty());
    // MIN, MAX, BOOL_AND and BOOL_OR treat their first value apart: they read the flag before setting it.
    const bool is_min_max = aggregate.kind == AggregateKind::Min || aggregate.kind == AggregateKind::Max ||
                            aggregate.kind == AggregateKind::BoolAnd || aggregate.kind == AggregateKind::BoolOr ||
                            aggregate.kind == AggregateKind::First || aggregate.kind == AggregateKind::StringAgg;
    llvm::Value* count = nullptr;
    if (aggregate.kind == AggregateKind::Count || aggregate.kind == AggregateKind::Avg) {
        count = b_.CreateLoad(b_.getInt64Ty(), count_ptr);
        b_.CreateStore(b_.CreateAdd(count, valid64), count_ptr);
    } else if (auto* always = llvm::dyn_cast<llvm::ConstantInt>(arg.valid); is_min_max || !always || !always->isOne()) {
        count = b_.CreateLoad(b_.getInt64Ty(), count_ptr);
        b_.CreateStore(b_.CreateOr(count, valid64), count_ptr);
    } else {
        b_.CreateStore(valid64, count_ptr); // a SUM's "saw a value" flag, without a load
    }
    if (aggregate.kind == AggregateKind::Count)
        return;
    if (aggregate.kind == AggregateKind::StringAgg) {
        EmitStringAgg(agg_idx, arg, row_ptr);
        return;
    }
    if (IsWide(argument)) {
        EmitWideExtreme(aggregate.kind, IsString(argument), arg, count, value_ptr);
        return;
    }
    if (aggregate.kind == AggregateKind::BoolAnd || aggregate.kind == AggregateKind::BoolOr) {
        // The first value, then AND (OR) with it; NULLs leave the state as it is.
        llvm::Value* old = b_.CreateLoad(b_.getInt64Ty(), value_ptr);
        llvm::Value* value = b_.CreateZExt(arg.value, b_.getInt64Ty());
        llvm::Value* combined =
            aggregate.kind == AggregateKind::BoolAnd ? b_.CreateAnd(old, value) : b_.CreateOr(old, value);
        combined = b_.CreateSelect(b_.CreateICmpEQ(count, b_.getInt64(0)), value, combined);
        b_.CreateStore(b_.CreateSelect(arg.valid, combined, old), value_ptr);
        return;
    }
    const bool is_double = arg.value->getType()->isDoubleTy();
    llvm::Type* value_type = is_double ? b_.getDoubleTy() : b_.getInt64Ty();
    llvm::Value* old = b_.CreateLoad(value_type, value_ptr);
    llvm::Value* value = arg.value;
    if (aggregate.kind == AggregateKind::Avg) {
        // As the interpreter's AsDouble: decimals are divided down to their scale per value.
        if (!is_double) {
            value = b_.CreateSIToFP(value, b_.getDoubleTy());
            if (argument.return_type.id == TypeId::Decimal)
                value = b_.CreateFDiv(
                    value, llvm::ConstantFP::get(b_.getDoubleTy(),
                                                 static_cast<double>(kPowersOfTen[argument.return_type.scale])));
        }
        value = b_.CreateSelect(arg.valid, value, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0));
        b_.CreateStore(b_.CreateFAdd(b_.CreateLoad(b_.getDoubleTy(), value_ptr), value), value_ptr);
        return;
    }
    if (!is_double)
        value = value->getType()->isIntegerTy(1) ? b_.CreateZExt(value, b_.getInt64Ty())
                                                 : b_.CreateSExtOrTrunc(value, b_.getInt64Ty());
    if (aggregate.kind == AggregateKind::Sum) {
        if (is_double) {
            value = b_.CreateSelect(arg.valid, value, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0));
            b_.CreateStore(b_.CreateFAdd(old, value), value_ptr);
            return;
        }
        value = b_.CreateSelect(arg.valid, value, b_.getInt64(0));
        llvm::Value* pair = b_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, old, value);
        e_.EmitCheck(b_.CreateExtractValue(pair, 1), RtFunction::gz_rt_error_overflow,
                     static_cast<int32_t>(aggregate.return_type.id));
        b_.CreateStore(b_.CreateExtractValue(pair, 0), value_ptr);
        return;
    }
    // MIN / MAX: the first value, then one that compares lower (higher), as the interpreter's `<`;
    // FIRST: the first value only.
    const bool is_min = aggregate.kind == AggregateKind::Min;
    llvm::Value* better;
    if (aggregate.kind == AggregateKind::First)
        better = b_.getFalse();
    else if (is_double)
        better = is_min ? b_.CreateFCmpOLT(value, old) : b_.CreateFCmpOLT(old, value);
    else if (argument.return_type.Physical() == PhysicalType::Bool)
        better = is_min ? b_.CreateICmpULT(value, old) : b_.CreateICmpULT(old, value);
    else
        better = is_min ? b_.CreateICmpSLT(value, old) : b_.CreateICmpSLT(old, value);
    llvm::Value* replace = e_.And(arg.valid, e_.Or(b_.CreateICmpEQ(count, b_.getInt64(0)), better));
    b_.CreateStore(b_.CreateSelect(replace, value, old), value_ptr);
}

void GroupEmitter::EmitMode(llvm::BasicBlock* entry, bool read_validity) {
    prefix_ = read_validity ? "" : "dense.";
    b_.SetInsertPoint(entry);
    f_.regions.Scan();
    llvm::BasicBlock* header = Block("row");
    llvm::BasicBlock* latch = Block("row.next");
    // Per join: its table's fields, loaded once per morsel.
    joins_.clear();
    e_.ClearBuildRows();
    size_t build_ranges = 0;  // declared per join with HasBuildRange, in order
    const size_t joins_at = spec_.emits_rows ? offsetof(GzOutputBuffer, joins) : offsetof(GzGroupTable, joins);
    llvm::Value* join_array = b_.CreateLoad(b_.getPtrTy(), At(f_.state, joins_at));
    for (size_t join_idx = 0; join_idx < spec_.joins.size(); ++join_idx) {
        llvm::Value* table = b_.CreateLoad(b_.getPtrTy(), b_.CreateConstInBoundsGEP1_64(b_.getPtrTy(), join_array, join_idx));
        auto field = [&](llvm::Type* type, size_t offset) { return b_.CreateLoad(type, At(table, offset)); };
        JoinView view;
        view.heads = field(b_.getPtrTy(), offsetof(GzJoinTable, heads));
        view.entries = field(b_.getPtrTy(), offsetof(GzJoinTable, entries));
        view.int_keys = field(b_.getPtrTy(), offsetof(GzJoinTable, int_keys));
        view.mask = field(b_.getInt64Ty(), offsetof(GzJoinTable, mask));
        view.min_key = field(b_.getInt64Ty(), offsetof(GzJoinTable, min_key));
        view.bucket_count = field(b_.getInt64Ty(), offsetof(GzJoinTable, bucket_count));
        view.direct = b_.CreateICmpNE(field(b_.getInt64Ty(), offsetof(GzJoinTable, direct)), b_.getInt64(0));
        view.key_columns = field(b_.getPtrTy(), offsetof(GzJoinTable, key_columns));
        view.key_validity = field(b_.getPtrTy(), offsetof(GzJoinTable, key_validity));
        view.row_count = field(b_.getInt64Ty(), offsetof(GzJoinTable, row_count));
        if (spec_.joins[join_idx].MarksBuildRows()) view.matched = field(b_.getPtrTy(), offsetof(GzJoinTable, matched));
        if (spec_.joins[join_idx].HasBuildRange()) {
            view.range = build_ranges++;
            e_.SetBuildTable(view.range, field(b_.getPtrTy(), offsetof(GzJoinTable, columns)),
                             field(b_.getPtrTy(), offsetof(GzJoinTable, validity)));
        }
        joins_.push_back(view);
    }
    build_rows_.assign(build_ranges, nullptr);
    const TableView initial = spec_.emits_rows ? TableView{} : LoadTable();
    b_.CreateCondBr(b_.CreateICmpEQ(f_.args.row_count, b_.getInt64(0)), f_.done, header);
    b_.SetInsertPoint(header);
    llvm::PHINode* row = b_.CreatePHI(b_.getInt64Ty(), 2, "row");
    row->addIncoming(b_.getInt64(0), entry);
    // Without joins the table's arrays stay in registers from row to row; with
    // them (a nested loop per match) they are reloaded per group lookup.
    const bool cache_table = spec_.joins.empty() && !spec_.emits_rows;
    std::vector<llvm::PHINode*> table_phis;
    if (cache_table) {
        cached_ = initial;
        for (llvm::Value** field : cached_.Fields()) {
            table_phis.push_back(b_.CreatePHI((*field)->getType(), 2));
            table_phis.back()->addIncoming(*field, entry);
            *field = table_phis.back();
        }
    }
    e_.SetRow(row, read_validity);

    llvm::Value* passes = b_.getTrue();
    for (size_t filter_idx = 0; filter_idx < spec_.filters.size(); ++filter_idx) {
        f_.regions.Filter(filter_idx);
        passes = e_.EmitConjunct(passes, *spec_.filters[filter_idx]);
    }
    f_.regions.Aggregate();
    llvm::BasicBlock* first_stage = Block("stage");
    llvm::BasicBlock* filtered_out = b_.GetInsertBlock();
    b_.CreateCondBr(passes, first_stage, latch);
    b_.SetInsertPoint(first_stage);
    EmitStage(0, latch, cache_table);

    b_.SetInsertPoint(latch);
    f_.regions.Scan();
    if (cache_table) {
        TableView next_table = MergeTables({{cached_, filtered_out}, {after_group_, updated_}});
        std::vector<llvm::Value**> fields = next_table.Fields();
        for (size_t field = 0; field < fields.size(); ++field) table_phis[field]->addIncoming(*fields[field], latch);
    }
    llvm::Value* row_next = b_.CreateAdd(row, b_.getInt64(1), "row.next", /*HasNUW=*/true);
    row->addIncoming(row_next, latch);
    b_.CreateCondBr(b_.CreateICmpULT(row_next, f_.args.row_count), header, f_.done);
}

GroupEmitter::Bucket GroupEmitter::EmitBucket(const JoinView& view, Lowered key) {
    Bucket out;
    out.key = b_.CreateSExtOrTrunc(key.value, b_.getInt64Ty());
    // The interpreter's bucket: the key's offset in direct mode, else MixBits(key) & mask.
    out.hash = MixBits(out.key);
    llvm::Value* offset = b_.CreateSub(out.key, view.min_key);
    llvm::Value* in_range = b_.CreateICmpULT(offset, view.bucket_count);
    out.bucket = b_.CreateSelect(view.direct, b_.CreateSelect(in_range, offset, b_.getInt64(0)),
                                 b_.CreateAnd(out.hash, view.mask));
    out.has_chain = e_.And(key.valid, e_.Or(e_.Not(view.direct), in_range));
    return out;
}

llvm::Value* GroupEmitter::MixBits(llvm::Value* x) {
    // common/hash.hpp's MixBits.
    x = b_.CreateXor(x, b_.CreateLShr(x, 33));
    x = b_.CreateMul(x, b_.getInt64(0xff51afd7ed558ccdULL));
    x = b_.CreateXor(x, b_.CreateLShr(x, 33));
    x = b_.CreateMul(x, b_.getInt64(0xc4ceb9fe1a85ec53ULL));
    return b_.CreateXor(x, b_.CreateLShr(x, 33));
}

llvm::Value* GroupEmitter::EmitKeyHash(Lowered key, PhysicalType type) {
    switch (type) {
    case PhysicalType::Bool: return MixBits(b_.CreateAdd(b_.CreateZExt(key.value, b_.getInt64Ty()), b_.getInt64(1)));
    case PhysicalType::Int32:
    case PhysicalType::Int64: return MixBits(b_.CreateSExtOrTrunc(key.value, b_.getInt64Ty()));
    case PhysicalType::Double: {
        // -0.0 hashes as 0.0 and every NaN as one value, as the interpreter's.
        llvm::Value* zero = llvm::ConstantFP::get(b_.getDoubleTy(), 0.0);
        llvm::Value* value = b_.CreateSelect(b_.CreateFCmpOEQ(key.value, zero), zero, key.value);
        value = b_.CreateSelect(b_.CreateFCmpUNO(value, value), llvm::ConstantFP::getNaN(b_.getDoubleTy()), value);
        return MixBits(b_.CreateBitCast(value, b_.getInt64Ty()));
    }
    case PhysicalType::String: {
        // Inlined strings hash their two words; longer ones their bytes, through the helper.
        llvm::Value* low = Load64(key.value, 0);
        llvm::Value* high = Load64(key.value, 8);
        llvm::Value* inlined = MixBits(b_.CreateXor(low, MixBits(b_.CreateAdd(high, b_.getInt64(0x9e3779b97f4a7c15ULL)))));
        llvm::Value* is_long =
            b_.CreateICmpUGT(b_.CreateTrunc(low, b_.getInt32Ty()), b_.getInt32(StringRef::kInlineLength));
        return SlowPathIf(is_long, inlined, "keyhash.long",
                          [&] { return CallHelper(RtFunction::gz_rt_string_hash, {key.value}); });
    }
    default: throw Error::Internal("a compiled join key of an unexpected type");
    }
}

std::pair<llvm::Value*, llvm::Value*> GroupEmitter::EmitGeneralBucket(const JoinProbeSpec& join, const JoinView& view,
                                                                      std::vector<Lowered>& keys) {
    llvm::Value* all_valid = b_.getTrue();
    llvm::Value* hash = nullptr;
    for (size_t key_idx = 0; key_idx < join.probe_keys.size(); ++key_idx) {
        keys.push_back(e_.Emit(*join.probe_keys[key_idx]));
        // A NULL key hashes as the interpreter's kNullHash; it matches only under IS NOT DISTINCT FROM.
        if (!join.null_equal[key_idx]) all_valid = e_.And(all_valid, keys.back().valid);
        llvm::Value* key_hash = b_.CreateSelect(keys.back().valid, EmitKeyHash(keys.back(), join.KeyType(key_idx)),
                                                b_.getInt64(0x9e3779b97f4a7c15ULL));
        // HashVector's combination: the first key's hash, then Mix(h * 31 + next).
        hash = hash ? MixBits(b_.CreateAdd(b_.CreateMul(hash, b_.getInt64(31)), key_hash)) : key_hash;
    }
    llvm::Value* head =
        b_.CreateLoad(b_.getInt32Ty(), b_.CreateInBoundsGEP(b_.getInt32Ty(), view.heads, b_.CreateAnd(hash, view.mask)));
    // A NULL key never matches.
    return {b_.CreateSelect(all_valid, head, b_.getInt32(0)), hash};
}

llvm::Value* GroupEmitter::EmitStringsEqual(llvm::Value* a, llvm::Value* c) {
    // Equal words: the same inlined string, or the same long one. A long string
    // with the same length and prefix but another pointer needs its bytes compared.
    llvm::Value* same_low = b_.CreateICmpEQ(Load64(a, 0), Load64(c, 0));
    llvm::Value* same_high = b_.CreateICmpEQ(Load64(a, 8), Load64(c, 8));
    llvm::Value* is_long =
        b_.CreateICmpUGT(b_.CreateTrunc(Load64(a, 0), b_.getInt32Ty()), b_.getInt32(StringRef::kInlineLength));
    llvm::Value* ask = e_.And(same_low, e_.And(e_.Not(same_high), is_long));
    return SlowPathIf(ask, e_.And(same_low, same_high), "keyeq.bytes", [&] {
        return b_.CreateICmpNE(CallHelper(RtFunction::gz_rt_string_equal, {a, c}), b_.getInt32(0));
    });
}

llvm::Value* GroupEmitter::EmitBuildKeysEqual(const JoinProbeSpec& join, const JoinView& view, llvm::Value* build_row,
                                              const std::vector<Lowered>& keys) {
    static_assert((kVectorSize & (kVectorSize - 1)) == 0, "build rows split by shift and mask");
    llvm::Value* chunk = b_.CreateLShr(build_row, static_cast<uint64_t>(__builtin_ctzll(kVectorSize)));
    llvm::Value* row = b_.CreateAnd(build_row, b_.getInt64(kVectorSize - 1));
    const uint64_t key_count = join.probe_keys.size();
    llvm::Value* equal = b_.getTrue();
    for (size_t key_idx = 0; key_idx < key_count; ++key_idx) {
        llvm::Value* index = b_.CreateAdd(b_.CreateMul(chunk, b_.getInt64(key_count)), b_.getInt64(key_idx));
        llvm::Value* column = b_.CreateLoad(b_.getPtrTy(), b_.CreateInBoundsGEP(b_.getPtrTy(), view.key_columns, index));
        llvm::Value* probe = keys[key_idx].value;
        llvm::Value* same;
        switch (join.KeyType(key_idx)) {
        case PhysicalType::Bool: {
            llvm::Value* byte = b_.CreateLoad(b_.getInt8Ty(), b_.CreateInBoundsGEP(b_.getInt8Ty(), column, row));
            same = b_.CreateICmpEQ(b_.CreateICmpNE(byte, b_.getInt8(0)), probe);
            break;
        }
        case PhysicalType::Double: {
            llvm::Value* value = b_.CreateLoad(b_.getDoubleTy(), b_.CreateInBoundsGEP(b_.getDoubleTy(), column, row));
            // NaN equals NaN, as the interpreter's RowsEqual.
            same = e_.Or(b_.CreateFCmpOEQ(value, probe),
                         e_.And(b_.CreateFCmpUNO(value, value), b_.CreateFCmpUNO(probe, probe)));
            break;
        }
        case PhysicalType::String:
            same = EmitStringsEqual(
                probe, b_.CreateInBoundsGEP(b_.getInt8Ty(), column, b_.CreateMul(row, b_.getInt64(sizeof(StringRef)))));
            break;
        default: {
            llvm::Type* type = probe->getType();
            llvm::Value* value = b_.CreateLoad(type, b_.CreateInBoundsGEP(type, column, row));
            same = b_.CreateICmpEQ(value, probe);
        }
        }
        if (join.null_equal[key_idx]) {
            // IS NOT DISTINCT FROM: both NULL, or both values and equal.
            llvm::Value* words = b_.CreateLoad(b_.getPtrTy(), b_.CreateInBoundsGEP(b_.getPtrTy(), view.key_validity, index));
            llvm::Value* has_words = b_.CreateIsNotNull(words);
            llvm::Value* word_index = b_.CreateSelect(has_words, b_.CreateLShr(row, 6), b_.getInt64(0));
            llvm::Value* word = b_.CreateLoad(
                b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), b_.CreateSelect(has_words, words, e_.AllValidWord()),
                                                      word_index));
            llvm::Value* build_valid = b_.CreateTrunc(b_.CreateLShr(word, b_.CreateAnd(row, 63)), b_.getInt1Ty());
            llvm::Value* probe_valid = keys[key_idx].valid;
            same = e_.Or(e_.And(e_.And(probe_valid, build_valid), same),
                         e_.And(e_.Not(probe_valid), e_.Not(build_valid)));
        }
        equal = e_.And(equal, same);
    }
    return equal;
}

llvm::Value* GroupEmitter::EmitChainStep(const JoinProbeSpec& join, const JoinView& view, llvm::Value* build_row,
                                         llvm::Value* hash, llvm::Value* key64, const std::vector<Lowered>& keys,
                                         const std::string& name, llvm::BasicBlock* key_match,
                                         llvm::BasicBlock* next_entry) {
    llvm::Value* entry_ptr = b_.CreateInBoundsGEP(b_.getInt8Ty(), view.entries,
                                                  b_.CreateMul(build_row, b_.getInt64(sizeof(GzJoinEntry))));
    llvm::Value* next = b_.CreateLoad(b_.getInt32Ty(), At(entry_ptr, offsetof(GzJoinEntry, next)));
    llvm::Value* same_hash = b_.CreateICmpEQ(b_.CreateLoad(b_.getInt64Ty(), At(entry_ptr, offsetof(GzJoinEntry, hash))), hash);
    if (join.IntegerKey()) {
        // In direct mode every entry of the chain has the key; otherwise hash and key must match.
        llvm::Value* same_key = b_.CreateICmpEQ(
            b_.CreateLoad(b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), view.int_keys, build_row)), key64);
        b_.CreateCondBr(e_.Or(view.direct, e_.And(same_hash, same_key)), key_match, next_entry);
    } else {
        llvm::BasicBlock* compare = Block(name + ".compare");
        b_.CreateCondBr(same_hash, compare, next_entry);
        b_.SetInsertPoint(compare);
        b_.CreateCondBr(EmitBuildKeysEqual(join, view, build_row, keys), key_match, next_entry);
    }
    return next;
}

void GroupEmitter::EmitStage(size_t join_idx, llvm::BasicBlock* done, bool cache_table) {
    if (join_idx == spec_.joins.size()) {
        if (spec_.emits_rows) EmitAppend(done);
        else EmitGroupUpdate(done, cache_table);
        return;
    }
    const JoinProbeSpec& join = spec_.joins[join_idx];
    const JoinView& view = joins_[join_idx];
    const std::string name = "join" + std::to_string(join_idx);
    llvm::Value* first;
    llvm::Value* hash;
    llvm::Value* key64 = nullptr;   // one integer key
    std::vector<Lowered> keys;      // the general form
    llvm::Value* build_count = nullptr;  // a nested-loop join: entry e is build row e - 1, every one a candidate
    if (join.NestedLoop()) {
        build_count = view.row_count;
        first = b_.CreateZExt(b_.CreateICmpNE(build_count, b_.getInt64(0)), b_.getInt32Ty());
        hash = nullptr;
    } else if (join.IntegerKey()) {
        const Bucket at = EmitBucket(view, e_.Emit(*join.probe_keys[0]));
        key64 = at.key;
        hash = at.hash;
        llvm::Value* head = b_.CreateLoad(b_.getInt32Ty(), b_.CreateInBoundsGEP(b_.getInt32Ty(), view.heads, at.bucket));
        first = b_.CreateSelect(at.has_chain, head, b_.getInt32(0));
    } else {
        std::tie(first, hash) = EmitGeneralBucket(join, view, keys);
    }
    // LEFT and FULL: whether any entry matched (a slot, promoted to a register by the optimizer).
    llvm::Value* matched_any = nullptr;
    if (join.KeepsUnmatched()) {
        llvm::BasicBlock& entry_block = f_.function->getEntryBlock();
        llvm::IRBuilder<> at_entry(&entry_block, entry_block.begin());
        matched_any = at_entry.CreateAlloca(b_.getInt1Ty(), nullptr, name + ".matched");
        b_.CreateStore(b_.getFalse(), matched_any);
    }
    llvm::BasicBlock* from = b_.GetInsertBlock();
    llvm::BasicBlock* chain = Block(name + ".chain");
    llvm::BasicBlock* visit = Block(name + ".visit");
    llvm::BasicBlock* next_entry = Block(name + ".next");
    llvm::BasicBlock* key_match = Block(name + ".keys");
    llvm::BasicBlock* no_match = Block(name + ".end");
    b_.CreateBr(chain);

    b_.SetInsertPoint(chain);
    llvm::PHINode* entry = b_.CreatePHI(b_.getInt32Ty(), 2, "entry");
    entry->addIncoming(first, from);
    b_.CreateCondBr(b_.CreateICmpEQ(entry, b_.getInt32(0)), no_match, visit);

    b_.SetInsertPoint(visit);
    llvm::Value* build_row = b_.CreateZExt(b_.CreateSub(entry, b_.getInt32(1)), b_.getInt64Ty());
    llvm::Value* next;
    if (join.NestedLoop()) {
        llvm::Value* more = b_.CreateICmpULT(b_.CreateZExt(entry, b_.getInt64Ty()), build_count);
        next = b_.CreateSelect(more, b_.CreateAdd(entry, b_.getInt32(1)), b_.getInt32(0));
        b_.CreateBr(key_match);
    } else {
        next = EmitChainStep(join, view, build_row, hash, key64, keys, name, key_match, next_entry);
    }

    b_.SetInsertPoint(next_entry);
    entry->addIncoming(next, next_entry);
    b_.CreateBr(chain);

    // The keys match: the build row is readable; a residual condition decides the match.
    b_.SetInsertPoint(key_match);
    if (join.HasBuildRange()) e_.SetBuildRow(view.range, build_row);
    if (join.condition) {
        llvm::BasicBlock* passed = Block(name + ".match");
        b_.CreateCondBr(e_.EmitConjunct(b_.getTrue(), *join.condition), passed, next_entry);
        b_.SetInsertPoint(passed);
    }
    if (join.MarksBuildRows())
        b_.CreateStore(b_.getInt8(1), b_.CreateInBoundsGEP(b_.getInt8Ty(), view.matched, build_row));
    if (matched_any) b_.CreateStore(b_.getTrue(), matched_any);
    if (join.EmitsOnlyAtEnd()) {
        // Every build row with a match is marked; the join emits them (or the others) at its end.
        b_.CreateBr(next_entry);
        b_.SetInsertPoint(no_match);
        b_.CreateBr(done);
        return;
    }

    // What follows a match: INNER, LEFT, RIGHT and FULL go on with each match (its
    // build row readable), SEMI with the first, ANTI only when the chain has none.
    auto go_on = [&](llvm::BasicBlock* after) {
        llvm::Value* passes = b_.getTrue();
        for (const Expr* filter : join.filters) passes = e_.EmitConjunct(passes, *filter);
        llvm::BasicBlock* stage = Block(name + ".stage");
        b_.CreateCondBr(passes, stage, after);
        b_.SetInsertPoint(stage);
        EmitStage(join_idx + 1, after, false);
    };
    if (join.EmitsBuildColumns()) {
        build_rows_[view.range] = build_row;
        go_on(next_entry);
        b_.SetInsertPoint(no_match);
        if (!join.KeepsUnmatched()) {
            b_.CreateBr(done);
            return;
        }
        // No match: the probe row goes on once, its build columns NULL.
        llvm::BasicBlock* unmatched = Block(name + ".unmatched");
        b_.CreateCondBr(b_.CreateLoad(b_.getInt1Ty(), matched_any), done, unmatched);
        b_.SetInsertPoint(unmatched);
        e_.SetBuildRowNull(view.range);
        build_rows_[view.range] = b_.getInt64(kGzNullBuildRow);
        go_on(done);
        return;
    }
    // SEMI and ANTI: the output is the probe row; later stages do not read this build row.
    if (join.HasBuildRange()) e_.SetBuildRow(view.range, nullptr);
    if (join.type == ir::JoinType::Semi) {
        go_on(done);
        b_.SetInsertPoint(no_match);
        b_.CreateBr(done);
        return;
    }
    b_.CreateBr(done);  // ANTI
    b_.SetInsertPoint(no_match);
    go_on(done);
}

void GroupEmitter::EmitGroupUpdate(llvm::BasicBlock* done, bool cache_table) {
    TableView table = cache_table ? cached_ : LoadTable();
    llvm::Value* null_mask = nullptr;
    std::vector<KeyWords> keys = EmitKeys(null_mask);
    llvm::BasicBlock* found = Block("probe.found");
    llvm::BasicBlock* hashed = Block("probe.hash");
    llvm::Value* key_valid = b_.CreateICmpEQ(null_mask, b_.getInt64(0));
    // One integer key: a key inside the direct window whose group exists finds it with one load.
    llvm::Value* direct_row = nullptr;
    llvm::BasicBlock* direct_hit = nullptr;
    if (direct_key_) {
        llvm::BasicBlock* window = Block("direct");
        llvm::Value* offset = b_.CreateSub(keys[0].low, table.direct_base);
        b_.CreateCondBr(e_.And(key_valid, b_.CreateICmpULT(offset, table.direct_size)), window, hashed);
        b_.SetInsertPoint(window);
        llvm::Value* group = b_.CreateLoad(b_.getInt32Ty(), b_.CreateInBoundsGEP(b_.getInt32Ty(), table.direct, offset));
        llvm::Value* group_id = b_.CreateSub(b_.CreateZExt(group, b_.getInt64Ty()), b_.getInt64(1));
        direct_row = b_.CreateInBoundsGEP(b_.getInt8Ty(), table.rows, b_.CreateMul(group_id, b_.getInt64(layout_.width)));
        direct_hit = window;
        b_.CreateCondBr(b_.CreateICmpNE(group, b_.getInt32(0)), found, hashed);
    } else {
        b_.CreateBr(hashed);
    }

    b_.SetInsertPoint(hashed);
    llvm::Value* hash = EmitHash(keys, null_mask);
    llvm::Value* slots = table.slots;
    llvm::Value* mask = table.mask;
    llvm::Value* rows = table.rows;
    llvm::Value* first_slot = b_.CreateAnd(hash, mask);
    llvm::BasicBlock* probe_from = b_.GetInsertBlock();
    llvm::BasicBlock* probe = Block("probe");
    llvm::BasicBlock* check = Block("probe.check");
    llvm::BasicBlock* next = Block("probe.next");
    llvm::BasicBlock* miss = Block("probe.miss");
    b_.CreateBr(probe);

    b_.SetInsertPoint(probe);
    llvm::PHINode* slot = b_.CreatePHI(b_.getInt64Ty(), 2, "slot");
    slot->addIncoming(first_slot, probe_from);
    llvm::Value* entry_word = b_.CreateLoad(b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), slots, slot));
    llvm::BasicBlock* taken = Block("probe.taken");
    b_.CreateCondBr(b_.CreateICmpEQ(entry_word, b_.getInt64(0)), miss, taken);
    b_.SetInsertPoint(taken);
    llvm::Value* tag_differs = b_.CreateLShr(b_.CreateXor(entry_word, hash), 32);
    b_.CreateCondBr(b_.CreateICmpEQ(tag_differs, b_.getInt64(0)), check, next);

    b_.SetInsertPoint(check);
    llvm::Value* group_id = b_.CreateSub(b_.CreateAnd(entry_word, b_.getInt64(0xFFFFFFFF)), b_.getInt64(1));
    llvm::Value* existing = b_.CreateInBoundsGEP(b_.getInt8Ty(), rows, b_.CreateMul(group_id, b_.getInt64(layout_.width)));
    llvm::Value* equal = EmitKeysEqual(existing, keys, null_mask);
    llvm::BasicBlock* check_end = b_.GetInsertBlock();
    b_.CreateCondBr(equal, found, next);

    b_.SetInsertPoint(next);
    slot->addIncoming(b_.CreateAnd(b_.CreateAdd(slot, b_.getInt64(1)), mask), next);
    b_.CreateBr(probe);

    b_.SetInsertPoint(miss);
    llvm::Module& module = *f_.function->getParent();
    llvm::Value* fresh = b_.CreateCall(DeclareRuntimeFunction(module, RtFunction::gz_rt_group_new),
                                       {f_.args.status, f_.state, hash, slot});
    llvm::BasicBlock* out_of_memory = Block("probe.oom");
    llvm::BasicBlock* store_keys = Block("probe.new");
    b_.CreateCondBr(b_.CreateIsNull(fresh), out_of_memory, store_keys);
    b_.SetInsertPoint(out_of_memory);
    b_.CreateRet(b_.getInt32(kGzStatusError));
    b_.SetInsertPoint(store_keys);
    b_.CreateStore(null_mask, At(fresh, GroupRowLayout::kNullMaskOffset));
    for (size_t key_idx = 0; key_idx < keys.size(); ++key_idx) {
        b_.CreateStore(keys[key_idx].low, At(fresh, layout_.key_offsets[key_idx]));
        if (keys[key_idx].high) b_.CreateStore(keys[key_idx].high, At(fresh, layout_.key_offsets[key_idx] + 8));
    }
    for (size_t key_idx = 0; key_idx < keys.size(); ++key_idx) {
        if (!IsComputedString(*spec_.keys[key_idx]))
            continue;
        // The group outlives the row: a long computed key's bytes move to the run's heap.
        llvm::BasicBlock* keep = Block("probe.keep");
        llvm::BasicBlock* kept = Block("probe.kept");
        b_.CreateCondBr(keys[key_idx].is_long, keep, kept);
        b_.SetInsertPoint(keep);
        llvm::Value* rc =
            b_.CreateCall(DeclareRuntimeFunction(module, RtFunction::gz_rt_string_keep),
                          {f_.args.status, b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, calls))),
                           At(fresh, layout_.key_offsets[key_idx])});
        b_.CreateCondBr(b_.CreateICmpEQ(rc, b_.getInt32(0)), kept, out_of_memory);
        b_.SetInsertPoint(kept);
    }
    if (direct_key_) {
        llvm::BasicBlock* index = Block("direct.index");
        llvm::BasicBlock* indexed = Block("direct.indexed");
        b_.CreateCondBr(key_valid, index, indexed);
        b_.SetInsertPoint(index);
        llvm::Value* rc = b_.CreateCall(DeclareRuntimeFunction(module, RtFunction::gz_rt_group_index),
                                        {f_.args.status, f_.state, keys[0].low});
        b_.CreateCondBr(b_.CreateICmpEQ(rc, b_.getInt32(0)), indexed, out_of_memory);
        b_.SetInsertPoint(indexed);
    }
    const TableView grown = cache_table ? LoadTable() : table;
    llvm::BasicBlock* created = b_.GetInsertBlock();
    b_.CreateBr(found);

    b_.SetInsertPoint(found);
    llvm::PHINode* row_ptr = b_.CreatePHI(b_.getPtrTy(), 3, "group.row");
    row_ptr->addIncoming(existing, check_end);
    row_ptr->addIncoming(fresh, created);
    if (direct_hit) row_ptr->addIncoming(direct_row, direct_hit);
    TableView after_group = table;
    if (cache_table) {
        // The arrays after this row: as they were, or reloaded after a new group.
        std::vector<std::pair<TableView, llvm::BasicBlock*>> incoming{{table, check_end}, {grown, created}};
        if (direct_hit) incoming.emplace_back(table, direct_hit);
        after_group = MergeTables(std::move(incoming));
    }
    EmitUpdate(row_ptr);
    if (cache_table) {
        updated_ = b_.GetInsertBlock();
        after_group_ = after_group;
    }
    b_.CreateBr(done);
}

void GroupEmitter::EmitAppend(llvm::BasicBlock* done) {
    llvm::Value* buffer = f_.state;
    llvm::Value* count = Load64(buffer, offsetof(GzOutputBuffer, count));
    auto element = [&](size_t array_offset, size_t index) {
        llvm::Value* array = b_.CreateLoad(b_.getPtrTy(), At(buffer, array_offset));
        return b_.CreateLoad(b_.getPtrTy(), b_.CreateConstInBoundsGEP1_64(b_.getPtrTy(), array, index));
    };
    auto store_at = [&](llvm::Value* base, llvm::Value* value) {
        b_.CreateStore(value, b_.CreateInBoundsGEP(value->getType(), base, count));
    };
    store_at(b_.CreateLoad(b_.getPtrTy(), At(buffer, offsetof(GzOutputBuffer, scan_rows))),
             b_.CreateTrunc(e_.CurrentRow(), b_.getInt32Ty()));
    for (size_t range = 0; range < build_rows_.size(); ++range)
        if (build_rows_[range])
            store_at(element(offsetof(GzOutputBuffer, build_rows), range),
                     b_.CreateTrunc(build_rows_[range], b_.getInt32Ty()));
    size_t computed = 0;
    for (const Expr* output : spec_.outputs) {
        if (IsGathered(*output)) continue;
        const Lowered value = e_.Emit(*output);
        if (value.value->getType()->isPointerTy()) {
            // A VARCHAR's StringRef (empty where NULL; the run copies long strings' bytes at the
            // flush) or an INTERVAL, 16 bytes.
            llvm::Value* values = element(offsetof(GzOutputBuffer, values), computed);
            llvm::Value* at =
                b_.CreateInBoundsGEP(b_.getInt8Ty(), values, b_.CreateMul(count, b_.getInt64(kStringBytes)));
            b_.CreateMemCpy(at, llvm::Align(8), e_.StringOrNull(value), llvm::Align(8), kStringBytes);
            store_at(element(offsetof(GzOutputBuffer, valid), computed), b_.CreateZExt(value.valid, b_.getInt8Ty()));
            ++computed;
            continue;
        }
        llvm::Value* bits = value.value;
        if (bits->getType()->isIntegerTy(1)) bits = b_.CreateZExt(bits, b_.getInt8Ty());
        // NULL rows hold zero, as the interpreter's vectors do.
        bits = b_.CreateSelect(value.valid, bits, llvm::Constant::getNullValue(bits->getType()));
        store_at(element(offsetof(GzOutputBuffer, values), computed), bits);
        store_at(element(offsetof(GzOutputBuffer, valid), computed), b_.CreateZExt(value.valid, b_.getInt8Ty()));
        ++computed;
    }
    llvm::Function* flush = DeclareRuntimeFunction(*f_.function->getParent(), RtFunction::gz_rt_output_flush);
    llvm::BasicBlock* limit_full = nullptr;
    llvm::Value* limit_reached = nullptr;
    if (spec_.ends_in_limit) {
        // The row is written at `count`; it counts (and `count` moves on) only past the OFFSET.
        llvm::Value* counts = b_.CreateLoad(b_.getPtrTy(), At(buffer, offsetof(GzOutputBuffer, limit)));
        llvm::Value* skipped = Load64(counts, offsetof(GzLimit, skipped));
        llvm::BasicBlock* skip = Block("limit.skip");
        llvm::BasicBlock* take = Block("limit.take");
        llvm::BasicBlock* commit = Block("limit.commit");
        limit_full = Block("limit.full");
        b_.CreateCondBr(b_.CreateICmpSLT(skipped, Load64(counts, offsetof(GzLimit, offset))), skip, take);
        b_.SetInsertPoint(skip);
        b_.CreateStore(b_.CreateAdd(skipped, b_.getInt64(1)), At(counts, offsetof(GzLimit, skipped)));
        b_.CreateBr(done);
        b_.SetInsertPoint(take);
        llvm::Value* emitted = Load64(counts, offsetof(GzLimit, emitted));
        llvm::Value* limit = Load64(counts, offsetof(GzLimit, limit));
        llvm::Value* bounded = b_.CreateICmpSGE(limit, b_.getInt64(0));
        b_.CreateCondBr(e_.And(bounded, b_.CreateICmpSGE(emitted, limit)), limit_full, commit);
        b_.SetInsertPoint(commit);
        llvm::Value* emitted_next = b_.CreateAdd(emitted, b_.getInt64(1));
        b_.CreateStore(emitted_next, At(counts, offsetof(GzLimit, emitted)));
        limit_reached = e_.And(bounded, b_.CreateICmpEQ(emitted_next, limit));
    }
    llvm::Value* next = b_.CreateAdd(count, b_.getInt64(1));
    b_.CreateStore(next, At(buffer, offsetof(GzOutputBuffer, count)));
    llvm::BasicBlock* full = Block("output.full");
    llvm::BasicBlock* failed = Block("output.failed");
    if (limit_reached) {
        llvm::BasicBlock* room = Block("output.room");
        b_.CreateCondBr(limit_reached, limit_full, room);
        b_.SetInsertPoint(room);
    }
    b_.CreateCondBr(b_.CreateICmpEQ(next, Load64(buffer, offsetof(GzOutputBuffer, capacity))), full, done);
    b_.SetInsertPoint(full);
    llvm::Value* rc = b_.CreateCall(flush, {f_.args.status, buffer});
    b_.CreateCondBr(b_.CreateICmpEQ(rc, b_.getInt32(0)), done, failed);
    b_.SetInsertPoint(failed);
    b_.CreateRet(rc);
    if (limit_full) {
        // The LIMIT is full: the rows so far go on, and the code stops.
        b_.SetInsertPoint(limit_full);
        llvm::Value* flushed = b_.CreateCall(flush, {f_.args.status, buffer});
        b_.CreateRet(b_.CreateSelect(b_.CreateICmpEQ(flushed, b_.getInt32(kGzStatusError)), flushed,
                                     b_.getInt32(kGzStatusStop)));
    }
}

}  // namespace

std::vector<const Expr*> GroupAggregateSpec::Expressions() const {
    std::vector<const Expr*> exprs(filters.begin(), filters.end());
    for (const JoinProbeSpec& join : joins) {
        exprs.insert(exprs.end(), join.probe_keys.begin(), join.probe_keys.end());
        if (join.condition) exprs.push_back(join.condition);
        exprs.insert(exprs.end(), join.filters.begin(), join.filters.end());
    }
    exprs.insert(exprs.end(), keys.begin(), keys.end());
    for (const AggregateSpec& aggregate : aggregates) {
        if (aggregate.argument) exprs.push_back(aggregate.argument);
        if (aggregate.filter)
            exprs.push_back(aggregate.filter);
        if (aggregate.separator)
            exprs.push_back(aggregate.separator);
    }
    for (const Expr* output : outputs)
        if (!IsGathered(*output)) exprs.push_back(output);
    return exprs;
}

std::string WhyNotJoinProbe(const ir::PhysicalOperator& join) {
    const std::string name = ir::JoinTypeName(join.join_type);
    const std::string what = (std::string("AEIOU").find(name[0]) != std::string::npos ? "an " : "a ") + name + " join";
    switch (join.join_type) {
    case ir::JoinType::Inner:
    case ir::JoinType::Left:
    case ir::JoinType::Right:
    case ir::JoinType::Full:
    case ir::JoinType::Semi:
    case ir::JoinType::Anti:
    case ir::JoinType::RightSemi:
    case ir::JoinType::RightAnti: break;
    default: return what;
    }
    if (join.type == ir::PhysicalOpType::HashJoin && join.probe_keys.empty()) return what + " without keys";
    for (size_t key = 0; key < join.probe_keys.size(); ++key) {
        // Both sides of one physical type: the table compares raw values, as the interpreter does.
        const PhysicalType probe = join.probe_keys[key]->return_type.Physical();
        if (probe != join.build_keys[key]->return_type.Physical() || probe == PhysicalType::Interval)
            return what + " on a " + join.probe_keys[key]->return_type.ToString() + " key";
    }
    return "";
}

JoinProbeSpec MatchJoinProbe(const ir::PhysicalOperator& join) {
    if (std::string reason = WhyNotJoinProbe(join); !reason.empty()) throw NotCompiledYet(reason);
    JoinProbeSpec spec;
    spec.type = join.join_type;
    for (size_t key = 0; key < join.probe_keys.size(); ++key) {
        spec.probe_keys.push_back(join.probe_keys[key].get());
        spec.null_equal.push_back(join.null_equal[key]);
    }
    spec.condition = join.join_condition.get();
    spec.probe_width = static_cast<uint32_t>(join.probe_width);
    if (spec.HasBuildRange()) spec.build_types = join.children[1]->types;
    return spec;
}

void ValidateGroupAggregate(const GroupAggregateSpec& spec) { Validate(spec); }

std::string GroupShapeKey(const GroupAggregateSpec& spec) {
    std::string key = ExpressionsShapeKey("filter", spec.filters);
    for (const JoinProbeSpec& join : spec.joins) {
        key += std::string("join[") + ir::JoinTypeName(join.type) + ':' + ExpressionsShapeKey("key", join.probe_keys) +
               ExpressionsShapeKey("on", join.condition ? std::vector<const Expr*>{join.condition}
                                                        : std::vector<const Expr*>{}) +
               '@' + std::to_string(join.probe_width) + ':';
        for (const LogicalType& type : join.build_types) key += type.ToString() + ',';
        for (bool null_equal : join.null_equal) key += null_equal ? "=n" : "=";
        for (const Expr* filter : join.filters) key += ';' + ShapeKey(*filter);
        key += ']';
    }
    if (spec.emits_rows)
        return key + ExpressionsShapeKey("output", spec.outputs) + (spec.ends_in_limit ? "limit" : "");
    return key + ExpressionsShapeKey("group", spec.keys) + AggregatesShapeKey(spec.aggregates);
}

GroupRowLayout::GroupRowLayout(const GroupAggregateSpec& spec) {
    uint32_t offset = 16;  // hash, null mask
    for (const Expr* key : spec.keys) {
        key_offsets.push_back(offset);
        offset += IsWide(*key) ? kStringBytes : 8;
    }
    for (const AggregateSpec& aggregate : spec.aggregates) {
        aggregate_offsets.push_back(offset);
        // MIN / MAX of VARCHAR keep a whole StringRef as their value.
        offset += aggregate.argument && IsWide(*aggregate.argument) ? kStateBytes + 8 : kStateBytes;
    }
    width = offset;
}

GroupTableBuffer::GroupTableBuffer(uint32_t row_width) {
    constexpr uint64_t kInitialSlots = 1024;
    table_.slots = static_cast<uint64_t*>(std::calloc(kInitialSlots, sizeof(uint64_t)));
    if (!table_.slots) throw Error(SqlState::OutOfMemory, "out of memory (GROUP BY hash table)");
    table_.mask = kInitialSlots - 1;
    table_.row_width = row_width;
    table_.calls = &calls_;
}

GroupTableBuffer::~GroupTableBuffer() {
    std::free(table_.slots);
    std::free(table_.rows);
    std::free(table_.direct);
}

std::vector<DataChunk> PartialChunks(const GroupAggregateSpec& spec, const GroupTableBuffer& groups) {
    const GroupRowLayout layout(spec);
    std::vector<LogicalType> types;
    for (const Expr* key : spec.keys) types.push_back(key->return_type);
    for (const AggregateSpec& aggregate : spec.aggregates) {
        switch (aggregate.kind) {
        case AggregateKind::Avg:
            types.push_back(LogicalType(TypeId::Double));
            types.push_back(LogicalType(TypeId::BigInt));
            break;
        case AggregateKind::Count:
        case AggregateKind::CountStar: types.push_back(LogicalType(TypeId::BigInt)); break;
        default: types.push_back(aggregate.return_type);
        }
    }
    // Writes the 8-byte word at `cell` into row `row` of `out`, narrowed to its physical type
    // (an INTERVAL: the two words from `cell` on).
    auto put_word = [](Vector& out, idx_t row, const uint8_t* cell) {
        uint64_t bits;
        std::memcpy(&bits, cell, sizeof(bits));
        switch (out.Physical()) {
        case PhysicalType::Bool: out.Data<uint8_t>()[row] = bits != 0; break;
        case PhysicalType::Int32: out.Data<int32_t>()[row] = static_cast<int32_t>(bits); break;
        case PhysicalType::Int64:
        case PhysicalType::Double: std::memcpy(out.RawData() + row * 8, &bits, 8); break;
        case PhysicalType::Interval:
            std::memcpy(out.RawData() + row * sizeof(Interval), cell, sizeof(Interval));
            break;
        default: throw Error::Internal("a compiled group word of an unexpected type");
        }
    };
    std::vector<DataChunk> chunks;
    for (uint64_t start = 0; start < groups.GroupCount(); start += kVectorSize) {
        const idx_t n = static_cast<idx_t>(std::min<uint64_t>(kVectorSize, groups.GroupCount() - start));
        DataChunk chunk;
        chunk.Initialize(types, n);
        for (idx_t i = 0; i < n; ++i) {
            const uint8_t* row = groups.Row(start + i);
            uint64_t null_mask;
            std::memcpy(&null_mask, row + GroupRowLayout::kNullMaskOffset, sizeof(null_mask));
            size_t column = 0;
            for (size_t key_idx = 0; key_idx < spec.keys.size(); ++key_idx, ++column) {
                Vector& out = chunk.columns[column];
                const uint8_t* cell = row + layout.key_offsets[key_idx];
                if (null_mask >> key_idx & 1) {
                    out.Validity().SetInvalid(i);
                } else if (out.Physical() == PhysicalType::String) {
                    StringRef ref;
                    std::memcpy(&ref, cell, sizeof(ref));
                    out.Data<StringRef>()[i] = out.AddString(ref.View());
                } else {
                    put_word(out, i, cell);
                }
            }
            for (size_t agg_idx = 0; agg_idx < spec.aggregates.size(); ++agg_idx, ++column) {
                const AggregateKind kind = spec.aggregates[agg_idx].kind;
                const uint8_t* state = row + layout.aggregate_offsets[agg_idx];
                int64_t count;
                std::memcpy(&count, state, sizeof(count));
                if (kind == AggregateKind::Count || kind == AggregateKind::CountStar) {
                    chunk.columns[column].Data<int64_t>()[i] = count;
                    continue;
                }
                if (kind == AggregateKind::Avg) {
                    put_word(chunk.columns[column], i, state + 8);
                    chunk.columns[++column].Data<int64_t>()[i] = count;
                    continue;
                }
                Vector& out = chunk.columns[column];
                if (count == 0) {
                    out.Validity().SetInvalid(i);
                } else if (kind == AggregateKind::StringAgg) {
                    out.Data<StringRef>()[i] = out.AddString(groups.Calls().GroupText(agg_idx, start + i));
                } else if (out.Physical() == PhysicalType::String) {
                    StringRef ref;
                    std::memcpy(&ref, state + 8, sizeof(ref));
                    out.Data<StringRef>()[i] = out.AddString(ref.View());
                } else {
                    put_word(out, i, state + 8);
                }
            }
        }
        chunk.size = n;
        chunks.push_back(std::move(chunk));
    }
    return chunks;
}

CompiledCodePtr CompileGroupPipeline(const GroupAggregateSpec& spec, const CompileOptions& options) {
    Validate(spec);
    std::vector<std::pair<uint32_t, uint32_t>> build_ranges;
    for (const JoinProbeSpec& join : spec.joins)
        if (join.HasBuildRange())
            build_ranges.emplace_back(join.probe_width, static_cast<uint32_t>(join.build_types.size()));
    PipelineFunction f(spec.Expressions(), spec.filters.size(), options, build_ranges,
                       spec.emits_rows ? "output" : "aggregate");
    const std::vector<const Expr*> expressions = spec.Expressions();
    if (std::any_of(expressions.begin(), expressions.end(), [](const Expr* e) { return NeedsRowCalls(*e); }))
        f.emitter->SetRowCalls(f.state,
                               spec.emits_rows ? offsetof(GzOutputBuffer, calls) : offsetof(GzGroupTable, calls),
                               SubqueryNodes(expressions));
    GroupEmitter emitter(spec, f);
    emitter.EmitMode(f.dense, /*read_validity=*/false);
    emitter.EmitMode(f.general, /*read_validity=*/true);
    return f.Compile();
}

void RunGroupMorsel(const CompiledCode& code, const MorselInput& input, const GzParamSlot* params,
                    GroupTableBuffer& groups) {
    GZ_CHECK(input.validity != nullptr || input.row_count == 0, "the validity array must not be null");
    using Function = int32_t (*)(const void* const*, const uint64_t* const*, uint64_t, const void*, GzGroupTable*,
                                 GzExecStatus*);
    GzExecStatus status{};
    const int32_t rc = reinterpret_cast<Function>(code.Entry())(input.columns, input.validity, input.row_count,
                                                                params, groups.Table(), &status);
    groups.Calls().EndMorsel();
    ThrowIfFailed(rc, status);
    groups.CountMemory();
}

}  // namespace grizzly::codegen
