//! Counts and sums over the projects a filter selects, grouped by one dimension: what the
//! public pages show as totals, charts and the map. Money is summed per currency, because
//! amounts in different currencies cannot be added without a rate the registry does not keep.
//!
//! The totals of the whole registry and of one oblast, public or with drafts, come from the
//! tallies the database keeps exact on every write (migration `0016_project_tallies.sql`):
//! a few thousand rows, however many projects there are. So does the overall total of a
//! list narrowed besides by one sector, status, raion or hromada. Any other filter is
//! counted over its projects.

use dream_domain::policy::Visibility;
use dream_domain::workflow::DRAFT_STAGES;

use crate::bulk::{Bind, bind_all};
use crate::projects::{ProjectFilter, where_clause};
use crate::search::SearchQuery;
use crate::{Backend, Result, Store, in_write_tx, on_pool};

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

impl Dimension {
    /// Every dimension, as the tallies keep them.
    const TALLIED: [Dimension; 8] = [
        Self::Everything,
        Self::Sector,
        Self::Oblast,
        Self::Raion,
        Self::Hromada,
        Self::Status,
        Self::StatusDetails,
        Self::CreatedMonth,
    ];

    /// The dimension's name in `project_tallies`: the column it groups the changes by.
    fn tally_name(self) -> &'static str {
        match self {
            Self::Everything => "everything",
            _ => self.change_column(),
        }
    }

    /// The value of `project_tally_changes` the dimension groups by.
    fn change_column(self) -> &'static str {
        match self {
            Self::Everything => "''",
            Self::Sector => "sector",
            Self::Oblast => "oblast",
            Self::Raion => "raion",
            Self::Hromada => "hromada",
            Self::Status => "status",
            Self::StatusDetails => "status_details",
            Self::CreatedMonth => "month",
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

/// What the tallies can narrow by: the filters of the home page, an oblast's page, and the
/// catalogue without choices or with one choice of sector, status, raion or hromada besides
/// the oblast and the stage.
struct Tallied<'a> {
    oblast: Option<String>,
    status_details: Option<&'static str>,
    public_only: bool,
    /// The one choice besides, and the dimension whose tallies hold it: such a filter is
    /// answered for its overall total only, as one group of that dimension.
    narrowed: Option<(Dimension, String)>,
    filter: &'a ProjectFilter,
}

impl<'a> Tallied<'a> {
    /// `filter` as the tallies can answer it, or `None` when it narrows by anything else.
    fn from(filter: &'a ProjectFilter) -> Option<Self> {
        // Naming every field makes a new one a compile error here until it is decided.
        let ProjectFilter {
            status,
            status_details,
            sector,
            purpose: None,
            project_type: None,
            oblast,
            raion,
            hromada,
            initiator: None,
            implementer: None,
            finance_source: None,
            has_contracts: None,
            need_min: None,
            need_max: None,
            text,
            visibility,
        } = filter
        else {
            return None;
        };
        if text.as_deref().and_then(SearchQuery::parse).is_some() {
            return None;
        }
        let public_only = match visibility {
            Visibility::PublicOnly => true,
            Visibility::Everything => false,
            Visibility::PublicAndOwn { .. } | Visibility::PublicAndOblast { .. } => return None,
        };
        if sector.is_some_and(|sector| sector.is_subsector()) {
            // Subsectors are not tallied: the sector tallies hold the main sectors.
            return None;
        }
        let mut choices = [
            sector.map(|sector| (Dimension::Sector, sector.to_string())),
            status.map(|status| (Dimension::Status, status.as_str().to_owned())),
            raion
                .as_ref()
                .map(|raion| (Dimension::Raion, raion.to_string())),
            hromada
                .as_ref()
                .map(|hromada| (Dimension::Hromada, hromada.to_string())),
        ]
        .into_iter()
        .flatten();
        let narrowed = choices.next();
        if choices.next().is_some() {
            return None;
        }
        Some(Tallied {
            oblast: oblast.as_ref().map(ToString::to_string),
            status_details: status_details.map(|s| s.as_str()),
            public_only,
            narrowed,
            filter,
        })
    }

    /// Whether the tallies hold the groups of `dimension` under this filter.
    fn answers(&self, dimension: Dimension) -> bool {
        self.narrowed.is_none() || dimension == Dimension::Everything
    }

