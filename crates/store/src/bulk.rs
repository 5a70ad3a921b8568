//! Values bound into queries built at run time, and multi-row INSERTs: a bulk load writes
//! dozens of rows per statement instead of one, which matters most on SQLite, where every
//! statement is a round trip to the connection's worker thread.

use crate::Backend;
use crate::timestamp::Timestamp;

/// One value of a query built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Text(String),
    OptionalText(Option<String>),
    Int(i64),
    Time(Timestamp),
    OptionalTime(Option<Timestamp>),
}

/// How many values one INSERT carries at most, well under both databases' limits.
const VALUES_PER_INSERT: usize = 1200;

/// Binds the values in order onto a query of either backend.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                $crate::bulk::Bind::Text(text) => query.bind(text.clone()),
                $crate::bulk::Bind::OptionalText(text) => query.bind(text.clone()),
                $crate::bulk::Bind::Int(number) => query.bind(*number),
                $crate::bulk::Bind::Time(moment) => query.bind(*moment),
                $crate::bulk::Bind::OptionalTime(moment) => query.bind(*moment),
            };
        }
        query
    }};
}

/// Inserts `$rows` (each a `Vec<Bind>` in the order of `$columns`) into `$table` inside the
/// caller's transaction, many rows per statement. `$wrap_last`, such as
/// `Some("to_tsvector('simple', {})")`, wraps the last value of every row.
macro_rules! insert_rows {
    ($tx:expr, $backend:expr, $table:expr, $columns:expr, $rows:expr, $wrap_last:expr) => {{
        let columns: &[&str] = $columns;
        let rows: &[Vec<$crate::bulk::Bind>] = $rows;
        for chunk in rows.chunks($crate::bulk::rows_per_insert(columns.len())) {
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}",
                $table,
                columns.join(", "),
                $crate::bulk::values_list($backend, chunk.len(), columns.len(), $wrap_last)
            );
            let query = bind_all!(
                sqlx::query(sqlx::AssertSqlSafe(sql)),
                chunk.iter().flatten()
            );
            query.execute(&mut *$tx).await?;
        }
    }};
}

pub(crate) use {bind_all, insert_rows};

/// How many rows of `columns` values fit in one INSERT.
pub(crate) fn rows_per_insert(columns: usize) -> usize {
    (VALUES_PER_INSERT / columns.max(1)).max(1)
}

/// `($1, $2, …), ($n, …)` for `rows` rows of `columns` values; the last value of each row
/// is wrapped in `wrap_last` when given. SQLite gets anonymous `?` placeholders instead:
/// it finds a numbered parameter by walking a list of all of them, which makes binding a
/// thousand numbered values cost a million comparisons.
pub(crate) fn values_list(
    backend: Backend,
    rows: usize,
    columns: usize,
    wrap_last: Option<&str>,
) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|row| {
            let params: Vec<String> = (1..=columns)
                .map(|column| {
                    let param = match backend {
                        Backend::Postgres => format!("${}", row * columns + column),
                        Backend::Sqlite => "?".to_owned(),
                    };
                    match wrap_last {
                        Some(wrap) if column == columns => wrap.replace("{}", &param),
                        _ => param,
                    }
                })
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    tuples.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_row_by_row() {
        assert_eq!(
            values_list(Backend::Postgres, 2, 2, None),
            "($1, $2), ($3, $4)"
        );
        assert_eq!(
            values_list(Backend::Postgres, 1, 2, Some("f({})")),
            "($1, f($2))"
        );
        assert_eq!(values_list(Backend::Sqlite, 2, 1, None), "(?), (?)");
    }
}
