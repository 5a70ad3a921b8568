//! The mapping of recorded Prozorro responses into the connector's processes and the
//! domain's contracting processes, and the errors for responses that are not right.

mod support;

use dream_domain::codelist::ContractingStatus;
use dream_domain::money::{Currency, Money};
use dream_registers::prozorro::mapping::{
    add_contract_details, contract_from_json, contract_from_value, feed_page_from_json,
    plan_from_json, project_id_from_address, tender_from_json, tender_from_value,
};
use dream_registers::prozorro::{
    ChangeFlow, ChangeStatus, ContractStatus, MappingError, Oc4idsProcessStatus,
    OrganisationIdentifier, ProzorroProcess,
};
use serde_json::json;
use support::{fixture, fixture_json};
use time::macros::date;

fn tender(name: &str) -> ProzorroProcess {
    tender_from_json(fixture(name).as_bytes()).unwrap()
}

fn uah(major: i64) -> Option<Money> {
    Some(Money::uah(major * 100))
}

fn invalid_path(error: MappingError) -> String {
    match error {
        MappingError::Invalid { path, .. } => path,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[test]
fn a_tender_in_tendering_is_pre_award_with_bidders_unknown() {
    let process = tender("tender-active.json");
    assert_eq!(
        process.internal_id.as_str(),
        "5429c1a3494f4034839597408f6cde96"
    );
    assert_eq!(process.tender_id.as_str(), "UA-2027-01-01-000001-a");
    assert_eq!(process.ocid(), "ocds-be6bcu-UA-2027-01-01-000001-a");
    assert_eq!(process.tender_status, "active.tendering");
    assert_eq!(process.status, ContractingStatus::Preparation);
    assert_eq!(process.oc4ids_status(), Oc4idsProcessStatus::PreAward);
    assert_eq!(process.procurement_method.as_deref(), Some("open"));
    assert_eq!(process.procurement_method_type, "aboveThresholdEU");
    assert_eq!(process.title.uk, "Послуги шкільних їдалень");
    assert_eq!(
        process.title.en.as_deref(),
        Some("Services in school canteens")
    );
    assert_eq!(process.tender_value, uah(1000));
    assert_eq!(
        process.number_of_tenderers, None,
        "bids are hidden while tendering"
    );
    assert_eq!(
        process
            .procuring_entity
            .identifier
            .edrpou()
            .map(|c| c.as_str()),
        Some("21725150")
    );
    assert_eq!(process.procuring_entity.name, "ЗОСШ #10 м.Вінниці");
    assert!(process.contracts.is_empty());
}

#[test]
fn a_tender_at_auction_is_pre_award() {
    let process = tender("tender-belowthreshold.json");
    assert_eq!(process.status, ContractingStatus::Preparation);
    assert_eq!(process.procurement_method_type, "belowThreshold");
    assert_eq!(process.tender_value, uah(500));
    assert_eq!(process.number_of_tenderers, None);
    assert_eq!(process.title.en, None);
}

#[test]
fn a_complete_tender_with_active_contracts_is_in_implementation() {
    let process = tender("tender-complete.json");
    assert_eq!(process.status, ContractingStatus::Implementation);
    assert_eq!(process.oc4ids_status(), Oc4idsProcessStatus::Active);
    assert_eq!(process.procurement_method_type, "aboveThreshold");
    assert_eq!(
        process.main_procurement_category.as_deref(),
        Some("services")
    );
    assert_eq!(process.number_of_tenderers, Some(2));

    assert_eq!(process.contracts.len(), 2);
    let first = &process.contracts[0];
    assert_eq!(first.contract_id, "UA-2027-01-01-000001-a-a1");
    assert_eq!(first.status, ContractStatus::Active);
    assert_eq!(first.value, uah(500));
    assert_eq!(first.awarded_value, uah(500));
    assert!(!first.detailed);
    // The summary has no suppliers; they come from the award. This sandbox code fails the
    // EDRPOU check digit, so it is kept as written and not passed off as an EDRPOU.
    assert_eq!(first.suppliers.len(), 1);
    assert_eq!(
        first.suppliers[0].identifier,
        OrganisationIdentifier::Other {
            scheme: "UA-EDR".into(),
            id: "00137256".into()
        }
    );
    assert_eq!(process.contract_value(), uah(1000));
}

#[test]
fn a_cancelled_tender_is_closed_and_counts_each_tenderer_once() {
    let process = tender("tender-cancelled.json");
    assert_eq!(process.status, ContractingStatus::Cancelled);
    assert_eq!(process.oc4ids_status(), Oc4idsProcessStatus::Closed);
    assert_eq!(process.procurement_method_type, "esco");
    assert_eq!(
        process.tender_value, None,
        "an ESCO tender has no expected value"
    );
    // Three bids, of which two come from the same company.
    assert_eq!(process.number_of_tenderers, Some(2));
    assert_eq!(process.contracts[0].status, ContractStatus::Cancelled);
    // The contract's value has cents: 8734.93 UAH.
    assert_eq!(process.contracts[0].value, Some(Money::uah(873_493)));
    assert_eq!(
        process.contract_value(),
        None,
        "a cancelled contract is not signed"
    );
}

#[test]
fn an_unsuccessful_tender_counts_its_rejected_bidder() {
    let process = tender("tender-unsuccessful.json");
    assert_eq!(process.status, ContractingStatus::Unsuccessful);
    assert_eq!(process.procurement_method_type, "requestForProposal");
    assert_eq!(process.number_of_tenderers, Some(1));
}

#[test]
fn a_limited_procedure_before_its_contract_is_pre_award() {
    let process = tender("tender-reporting.json");
    assert_eq!(process.tender_id.as_str(), "UA-2027-01-01-000004-a");
    assert_eq!(process.status, ContractingStatus::Preparation);
    assert_eq!(process.procurement_method.as_deref(), Some("limited"));
    assert_eq!(process.procurement_method_type, "reporting");
    assert_eq!(process.tender_value, uah(500_000));
    assert_eq!(
        process.number_of_tenderers, None,
        "a reporting procedure has no bids"
    );
}

#[test]
fn a_buyer_with_an_ipn_is_never_taken_for_an_edrpou() {
    let process = tender("tender-pricequotation-complete.json");
    assert_eq!(process.procurement_method.as_deref(), Some("selective"));
    assert_eq!(
        process.procuring_entity.identifier,
        OrganisationIdentifier::Other {
            scheme: "UA-IPN".into(),
            id: "00037257".into()
        }
    );
    // The supplier's IPN digits happen to pass the EDRPOU check; it stays an IPN.
    let supplier = &process.contracts[0].suppliers[0];
    assert_eq!(supplier.identifier.edrpou(), None);
    assert_eq!(process.suppliers_without_edrpou().len(), 1);
    assert!(process.to_contracting_process().suppliers.is_empty());
}

#[test]
fn a_contract_amended_in_place_keeps_its_amended_value_and_its_change() {
    let record = contract_from_json(fixture("contract.json").as_bytes()).unwrap();
    assert_eq!(
        record.tender_internal_id.as_ref().map(|id| id.as_str()),
        Some("f2a340122e754b528c3f516d8e34de7a")
    );
    let contract = &record.contract;
    assert_eq!(contract.contract_id, "UA-2027-01-01-000001-a-a1");
    assert_eq!(contract.status, ContractStatus::Active);
    assert_eq!(contract.value, uah(280));
    assert_eq!(
        contract.date_signed.map(|d| d.date()),
        Some(date!(2027 - 01 - 01))
    );
    let period = contract.period.unwrap();
    assert_eq!(period.start_date, Some(date!(2027 - 01 - 01)));
    assert_eq!(period.end_date, Some(date!(2027 - 01 - 31)));

    assert_eq!(contract.modifications.len(), 1);
    let change = &contract.modifications[0];
    assert_eq!(change.status, ChangeStatus::Active);
    assert_eq!(change.flow, ChangeFlow::AmendedOnContract);
    assert_eq!(change.new_value, None);
    assert_eq!(
        change.rationale_types,
        ["volumeCuts", "priceReductionWithoutQuantity"]
    );
    assert_eq!(
        change.rationale.as_ref().and_then(|r| r.en.as_deref()),
        Some("Contract change cause")
    );
    assert_eq!(contract.current_value(), uah(280));
}

#[test]
fn an_electronic_contract_takes_its_value_from_the_signed_change() {
    let record = contract_from_json(fixture("contract-econtract-changes.json").as_bytes()).unwrap();
    let contract = &record.contract;
    assert_eq!(contract.value, uah(500));
    assert_eq!(contract.modifications.len(), 2);

    let signed = &contract.modifications[0];
    assert_eq!(signed.status, ChangeStatus::Active);
    assert_eq!(signed.flow, ChangeFlow::Modifications);
    assert_eq!(signed.new_value, uah(450));
    let cancelled = &contract.modifications[1];
    assert_eq!(cancelled.status, ChangeStatus::Cancelled);
    assert_eq!(cancelled.rationale_types, ["durationExtension"]);
    assert_eq!(
        cancelled.new_period.and_then(|p| p.end_date),
        Some(date!(2028 - 01 - 01))
    );

    // The cancelled change sets no value; the signed one does.
    assert_eq!(contract.current_value(), uah(450));
}

#[test]
fn a_tender_and_its_contract_make_one_process_for_the_domain() {
    let mut process = tender("tender-pricequotation-complete.json");
    assert_eq!(process.contracts[0].value, uah(220));
    let record = contract_from_json(fixture("contract.json").as_bytes()).unwrap();
    add_contract_details(&mut process, record).unwrap();

    let contract = &process.contracts[0];
    assert!(contract.detailed);
    assert_eq!(
        contract.awarded_value,
        uah(500),
        "kept from the tender's award"
    );
    assert_eq!(contract.value, uah(280), "the contract's own record wins");

    let domain = process.to_contracting_process();
    assert_eq!(domain.tender_id, "UA-2027-01-01-000001-a");
    assert_eq!(domain.status, ContractingStatus::Implementation);
    assert_eq!(domain.title.uk, "Комп’ютерне обладнання");
    assert_eq!(domain.tender_value, uah(22_000));
    assert_eq!(domain.contract_value, uah(280));
    assert_eq!(domain.number_of_tenderers, Some(1));
    assert_eq!(domain.date_signed, Some(date!(2027 - 01 - 01)));
}

#[test]
fn suppliers_with_a_valid_edrpou_reach_the_domain_once_each() {
    // Both contracts of this tender went to one supplier; give it a real code.
    let body = fixture("tender-complete.json").replace("\"00137256\"", "\"00013480\"");
    let process = tender_from_json(body.as_bytes()).unwrap();
    let domain = process.to_contracting_process();
    assert_eq!(domain.suppliers.len(), 1);
    assert_eq!(domain.suppliers[0].id.as_str(), "00013480");
    assert_eq!(domain.suppliers[0].name, "ДКП «Школяр»");
    assert_eq!(domain.contract_value, uah(1000));
}

#[test]
fn a_contract_of_another_tender_is_not_merged() {
    let mut process = tender("tender-complete.json");
    let record = contract_from_json(fixture("contract.json").as_bytes()).unwrap();
    let error = add_contract_details(&mut process, record).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("belongs to tender f2a340122e754b528c3f516d8e34de7a")
    );
}

#[test]
fn signed_and_ended_contracts_decide_the_status_until_the_register_closes_the_tender() {
    let mut body = fixture_json("tender-complete.json");
    body["data"]["status"] = json!("active.awarded");
    for contract in body["data"]["contracts"].as_array_mut().unwrap() {
        contract["status"] = json!("pending");
    }
    assert_eq!(
        tender_from_value(&body).unwrap().status,
        ContractingStatus::Preparation
    );

    body["data"]["contracts"][0]["status"] = json!("terminated");
    body["data"]["contracts"][1]["status"] = json!("cancelled");
    assert_eq!(
        tender_from_value(&body).unwrap().status,
        ContractingStatus::Complete
    );

    body["data"]["status"] = json!("complete");
    body["data"]["contracts"][1]["status"] = json!("terminated");
    assert_eq!(
        tender_from_value(&body).unwrap().status,
        ContractingStatus::Complete
    );

    body["data"]["status"] = json!("active.stage2.pending");
    body["data"]["contracts"] = json!([]);
    assert_eq!(
        tender_from_value(&body).unwrap().status,
        ContractingStatus::Preparation
    );
}

#[test]
fn withdrawn_and_draft_bids_do_not_count_as_tenderers() {
    let mut body = fixture_json("tender-complete.json");
    body["data"]["bids"][1]["status"] = json!("deleted");
    assert_eq!(
        tender_from_value(&body).unwrap().number_of_tenderers,
        Some(1)
    );
    body["data"]["bids"][0]["status"] = json!("draft");
    assert_eq!(
        tender_from_value(&body).unwrap().number_of_tenderers,
        Some(0)
    );
}

#[test]
fn an_older_record_without_bids_gives_its_number_of_bids() {
    let mut body = fixture_json("tender-belowthreshold.json");
    body["data"]["numberOfBids"] = json!(3);
    assert_eq!(
        tender_from_value(&body).unwrap().number_of_tenderers,
        Some(3)
    );
}

#[test]
fn a_plan_names_the_dream_project_it_serves() {
    let plan = plan_from_json(fixture("plan.json").as_bytes()).unwrap();
    assert_eq!(plan.plan_id, "UA-P-2027-01-01-000001-a");
    assert_eq!(
        plan.internal_id.as_str(),
        "cccb8928810c4bda97b1eabb9c4c4f9b"
    );
    assert_eq!(
        plan.project.as_ref().map(|p| p.as_str()),
        Some("DREAM-UA-030524-EE48E08C")
    );
    assert_eq!(
        plan.tender_internal_id.as_ref().map(|id| id.as_str()),
        Some("e7db462b6c17406f8ddda353f082a92a")
    );
}

#[test]
fn only_addresses_on_dream_gov_ua_name_a_project() {
    let id =
        project_id_from_address("https://dream.gov.ua/en/project/DREAM-UA-030524-ee48e08c?tab=1");
    assert_eq!(id.unwrap().as_str(), "DREAM-UA-030524-EE48E08C");
    assert!(
        project_id_from_address("https://dream.example.com/ua/project/DREAM-UA-030524-EE48E08C")
            .is_err()
    );
    assert!(project_id_from_address("https://dream.gov.ua/ua/projects").is_err());
    assert!(
        project_id_from_address("https://dream.gov.ua/ua/project/DREAM-UA-999999-EE48E08C")
            .is_err()
    );

    let mut body = fixture_json("plan.json");
    body["data"]["project"]["uri"] = json!("https://example.org/project/1");
    let error = plan_from_json(body.to_string().as_bytes()).unwrap_err();
    assert_eq!(invalid_path(error), "data.project.uri");

    body["data"].as_object_mut().unwrap().remove("project");
    assert_eq!(
        plan_from_json(body.to_string().as_bytes()).unwrap().project,
        None
    );
}

#[test]
fn a_feed_page_lists_changes_and_the_next_offset() {
    let page = feed_page_from_json(fixture("tenders-feed-page.json").as_bytes()).unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        page.items[1].id.as_str(),
        "fa2e9cbf88314cb6ae4f240dacbb041f"
    );
    assert_eq!(page.items[1].date_modified, "2027-01-01T00:00:01+02:00");
    assert_eq!(
        page.next_offset.as_deref(),
        Some("1798754401.0.1.0c83243cbf195ce42c53e8755e94dcd3")
    );
}

