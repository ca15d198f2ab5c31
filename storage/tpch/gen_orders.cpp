// Orders and their lines (clause 4.2.3). An order's total price and status
// summarize its lines, so both tables derive a line from the same function
// and the same random streams: orders recomputes the lines it summarizes.
#include <algorithm>

#include "storage/tpch/distributions.hpp"
#include "storage/tpch/generators.hpp"

namespace grizzly::storage::tpch {

namespace {

constexpr LengthRange kOrderCommentLength = AroundMean(49);
constexpr LengthRange kLineCommentLength = AroundMean(27);
constexpr int64_t kMaxLines = 7;
// Orders end 151 days before ENDDATE: room for up to 121 days until shipping
// plus 30 until receipt.
constexpr int32_t kLastOrderDate = kEndDate - 151;

struct OrderHeader {
    int64_t order_idx;
    int64_t orderkey;
    int64_t custkey;
    int32_t orderdate;
    int64_t lines;
};

/// The columns of a line that its order summarizes, in hundredths (cents, percent).
struct Line {
    int64_t partkey;
    int64_t suppkey;
    int64_t quantity;
    int64_t extendedprice;
    int64_t discount;
    int64_t tax;
    int32_t shipdate;
    int32_t commitdate;
    int32_t receiptdate;
    char returnflag;
    char linestatus;
};

int64_t LineCount(int64_t order_idx) { return Draw(Stream::OrderLineCount, order_idx, 1, kMaxLines); }

/// Every third customer places no orders. Like dbgen, a drawn multiple of 3
/// moves up by one (the last key moves down), so keys 1 mod 3 get twice the
/// orders of keys 2 mod 3; Q13's answer reflects that skew.
int64_t Custkey(const Scale& scale, int64_t order_idx) {
    int64_t key = Draw(Stream::OrderCustkey, order_idx, 1, scale.customers);
    int64_t delta = 1;
    while (key % 3 == 0) {
        key = std::min(key + delta, scale.customers);
        delta = -delta;
    }
    return key;
}

OrderHeader MakeHeader(const Scale& scale, int64_t order_idx) {
    return {order_idx, OrderKey(order_idx), Custkey(scale, order_idx),
            static_cast<int32_t>(Draw(Stream::OrderDate, order_idx, kStartDate, kLastOrderDate)),
            LineCount(order_idx)};
}

int64_t LineId(const OrderHeader& order, int64_t line_idx) { return order.order_idx * (kMaxLines + 1) + line_idx; }

Line MakeLine(const Scale& scale, const OrderHeader& order, int64_t line_idx) {
    int64_t id = LineId(order, line_idx);
    Line line{};
    line.partkey = Draw(Stream::LinePartkey, id, 1, scale.parts);
    line.suppkey = PartSupplier(line.partkey, Draw(Stream::LineSupplier, id, 0, 3), scale.suppliers);
    line.quantity = Draw(Stream::LineQuantity, id, 1, 50);
    line.extendedprice = line.quantity * RetailPrice(line.partkey);
    line.discount = Draw(Stream::LineDiscount, id, 0, 10);
    line.tax = Draw(Stream::LineTax, id, 0, 8);
    line.shipdate = order.orderdate + static_cast<int32_t>(Draw(Stream::LineShipDate, id, 1, 121));
    line.commitdate = order.orderdate + static_cast<int32_t>(Draw(Stream::LineCommitDate, id, 30, 90));
    line.receiptdate = line.shipdate + static_cast<int32_t>(Draw(Stream::LineReceiptDate, id, 1, 30));
    if (line.receiptdate <= kCurrentDate) line.returnflag = Draw(Stream::LineReturnFlag, id, 0, 1) ? 'A' : 'R';
    else line.returnflag = 'N';
    line.linestatus = line.shipdate > kCurrentDate ? 'O' : 'F';
    return line;
}

/// Static one-letter strings for the flag columns.
std::string_view Letter(char c) {
    static constexpr std::string_view kLetters = "AFNOPR";
    return kLetters.substr(kLetters.find(c), 1);
}

void WriteOrder(ChunkWriter& out, const Scale& scale, const OrderHeader& order) {
    // The exact sum of extendedprice * (1 - discount) * (1 + tax) in units of
    // 1/10,000 cent, rounded to cents once at the end.
    int64_t total = 0;
    int64_t shipped = 0;
    for (int64_t line_idx = 0; line_idx < order.lines; ++line_idx) {
        Line line = MakeLine(scale, order, line_idx);
        total += line.extendedprice * (100 - line.discount) * (100 + line.tax);
        shipped += line.linestatus == 'F';
    }
    char status = shipped == order.lines ? 'F' : (shipped == 0 ? 'O' : 'P');
    char buf[32];
    idx_t row = out.NextRow();
    out.At<int32_t>(kOOrderkey, row) = static_cast<int32_t>(order.orderkey);
    out.At<int32_t>(kOCustkey, row) = static_cast<int32_t>(order.custkey);
    out.Refer(kOOrderstatus, row, Letter(status));
    out.At<int64_t>(kOTotalprice, row) = (total + 5000) / 10000;
    out.At<int32_t>(kOOrderdate, row) = order.orderdate;
    int64_t priority = Draw(Stream::OrderPriority, order.order_idx, 0, std::ssize(kPriorities) - 1);
    out.Refer(kOOrderpriority, row, kPriorities[priority]);
    out.Copy(kOClerk, row, FormatTagged(buf, "Clerk#", Draw(Stream::OrderClerk, order.order_idx, 1, scale.clerks)));
    out.At<int32_t>(kOShippriority, row) = 0;
    out.Refer(kOComment, row, Comment(Stream::OrderComment, order.order_idx, kOrderCommentLength));
}

void WriteLine(ChunkWriter& out, const Scale& scale, const OrderHeader& order, int64_t line_idx) {
    Line line = MakeLine(scale, order, line_idx);
    int64_t id = LineId(order, line_idx);
    idx_t row = out.NextRow();
    out.At<int32_t>(kLOrderkey, row) = static_cast<int32_t>(order.orderkey);
    out.At<int32_t>(kLPartkey, row) = static_cast<int32_t>(line.partkey);
    out.At<int32_t>(kLSuppkey, row) = static_cast<int32_t>(line.suppkey);
    out.At<int32_t>(kLLinenumber, row) = static_cast<int32_t>(line_idx + 1);
    out.At<int64_t>(kLQuantity, row) = line.quantity * 100;
    out.At<int64_t>(kLExtendedprice, row) = line.extendedprice;
    out.At<int64_t>(kLDiscount, row) = line.discount;
    out.At<int64_t>(kLTax, row) = line.tax;
    out.Refer(kLReturnflag, row, Letter(line.returnflag));
    out.Refer(kLLinestatus, row, Letter(line.linestatus));
    out.At<int32_t>(kLShipdate, row) = line.shipdate;
    out.At<int32_t>(kLCommitdate, row) = line.commitdate;
    out.At<int32_t>(kLReceiptdate, row) = line.receiptdate;
    out.Refer(kLShipinstruct, row, kInstructions[Draw(Stream::LineInstruct, id, 0, std::ssize(kInstructions) - 1)]);
    out.Refer(kLShipmode, row, kShipModes[Draw(Stream::LineShipMode, id, 0, std::ssize(kShipModes) - 1)]);
    out.Refer(kLComment, row, Comment(Stream::LineComment, id, kLineCommentLength));
}

}  // namespace

void GenerateOrders(const TableSpec& table, const Scale& scale, const Sink& sink) {
    ChunkWriter out(table, sink);
    for (int64_t order_idx = 0; order_idx < scale.orders; ++order_idx)
        WriteOrder(out, scale, MakeHeader(scale, order_idx));
    out.Finish();
}

void GenerateLineitem(const TableSpec& table, const Scale& scale, const Sink& sink) {
    ChunkWriter out(table, sink);
    for (int64_t order_idx = 0; order_idx < scale.orders; ++order_idx) {
        OrderHeader order = MakeHeader(scale, order_idx);
        for (int64_t line_idx = 0; line_idx < order.lines; ++line_idx) WriteLine(out, scale, order, line_idx);
    }
    out.Finish();
}

int64_t LineitemCount(const Scale& scale) {
    int64_t count = 0;
    for (int64_t order_idx = 0; order_idx < scale.orders; ++order_idx) count += LineCount(order_idx);
    return count;
}

}  // namespace grizzly::storage::tpch
