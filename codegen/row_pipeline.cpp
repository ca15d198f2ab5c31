/// The row shape: matching (projections folded in) and the batches the run
/// hands on (see row_pipeline.hpp).
#include "codegen/row_pipeline.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "common/error.hpp"

namespace grizzly::codegen {

using ir::Expr;

namespace {

/// `expr` with every column reference of this query replaced by a copy of
/// the expression `columns` holds at its position.
ir::ExprPtr Fold(const Expr& expr, const std::vector<const Expr*>& columns) {
    if (expr.type == ir::ExprType::ColumnRef && expr.depth == 0) {
        GZ_CHECK(expr.position < columns.size(), "column reference past the operator's input");
        return columns[expr.position]->Copy();
    }
    ir::ExprPtr copy = expr.Copy();
    for (size_t child = 0; child < expr.children.size(); ++child)
        copy->children[child] = Fold(*expr.children[child], columns);
    // A correlated subquery's outer values read the same columns.
    for (size_t outer = 0; outer < expr.correlated.size(); ++outer)
        copy->correlated[outer] = Fold(*expr.correlated[outer], columns);
    return copy;
}

/// `expr`, owned by the spec (its `made` expressions).
const Expr* KeepMade(GroupAggregateSpec& spec, ir::ExprPtr expr) {
    spec.made->push_back(std::move(expr));
    return spec.made->back().get();
}

std::string WhyNotOutput(const Expr& output) {
    if (IsGathered(output)) return "";
    return WhyNotCompilable(output);
}

std::string Article(const std::string& name) {
    return (std::string("AEIOU").find(name[0]) != std::string::npos ? "an " : "a ") + name;
}

/// Matching state: the covered operators' output columns so far, over the
/// spec's positions.
class RowMatcher {
public:
    RowMatcher(const ir::Pipeline& pipeline, RowPipelineSpec& spec) : spec_(spec) {
        spec_.emits_rows = true;
        spec_.made = std::make_shared<std::vector<ir::ExprPtr>>();
        MatchScanFilters(pipeline, spec_.filters, spec_.filter_operators);
        for (const Expr* filter : spec_.filters)
            if (std::string reason = WhyNotCompilable(*filter); !reason.empty()) throw NotCompiledYet(reason);
        const ir::PhysicalOperator& scan = *pipeline.source;
        spec_.scan_width = SourceWidth(pipeline);
        for (uint32_t position = 0; position < spec_.scan_width; ++position) columns_.push_back(Column(position, scan.types[position]));
        next_build_ = spec_.scan_width + 1;  // past the live-row column
    }

    /// Adds `op` to the code, or returns why it stays in the interpreter (nothing added).
    std::string Cover(const ir::PhysicalOperator& op) {
        switch (op.type) {
        case ir::PhysicalOpType::Filter: return CoverFilter(op);
        case ir::PhysicalOpType::Projection: return CoverProjection(op);
        case ir::PhysicalOpType::HashJoin:
        case ir::PhysicalOpType::NestedLoopJoin: return CoverJoin(op);
        case ir::PhysicalOpType::Limit:
            // Its counts live in the interpreter's operator; the code counts in them (BindLimit).
            spec_.ends_in_limit = true;
            return "";
        default: return Article(ir::PhysicalOpName(op.type)) + " operator";
        }
    }

    void Finish() {
        spec_.outputs = columns_;
        for (const Expr* output : columns_) spec_.output_types.push_back(output->return_type);
    }

private:
    const Expr* Keep(ir::ExprPtr expr) { return KeepMade(spec_, std::move(expr)); }
    const Expr* Column(uint32_t position, const LogicalType& type) {
        auto column = std::make_unique<Expr>(ir::ExprType::ColumnRef, type);
        column->position = position;
        return Keep(std::move(column));
    }

    std::string CoverFilter(const ir::PhysicalOperator& op) {
        std::vector<ir::ExprPtr> conjuncts;
        for (const auto& conjunct : op.expressions) {
            conjuncts.push_back(Fold(*conjunct, columns_));
            if (std::string reason = WhyNotCompilable(*conjuncts.back()); !reason.empty()) return reason;
        }
        for (ir::ExprPtr& conjunct : conjuncts) {
            const Expr* kept = Keep(std::move(conjunct));
            if (!spec_.joins.empty()) {
                spec_.joins.back().filters.push_back(kept);
                continue;
            }
            spec_.filters.push_back(kept);
            spec_.filter_operators.push_back(&op);
        }
        return "";
    }

