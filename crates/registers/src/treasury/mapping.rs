//! Every treasury field this connector reads, and what it becomes: a pure function from the
//! body of the transactions register of the public-finance portal (spending.gov.ua, API v2,
//! `GET /api/transactions/`) to [`Payment`]s, with no input or output.
//!
//! The body is a JSON array of transactions. Of each this reads `id`, `doc_date`, `amount`
//! and `amount_cop` (the same amount in kopiykas), `currency`, `payer_edrpou`,
//! `recipt_edrpou` (so spelled by the register), `payment_details` and `contract_number`.
//!
//! FIXME: `contract_number` is not in the register's published list of fields that this
//! was written from; where a transaction lacks it, the payment is matched to a contract by
//! its details (`№45/2024` in "…згідно договору №45/2024…"), see [`belongs_to_contract`].

use serde::Deserialize;
use serde_json::{Number, Value};

use crate::json::{self, BodyError};

/// One payment as the treasury recorded it. Amounts are in kopiykas, exactly; a return of
/// money is negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The register's id of the transaction, kept as text.
    pub id: String,
    pub doc_date: time::Date,
    pub amount_minor: i64,
    pub currency: String,
    pub payer_edrpou: String,
    pub recipient_edrpou: String,
    pub payment_details: String,
    pub contract_number: Option<String>,
}

// ---- The fields read from the API, and nothing more. ----

#[derive(Deserialize)]
struct RawTransaction {
    id: Value,
    doc_date: String,
    amount: Number,
    amount_cop: Option<i64>,
    currency: Option<String>,
    payer_edrpou: String,
    recipt_edrpou: String,
    payment_details: Option<String>,
    contract_number: Option<String>,
}

/// Maps the body of `GET /api/transactions/`.
pub fn payments_from_json(body: &[u8]) -> Result<Vec<Payment>, BodyError> {
    let raw: Vec<RawTransaction> = json::read(body)?;
    raw.into_iter()
        .enumerate()
        .map(|(index, transaction)| payment(transaction, index))
        .collect()
}

fn payment(raw: RawTransaction, index: usize) -> Result<Payment, BodyError> {
    let at = |field: &str| format!("[{index}].{field}");
    let id = match &raw.id {
        Value::Number(number) if number.is_u64() => number.to_string(),
        Value::String(text) if !text.trim().is_empty() => text.trim().to_owned(),
        other => {
            return Err(BodyError::invalid(
                at("id"),
                format!("expected a number or a text, got {other}"),
            ));
        }
    };
    let currency = raw.currency.unwrap_or_else(|| "UAH".to_owned());
    if currency != "UAH" {
        return Err(BodyError::invalid(
            at("currency"),
            format!("treasury payments are in UAH, got {currency:?}"),
        ));
    }
    // The amount in kopiykas is exact by nature; the amount in hryvnias must agree with it.
    let amount_minor = match (raw.amount_cop, kopiykas(&raw.amount)) {
        (Some(cop), Ok(from_amount)) if cop != from_amount => {
            return Err(BodyError::invalid(
                at("amount_cop"),
                format!("{cop} kopiykas disagree with the amount {}", raw.amount),
            ));
        }
        (Some(cop), _) => cop,
        (None, Ok(from_amount)) => from_amount,
        (None, Err(message)) => return Err(BodyError::invalid(at("amount"), message)),
    };
    Ok(Payment {
        id,
        doc_date: json::day(&raw.doc_date, &at("doc_date"))?,
        amount_minor,
        currency,
        payer_edrpou: raw.payer_edrpou.trim().to_owned(),
        recipient_edrpou: raw.recipt_edrpou.trim().to_owned(),
        payment_details: raw.payment_details.unwrap_or_default().trim().to_owned(),
        contract_number: raw
            .contract_number
            .map(|number| number.trim().to_owned())
            .filter(|number| !number.is_empty()),
    })
}

/// An amount in hryvnias, as the JSON number was written, in kopiykas: read from its
/// decimal text, never through a float, so `19415413165.34` is 1941541316534 exactly.
fn kopiykas(amount: &Number) -> Result<i64, String> {
    let text = amount.to_string();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !plain(whole) || !plain(fraction) {
        return Err(format!("{text} is not a plain decimal amount"));
    }
    if fraction.len() > 2 {
        return Err(format!("{text} has more than two decimal places"));
    }
    let cents = format!("{whole}{fraction:0<2}");
    let value: i64 = cents
        .parse()
        .map_err(|_| format!("{text} is too large an amount"))?;
    Ok(if negative { -value } else { value })
}

/// Whether a payment was made under the contract numbered `number`: its `contract_number`
/// says so, or, lacking one, its details name the contract as `№{number}`.
pub fn belongs_to_contract(payment: &Payment, number: &str) -> bool {
    let number = number.trim();
    if let Some(own) = &payment.contract_number {
        return own.eq_ignore_ascii_case(number);
    }
    let details = payment.payment_details.replace("№ ", "№");
    details
        .match_indices(&format!("№{number}"))
        .any(|(at, found)| {
            // The number must end where the mention ends: №45 is not №451.
            let next = details[at + found.len()..].chars().next();
            !next.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn amounts_become_exact_kopiykas() {
        assert_eq!(kopiykas(&number("19415413165.34")), Ok(1941541316534));
        assert_eq!(kopiykas(&number("125000.5")), Ok(12500050));
        assert_eq!(kopiykas(&number("700")), Ok(70000));
        assert_eq!(kopiykas(&number("-1200.10")), Ok(-120010));
        assert!(kopiykas(&number("0.001")).is_err());
        assert!(kopiykas(&number("1e30")).is_err());
    }

    fn paid(details: &str, contract: Option<&str>) -> Payment {
        Payment {
            id: "1".into(),
            doc_date: time::macros::date!(2024 - 05 - 10),
            amount_minor: 100,
            currency: "UAH".into(),
            payer_edrpou: "04057287".into(),
            recipient_edrpou: "43267182".into(),
            payment_details: details.into(),
            contract_number: contract.map(str::to_owned),
        }
    }

    #[test]
    fn a_payment_belongs_to_the_contract_it_names() {
        let details = "Оплата за виконані роботи згідно договору № 45/2024 від 12.03.2024";
        assert!(belongs_to_contract(&paid(details, None), "45/2024"));
        assert!(!belongs_to_contract(&paid(details, None), "45"));
        assert!(!belongs_to_contract(&paid(details, None), "5/2024"));
        assert!(belongs_to_contract(&paid("", Some("45/2024")), "45/2024"));
        assert!(!belongs_to_contract(
            &paid(details, Some("46/2024")),
            "45/2024"
        ));
    }
}
