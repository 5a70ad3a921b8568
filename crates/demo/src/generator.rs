//! The generator: draws each project's hromada, stage and dates, then has the other modules
//! write its object, parties, approaches, plan and processes, and hands the records out in
//! batches together with the organisations they introduce.

use std::collections::HashSet;
use std::sync::Arc;

use dream_domain::calls::Call;
use dream_domain::codelist::{PartyRole, Purpose, StatusDetails};
use dream_domain::object::Object;
use dream_domain::project::{Party, Project, ProjectContent};
use dream_domain::territory::Territory;
use dream_domain::{Katottg, ProjectId};
use time::macros::{date, time};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::DemoData;
use crate::calls::DemoCalls;
use crate::organisations::{Body, BodyRef, Catalogue};
use crate::places::{Place, places};
use crate::rng::Rng;
use crate::subject::{Damage, KnownObjects, Subject};
use crate::texts::Work;
use crate::{funding, plan, processes, wording};

/// The first day a demo project can have been created: DREAM opened to hromadas in 2023.
pub(crate) const FIRST_DAY: Date = date!(2023 - 01 - 01);

/// How many projects in a hundred stand at each gate: more at the start of the route, a
/// good share approved or being built, a few refused.
const STAGES: &[(StatusDetails, u32)] = &[
    (StatusDetails::Initiated, 14),
    (StatusDetails::Definition, 12),
    (StatusDetails::Defined, 10),
    (StatusDetails::Appraisal, 9),
    (StatusDetails::Appraised, 7),
    (StatusDetails::Structuring, 6),
    (StatusDetails::Structured, 5),
    (StatusDetails::Applied, 8),
    (StatusDetails::Refused, 4),
    (StatusDetails::Approved, 10),
    (StatusDetails::Implementation, 15),
];

/// How far along the route a gate is; a refused project got as far as an applied one.
pub(crate) fn rank(stage: StatusDetails) -> u32 {
    match stage {
        StatusDetails::Initiated => 0,
        StatusDetails::Definition => 1,
        StatusDetails::Defined => 2,
        StatusDetails::Appraisal => 3,
        StatusDetails::Appraised => 4,
        StatusDetails::Structuring => 5,
        StatusDetails::Structured => 6,
        StatusDetails::Applied | StatusDetails::Refused => 7,
        StatusDetails::Approved => 8,
        StatusDetails::Implementation => 9,
    }
}

/// Everything decided about one project before its parts are written.
pub(crate) struct Draft<'a> {
    pub place: &'a Place,
    /// The place's position in the generator's list, which keys its council.
    pub place_index: usize,
    pub stage: StatusDetails,
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
    /// The last day anything may happen on: the day before the caller's today.
    pub last_day: Date,
    pub subject: Subject,
    pub work: Work,
    pub purpose: Purpose,
    pub damage: Option<Damage>,
}

impl Draft<'_> {
    /// Whether the project has passed `gate`; a refused project passed every gate up to
    /// its application.
    pub(crate) fn reached(&self, gate: StatusDetails) -> bool {
        rank(self.stage) >= rank(gate)
    }

    pub(crate) fn initiator(&self) -> &BodyRef {
        &self.subject.holder
    }

    /// A day between `from` and `to`, both included, held within the project's lifetime.
    pub(crate) fn day_between(&self, rng: &mut Rng, from: Date, to: Date) -> Date {
        let from = from.min(self.last_day);
        let to = to.min(self.last_day).max(from);
        from + Duration::days(rng.between_i64(0, (to - from).whole_days()))
    }
}

/// A deterministic source of demo records, handing them out in batches.
///
/// Batches continue one another: two batches of 500 hold exactly the records of one batch
/// of 1000. Each batch lists the organisations first named in it, so writing a batch's
/// organisations, then its objects, then its projects never refers to a missing record.
pub struct Generator {
    rng: Rng,
    places: Arc<[Place]>,
    /// Running totals of the places' weights, for drawing a place in proportion to them.
    cumulative_weights: Vec<u64>,
    last_day: Date,
    catalogue: Catalogue,
    project_ids: HashSet<ProjectId>,
    known_objects: KnownObjects,
    /// The latest project of each place and when it was created, for projects that relate
    /// to an earlier one.
    latest_projects: Vec<Option<(ProjectId, OffsetDateTime)>>,
    calls: DemoCalls,
}

