//! What a person may type to link a Prozorro procurement, and the messages for what is wrong.

use dream_registers::prozorro::{ContractId, IdError, ProzorroReference, TenderId};

#[test]
fn a_tender_id_parses_and_gives_prozorros_ocid() {
    let reference = ProzorroReference::parse(" UA-2024-05-23-000123-a ").unwrap();
    let ProzorroReference::Tender(id) = reference else {
        panic!("expected a tender id, got {reference:?}");
    };
    assert_eq!(id.as_str(), "UA-2024-05-23-000123-a");
    assert_eq!(id.ocid(), "ocds-be6bcu-UA-2024-05-23-000123-a");
    assert!(!id.is_second_stage());
}

#[test]
fn the_second_stage_of_a_competitive_dialogue_is_a_tender_id_too() {
    let id = TenderId::parse("UA-2024-05-23-000123-a.2").unwrap();
    assert!(id.is_second_stage());
    assert_eq!(id.ocid(), "ocds-be6bcu-UA-2024-05-23-000123-a.2");
}

#[test]
fn an_internal_id_is_kept_in_lower_case() {
    let reference = ProzorroReference::parse("F2A340122E754B528C3F516D8E34DE7A").unwrap();
    assert_eq!(
        reference,
        ProzorroReference::Internal("f2a340122e754b528c3f516d8e34de7a".parse().unwrap())
    );
    assert_eq!(reference.tender_id(), None);
}

#[test]
fn a_contract_id_names_its_tender() {
    let reference = ProzorroReference::parse("UA-2027-01-01-000001-a-a12").unwrap();
    let ProzorroReference::Contract(contract) = &reference else {
        panic!("expected a contract id, got {reference:?}");
    };
    assert_eq!(contract.as_str(), "UA-2027-01-01-000001-a-a12");
    assert_eq!(contract.tender_id().as_str(), "UA-2027-01-01-000001-a");
    assert_eq!(
        reference.tender_id().map(TenderId::as_str),
        Some("UA-2027-01-01-000001-a")
    );
}

#[test]
fn a_link_to_the_tender_page_is_read_as_its_id() {
    let reference =
        ProzorroReference::parse("https://prozorro.gov.ua/tender/UA-2024-05-23-000123-a/").unwrap();
    assert_eq!(
        reference.tender_id().map(TenderId::as_str),
        Some("UA-2024-05-23-000123-a")
    );
}

#[test]
fn each_wrong_entry_says_what_is_wrong_with_it() {
    let error = |text: &str| ProzorroReference::parse(text).unwrap_err();

    assert_eq!(error("   "), IdError::Empty);
    assert!(matches!(
        error("UA-2024-02-30-000123-a"),
        IdError::ImpossibleDate { .. }
    ));
    assert!(matches!(
        error("UA-2024-05-23-00123-a"),
        IdError::Number { .. }
    ));
    assert!(matches!(
        error("UA-2024-05-23-000123-A"),
        IdError::Suffix { .. }
    ));
    assert!(matches!(
        error("UA-2024-05-23-000123-a-b1"),
        IdError::ContractNumber { .. }
    ));
    assert!(matches!(
        error("UA-2024-05-23-000123-a-a0"),
        IdError::ContractNumber { .. }
    ));
    assert!(matches!(
        error("f2a340122e754b528c3f516d8e34de"),
        IdError::InternalLength { length: 30, .. }
    ));
    assert!(matches!(
        error("UA-P-2027-01-01-000001-a"),
        IdError::PlanId(_)
    ));
    assert!(matches!(error("tender 123"), IdError::Unrecognised(_)));

    let message = error("UA-2024-02-30-000123-a").to_string();
    assert!(
        message.contains("UA-2024-02-30-000123-a") && message.contains("2024-02-30"),
        "{message}"
    );
    let message = error("hello").to_string();
    assert!(
        message.contains("\"hello\" is not a Prozorro id"),
        "{message}"
    );
}

#[test]
fn ids_read_back_from_their_stored_text() {
    let contract: ContractId = serde_json::from_str("\"UA-2027-01-01-000001-a-a1\"").unwrap();
    assert_eq!(
        serde_json::to_string(&contract).unwrap(),
        "\"UA-2027-01-01-000001-a-a1\""
    );
    assert!(serde_json::from_str::<TenderId>("\"UA-2027-13-01-000001-a\"").is_err());
}
