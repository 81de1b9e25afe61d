//! The natural logarithm and the exponential from `+ - x /` alone, which
//! IEEE 754 rounds exactly: the platform's `ln` and `exp` may differ in the
//! last bit between machines, these do not. Accurate to a few ulp.

/// ln 2 split so that `k x LN2_HI` is exact (fdlibm's constants).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const SQRT2: f64 = std::f64::consts::SQRT_2;
/// 2^(j/32) for j = 0 to 31, correctly rounded.
const EXP2_TABLE: [f64; 32] = [
    1.0,
    1.0218971486541166,
    1.0442737824274138,
    1.0671404006768237,
    1.0905077326652577,
    1.1143867425958924,
    1.1387886347566916,
    1.1637248587775775,
    1.189207115002721,
    1.215247359980469,
    1.241857812073484,
    1.2690509571917332,
    1.2968395546510096,
    1.3252366431597413,
    1.3542555469368927,
    1.383909881963832,
    std::f64::consts::SQRT_2,
    1.4451808069770467,
    1.4768261459394993,
    1.5091644275934228,
    1.5422108254079407,
    1.5759808451078865,
    1.6104903319492543,
    1.645755478153965,
    1.681792830507429,
    1.718619298122478,
    1.7562521603732995,
    1.7947090750031072,
    1.8340080864093424,
    1.8741676341103,
    1.9152065613971474,
    1.9571441241754002,
];
/// 1 / (2k - 1) for k = 1 to 12.
const INV_ODD: [f64; 12] = [
    1.0,
    0.3333333333333333,
    0.2,
    0.14285714285714285,
    0.1111111111111111,
    0.09090909090909091,
    0.07692307692307693,
    0.06666666666666667,
    0.058823529411764705,
    0.05263157894736842,
    0.047619047619047616,
    0.043478260869565216,
];

/// ln(x) for positive, finite, normal x; 0 and below give -infinity or
/// NaN, infinity gives infinity.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    // Subnormals: scale into the normal range first.
    let (x, bias) = if x < f64::MIN_POSITIVE {
        (x * 18_014_398_509_481_984.0, -54.0) // 2^54
    } else {
        (x, 0.0)
    };
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > SQRT2 {
        m *= 0.5;
        e += 1;
    }
    // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.1716.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut series = 0.0;
    for c in INV_ODD.iter().rev() {
        series = series * s2 + c;
    }
    let k = e as f64 + bias;
    k * LN2_HI + (2.0 * s * series + k * LN2_LO)
}

/// e^x; overflows to infinity past 709.78 and underflows to 0 below
/// -745.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x > 709.782_712_893_384 {
        return f64::INFINITY;
    }
    if x < -745.133_219_101_941_1 {
        return 0.0;
    }
    // x = (32m + j) ln 2 / 32 + r, |r| <= ln 2 / 64 (Tang's table
    // method, ACM TOMS 15, 1989, with Cody and Waite's split of ln 2):
    // e^x = 2^m x 2^(j/32) x e^r.
    // The nearest whole number by adding and taking away 1.5 x 2^52
    // (ties to even; |x 32 / ln 2| < 2^15 here): `round` is a library
    // call on x86-64 and in wasm, and this runs for every figure of
    // every draw.
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    let n = (x * (32.0 / std::f64::consts::LN_2) + ROUNDER) - ROUNDER;
    let r = (x - n * (LN2_HI / 32.0)) - n * (LN2_LO / 32.0);
    let n = n as i64;
    let j = n.rem_euclid(32);
    let m = (n - j) / 32;
    // e^r to r^6 / 6! (the next term is below 4e-18).
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    let scaled = EXP2_TABLE[j as usize] * p;
    // 2^m in two halves, so that m near either end stays representable.
    let half = m / 2;
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    scaled * pow2(half) * pow2(m - half)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rng;

    #[test]
    fn portable_ln_and_exp_agree_with_the_platform() {
        let mut r = Rng::new(3);
        for _ in 0..10_000 {
            let x = exp(r.unit() * 80.0 - 40.0);
            let rel = (ln(x) - x.ln()).abs() / x.ln().abs().max(1e-300);
            assert!(rel < 1e-14 || (ln(x) - x.ln()).abs() < 1e-15, "ln {x}");
            let y = r.unit() * 40.0 - 20.0;
            assert!((exp(y) / y.exp() - 1.0).abs() < 1e-14, "exp {y}");
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
        assert!((ln(f64::MIN_POSITIVE / 8.0) - (f64::MIN_POSITIVE / 8.0).ln()).abs() < 1e-12);
    }
}