    std::string CoverProjection(const ir::PhysicalOperator& op) {
        std::vector<ir::ExprPtr> outputs;
        for (const auto& output : op.expressions) {
            outputs.push_back(Fold(*output, columns_));
            if (std::string reason = WhyNotOutput(*outputs.back()); !reason.empty()) return reason;
        }
        columns_.clear();
        for (ir::ExprPtr& output : outputs) columns_.push_back(Keep(std::move(output)));
        return "";
    }

    std::string CoverJoin(const ir::PhysicalOperator& op) {
        if (std::string reason = WhyNotJoinProbe(op); !reason.empty()) return reason;
        JoinProbeSpec join = MatchJoinProbe(op);
        if (op.probe_width != columns_.size()) return "a join whose probe columns are not its input";
        if (join.EmitsBuildColumns() && op.types.size() != columns_.size() + join.build_types.size())
            return "a join that does not output all its build columns";
        // The join's own positions: its input's columns, then (from probe_width) its build columns.
        std::vector<const Expr*> pair = columns_;
        for (uint32_t column = 0; column < join.build_types.size(); ++column)
            pair.push_back(Column(next_build_ + column, join.build_types[column]));
        std::vector<ir::ExprPtr> folded;
        for (const Expr* key : join.probe_keys) {
            folded.push_back(Fold(*key, columns_));
            if (std::string reason = WhyNotKey(*folded.back()); !reason.empty()) return reason;
        }
        if (join.condition) {
            folded.push_back(Fold(*join.condition, pair));
            if (std::string reason = WhyNotCompilable(*folded.back()); !reason.empty()) return reason;
        }
        for (size_t key = 0; key < join.probe_keys.size(); ++key) join.probe_keys[key] = Keep(std::move(folded[key]));
        if (join.condition) join.condition = Keep(std::move(folded.back()));
        if (join.HasBuildRange()) {
            join.probe_width = next_build_;
            next_build_ += static_cast<uint32_t>(join.build_types.size());
        }
        if (join.EmitsBuildColumns()) columns_ = std::move(pair);
        spec_.joins.push_back(std::move(join));
        return "";
    }