#[test]
fn broken_and_incomplete_bodies_give_errors_that_name_the_field() {
    assert!(matches!(
        tender_from_json(b"{\"data\": {"),
        Err(MappingError::Syntax(_))
    ));
    assert!(matches!(
        tender_from_json(b"<html>502</html>"),
        Err(MappingError::Syntax(_))
    ));
    let trailing = format!("{} }}", fixture("tender-active.json"));
    assert!(matches!(
        tender_from_json(trailing.as_bytes()),
        Err(MappingError::Syntax(_))
    ));

    let changed = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut body = fixture_json("tender-complete.json");
        edit(&mut body);
        invalid_path(tender_from_value(&body).unwrap_err())
    };
    assert_eq!(
        changed(&|b| b["data"]["value"]["amount"] = json!(-5)),
        "data.value.amount"
    );
    assert_eq!(
        changed(&|b| b["data"]["value"]["amount"] = json!(10.005)),
        "data.value.amount"
    );
    assert_eq!(
        changed(&|b| b["data"]["value"]["currency"] = json!("ГРН")),
        "data.value.currency"
    );
    assert_eq!(
        changed(&|b| b["data"]["status"] = json!("archived")),
        "data.status"
    );
    assert_eq!(
        changed(&|b| b["data"]["tenderID"] = json!("2027-000001")),
        "data.tenderID"
    );
    assert_eq!(changed(&|b| b["data"]["id"] = json!("38bca89f")), "data.id");
    assert_eq!(
        changed(&|b| b["data"]["dateModified"] = json!("yesterday")),
        "data.dateModified"
    );
    assert_eq!(
        changed(&|b| b["data"]["bids"] = json!("hidden")),
        "data.bids"
    );
    assert_eq!(
        changed(&|b| b["data"]["contracts"][1]["status"] = json!("signed")),
        "data.contracts[1].status"
    );
    assert_eq!(
        changed(&|b| b["data"]["contracts"][0]["value"] = json!({"currency": "UAH"})),
        "data.contracts[0].value"
    );
    assert_eq!(
        changed(&|b| b["data"]["awards"][1]["value"]["amount"] = json!("500")),
        "data.awards[1].value.amount"
    );
    assert_eq!(
        changed(&|b| {
            b["data"].as_object_mut().unwrap().remove("procuringEntity");
        }),
        "data"
    );
    assert!(tender_from_value(&json!({"data": []})).is_err());
    assert!(tender_from_value(&json!({"errors": []})).is_err());

    let mut contract = fixture_json("contract-econtract-changes.json");
    contract["data"]["changes"][0]["modifications"]["value"]["amount"] = json!(-450);
    let error = contract_from_value(&contract).unwrap_err();
    assert_eq!(
        invalid_path(error),
        "data.changes[0].modifications.value.amount"
    );
    contract["data"]["changes"][0]["status"] = json!("signed");
    assert_eq!(
        invalid_path(contract_from_value(&contract).unwrap_err()),
        "data.changes[0].status"
    );
    contract["data"]["dateSigned"] = json!(17);
    assert_eq!(
        invalid_path(contract_from_value(&contract).unwrap_err()),
        "data.dateSigned"
    );
}

#[test]
fn every_recorded_tender_maps_and_round_trips_through_storage() {
    for name in [
        "tender-active.json",
        "tender-belowthreshold.json",
        "tender-cancelled.json",
        "tender-complete.json",
        "tender-unsuccessful.json",
        "tender-reporting.json",
        "tender-pricequotation-complete.json",
    ] {
        let process = tender(name);
        let stored = serde_json::to_string(&process).unwrap();
        let back: ProzorroProcess = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, process, "{name}");
        assert_eq!(
            tender_from_value(&fixture_json(name)).unwrap(),
            process,
            "{name}: parsed and raw bodies map alike"
        );
    }
    assert_eq!(Money::uah(1).currency, Currency::UAH);
}
