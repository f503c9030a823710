// Shared LSAT section 6 pattern table (Bock & Lieberman 1970), included by the LSAT tests.

/// (pattern of items 1..5, frequency); the two unobserved patterns 01010 and 01100 are omitted.
pub const LSAT6: [([u8; 5], u64); 30] = [
    ([0, 0, 0, 0, 0], 3),
    ([0, 0, 0, 0, 1], 6),
    ([0, 0, 0, 1, 0], 2),
    ([0, 0, 0, 1, 1], 11),
    ([0, 0, 1, 0, 0], 1),
    ([0, 0, 1, 0, 1], 1),
    ([0, 0, 1, 1, 0], 3),
    ([0, 0, 1, 1, 1], 4),
    ([0, 1, 0, 0, 0], 1),
    ([0, 1, 0, 0, 1], 8),
    ([0, 1, 0, 1, 1], 16),
    ([0, 1, 1, 0, 1], 3),
    ([0, 1, 1, 1, 0], 2),
    ([0, 1, 1, 1, 1], 15),
    ([1, 0, 0, 0, 0], 10),
    ([1, 0, 0, 0, 1], 29),
    ([1, 0, 0, 1, 0], 14),
    ([1, 0, 0, 1, 1], 81),
    ([1, 0, 1, 0, 0], 3),
    ([1, 0, 1, 0, 1], 28),
    ([1, 0, 1, 1, 0], 15),
    ([1, 0, 1, 1, 1], 80),
    ([1, 1, 0, 0, 0], 16),
    ([1, 1, 0, 0, 1], 56),
    ([1, 1, 0, 1, 0], 21),
    ([1, 1, 0, 1, 1], 173),
    ([1, 1, 1, 0, 0], 11),
    ([1, 1, 1, 0, 1], 61),
    ([1, 1, 1, 1, 0], 28),
    ([1, 1, 1, 1, 1], 298),
];

pub fn lsat6_expanded() -> Vec<u8> {
    let mut out = Vec::new();
    for (pattern, count) in LSAT6 {
        for _ in 0..count {
            out.extend_from_slice(&pattern);
        }
    }
    out
}

pub fn lsat6_names() -> Vec<String> {
    (1..=5).map(|i| format!("Item {i}")).collect()
}
