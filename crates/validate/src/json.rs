//! The JSON a package is read into. Unlike `serde_json::Value` (which sorts object keys in
//! this workspace), [`Json`] keeps object members in document order, because the official
//! validator lists paths, fields and codes in the order Python's `json` module reads them.
//! A repeated key keeps its first position and its last value, as in a Python `dict`.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// An object's members in document order. The hasher is a fast one: hashing member names
/// is a good part of reading a package, and its random seed still spoils crafted collisions.
pub type Members = IndexMap<String, Json, foldhash::fast::RandomState>;

/// A JSON value with object members in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Members),
}

/// A JSON number as Python reads it: written without a fraction or exponent it is an `int`,
/// otherwise a `float`. The distinction matters: `1.0` is not an OC4IDS integer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    /// The value as a double, for comparisons with schema limits.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(int) => int as f64,
            Number::Float(float) => float,
        }
    }

    /// The value as an exact integer when it has no fractional part, so that `1` and `1.0`
    /// compare equal as they do in Python.
    pub fn as_exact_int(self) -> Option<i128> {
        match self {
            Number::Int(int) => Some(int),
            Number::Float(float) => {
                let in_range = float.abs() < 1.7e38;
                (float.fract() == 0.0 && in_range).then_some(float as i128)
            }
        }
    }
}

impl Json {
    /// The object's members, when this is an object.
    pub fn as_object(&self) -> Option<&Members> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Whether Python would treat the value as false: `None`, `False`, zero, and empty
    /// strings, arrays and objects. The official checks skip such values in several places.
    pub fn is_falsy(&self) -> bool {
        match self {
            Json::Null => true,
            Json::Bool(value) => !value,
            Json::Number(number) => number.as_f64() == 0.0,
            Json::String(text) => text.is_empty(),
            Json::Array(items) => items.is_empty(),
            Json::Object(members) => members.is_empty(),
        }
    }

    /// Whether this is an array or an object, the values the official report never copies.
    pub fn is_container(&self) -> bool {
        matches!(self, Json::Array(_) | Json::Object(_))
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(value) => serializer.serialize_bool(*value),
            Json::Number(Number::Int(int)) => match i64::try_from(*int) {
                Ok(small) => serializer.serialize_i64(small),
                Err(_) => serializer.serialize_f64(*int as f64),
            },
            Json::Number(Number::Float(float)) => serializer.serialize_f64(*float),
            Json::String(text) => serializer.serialize_str(text),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Builds a [`Json`] from whatever serde reads. `serde_json` counts the nesting as it goes
/// and stops at 128 levels, so the values built here are never deeper than that.
pub struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Json, E> {
        Ok(Json::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Json, E> {
        Ok(Json::Number(Number::Int(value.into())))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Json, E> {
        Ok(Json::Number(Number::Int(value.into())))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Json, E> {
        Ok(Json::Number(Number::Float(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Json, E> {
        Ok(Json::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Json, E> {
        Ok(Json::String(value))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Members::default();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            members.insert(key, value);
        }
        Ok(Json::Object(members))
    }
}

/// Parses a whole document held in memory; used for the embedded schema and by tests.
pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
    serde_json::from_str(text)
}