    RowPipelineSpec& spec_;
    std::vector<const Expr*> columns_;
    uint32_t next_build_ = 0;
};

template <size_t Bytes>
void GatherFixed(uint8_t* out, const uint8_t* in, const uint32_t* rows, idx_t count) {
    for (idx_t i = 0; i < count; ++i) std::memcpy(out + i * Bytes, in + size_t(rows[i]) * Bytes, Bytes);
}

void GatherValues(uint8_t* out, const uint8_t* in, const uint32_t* rows, idx_t count, uint32_t bytes) {
    switch (bytes) {
    case 1: GatherFixed<1>(out, in, rows, count); break;
    case 2: GatherFixed<2>(out, in, rows, count); break;
    case 4: GatherFixed<4>(out, in, rows, count); break;
    case 8: GatherFixed<8>(out, in, rows, count); break;
    case 16: GatherFixed<16>(out, in, rows, count); break;
    default:
        for (idx_t i = 0; i < count; ++i) std::memcpy(out + i * bytes, in + size_t(rows[i]) * bytes, bytes);
    }
}

bool BitIsSet(const uint64_t* words, uint64_t row) { return words[row >> 6] >> (row & 63) & 1; }

}  // namespace

RowPipelineSpec CoverOperators(const ir::Pipeline& pipeline) {
    RowPipelineSpec spec;
    RowMatcher matcher(pipeline, spec);
    for (const ir::PhysicalOperator* op : pipeline.operators) {
        spec.stop_reason = matcher.Cover(*op);
        if (!spec.stop_reason.empty()) break;
        ++spec.operators;
        // The operators after a LIMIT run on the rows it passes: the code ends there.
        if (spec.ends_in_limit) {
            if (spec.operators < pipeline.operators.size())
                spec.stop_reason = "an operator after a LIMIT";
            break;
        }
        if (!spec.joins.empty() && spec.joins.back().EmitsOnlyAtEnd()) {
            spec.ends_in_marking_join = true;
            break;
        }
    }
    matcher.Finish();
    return spec;
}

RowPipelineSpec MatchRowPipeline(const ir::Pipeline& pipeline) {
    RowPipelineSpec spec = CoverOperators(pipeline);
    const bool computes = !spec.filters.empty() || !spec.joins.empty() ||
                          std::any_of(spec.outputs.begin(), spec.outputs.end(), [](const Expr* e) { return !IsGathered(*e); });
    if (!computes)
        throw NotCompiledYet(spec.stop_reason.empty() ? "a pipeline that only passes columns on" : spec.stop_reason);
    return spec;
}

GroupAggregateSpec MatchGroupAggregate(const ir::Pipeline& pipeline) {
    const ir::PhysicalOperator* sink = pipeline.sink;
    if (!sink || sink->type != ir::PhysicalOpType::HashAggregate)
        throw NotCompiledYet("a pipeline that does not end in an aggregate");
    RowPipelineSpec rows = CoverOperators(pipeline);
    if (rows.operators < pipeline.operators.size()) throw NotCompiledYet(rows.stop_reason);
    if (rows.ends_in_limit)
        throw NotCompiledYet("an aggregate of the rows a LIMIT passes");
    if (rows.ends_in_marking_join)
        throw NotCompiledYet("an aggregate of the rows a " + std::string(ir::JoinTypeName(rows.joins.back().type)) +
                             " join emits at its end");
    GroupAggregateSpec spec = rows;
    spec.emits_rows = false;
    spec.outputs.clear();
    for (auto& key : sink->expressions) spec.keys.push_back(KeepMade(spec, Fold(*key, rows.outputs)));
    spec.aggregates = MatchAggregates(*sink);
    for (AggregateSpec& aggregate : spec.aggregates) {
        if (aggregate.argument) aggregate.argument = KeepMade(spec, Fold(*aggregate.argument, rows.outputs));
        if (aggregate.filter)
            aggregate.filter = KeepMade(spec, Fold(*aggregate.filter, rows.outputs));
        if (aggregate.separator)
            aggregate.separator = KeepMade(spec, Fold(*aggregate.separator, rows.outputs));
    }
    ValidateGroupAggregate(spec);
    return spec;
}

RowBatches::RowBatches(const RowPipelineSpec& spec) : spec_(spec) {
    std::vector<std::pair<uint32_t, uint32_t>> ranges;  // first position, build range
    for (const JoinProbeSpec& join : spec.joins)
        if (join.HasBuildRange()) ranges.emplace_back(join.probe_width, static_cast<uint32_t>(ranges.size()));
    for (size_t output = 0; output < spec.outputs.size(); ++output) {
        const Expr& expr = *spec.outputs[output];
        Source source;
        if (!IsGathered(expr)) {
            source.index = static_cast<uint32_t>(computed_outputs_.size());
            computed_outputs_.push_back(output);
        } else if (expr.position < spec.scan_width) {
            source.kind = Source::Scan;
            source.index = expr.position;
        } else {
            source.kind = Source::Build;
            for (const auto& [first, range] : ranges) {
                if (expr.position < first) break;
                source.index = range;
                source.column = expr.position - first;
            }
        }
        sources_.push_back(source);
    }
    scan_rows_.resize(kVectorSize);
    build_rows_.assign(ranges.size(), std::vector<uint32_t>(kVectorSize));
    for (auto& rows : build_rows_) build_row_arrays_.push_back(rows.data());
    valid_.assign(computed_outputs_.size(), std::vector<uint8_t>(kVectorSize));
    for (auto& valid : valid_) valid_arrays_.push_back(valid.data());
    value_arrays_.resize(computed_outputs_.size());
    NewComputedVectors();
    buffer_.scan_rows = scan_rows_.data();
    buffer_.build_rows = build_row_arrays_.data();
    buffer_.values = value_arrays_.data();
    buffer_.valid = valid_arrays_.data();
    buffer_.capacity = kVectorSize;
    buffer_.flush = &RowBatches::FlushBatch;
    buffer_.owner = this;
    buffer_.calls = &calls_;
}

void RowBatches::Bind(std::function<bool(DataChunk&)> emit, std::vector<std::shared_ptr<StringHeap>> scan_heaps) {
    emit_ = std::move(emit);
    scan_heaps_ = std::move(scan_heaps);
}

void RowBatches::BindJoins(std::vector<const GzJoinTable*> joins) {
    joins_ = std::move(joins);
    buffer_.joins = joins_.data();
    range_tables_.clear();
    for (size_t join = 0; join < spec_.joins.size() && join < joins_.size(); ++join)
        if (spec_.joins[join].HasBuildRange()) range_tables_.push_back(joins_[join]);
}

void RowBatches::NewComputedVectors() {
    computed_.clear();
    for (size_t computed = 0; computed < computed_outputs_.size(); ++computed) {
        computed_.emplace_back(spec_.output_types[computed_outputs_[computed]], kVectorSize);
        value_arrays_[computed] = computed_.back().RawData();
    }
}

int32_t RowBatches::FlushBatch(GzOutputBuffer* buffer, GzExecStatus* status) noexcept {
    auto* self = static_cast<RowBatches*>(buffer->owner);
    try {
        return self->Flush() ? 0 : kGzStatusStop;
    } catch (...) {
        self->pending_ = std::current_exception();
        status->failed = 1;
        return kGzStatusError;
    }
}

void RowBatches::Gather(const Source& source, Vector& out, idx_t count) const {
    const uint32_t bytes = PhysicalSize(out.Physical());
    const bool strings = out.Physical() == PhysicalType::String;
    if (source.kind == Source::Scan) {
        const uint64_t* words = input_.validity[source.index];
        GatherValues(out.RawData(), static_cast<const uint8_t*>(input_.columns[source.index]), scan_rows_.data(), count,
                     bytes);
        if (words) {
            for (idx_t i = 0; i < count; ++i)
                if (!BitIsSet(words, scan_rows_[i])) out.Validity().SetInvalid(i);
        }
        if (strings && source.index < scan_heaps_.size() && scan_heaps_[source.index])
            out.Heap().KeepAlive(scan_heaps_[source.index]);
        return;
    }
    // A build row's values: chunk row / kVectorSize, row row % kVectorSize (common/join_table.hpp).
    const GzJoinTable& table = *range_tables_[source.index];
    const uint32_t* rows = build_rows_[source.index].data();
    // The build side's strings are kept alive rather than copied, when the join says how.
    const auto* keeper = static_cast<const std::shared_ptr<StringHeap>*>(table.strings);
    const bool copy_strings = strings && !(keeper && *keeper);
    if (strings && !copy_strings) out.Heap().KeepAlive(*keeper);
    for (idx_t i = 0; i < count; ++i) {
        if (rows[i] == kGzNullBuildRow) {  // a LEFT or FULL join's unmatched row
            out.Validity().SetInvalid(i);
            continue;
        }
        const uint64_t chunk = rows[i] / kVectorSize, row = rows[i] % kVectorSize;
        const size_t at = chunk * table.build_width + source.column;
        const uint64_t* words = table.validity[at];
        if (words && !BitIsSet(words, row)) {
            out.Validity().SetInvalid(i);
            continue;
        }
        const uint8_t* value = static_cast<const uint8_t*>(table.columns[at]) + row * bytes;
        if (copy_strings) {
            // The build side's strings live in the join's chunks, which the result may outlive.
            StringRef ref;
            std::memcpy(&ref, value, sizeof(ref));
            out.Data<StringRef>()[i] = out.AddString(ref.View());
        } else {
            std::memcpy(out.RawData() + i * bytes, value, bytes);
        }
    }
}

bool RowBatches::Flush() {
    const idx_t count = buffer_.count;
    buffer_.count = 0;
    if (count == 0) return true;
    DataChunk chunk;
    chunk.columns.reserve(sources_.size());
    for (size_t output = 0; output < sources_.size(); ++output) {
        const Source& source = sources_[output];
        if (source.kind != Source::Computed) {
            chunk.columns.emplace_back(spec_.output_types[output], kVectorSize);
            Gather(source, chunk.columns.back(), count);
            continue;
        }
        Vector& values = computed_[source.index];
        const uint8_t* valid = valid_[source.index].data();
        for (idx_t i = 0; i < count; ++i)
            if (!valid[i]) values.Validity().SetInvalid(i);
        if (values.Physical() == PhysicalType::String) {
            // Computed strings point into a row call's result or into inputs the chunk may outlive.
            StringRef* strings = values.Data<StringRef>();
            for (idx_t i = 0; i < count; ++i)
                if (!strings[i].IsInlined())
                    strings[i] = values.AddString(strings[i].View());
        }
        chunk.columns.push_back(std::move(values));
    }
    chunk.size = count;
    NewComputedVectors();
    return emit_(chunk);
}

void RowBatches::Morsel(const CompiledCode& code, const MorselInput& input, const GzParamSlot* params) {
    GZ_CHECK(input.validity != nullptr || input.row_count == 0, "the validity array must not be null");
    GZ_CHECK(joins_.size() == spec_.joins.size(), "the joins must be bound before the first morsel");
    GZ_CHECK(!spec_.ends_in_limit || buffer_.limit, "the LIMIT's counts must be bound before the first morsel");
    if (stopped_) return;
    using Function = int32_t (*)(const void* const*, const uint64_t* const*, uint64_t, const void*, GzOutputBuffer*,
                                 GzExecStatus*);
    input_ = input;
    GzExecStatus status{};
    const int32_t rc = reinterpret_cast<Function>(code.Entry())(input.columns, input.validity, input.row_count,
                                                                params, &buffer_, &status);
    if (pending_) {
        buffer_.count = 0;
        std::rethrow_exception(std::exchange(pending_, nullptr));
    }
    if (rc == kGzStatusStop) {
        stopped_ = true;
        return;
    }
    if (rc != 0) buffer_.count = 0;
    ThrowIfFailed(rc, status);
    // The morsel's rows go on before the next morsel's: rows keep the scan's order.
    if (!Flush()) stopped_ = true;
    calls_.EndMorsel();
}

}  // namespace grizzly::codegen
