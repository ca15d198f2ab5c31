/// The filter → ungrouped aggregate pipeline compiler (see pipeline_compiler.hpp
/// for the generated function's contract and loop structure).
#include "codegen/pipeline_compiler.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>

#include <llvm/IR/Intrinsics.h>

#include "codegen/expr_emitter.hpp"
#include "codegen/jit.hpp"
#include "codegen/pipeline_function.hpp"

namespace grizzly::codegen {

using ir::AggregateKind;
using ir::Expr;

namespace {

/// Rows per block: keeps the split 32-bit sums of a block far from overflowing
/// and bounds the work the checked loop may redo.
constexpr uint64_t kBlockRows = uint64_t{1} << 16;

bool IsIntegerSum(const AggregateSpec& aggregate) {
    return aggregate.kind == AggregateKind::Sum && aggregate.argument->return_type.Physical() != PhysicalType::Double;
}

bool IsDoubleSum(const AggregateSpec& aggregate) {
    return aggregate.kind == AggregateKind::Sum && aggregate.argument->return_type.Physical() == PhysicalType::Double;
}

/// The type an integer sum overflows as (runtime's UpdateSum): decimals add up
/// their unscaled values and overflow as "numeric", integers as "bigint".
int32_t SumOverflowType(const AggregateSpec& aggregate) {
    return static_cast<int32_t>(aggregate.return_type.id == TypeId::Decimal ? TypeId::Decimal : TypeId::BigInt);
}

void Validate(const FilterAggregateSpec& spec) {
    for (const Expr* filter : spec.filters) {
        if (std::string reason = WhyNotCompilable(*filter); !reason.empty()) throw NotCompiledYet(reason);
        if (filter->return_type.id != TypeId::Boolean) throw NotCompiledYet("a non-boolean filter");
        // This shape's state has no RowCalls; the grouped shape (one group) takes such pipelines.
        if (NeedsRowCalls(*filter))
            throw NotCompiledYet("a row call in a filtered aggregate");
    }
    if (spec.aggregates.empty()) throw NotCompiledYet("a pipeline without aggregates");
    for (const AggregateSpec& aggregate : spec.aggregates) {
        switch (aggregate.kind) {
        case AggregateKind::CountStar:
            if (aggregate.filter)
                throw NotCompiledYet("an aggregate's FILTER in a filtered aggregate");
            continue;
        case AggregateKind::Count:
        case AggregateKind::Sum: break;
        default: throw NotCompiledYet(std::string("aggregate ") + ir::AggregateName(aggregate.kind));
        }
        GZ_CHECK(aggregate.argument != nullptr, "an aggregate without its argument");
        // The grouped shape (one group) takes aggregates with a FILTER or DISTINCT.
        if (aggregate.filter || aggregate.distinct)
            throw NotCompiledYet("an aggregate's FILTER or DISTINCT in a filtered aggregate");
        if (std::string reason = WhyNotCompilable(*aggregate.argument); !reason.empty()) throw NotCompiledYet(reason);
        if (NeedsRowCalls(*aggregate.argument) || aggregate.argument->return_type.Physical() == PhysicalType::String)
            throw NotCompiledYet("count(" + aggregate.argument->return_type.ToString() + ") in a filtered aggregate");
        if (aggregate.kind == AggregateKind::Sum) {
            const LogicalType& type = aggregate.argument->return_type;
            if (!type.IsInteger() && type.id != TypeId::Double && type.id != TypeId::Real && type.id != TypeId::Decimal)
                throw NotCompiledYet("sum(" + type.ToString() + ")");
        }
    }
}

/// Emits the pipeline function's body into an existing function.
class PipelineEmitter {
public:
    PipelineEmitter(const FilterAggregateSpec& spec, llvm::IRBuilder<>& builder, ExprEmitter& emitter,
                    MorselArgs args, llvm::Value* state, llvm::BasicBlock* done, RegionLocations& regions)
        : spec_(spec), b_(builder), emitter_(emitter), args_(args), state_(state), done_(done),
          function_(builder.GetInsertBlock()->getParent()), regions_(regions) {}

