#pragma once
/// Demo tables for `grizzly-jit --demo`: small, deterministic, enough to try joins and aggregates.

namespace grizzly::shell {

inline constexpr const char* kDemoSql = R"sql(
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    signed_up DATE
);
INSERT INTO customers VALUES
    (1, 'Ada', 'UK', DATE '2021-03-14'), (2, 'Grace', 'US', DATE '2020-12-09'),
    (3, 'Linus', 'FI', DATE '2022-08-25'), (4, 'Margaret', 'US', DATE '2019-07-20'),
    (5, 'Edsger', 'NL', DATE '2023-05-11'), (6, 'Barbara', 'US', DATE '2021-11-03'),
    (7, 'Donald', 'US', DATE '2018-01-10'), (8, 'Frances', 'US', DATE '2022-02-02'),
    (9, 'Niklaus', 'CH', DATE '2020-04-01'), (10, 'Ken', 'US', DATE '2023-09-09');
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    amount DECIMAL(10,2) NOT NULL,
    ordered_on DATE NOT NULL
);
INSERT INTO orders
SELECT i, i % 10 + 1, CAST((i * 7919) % 100000 AS DECIMAL(10,2)) / 100, DATE '2024-01-01' + CAST(i % 366 AS INTEGER)
FROM range(1, 100001) AS t(i);
)sql";

}  // namespace grizzly::shell
