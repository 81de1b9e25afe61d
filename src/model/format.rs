//! Numbers as people read them: thousands separators, a currency symbol,
//! sensible precision. Plain and deterministic (no locale), so the page, the
//! exports and the recommendation text agree. Non-finite values print as an
//! en dash: nothing ever shows NaN or infinity. Nothing shows a sign on
//! zero: a value that rounds to zero at the precision shown (float dust such
//! as `-1.9e-10`, or `-0`) prints as `0`. The crate trims float noise here
//! and nowhere else: [`plain`] for a field's text, [`quoted`] for a value a
//! message quotes, and the others for results.

use super::scenario::Currency;
use super::MIB_PER_GIB;

/// The placeholder for a value that is not a finite number.
pub const NOT_A_VALUE: &str = "–";

/// 2^64: a whole f64 below it converts to a `u64` exactly.
const U64_LIMIT: f64 = 18_446_744_073_709_551_616.0;

/// `value` rounded to a whole number with thousands separators:
/// `1234567.8` -> `"1,234,568"`.
pub fn whole(value: f64) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let rounded = value.round();
    // A whole f64 below 2^64 is exactly its u64, whose digits come without
    // the float formatter (several times slower, and called for every
    // figure of every chart's table after each edit).
    let digits = if rounded.abs() < U64_LIMIT {
        (rounded.abs() as u64).to_string()
    } else {
        format!("{:.0}", rounded.abs())
    };
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

/// A number with at most `decimals` decimals, no trailing zeros, no
/// thousands separators and no sign on zero, as a field or a message shows
/// it: `0.10000000000000001` -> `"0.1"`, `-0.0` -> `"0"`, `2e6` ->
/// `"2000000"`. Non-finite values give the en dash.
pub fn plain(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let text = format!("{:.*}", decimals.min(17), value);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => text.to_string(),
    }
}

/// Decimals [`quoted`] shows at most.
const QUOTED_DECIMALS: usize = 6;

/// A number as a message quotes it: plain digits without float noise
/// (`0.1`, `2000000`, up to six decimals), or `1.5e300` where plain digits
/// would be hundreds long or round to `0` (below 1e-6 or from 1e15 up).
/// Non-finite values give the en dash.
pub fn quoted(value: f64) -> String {
    if value.is_finite() && value != 0.0 && !(1e-6..1e15).contains(&value.abs()) {
        return format!("{value:e}");
    }
    plain(value, QUOTED_DECIMALS)
}

/// A number as shown with its unit: `"3 months"`, and `"1 month"`, not
/// `"1 months"`: a unit that counts things (longer than three letters,
/// ending in "s", no "/") loses its "s" after exactly "1", and a plural in
/// "-sses" its "es" (`"1 process"`). Abbreviations keep theirs (`"1 ms"`,
/// `"1 s"`), as do rates (`"1 MB/s"`).
pub fn with_unit(shown: &str, unit: &str) -> String {
    let counts = unit.len() > 3 && !unit.contains('/');
    match unit.strip_suffix('s') {
        Some(one) if counts && shown == "1" => {
            let one = one
                .strip_suffix('e')
                .filter(|o| o.ends_with("ss"))
                .unwrap_or(one);
            format!("{shown} {one}")
        }
        _ => format!("{shown} {unit}"),
    }
}

/// A number with exactly `decimals` decimals and no sign on a value that
/// rounds to zero, for files (CSV): `-1.9e-10` -> `"0.00"`, `2.5` ->
/// `"2.50"`. Non-finite values give the en dash.
pub fn fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let text = format!("{:.*}", decimals.min(17), value);
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => text,
    }
}

/// Amounts smaller than this (in the currency's unit) are float dust from
/// sums of zero prices, not money: shown as zero.
pub const MONEY_DUST: f64 = 1e-6;

/// Money: `"$1,234"`; amounts under 100 keep cents (`"$12.50"`); amounts
/// under a cent keep two significant digits (`0.004445` -> `"$0.0044"`), so
/// a price per GiB-hour never reads `"$0.00"`. Zero, `-0` and dust below
/// [`MONEY_DUST`] give `"$0"`, never a sign.
pub fn money(value: f64, currency: Currency) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let magnitude = value.abs();
    if magnitude < MONEY_DUST {
        return format!("{}0", currency.symbol());
    }
    let body = if magnitude < 0.005 {
        // Two significant digits below a cent.
        let decimals = (1.0 - magnitude.log10().floor()).clamp(2.0, 9.0) as usize;
        number(magnitude, decimals)
    } else if magnitude < 100.0 {
        format!("{magnitude:.2}")
    } else {
        whole(magnitude)
    };
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}{}{body}", currency.symbol())
}