    /// Emits the block loop of one mode, starting at `entry`.
    void EmitMode(llvm::BasicBlock* entry, bool read_validity);

private:
    struct LoopResult {
        std::vector<llvm::Value*> finals;  ///< accumulator values after the last row
    };

    llvm::Value* StateField(size_t aggregate_idx, uint64_t offset) {
        return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), state_, aggregate_idx * sizeof(AggregateState) + offset);
    }
    llvm::Value* Add(llvm::Value* a, llvm::Value* c) { return b_.CreateAdd(a, c); }

    /// One loop over [begin, end). `exact`: integer sums are checked per row;
    /// otherwise they are accumulated as split positive/negative parts.
    LoopResult EmitRowLoop(const char* name, llvm::Value* begin, llvm::Value* end, bool exact, bool read_validity,
                           const std::vector<llvm::Value*>& init);

    const FilterAggregateSpec& spec_;
    llvm::IRBuilder<>& b_;
    ExprEmitter& emitter_;
    MorselArgs args_;
    llvm::Value* state_;
    llvm::BasicBlock* done_;
    llvm::Function* function_;
    RegionLocations& regions_;
};

PipelineEmitter::LoopResult PipelineEmitter::EmitRowLoop(const char* name, llvm::Value* begin, llvm::Value* end,
                                                         bool exact, bool read_validity,
                                                         const std::vector<llvm::Value*>& init) {
    llvm::LLVMContext& context = b_.getContext();
    llvm::BasicBlock* preheader = b_.GetInsertBlock();
    llvm::BasicBlock* header = llvm::BasicBlock::Create(context, name, function_);
    b_.CreateBr(header);
    b_.SetInsertPoint(header);
    regions_.Scan();
    llvm::PHINode* row = b_.CreatePHI(b_.getInt64Ty(), 2, "row");
    row->addIncoming(begin, preheader);
    regions_.Aggregate();
    std::vector<llvm::PHINode*> phis;
    for (llvm::Value* value : init) {
        llvm::PHINode* phi = b_.CreatePHI(value->getType(), 2);
        phi->addIncoming(value, preheader);
        phis.push_back(phi);
    }
    emitter_.SetRow(row, read_validity);

    llvm::Value* passes = b_.getTrue();
    for (size_t filter_idx = 0; filter_idx < spec_.filters.size(); ++filter_idx) {
        regions_.Filter(filter_idx);
        passes = emitter_.EmitConjunct(passes, *spec_.filters[filter_idx]);
    }
    regions_.Aggregate();
    llvm::Value* passes64 = b_.CreateZExt(passes, b_.getInt64Ty());
    std::vector<llvm::Value*> next;
    size_t acc = 0;
    for (const AggregateSpec& aggregate : spec_.aggregates) {
        if (aggregate.kind == AggregateKind::CountStar) {
            next.push_back(Add(phis[acc++], passes64));
            continue;
        }
        // The argument runs only for rows that passed (when it can fail), as in the interpreter.
        Lowered arg = emitter_.EmitGuarded(passes, *aggregate.argument);
        llvm::Value* take = emitter_.And(passes, arg.valid);
        next.push_back(Add(phis[acc++], b_.CreateZExt(take, b_.getInt64Ty())));
        if (aggregate.kind == AggregateKind::Count) continue;
        if (IsDoubleSum(aggregate)) {
            // Adding +0.0 for skipped rows changes nothing: the sum starts at +0.0, so it is never -0.0.
            llvm::Value* value = b_.CreateSelect(take, arg.value, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0));
            next.push_back(b_.CreateFAdd(phis[acc++], value));
            continue;
        }
        llvm::Value* value = b_.CreateSExtOrTrunc(arg.value, b_.getInt64Ty());
        value = b_.CreateSelect(take, value, b_.getInt64(0));
        if (exact) {
            llvm::Value* pair = b_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, phis[acc++], value);
            emitter_.EmitCheck(b_.CreateExtractValue(pair, 1), RtFunction::gz_rt_error_overflow,
                               SumOverflowType(aggregate));
            next.push_back(b_.CreateExtractValue(pair, 0));
            continue;
        }
        llvm::Value* positive = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, value, b_.getInt64(0));
        llvm::Value* negative = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, value, b_.getInt64(0));
        llvm::Value* low_mask = b_.getInt64(0xFFFFFFFFu);
        next.push_back(Add(phis[acc++], b_.CreateAnd(positive, low_mask)));
        next.push_back(Add(phis[acc++], b_.CreateLShr(positive, 32)));
        next.push_back(Add(phis[acc++], b_.CreateAnd(negative, low_mask)));
        next.push_back(Add(phis[acc++], b_.CreateAShr(negative, 32)));
    }
    GZ_CHECK(next.size() == phis.size(), "accumulator count mismatch");

    llvm::BasicBlock* latch = b_.GetInsertBlock();
    regions_.Scan();
    llvm::Value* row_next = b_.CreateAdd(row, b_.getInt64(1), "row.next", /*HasNUW=*/true);
    row->addIncoming(row_next, latch);
    for (size_t acc_idx = 0; acc_idx < phis.size(); ++acc_idx) phis[acc_idx]->addIncoming(next[acc_idx], latch);
    llvm::BasicBlock* exit = llvm::BasicBlock::Create(context, std::string(name) + ".exit", function_);
    llvm::Value* more = b_.CreateICmpULT(row_next, end);
    // The vectorizer gives the reductions it emits after the loop this branch's
    // location, and those finish the aggregates.
    regions_.Aggregate();
    b_.CreateCondBr(more, header, exit);
    b_.SetInsertPoint(exit);
    return LoopResult{std::move(next)};
}

