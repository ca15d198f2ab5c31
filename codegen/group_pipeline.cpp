/// The filter → GROUP BY pipeline compiler (see group_pipeline.hpp for the
/// generated function's contract and the group row layout).
#include "codegen/group_pipeline.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <llvm/IR/Intrinsics.h>

#include "codegen/pipeline_function.hpp"
#include "common/datetime.hpp"

namespace grizzly::codegen {

using ir::AggregateKind;
using ir::Expr;

namespace {

constexpr uint64_t kStringBytes = sizeof(StringRef);
constexpr uint64_t kStateBytes = 16;  // count, then value

bool IsStringColumn(const Expr& expr) {
    return expr.type == ir::ExprType::ColumnRef && expr.depth == 0 &&
           expr.return_type.Physical() == PhysicalType::String;
}

std::string WhyNotKey(const Expr& key) {
    if (IsStringColumn(key)) return "";
    if (key.return_type.Physical() == PhysicalType::String) return "a VARCHAR group key other than a column";
    return WhyNotCompilable(key);
}

void Validate(const GroupAggregateSpec& spec) {
    for (const Expr* filter : spec.filters)
        if (std::string reason = WhyNotCompilable(*filter); !reason.empty()) throw NotCompiledYet(reason);
    if (spec.keys.empty()) throw NotCompiledYet("a GROUP BY without keys");
    if (spec.keys.size() > 64) throw NotCompiledYet("a GROUP BY of more than 64 keys");
    for (const Expr* key : spec.keys)
        if (std::string reason = WhyNotKey(*key); !reason.empty()) throw NotCompiledYet(reason);
    for (const AggregateSpec& aggregate : spec.aggregates) {
        if (aggregate.kind == AggregateKind::CountStar) continue;
        const Expr& argument = *aggregate.argument;
        if (aggregate.kind == AggregateKind::Count && IsStringColumn(argument)) continue;
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
            if (physical == PhysicalType::String || physical == PhysicalType::Interval)
                throw NotCompiledYet(std::string(ir::AggregateName(aggregate.kind)) + "(" +
                                     argument.return_type.ToString() + ")");
            break;
        default: throw NotCompiledYet(std::string("aggregate ") + ir::AggregateName(aggregate.kind));
        }
    }
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
        : spec_(spec), layout_(spec), f_(f), b_(f.b), e_(*f.emitter) {}

    void EmitMode(llvm::BasicBlock* entry, bool read_validity);

private:
    llvm::Value* At(llvm::Value* row_ptr, uint64_t offset) {
        return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), row_ptr, offset);
    }
    llvm::Value* Load64(llvm::Value* row_ptr, uint64_t offset) { return b_.CreateLoad(b_.getInt64Ty(), At(row_ptr, offset)); }
    llvm::BasicBlock* Block(const std::string& name) {
        return llvm::BasicBlock::Create(b_.getContext(), prefix_ + name, f_.function);
    }
    /// The table's arrays, held in registers across rows; they change only when a new group is added.
    struct TableView {
        llvm::Value* slots;
        llvm::Value* mask;
        llvm::Value* rows;
    };
    TableView LoadTable() {
        return {b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, slots))),
                b_.CreateLoad(b_.getInt64Ty(), At(f_.state, offsetof(GzGroupTable, mask))),
                b_.CreateLoad(b_.getPtrTy(), At(f_.state, offsetof(GzGroupTable, rows)))};
    }
    /// Phis in the current block (at its start) merging `a` from `from_a` and `c` from `from_c`.
    TableView MergeTables(const TableView& a, llvm::BasicBlock* from_a, const TableView& c, llvm::BasicBlock* from_c) {
        auto merge = [&](llvm::Value* x, llvm::Value* y) {
            llvm::PHINode* phi = b_.CreatePHI(x->getType(), 2);
            phi->addIncoming(x, from_a);
            phi->addIncoming(y, from_c);
            return phi;
        };
        return {merge(a.slots, c.slots), merge(a.mask, c.mask), merge(a.rows, c.rows)};
    }

    /// The keys at the current row, NULL keys as zero words, and the mask of NULL keys.
    std::vector<KeyWords> EmitKeys(llvm::Value*& null_mask);
    llvm::Value* Mix(llvm::Value* hash, llvm::Value* word);
    llvm::Value* EmitHash(const std::vector<KeyWords>& keys, llvm::Value* null_mask);
    /// i1: the group row at `row_ptr` holds these keys (may call the string helper).
    llvm::Value* EmitKeysEqual(llvm::Value* row_ptr, const std::vector<KeyWords>& keys, llvm::Value* null_mask);
    void EmitUpdate(llvm::Value* row_ptr);

    const GroupAggregateSpec& spec_;
    GroupRowLayout layout_;
    PipelineFunction& f_;
    llvm::IRBuilder<>& b_;
    ExprEmitter& e_;
    std::string prefix_;
};

