//! How DREAM writes a moment: RFC 3339 in UTC with exactly six fractional digits, such as
//! `2024-05-23T09:37:53.882914Z`. A fixed width means that text order is time order, which
//! SQLite relies on when it sorts and compares stored times, and every API shows the same form.

use serde::{Deserialize, Deserializer, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Writes a moment in the fixed form, converting it to UTC.
pub fn format(moment: OffsetDateTime) -> String {
    let utc = moment.to_offset(time::UtcOffset::UTC);
    let layout =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    utc.format(&layout).unwrap_or_else(|_| utc.to_string())
}

/// Reads any RFC 3339 moment.
pub fn parse(text: &str) -> Result<OffsetDateTime, time::error::Parse> {
    OffsetDateTime::parse(text, &Rfc3339)
}

/// Serde in the fixed form, for `#[serde(with = "crate::timestamp")]` fields.
pub fn serialize<S: Serializer>(moment: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*moment))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
    let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    parse(&text).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn moments_have_six_fractional_digits_in_utc() {
        assert_eq!(
            format(datetime!(2024-05-23 09:37:53 UTC)),
            "2024-05-23T09:37:53.000000Z"
        );
        assert_eq!(
            format(datetime!(2024-05-23 12:37:53.5 +03:00)),
            "2024-05-23T09:37:53.500000Z"
        );
    }

    #[test]
    fn text_order_is_time_order() {
        let earlier = format(datetime!(2024-05-23 09:37:53.37795 UTC));
        let later = format(datetime!(2024-05-23 09:37:53.377951 UTC));
        assert!(earlier < later);
        assert_eq!(
            parse(&later).unwrap(),
            datetime!(2024-05-23 09:37:53.377951 UTC)
        );
    }
}