void PipelineEmitter::EmitMode(llvm::BasicBlock* entry, bool read_validity) {
    llvm::LLVMContext& context = b_.getContext();
    const char* prefix = read_validity ? "" : "dense.";
    auto block = [&](const std::string& name) {
        return llvm::BasicBlock::Create(context, prefix + name, function_);
    };
    b_.SetInsertPoint(entry);
    regions_.Scan();
    llvm::BasicBlock* head = block("block");
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    llvm::PHINode* block_start = b_.CreatePHI(b_.getInt64Ty(), 3, "block.start");
    block_start->addIncoming(b_.getInt64(0), entry);
    llvm::BasicBlock* body = block("block.body");
    b_.CreateCondBr(b_.CreateICmpULT(block_start, args_.row_count), body, done_);
    b_.SetInsertPoint(body);
    llvm::Value* block_end = b_.CreateBinaryIntrinsic(
        llvm::Intrinsic::umin, b_.CreateAdd(block_start, b_.getInt64(kBlockRows), "", /*HasNUW=*/true),
        args_.row_count);

    // ---- the state at the block's start ----
    regions_.Aggregate();
    struct Start {
        llvm::Value* count = nullptr;
        llvm::Value* sum_int = nullptr;
        llvm::Value* sum_double = nullptr;
    };
    std::vector<Start> starts;
    for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx) {
        const AggregateSpec& aggregate = spec_.aggregates[agg_idx];
        Start start;
        start.count = b_.CreateLoad(b_.getInt64Ty(), StateField(agg_idx, offsetof(AggregateState, count)));
        if (IsIntegerSum(aggregate))
            start.sum_int = b_.CreateLoad(b_.getInt64Ty(), StateField(agg_idx, offsetof(AggregateState, sum_int)));
        if (IsDoubleSum(aggregate))
            start.sum_double =
                b_.CreateLoad(b_.getDoubleTy(), StateField(agg_idx, offsetof(AggregateState, sum_double)));
        starts.push_back(start);
    }

    auto store_results = [&](const std::vector<llvm::Value*>& counts, const std::vector<llvm::Value*>& sums_int,
                             const std::vector<llvm::Value*>& sums_double) {
        for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx) {
            b_.CreateStore(counts[agg_idx], StateField(agg_idx, offsetof(AggregateState, count)));
            if (sums_int[agg_idx])
                b_.CreateStore(sums_int[agg_idx], StateField(agg_idx, offsetof(AggregateState, sum_int)));
            if (sums_double[agg_idx])
                b_.CreateStore(sums_double[agg_idx], StateField(agg_idx, offsetof(AggregateState, sum_double)));
        }
        block_start->addIncoming(block_end, b_.GetInsertBlock());
        b_.CreateBr(head);
    };

    // ---- fast loop: accumulators in registers, no early exit ----
    std::vector<llvm::Value*> init;
    for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx) {
        init.push_back(starts[agg_idx].count);
        if (IsDoubleSum(spec_.aggregates[agg_idx])) init.push_back(starts[agg_idx].sum_double);
        if (IsIntegerSum(spec_.aggregates[agg_idx]))
            for (int part = 0; part < 4; ++part) init.push_back(b_.getInt64(0));
    }
    LoopResult fast = EmitRowLoop(read_validity ? "fast" : "dense.fast", block_start, block_end, false,
                                  read_validity, init);

    std::vector<llvm::Value*> counts, sums_int, sums_double;
    regions_.Aggregate();
    llvm::Value* fits = b_.getTrue();
    llvm::Type* i128 = b_.getInt128Ty();
    size_t acc = 0;
    for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx) {
        const AggregateSpec& aggregate = spec_.aggregates[agg_idx];
        counts.push_back(fast.finals[acc++]);
        sums_int.push_back(nullptr);
        sums_double.push_back(nullptr);
        if (IsDoubleSum(aggregate)) sums_double.back() = fast.finals[acc++];
        if (!IsIntegerSum(aggregate)) continue;
        llvm::Value* positive_low = b_.CreateZExt(fast.finals[acc++], i128);
        llvm::Value* positive_high = b_.CreateZExt(fast.finals[acc++], i128);
        llvm::Value* negative_low = b_.CreateZExt(fast.finals[acc++], i128);
        llvm::Value* negative_high = b_.CreateSExt(fast.finals[acc++], i128);
        llvm::Value* shift = llvm::ConstantInt::get(i128, 32);
        llvm::Value* positive = b_.CreateAdd(b_.CreateShl(positive_high, shift), positive_low);
        llvm::Value* negative = b_.CreateAdd(b_.CreateShl(negative_high, shift), negative_low);
        llvm::Value* running = b_.CreateSExt(starts[agg_idx].sum_int, i128);
        // Every prefix sum of the block lies in [running + negative, running + positive].
        llvm::Value* max = llvm::ConstantInt::get(i128, static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
        llvm::Value* min = llvm::ConstantInt::getSigned(i128, std::numeric_limits<int64_t>::min());
        fits = emitter_.And(fits, b_.CreateICmpSLE(b_.CreateAdd(running, positive), max));
        fits = emitter_.And(fits, b_.CreateICmpSGE(b_.CreateAdd(running, negative), min));
        sums_int.back() = b_.CreateTrunc(b_.CreateAdd(running, b_.CreateAdd(positive, negative)), b_.getInt64Ty());
    }
    const bool has_integer_sum = std::any_of(spec_.aggregates.begin(), spec_.aggregates.end(), IsIntegerSum);
    if (!has_integer_sum) {
        store_results(counts, sums_int, sums_double);
        return;
    }
    llvm::BasicBlock* commit = block("commit");
    llvm::BasicBlock* recheck = block("recheck");
    b_.CreateCondBr(fits, commit, recheck);
    b_.SetInsertPoint(commit);
    store_results(counts, sums_int, sums_double);

    // ---- checked loop: the block again, integer sums checked row by row ----
    b_.SetInsertPoint(recheck);
    regions_.Aggregate();
    init.clear();
    for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx) {
        init.push_back(starts[agg_idx].count);
        if (IsDoubleSum(spec_.aggregates[agg_idx])) init.push_back(starts[agg_idx].sum_double);
        if (IsIntegerSum(spec_.aggregates[agg_idx])) init.push_back(starts[agg_idx].sum_int);
    }
    LoopResult exact = EmitRowLoop(read_validity ? "checked" : "dense.checked", block_start, block_end, true,
                                   read_validity, init);
    regions_.Aggregate();
    counts.clear();
    sums_int.clear();
    sums_double.clear();
    acc = 0;
    for (const AggregateSpec& aggregate : spec_.aggregates) {
        counts.push_back(exact.finals[acc++]);
        sums_double.push_back(IsDoubleSum(aggregate) ? exact.finals[acc++] : nullptr);
        sums_int.push_back(IsIntegerSum(aggregate) ? exact.finals[acc++] : nullptr);
    }
    store_results(counts, sums_int, sums_double);
}

}  // namespace