std::vector<KeyWords> GroupEmitter::EmitKeys(llvm::Value*& null_mask) {
    null_mask = b_.getInt64(0);
    std::vector<KeyWords> keys;
    for (size_t key_idx = 0; key_idx < spec_.keys.size(); ++key_idx) {
        const Expr& key = *spec_.keys[key_idx];
        KeyWords words;
        llvm::Value* valid;
        if (IsStringColumn(key)) {
            Lowered at = e_.EmitColumnAddress(key.position, kStringBytes);
            valid = at.valid;
            words.address = at.value;
            words.low = b_.CreateSelect(valid, Load64(at.value, 0), b_.getInt64(0));
            words.high = b_.CreateSelect(valid, Load64(at.value, 8), b_.getInt64(0));
            llvm::Value* length = b_.CreateTrunc(words.low, b_.getInt32Ty());
            words.is_long = b_.CreateICmpUGT(length, b_.getInt32(StringRef::kInlineLength));
        } else {
            Lowered value = e_.Emit(key);
            valid = value.valid;
            llvm::Value* word = value.value;
            if (word->getType()->isDoubleTy()) {
                // The interpreter's grouping treats -0.0 as 0.0 and every NaN as one value.
                llvm::Value* zero = llvm::ConstantFP::get(b_.getDoubleTy(), 0.0);
                word = b_.CreateSelect(b_.CreateFCmpOEQ(word, zero), zero, word);
                word = b_.CreateSelect(b_.CreateFCmpUNO(word, word),
                                       llvm::ConstantFP::getNaN(b_.getDoubleTy()), word);
                word = b_.CreateBitCast(word, b_.getInt64Ty());
            } else if (word->getType()->isIntegerTy(1)) {
                word = b_.CreateZExt(word, b_.getInt64Ty());
            } else {
                word = b_.CreateSExtOrTrunc(word, b_.getInt64Ty());
            }
            words.low = b_.CreateSelect(valid, word, b_.getInt64(0));
        }
        llvm::Value* null_bit = b_.CreateShl(b_.CreateZExt(e_.Not(valid), b_.getInt64Ty()), key_idx);
        null_mask = b_.CreateOr(null_mask, null_bit);
        keys.push_back(words);
    }
    return keys;
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
        llvm::BasicBlock* from = b_.GetInsertBlock();
        llvm::BasicBlock* long_string = Block("hash.long");
        llvm::BasicBlock* merge = Block("hash.merge");
        b_.CreateCondBr(key.is_long, long_string, merge);
        b_.SetInsertPoint(long_string);
        llvm::Value* bytes_hash =
            b_.CreateCall(DeclareRuntimeFunction(*f_.function->getParent(), RtFunction::gz_rt_string_hash), {key.address});
        b_.CreateBr(merge);
        b_.SetInsertPoint(merge);
        llvm::PHINode* high = b_.CreatePHI(b_.getInt64Ty(), 2);
        high->addIncoming(key.high, from);
        high->addIncoming(bytes_hash, long_string);
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
        llvm::Value* equal_words = e_.And(equal, same_words);
        llvm::BasicBlock* from = b_.GetInsertBlock();
        llvm::BasicBlock* compare = Block("key.bytes");
        llvm::BasicBlock* merge = Block("key.merge");
        b_.CreateCondBr(ask, compare, merge);
        b_.SetInsertPoint(compare);
        llvm::Value* same_bytes =
            b_.CreateCall(DeclareRuntimeFunction(*f_.function->getParent(), RtFunction::gz_rt_string_equal),
                          {At(row_ptr, offset), keys[key_idx].address});
        same_bytes = b_.CreateICmpNE(same_bytes, b_.getInt32(0));
        b_.CreateBr(merge);
        b_.SetInsertPoint(merge);
        llvm::PHINode* result = b_.CreatePHI(b_.getInt1Ty(), 2);
        result->addIncoming(equal_words, from);
        result->addIncoming(same_bytes, compare);
        equal = result;
    }
    return equal;
}

