//! Counts and sums over the projects a filter selects, grouped by one dimension: what the
//! public pages show as totals, charts and the map. Money is summed per currency, because
//! amounts in different currencies cannot be added without a rate the registry does not keep.

use crate::bulk::bind_all;
use crate::projects::{ProjectFilter, where_clause};
use crate::{Backend, Result, Store, on_pool};

/// What the projects are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// No grouping: one group per currency.
    Everything,
    Sector,
    Oblast,
    Raion,
    Hromada,
    Status,
    StatusDetails,
    /// The month a project was created in, as `YYYY-MM`.
    CreatedMonth,
}

impl Dimension {
    /// The SQL expression a total groups by.
    ///
    /// On SQLite a column is grouped as `+column`, an expression no index is ordered by: the
    /// planner would otherwise walk the column's own index to save sorting the groups, and
    /// read every row of the table through it, where the covering `projects_totals` index
    /// holds all a total needs in a fraction of the pages (at a million projects, seconds
    /// against a fraction of one).
    fn key(self, backend: Backend) -> String {
        let column = match self {
            Self::Everything => return "''".to_owned(),
            Self::CreatedMonth => {
                return match backend {
                    Backend::Sqlite => "substr(p.created_at, 1, 7)",
                    Backend::Postgres => "to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM')",
                }
                .to_owned();
            }
            Self::Sector => "p.sector",
            Self::Oblast => "p.oblast",
            Self::Raion => "p.raion",
            Self::Hromada => "p.hromada",
            Self::Status => "p.status",
            Self::StatusDetails => "p.status_details",
        };
        match backend {
            Backend::Sqlite => format!("+{column}"),
            Backend::Postgres => column.to_owned(),
        }
    }
}

/// The projects of one group in one currency, and their money in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's code: a sector, a KATOTTG code, a status, a month; `None` for projects
    /// without a value in that dimension (a project located in no raion, for example).
    pub key: Option<String>,
    pub currency: String,
    pub projects: i64,
    pub need_minor: i64,
    pub secured_minor: i64,
    pub contracted_minor: i64,
}

type GroupRow = (Option<String>, String, i64, i64, i64, i64);

impl Store {
    /// The groups of the projects matching `filter` by `dimension`, largest first.
    pub async fn project_groups(
        &self,
        filter: &ProjectFilter,
        dimension: Dimension,
    ) -> Result<Vec<Group>> {
        let backend = self.backend();
        let mut binds = Vec::new();
        let conditions = where_clause(filter, backend, false, &mut binds);
        let key = dimension.key(backend);
        // PostgreSQL refuses a constant in GROUP BY, so grouping by nothing names no key.
        let group_by = match dimension {
            Dimension::Everything => "p.currency".to_owned(),
            _ => format!("{key}, p.currency"),
        };
        // Sums are cast back to a 64-bit integer: PostgreSQL sums BIGINT into NUMERIC.
        let sql = format!(
            "SELECT {key} AS key, p.currency, COUNT(*), \
             CAST(COALESCE(SUM(p.need_minor), 0) AS BIGINT), \
             CAST(COALESCE(SUM(p.secured_minor), 0) AS BIGINT), \
             CAST(COALESCE(SUM(p.contracted_minor), 0) AS BIGINT) \
             FROM projects p {conditions} GROUP BY {group_by} ORDER BY 3 DESC, 1"
        );
        let rows: Vec<GroupRow> = on_pool!(self.db(), pool =>
            bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &binds).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(
                |(key, currency, projects, need, secured, contracted)| Group {
                    key: key.filter(|k| !k.is_empty()),
                    currency,
                    projects,
                    need_minor: need,
                    secured_minor: secured,
                    contracted_minor: contracted,
                },
            )
            .collect())
    }
}
