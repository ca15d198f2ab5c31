#include "runtime/expression_executor.hpp"

#include "runtime/executor.hpp"
#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

using ir::Expr;
using ir::ExprType;

namespace {

// Rows of `rows` where a boolean vector is true (valid and nonzero).
void TrueRows(const Vector& v, Rows rows, std::vector<uint32_t>& out) {
    // Branch-free: every row is written and the cursor advances only past true
    // ones, so a filter keeping a random half of the rows costs no mispredictions.
    out.resize(rows.count);
    uint32_t* dst = out.data();
    size_t n = 0;
    const uint8_t* data = v.Data<uint8_t>();
    const ValidityMask& valid = v.Validity();
    if (valid.AllValid()) {
        if (!rows.sel) {
            for (idx_t i = 0; i < rows.count; ++i) {
                dst[n] = static_cast<uint32_t>(i);
                n += data[i] != 0;
            }
        } else {
            for (idx_t i = 0; i < rows.count; ++i) {
                uint32_t r = rows.sel[i];
                dst[n] = r;
                n += data[r] != 0;
            }
        }
    } else {
        for (idx_t i = 0; i < rows.count; ++i) {
            uint32_t r = rows[i];
            dst[n] = r;
            n += (data[r] != 0) & valid.RowIsValid(r);
        }
    }
    out.resize(n);
}

Rows AsRows(const std::vector<uint32_t>& v) { return Rows{v.data(), v.size()}; }

idx_t Capacity(const DataChunk& chunk) { return std::max<idx_t>(chunk.size, 1); }

}  // namespace

Vector ExpressionExecutor::Evaluate(const Expr& expr, const DataChunk& chunk, Rows rows) {
    if (expr.type == ExprType::ColumnRef) return chunk.columns[expr.position];
    if (expr.type == ExprType::Constant && chunk.size <= kVectorSize) {
        auto it = constants_.find(&expr);
        if (it == constants_.end()) {
            Vector filled(expr.return_type, kVectorSize);
            FillConstant(expr.value, Rows{nullptr, kVectorSize}, filled);
            it = constants_.emplace(&expr, std::move(filled)).first;
        }
        return it->second;
    }
    if (expr.type == ExprType::Cast && IsBinaryCompatible(expr.children[0]->return_type, expr.return_type)) {
        // Same bits either way (INTEGER to BIGINT is not: widths differ): share the input's buffer.
        Vector v = Evaluate(*expr.children[0], chunk, rows);
        v.Relabel(expr.return_type);
        return v;
    }
    Vector result(expr.return_type, Capacity(chunk));
    Execute(expr, chunk, rows, result);
    return result;
}

Vector ExpressionExecutor::Evaluate(const Expr& expr, const DataChunk& chunk) {
    return Evaluate(expr, chunk, ActiveRows(chunk));
}

DataChunk ExpressionExecutor::EvaluateAll(const std::vector<const Expr*>& exprs, const DataChunk& chunk) {
    DataChunk out;
    for (const Expr* e : exprs) out.columns.push_back(Evaluate(*e, chunk));
    out.size = chunk.size;
    out.has_sel = chunk.has_sel;
    out.sel = chunk.sel;
    return out;
}

DataChunk ExpressionExecutor::EvaluateAll(const std::vector<ir::ExprPtr>& exprs, const DataChunk& chunk) {
    std::vector<const Expr*> raw;
    for (auto& e : exprs) raw.push_back(e.get());
    return EvaluateAll(raw, chunk);
}

void ExpressionExecutor::Select(const Expr& expr, const DataChunk& chunk, Rows rows, std::vector<uint32_t>& out) {
    Vector v = Evaluate(expr, chunk, rows);
    TrueRows(v, rows, out);
}

