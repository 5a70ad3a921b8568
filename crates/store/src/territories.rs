//! The KATOTTG codifier: loaded once by `migrate` from the shipped CSV, then read to check
//! codes, to place a project in its oblast, raion and hromada, and to list a unit's children.

use std::collections::HashMap;

use dream_domain::territory::{Territory, TerritoryLevel, codifier};
use dream_domain::{FieldErrors, Katottg};

use crate::{Result, Store, StoreError, in_write_tx, on_pool};

/// The size of the shipped codifier, which tells test templates when it changed.
#[cfg_attr(not(feature = "testing"), allow(dead_code))]
pub(crate) const CODIFIER_LEN: usize = dream_domain::territory::KATOTTG_CODIFIER.len();

/// How many rows one INSERT carries: 7 values each, well under both databases' limits.
const ROWS_PER_INSERT: usize = 500;
/// How many codes one lookup names, well under both databases' limits.
const CODES_PER_QUERY: usize = 500;

#[derive(sqlx::FromRow)]
struct TerritoryRow {
    code: String,
    name: String,
    category: String,
    parent: Option<String>,
    oblast: String,
    raion: Option<String>,
    hromada: Option<String>,
}

impl TerritoryRow {
    fn into_territory(self) -> Result<Territory> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("territory {}: {what}", self.code));
        let code = |text: &str| Katottg::parse(text).map_err(|e| corrupt(&e.to_string()));
        Ok(Territory {
            code: code(&self.code)?,
            name: self.name.clone(),
            level: TerritoryLevel::from_category(&self.category)
                .ok_or_else(|| corrupt("category"))?,
            parent: self.parent.as_deref().map(code).transpose()?,
            oblast: code(&self.oblast)?,
            raion: self.raion.as_deref().map(code).transpose()?,
            hromada: self.hromada.as_deref().map(code).transpose()?,
        })
    }
}

impl From<Territory> for TerritoryRow {
    fn from(unit: Territory) -> Self {
        Self {
            code: unit.code.to_string(),
            name: unit.name,
            category: unit.level.category().to_owned(),
            parent: unit.parent.map(|c| c.to_string()),
            oblast: unit.oblast.to_string(),
            raion: unit.raion.map(|c| c.to_string()),
            hromada: unit.hromada.map(|c| c.to_string()),
        }
    }
}

/// Loads the codifier when the table is empty; does nothing when it is already there.
pub(crate) async fn load_codifier(store: &Store) -> Result<()> {
    let count: i64 = on_pool!(store.db(), pool =>
        sqlx::query_scalar("SELECT COUNT(*) FROM territories").fetch_one(pool).await?);
    if count > 0 {
        return Ok(());
    }
    let rows: Vec<TerritoryRow> = codifier().into_iter().map(TerritoryRow::from).collect();
    let started = std::time::Instant::now();
    in_write_tx!(store, tx, _backend => async {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p: Vec<String> = (1..=7).map(|k| format!("${}", i * 7 + k)).collect();
                    format!("({})", p.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO territories (code, name, category, parent, oblast, raion, hromada) \
                 VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                query = query
                    .bind(&row.code)
                    .bind(&row.name)
                    .bind(&row.category)
                    .bind(&row.parent)
                    .bind(&row.oblast)
                    .bind(&row.raion)
                    .bind(&row.hromada);
            }
            query.execute(&mut *tx).await?;
        }
        Ok::<_, StoreError>(())
    }.await)?;
    tracing::info!(
        territories.count = rows.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "loaded {} territories of the KATOTTG codifier",
        rows.len()
    );
    Ok(())
}

const SELECT: &str = "SELECT code, name, category, parent, oblast, raion, hromada FROM territories";

impl Store {
    /// One unit of the codifier.
    pub async fn territory(&self, code: &Katottg) -> Result<Territory> {
        let sql = format!("{SELECT} WHERE code = $1");
        let row: Option<TerritoryRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(code.as_str())
                .fetch_optional(pool)
                .await?);
        let row = row.ok_or_else(|| StoreError::NotFound {
            entity: "territory",
            id: code.to_string(),
        })?;
        row.into_territory()
    }

    /// The units directly below `code`, by name.
    pub async fn territory_children(&self, code: &Katottg) -> Result<Vec<Territory>> {
        let sql = format!("{SELECT} WHERE parent = $1 ORDER BY name, code");
        let rows: Vec<TerritoryRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code.as_str()).fetch_all(pool).await?);
        rows.into_iter().map(TerritoryRow::into_territory).collect()
    }

    /// The oblasts, Crimea and the two cities with special status, by name.
    pub async fn oblasts(&self) -> Result<Vec<Territory>> {
        let sql = format!("{SELECT} WHERE parent IS NULL ORDER BY name");
        let rows: Vec<TerritoryRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?);
        rows.into_iter().map(TerritoryRow::into_territory).collect()
    }

    /// All hromadas with their oblast, for the demo data to place projects in.
    pub async fn hromadas(&self) -> Result<Vec<Territory>> {
        let sql = format!("{SELECT} WHERE category = 'H' ORDER BY code");
        let rows: Vec<TerritoryRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?);
        rows.into_iter().map(TerritoryRow::into_territory).collect()
    }

    /// The units of the given codes that the codifier holds, by code, read a few hundred per
    /// query: checking a page of projects then costs one query instead of one per location.
    pub(crate) async fn territories_by_code(
        &self,
        codes: &[&Katottg],
    ) -> Result<HashMap<String, Territory>> {
        let mut found = HashMap::new();
        for chunk in codes.chunks(CODES_PER_QUERY) {
            let params: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = format!("{SELECT} WHERE code IN ({})", params.join(", "));
            let rows: Vec<TerritoryRow> = on_pool!(self.db(), pool => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for code in chunk {
                    query = query.bind(code.as_str());
                }
                query.fetch_all(pool).await?
            });
            for row in rows {
                let territory = row.into_territory()?;
                found.insert(territory.code.to_string(), territory);
            }
        }
        Ok(found)
    }

    /// Looks up the given codes, adding a field error for each one the codifier lacks.
    pub(crate) async fn known_territories(
        &self,
        codes: Vec<(String, Katottg)>,
        errors: &mut FieldErrors,
    ) -> Result<Vec<Territory>> {
        let mut found = Vec::new();
        for (field, code) in codes {
            match self.territory(&code).await {
                Ok(territory) => found.push(territory),
                Err(StoreError::NotFound { .. }) => {
                    errors.add(field, format!("{code} is not in the KATOTTG codifier"))
                }
                Err(other) => return Err(other),
            }
        }
        Ok(found)
    }
}
