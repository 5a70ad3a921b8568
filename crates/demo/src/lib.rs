//! Demo data for DREAM: organisations, objects and projects that look like the real registry
//! (schools, hospitals, water mains, boiler houses, bridges and housing in real hromadas,
//! more of them where the war did more damage) and that pass every check of the domain.
//!
//! The same seed always gives the same records, on any machine, so a demo, a benchmark or a
//! bug report can be reproduced from the seed alone. [`generate`] returns everything at
//! once; a [`Generator`] hands out batches, for registries too large to hold in memory.

mod calls;
mod facilities;
mod funding;
mod generator;
mod grammar;
mod money;
mod organisations;
mod places;
mod plan;
mod processes;
mod rng;
mod subject;
mod texts;
mod wording;

use dream_domain::object::Object;
use dream_domain::organisation::Organisation;
use dream_domain::project::Project;
use dream_domain::territory::Territory;

pub use calls::DemoApplication;
pub use dream_domain::translit::transliterate;
pub use generator::Generator;

/// Generated records in the order they can be written: organisations first, then the
/// objects that projects name, then the projects. Each object and project comes with the
/// hromada it is placed in, the territory of its first location.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoData {
    /// Councils and their enterprises are registered in their hromada (one of the caller's
    /// `hromadas`); oblast administrations, the agency's regional services, contractors and
    /// designers in their oblast; ministries, the agency and national foundations in Kyiv.
    /// [`Generator::oblast_of`] gives the oblast of any of these territories.
    pub organisations: Vec<Organisation>,
    /// The objects first named by these projects, each with its hromada.
    pub objects: Vec<(Object, Territory)>,
    /// The projects, each with its hromada.
    pub projects: Vec<(Project, Territory)>,
    /// The applications of those projects that got as far as a call for proposals.
    pub applications: Vec<DemoApplication>,
}

impl DemoData {
    /// Appends the records of a later batch.
    pub fn append(&mut self, mut later: DemoData) {
        self.organisations.append(&mut later.organisations);
        self.objects.append(&mut later.objects);
        self.projects.append(&mut later.projects);
        self.applications.append(&mut later.applications);
    }
}

/// Generates `projects` projects with their objects and organisations at once.
///
/// `hromadas` are the codifier's territories of level Hromada (others are ignored); projects
/// go to all of them but Crimea's and Sevastopol's, more to frontline oblasts. Dates fall
/// between 2023-01-01 and the day before `today`. The result depends only on the arguments.
pub fn generate(projects: usize, seed: u64, hromadas: &[Territory], today: time::Date) -> DemoData {
    Generator::new(seed, hromadas, today).next_batch(projects)
}