void ExpressionExecutor::Execute(const Expr& expr, const DataChunk& chunk, Rows rows, Vector& result) {
    switch (expr.type) {
    case ExprType::Constant: FillConstant(expr.value, rows, result); return;
    case ExprType::ColumnRef: CopyRows(chunk.columns[expr.position], rows, result); return;
    case ExprType::Parameter: {
        const Value* v = nullptr;
        if (expr.depth == 0) {
            GZ_CHECK(expr.position < ctx_.parameters.size(), "parameter slot out of range");
            v = &ctx_.parameters[expr.position];
        } else {
            GZ_CHECK(!ctx_.correlated_frames.empty(), "correlated parameter outside a subquery");
            v = &(*ctx_.correlated_frames.back())[expr.position];
        }
        FillConstant(v->IsNull() ? Value::Null(expr.return_type) : *v, rows, result);
        return;
    }
    case ExprType::Function: {
        if (expr.function == ir::ScalarFunctionId::Coalesce) {
            ExecuteCoalesce(expr, chunk, rows, result);
            return;
        }
        std::vector<Vector> args;
        args.reserve(expr.children.size());
        for (auto& c : expr.children) args.push_back(Evaluate(*c, chunk, rows));
        std::vector<const Vector*> ptrs;
        for (auto& a : args) ptrs.push_back(&a);
        ExecuteScalarFunction(expr.function, ptrs.data(), ptrs.size(), rows, result);
        return;
    }
    case ExprType::Compare: {
        Vector l = Evaluate(*expr.children[0], chunk, rows);
        Vector r = Evaluate(*expr.children[1], chunk, rows);
        CompareVectors(expr.compare, l, r, rows, result);
        return;
    }
    case ExprType::And:
    case ExprType::Or: ExecuteConjunction(expr, chunk, rows, result); return;
    case ExprType::Not: {
        Vector c = Evaluate(*expr.children[0], chunk, rows);
        const uint8_t* in = c.Data<uint8_t>();
        uint8_t* out = result.Data<uint8_t>();
        for (idx_t i = 0; i < rows.count; ++i) {
            uint32_t r = rows[i];
            if (!c.Validity().RowIsValid(r)) result.Validity().SetInvalid(r);
            else out[r] = !in[r];
        }
        return;
    }
    case ExprType::IsNull:
    case ExprType::IsNotNull: {
        Vector c = Evaluate(*expr.children[0], chunk, rows);
        uint8_t* out = result.Data<uint8_t>();
        bool want_null = expr.type == ExprType::IsNull;
        for (idx_t i = 0; i < rows.count; ++i) {
            uint32_t r = rows[i];
            out[r] = c.Validity().RowIsValid(r) != want_null;
        }
        return;
    }
    case ExprType::Case: ExecuteCase(expr, chunk, rows, result); return;
    case ExprType::Cast: {
        Vector c = Evaluate(*expr.children[0], chunk, rows);
        CastVector(c, rows, result, expr.try_cast);
        return;
    }
    case ExprType::InList: ExecuteInList(expr, chunk, rows, result); return;
    case ExprType::Subquery: ExecuteSubquery(expr, chunk, rows, result); return;
    }
    throw Error::Internal("unknown expression type");
}

void ExpressionExecutor::ExecuteConjunction(const Expr& expr, const DataChunk& chunk, Rows rows, Vector& result) {
    // Kleene logic. The right side runs only on rows the left side does not decide.
    bool is_and = expr.type == ExprType::And;
    Vector acc = Evaluate(*expr.children[0], chunk, rows);
    uint8_t* out = result.Data<uint8_t>();
    std::vector<uint32_t> undecided;
    for (idx_t i = 0; i < rows.count; ++i) {
        uint32_t r = rows[i];
        bool valid = acc.Validity().RowIsValid(r);
        bool v = valid && acc.Data<uint8_t>()[r];
        if (valid && v != is_and) {
            out[r] = v;  // FALSE for AND, TRUE for OR: decided
            result.Validity().SetValid(r);
        } else {
            undecided.push_back(r);
            out[r] = valid ? v : 0;
            result.Validity().Set(r, valid);
        }
    }
    for (size_t child = 1; child < expr.children.size() && !undecided.empty(); ++child) {
        Vector rhs = Evaluate(*expr.children[child], chunk, AsRows(undecided));
        std::vector<uint32_t> still;
        for (uint32_t r : undecided) {
            bool lvalid = result.Validity().RowIsValid(r);
            bool rvalid = rhs.Validity().RowIsValid(r);
            bool rv = rvalid && rhs.Data<uint8_t>()[r];
            if (rvalid && rv != is_and) {
                out[r] = rv;
                result.Validity().SetValid(r);
                continue;
            }
            // Left is TRUE (AND) / FALSE (OR) or NULL; right is the neutral value or NULL.
            bool valid = lvalid && rvalid;
            out[r] = is_and;
            result.Validity().Set(r, valid);
            still.push_back(r);
        }
        undecided = std::move(still);
    }
}