void GroupEmitter::EmitUpdate(llvm::Value* row_ptr) {
    for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx) {
        const AggregateSpec& aggregate = spec_.aggregates[agg_idx];
        llvm::Value* count_ptr = At(row_ptr, layout_.aggregate_offsets[agg_idx]);
        llvm::Value* value_ptr = At(row_ptr, layout_.aggregate_offsets[agg_idx] + 8);
        if (aggregate.kind == AggregateKind::CountStar) {
            b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), count_ptr), b_.getInt64(1)), count_ptr);
            continue;
        }
        const Expr& argument = *aggregate.argument;
        Lowered arg = IsStringColumn(argument) ? e_.EmitColumnAddress(argument.position, kStringBytes)
                                               : e_.Emit(argument);
        llvm::Value* valid64 = b_.CreateZExt(arg.valid, b_.getInt64Ty());
        const bool is_min_max = aggregate.kind == AggregateKind::Min || aggregate.kind == AggregateKind::Max;
        llvm::Value* count = nullptr;
        if (aggregate.kind == AggregateKind::Count || aggregate.kind == AggregateKind::Avg) {
            count = b_.CreateLoad(b_.getInt64Ty(), count_ptr);
            b_.CreateStore(b_.CreateAdd(count, valid64), count_ptr);
        } else if (auto* always = llvm::dyn_cast<llvm::ConstantInt>(arg.valid); is_min_max || !always || !always->isOne()) {
            count = b_.CreateLoad(b_.getInt64Ty(), count_ptr);
            b_.CreateStore(b_.CreateOr(count, valid64), count_ptr);
        } else {
            b_.CreateStore(valid64, count_ptr);  // a SUM's "saw a value" flag, without a load
        }
        if (aggregate.kind == AggregateKind::Count) continue;
        const bool is_double = arg.value->getType()->isDoubleTy();
        llvm::Type* value_type = is_double ? b_.getDoubleTy() : b_.getInt64Ty();
        llvm::Value* old = b_.CreateLoad(value_type, value_ptr);
        llvm::Value* value = arg.value;
        if (aggregate.kind == AggregateKind::Avg) {
            // As the interpreter's AsDouble: decimals are divided down to their scale per value.
            if (!is_double) {
                value = b_.CreateSIToFP(value, b_.getDoubleTy());
                if (argument.return_type.id == TypeId::Decimal)
                    value = b_.CreateFDiv(value, llvm::ConstantFP::get(b_.getDoubleTy(),
                                                                       static_cast<double>(kPowersOfTen[argument.return_type.scale])));
            }
            value = b_.CreateSelect(arg.valid, value, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0));
            b_.CreateStore(b_.CreateFAdd(b_.CreateLoad(b_.getDoubleTy(), value_ptr), value), value_ptr);
            continue;
        }
        if (!is_double) value = value->getType()->isIntegerTy(1) ? b_.CreateZExt(value, b_.getInt64Ty())
                                                                 : b_.CreateSExtOrTrunc(value, b_.getInt64Ty());
        if (aggregate.kind == AggregateKind::Sum) {
            if (is_double) {
                value = b_.CreateSelect(arg.valid, value, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0));
                b_.CreateStore(b_.CreateFAdd(old, value), value_ptr);
                continue;
            }
            value = b_.CreateSelect(arg.valid, value, b_.getInt64(0));
            llvm::Value* pair = b_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, old, value);
            e_.EmitCheck(b_.CreateExtractValue(pair, 1), RtFunction::gz_rt_error_overflow,
                         static_cast<int32_t>(aggregate.return_type.id));
            b_.CreateStore(b_.CreateExtractValue(pair, 0), value_ptr);
            continue;
        }
        // MIN / MAX: the first value, then one that compares lower (higher), as the interpreter's `<`.
        const bool is_min = aggregate.kind == AggregateKind::Min;
        llvm::Value* better;
        if (is_double) better = is_min ? b_.CreateFCmpOLT(value, old) : b_.CreateFCmpOLT(old, value);
        else if (argument.return_type.Physical() == PhysicalType::Bool)
            better = is_min ? b_.CreateICmpULT(value, old) : b_.CreateICmpULT(old, value);
        else better = is_min ? b_.CreateICmpSLT(value, old) : b_.CreateICmpSLT(old, value);
        llvm::Value* replace = e_.And(arg.valid, e_.Or(b_.CreateICmpEQ(count, b_.getInt64(0)), better));
        b_.CreateStore(b_.CreateSelect(replace, value, old), value_ptr);
    }
}

