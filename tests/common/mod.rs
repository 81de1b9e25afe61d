//! What the native integration tests share: one strategy for valid
//! scenarios. It reads the catalogues of inputs (`NumField`, `ChoiceField`),
//! so an input added there is drawn here without a change.

use proptest::prelude::*;
use stackwise::model::{ChoiceField, NumField, Scenario};

/// Any valid scenario: every numeric input anywhere in its range (on a log
/// scale where the field uses one, so every decade is reached), any
/// workload mix, and every choice at any of its options.
pub fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(0.0f64..=1.0, NumField::COUNT),
        prop::array::uniform4(0.0f64..100.0),
        prop::collection::vec(any::<prop::sample::Index>(), ChoiceField::COUNT),
    )
        .prop_map(|(positions, mix, picks)| {
            let mut s = Scenario::default();
            for (field, t) in NumField::ALL.into_iter().zip(positions) {
                if !NumField::MIX.contains(&field) {
                    s.set(field, field.spec().at(t)).expect("within the range");
                }
            }
            let mix = if mix.iter().sum::<f64>() > 0.0 {
                mix
            } else {
                [1.0, 0.0, 0.0, 0.0]
            };
            s.set_mix(mix).expect("a mix above 0%");
            for (field, pick) in ChoiceField::ALL.into_iter().zip(picks) {
                let options = field.options();
                let key = options[pick.index(options.len())].key;
                s.set_choice(field, key).expect("one of its options");
            }
            s
        })
}