void ExpressionExecutor::ExecuteCase(const Expr& expr, const DataChunk& chunk, Rows rows, Vector& result) {
    std::vector<uint32_t> remaining(rows.count), matched, rest;
    for (idx_t i = 0; i < rows.count; ++i) remaining[i] = rows[i];
    size_t pairs = (expr.children.size() - 1) / 2;
    for (size_t w = 0; w < pairs && !remaining.empty(); ++w) {
        Vector cond = Evaluate(*expr.children[2 * w], chunk, AsRows(remaining));
        matched.clear();
        rest.clear();
        for (uint32_t r : remaining) {
            if (cond.Validity().RowIsValid(r) && cond.Data<uint8_t>()[r]) matched.push_back(r);
            else rest.push_back(r);
        }
        if (!matched.empty()) {
            Vector then = Evaluate(*expr.children[2 * w + 1], chunk, AsRows(matched));
            CopyRows(then, AsRows(matched), result);
        }
        remaining.swap(rest);
    }
    if (!remaining.empty()) {
        Vector other = Evaluate(*expr.children.back(), chunk, AsRows(remaining));
        CopyRows(other, AsRows(remaining), result);
    }
}

void ExpressionExecutor::ExecuteCoalesce(const Expr& expr, const DataChunk& chunk, Rows rows, Vector& result) {
    // Lazy, as in PostgreSQL: an argument runs only for rows still NULL.
    std::vector<uint32_t> remaining(rows.count), found, rest;
    for (idx_t i = 0; i < rows.count; ++i) remaining[i] = rows[i];
    for (auto& arg : expr.children) {
        if (remaining.empty()) return;
        Vector v = Evaluate(*arg, chunk, AsRows(remaining));
        found.clear();
        rest.clear();
        for (uint32_t r : remaining) (v.Validity().RowIsValid(r) ? found : rest).push_back(r);
        CopyRows(v, AsRows(found), result);
        remaining.swap(rest);
    }
    for (uint32_t r : remaining) result.Validity().SetInvalid(r);
}

void ExpressionExecutor::ExecuteInList(const Expr& expr, const DataChunk& chunk, Rows rows, Vector& result) {
    Vector operand = Evaluate(*expr.children[0], chunk, rows);
    uint8_t* out = result.Data<uint8_t>();
    std::vector<uint8_t> found(Capacity(chunk), 0), saw_null(Capacity(chunk), 0);
    Vector cmp(LogicalType(TypeId::Boolean), Capacity(chunk));
    for (size_t i = 1; i < expr.children.size(); ++i) {
        Vector item = Evaluate(*expr.children[i], chunk, rows);
        cmp.Validity().Reset();
        CompareVectors(ir::CompareOp::Eq, operand, item, rows, cmp);
        for (idx_t k = 0; k < rows.count; ++k) {
            uint32_t r = rows[k];
            if (!cmp.Validity().RowIsValid(r)) saw_null[r] = 1;
            else if (cmp.Data<uint8_t>()[r]) found[r] = 1;
        }
    }
    for (idx_t k = 0; k < rows.count; ++k) {
        uint32_t r = rows[k];
        if (found[r]) out[r] = !expr.negated;
        else if (saw_null[r]) result.Validity().SetInvalid(r);
        else out[r] = expr.negated;
    }
}

static std::string ValueKey(const Value& v) { return v.IsNull() ? std::string("\x01N") : v.ToSqlLiteral(); }

