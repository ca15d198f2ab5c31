#pragma once
/// Demo data for `grizzly-jit --demo`: the eight TPC-H tables at a small scale
/// factor, enough to try joins, aggregates and the 22 TPC-H queries.

namespace grizzly::shell {

inline constexpr double kDemoScaleFactor = 0.01;
inline constexpr const char* kDemoSql = "CALL dbgen(sf = 0.01)";  // sf = kDemoScaleFactor
inline constexpr const char* kDemoTables = "region, nation, supplier, customer, part, partsupp, orders, lineitem";

}  // namespace grizzly::shell
