//! The cabinet's project page over HTTP, on SQLite or PostgreSQL, as people use it in a
//! browser session: each role sees only the steps it may take and takes them with forms; a
//! form sent twice moves the project once; a form with a missing reason or a wrong score
//! comes back with what was typed and the problem named; the comment thread is shared by
//! those who work on the project; a reviewer of another oblast sees nothing of a draft.

mod common;

use common::{entry, register_council};
use dream_domain::text::Text;
use dream_domain::{Edrpou, ProjectId};
use dream_store::accounts::NewUser;
use dream_store::testing::{fresh_store, sample_project};
use reqwest::header::{COOKIE, LOCATION};
use reqwest::{Client, StatusCode, redirect};

const COUNCIL: &str = "04057287";
const KHARKIV: &str = "UA63000000000041885";
const LVIV: &str = "UA46000000000026241";

struct Desk {
    base: String,
    store: dream_store::Store,
    project: String,
    http: Client,
    _db: dream_store::testing::TestDb,
}

/// A signed-in person: the session cookie and the form token their pages carry.
struct Person {
    session: String,
    csrf: String,
}

async fn desk(name: &str) -> Desk {
    let db = fresh_store(name).await;
    let store = db.store.clone();
    let council = Text::new("Харківська міська рада", "Kharkiv City Council");
    register_council(&store, &Edrpou::parse(COUNCIL).unwrap(), council).await;
    let mut idea = sample_project();
    idea["statusDetails"] = "initiated".into();
    let content = dream_domain::validation::from_json(idea).unwrap();
    let project = store.create_project(content, &entry()).await.unwrap();
    Desk {
        base: common::serve(&store, false, None).await,
        project: project.id.to_string(),
        http: Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap(),
        store,
        _db: db,
    }
}

/// The value of the first hidden input `name` of a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {name}")) + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

impl Desk {
    async fn person(
        &self,
        email: &str,
        role: &str,
        org: Option<&str>,
        oblast: Option<&str>,
    ) -> Person {
        let user = self
            .store
            .create_user(&NewUser {
                email: email.into(),
                name: email.split('@').next().unwrap().into(),
                role: role.into(),
                organisation: org.map(str::to_owned),
                oblast: oblast.map(str::to_owned),
                created_by: "test".into(),
            })
            .await
            .unwrap();
        let session = self.store.create_session(&user.id).await.unwrap();
        // Every page of the cabinet carries the session's form token.
        let cabinet = self
            .http
            .get(format!("{}/cabinet", self.base))
            .header(COOKIE, format!("dream_session={session}"))
            .send()
            .await
            .unwrap();
        let csrf = hidden(&cabinet.text().await.unwrap(), "csrf");
        Person { session, csrf }
    }

    fn page_url(&self) -> String {
        format!("{}/cabinet/projects/{}", self.base, self.project)
    }