std::shared_ptr<SubqueryResult> ExpressionExecutor::RunSubquery(const Expr& expr, const std::vector<Value>& params) {
    auto& state = ctx_.subqueries[&expr];
    if (!state) state = std::make_unique<SubqueryState>();
    std::string key;
    for (auto& p : params) key += ValueKey(p) + '\x1f';
    auto it = state->cache.find(key);
    if (it != state->cache.end()) return it->second;
    if (!state->plan.root) state->plan = PlanQuery(*expr.subquery, {}, ctx_);
    ctx_.correlated_frames.push_back(&params);
    auto result = std::make_shared<SubqueryResult>();
    try {
        result->rows = ExecutePlan(state->plan, ctx_);
    } catch (...) {
        ctx_.correlated_frames.pop_back();
        throw;
    }
    ctx_.correlated_frames.pop_back();
    if (expr.subquery_type == ir::SubqueryType::Any || expr.subquery_type == ir::SubqueryType::All) {
        for (idx_t row = 0; row < result->rows.RowCount(); ++row) {
            Value v = result->rows.GetValue(row, 0);
            if (v.IsNull()) result->has_null = true;
            else result->keys.insert(ValueKey(v));
        }
    }
    // Bound the cache: correlated subqueries over many distinct values should not hold them all.
    if (state->cache.size() > 100000) state->cache.clear();
    state->cache.emplace(std::move(key), result);
    return result;
}

bool ExpressionExecutor::BuildInSet(const Expr& expr, SubqueryResult& res) {
    const auto& column_types = res.rows.Types();
    if (column_types.empty() || column_types[0].Physical() != expr.children[0]->return_type.Physical()) return false;
    if (res.set) return true;
    res.set = std::make_unique<GroupTable>(std::vector<LogicalType>{column_types[0]});
    std::vector<uint32_t> ids(kVectorSize);
    for (const DataChunk& c : res.rows.Chunks()) {
        std::vector<uint32_t> valid;
        for (uint32_t r = 0; r < c.size; ++r)
            if (c.columns[0].Validity().RowIsValid(r)) valid.push_back(r);
        res.set->FindOrCreate({c.columns[0]}, Rows{valid.data(), valid.size()}, ids.data());
    }
    return true;
}

void ExpressionExecutor::PrepareShared(const Expr& expr) {
    std::shared_ptr<SubqueryResult> res = RunSubquery(expr, {});
    if (expr.subquery_type == ir::SubqueryType::Any && expr.compare == ir::CompareOp::Eq) BuildInSet(expr, *res);
    res->shared = true;
}

bool ExpressionExecutor::ExecuteInSet(const Expr& expr, const Vector& operand, Rows rows, Vector& result) {
    // x IN (uncorrelated subquery): the subquery runs once and its values go into a
    // typed hash set that whole vectors are looked up in.
    if (!expr.correlated.empty() || expr.subquery_type != ir::SubqueryType::Any || expr.compare != ir::CompareOp::Eq)
        return false;
    std::shared_ptr<SubqueryResult> res = RunSubquery(expr, {});
    if (!BuildInSet(expr, *res)) return false;
    std::vector<uint32_t> ids(rows.count);
    res->set->Find({operand}, rows, ids.data());
    bool empty = res->rows.RowCount() == 0;
    uint8_t* out = result.Data<uint8_t>();
    for (idx_t i = 0; i < rows.count; ++i) {
        uint32_t r = rows[i];
        if (empty) out[r] = 0;  // x IN (no rows) is false, even for a NULL x
        else if (!operand.Validity().RowIsValid(r)) result.Validity().SetInvalid(r);
        else if (ids[i] != GroupTable::kNotFound) out[r] = 1;
        else if (res->has_null) result.Validity().SetInvalid(r);
        else out[r] = 0;
    }
    return true;
}

void ExpressionExecutor::ExecuteSubquery(const Expr& expr, const DataChunk& chunk, Rows rows, Vector& result) {
    std::vector<Vector> correlated;
    for (auto& c : expr.correlated) correlated.push_back(Evaluate(*c, chunk, rows));
    Vector operand;
    if (!expr.children.empty()) operand = Evaluate(*expr.children[0], chunk, rows);
    EvaluateSubquery(expr, expr.children.empty() ? nullptr : &operand, correlated, rows, result);
}

