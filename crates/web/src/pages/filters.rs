//! The state of a project list as its URL holds it: filters, search words, order and page.
//! Parsing names each value it cannot use, and the rest of the filter still applies, so a
//! stale or hand-edited link shows what it can and says what it dropped.

use std::collections::BTreeMap;

use dream_domain::{Edrpou, Katottg};
use dream_store::projects::{FinanceSource, ProjectFilter, ProjectSort};

use super::i18n::Lang;

/// How many projects one catalogue page lists.
pub const PAGE_SIZE: u32 = 25;

/// A project list as a URL asks for it.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub filter: ProjectFilter,
    pub sort: ProjectSort,
    /// The page, counted from 1.
    pub page: u32,
    /// The parameters as given, for refilling the form and building links.
    pub params: BTreeMap<String, String>,
    /// The parameters that could not be used, each with the reason.
    pub problems: Vec<(String, String)>,
}

/// The parameters a list understands, in the order links write them.
pub const PARAMETERS: &[&str] = &[
    "q",
    "status",
    "stage",
    "type",
    "purpose",
    "sector",
    "oblast",
    "raion",
    "hromada",
    "source",
    "initiator",
    "implementer",
    "contracts",
    "min",
    "max",
    "sort",
    "page",
];

impl ListQuery {
    /// Reads a query string's pairs; empty values count as absent.
    pub fn parse(pairs: Vec<(String, String)>, lang: Lang) -> Self {
        let mut query = ListQuery {
            page: 1,
            ..Default::default()
        };
        for (name, value) in pairs {
            let value = value.trim().to_owned();
            if value.is_empty() || !PARAMETERS.contains(&name.as_str()) {
                continue;
            }
            if let Err(reason) = query.apply(&name, &value, lang) {
                query.problems.push((name.clone(), reason));
            } else {
                query.params.insert(name, value);
            }
        }
        query
    }

    fn apply(&mut self, name: &str, value: &str, lang: Lang) -> Result<(), String> {
        let unknown = || lang.pick("невідоме значення", "unknown value").to_owned();
        let filter = &mut self.filter;
        match name {
            "q" => filter.text = Some(value.to_owned()),
            "status" => filter.status = Some(value.parse().map_err(|_| unknown())?),
            "stage" => filter.status_details = Some(value.parse().map_err(|_| unknown())?),
            "type" => filter.project_type = Some(value.parse().map_err(|_| unknown())?),
            "purpose" => filter.purpose = Some(value.parse().map_err(|_| unknown())?),
            "sector" => filter.sector = Some(value.parse().map_err(|_| unknown())?),
            "oblast" => filter.oblast = Some(territory(value, lang)?),
            "raion" => filter.raion = Some(territory(value, lang)?),
            "hromada" => filter.hromada = Some(territory(value, lang)?),
            "source" => {
                filter.finance_source = Some(FinanceSource::parse(value).ok_or_else(unknown)?)
            }
            "initiator" => filter.initiator = Some(edrpou(value, lang)?),
            "implementer" => filter.implementer = Some(edrpou(value, lang)?),
            "contracts" => {
                filter.has_contracts = Some(match value {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(unknown()),
                })
            }
            "min" => filter.need_min = Some(amount(value, lang)?),
            "max" => filter.need_max = Some(amount(value, lang)?),
            "sort" => self.sort = ProjectSort::parse(value).ok_or_else(unknown)?,
            "page" => {
                self.page = value
                    .parse()
                    .ok()
                    .filter(|page| *page >= 1)
                    .ok_or_else(|| lang.pick("має бути числом від 1", "must be a number from 1"))?
            }
            _ => {}
        }
        Ok(())
    }

    /// The offset of the first project of this page.
    pub fn offset(&self) -> u32 {
        (self.page - 1).saturating_mul(PAGE_SIZE)
    }

    /// This list's query string with `changes` applied (an empty value removes a
    /// parameter), starting with `?` unless it is empty.
    pub fn link(&self, changes: &[(&str, &str)]) -> String {
        let mut params = self.params.clone();
        for (name, value) in changes {
            if value.is_empty() {
                params.remove(*name);
            } else {
                params.insert((*name).to_owned(), (*value).to_owned());
            }
        }
        let mut pairs = form_urlencoded::Serializer::new(String::new());
        for name in PARAMETERS {
            if let Some(value) = params.get(*name) {
                pairs.append_pair(name, value);
            }
        }
        let query = pairs.finish();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }

    /// The value of a parameter as given, or nothing.
    pub fn value(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }
}

fn territory(value: &str, lang: Lang) -> Result<Katottg, String> {
    Katottg::parse(value).map_err(|_| {
        lang.pick("не код КАТОТТГ", "is not a KATOTTG code")
            .to_owned()
    })
}

fn edrpou(value: &str, lang: Lang) -> Result<Edrpou, String> {
    Edrpou::parse(value).map_err(|_| {
        lang.pick("не код ЄДРПОУ", "is not an EDRPOU code")
            .to_owned()
    })
}

/// An amount in whole hryvnias (spaces and a decimal comma allowed) as minor units.
fn amount(value: &str, lang: Lang) -> Result<i64, String> {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '_')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e15)
        .map(|v| (v * 100.0).round() as i64)
        .ok_or_else(|| {
            lang.pick(
                "має бути сумою в гривнях, наприклад 250000",
                "must be an amount, for example 250000",
            )
            .to_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn a_bad_value_is_named_and_the_rest_of_the_filter_still_applies() {
        let query = ListQuery::parse(
            pairs(&[
                ("sector", "health"),
                ("oblast", "nowhere"),
                ("min", "1 000,5"),
            ]),
            Lang::En,
        );
        assert_eq!(query.filter.sector.map(|s| s.as_str()), Some("health"));
        assert_eq!(query.filter.need_min, Some(100_050));
        assert!(query.filter.oblast.is_none());
        assert_eq!(
            query.problems,
            vec![("oblast".to_owned(), "is not a KATOTTG code".to_owned())]
        );
    }

    #[test]
    fn links_keep_the_state_and_apply_changes_in_a_fixed_order() {
        let query = ListQuery::parse(pairs(&[("sector", "health"), ("q", "школа")]), Lang::Uk);
        assert_eq!(
            query.link(&[("page", "2")]),
            "?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0&sector=health&page=2"
        );
        assert_eq!(query.link(&[("sector", ""), ("q", "")]), "");
    }
}