std::vector<std::string> FilterAggregateSpec::Regions() const { return RegionNames(filters.size()); }

std::vector<std::string> RegionNames(size_t filter_count, const char* terminal) {
    std::vector<std::string> regions{"scan"};
    for (size_t filter_idx = 0; filter_idx < filter_count; ++filter_idx)
        regions.push_back("filter." + std::to_string(filter_idx));
    regions.push_back(terminal);
    return regions;
}

std::vector<const Expr*> FilterAggregateSpec::Expressions() const {
    std::vector<const Expr*> exprs(filters.begin(), filters.end());
    for (const AggregateSpec& aggregate : aggregates)
        if (aggregate.argument) exprs.push_back(aggregate.argument);
    return exprs;
}

uint32_t SourceWidth(const ir::Pipeline& pipeline) {
    const ir::PhysicalOperator& source = *pipeline.source;
    return static_cast<uint32_t>(source.type == ir::PhysicalOpType::TableScan ? source.column_ids.size()
                                                                               : source.types.size());
}

void MatchScanFilters(const ir::Pipeline& pipeline, std::vector<const Expr*>& filters,
                      std::vector<const ir::PhysicalOperator*>& operators) {
    if (!pipeline.source) throw NotCompiledYet("a pipeline without a source");
    // Listing the shape cache would add the listing's own shape to it.
    if (pipeline.source->type == ir::PhysicalOpType::TableFunction &&
        pipeline.source->function == ir::TableFunctionKind::JitCache)
        throw NotCompiledYet("a pipeline over grizzly_jit_cache()");
    for (auto& filter : pipeline.source->table_filters) {
        filters.push_back(filter.get());
        operators.push_back(pipeline.source);
    }
}