impl Generator {
    /// A generator of projects in `hromadas` (territories of other levels are ignored),
    /// dated from 2023-01-01 to the day before `today`.
    pub fn new(seed: u64, hromadas: &[Territory], today: Date) -> Self {
        let rng = Rng::new(seed);
        let places: Arc<[Place]> = places(hromadas).into();
        let cumulative_weights = places
            .iter()
            .scan(0u64, |total, place| {
                *total += u64::from(place.weight());
                Some(*total)
            })
            .collect();
        let last_day = today.previous_day().unwrap_or(today).max(FIRST_DAY);
        let catalogue = Catalogue::new(FIRST_DAY.with_time(time!(08:00)).assume_utc());
        let calls = DemoCalls::new(&catalogue.central, &places, today);
        Self {
            calls,
            rng,
            cumulative_weights,
            last_day,
            catalogue,
            project_ids: HashSet::new(),
            known_objects: KnownObjects::new(places.len()),
            latest_projects: vec![None; places.len()],
            places,
        }
    }

    /// The oblast (or Kyiv) that a territory of a generated record lies in: a hromada's
    /// oblast, or the territory itself when it is an oblast or Kyiv.
    pub fn oblast_of(&self, territory: &Katottg) -> Katottg {
        self.places
            .binary_search_by(|place| place.territory.code.cmp(territory))
            .map_or_else(
                |_| territory.clone(),
                |found| self.places[found].territory.oblast.clone(),
            )
    }

    /// The calls for proposals of the demo ministries; every application in a batch is to
    /// one of them, so they are written before the first batch.
    pub fn calls(&self) -> &[Call] {
        self.calls.calls()
    }

    /// The next `projects` projects, with the objects and organisations first named in them.
    /// Without any hromada outside Crimea to place them in, no project is made.
    pub fn next_batch(&mut self, projects: usize) -> DemoData {
        let mut batch = DemoData::default();
        if !self.places.is_empty() {
            for _ in 0..projects {
                let (object, project) = self.next_project();
                batch.objects.extend(object);
                batch
                    .applications
                    .extend(self.calls.application_of(&project.0));
                batch.projects.push(project);
            }
        }
        batch.organisations = self.catalogue.take_new();
        batch
    }

    /// One project and, when it names an object not seen before, that object.
    fn next_project(&mut self) -> (Option<(Object, Territory)>, (Project, Territory)) {
        let places = Arc::clone(&self.places);
        let index = self.draw_place();
        let place = &places[index];
        let stage = self.rng.weighted_pick(STAGES);
        // A few projects are withdrawn by their initiators before a decision is made.
        let undecided = rank(stage) < rank(StatusDetails::Applied);
        let withdrawn = undecided && self.rng.percent(3);
        let (created, updated) = self.timeline(stage);

        let draft = self.draft(index, place, stage, created, updated);
        let id = self.project_id(created.date());
        let content = self.content(index, &draft);
        let object = draft.subject.new_object(&mut self.rng, &draft);
        self.latest_projects[index] = Some((id.clone(), created));

        let status = Project::derive_status(withdrawn, stage);
        let project = Project {
            id,
            date: created,
            updated,
            status,
            content,
        };
        let territory = place.territory.clone();
        (
            object.map(|object| (object, territory.clone())),
            (project, territory),
        )
    }

