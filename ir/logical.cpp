#include "ir/logical.hpp"

namespace grizzly::ir {

const char* JoinTypeName(JoinType t) {
    switch (t) {
    case JoinType::Inner: return "INNER";
    case JoinType::Left: return "LEFT";
    case JoinType::Right: return "RIGHT";
    case JoinType::Full: return "FULL";
    case JoinType::Semi: return "SEMI";
    case JoinType::Anti: return "ANTI";
    case JoinType::Mark: return "MARK";
    case JoinType::Single: return "SINGLE";
    case JoinType::Cross: return "CROSS";
    case JoinType::RightSemi: return "RIGHT_SEMI";
    case JoinType::RightAnti: return "RIGHT_ANTI";
    }
    return "?";
}

const std::vector<TableFunctionColumn>& JitCacheColumns() {
    static const std::vector<TableFunctionColumn> columns = {
        {"key_hash", LogicalType(TypeId::Varchar)},    // 16 hex digits of the cache key's hash
        {"shape_key", LogicalType(TypeId::Varchar)},   // fingerprint | tables[id@schema version] | host[target]
        {"description", LogicalType(TypeId::Varchar)}, // the pipeline's operators
        {"tier", LogicalType(TypeId::Varchar)},        // fast or optimized
        {"hits", LogicalType(TypeId::BigInt)},
        {"compile_ms", LogicalType(TypeId::Double)},
        {"code_bytes", LogicalType(TypeId::BigInt)},   // object code linked by the JIT
        {"cached_bytes", LogicalType(TypeId::BigInt)}, // charged against jit_cache_size
        {"tables", LogicalType(TypeId::Varchar)},      // the tables the code depends on, comma-separated
    };
    return columns;
}

static std::vector<ColumnBinding> Range(uint32_t table, size_t n) {
    std::vector<ColumnBinding> out;
    for (size_t i = 0; i < n; ++i) out.push_back({table, static_cast<uint32_t>(i)});
    return out;
}

std::vector<ColumnBinding> LogicalOperator::OutputBindings() const {
    switch (type) {
    case LogicalOpType::Get: {
        std::vector<ColumnBinding> out;
        for (uint32_t id : column_ids) out.push_back({table_index, id});
        return out;
    }
    case LogicalOpType::Values:
    case LogicalOpType::TableFunction:
    case LogicalOpType::Materialized: return Range(table_index, column_types.size());
    case LogicalOpType::Projection: return Range(table_index, expressions.size());
    case LogicalOpType::Aggregate: {
        auto out = Range(table_index, expressions.size());
        auto aggs = Range(aggregate_index, aggregates.size());
        out.insert(out.end(), aggs.begin(), aggs.end());
        return out;
    }
    case LogicalOpType::Join: {
        auto out = children[0]->OutputBindings();
        if (join_type == JoinType::Semi || join_type == JoinType::Anti) return out;
        if (join_type == JoinType::Mark) {
            out.push_back({mark_index, 0});
            return out;
        }
        auto right = children[1]->OutputBindings();
        out.insert(out.end(), right.begin(), right.end());
        return out;
    }
    case LogicalOpType::SetOp: return children[0]->OutputBindings();
    default: return children[0]->OutputBindings();
    }
}

std::vector<LogicalType> LogicalOperator::OutputTypes() const {
    switch (type) {
    case LogicalOpType::Get:
    case LogicalOpType::Values:
    case LogicalOpType::TableFunction:
    case LogicalOpType::Materialized: return column_types;
    case LogicalOpType::Projection: {
        std::vector<LogicalType> out;
        for (auto& e : expressions) out.push_back(e->return_type);
        return out;
    }
    case LogicalOpType::Aggregate: {
        std::vector<LogicalType> out;
        for (auto& e : expressions) out.push_back(e->return_type);
        for (auto& a : aggregates) out.push_back(a.return_type);
        return out;
    }
    case LogicalOpType::Join: {
        auto out = children[0]->OutputTypes();
        if (join_type == JoinType::Semi || join_type == JoinType::Anti) return out;
        if (join_type == JoinType::Mark) {
            out.push_back(LogicalType(TypeId::Boolean));
            return out;
        }
        auto right = children[1]->OutputTypes();
        out.insert(out.end(), right.begin(), right.end());
        return out;
    }
    default: return children[0]->OutputTypes();
    }
}

static std::string JoinExprs(const std::vector<ExprPtr>& exprs, const char* sep) {
    std::string out;
    for (size_t i = 0; i < exprs.size(); ++i) out += (i ? sep : "") + exprs[i]->ToString();
    return out;
}

std::string LogicalOperator::ToString(int indent) const {
    std::string out(static_cast<size_t>(indent) * 2, ' ');
    switch (type) {
    case LogicalOpType::Get:
        out += "GET " + (column_names.empty() ? std::string() : column_names[0].substr(0, column_names[0].find('.')));
        out += " #" + std::to_string(table_index);
        if (!table_filters.empty()) out += " filters: " + JoinExprs(table_filters, " AND ");
        break;
    case LogicalOpType::Values: out += "VALUES #" + std::to_string(table_index); break;
    case LogicalOpType::TableFunction: out += "TABLE_FUNCTION #" + std::to_string(table_index); break;
    case LogicalOpType::Filter: out += "FILTER " + JoinExprs(expressions, " AND "); break;
    case LogicalOpType::Projection:
        out += "PROJECTION #" + std::to_string(table_index) + " " + JoinExprs(expressions, ", ");
        break;
    case LogicalOpType::Aggregate: {
        out += "AGGREGATE groups: [" + JoinExprs(expressions, ", ") + "] aggregates: [";
        for (size_t i = 0; i < aggregates.size(); ++i) out += (i ? ", " : "") + aggregates[i].ToString();
        out += "]";
        break;
    }
    case LogicalOpType::Join:
        out += std::string(JoinTypeName(join_type)) + " JOIN " + JoinExprs(conditions, " AND ");
        break;
    case LogicalOpType::Sort: {
        out += "ORDER BY ";
        for (size_t i = 0; i < sort_keys.size(); ++i)
            out += (i ? ", " : "") + sort_keys[i].expr->ToString() + (sort_keys[i].descending ? " DESC" : "");
        break;
    }
    case LogicalOpType::Limit:
        out += "LIMIT " + (limit ? limit->ToString() : std::string("ALL")) +
               (offset ? " OFFSET " + offset->ToString() : std::string());
        break;
    case LogicalOpType::Distinct: out += "DISTINCT"; break;
    case LogicalOpType::SetOp: {
        const char* names[] = {"UNION ALL", "UNION", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"};
        out += names[static_cast<int>(set_op)];
        break;
    }
    case LogicalOpType::Materialized: out += "CTE_SCAN " + std::to_string(cte_index); break;
    }
    out += "\n";
    for (auto& c : children) out += c->ToString(indent + 1);
    return out;
}

LogicalOpPtr LogicalOperator::Copy() const {
    auto op = std::make_unique<LogicalOperator>(type);
    for (auto& c : children) op->children.push_back(c->Copy());
    op->table_index = table_index;
    op->aggregate_index = aggregate_index;
    op->mark_index = mark_index;
    for (auto& e : expressions) op->expressions.push_back(e->Copy());
    for (auto& a : aggregates) op->aggregates.push_back(a.Copy());
    op->table = table;
    op->column_ids = column_ids;
    for (auto& e : table_filters) op->table_filters.push_back(e->Copy());
    op->column_types = column_types;
    op->column_names = column_names;
    op->join_type = join_type;
    for (auto& e : conditions) op->conditions.push_back(e->Copy());
    for (auto& k : sort_keys) op->sort_keys.push_back(k.Copy());
    op->limit = limit ? limit->Copy() : nullptr;
    op->offset = offset ? offset->Copy() : nullptr;
    op->set_op = set_op;
    op->function = function;
    op->cte_index = cte_index;
    return op;
}

LogicalOpPtr WithFilter(LogicalOpPtr op, std::vector<ExprPtr> conjuncts) {
    if (conjuncts.empty()) return op;
    auto filter = std::make_unique<LogicalOperator>(LogicalOpType::Filter);
    filter->expressions = std::move(conjuncts);
    filter->children.push_back(std::move(op));
    return filter;
}

}  // namespace grizzly::ir
