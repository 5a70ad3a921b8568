//! The two state codes everything in DREAM is keyed by: the EDRPOU code of a legal entity
//! (scheme `UA-EDR`) and the KATOTTG code of a territory (scheme `UA-CATOTTG`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// An EDRPOU code: eight digits whose last one is a check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Edrpou(String);

/// Why a string is not an EDRPOU code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EdrpouError {
    #[error("an EDRPOU code has exactly 8 digits, got {0:?}")]
    Shape(String),
    #[error("EDRPOU code {code} fails its check digit (expected {expected})")]
    CheckDigit { code: String, expected: u32 },
}

impl Edrpou {
    /// Checks the shape and the check digit of a code.
    pub fn parse(code: &str) -> Result<Self, EdrpouError> {
        let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
        if code.len() != 8 || digits.len() != 8 {
            return Err(EdrpouError::Shape(code.to_owned()));
        }
        let expected = Self::check_digit(&digits[..7]);
        if digits[7] != expected {
            return Err(EdrpouError::CheckDigit {
                code: code.to_owned(),
                expected,
            });
        }
        Ok(Self(code.to_owned()))
    }

    /// Completes seven digits with their check digit; used to make well-formed demo codes.
    pub fn from_prefix(prefix: u32) -> Self {
        let text = format!("{:07}", prefix % 10_000_000);
        let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
        Self(format!("{text}{}", Self::check_digit(&digits)))
    }

    /// The State Statistics Service's algorithm: weights 1..7 (or 7,1..6 for codes between
    /// 30,000,000 and 60,000,000), and weights raised by two when the first sum gives 10.
    fn check_digit(first_seven: &[u32]) -> u32 {
        let value = first_seven.iter().fold(0u32, |acc, d| acc * 10 + d) * 10;
        let shifted = (30_000_000..60_000_000).contains(&value);
        let weights: [u32; 7] = if shifted {
            [7, 1, 2, 3, 4, 5, 6]
        } else {
            [1, 2, 3, 4, 5, 6, 7]
        };
        let sum_with = |extra: u32| -> u32 {
            first_seven
                .iter()
                .zip(weights)
                .map(|(d, w)| d * (w + extra))
                .sum::<u32>()
                % 11
        };
        match sum_with(0) {
            10 => match sum_with(2) {
                10 => 0,
                digit => digit,
            },
            digit => digit,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Edrpou {
    type Error = EdrpouError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code)
    }
}

impl From<Edrpou> for String {
    fn from(code: Edrpou) -> Self {
        code.0
    }
}

impl fmt::Display for Edrpou {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A KATOTTG code: `UA` and 17 digits. Whether the territory exists is the codifier's
/// business, checked where the codifier is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Katottg(String);

/// Why a string is not a KATOTTG code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a KATOTTG code is \"UA\" followed by 17 digits, got {0:?}")]
pub struct KatottgError(pub String);

impl Katottg {
    pub fn parse(code: &str) -> Result<Self, KatottgError> {
        let digits = code.strip_prefix("UA").unwrap_or("");
        if digits.len() == 17 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(code.to_owned()))
        } else {
            Err(KatottgError(code.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Katottg {
    type Error = KatottgError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code)
    }
}

impl From<Katottg> for String {
    fn from(code: Katottg) -> Self {
        code.0
    }
}

impl fmt::Display for Katottg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_edrpou_codes_pass_their_check_digit() {
        // The Ministry of Finance, Prozorro's operator and a large city council.
        for code in ["00013480", "38621185", "04057287", "21560766"] {
            assert!(Edrpou::parse(code).is_ok(), "{code} should be valid");
        }
    }

    #[test]
    fn an_edrpou_with_a_wrong_check_digit_is_refused() {
        assert_eq!(
            Edrpou::parse("00013481"),
            Err(EdrpouError::CheckDigit {
                code: "00013481".into(),
                expected: 0
            })
        );
        assert!(matches!(Edrpou::parse("1234"), Err(EdrpouError::Shape(_))));
        assert!(matches!(
            Edrpou::parse("1234567a"),
            Err(EdrpouError::Shape(_))
        ));
    }

    #[test]
    fn generated_edrpou_codes_are_valid() {
        for prefix in [0, 1, 3_000_000, 4_500_000, 9_999_999, 1_234_567] {
            let code = Edrpou::from_prefix(prefix);
            assert_eq!(Edrpou::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn katottg_codes_have_ua_and_17_digits() {
        assert!(Katottg::parse("UA01020010010075540").is_ok());
        assert!(Katottg::parse("UA0102001001007554").is_err());
        assert!(Katottg::parse("RU01020010010075540").is_err());
    }
}
