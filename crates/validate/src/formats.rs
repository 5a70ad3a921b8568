//! The string formats the OC4IDS schema uses, checked as the official validator checks them.
//!
//! - `date-time` is a full RFC 3339 timestamp: date, `T`, time with seconds and a zone
//!   (`Z` or `±hh:mm`), letters in either case, a real calendar day, year 0 refused.
//! - `uri` is an absolute URI by the grammar of RFC 3986 (a scheme, then the rest); relative
//!   references and characters outside ASCII are refused.
//! - `email` only needs an `@`.
//!
//! Python's `$` also matches before one final newline, so a value that ends in a single
//! `\n` is checked without it, as the official validator does.

/// Whether `text` is valid for the named format; formats we do not know pass, as in
/// JSON Schema.
pub fn is_valid(format: &str, text: &str) -> bool {
    match format {
        "date-time" => is_date_time(text),
        "uri" => is_uri(text),
        "email" => text.contains('@'),
        _ => true,
    }
}

fn without_final_newline(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

/// An RFC 3339 `date-time`, such as `2019-03-14T09:54:00Z` or `2019-03-14t09:54:00.5+02:00`.
pub fn is_date_time(text: &str) -> bool {
    let bytes = without_final_newline(text).as_bytes();
    if bytes.len() < 20 || !bytes.is_ascii() {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &bytes[range];
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0, |number, digit| number * 10 + u32::from(digit - b'0'))
        })
    };
    let separators_in_place = bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10].eq_ignore_ascii_case(&b'T')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !separators_in_place {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (digits(11..13), digits(14..16), digits(17..19))
    else {
        return false;
    };
    let date_ok =
        year > 0 && (1..=12).contains(&month) && (1..=days_in(year, month)).contains(&day);
    let time_ok = hour < 24 && minute < 60 && second < 60;
    date_ok && time_ok && is_fraction_and_zone(&bytes[19..])
}

/// The optional `.digits` after the seconds, then `Z` or an offset `±hh:mm`.
fn is_fraction_and_zone(rest: &[u8]) -> bool {
    let mut rest = rest;
    if let Some(after_point) = rest.strip_prefix(b".") {
        let fraction = after_point
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if fraction == 0 {
            return false;
        }
        rest = &after_point[fraction..];
    }
    match rest {
        [zone] => zone.eq_ignore_ascii_case(&b'Z'),
        [sign, h1, h2, b':', m1, m2] => {
            let all_digits = [h1, h2, m1, m2].iter().all(|byte| byte.is_ascii_digit());
            let hours = (h1.wrapping_sub(b'0')) * 10 + h2.wrapping_sub(b'0');
            (*sign == b'+' || *sign == b'-') && all_digits && hours < 24 && *m1 < b'6'
        }
        _ => false,
    }
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An absolute URI by RFC 3986: `scheme ":" hier-part [ "?" query ] [ "#" fragment ]`.
pub fn is_uri(text: &str) -> bool {
    let text = without_final_newline(text);
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    if !is_scheme(scheme) {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (rest, None),
    };
    let (hier_part, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    let tail_ok = |part: Option<&str>| part.is_none_or(|text| all_chars(text, is_query_char));
    is_hier_part(hier_part) && tail_ok(query) && tail_ok(fragment)
}

fn is_scheme(scheme: &str) -> bool {
    let mut bytes = scheme.bytes();
    bytes
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || b"+-.".contains(&byte))
}

/// `"//" authority path-abempty`, or a path that does not start with `//`; every path
/// character is a `pchar` or `/`.
fn is_hier_part(hier_part: &str) -> bool {
    match hier_part.strip_prefix("//") {
        Some(after_slashes) => {
            let end = after_slashes.find('/').unwrap_or(after_slashes.len());
            let (authority, path) = after_slashes.split_at(end);
            is_authority(authority) && all_chars(path, is_path_char)
        }
        None => all_chars(hier_part, is_path_char),
    }
}

/// `[ userinfo "@" ] host [ ":" port ]`.
fn is_authority(authority: &str) -> bool {
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    let userinfo_ok = userinfo
        .is_none_or(|text| all_chars(text, |part| is_unreserved_or_sub_delim(part) || part == ":"));
    let (host, port) = if host_port.starts_with('[') {
        match host_port.find(']') {
            Some(close) => {
                split_port(&host_port[close + 1..]).map(|port| (&host_port[..=close], port))
            }
            None => None,
        }
        .unwrap_or(("", Some("x")))
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port_ok = port.is_none_or(|port| port.bytes().all(|byte| byte.is_ascii_digit()));
    userinfo_ok && port_ok && is_host(host)
}

/// What follows an IP literal: nothing, or `:` and the port.
fn split_port(after_literal: &str) -> Option<Option<&str>> {
    if after_literal.is_empty() {
        Some(None)
    } else {
        after_literal.strip_prefix(':').map(Some)
    }
}

fn is_host(host: &str) -> bool {
    match host
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
    {
        Some(literal) => is_ipv6(literal) || is_ip_future(literal),
        None => all_chars(host, is_unreserved_or_sub_delim),
    }
}

/// `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`, with a lower-case `v` as the
/// official validator's pattern has it.
fn is_ip_future(literal: &str) -> bool {
    let Some((version, rest)) = literal
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
    else {
        return false;
    };
    !version.is_empty()
        && version.bytes().all(|byte| byte.is_ascii_hexdigit())
        && !rest.is_empty()
        && rest
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:".contains(&byte))
}

/// An IPv6 address as RFC 3986 spells it: eight groups of 1–4 hex digits, the last two of
/// which may be an IPv4 address, with one `::` standing for one or more zero groups.
fn is_ipv6(literal: &str) -> bool {
    match literal.split_once("::") {
        None => groups(literal, true) == Some(8),
        Some((left, right)) => {
            let left_count = if left.is_empty() {
                Some(0)
            } else {
                groups(left, false)
            };
            let right_count = if right.is_empty() {
                Some(0)
            } else {
                groups(right, true)
            };
            match (left_count, right_count) {
                (Some(left), Some(right)) => left + right <= 7,
                _ => false,
            }
        }
    }
}

/// How many 16-bit groups `part` spells, or `None` when it is not a list of groups; an IPv4
/// address, allowed only last, counts as two.
fn groups(part: &str, ipv4_last: bool) -> Option<usize> {
    let pieces: Vec<&str> = part.split(':').collect();
    let mut count = 0;
    for (index, piece) in pieces.iter().enumerate() {
        let last = index + 1 == pieces.len();
        if last && ipv4_last && piece.contains('.') {
            is_ipv4(piece).then_some(())?;
            count += 2;
        } else {
            let hex =
                (1..=4).contains(&piece.len()) && piece.bytes().all(|b| b.is_ascii_hexdigit());
            hex.then_some(())?;
            count += 1;
        }
    }
    Some(count)
}

/// Four decimal octets; like the official validator's pattern, an octet may have leading
/// zeros (`001`).
fn is_ipv4(text: &str) -> bool {
    let octets: Vec<&str> = text.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| {
            (1..=3).contains(&octet.len())
                && octet.bytes().all(|byte| byte.is_ascii_digit())
                && octet.parse::<u16>().is_ok_and(|value| value <= 255)
        })
}

fn all_chars(text: &str, allowed: impl Fn(&str) -> bool) -> bool {
    let mut rest = text;
    while !rest.is_empty() {
        let (piece, after) = if let Some(after_percent) = rest.strip_prefix('%') {
            let hex = after_percent.as_bytes();
            if hex.len() < 2 || !hex[0].is_ascii_hexdigit() || !hex[1].is_ascii_hexdigit() {
                return false;
            }
            ("%", &after_percent[2..])
        } else {
            let width = rest.chars().next().map_or(1, char::len_utf8);
            rest.split_at(width)
        };
        if piece != "%" && !allowed(piece) {
            return false;
        }
        rest = after;
    }
    true
}

fn is_unreserved_or_sub_delim(piece: &str) -> bool {
    piece.len() == 1 && {
        let byte = piece.as_bytes()[0];
        byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&byte)
    }
}

