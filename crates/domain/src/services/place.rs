//! Service places (服务阵地): party-mass service centres (一区域一中心), workshop stations (红帆驿站),
//! courier stations (爱心驿站), chamber venues and the homes for members working in other cities.

use crate::organisations::org::code_enum;

code_enum!(
    /// What a service place is.
    PlaceKind {
        Center = "center": "党群服务中心",
        WorkshopStation = "workshop_station": "红帆驿站",
        CourierStation = "courier_station": "爱心驿站",
        ChamberVenue = "chamber_venue": "商会党建阵地",
        OutflowHome = "outflow_home": "外出党员服务之家",
    }
);

/// The venue standard a county checks every place against unless it configures its own: "六有".
pub const DEFAULT_STANDARD: &[&str] = &["有场所", "有设施", "有标志", "有党旗", "有书报", "有制度"];

/// A place's standard is met when every item of the county's standard is ticked.
pub fn standard_met(standard: &[&str], ticked: &[String]) -> bool {
    standard.iter().all(|item| ticked.iter().any(|t| t == item))
}

/// Longitude and latitude in degrees (WGS-84 as phones report it), checked to lie on the earth.
pub fn check_coordinates(lng: f64, lat: f64) -> Result<(), String> {
    if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
        return Err("经度应在 -180 到 180 之间".into());
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err("纬度应在 -90 到 90 之间".into());
    }
    Ok(())
}

/// Distance in metres between two points (haversine on a sphere of the earth's mean radius): "near me".
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R: f64 = 6_371_008.8;
    let (lng1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lng2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lng2 - lng1) / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_is_met_only_when_every_item_is_ticked() {
        let all: Vec<String> = DEFAULT_STANDARD.iter().map(|s| s.to_string()).collect();
        assert!(standard_met(DEFAULT_STANDARD, &all));
        assert!(!standard_met(DEFAULT_STANDARD, &all[1..]));
        assert!(standard_met(&[], &[]));
    }

    #[test]
    fn coordinates_must_lie_on_the_earth() {
        assert!(check_coordinates(116.31, 35.07).is_ok());
        assert!(check_coordinates(181.0, 35.0).is_err());
        assert!(check_coordinates(116.0, -90.5).is_err());
        assert!(check_coordinates(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn distances_are_in_metres() {
        // Jinxiang's county seat to Jining: about 47 km.
        let d = distance_m((116.311, 35.066), (116.587, 35.415));
        assert!((44_000.0..50_000.0).contains(&d), "{d}");
        assert!(distance_m((116.3, 35.0), (116.3, 35.0)) < 1e-6);
    }
}
