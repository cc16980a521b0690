//! Calendar dates as the document writes them: ISO `YYYY-MM-DD`, nothing else.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use time::{Date, format_description::BorrowedFormatItem, macros::format_description};

use super::Problem;

const ISO: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// A calendar date that serialises as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(pub Date);

impl IsoDate {
    pub fn parse(value: &str) -> Result<Self, Problem> {
        // `time` accepts some 5-digit and signed years; a CV date is exactly 10 characters.
        if value.len() != 10 {
            return Err(Problem::NotADate { value: super::text::excerpt(value).into_owned() });
        }
        // Ten characters of the form but no such day (2025-13-45), or not of the form at all.
        let shaped =
            value.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        Date::parse(value, ISO).map(IsoDate).map_err(|_| {
            let value = value.to_owned();
            if shaped { Problem::NotARealDate { value } } else { Problem::NotADate { value } }
        })
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = (self.0.year(), u8::from(self.0.month()), self.0.day());
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        IsoDate::parse(&raw).map_err(de::Error::custom)
    }
}

impl utoipa::PartialSchema for IsoDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Date)))
            .examples([serde_json::json!("2015-02-01")])
            .into()
    }
}

impl utoipa::ToSchema for IsoDate {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let d = IsoDate::parse("2015-02-01").unwrap();
        assert_eq!(d.to_string(), "2015-02-01");
        assert_eq!(d.year(), 2015);
    }

    #[test]
    fn rejects_what_is_not_an_iso_date() {
        for bad in ["2015-2-1", "01/02/2015", "2015-02-30", "2015-13-01", "+02015-01-01", "", "2015-02-01T00:00"] {
            assert!(IsoDate::parse(bad).is_err(), "{bad}");
        }
    }
}
