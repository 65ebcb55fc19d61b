//! Numbers written into the page (CSS transforms, SVG paths and view boxes, zoom and duration
//! labels) with a fixed number of decimals, by integer arithmetic. Formatting an `f64` with `{}`
//! or `{:.1}` brings core's float printing (Grisu with a Dragon4 fallback, about 15 kB of wasm)
//! into the browser bundle; this does the same job for screen coordinates in a few hundred bytes.

/// `value` rounded to `places` decimals (at most 9), without trailing zeros: `decimal(12.25, 1)`
/// is "12.3", `decimal(3.0, 2)` is "3", `decimal(-0.04, 1)` is "0". Not a number gives "0";
/// magnitudes beyond what 64 bits of scaled integer hold are clamped.
pub fn decimal(value: f64, places: u32) -> String {
    let places = places.min(9);
    let scale = 10u64.pow(places);
    let scaled = (value * scale as f64).round();
    let n = if scaled.is_nan() { 0 } else { scaled as i64 };
    let (whole, frac) = (n.unsigned_abs() / scale, n.unsigned_abs() % scale);
    let mut out = String::with_capacity(12);
    if n < 0 {
        out.push('-');
    }
    out.push_str(&whole.to_string());
    if frac > 0 {
        let digits = frac.to_string();
        out.push('.');
        out.extend(std::iter::repeat_n('0', places as usize - digits.len()));
        out.push_str(digits.trim_end_matches('0'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn rounds_to_the_places_and_drops_trailing_zeros() {
        assert_eq!(decimal(0.0, 2), "0");
        assert_eq!(decimal(3.0, 2), "3");
        assert_eq!(decimal(12.25, 1), "12.3");
        assert_eq!(decimal(12.5, 0), "13");
        assert_eq!(decimal(100.5, 2), "100.5");
        assert_eq!(decimal(0.8333333, 4), "0.8333");
        assert_eq!(decimal(1.05, 2), "1.05");
        assert_eq!(decimal(2.007, 3), "2.007");
        assert_eq!(decimal(1234567.891, 1), "1234567.9");
    }

    #[test]
    fn signs_and_values_that_round_to_zero() {
        assert_eq!(decimal(-7.25, 2), "-7.25");
        assert_eq!(decimal(-0.04, 1), "0");
        assert_eq!(decimal(-0.0, 1), "0");
        assert_eq!(decimal(-1.5, 0), "-2");
    }

    #[test]
    fn agrees_with_core_formatting_on_screen_coordinates() {
        for i in -20_000..20_000 {
            let v = i as f64 * 0.37;
            let core = format!("{v:.2}");
            let core = core.trim_end_matches('0').trim_end_matches('.');
            let core = if core == "-0" { "0" } else { core };
            assert_eq!(decimal(v, 2), core, "{v}");
        }
    }

    #[test]
    fn never_panics_on_extreme_input() {
        assert_eq!(decimal(f64::NAN, 2), "0");
        assert_eq!(decimal(f64::INFINITY, 0), i64::MAX.to_string());
        assert_eq!(
            decimal(f64::NEG_INFINITY, 0),
            format!("-{}", i64::MIN.unsigned_abs())
        );
        assert!(decimal(1e300, 9).starts_with("9223372036"));
        assert_eq!(decimal(5.5, 40), "5.5");
    }
}