void ExpressionExecutor::EvaluateSubquery(const Expr& expr, const Vector* operand_values,
                                          const std::vector<Vector>& correlated, Rows rows, Vector& result) {
    if (operand_values && correlated.empty() && ExecuteInSet(expr, *operand_values, rows, result))
        return;
    const Vector& operand = operand_values ? *operand_values : result; // read only for ANY and ALL
    std::vector<Value> params(correlated.size());
    std::shared_ptr<SubqueryResult> uncorrelated;
    for (idx_t i = 0; i < rows.count; ++i) {
        uint32_t r = rows[i];
        std::shared_ptr<SubqueryResult> res;
        if (correlated.empty()) {
            if (!uncorrelated) uncorrelated = RunSubquery(expr, params);
            res = uncorrelated;
        } else {
            for (size_t p = 0; p < correlated.size(); ++p) params[p] = correlated[p].GetValue(r);
            res = RunSubquery(expr, params);
        }
        switch (expr.subquery_type) {
        case ir::SubqueryType::Scalar: {
            if (res->rows.RowCount() > 1)
                throw Error(SqlState::CardinalityViolation, "more than one row returned by a subquery used as an expression");
            Value v = res->rows.RowCount() == 0 ? Value::Null(expr.return_type) : res->rows.GetValue(0, 0);
            if (v.IsNull()) result.Validity().SetInvalid(r);
            else result.SetValue(r, v);
            break;
        }
        case ir::SubqueryType::Exists:
        case ir::SubqueryType::NotExists: {
            bool exists = res->rows.RowCount() > 0;
            result.Data<uint8_t>()[r] = exists == (expr.subquery_type == ir::SubqueryType::Exists);
            break;
        }
        case ir::SubqueryType::Any:
        case ir::SubqueryType::All: {
            Value v = operand.GetValue(r);
            bool is_any = expr.subquery_type == ir::SubqueryType::Any;
            if (res->rows.RowCount() == 0) {
                result.Data<uint8_t>()[r] = !is_any;
                break;
            }
            if (v.IsNull()) {
                result.Validity().SetInvalid(r);
                break;
            }
            if (expr.compare == ir::CompareOp::Eq && is_any) {
                if (res->keys.count(ValueKey(v))) result.Data<uint8_t>()[r] = 1;
                else if (res->has_null) result.Validity().SetInvalid(r);
                else result.Data<uint8_t>()[r] = 0;
                break;
            }
            // General ANY/ALL: compare against every row with SQL's NULL rules.
            bool saw_null = false, decided = false;
            for (idx_t k = 0; k < res->rows.RowCount() && !decided; ++k) {
                Value w = res->rows.GetValue(k, 0);
                if (w.IsNull()) {
                    saw_null = true;
                    continue;
                }
                int c = CompareValues(v, w);
                bool holds = false;
                switch (expr.compare) {
                case ir::CompareOp::Eq: holds = c == 0; break;
                case ir::CompareOp::NotEq: holds = c != 0; break;
                case ir::CompareOp::Lt: holds = c < 0; break;
                case ir::CompareOp::LtEq: holds = c <= 0; break;
                case ir::CompareOp::Gt: holds = c > 0; break;
                case ir::CompareOp::GtEq: holds = c >= 0; break;
                default: break;
                }
                if (holds == is_any) decided = true;
            }
            if (decided) result.Data<uint8_t>()[r] = is_any;
            else if (saw_null) result.Validity().SetInvalid(r);
            else result.Data<uint8_t>()[r] = !is_any;
            break;
        }
        }
    }
}

Value EvaluateConstant(const Expr& expr, ExecutionContext& ctx) {
    DataChunk chunk;
    chunk.size = 1;
    ExpressionExecutor executor(ctx);
    Vector v = executor.Evaluate(expr, chunk, Rows{nullptr, 1});
    Value out = v.GetValue(0);
    if (out.IsNull()) return Value::Null(expr.return_type);
    return out;
}

}  // namespace grizzly::runtime