    async fn open(&self, person: &Person) -> (StatusCode, String) {
        let response = self
            .http
            .get(self.page_url())
            .header(COOKIE, format!("dream_session={}", person.session))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn send(
        &self,
        person: &Person,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let mut form = vec![("csrf", person.csrf.as_str())];
        form.extend_from_slice(fields);
        let response = self
            .http
            .post(format!("{}{path}", self.page_url()))
            .header(COOKIE, format!("dream_session={}", person.session))
            .form(&form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        if status == StatusCode::SEE_OTHER {
            let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
            assert!(location.ends_with(&self.project), "{location}");
        }
        (status, response.text().await.unwrap())
    }

    async fn stage(&self) -> (String, u32) {
        let id = ProjectId::parse(&self.project).unwrap();
        let (project, revision) = self.store.project(&id).await.unwrap();
        (project.content.status_details.to_string(), revision)
    }
}

/// Whether a page offers the step `action` as a form.
fn offers(page: &str, action: &str) -> bool {
    page.contains(&format!("name=\"action\" value=\"{action}\""))
}

#[tokio::test]
async fn the_initiator_and_the_oblast_move_a_project_with_forms_and_a_double_submit_moves_it_once()
{
    let desk = desk("workbench_route").await;
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let reviewer = desk
        .person("oda@example.org", "oblastReviewer", None, Some(KHARKIV))
        .await;

    let (_, page) = desk.open(&initiator).await;
    assert!(offers(&page, "submitForReview"));
    assert!(
        !offers(&page, "startAppraisal"),
        "only the oblast appraises"
    );
    let (_, page) = desk.open(&reviewer).await;
    assert!(
        !offers(&page, "startAppraisal"),
        "a draft is not yet the oblast's to move"
    );

    let (_, revision) = desk.stage().await;
    let revision = revision.to_string();
    let submit = [
        ("revision", revision.as_str()),
        ("action", "submitForReview"),
    ];
    let (status, _) = desk.send(&initiator, "/steps", &submit).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = desk.send(&initiator, "/steps", &submit).await;
    assert_eq!(status, StatusCode::CONFLICT, "the same form again");
    assert!(page.contains("Проєкт уже змінився"));
    assert_eq!(desk.stage().await.0, "defined");

    // A return without a reason comes back naming the field; nothing moves.
    let (_, revision) = desk.stage().await;
    let revision = revision.to_string();
    let (status, page) = desk
        .send(
            &reviewer,
            "/steps",
            &[
                ("revision", &revision),
                ("action", "returnWithReasons"),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Напишіть причину."));
    assert_eq!(desk.stage().await.0, "defined");

    let start = [
        ("revision", revision.as_str()),
        ("action", "startAppraisal"),
    ];
    assert_eq!(
        desk.send(&reviewer, "/steps", &start).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, revision) = desk.stage().await;
    let revision = revision.to_string();
    let (_, page) = desk.open(&reviewer).await;
    assert!(offers(&page, "appraise"));

    // A score above the sheet's maximum keeps everything typed and names the criterion.
    let mut sheet = vec![
        ("revision", revision.as_str()),
        ("action", "appraise"),
        ("points_0", "20"),
        ("points_1", "30"),
        ("points_2", "15"),
        ("points_3", "25"),
        ("conclusion", "Потреба обґрунтована, кошторис реалістичний"),
    ];
    let (status, page) = desk.send(&reviewer, "/steps", &sheet).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Ціле число балів від 0 до 25."));
    assert!(page.contains("Потреба обґрунтована, кошторис реалістичний"));
    assert!(page.contains("name=\"points_1\" inputmode=\"numeric\" required value=\"30\""));
    sheet[3] = ("points_1", "18");
    assert_eq!(
        desk.send(&reviewer, "/steps", &sheet).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(desk.stage().await.0, "appraised");

    let (_, page) = desk.open(&initiator).await;
    assert!(
        page.contains("appraised: 78 of 100 points"),
        "the history shows the score"
    );
    assert!(offers(&page, "prepareFinancing"));
}

#[tokio::test]
async fn the_thread_is_shared_by_those_who_work_on_the_project_and_hidden_from_strangers() {
    let desk = desk("workbench_thread").await;
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let reviewer = desk
        .person("oda@example.org", "oblastReviewer", None, Some(KHARKIV))
        .await;
    let lviv = desk
        .person("lviv@example.org", "oblastReviewer", None, Some(LVIV))
        .await;

    let (status, _) = desk.open(&lviv).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another oblast does not see the draft"
    );
    let (status, _) = desk
        .send(&lviv, "/comments", &[("body", "Чий це проєкт?")])
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "refused, and the draft stays hidden"
    );
    let id = ProjectId::parse(&desk.project).unwrap();
    assert!(desk.store.comments(&id).await.unwrap().is_empty());

    let (status, page) = desk.send(&initiator, "/comments", &[("body", "   ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Напишіть коментар."));
    let question = "Чи потрібен висновок експертизи кошторису?";
    let (status, _) = desk
        .send(&initiator, "/comments", &[("body", question)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let answer = "Так, додайте його до документів";
    desk.send(&reviewer, "/comments", &[("body", answer)]).await;

    let (_, page) = desk.open(&reviewer).await;
    let asked = page.find(question).unwrap();
    let answered = page.find(answer).unwrap();
    assert!(asked < answered, "oldest first");
    assert!(page.contains("hromada (ініціатор)"));

    // A form without the session's token, or from another site, changes nothing.
    let forged = Person {
        session: initiator.session.clone(),
        csrf: "forged".into(),
    };
    let (status, _) = desk
        .send(&forged, "/comments", &[("body", "Підроблено")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(desk.store.comments(&id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_initiator_applies_to_an_open_call_and_the_commission_decides_with_forms() {
    let desk = desk("workbench_call").await;
    let ministry = dream_domain::organisation::OrganisationContent {
        name: Text::new("Мінрозвитку", "Ministry for Development"),
        kind: dream_domain::codelist::OrganisationKind::Ministry,
        territory: dream_domain::Katottg::parse("UA80000000000093317").unwrap(),
    };
    let code = Edrpou::parse("37573335").unwrap();
    desk.store
        .create_organisation(code.clone(), ministry, &entry())
        .await
        .unwrap();
    let opens = dream_store::now() - time::Duration::days(1);
    let call: dream_domain::calls::Call = serde_json::from_value(serde_json::json!({
        "id": "rebuild-2026",
        "ministry": "37573335",
        "title": {"uk": "Відбудова 2026", "en": "Rebuilding 2026"},
        "opens": dream_domain::timestamp::format(opens),
        "closes": dream_domain::timestamp::format(opens + time::Duration::days(30)),
        "formula": {"criteria": [{"weight": 100, "criterion": {"kind": "designReadiness"}}]}
    }))
    .unwrap();
    desk.store.create_call(&call, "test").await.unwrap();
    let id = ProjectId::parse(&desk.project).unwrap();
    let patch =
        serde_json::json!([{"op": "replace", "path": "/statusDetails", "value": "appraised"}]);
    desk.store
        .patch_project(&id, &patch, None, &entry())
        .await
        .unwrap();
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let commission = desk
        .person(
            "mon@example.org",
            "commissionMember",
            Some("37573335"),
            None,
        )
        .await;

    let (_, page) = desk.open(&initiator).await;
    assert!(
        page.contains("<option value=\"rebuild-2026\""),
        "the open call is offered"
    );
    let (_, revision) = desk.stage().await;
    let revision = revision.to_string();
    let apply = [("revision", revision.as_str()), ("call", "rebuild-2026")];
    assert_eq!(
        desk.send(&initiator, "/applications", &apply).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(desk.stage().await.0, "applied");
    let (status, _) = desk.send(&initiator, "/applications", &apply).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "one application however often it is sent"
    );

    let (_, page) = desk.open(&commission).await;
    assert!(
        page.contains("name=\"call\" value=\"rebuild-2026\""),
        "the decision form"
    );
    let refuse = [
        ("call", "rebuild-2026"),
        ("verdict", "refuse"),
        ("reason", ""),
    ];
    let (status, page) = desk.send(&commission, "/decision", &refuse).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("needs a reason"),
        "a refusal needs its reason"
    );
    assert!(
        page.contains("<option value=\"refuse\" selected>"),
        "the choice is kept"
    );
    let approve = [
        ("call", "rebuild-2026"),
        ("verdict", "approve"),
        ("reason", ""),
    ];
    assert_eq!(
        desk.send(&commission, "/decision", &approve).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(desk.stage().await.0, "approved");
}

#[tokio::test]
async fn the_initiator_links_a_prozorro_tender_with_a_form_and_a_wrong_id_is_named() {
    let desk = desk("workbench_tender").await;
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let reviewer = desk
        .person("oda@example.org", "oblastReviewer", None, Some(KHARKIV))
        .await;

    let (_, page) = desk.open(&reviewer).await;
    assert!(
        !page.contains("name=\"tender\""),
        "a reviewer does not procure"
    );
    let (status, page) = desk
        .send(&initiator, "/tenders", &[("tender", "UA-2024-13-99")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("value=\"UA-2024-13-99\""),
        "what was typed is kept"
    );
    let tender = "UA-2024-05-14-001234-a";
    let (status, _) = desk
        .send(&initiator, "/tenders", &[("tender", tender)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let id = ProjectId::parse(&desk.project).unwrap();
    let (project, _) = desk.store.project(&id).await.unwrap();
    let written = serde_json::to_string(&project).unwrap();
    assert!(written.contains(tender), "the project names the tender");
    let (_, page) = desk.open(&initiator).await;
    assert!(
        page.contains("hromada"),
        "the link is a revision by the person"
    );
}

#[tokio::test]
async fn an_initiator_enters_and_edits_a_project_in_forms_that_keep_what_was_typed() {
    let desk = desk("workbench_form").await;
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let reviewer = desk
        .person("oda@example.org", "oblastReviewer", None, Some(KHARKIV))
        .await;
    let post = |path: &'static str, person: &Person, fields: Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![("csrf", person.csrf.clone())];
        form.extend(fields);
        desk.http
            .post(format!("{}{path}", desk.base))
            .header(COOKIE, format!("dream_session={}", person.session))
            .form(&form)
            .send()
    };
    let mut fields = vec![
        ("title_uk", String::new()),
        (
            "description_uk",
            "Ремонт покрівлі та вікон амбулаторії".to_owned(),
        ),
        ("purpose", "restoration".to_owned()),
        ("project_type", "rehabilitation".to_owned()),
        ("sector", "health".to_owned()),
        ("katottg", "UA123".to_owned()),
        ("need", "12,5 млн".to_owned()),
        ("people", "2 400".to_owned()),
    ];

    let response = post("/cabinet/projects/new", &initiator, fields.clone())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("id=\"title_uk-problem\""),
        "the missing title is named"
    );
    assert!(page.contains("UA і 17 цифр"), "the wrong code is named");
    assert!(
        page.contains("Ціла сума в гривнях"),
        "the wrong amount is named"
    );
    assert!(
        page.contains("Ремонт покрівлі та вікон амбулаторії"),
        "the typed text is kept"
    );

    fields[0].1 = "Ремонт амбулаторії в Мерефі".to_owned();
    fields[5].1 = "UA63120270000028556".to_owned();
    fields[6].1 = "12 500 000".to_owned();
    let response = post("/cabinet/projects/new", &initiator, fields.clone())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
    let id = ProjectId::parse(location.rsplit('/').next().unwrap()).unwrap();
    let (project, revision) = desk.store.project(&id).await.unwrap();
    assert_eq!(project.content.status_details.to_string(), "initiated");
    assert_eq!(project.content.initiator().unwrap().id.as_str(), COUNCIL);
    assert_eq!(project.content.funding().need.amount_minor, 1_250_000_000);
    assert_eq!(project.content.metrics[0].target, 2400.0);

    // The reviewer may not edit the council's draft; the council may, and the draft moves on.
    let edit = format!("/cabinet/projects/{id}/edit");
    let response = desk
        .http
        .get(format!("{}{edit}", desk.base))
        .header(COOKIE, format!("dream_session={}", reviewer.session))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let stale = revision.to_string();
    fields.push(("revision", stale.clone()));
    fields[0].1 = "Капітальний ремонт амбулаторії в Мерефі".to_owned();
    let path: &'static str = Box::leak(edit.into_boxed_str());
    let response = post(path, &initiator, fields.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (project, _) = desk.store.project(&id).await.unwrap();
    assert_eq!(
        project.content.title.uk,
        "Капітальний ремонт амбулаторії в Мерефі"
    );
    assert_eq!(project.content.status_details.to_string(), "definition");

    // The same form again was made against a revision that is gone: nothing is lost.
    fields[0].1 = "Ремонт амбулаторії №2".to_owned();
    let response = post(path, &initiator, fields).await.unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Ремонт амбулаторії №2"),
        "what was typed is still there"
    );
    let (project, _) = desk.store.project(&id).await.unwrap();
    assert_eq!(
        project.content.title.uk,
        "Капітальний ремонт амбулаторії в Мерефі"
    );
}

#[tokio::test]
async fn a_donor_records_its_funding_with_a_form_and_a_wrong_amount_is_named() {
    let desk = desk("workbench_funding").await;
    let donor = dream_domain::organisation::OrganisationContent {
        name: Text::new("Фонд відновлення", "Recovery Fund"),
        kind: dream_domain::codelist::OrganisationKind::Donor,
        territory: dream_domain::Katottg::parse("UA80000000000093317").unwrap(),
    };
    let code = Edrpou::parse("43000014").unwrap();
    desk.store
        .create_organisation(code, donor, &entry())
        .await
        .unwrap();
    let id = ProjectId::parse(&desk.project).unwrap();
    let funder =
        serde_json::json!({"id": "43000014", "name": "Фонд відновлення", "roles": ["funder"]});
    let patch = serde_json::json!([
        {"op": "replace", "path": "/statusDetails", "value": "appraised"},
        {"op": "add", "path": "/parties/-", "value": funder}
    ]);
    desk.store
        .patch_project(&id, &patch, None, &entry())
        .await
        .unwrap();
    let fund = desk
        .person("fund@example.org", "donor", Some("43000014"), None)
        .await;
    let (_, page) = desk.open(&fund).await;
    assert!(
        page.contains("name=\"amount\""),
        "the funding form is offered"
    );
    assert!(
        !offers(&page, "submitForReview"),
        "a donor takes no step of the route"
    );

    let (_, revision) = desk.stage().await;
    let revision = revision.to_string();
    let mut form = vec![
        ("revision", revision.as_str()),
        ("amount", "мільйон"),
        ("finance_type", "internationalPartners"),
        ("finance_category", "internationalOrganization"),
    ];
    let (status, page) = desk.send(&fund, "/funding", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("цілими гривнями"));
    assert!(page.contains("value=\"мільйон\""), "what was typed is kept");
    form[1] = ("amount", "1 000 000");
    assert_eq!(
        desk.send(&fund, "/funding", &form).await.0,
        StatusCode::SEE_OTHER
    );
    let (project, _) = desk.store.project(&id).await.unwrap();
    let line = project.content.approaches[0].finance.last().unwrap();
    assert_eq!(line.amount.amount_minor, 100_000_000);
    assert_eq!(
        line.financing_party.id.as_ref().unwrap().as_str(),
        "43000014"
    );
}

#[tokio::test]
async fn an_administrator_creates_accounts_with_one_time_links_and_nobody_else_may() {
    let desk = desk("workbench_accounts").await;
    let admin = desk
        .person("admin@agency.example", "agencyAdministrator", None, None)
        .await;
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let accounts = format!("{}/cabinet/accounts", desk.base);
    let post = |person: &Person, fields: Vec<(&'static str, &'static str)>| {
        let mut form = vec![("csrf", person.csrf.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_owned())));
        desk.http
            .post(&accounts)
            .header(COOKIE, format!("dream_session={}", person.session))
            .form(&form)
            .send()
    };

    let response = desk
        .http
        .get(&accounts)
        .header(COOKIE, format!("dream_session={}", initiator.session))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let reviewer = vec![
        ("email", "reviewer@oda.example"),
        ("name", "Ірина Бондар"),
        ("role", "oblastReviewer"),
        ("territory", "UA99"),
    ];
    let response = post(&initiator, reviewer.clone()).await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "only an administrator creates"
    );

    let response = post(&admin, reviewer.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("value=\"Ірина Бондар\""),
        "what was typed is kept"
    );
    assert!(
        page.contains("aria-invalid=\"true\">"),
        "the territory is marked"
    );

    let mut reviewer = reviewer;
    reviewer[3] = ("territory", KHARKIV);
    let response = post(&admin, reviewer.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = response.text().await.unwrap();
    let start = page.find("id=\"one-time-link\">").unwrap() + "id=\"one-time-link\">".len();
    let link = &page[start..page[start..].find('<').unwrap() + start];
    let token = link.rsplit('/').next().unwrap();
    let user = desk.store.link_user(token).await.unwrap().unwrap();
    assert_eq!(user.role, "oblastReviewer");
    assert_eq!(user.oblast.as_deref(), Some(KHARKIV));

    let response = post(&admin, reviewer).await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "one account per email"
    );
}

#[tokio::test]
async fn a_commission_member_opens_a_call_with_a_form_that_names_what_is_wrong() {
    let desk = desk("workbench_call_form").await;
    let ministry = dream_domain::organisation::OrganisationContent {
        name: Text::new("Мінрозвитку", "Ministry for Development"),
        kind: dream_domain::codelist::OrganisationKind::Ministry,
        territory: dream_domain::Katottg::parse("UA80000000000093317").unwrap(),
    };
    let code = Edrpou::parse("37573335").unwrap();
    desk.store
        .create_organisation(code, ministry, &entry())
        .await
        .unwrap();
    let member = desk
        .person(
            "mon@example.org",
            "commissionMember",
            Some("37573335"),
            None,
        )
        .await;
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let url = format!("{}/cabinet/calls/new", desk.base);
    let post = |person: &Person, fields: &[(&str, &str)]| {
        let mut form: Vec<(String, String)> = vec![("csrf".into(), person.csrf.clone())];
        form.extend(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        desk.http
            .post(&url)
            .header(COOKIE, format!("dream_session={}", person.session))
            .form(&form)
            .send()
    };
    let mut fields = vec![
        ("id", "safe-schools-2027"),
        ("title_uk", "Безпечні школи 2027"),
        ("opens", "2027-01-10"),
        ("closes", "2027-03-01"),
        ("sector", "education"),
        ("oblast", KHARKIV),
        ("oblast_code", KHARKIV),
        ("risk_63", "5"),
        ("w_oblastRisk", "40"),
        ("w_peopleServed", "50"),
        ("p_peopleServed", "1000"),
    ];

    let response = post(&initiator, &fields).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = post(&member, &fields).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("100"),
        "the weights that do not add up are named"
    );
    assert!(
        page.contains("value=\"Безпечні школи 2027\""),
        "what was typed is kept"
    );
    assert!(
        page.contains("value=\"63\"") || page.contains("risk_63"),
        "the oblasts are listed"
    );

    fields[8] = ("w_oblastRisk", "50");
    let response = post(&member, &fields).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()[LOCATION]
            .to_str()
            .unwrap()
            .ends_with("/calls/safe-schools-2027")
    );
    let stored = desk.store.call("safe-schools-2027").await.unwrap().call;
    assert_eq!(
        stored.ministry.as_str(),
        "37573335",
        "the member's own ministry"
    );
    assert_eq!(stored.eligible_oblasts.len(), 1);
    assert_eq!(stored.formula.criteria().len(), 2);
    let kharkiv = dream_domain::Katottg::parse("UA63120270000028556").unwrap();
    assert_eq!(stored.oblast_risks.level_of(&kharkiv), Some(5));
}

#[tokio::test]
async fn an_administrator_reads_the_sync_log_and_settles_a_conflict_by_keeping_dreams_value() {
    let desk = desk("workbench_registers").await;
    let admin = desk
        .person("admin@agency.example", "agencyAdministrator", None, None)
        .await;
    let initiator = desk
        .person("hromada@example.org", "initiator", Some(COUNCIL), None)
        .await;
    let now = dream_store::timestamp::Timestamp(dream_store::now());
    let run = dream_store::registers::SyncRun {
        register: "edr".into(),
        started_at: now,
        finished_at: now,
        new: 0,
        changed: 1,
        unchanged: 3,
        failed: 1,
        log: vec![
            "04057287: name differs".into(),
            "00000000: failed: 404".into(),
        ],
    };
    desk.store.record_sync_run(&run).await.unwrap();
    let register_name = "ХАРКІВСЬКА МІСЬКА РАДА";
    desk.store
        .note_conflict(
            "edr",
            COUNCIL,
            "/name/uk",
            Some("Харківська міська рада"),
            register_name,
        )
        .await
        .unwrap();
    let url = format!("{}/cabinet/registers", desk.base);
    let open = |person: &Person| {
        desk.http
            .get(&url)
            .header(COOKIE, format!("dream_session={}", person.session))
            .send()
    };

    assert_eq!(
        open(&initiator).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let page = open(&admin).await.unwrap().text().await.unwrap();
    assert!(
        page.contains("00000000: failed: 404"),
        "the log says what failed and why"
    );
    assert!(
        page.contains(register_name),
        "the register's value waits beside ours"
    );
    let conflict = desk.store.open_conflicts(None).await.unwrap().remove(0);
    let settle = format!("{url}/conflicts/{}", conflict.id);
    let response = desk
        .http
        .post(&settle)
        .header(COOKIE, format!("dream_session={}", admin.session))
        .form(&[("csrf", admin.csrf.as_str()), ("choice", "keep")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(desk.store.open_conflicts(None).await.unwrap().is_empty());
    let page = open(&admin).await.unwrap().text().await.unwrap();
    assert!(
        !page.contains(register_name),
        "a settled conflict waits no more"
    );
}

#[tokio::test]
async fn the_cabinet_list_narrows_by_words_stage_and_sector_pages_and_names_a_wrong_filter() {
    let desk = desk("workbench_cabinet_list").await;
    common::load_demo(&desk.store, 120, 11).await;
    let reviewer = desk
        .person("oda@example.org", "oblastReviewer", None, Some(KHARKIV))
        .await;
    let administrator = desk
        .person("admin@example.org", "agencyAdministrator", None, None)
        .await;
    let list = |person: &Person, query: &str| {
        let request = desk
            .http
            .get(format!("{}/cabinet{query}", desk.base))
            .header(COOKIE, format!("dream_session={}", person.session));
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let lyceum = "Капітальний ремонт ліцею №5";

    let (status, page) = list(&reviewer, "?q=ліцею&stage=initiated").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(lyceum), "the oblast finds the idea by a word");
    let (_, page) = list(&reviewer, "?stage=initiated&sector=health").await;
    assert!(!page.contains(lyceum), "a school is not in health");
    let (_, page) = list(&reviewer, "?sector=education&stage=initiated").await;
    assert!(page.contains(lyceum));

    // Another oblast's reviewer does not find it by any word.
    let lviv = desk
        .person("lviv@example.org", "oblastReviewer", None, Some(LVIV))
        .await;
    let (_, page) = list(&lviv, "?q=ліцею").await;
    assert!(!page.contains(lyceum));

    // The administrator sees every project, fifty to a page.
    let (_, first) = list(&administrator, "").await;
    assert!(
        first.contains("rel=\"next\""),
        "121 projects take three pages"
    );
    assert!(!first.contains("rel=\"prev\""));
    let (status, third) = list(&administrator, "?page=3").await;
    assert_eq!(status, StatusCode::OK);
    assert!(third.contains("rel=\"prev\"") && !third.contains("rel=\"next\""));

    let (status, page) = list(&reviewer, "?sector=bridges&oblast=UA46000000000026241").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("sector: невідоме значення")
            && page.contains("oblast: тут не застосовується"),
        "{page}"
    );
}
