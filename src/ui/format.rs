//! Number formatting for display: plain, deterministic, no locale lookups.

/// `value` rounded to a whole number with thousands separated by commas:
/// `1234567.8` -> `"1,234,568"`. Non-finite values print as `"–"` so the page
/// never shows NaN or infinity.
pub fn whole(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let rounded = value.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if rounded < 0.0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// An input value as the field shows it: no trailing zeros, at most
/// `decimals` decimals (`500.0` -> `"500"`, `0.25` -> `"0.25"`).
pub fn input_value(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let s = format!("{value:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
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