std::vector<AggregateSpec> MatchAggregates(const ir::PhysicalOperator& sink) {
    std::vector<AggregateSpec> aggregates;
    for (const ir::AggregateExpr& aggregate : sink.aggregates) {
        aggregates.push_back(AggregateSpec{aggregate.kind, aggregate.return_type, aggregate.argument.get(),
                                           aggregate.filter.get(), aggregate.distinct, aggregate.separator.get()});
    }
    return aggregates;
}

FilterAggregateSpec MatchFilterAggregate(const ir::Pipeline& pipeline) {
    FilterAggregateSpec spec;
    MatchScanFilters(pipeline, spec.filters, spec.filter_operators);
    for (const ir::PhysicalOperator* op : pipeline.operators) {
        if (op->type != ir::PhysicalOpType::Filter)
            throw NotCompiledYet(std::string("a pipeline with a ") + ir::PhysicalOpName(op->type) + " operator");
        for (auto& conjunct : op->expressions) {
            spec.filters.push_back(conjunct.get());
            spec.filter_operators.push_back(op);
        }
    }
    const ir::PhysicalOperator* sink = pipeline.sink;
    if (!sink || sink->type != ir::PhysicalOpType::HashAggregate || !sink->expressions.empty())
        throw NotCompiledYet("a pipeline that does not end in an ungrouped aggregate");
    spec.aggregates = MatchAggregates(*sink);
    Validate(spec);
    return spec;
}