    /// The conditions on a tally or change row, binding their values into `binds`.
    fn conditions(&self, binds: &mut Vec<Bind>) -> String {
        let mut conditions = Vec::new();
        if let Some(oblast) = &self.oblast {
            binds.push(Bind::Text(oblast.clone()));
            conditions.push(format!("oblast = ${}", binds.len()));
        }
        if let Some(stage) = self.status_details {
            binds.push(Bind::Text(stage.to_owned()));
            conditions.push(format!("status_details = ${}", binds.len()));
        }
        if self.public_only {
            let drafts: Vec<String> = DRAFT_STAGES
                .iter()
                .map(|stage| format!("'{}'", stage.as_str()))
                .collect();
            conditions.push(format!("status_details NOT IN ({})", drafts.join(", ")));
        }
        if conditions.is_empty() {
            "TRUE".to_owned()
        } else {
            conditions.join(" AND ")
        }
    }
}

impl Store {
    /// The groups of the projects matching `filter` by `dimension`, largest first.
    pub async fn project_groups(
        &self,
        filter: &ProjectFilter,
        dimension: Dimension,
    ) -> Result<Vec<Group>> {
        match Tallied::from(filter) {
            Some(tallied) if tallied.answers(dimension) => {
                self.tallied_groups(&tallied, dimension).await
            }
            _ => self.counted_groups(filter, dimension).await,
        }
    }

    /// The groups counted over every project `filter` admits.
    async fn counted_groups(
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
             FROM projects p {conditions} GROUP BY {group_by} ORDER BY 3 DESC, 1, 2"
        );
        self.groups(sql, &binds).await
    }

    /// The groups read from the tallies and the changes not yet folded into them, in one
    /// statement, so both are of the same moment.
    async fn tallied_groups(
        &self,
        tallied: &Tallied<'_>,
        dimension: Dimension,
    ) -> Result<Vec<Group>> {
        // A filter with one choice besides reads the one group of that choice's dimension,
        // and gives it as the overall total.
        let read = tallied.narrowed.as_ref().map_or(dimension, |(by, _)| *by);
        let mut binds = vec![Bind::Text(read.tally_name().to_owned())];
        let conditions = tallied.conditions(&mut binds);
        let (tally_key, change_key, tally_choice, change_choice) = match &tallied.narrowed {
            Some((by, value)) => {
                binds.push(Bind::Text(value.clone()));
                let n = binds.len();
                let column = by.change_column();
                (
                    "''",
                    "''",
                    format!(" AND key = ${n}"),
                    format!(" AND {column} = ${n}"),
                )
            }
            None => (
                "key",
                dimension.change_column(),
                String::new(),
                String::new(),
            ),
        };
        let sql = format!(
            "SELECT key, currency, CAST(SUM(projects) AS BIGINT), \
             CAST(SUM(need_minor) AS BIGINT), CAST(SUM(secured_minor) AS BIGINT), \
             CAST(SUM(contracted_minor) AS BIGINT) \
             FROM (SELECT {tally_key} AS key, currency, projects, need_minor, secured_minor, \
                   contracted_minor \
                   FROM project_tallies WHERE dimension = $1 AND {conditions}{tally_choice} \
                   UNION ALL \
                   SELECT {change_key}, currency, projects, need_minor, secured_minor, \
                   contracted_minor FROM project_tally_changes \
                   WHERE {conditions}{change_choice}) t \
             GROUP BY key, currency HAVING SUM(projects) > 0 ORDER BY 3 DESC, 1, 2"
        );
        let groups = self.groups(sql, &binds).await?;
        // A debug build run with DREAM_CHECK_TALLIES (as scripts/test runs every test)
        // counts each total again over the projects, and stops at the first difference.
        if cfg!(debug_assertions) && std::env::var_os("DREAM_CHECK_TALLIES").is_some() {
            let counted = self.counted_groups(tallied.filter, dimension).await?;
            assert_eq!(groups, counted, "the tallies of {dimension:?} drifted");
        }
        Ok(groups)
    }

    async fn groups(&self, sql: String, binds: &[Bind]) -> Result<Vec<Group>> {
        let rows: Vec<GroupRow> = on_pool!(self.db(), pool =>
            bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(pool).await?);
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

    /// Folds the changes written since the last fold into the tallies, so that reading a
    /// total stays a pass over a few thousand rows. The totals read the same before and
    /// after. Returns how many changes were folded; one process folds at a time.
    pub async fn fold_tallies(&self) -> Result<u64> {
        let pending: Option<i64> = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT MAX(seq) FROM project_tally_changes")
                .fetch_one(pool)
                .await?);
        let Some(last) = pending else {
            return Ok(0);
        };
        in_write_tx!(self, tx, backend => async {
            if backend == Backend::Postgres {
                // Every statement below reads the same changes, including the delete: a
                // change committed meanwhile stays for the next fold.
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    .execute(&mut *tx)
                    .await?;
                let ours: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
                    .bind(FOLDING_LOCK)
                    .fetch_one(&mut *tx)
                    .await?;
                if !ours {
                    return Ok(0);
                }
            }
            for dimension in Dimension::TALLIED {
                let column = dimension.change_column();
                // PostgreSQL refuses to group by a constant.
                let key = match dimension {
                    Dimension::Everything => String::new(),
                    _ => format!("{column}, "),
                };
                let sql = format!(
                    "INSERT INTO project_tallies (dimension, oblast, key, status_details, \
                     currency, projects, need_minor, secured_minor, contracted_minor) \
                     SELECT $1, oblast, {column}, status_details, currency, \
                     CAST(SUM(projects) AS BIGINT), CAST(SUM(need_minor) AS BIGINT), \
                     CAST(SUM(secured_minor) AS BIGINT), CAST(SUM(contracted_minor) AS BIGINT) \
                     FROM project_tally_changes WHERE seq <= $2 \
                     GROUP BY oblast, {key}status_details, currency \
                     ON CONFLICT (dimension, oblast, key, status_details, currency) DO UPDATE SET \
                     projects = project_tallies.projects + excluded.projects, \
                     need_minor = project_tallies.need_minor + excluded.need_minor, \
                     secured_minor = project_tallies.secured_minor + excluded.secured_minor, \
                     contracted_minor = project_tallies.contracted_minor + excluded.contracted_minor"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(dimension.tally_name())
                    .bind(last)
                    .execute(&mut *tx)
                    .await?;
            }
            let folded = sqlx::query("DELETE FROM project_tally_changes WHERE seq <= $1")
                .bind(last)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM project_tallies WHERE projects = 0")
                .execute(&mut *tx)
                .await?;
            Ok::<_, crate::StoreError>(folded)
        }.await)
    }
}