/// Money in a short form for chart axes: `"$1.2M"`, `"$350k"`, `"$80"`.
pub fn money_short(value: f64, currency: Currency) -> String {
    if !value.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let v = value.abs();
    let sign = if value < 0.0 && v >= 0.5 { "-" } else { "" };
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

/// Memory in MiB as people read it: `"820 MiB"`; under 10 MiB to a tenth,
/// `"0.3 MiB"`, and under a tenth but above none `"<0.1 MiB"` (a little
/// memory held, such as a few requests in flight, never reads as none);
/// from a GiB up in GiB with about three significant digits, `"3.2 GiB"`.
pub fn memory(mib: f64) -> String {
    if !mib.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    if mib >= MIB_PER_GIB {
        format!("{} GiB", significant(mib / MIB_PER_GIB))
    } else if mib >= 10.0 {
        format!("{} MiB", whole(mib))
    } else if mib > 0.0 && mib < 0.05 {
        "<0.1 MiB".to_string()
    } else {
        format!("{} MiB", number(mib, 1))
    }
}

/// A horizon in years, to one decimal ([`with_unit`]): `1.0` -> `"1 year"`,
/// `3.0` -> `"3 years"`.
pub fn years(value: f64) -> String {
    with_unit(&number(value, 1), "years")
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

/// A share of a count (the Monte Carlo's draws) as a percentage that says
/// "100%" only of all and "0%" only of none: 0.9991 -> `"99.9%"`, not the
/// `"100%"` [`percent`] rounds it to; where a tenth of a percent would
/// still show 100.0 or 0.0, `">99.9%"` and `"<0.1%"`; from 1% to 99%
/// whole, as [`percent`].
pub fn share(fraction: f64) -> String {
    if !fraction.is_finite() {
        return NOT_A_VALUE.to_string();
    }
    let p = (fraction * 100.0).clamp(0.0, 100.0);
    match p {
        0.0 => "0%".to_string(),
        100.0 => "100%".to_string(),
        p if p < 0.05 => "<0.1%".to_string(),
        p if p >= 99.95 => ">99.9%".to_string(),
        p if p > 99.0 => format!("{}%", number((p * 10.0).floor() / 10.0, 1)),
        p => percent(p / 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_a_counted_unit_is_singular() {
        assert_eq!(with_unit("1", "months"), "1 month");
        assert_eq!(with_unit("1", "developer-hours"), "1 developer-hour");
        assert_eq!(with_unit("2", "months"), "2 months");
        assert_eq!(with_unit("1.5", "months"), "1.5 months");
        assert_eq!(with_unit("1", "ms"), "1 ms");
        assert_eq!(with_unit("1", "s"), "1 s");
        assert_eq!(with_unit("1", "MB/s"), "1 MB/s");
        assert_eq!(with_unit("1", "hours/sprint"), "1 hours/sprint");
        assert_eq!(with_unit("1", "GiB"), "1 GiB");
        assert_eq!(with_unit("1", "processes"), "1 process");
        assert_eq!(with_unit("2", "processes"), "2 processes");
        assert_eq!(with_unit("1", "API instances"), "1 API instance");
        assert_eq!(years(1.0), "1 year");
        assert_eq!(years(3.0), "3 years");
        assert_eq!(years(1.5), "1.5 years");
    }

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
    fn plain_trims_noise_and_never_signs_zero() {
        assert_eq!(plain(0.1 + 0.2, 6), "0.3");
        assert_eq!(plain(2_000_000.0, 6), "2000000");
        assert_eq!(plain(-0.0, 2), "0");
        assert_eq!(plain(-0.0001, 2), "0");
        assert_eq!(plain(-1.5, 2), "-1.5");
        assert_eq!(money_short(-0.2, Currency::Usd), "$0");
        assert_eq!(fixed(-1.9e-10, 2), "0.00");
        assert_eq!(fixed(-0.5, 0), "0");
        assert_eq!(fixed(-2.5, 2), "-2.50");
    }

    #[test]
    fn memory_in_mib_then_gib() {
        assert_eq!(memory(820.4), "820 MiB");
        assert_eq!(memory(1023.0), "1,023 MiB");
        assert_eq!(memory(1024.0), "1 GiB");
        assert_eq!(memory(3.2 * 1024.0), "3.2 GiB");
        assert_eq!(memory(f64::NAN), NOT_A_VALUE);
    }

    #[test]
    fn a_share_of_draws_says_all_or_none_only_when_it_is() {
        // 9 of 10,000 draws with another stack cheapest (40% inference at
        // 200 req/s); 0.2-0.3% of them in the ML inference preset.
        assert_eq!(share(0.9991), "99.9%");
        assert_eq!(share(0.9999), ">99.9%");
        assert_eq!(share(0.9974), "99.7%");
        assert_eq!(share(1.0), "100%");
        assert_eq!(share(0.0), "0%");
        assert_eq!(share(0.0003), "<0.1%");
        assert_eq!(share(0.003), "0.3%");
        assert_eq!(share(0.932), "93%");
        assert_eq!(share(0.989), "99%");
        assert_eq!(share(f64::NAN), NOT_A_VALUE);
    }

    #[test]
    fn a_little_memory_is_never_shown_as_none() {
        // FastAPI's requests in flight at 30% inference and 3,000 req/s:
        // 0.11 MiB each, some 3 at once, 0.336 MiB. "0 MiB" read as none.
        assert_eq!(memory(0.336), "0.3 MiB");
        assert_eq!(memory(2.004), "2 MiB");
        assert_eq!(memory(1.524), "1.5 MiB");
        assert_eq!(memory(0.01), "<0.1 MiB");
        assert_eq!(memory(0.0), "0 MiB");
        assert_eq!(memory(12.6), "13 MiB");
    }

    #[test]
    fn quoted_numbers_stay_short_and_true() {
        assert_eq!(quoted(0.1 + 0.2), "0.3");
        assert_eq!(quoted(2_000_000.0), "2000000");
        assert_eq!(quoted(1.7e308), "1.7e308");
        assert_eq!(quoted(-2.5e-9), "-2.5e-9");
        assert_eq!(quoted(-0.0), "0");
        assert_eq!(quoted(f64::INFINITY), NOT_A_VALUE);
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