    /// Decides what the project works on and why.
    fn draft<'a>(
        &mut self,
        index: usize,
        place: &'a Place,
        stage: StatusDetails,
        created: OffsetDateTime,
        updated: OffsetDateTime,
    ) -> Draft<'a> {
        let rng = &mut self.rng;
        let reuse = self.known_objects.reuse(rng, index, created);
        let subject = match reuse {
            Some(known) => known,
            None => Subject::draw(rng, &mut self.catalogue, index, place, created),
        };

        let work = rng.weighted_pick(subject.facility.works);
        let restores = rng.percent(work.restoration_percent());
        let purpose = if restores {
            Purpose::Restoration
        } else {
            Purpose::Development
        };
        let damage = match (&subject.damage, purpose) {
            (_, Purpose::Development) => None,
            (Some(damage), _) => Some(damage.clone()),
            (None, _) => Some(Damage::draw(rng, place, created.date())),
        };
        let mut draft = Draft {
            place,
            place_index: index,
            stage,
            created,
            updated,
            last_day: self.last_day,
            subject,
            work,
            purpose,
            damage,
        };
        if draft.subject.object.is_none() && !(stage == StatusDetails::Initiated && rng.percent(30))
        {
            draft.subject.add_object(rng, created);
            draft.subject.damage = draft.damage.clone();
            self.known_objects.remember(index, &draft.subject);
        }
        draft
    }

    /// Writes the project's content from its draft.
    fn content(&mut self, index: usize, draft: &Draft) -> ProjectContent {
        let rng = &mut self.rng;
        let metrics = plan::metrics(rng, draft);
        let (title, description) = wording::title_and_description(rng, draft, &metrics);
        let (approaches, funders) = funding::approaches(rng, &mut self.catalogue, draft);
        let tenders = processes::contracting(rng, &mut self.catalogue, draft, &title, &approaches);
        let earlier = self.latest_projects[index]
            .as_ref()
            .filter(|(_, created)| *created <= draft.created)
            .map(|(id, _)| id);
        let related = processes::related(rng, draft, &tenders, earlier);
        let parties = self.parties(draft, &funders, &tenders);

        ProjectContent {
            title,
            description,
            purpose: draft.purpose,
            project_type: draft.work.project_type(),
            status_details: draft.stage,
            sector: draft.subject.facility.sector,
            subsector: draft.subject.facility.subsector,
            parties,
            objects: draft
                .subject
                .object
                .iter()
                .map(|object| object.id)
                .collect(),
            locations: vec![draft.subject.location.clone()],
            metrics,
            phases: plan::phases(&mut self.rng, draft, &approaches),
            documents: plan::documents(&mut self.rng, draft, &approaches),
            approaches,
            related_processes: related,
            contracting_processes: tenders.processes,
        }
    }

    /// The parties: the initiator first, then whoever implements, designs, builds and pays.
    fn parties(
        &mut self,
        draft: &Draft,
        funders: &[BodyRef],
        tenders: &processes::Tenders,
    ) -> Vec<Party> {
        let rng = &mut self.rng;
        let mut parties = Vec::new();
        let initiator_roles = if rng.percent(75) {
            vec![PartyRole::Initiator, PartyRole::Balancer]
        } else {
            vec![PartyRole::Initiator]
        };
        for role in initiator_roles {
            add_party(&mut parties, draft.initiator(), role);
        }

        if draft.reached(StatusDetails::Structured) && rng.percent(30) {
            let service = self.catalogue.regional_service(draft.place, draft.created);
            add_party(&mut parties, &service, PartyRole::Implementer);
        }
        let designer = tenders.designer.clone().or_else(|| {
            (draft.reached(StatusDetails::Defined) && rng.percent(45))
                .then(|| self.catalogue.designer(rng, draft.place, draft.created))
        });
        if let Some(designer) = designer {
            add_party(&mut parties, &designer, PartyRole::Designer);
        }
        for supplier in &tenders.suppliers {
            add_party(&mut parties, supplier, PartyRole::Supplier);
        }
        for funder in funders {
            add_party(&mut parties, funder, PartyRole::Funder);
        }
        parties
    }

    /// A hromada, drawn in proportion to its oblast's weight.
    fn draw_place(&mut self) -> usize {
        let total = self.cumulative_weights.last().copied().unwrap_or(1);
        let ticket = self.rng.below(total);
        self.cumulative_weights
            .partition_point(|&running| running <= ticket)
    }

    /// When the project was created and last changed. Projects further along the route were
    /// created earlier, since each gate takes weeks to pass.
    fn timeline(&mut self, stage: StatusDetails) -> (OffsetDateTime, OffsetDateTime) {
        let youngest = Duration::days(i64::from(rank(stage)) * 25);
        let latest = (self.last_day - youngest).max(FIRST_DAY);
        let span = (latest - FIRST_DAY).whole_days();
        let created_day = FIRST_DAY + Duration::days(self.rng.between_i64(0, span));
        let created = self.moment(created_day);

        let since = (self.last_day - created_day).whole_days();
        let updated_day = created_day + Duration::days(self.rng.between_i64(0, since));
        let updated = if updated_day == created_day {
            created + Duration::seconds(self.rng.between_i64(0, 7_200))
        } else {
            self.moment(updated_day)
        };
        (created, updated)
    }

    /// A moment in office hours in Kyiv on `day`, in UTC, to the whole microsecond.
    fn moment(&mut self, day: Date) -> OffsetDateTime {
        let rng = &mut self.rng;
        let (hour, minute, second) = (rng.between(6, 15), rng.below(60), rng.below(60));
        let micro = rng.below(1_000_000) as u32;
        let time = Time::from_hms_micro(hour as u8, minute as u8, second as u8, micro)
            .unwrap_or(Time::MIDNIGHT);
        day.with_time(time).assume_utc()
    }

    /// A project id for `day` that no other project has.
    fn project_id(&mut self, day: Date) -> ProjectId {
        loop {
            let id = ProjectId::new(day, self.rng.next_u32());
            if self.project_ids.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Adds `role` to the party of `body`, listing the body as a party first if it is not yet.
fn add_party(parties: &mut Vec<Party>, body: &Body, role: PartyRole) {
    match parties.iter_mut().find(|party| party.id == body.id) {
        Some(party) if !party.roles.contains(&role) => party.roles.push(role),
        Some(_) => {}
        None => parties.push(Party {
            id: body.id.clone(),
            name: body.name_uk.clone(),
            roles: vec![role],
        }),
    }
}