std::string ExpressionsShapeKey(const char* part, const std::vector<const Expr*>& exprs) {
    std::string key = std::string(part) + '[';
    for (size_t expr_idx = 0; expr_idx < exprs.size(); ++expr_idx)
        key += (expr_idx ? ";" : "") + ShapeKey(*exprs[expr_idx]);
    return key + ']';
}

std::string AggregatesShapeKey(const std::vector<AggregateSpec>& aggregates) {
    std::string key = "aggregate[";
    for (size_t agg_idx = 0; agg_idx < aggregates.size(); ++agg_idx) {
        const AggregateSpec& aggregate = aggregates[agg_idx];
        key += (agg_idx ? ";" : "") + std::string(ir::AggregateName(aggregate.kind)) + ':' +
               aggregate.return_type.ToString();
        if (aggregate.argument) key += '(' + ShapeKey(*aggregate.argument) + ')';
        if (aggregate.filter)
            key += "filter(" + ShapeKey(*aggregate.filter) + ')';
        if (aggregate.distinct)
            key += "distinct";
        if (aggregate.separator)
            key += "separator(" + ShapeKey(*aggregate.separator) + ')';
    }
    return key + ']';
}

std::string PipelineShapeKey(const FilterAggregateSpec& spec) {
    return ExpressionsShapeKey("filter", spec.filters) + AggregatesShapeKey(spec.aggregates);
}

Value FinalizeAggregate(const AggregateSpec& spec, const AggregateState& state) {
    switch (spec.kind) {
    case AggregateKind::CountStar:
    case AggregateKind::Count: return Value::BigInt(state.count);
    case AggregateKind::Sum:
        if (state.count == 0) return Value::Null(spec.return_type);
        if (IsDoubleSum(spec)) return Value::FromDouble(spec.return_type, state.sum_double);
        return Value::FromInt(spec.return_type, state.sum_int);
    default: throw Error::Internal("not a compiled aggregate");
    }
}

void CombineAggregate(const AggregateSpec& spec, const AggregateState& local, AggregateState& global) {
    global.count += local.count;
    if (IsDoubleSum(spec)) global.sum_double += local.sum_double;
    else if (spec.kind == AggregateKind::Sum &&
             __builtin_add_overflow(global.sum_int, local.sum_int, &global.sum_int)) {
        GzExecStatus status{};
        gz_rt_error_overflow(&status, SumOverflowType(spec));
        throw StatusError(status);
    }
}

void CompiledPipeline::RunMorsel(const MorselInput& input, const GzParamSlot* params, AggregateState* states) const {
    GZ_CHECK(input.validity != nullptr || input.row_count == 0, "the validity array must not be null");
    GzExecStatus status{};
    const int32_t rc = Entry()(input.columns, input.validity, input.row_count, params, states, &status);
    ThrowIfFailed(rc, status);
}

CompiledPipeline CompilePipeline(const FilterAggregateSpec& spec, const CompileOptions& options) {
    Validate(spec);
    PipelineFunction f(spec.Expressions(), spec.filters.size(), options);
    PipelineEmitter pipeline(spec, f.b, *f.emitter, f.args, f.state, f.done, f.regions);
    pipeline.EmitMode(f.dense, /*read_validity=*/false);
    pipeline.EmitMode(f.general, /*read_validity=*/true);
    return CompiledPipeline(f.Compile());
}

CompiledPipeline CompilePipeline(const FilterAggregateSpec& spec, const CompileOptions& options, ShapeCache& cache) {
    Validate(spec);
    CompiledCodePtr code =
        cache.GetOrCompile(PipelineShapeKey(spec), [&] { return CompilePipeline(spec, options).SharedCode(); });
    return CompiledPipeline(std::move(code));
}

}  // namespace grizzly::codegen
