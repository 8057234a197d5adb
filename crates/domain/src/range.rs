//! Every number from outside has a range: page numbers, page sizes, years and
//! record ids are these newtypes wherever they come in (query, path, body). Each
//! one refuses an out-of-range value while it is deserialised, with a Chinese
//! message, and declares its range in the OpenAPI document, so that arithmetic
//! on it (offsets, dates of a year) can never overflow or leave chrono's range.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{RefOr, Schema};

/// The largest id a record can have: the largest integer a browser's JSON keeps exact.
pub const MAX_ID: i64 = (1 << 53) - 1;

/// The message for a value outside `min..=max`.
pub fn out_of_range(label: &str, min: i64, max: i64) -> String {
    format!("{label}须为 {min} 到 {max} 之间的整数")
}

macro_rules! bounded_int {
    ($(#[$meta:meta])* $name:ident($inner:ty), $min:expr, $max:expr, $label:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name($inner);

        impl $name {
            pub const MIN: $inner = $min;
            pub const MAX: $inner = $max;
            /// What users call it, in messages.
            pub const LABEL: &'static str = $label;

            /// The value, or the Chinese message when it is out of range.
            pub fn new(value: i128) -> Result<Self, String> {
                if value < Self::MIN as i128 || value > Self::MAX as i128 {
                    Err(out_of_range($label, Self::MIN as i64, Self::MAX as i64))
                } else {
                    Ok(Self(value as $inner))
                }
            }

            pub fn get(self) -> $inner {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for $inner {
            fn from(v: $name) -> $inner {
                v.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let range = (Self::MIN as i64, Self::MAX as i64);
                let v = d.deserialize_any(IntVisitor { label: $label, range })?;
                Self::new(v).map_err(de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                int_schema(Self::MIN as i64, Self::MAX as i64)
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

bounded_int!(
    /// 1-based page number of a list.
    PageNo(u64), 1, 100_000, "页码"
);
bounded_int!(
    /// Rows on one page of a list.
    PerPage(u64), 1, 200, "每页条数"
);
bounded_int!(
    /// A calendar year of the work (duties, tasks, grants, reviews, brands).
    Year(i32), 2000, 2100, "年度"
);
bounded_int!(
    /// The id of a record (organisation, member, activity, …).
    RecordId(i64), 1, MAX_ID, "编号"
);

fn int_schema(min: i64, max: i64) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Integer))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(min))
        .maximum(Some(max))
        .into()
}

/// Reads an integer from JSON (number) or a query string / path (text), whatever its size,
/// so that a value too large for the field is reported as out of range, not as a parse error.
struct IntVisitor {
    label: &'static str,
    range: (i64, i64),
}

impl IntVisitor {
    fn out_of_range<E: de::Error>(&self) -> E {
        E::custom(out_of_range(self.label, self.range.0, self.range.1))
    }
}

impl<'de> Visitor<'de> for IntVisitor {
    type Value = i128;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}（整数）", self.label)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
        Ok(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
        Ok(v.into())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<i128, E> {
        Ok(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<i128, E> {
        i128::try_from(v).map_err(|_| self.out_of_range())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i128, E> {
        if !v.is_finite() || v.fract() != 0.0 {
            return Err(E::custom(format!("{}须为整数", self.label)));
        }
        if v.abs() > 1e30 { Err(self.out_of_range()) } else { Ok(v as i128) }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i128, E> {
        let digits = v.strip_prefix('-').unwrap_or(v);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::custom(format!("{}须为整数", self.label)));
        }
        v.parse::<i128>().map_err(|_| self.out_of_range())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<i128, E> {
        Err(E::custom(format!("{}须为整数", self.label)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Q {
        page: Option<PageNo>,
        year: Option<Year>,
    }

    fn json(s: &str) -> Result<Q, String> {
        serde_json::from_str::<Q>(s).map_err(|e| e.to_string())
    }

    #[test]
    fn in_range_values_pass_from_json_and_text() {
        let q = json(r#"{"page": 3, "year": 2026}"#).unwrap();
        assert_eq!((q.page.map(PageNo::get), q.year.map(Year::get)), (Some(3), Some(2026)));
        let q = json(r#"{"page": null}"#).unwrap();
        assert!(q.page.is_none() && q.year.is_none());
        assert_eq!(RecordId::new(MAX_ID as i128).map(RecordId::get), Ok(MAX_ID));
        assert_eq!(PageNo::deserialize(de::value::StrDeserializer::<de::value::Error>::new("7")).unwrap().get(), 7);
    }

    #[test]
    fn out_of_range_values_are_refused_in_chinese() {
        for (s, msg) in [
            (r#"{"page": 9223372036854775808}"#, "页码须为 1 到 100000 之间的整数"),
            (r#"{"page": 0}"#, "页码须为 1 到 100000 之间的整数"),
            (r#"{"page": 1e300}"#, "页码须为 1 到 100000 之间的整数"),
            (r#"{"page": 1.5}"#, "页码须为整数"),
            (r#"{"year": -2147483648}"#, "年度须为 2000 到 2100 之间的整数"),
            (r#"{"year": "20260"}"#, "年度须为 2000 到 2100 之间的整数"),
        ] {
            let e = json(s).unwrap_err();
            assert!(e.starts_with(msg) || e.contains(msg), "{s}: {e}");
        }
        let huge = "9".repeat(60);
        let e = PageNo::deserialize(de::value::StrDeserializer::<de::value::Error>::new(&huge)).unwrap_err();
        assert_eq!(e.to_string(), "页码须为 1 到 100000 之间的整数");
        let e = PerPage::deserialize(de::value::StrDeserializer::<de::value::Error>::new("abc")).unwrap_err();
        assert_eq!(e.to_string(), "每页条数须为整数");
        assert_eq!(RecordId::new(0), Err("编号须为 1 到 9007199254740991 之间的整数".into()));
    }

    use serde::Deserialize;
}
