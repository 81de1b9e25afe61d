//! Numbers as people read them: thousands separators, a currency symbol,
//! sensible precision. Plain and deterministic (no locale), so the page, the
//! exports and the recommendation text agree. Non-finite values print as an
//! en dash: nothing ever shows NaN or infinity.

use super::scenario::Currency;

/// The placeholder for a value that is not a finite number.
pub const NOT_A_VALUE: &str = "–";

/// `value` rounded to a whole number with thousands separators:
/// `1234567.8` -> `"1,234,568"`.
pub fn whole(value: f64) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
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

/// A number with up to `decimals` decimals and no trailing zeros, with
/// thousands separators on the whole part: `1234.50` -> `"1,234.5"`.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let int: f64 = int.parse().unwrap_or(0.0);
    let sign = if value < 0.0 && (int > 0.0 || !frac.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", whole(int))
    } else {
        format!("{sign}{}.{frac}", whole(int))
    }
}

/// A number with about three significant digits: `0.0123` -> `"0.0123"`,
/// `12.34` -> `"12.3"`, `12345` -> `"12,345"`.
pub fn significant(value: f64) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let magnitude = value.abs();
    let decimals = if magnitude >= 100.0 || magnitude == 0.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else if magnitude >= 1.0 {
        2
    } else {
        // Three significant digits below 1.
        (2.0 - magnitude.log10().floor()).clamp(0.0, 9.0) as usize
    };
    number(value, decimals)
}

/// Money: `"$1,234"`; amounts under 100 keep cents (`"$12.50"`).
pub fn money(value: f64, currency: Currency) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    if value == 0.0 {
        return format!("{}0", currency.symbol());
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let body = if value.abs() < 100.0 {
        format!("{:.2}", value.abs())
    } else {
        whole(value.abs())
    };
    format!("{sign}{}{body}", currency.symbol())
}

/// Money in a short form for chart axes: `"$1.2M"`, `"$350k"`, `"$80"`.
pub fn money_short(value: f64, currency: Currency) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    let body = if v >= 1e9 {
        format!("{}B", significant(v / 1e9))
    } else if v >= 1e6 {
        format!("{}M", significant(v / 1e6))
    } else if v >= 1e3 {
        format!("{}k", significant(v / 1e3))
    } else {
        whole(v)
    };
    format!("{sign}{}{body}", currency.symbol())
}

/// A fraction as a percentage: `0.834` -> `"83%"`; under 1% keeps a decimal.
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let p = fraction * 100.0;
    if p != 0.0 && p.abs() < 1.0 {
        format!("{}%", number(p, 1))
    } else {
        format!("{}%", whole(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_rounding() {
        assert_eq!(whole(1_234_567.8), "1,234,568");
        assert_eq!(whole(-999.4), "-999");
        assert_eq!(number(1234.5, 2), "1,234.5");
        assert_eq!(number(0.25, 2), "0.25");
        assert_eq!(number(-0.001, 2), "0");
        assert_eq!(significant(0.012_34), "0.0123");
        assert_eq!(significant(12.34), "12.3");
        assert_eq!(significant(12_345.0), "12,345");
    }

    #[test]
    fn money_and_percent() {
        assert_eq!(money(111_190.4, Currency::Usd), "$111,190");
        assert_eq!(money(12.5, Currency::Eur), "€12.50");
        assert_eq!(money(0.0, Currency::Usd), "$0");
        assert_eq!(money_short(1_250_000.0, Currency::Gbp), "£1.25M");
        assert_eq!(money_short(350_000.0, Currency::Usd), "$350k");
        assert_eq!(percent(0.834), "83%");
        assert_eq!(percent(0.004), "0.4%");
    }

    #[test]
    fn never_nan() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(whole(v), NOT_A_VALUE);
            assert_eq!(money(v, Currency::Usd), NOT_A_VALUE);
            assert_eq!(percent(v), NOT_A_VALUE);
            assert_eq!(significant(v), NOT_A_VALUE);
        }
    }
}