void GroupEmitter::EmitMode(llvm::BasicBlock* entry, bool read_validity) {
    prefix_ = read_validity ? "" : "dense.";
    b_.SetInsertPoint(entry);
    f_.regions.Scan();
    llvm::BasicBlock* header = Block("row");
    llvm::BasicBlock* latch = Block("row.next");
    const TableView initial = LoadTable();
    b_.CreateCondBr(b_.CreateICmpEQ(f_.args.row_count, b_.getInt64(0)), f_.done, header);
    b_.SetInsertPoint(header);
    llvm::PHINode* row = b_.CreatePHI(b_.getInt64Ty(), 2, "row");
    row->addIncoming(b_.getInt64(0), entry);
    TableView table;
    std::vector<llvm::PHINode*> table_phis;
    for (llvm::Value* value : {initial.slots, initial.mask, initial.rows}) {
        table_phis.push_back(b_.CreatePHI(value->getType(), 2));
        table_phis.back()->addIncoming(value, entry);
    }
    table = {table_phis[0], table_phis[1], table_phis[2]};
    e_.SetRow(row, read_validity);

    llvm::Value* passes = b_.getTrue();
    for (size_t filter_idx = 0; filter_idx < spec_.filters.size(); ++filter_idx) {
        f_.regions.Filter(filter_idx);
        passes = e_.EmitConjunct(passes, *spec_.filters[filter_idx]);
    }
    f_.regions.Aggregate();
    llvm::BasicBlock* group = Block("group");
    llvm::BasicBlock* filtered_out = b_.GetInsertBlock();
    b_.CreateCondBr(passes, group, latch);
    b_.SetInsertPoint(group);
    llvm::Value* null_mask = nullptr;
    std::vector<KeyWords> keys = EmitKeys(null_mask);
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
    llvm::BasicBlock* found = Block("probe.found");
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
    llvm::Value* fresh = b_.CreateCall(DeclareRuntimeFunction(*f_.function->getParent(), RtFunction::gz_rt_group_new),
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
    const TableView grown = LoadTable();
    b_.CreateBr(found);

    b_.SetInsertPoint(found);
    llvm::PHINode* row_ptr = b_.CreatePHI(b_.getPtrTy(), 2, "group.row");
    row_ptr->addIncoming(existing, check_end);
    row_ptr->addIncoming(fresh, store_keys);
    const TableView after_group = MergeTables(table, check_end, grown, store_keys);
    EmitUpdate(row_ptr);
    llvm::BasicBlock* updated = b_.GetInsertBlock();
    b_.CreateBr(latch);

    b_.SetInsertPoint(latch);
    f_.regions.Scan();
    const TableView next_table = MergeTables(table, filtered_out, after_group, updated);
    table_phis[0]->addIncoming(next_table.slots, latch);
    table_phis[1]->addIncoming(next_table.mask, latch);
    table_phis[2]->addIncoming(next_table.rows, latch);
    llvm::Value* row_next = b_.CreateAdd(row, b_.getInt64(1), "row.next", /*HasNUW=*/true);
    row->addIncoming(row_next, latch);
    b_.CreateCondBr(b_.CreateICmpULT(row_next, f_.args.row_count), header, f_.done);
}

}  // namespace

std::vector<const Expr*> GroupAggregateSpec::Expressions() const {
    std::vector<const Expr*> exprs(filters.begin(), filters.end());
    exprs.insert(exprs.end(), keys.begin(), keys.end());
    for (const AggregateSpec& aggregate : aggregates)
        if (aggregate.argument) exprs.push_back(aggregate.argument);
    return exprs;
}