/// The advisory lock a PostgreSQL fold holds, so that two processes do not fold the same
/// changes.
const FOLDING_LOCK: i64 = 0x6472_6561_6d01;

#[cfg(test)]
mod tests {
    use dream_domain::Katottg;
    use dream_domain::codelist::{Sector, Status};

    use super::*;

    fn answers(filter: &ProjectFilter, dimension: Dimension) -> bool {
        Tallied::from(filter).is_some_and(|tallied| tallied.answers(dimension))
    }

    #[test]
    fn the_tallies_answer_the_home_page_an_oblast_and_one_choice_besides() {
        let kharkiv = Katottg::parse("UA63000000000041885").unwrap();
        let home = ProjectFilter::default();
        assert!(answers(&home, Dimension::Sector));
        let oblast = ProjectFilter {
            oblast: Some(kharkiv.clone()),
            ..Default::default()
        };
        assert!(answers(&oblast, Dimension::CreatedMonth));
        let education = ProjectFilter {
            sector: Some(Sector::Education),
            ..oblast.clone()
        };
        assert!(answers(&education, Dimension::Everything));
        assert!(
            !answers(&education, Dimension::Status),
            "a breakdown under a choice would need tallies of two dimensions"
        );
    }

    #[test]
    fn two_choices_a_subsector_words_or_a_reviewers_drafts_are_counted() {
        let two = ProjectFilter {
            sector: Some(Sector::Education),
            status: Some(Status::Pending),
            ..Default::default()
        };
        assert!(!answers(&two, Dimension::Everything));
        let subsector = ProjectFilter {
            sector: Some(Sector::TransportRoad),
            ..Default::default()
        };
        assert!(!answers(&subsector, Dimension::Everything));
        let words = ProjectFilter {
            text: Some("школа".into()),
            ..Default::default()
        };
        assert!(!answers(&words, Dimension::Everything));
        let own = ProjectFilter {
            visibility: Visibility::PublicAndOblast {
                oblast: Katottg::parse("UA63000000000041885").unwrap(),
            },
            ..Default::default()
        };
        assert!(!answers(&own, Dimension::Everything));
    }
}