fn is_path_char(piece: &str) -> bool {
    is_unreserved_or_sub_delim(piece) || matches!(piece, ":" | "@" | "/")
}

fn is_query_char(piece: &str) -> bool {
    is_path_char(piece) || piece == "?"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_need_a_zone_and_a_real_day() {
        assert!(is_date_time("2019-03-14T09:54:00Z"));
        assert!(is_date_time("2019-03-14t09:54:00.123456z"));
        assert!(is_date_time("2020-02-29T23:59:59+02:00"));
        assert!(is_date_time("2019-03-14T09:54:00Z\n"));
        assert!(!is_date_time("2019-03-14T09:54:00Z\n\n"));
        assert!(!is_date_time("2019-02-29T00:00:00Z"));
        assert!(!is_date_time("0000-01-01T00:00:00Z"));
        assert!(!is_date_time("2019-03-14"));
        assert!(!is_date_time("2019-03-14T09:54:00"));
        assert!(!is_date_time("2019-03-14 09:54:00Z"));
        assert!(!is_date_time("2019-03-14T24:00:00Z"));
        assert!(!is_date_time("2019-03-14T09:54:00.Z"));
        assert!(!is_date_time("2019-03-14T09:54:00+2:00"));
        assert!(!is_date_time("2019-03-1409:54:00Z"));
    }

    #[test]
    fn uris_must_be_absolute_and_ascii() {
        for good in [
            "https://example.org/p.json",
            "http://user:pw@[::1]:8080/a%20b?q=1/2?#frag",
            "urn:isbn:0451450523",
            "mailto:someone@example.org",
            "http://[v1.fe]/",
            "http://[1:2:3:4:5:6:1.2.3.4]",
            "x:",
            "http://example.org\n",
        ] {
            assert!(is_uri(good), "{good}");
        }
        for bad in [
            "7",
            "not a uri",
            "/relative/path",
            "http://exa mple.org",
            "http://example.org/%zz",
            "http://київ.укр",
            "http://[::1::2]/",
            "http://[1:2:3:4:5:6:7:8:9]/",
            "http://a:b:c/",
            "http://example.org#a#b",
            "1http://example.org",
        ] {
            assert!(!is_uri(bad), "{bad}");
        }
    }
}
