//! Totals and breakdowns of the projects a page shows, kept between requests. A total over
//! 100,000 projects takes milliseconds to tens of milliseconds to read, and the home page
//! shows several, so each is read once per version of the registry: every request first asks
//! for the version (a number every write to projects moves on in its own transaction, see
//! `dream_store::version`), which keeps the totals exact right after a write, whichever
//! process made it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dream_store::projects::ProjectFilter;
use dream_store::totals::{Dimension, Group};
use dream_store::{Store, StoreError};

/// The currency totals and charts are drawn in. Projects in other currencies are counted
/// and their sums listed apart, since there is no rate to add them with.
pub const MAIN_CURRENCY: &str = "UAH";

/// How many filters' totals are kept; past it the oldest half is forgotten.
const CAPACITY: usize = 512;

type Version = i64;

/// The groups of one filter's projects by each dimension a page asked for.
#[derive(Debug, Default)]
pub struct Breakdown {
    groups: HashMap<Dimension, Vec<Group>>,
}

impl Breakdown {
    /// The groups by `dimension`; empty if it was not asked for.
    pub fn by(&self, dimension: Dimension) -> &[Group] {
        self.groups.get(&dimension).map_or(&[], Vec::as_slice)
    }

    /// The sums of all projects, one group per currency, the main currency first.
    pub fn overall(&self) -> Vec<&Group> {
        let mut groups: Vec<&Group> = self.by(Dimension::Everything).iter().collect();
        groups.sort_by_key(|g| (g.currency != MAIN_CURRENCY, -g.projects));
        groups
    }

    /// How many projects there are in all currencies.
    pub fn projects(&self) -> i64 {
        self.by(Dimension::Everything)
            .iter()
            .map(|g| g.projects)
            .sum()
    }

    /// The sums of each key of `dimension` in the main currency, with the number of
    /// projects in every currency, largest count first.
    pub fn keyed(&self, dimension: Dimension) -> Vec<KeyTotals> {
        let mut by_key: HashMap<Option<&str>, KeyTotals> = HashMap::new();
        for group in self.by(dimension) {
            let entry = by_key
                .entry(group.key.as_deref())
                .or_insert_with(|| KeyTotals {
                    key: group.key.clone(),
                    ..Default::default()
                });
            entry.projects += group.projects;
            if group.currency == MAIN_CURRENCY {
                entry.need_minor += group.need_minor;
                entry.secured_minor += group.secured_minor;
                entry.contracted_minor += group.contracted_minor;
            }
        }
        let mut keyed: Vec<KeyTotals> = by_key.into_values().collect();
        keyed.sort_by(|a, b| b.projects.cmp(&a.projects).then_with(|| a.key.cmp(&b.key)));
        keyed
    }
}

/// The groups of one dimension added up per currency: the sums of every project.
fn overall_of(groups: &[Group]) -> Vec<Group> {
    let mut by_currency: HashMap<&str, Group> = HashMap::new();
    for group in groups {
        let sum = by_currency
            .entry(group.currency.as_str())
            .or_insert_with(|| Group {
                key: None,
                currency: group.currency.clone(),
                projects: 0,
                need_minor: 0,
                secured_minor: 0,
                contracted_minor: 0,
            });
        sum.projects += group.projects;
        sum.need_minor += group.need_minor;
        sum.secured_minor += group.secured_minor;
        sum.contracted_minor += group.contracted_minor;
    }
    let mut overall: Vec<Group> = by_currency.into_values().collect();
    overall.sort_by(|a, b| {
        b.projects
            .cmp(&a.projects)
            .then(a.currency.cmp(&b.currency))
    });
    overall
}

/// One key's projects and its money in the main currency.
#[derive(Debug, Clone, Default)]
pub struct KeyTotals {
    pub key: Option<String>,
    pub projects: i64,
    pub need_minor: i64,
    pub secured_minor: i64,
    pub contracted_minor: i64,
}

/// The breakdowns counted so far, by filter, with the registry version they were counted at.
#[derive(Default)]
pub struct TotalsCache {
    entries: Mutex<HashMap<String, (Version, Arc<Breakdown>)>>,
    /// One lock per filter being counted, so that many readers arriving together after a
    /// change wait for one count instead of each running the same grouped queries.
    counting: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl TotalsCache {
    /// The breakdown of `filter`'s projects by `dimensions`, counted now unless the registry
    /// has not changed since it was last counted. `key` names the filter and dimensions.
    pub async fn breakdown(
        &self,
        store: &Store,
        key: &str,
        filter: &ProjectFilter,
        dimensions: &[Dimension],
    ) -> Result<Arc<Breakdown>, StoreError> {
        let version = store.registry_version().await?;
        if let Some(breakdown) = self.fresh(key, &version) {
            return Ok(breakdown);
        }
        let lock = self
            .counting
            .lock()
            .expect("totals cache")
            .entry(key.to_owned())
            .or_default()
            .clone();
        let _counting = lock.lock().await;
        // Whoever held the lock before may have counted this version already.
        if let Some(breakdown) = self.fresh(key, &version) {
            return Ok(breakdown);
        }
        // Each dimension is its own grouped query over the same rows; run side by side on
        // connections of their own, they use every core (each takes a pass over every
        // project the filter admits: seconds at a million). The overall sums are those of
        // any dimension's groups added up, so they take a pass only when no dimension does.
        let wanted: Vec<Dimension> = if dimensions.is_empty() {
            vec![Dimension::Everything]
        } else {
            dimensions.to_vec()
        };
        let counted = futures_util::future::try_join_all(
            wanted
                .iter()
                .map(|dimension| store.project_groups(filter, *dimension)),
        )
        .await?;
        let mut breakdown = Breakdown::default();
        breakdown.groups.extend(wanted.into_iter().zip(counted));
        if !breakdown.groups.contains_key(&Dimension::Everything) {
            let overall = overall_of(breakdown.by(dimensions[0]));
            breakdown.groups.insert(Dimension::Everything, overall);
        }
        let breakdown = Arc::new(breakdown);
        let mut entries = self.entries.lock().expect("totals cache");
        if entries.len() >= CAPACITY {
            // Forgetting everything is crude, but the cache refills within a few requests and
            // the bound keeps a crawler of every filter from growing it without end.
            entries.clear();
            self.counting.lock().expect("totals cache").clear();
        }
        entries.insert(key.to_owned(), (version, breakdown.clone()));
        Ok(breakdown)
    }

    /// The breakdown of `key` if it was counted at `version`.
    fn fresh(&self, key: &str, version: &Version) -> Option<Arc<Breakdown>> {
        let entries = self.entries.lock().expect("totals cache");
        entries
            .get(key)
            .filter(|(seen, _)| seen == version)
            .map(|(_, b)| b.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(key: Option<&str>, currency: &str, projects: i64, need: i64) -> Group {
        Group {
            key: key.map(str::to_owned),
            currency: currency.to_owned(),
            projects,
            need_minor: need,
            secured_minor: need / 2,
            contracted_minor: need / 4,
        }
    }

    #[test]
    fn the_overall_sums_are_any_dimensions_groups_added_up_per_currency() {
        let by_raion = [
            group(Some("UA63120"), "UAH", 3, 400),
            group(None, "UAH", 2, 100),
            group(Some("UA63140"), "EUR", 1, 80),
            group(Some("UA63120"), "EUR", 1, 20),
        ];
        let overall = overall_of(&by_raion);
        assert_eq!(
            overall,
            [group(None, "UAH", 5, 500), group(None, "EUR", 2, 100)]
        );
        assert!(overall_of(&[]).is_empty());
    }
}
