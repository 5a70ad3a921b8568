//! Money: a whole number of minor units (kopiykas, cents) and an ISO 4217 currency. Budgets
//! are summed and compared exactly; no amount ever passes through a float.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The active ISO 4217 currencies with the number of their minor-unit digits. Funds codes,
/// precious metals and testing codes are left out: no budget line is paid in them.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWL", 2),
];

/// An ISO 4217 currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Currency(&'static str);

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// A string that is not an active ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an ISO 4217 currency code (such as UAH, EUR or USD)")]
pub struct CurrencyError(pub String);

impl Currency {
    pub const UAH: Currency = Currency("UAH");
    pub const EUR: Currency = Currency("EUR");
    pub const USD: Currency = Currency("USD");

    pub fn parse(code: &str) -> Result<Self, CurrencyError> {
        CURRENCIES
            .iter()
            .find(|(known, _)| *known == code)
            .map(|(known, _)| Currency(known))
            .ok_or_else(|| CurrencyError(code.to_owned()))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    /// How many digits the minor unit has: 2 for the hryvnia, 0 for the yen.
    pub fn minor_digits(self) -> u8 {
        CURRENCIES
            .iter()
            .find(|(known, _)| *known == self.0)
            .map_or(2, |(_, digits)| *digits)
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> Self {
        currency.0.to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// An amount of money that is never negative: budgets, finance lines and contract values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawMoney", rename_all = "camelCase")]
pub struct Money {
    /// The amount in minor units: 1 250 000.50 UAH is 125000050.
    pub amount_minor: i64,
    pub currency: Currency,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawMoney {
    amount_minor: i64,
    currency: Currency,
}

/// An amount below zero where only zero or more makes sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an amount cannot be negative, got {0} minor units")]
pub struct NegativeAmount(pub i64);

impl TryFrom<RawMoney> for Money {
    type Error = NegativeAmount;
    fn try_from(raw: RawMoney) -> Result<Self, Self::Error> {
        Money::new(raw.amount_minor, raw.currency)
    }
}

impl Money {
    pub fn new(amount_minor: i64, currency: Currency) -> Result<Self, NegativeAmount> {
        if amount_minor < 0 {
            return Err(NegativeAmount(amount_minor));
        }
        Ok(Self {
            amount_minor,
            currency,
        })
    }

    pub fn uah(amount_minor: i64) -> Self {
        Self {
            amount_minor: amount_minor.max(0),
            currency: Currency::UAH,
        }
    }
}

impl Money {
    /// The amount in major units, exactly, as decimal text: `1250000.50` for 125000050 UAH,
    /// `1500` for 1500 JPY. Open-data formats that want a number start from this.
    pub fn major_text(&self) -> String {
        let digits = u32::from(self.currency.minor_digits());
        if digits == 0 {
            return self.amount_minor.to_string();
        }
        let scale = 10i64.pow(digits);
        let (major, minor) = (self.amount_minor / scale, self.amount_minor % scale);
        format!("{major}.{minor:0width$}", width = digits as usize)
    }
}

impl fmt::Display for Money {
    /// Writes the amount in major units, then the code: `1250000.50 UAH`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.major_text(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_minor_units_and_a_currency() {
        let money: Money =
            serde_json::from_str(r#"{"amountMinor": 125000050, "currency": "UAH"}"#).unwrap();
        assert_eq!(money.to_string(), "1250000.50 UAH");
    }

    #[test]
    fn negative_amounts_and_unknown_currencies_are_refused() {
        let negative = serde_json::from_str::<Money>(r#"{"amountMinor": -1, "currency": "UAH"}"#);
        assert!(
            negative
                .unwrap_err()
                .to_string()
                .contains("cannot be negative")
        );
        let unknown = serde_json::from_str::<Money>(r#"{"amountMinor": 1, "currency": "UAX"}"#);
        assert!(
            unknown
                .unwrap_err()
                .to_string()
                .contains("not an ISO 4217 currency")
        );
    }

    #[test]
    fn currencies_without_minor_units_print_whole_numbers() {
        let yen = Money::new(1500, Currency::parse("JPY").unwrap()).unwrap();
        assert_eq!(yen.to_string(), "1500 JPY");
        let dinar = Money::new(1_005, Currency::parse("KWD").unwrap()).unwrap();
        assert_eq!(dinar.major_text(), "1.005");
        assert_eq!(Money::uah(7).major_text(), "0.07");
    }
}
