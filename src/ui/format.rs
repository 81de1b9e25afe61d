//! Formatting of input fields (values as typed, step precision). Numbers
//! shown as results use `crate::model::format`.

/// An input value as the field shows it: no trailing zeros, at most
/// `decimals` decimals (`500.0` -> `"500"`, `0.25` -> `"0.25"`).
pub fn input_value(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    crate::model::format::plain(value, decimals)
}

/// Decimals needed to show multiples of `step` exactly (0 for whole steps,
/// at most 6).
pub fn decimals_for_step(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 {
        return 2;
    }
    (0..=6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-9
        })
        .unwrap_or(6)
}
