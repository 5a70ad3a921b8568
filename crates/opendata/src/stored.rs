//! Stored project documents read into `Project`s in one pass, for the package of the whole
//! registry.
//!
//! A stored document is one JSON object: the project's id, dates and status beside every
//! field of its content. `Project` says so with `#[serde(flatten)]`, and serde reads a
//! flattened struct by first copying the whole object into an intermediate tree of its own
//! and then reading the content from that copy. For one project that costs nothing worth
//! noticing; for a package of 100,000 it was a third of the time of the thread that reads
//! them. Here the content reads the document directly, while the four fields it does not
//! know are taken out on the way.

use std::borrow::Cow;
use std::fmt;

use dream_domain::ProjectId;
use dream_domain::codelist::Status;
use dream_domain::project::{Project, ProjectContent};
use serde::de::value::CowStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};
use time::OffsetDateTime;

/// Reads a stored project document; the result is the same as `serde_json::from_str`'s.
pub fn read_project(document: &str) -> serde_json::Result<Project> {
    let mut json = serde_json::Deserializer::from_str(document);
    let mut head = Head::default();
    let content = ProjectContent::deserialize(ContentOf {
        json: &mut json,
        head: &mut head,
    })?;
    json.end()?;

    let missing = <serde_json::Error as de::Error>::missing_field;
    Ok(Project {
        id: head.id.ok_or_else(|| missing("id"))?,
        date: head.date.ok_or_else(|| missing("date"))?,
        updated: head.updated.ok_or_else(|| missing("updated"))?,
        status: head.status.ok_or_else(|| missing("status"))?,
        content,
    })
}

/// The fields of a stored project that are not its content.
#[derive(Default)]
struct Head {
    id: Option<ProjectId>,
    date: Option<OffsetDateTime>,
    updated: Option<OffsetDateTime>,
    status: Option<Status>,
}

/// A moment written as DREAM writes moments.
#[derive(Deserialize)]
struct Moment(#[serde(with = "dream_domain::timestamp")] OffsetDateTime);

/// The document as the content sees it: an object without the head's fields.
struct ContentOf<'a, 'de> {
    json: &'a mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    head: &'a mut Head,
}

impl<'de> Deserializer<'de> for ContentOf<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> serde_json::Result<V::Value> {
        self.json.deserialize_map(HeadTaken {
            visitor,
            head: self.head,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// Hands the content's visitor the document's fields without the head's.
struct HeadTaken<'a, V> {
    visitor: V,
    head: &'a mut Head,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for HeadTaken<'_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a stored project as a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<V::Value, M::Error> {
        self.visitor.visit_map(WithoutHead {
            map,
            head: self.head,
        })
    }
}

/// The document's fields as the content reads them; the head's are kept aside.
struct WithoutHead<'a, M> {
    map: M,
    head: &'a mut Head,
}

impl<'de, M: MapAccess<'de>> MapAccess<'de> for WithoutHead<'_, M> {
    type Error = M::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, M::Error> {
        while let Some(key) = self.map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "id" => self.head.id = Some(self.map.next_value()?),
                "date" => self.head.date = Some(self.map.next_value::<Moment>()?.0),
                "updated" => self.head.updated = Some(self.map.next_value::<Moment>()?.0),
                "status" => self.head.status = Some(self.map.next_value()?),
                _ => {
                    let key: CowStrDeserializer<M::Error> = key.into_deserializer();
                    return seed.deserialize(key).map(Some);
                }
            }
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, M::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A key, borrowed from the document when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dream_domain::territory::{Territory, TerritoryLevel};
    use time::macros::date;

    fn hromadas() -> Vec<Territory> {
        let units = dream_domain::territory::codifier().into_iter();
        units
            .filter(|unit| unit.level == TerritoryLevel::Hromada)
            .collect()
    }

    #[test]
    fn every_demo_project_reads_as_serde_reads_it() {
        let demo = dream_demo::generate(200, 7, &hromadas(), date!(2025 - 06 - 01));
        for (project, _) in &demo.projects {
            let document = serde_json::to_string(project).unwrap();
            let read = read_project(&document).unwrap();
            assert_eq!(&read, project);
            assert_eq!(read, serde_json::from_str::<Project>(&document).unwrap());
        }
    }

    #[test]
    fn a_field_with_escapes_in_its_name_is_still_known() {
        let (project, _) =
            &dream_demo::generate(1, 7, &hromadas(), date!(2025 - 06 - 01)).projects[0];
        let document = serde_json::to_string(project).unwrap();
        let escaped = document.replacen("\"status\":", "\"st\\u0061tus\":", 1);
        assert_ne!(escaped, document);
        assert_eq!(&read_project(&escaped).unwrap(), project);
    }

    #[test]
    fn a_document_without_its_id_or_with_an_unknown_field_is_refused() {
        let (project, _) =
            &dream_demo::generate(1, 7, &hromadas(), date!(2025 - 06 - 01)).projects[0];
        let mut document = serde_json::to_value(project).unwrap();
        document.as_object_mut().unwrap().remove("id");
        let error = read_project(&document.to_string()).unwrap_err();
        assert!(error.to_string().contains("missing field `id`"), "{error}");

        let mut document = serde_json::to_value(project).unwrap();
        document["colour"] = "green".into();
        let error = read_project(&document.to_string()).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `colour`"),
            "{error}"
        );
        assert!(read_project(&format!("{} ", serde_json::to_string(project).unwrap())).is_ok());
        assert!(read_project(&format!("{} x", serde_json::to_string(project).unwrap())).is_err());
    }
}