GroupAggregateSpec MatchGroupAggregate(const ir::Pipeline& pipeline) {
    GroupAggregateSpec spec;
    if (!pipeline.source || pipeline.source->type != ir::PhysicalOpType::TableScan)
        throw NotCompiledYet("a pipeline without a table scan source");
    for (auto& filter : pipeline.source->table_filters) {
        spec.filters.push_back(filter.get());
        spec.filter_operators.push_back(pipeline.source);
    }
    for (const ir::PhysicalOperator* op : pipeline.operators) {
        if (op->type != ir::PhysicalOpType::Filter)
            throw NotCompiledYet(std::string("a pipeline with a ") + ir::PhysicalOpName(op->type) + " operator");
        for (auto& conjunct : op->expressions) {
            spec.filters.push_back(conjunct.get());
            spec.filter_operators.push_back(op);
        }
    }
    const ir::PhysicalOperator* sink = pipeline.sink;
    if (!sink || sink->type != ir::PhysicalOpType::HashAggregate || sink->expressions.empty())
        throw NotCompiledYet("a pipeline that does not end in a grouped aggregate");
    for (auto& key : sink->expressions) spec.keys.push_back(key.get());
    for (const ir::AggregateExpr& aggregate : sink->aggregates) {
        if (aggregate.distinct || aggregate.filter) throw NotCompiledYet("aggregate " + aggregate.ToString());
        spec.aggregates.push_back(AggregateSpec{aggregate.kind, aggregate.return_type, aggregate.argument.get()});
    }
    Validate(spec);
    return spec;
}

std::string GroupShapeKey(const GroupAggregateSpec& spec) {
    std::string key = "filter[";
    for (size_t filter_idx = 0; filter_idx < spec.filters.size(); ++filter_idx)
        key += (filter_idx ? ";" : "") + ShapeKey(*spec.filters[filter_idx]);
    key += "]group[";
    for (size_t key_idx = 0; key_idx < spec.keys.size(); ++key_idx)
        key += (key_idx ? ";" : "") + ShapeKey(*spec.keys[key_idx]);
    key += "]aggregate[";
    for (size_t agg_idx = 0; agg_idx < spec.aggregates.size(); ++agg_idx) {
        const AggregateSpec& aggregate = spec.aggregates[agg_idx];
        key += (agg_idx ? ";" : "") + std::string(ir::AggregateName(aggregate.kind)) + ':' +
               aggregate.return_type.ToString();
        if (aggregate.argument) key += '(' + ShapeKey(*aggregate.argument) + ')';
    }
    return key + ']';
}

GroupRowLayout::GroupRowLayout(const GroupAggregateSpec& spec) {
    uint32_t offset = 16;  // hash, null mask
    for (const Expr* key : spec.keys) {
        key_offsets.push_back(offset);
        offset += IsStringColumn(*key) ? kStringBytes : 8;
    }
    for (size_t agg_idx = 0; agg_idx < spec.aggregates.size(); ++agg_idx) {
        aggregate_offsets.push_back(offset);
        offset += kStateBytes;
    }
    width = offset;
}

GroupTableBuffer::GroupTableBuffer(uint32_t row_width) {
    constexpr uint64_t kInitialSlots = 1024;
    table_.slots = static_cast<uint64_t*>(std::calloc(kInitialSlots, sizeof(uint64_t)));
    if (!table_.slots) throw Error(SqlState::OutOfMemory, "out of memory (GROUP BY hash table)");
    table_.mask = kInitialSlots - 1;
    table_.row_width = row_width;
}

GroupTableBuffer::~GroupTableBuffer() {
    std::free(table_.slots);
    std::free(table_.rows);
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
    // Writes the 8-byte word at `cell` into row `row` of `out`, narrowed to its physical type.
    auto put_word = [](Vector& out, idx_t row, const uint8_t* cell) {
        uint64_t bits;
        std::memcpy(&bits, cell, sizeof(bits));
        switch (out.Physical()) {
        case PhysicalType::Bool: out.Data<uint8_t>()[row] = bits != 0; break;
        case PhysicalType::Int32: out.Data<int32_t>()[row] = static_cast<int32_t>(bits); break;
        case PhysicalType::Int64:
        case PhysicalType::Double: std::memcpy(out.RawData() + row * 8, &bits, 8); break;
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
                if (count == 0) chunk.columns[column].Validity().SetInvalid(i);
                else put_word(chunk.columns[column], i, state + 8);
            }
        }
        chunk.size = n;
        chunks.push_back(std::move(chunk));
    }
    return chunks;
}

CompiledCodePtr CompileGroupPipeline(const GroupAggregateSpec& spec, const CompileOptions& options) {
    Validate(spec);
    PipelineFunction f(spec.Expressions(), spec.filters.size(), options);
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
    ThrowIfFailed(rc, status);
}

}  // namespace grizzly::codegen
