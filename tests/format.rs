//! Numbers as the page shows them: `whole`'s integer path writes the same
//! digits as the float formatter it replaced, for every f64.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use stackwise::model::format::{whole, NOT_A_VALUE};

/// The digits `whole` showed before its integer path, without the
/// thousands separators (which it still adds as it did): the float
/// formatter's digits of the rounded value, and a minus sign unless it
/// rounds to zero.
fn digits_by_the_float_formatter(value: f64) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let rounded = value.round();
    let sign = if rounded < 0.0 { "-" } else { "" };
    format!("{sign}{:.0}", rounded.abs())
}

/// `whole`'s text without its thousands separators.
fn digits(value: f64) -> String {
    whole(value).replace(',', "")
}

#[test]
fn whole_numbers_at_the_edges() {
    // Worked by hand. Halves round away from zero (2.5 -> 3, -0.5 -> -1);
    // -0.4 rounds to -0, shown without a sign. 2^64 - 2^11 is the largest
    // f64 below the integer path's limit, 2^64, which is the first past it
    // (the float formatter's); 1e20 is far past it. Each has the float
    // formatter's digits too.
    for (value, shown) in [
        (0.0, "0"),
        (-0.4, "0"),
        (-0.5, "-1"),
        (2.5, "3"),
        (999.5, "1,000"),
        (-1_234_567.8, "-1,234,568"),
        (18_446_744_073_709_549_568.0, "18,446,744,073,709,549,568"),
        (18_446_744_073_709_551_616.0, "18,446,744,073,709,551,616"),
        (1e20, "100,000,000,000,000,000,000"),
        (f64::NAN, NOT_A_VALUE),
    ] {
        assert_eq!(whole(value), shown, "{value}");
        assert_eq!(
            digits(value),
            digits_by_the_float_formatter(value),
            "{value}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Any f64 at all: tiny, huge, negative, NaN and infinities.
    #[test]
    fn whole_writes_what_the_float_formatter_writes(bits in any::<u64>()) {
        let value = f64::from_bits(bits);
        prop_assert_eq!(digits(value), digits_by_the_float_formatter(value));
    }

    /// The figures a page shows, up to 10^16 either way, and halves.
    #[test]
    fn whole_agrees_on_shown_figures_and_halves(value in -1e16f64..1e16, n in -1_000_000_000i64..1_000_000_000) {
        prop_assert_eq!(digits(value), digits_by_the_float_formatter(value));
        let half = n as f64 + 0.5;
        prop_assert_eq!(digits(half), digits_by_the_float_formatter(half));
    }
}
